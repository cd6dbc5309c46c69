import Foundation
import ParleyCore
@testable import ParleyStore
import XCTest

/// The supervisor suites on PostgreSQL: each test gets a fresh database in the cluster the
/// tests start (see `PostgresTestStores`); without the server binaries they are skipped and say why.
final class PostgresSupervisorReviewTests: SupervisorReviewTests {
    override func emptyStore() async throws -> any CaseStore {
        let store = try await PostgresTestStores.fresh()
        opened.append(store)
        return store
    }

    override func snapshot(_ store: any CaseStore) async throws -> [String: [String]] {
        try await PostgresTestStores.snapshot(store)
    }

    override func rawError(_ sql: String, on store: any CaseStore) async throws -> String? {
        try await PostgresTestStores.rawError(sql, on: store)
    }

    func testOperatorsMigrationIsRecorded() async throws {
        let store = try await emptyStore() as! PostgresCaseStore
        let applied = try await store.appliedMigrations()
        XCTAssertTrue(applied.contains("v3-operators"), "\(applied)")
    }
}

final class PostgresSupervisorFiguresTests: SupervisorFiguresTests {
    override func emptyStore() async throws -> any CaseStore {
        let store = try await PostgresTestStores.fresh()
        opened.append(store)
        return store
    }

    func testFiguresAreTheSameOnSQLiteAndPostgreSQLForEveryPeriod() async throws {
        let pg = try await makeStore()
        let sqlite = try SQLiteCaseStore(path: directory.appendingPathComponent("same.sqlite").path)
        opened.append(sqlite)
        _ = try await makeStore(in: sqlite)
        for (from, to) in [("2026-10-01", "2026-10-31"), ("2026-09-01", "2026-11-30"), ("2026-10-15", "2026-10-15"), ("2026-07-01", "2026-12-31")] {
            let a = try await sqlite.figures(from: Fixtures.date(from), to: Fixtures.date(to))
            let b = try await pg.figures(from: Fixtures.date(from), to: Fixtures.date(to))
            XCTAssertEqual(a, b, "\(from)…\(to)")
        }
    }
}
