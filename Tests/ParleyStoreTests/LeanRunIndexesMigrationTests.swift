import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// Migration `v9-lean-run-indexes` drops three indexes the daily run kept up for no read
/// (`cases_by_status`, `cases_by_next_due`, `events_by_kind`) and adds two partial indexes for
/// the reads that went through `events_by_kind` (a day's recalls, the period figures' closed
/// cases). A database from before it must answer those reads, and run, as a new one does.
final class LeanRunIndexesMigrationTests: TemporaryDirectoryTestCase {
    let sam = Actor(name: "sam", role: .supervisor)

    /// The demo, run day by day until the run has placed accounts with the agency, then one
    /// account recalled and one written off (the closing event the figures read): the day after
    /// the last run.
    func writeHistory(_ store: any CaseStore, from today: CivilDate) async throws -> CivilDate {
        var day = today
        var placed: [String] = []
        for offset in 0..<40 where placed.isEmpty {
            day = today.adding(days: offset)
            placed = try await store.runDaily(asOf: day, actor: .system, at: Fixtures.importedAt.addingTimeInterval(Double(offset + 1) * 86_400)).placed
        }
        let recalledID = try XCTUnwrap(placed.first, "the demo placed no account in 40 days")
        let after = day.adding(days: 1)
        // Noon of that day (the imports' instant is 10:00 UTC of `today`; the last run was stamped 10:00 of `after`).
        let at = Fixtures.importedAt.addingTimeInterval(Double(after.daysSinceEpoch - today.daysSinceEpoch) * 86_400 + 7_200)
        _ = try await store.record(.recalled(reason: "back from the agency"), accountID: recalledID, actor: sam, at: at)
        let open = try await store.queue(QueueQuery(limit: 5)).entries.map(\.accountID).filter { $0 != recalledID }
        _ = try await store.record(.writtenOff(reason: "uncollectable"), accountID: try XCTUnwrap(open.first), actor: sam, at: at)
        return after
    }

    static func indexes(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
    }

    func testADatabaseFromBeforeAnswersAndRunsAsANewOne() async throws {
        // A database with this history, written by this build.
        let current = directory.appendingPathComponent("current.sqlite").path
        let today = Fixtures.date("2026-11-23")
        let store = try await DefaultDatabase.open(DatabaseLocation(path: current, source: .dataDirectory), policy: .standard, today: today,
                                                   now: Fixtures.importedAt, firstSupervisor: "sam") { _ in }
        let day = try await writeHistory(store, from: today)

        // The same rows in a database the build before this migration made.
        let old = directory.appendingPathComponent("old.sqlite").path
        let queue = try await MigrationFixtures.olderDatabase(at: old, upTo: "v8-events-rowid", rowsOf: current, tables: [
            "accounts", "contacts", "invoices", "payments", "events", "cases", "case_states", "runs", "operators", "queue_counts", "debtor_words",
        ])
        let before = try await queue.read { try Self.indexes($0) }
        XCTAssertTrue(Set(["cases_by_status", "cases_by_next_due", "events_by_kind"]).isSubset(of: before), "\(before)")
        try queue.close()

        let migrated = try SQLiteCaseStore(path: old)
        let check = try DatabaseQueue(path: old)
        let (after, integrity) = try await check.read { db in (try Self.indexes(db), try String.fetchAll(db, sql: "PRAGMA integrity_check")) }
        XCTAssertEqual(integrity, ["ok"])
        // v9's three, and v12's two of the debtor names.
        XCTAssertEqual(Set(before).subtracting(after), ["cases_by_status", "cases_by_next_due", "events_by_kind",
                                                        "accounts_by_debtor_name", "cases_by_debtor_name"])
        // v9's three, v10's index of the contact rules' events and v11's of the queued ids.
        XCTAssertEqual(Set(after).subtracting(before), ["events_recalled", "events_closing", "events_by_work_kind", "events_contact_facts",
                                                        "cases_queued_ids"])
        let fresh = try await DatabaseQueue(path: current).read { try Self.indexes($0) }
        XCTAssertEqual(after, fresh, "the migrated schema's indexes are a new database's")

        // The reads that went through the dropped index find what they found, through the new ones.
        let recalls = try await migrated.placements(on: day)
        XCTAssertEqual(recalls.recalled.count, 1)
        let expectedRecalls = try await store.placements(on: day)
        XCTAssertEqual(recalls, expectedRecalls)
        let figures = try await migrated.figures(from: today, to: day)
        let expectedFigures = try await store.figures(from: today, to: day)
        XCTAssertEqual(figures, expectedFigures)
        let plans = try await check.read { db in
            try [SQLiteCaseStore.recalledSQL, PeriodFigureQueries(dialect: .sqlite, from: today, to: day).agingSQL].map { sql in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ") }
        }
        XCTAssertTrue(plans[0].contains("events_recalled"), plans[0])
        XCTAssertTrue(plans[1].contains("events_closing"), plans[1])

        // The audit log by a kind of work reads through its partial index, newest first, and
        // finds what a scan of the log finds; a bookkeeping kind reads the log by its instant.
        for kind in ["written-off", "recalled", "letter-sent"] {
            let query = AuditQuery(kind: kind, limit: 5)
            let (sql, arguments) = SQLiteCaseStore.auditSQL(query)
            let (plan, scanned) = try await check.read { db in
                (try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }.joined(separator: "; "),
                 try Int64.fetchAll(db, sql: "SELECT id FROM events NOT INDEXED WHERE kind = ? ORDER BY at DESC, id DESC LIMIT 5", arguments: [kind]))
            }
            XCTAssertTrue(plan.contains(kind == "letter-sent" ? "events_by_at" : "events_by_work_kind"), "\(kind): \(plan)")
            let found = try await migrated.auditLog(query)
            XCTAssertFalse(found.isEmpty, kind)
            XCTAssertEqual(found.map(\.id), scanned, kind)
        }

        // The next runs step the same cases and record the same events in both.
        try await MigrationFixtures.assertRunsAlike(migrated, store, after: day, today: today)
        let queues = try await [migrated.queue(QueueQuery(limit: 50)), store.queue(QueueQuery(limit: 50))]
        XCTAssertEqual(queues[0], queues[1])
    }
}
