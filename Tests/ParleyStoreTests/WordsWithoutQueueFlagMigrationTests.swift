import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// Migration `v11-words-without-queue-flag` takes the queue flag out of the debtor words (the
/// trigger that kept it rewrote every word of a case joining or leaving the queue) and answers
/// the name filter's "is it queued" from a partial index of the queued ids. A database from
/// before it must filter the queue, and keep its words, as a new one does.
final class WordsWithoutQueueFlagMigrationTests: TemporaryDirectoryTestCase {
    let filters = ["a", "co", "ltd", "gmbh", "müller", "A-0", "INV-", "x y", "nobody"]

    func results(_ store: SQLiteCaseStore) async throws -> [String] {
        var found: [String] = []
        for filter in filters {
            for includeAll in [false, true] {
                let page = try await store.queue(QueueQuery(filter: filter, limit: 20, includeAll: includeAll))
                found.append("\(filter) \(includeAll): \(page.total) \(page.entries.map(\.accountID))")
            }
        }
        return found
    }

    func words(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM debtor_words ORDER BY word, account_id").map(\.description)
        }
    }

    func testADatabaseFromBeforeFiltersTheQueueAsANewOne() async throws {
        let current = directory.appendingPathComponent("current.sqlite").path
        let today = Fixtures.date("2026-11-23")
        let store = try await DefaultDatabase.open(DatabaseLocation(path: current, source: .dataDirectory), policy: .standard, today: today,
                                                   now: Fixtures.importedAt) { _ in }
        // Runs until some cases have left the queue (placed with the agency).
        var day = today
        var placed: [String] = []
        for offset in 0..<40 where placed.isEmpty {
            day = today.adding(days: offset)
            placed = try await store.runDaily(asOf: day, actor: .system, at: Fixtures.importedAt.addingTimeInterval(Double(offset + 1) * 86_400)).placed
        }
        XCTAssertFalse(placed.isEmpty, "the demo placed no account in 40 days")

        let old = directory.appendingPathComponent("old.sqlite").path
        let queue = try await MigrationFixtures.olderDatabase(at: old, upTo: "v10-contact-facts-index", rowsOf: current, tables: [
            "accounts", "contacts", "invoices", "payments", "events", "cases", "case_states", "runs", "operators", "queue_counts", "debtor_words",
        ])
        let flagged = try await queue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM debtor_words WHERE in_queue = 0") ?? 0
        }
        XCTAssertGreaterThan(flagged, 0, "some words were of cases out of the queue")
        try queue.close()

        let migrated = try SQLiteCaseStore(path: old)
        let (columns, integrity) = try await DatabaseQueue(path: old).read { db in
            (try Row.fetchAll(db, sql: "PRAGMA table_info(debtor_words)").map { $0["name"] as String },
             try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
        XCTAssertEqual(columns, ["word", "account_id"])
        XCTAssertEqual(integrity, ["ok"])
        XCTAssertEqual(try words(old), try words(current))
        let expected = try await results(store)
        let found = try await results(migrated)
        XCTAssertEqual(found, expected)
        // A name filter on the queue leaves out the cases not queued, which the same filter over
        // every case counts (the names' filters are the first five, an account's and an invoice's after).
        let totals = expected.map { $0.split(separator: ":")[1].split(separator: " ")[0] }
        XCTAssertTrue(stride(from: 0, to: 10, by: 2).contains { totals[$0] != totals[$0 + 1] }, "\(expected)")
        XCTAssertTrue(expected.contains { $0.hasPrefix("ltd false: ") && !$0.hasPrefix("ltd false: 0 ") }, "\(expected)")

        // The next runs leave both filtering alike, and the words alike.
        try await MigrationFixtures.assertRunsAlike(migrated, store, after: day, today: today)
        let after = try await results(migrated)
        let expectedAfter = try await results(store)
        XCTAssertEqual(after, expectedAfter)
        XCTAssertEqual(try words(old), try words(current))
    }
}
