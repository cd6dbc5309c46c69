import Foundation
@testable import ParleyStore
import XCTest

/// The PostgreSQL backend hooks the shared store suites override: a fresh database in the
/// cluster the tests start (see `TestPostgres`), every table as text, and raw SQL as another
/// client would run it. Without the server binaries a test is skipped and says why.
enum PostgresTestStores {
    static func fresh() async throws -> PostgresCaseStore {
        let url: PostgresURL
        do {
            url = try await TestPostgres.freshDatabase()
        } catch let skip as TestPostgres.Skip {
            throw XCTSkip(skip.reason)
        }
        return try await PostgresCaseStore.open(url)
    }

    static func snapshot(_ store: any CaseStore) async throws -> [String: [String]] {
        let pg = store as! PostgresCaseStore
        return try await pg.read { tx in
            var result: [String: [String]] = [:]
            for table in ["accounts", "contacts", "invoices", "payments", "events", "cases", "runs"] {
                result[table] = try await tx.rows("SELECT row_to_json(t)::text AS line FROM (SELECT * FROM \(table) ORDER BY 1) t").map { try $0.text("line") }
            }
            return result
        }
    }

    static func rawError(_ sql: String, on store: any CaseStore) async throws -> String? {
        let pg = store as! PostgresCaseStore
        do {
            try await pg.transaction { tx in try await tx.execute(sql) }
            return nil
        } catch StoreError.database(_, let reason) {
            return reason
        }
    }
}
