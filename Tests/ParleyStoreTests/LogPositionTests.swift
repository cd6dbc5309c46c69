import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// Where each case's log ends (its last sequence number and latest instant) is kept with its
/// state in `case_states`, and read from there instead of from the log: it must always be what
/// the log says, after an import, the daily runs, a recorded call and a rebuild, and the
/// migration that adds it must fill it from the log.
final class LogPositionTests: TemporaryDirectoryTestCase {
    let today = Fixtures.date("2026-11-23")

    func demo(_ name: String) async throws -> String {
        let path = directory.appendingPathComponent(name).path
        _ = try await DefaultDatabase.open(DatabaseLocation(path: path, source: .dataDirectory), policy: .standard, today: today, now: Fixtures.importedAt, firstSupervisor: "sam") { _ in }
        return path
    }

    /// Each case's kept position beside the one its log gives, for the cases where they differ.
    func mismatches(_ path: String) throws -> [String] {
        try Fixtures.queue(path).read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.case_id, s.seq, s.latest_at,
                       (SELECT MAX(seq) FROM events WHERE case_id = s.case_id) AS log_seq,
                       (SELECT MAX(at) FROM events WHERE case_id = s.case_id) AS log_at
                FROM case_states s
                WHERE s.seq IS NOT log_seq OR s.latest_at IS NOT log_at
                """).map(\.description)
        }
    }

    func count(_ path: String, _ sql: String) throws -> Int {
        try Fixtures.queue(path).read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    func testKeptPositionIsTheLogsAfterEveryKindOfWrite() async throws {
        let path = try await demo("demo.sqlite")
        XCTAssertGreaterThan(try count(path, "SELECT COUNT(*) FROM case_states"), 50)
        XCTAssertEqual(try mismatches(path), [], "after the import")
        let store = try SQLiteCaseStore(path: path, runBatch: 7)
        for offset in 0..<6 {
            let at = Fixtures.importedAt.addingTimeInterval(Double(offset + 1) * 86_400)
            let summary = try await store.runDaily(asOf: today.adding(days: offset), actor: .system, at: at)
            XCTAssertEqual(try mismatches(path), [], "after the run of \(today.adding(days: offset).iso)")
            if offset == 0 { XCTAssertGreaterThan(summary.eventsRecorded, 0) }
        }
        // A collector's write: a note on a case, later than every event before it.
        let later = Fixtures.importedAt.addingTimeInterval(7 * 86_400 + 3_600)
        _ = try await store.record(.note("left a voicemail"), accountID: "A-0001", actor: Actor(name: "sam", role: .supervisor), at: later, expectedVersion: nil)
        XCTAssertEqual(try mismatches(path), [], "after a note")
        XCTAssertEqual(try count(path, "SELECT COUNT(*) FROM case_states WHERE case_id = 'A-0001' AND latest_at = '\(StoreCodec.timestamp(later))'"), 1)
        // Every row the runs wrote column by column (only the indexed columns that changed) holds
        // what the log gives (a row's `as_of` is the day it was last written, so the rows are
        // compared by their indexed columns and as records), and the queue's counts are the rows'.
        func indexed() throws -> [String] {
            try Fixtures.queue(path).read { db in
                try Row.fetchAll(db, sql: "SELECT account_id, stage, status, priority, in_queue, next_due_day, assignee FROM cases ORDER BY account_id").map(\.description)
            }
        }
        let written = try indexed()
        let records = try await store.allCaseRecords()
        XCTAssertEqual(try count(path, "SELECT COUNT(*) FROM queue_counts q WHERE n <> (SELECT COUNT(*) FROM cases c WHERE c.in_queue = q.in_queue)"), 0)
        XCTAssertGreaterThan(try count(path, "SELECT COUNT(*) FROM cases WHERE in_queue = 0"), 0, "some case left the queue")
        _ = try await store.rebuildProjections()
        XCTAssertEqual(try mismatches(path), [], "after a rebuild")
        XCTAssertEqual(try indexed(), written)
        let rebuiltRecords = try await store.allCaseRecords()
        XCTAssertEqual(rebuiltRecords, records)
    }

    func testMigrationFillsThePositionFromTheLog() async throws {
        let path = try await demo("old.sqlite")
        let store = try SQLiteCaseStore(path: path)
        _ = try await store.runDaily(asOf: today, actor: .system, at: Fixtures.importedAt.addingTimeInterval(86_400))
        // The database as the build before the migration left it: no position kept.
        try await Fixtures.queue(path).write { db in
            try db.execute(sql: """
                ALTER TABLE case_states DROP COLUMN seq;
                ALTER TABLE case_states DROP COLUMN latest_at;
                DELETE FROM grdb_migrations WHERE identifier = 'v7-case-log-position';
                """)
        }
        let reopened = try SQLiteCaseStore(path: path)
        XCTAssertEqual(try mismatches(path), [])
        XCTAssertEqual(try count(path, "SELECT COUNT(*) FROM case_states WHERE seq IS NULL OR latest_at IS NULL"), 0)
        // And the next run reads it: the same as on a database that always had it.
        let fresh = try await demo("fresh.sqlite")
        let freshStore = try SQLiteCaseStore(path: fresh)
        _ = try await freshStore.runDaily(asOf: today, actor: .system, at: Fixtures.importedAt.addingTimeInterval(86_400))
        let next = today.adding(days: 1)
        let a = try await reopened.runDaily(asOf: next, actor: .system, at: Fixtures.importedAt.addingTimeInterval(2 * 86_400))
        let b = try await freshStore.runDaily(asOf: next, actor: .system, at: Fixtures.importedAt.addingTimeInterval(2 * 86_400))
        XCTAssertEqual(a, b)
        XCTAssertGreaterThan(a.eventsRecorded, 0)
        XCTAssertEqual(try mismatches(path), [])
    }
}
