import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// Migration `v13-no-derived-texts` drops the next action, its day and the priority's reasons
/// from `cases`, which every read works out again from the state: a database from before it
/// (those columns holding what no case would have) reads, queues and runs as a new one.
final class NoDerivedTextsMigrationTests: TemporaryDirectoryTestCase {
    func testADatabaseFromBeforeReadsAndRunsAsANewOne() async throws {
        let current = directory.appendingPathComponent("current.sqlite").path
        let today = Fixtures.date("2026-11-23")
        let store = try await MigrationFixtures.demoRunThreeDays(at: current, today: today)
        let day = today.adding(days: 2)
        let old = directory.appendingPathComponent("old.sqlite").path
        let queue = try await MigrationFixtures.olderDatabase(at: old, upTo: "v12-no-name-indexes", rowsOf: current, tables: MigrationFixtures.allTables)
        let filled = try await queue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE priority_reasons LIKE '%never read%' AND next_action_on = '1999-01-01'") ?? 0
        }
        XCTAssertEqual(filled, 220)
        try queue.close()

        let migrated = try SQLiteCaseStore(path: old)
        let (columns, integrity, keys) = try await MigrationFixtures.check(old, table: "cases")
        let newColumns = try await MigrationFixtures.check(current, table: "cases").columns
        XCTAssertEqual(columns, newColumns)
        XCTAssertTrue(Set(columns).isDisjoint(with: ["next_action", "next_action_on", "priority_reasons"]), "\(columns)")
        XCTAssertEqual(integrity, ["ok"])
        XCTAssertEqual(keys, 0)

        // What the workbench and the commands read: the queue's pages (next actions and
        // reasons), every case, and a case with its account.
        for query in [QueueQuery(limit: 50), QueueQuery(offset: 150, limit: 50), QueueQuery(filter: "ltd", limit: 20), QueueQuery(limit: 300, includeAll: true)] {
            let a = try await migrated.queue(query)
            let b = try await store.queue(query)
            XCTAssertEqual(a, b)
            XCTAssertFalse(a.entries.contains { $0.nextAction.text == "never read" })
        }
        let all = try await migrated.allCaseRecords()
        let expected = try await store.allCaseRecords()
        XCTAssertEqual(all, expected)
        XCTAssertTrue(all.contains { !$0.priority.reasons.isEmpty && $0.nextAction.on != nil })
        let one = try await migrated.caseRecord(accountID: "A-0003")
        let same = try await store.caseRecord(accountID: "A-0003")
        XCTAssertEqual(one, same)
        try await MigrationFixtures.assertRunsAlike(migrated, store, after: day, today: today)
        let allAfter = try await migrated.allCaseRecords()
        let expectedAfter = try await store.allCaseRecords()
        XCTAssertEqual(allAfter, expectedAfter)
    }
}
