import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// Migration `v8-events-rowid` makes the log's table again without AUTOINCREMENT: every event,
/// index and trigger must come through, the log must still refuse changes, and the next event
/// must follow the last.
final class EventsTableMigrationTests: TemporaryDirectoryTestCase {
    func testEveryEventIndexAndTriggerComesThroughAndTheLogGoesOn() async throws {
        // A database with a log, written by this build.
        let current = directory.appendingPathComponent("current.sqlite").path
        let today = Fixtures.date("2026-11-23")
        let store = try await DefaultDatabase.open(DatabaseLocation(path: current, source: .dataDirectory), policy: .standard, today: today,
                                                   now: Fixtures.importedAt, firstSupervisor: "sam") { _ in }
        _ = try await store.runDaily(asOf: today, actor: .system, at: Fixtures.importedAt.addingTimeInterval(86_400))

        // The same accounts and log in a database the build before this migration made.
        let old = directory.appendingPathComponent("old.sqlite").path
        let queue = try await MigrationFixtures.olderDatabase(at: old, upTo: "v7-case-log-position", rowsOf: current, tables: [
            "accounts", "contacts", "invoices", "payments", "events", "cases", "case_states", "runs", "operators",
        ])
        @Sendable func table(_ db: Database) throws -> String? {
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'")
        }
        @Sendable func dependents(_ db: Database) throws -> [String] {
            try String.fetchAll(db, sql: "SELECT type || ' ' || name || ': ' || sql FROM sqlite_master WHERE tbl_name = 'events' AND type <> 'table' AND sql IS NOT NULL ORDER BY name")
        }
        @Sendable func events(_ db: Database) throws -> [String] {
            try Row.fetchAll(db, sql: "SELECT * FROM events ORDER BY id").map(\.description)
        }
        let (oldTable, oldDependents, oldEvents) = try await queue.read { db in (try table(db), try dependents(db), try events(db)) }
        try queue.close()
        XCTAssertTrue(oldTable?.contains("AUTOINCREMENT") ?? false)
        XCTAssertGreaterThan(oldEvents.count, 1_000)

        // This migration alone: a later one changes the log's indexes (v9-lean-run-indexes).
        let check = try DatabaseQueue(path: old)
        try Schema.migrator.migrate(check, upTo: "v8-events-rowid")
        let (newTable, newDependents, newEvents, integrity) = try await check.read { db in
            (try table(db), try dependents(db), try events(db), try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
        XCTAssertFalse(newTable?.contains("AUTOINCREMENT") ?? true, newTable ?? "no table")
        XCTAssertEqual(newEvents, oldEvents)
        XCTAssertEqual(newDependents, oldDependents)
        XCTAssertEqual(newDependents.count, 7, "\(newDependents)")
        XCTAssertEqual(integrity, ["ok"])
        // Still append-only.
        for sql in ["UPDATE events SET kind = 'note' WHERE id = 1", "DELETE FROM events WHERE id = 1"] {
            do {
                try await check.write { db in try db.execute(sql: sql) }
                XCTFail("the log took \(sql)")
            } catch let error as DatabaseError {
                XCTAssertEqual(error.message, "the event log is append-only")
            }
        }
        // The next event follows the last, in the store opened on it (every later migration run).
        let migrated = try SQLiteCaseStore(path: old)
        let last = try await check.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM events") ?? 0 }
        let outcome = try await migrated.record(.note("after the migration"), accountID: "A-0001", actor: Actor(name: "sam", role: .supervisor),
                                                 at: Fixtures.importedAt.addingTimeInterval(2 * 86_400), expectedVersion: nil)
        XCTAssertEqual(outcome.events.map(\.id), [last + 1])
    }
}
