import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// `EventAppender`: events inserted several to a statement are the log one INSERT an event
/// writes, in the order they were added.
final class EventAppenderTests: TemporaryDirectoryTestCase {
    func log() throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("log.sqlite").path)
        try Schema.migrator.migrate(queue)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO accounts (id, debtor_name, debtor_kind, country, currency) VALUES
                ('A-1', 'Ada Ltd', 'business', 'US', 'USD'), ('A-2', 'Bea Inc', 'business', 'US', 'USD')
                """)
        }
        return queue
    }

    /// The `n`th event of a log that takes turns between two cases.
    func event(_ n: Int) throws -> PreparedEvent {
        var instants = InstantText()
        let recorded = RecordedEvent(at: Fixtures.importedAt.addingTimeInterval(Double(n)), actor: .system,
                                     event: .tick(asOf: CivilDate(daysSinceEpoch: 20_000 + n)))
        return try PreparedEvent(recorded, accountID: n % 2 == 0 ? "A-1" : "A-2", seq: n / 2 + 1, kind: "tick", instants: &instants)
    }

    func testEventsInsertedManyToAStatementTakeTheirIdsInTheOrderTheyWereAdded() throws {
        let queue = try log()
        let count = EventAppender.rows * 2 + 5
        let events = try (0..<count).map(event)
        try queue.write { db in
            var appender = EventAppender(db: db)
            for event in events { try appender.add(event) }
            // The full statements are written as they fill; the rest waits for `flush`.
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events"), EventAppender.rows * 2)
            try appender.flush()
            try appender.flush()
        }
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, case_id, seq, at, actor, actor_role, kind, payload FROM events ORDER BY id")
        }
        XCTAssertEqual(rows.count, count)
        for (n, (row, event)) in zip(rows, events).enumerated() {
            XCTAssertEqual(row["id"] as Int64, Int64(n + 1))
            XCTAssertEqual(row["case_id"] as String, event.accountID)
            XCTAssertEqual(row["seq"] as Int, event.seq)
            XCTAssertEqual(row["at"] as String, event.at)
            XCTAssertEqual(row["actor"] as String, event.actor)
            XCTAssertEqual(row["actor_role"] as String, event.role)
            XCTAssertEqual(row["kind"] as String, event.kind)
            XCTAssertEqual(row["payload"] as String, event.payload)
        }
    }

    func testStatementTheLogRefusesThrowsAndItsTransactionWritesNothing() throws {
        let queue = try log()
        var refused = try event(4)
        refused.seq = try event(2).seq  // the same case and sequence number as an event before it
        XCTAssertThrowsError(try queue.write { db in
            var appender = EventAppender(db: db)
            for n in 0..<4 { try appender.add(try event(n)) }
            try appender.add(refused)
            try appender.flush()
        }) { error in
            XCTAssertTrue("\(error)".contains("UNIQUE"), "\(error)")
        }
        XCTAssertEqual(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") }, 0)
    }
}
