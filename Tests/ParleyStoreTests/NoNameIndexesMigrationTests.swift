import Foundation
import GRDB
import GRDBSQLite
import ParleyCore
@testable import ParleyStore
import Synchronization
import XCTest

/// Migration `v12-no-name-indexes` drops the two indexes of debtor names, which no query read:
/// a database from before loses them, and no statement the store runs on the demo (import, runs,
/// queue and its filters, a case, its history, supervision, figures, audit) is planned through
/// either, were they there.
final class NoNameIndexesMigrationTests: TemporaryDirectoryTestCase {
    static let names: Set<String> = ["accounts_by_debtor_name", "cases_by_debtor_name"]
    static let definitions = [
        "CREATE INDEX accounts_by_debtor_name ON accounts(debtor_name COLLATE NOCASE)",
        "CREATE INDEX cases_by_debtor_name ON cases(debtor_name COLLATE NOCASE)",
    ]

    func indexes(_ path: String) throws -> Set<String> {
        try Set(Fixtures.queue(path).read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'") })
    }

    func testADatabaseFromBeforeLosesTheNameIndexes() throws {
        let path = directory.appendingPathComponent("v11.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "v11-words-without-queue-flag")
        }
        XCTAssertEqual(try indexes(path).intersection(Self.names), Self.names)
        _ = try SQLiteCaseStore(path: path)
        XCTAssertEqual(try indexes(path).intersection(Self.names), [])
        XCTAssertTrue(try indexes(path).isSuperset(of: ["cases_queue_order", "cases_by_assignee", "debtor_words_by_account"]))
    }

    func testNoStatementOfTheStoreIsPlannedThroughANameIndex() async throws {
        let path = directory.appendingPathComponent("traced.sqlite").path
        let statements = Mutex<Set<String>>([])
        let store = try SQLiteCaseStore(path: path, runBatch: 1_000, traceStatements: { sql in statements.withLock { _ = $0.insert(sql) } })
        statements.withLock { $0.removeAll() }  // the migrations'
        let sample = SampleDemoTests.sampleData
        let files = ImportFiles(accounts: .file(path: sample + "/accounts.csv"), invoices: .file(path: sample + "/invoices.csv"),
                                payments: .file(path: sample + "/payments.csv"), history: .file(path: sample + "/history.csv"))
        _ = try await store.importPortfolio(files, map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        let today = CivilDate(utcInstant: Fixtures.importedAt)
        for offset in 1...3 {
            _ = try await store.runDaily(asOf: today.adding(days: offset), actor: .system, at: Fixtures.importedAt.addingTimeInterval(Double(offset) * 86_400))
        }
        for filter in [nil, "anna", "acme print", "A-00", "INV-"] {
            let page = try await store.queue(QueueQuery(filter: filter, limit: 20))
            if filter == "anna" { XCTAssertFalse(page.entries.isEmpty) }
        }
        _ = try await store.caseRecord(accountID: "A-0003")
        _ = try await store.history(accountID: "A-0003")
        _ = try await store.accountsAndCases(["A-0001", "A-0002"], histories: true)
        _ = try await store.report(asOf: today.adding(days: 3))
        _ = try await store.figures(from: today, to: today.adding(days: 3))
        _ = try await store.auditLog(AuditQuery(kind: "note", limit: 5))
        _ = try await store.auditLog(AuditQuery(accountID: "A-0001", limit: 5))
        _ = try await store.pendingApprovals()
        _ = try await store.placements(on: today.adding(days: 3))
        _ = try await store.lettersSent(on: today.adding(days: 1))
        _ = try await store.reassignAll(from: "bob", to: "carol", filter: "a", reason: "cover", actor: Fixtures.clerk, at: Fixtures.importedAt.addingTimeInterval(4 * 86_400))

        let queue = try Fixtures.queue(path)
        let traced = statements.withLock { $0 }
        let (plans, failed) = try await queue.write { db -> ([String: String], [String: String]) in
            try SQLiteCaseStore.addPriorityFunction(db)
            for definition in Self.definitions { try db.execute(sql: definition) }
            var plans: [String: String] = [:], failed: [String: String] = [:]
            for sql in traced {
                let head = sql.trimmingCharacters(in: .whitespacesAndNewlines).prefix(8).uppercased()
                guard ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE"].contains(where: { head.hasPrefix($0) }) else { continue }
                do {
                    let statement = try db.makeStatement(sql: "EXPLAIN QUERY PLAN " + sql)
                    let count = Int(sqlite3_bind_parameter_count(statement.sqliteStatement))
                    statement.setUncheckedArguments(StatementArguments(Array(repeating: DatabaseValue.null, count: count)))
                    plans[sql] = try Row.fetchAll(statement).map { $0["detail"] as String }.joined(separator: "; ")
                } catch {
                    failed[sql] = "\(error)"
                }
            }
            return (plans, failed)
        }
        XCTAssertEqual(failed, [String: String]())
        XCTAssertGreaterThan(plans.count, 40)
        XCTAssertTrue(plans.values.contains { $0.contains("debtor_words") }, "the name filter's statements were traced")
        // A search through either index would be a read by a name. SQLite may still scan one
        // whole as the smallest that covers a bare existence test (`SELECT 1 FROM accounts`),
        // which the table's key does as well.
        for (sql, plan) in plans {
            for step in plan.components(separatedBy: "; ") where Self.names.contains(where: { step.contains($0) }) {
                XCTAssertTrue(step.hasPrefix("SCAN") && step.contains("COVERING INDEX"), "\(sql)\n→ \(plan)")
            }
        }
    }
}
