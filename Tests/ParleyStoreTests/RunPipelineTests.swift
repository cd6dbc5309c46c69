import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// The daily run stepped on two threads (`RunPipeline`, more cases due than one batch) against
/// the single-threaded run (every case due in one batch), over copies of the demo database.
final class RunPipelineTests: TemporaryDirectoryTestCase {
    let today = Fixtures.date("2026-11-23")

    /// The demo database, created in this test's directory under `name`.
    func demo(_ name: String) async throws -> String {
        let path = directory.appendingPathComponent(name).path
        _ = try await DefaultDatabase.open(DatabaseLocation(path: path, source: .dataDirectory), policy: .standard, today: today, now: Fixtures.importedAt) { _ in }
        return path
    }

    /// Every row of every table the run writes (the queue's counts and debtor words too).
    func contents(_ path: String) throws -> [String: [String]] {
        var result = try Fixtures.snapshot(path)
        let queue = try DatabaseQueue(path: path)
        try queue.read { db in
            for table in ["queue_counts", "debtor_words"] {
                result[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map { $0.description }
            }
        }
        return result
    }

    /// The daily runs of twelve days, the day's summaries.
    func runDays(_ store: SQLiteCaseStore, days: Int = 12) async throws -> [RunSummary] {
        var summaries: [RunSummary] = []
        for offset in 0..<days {
            let at = Fixtures.importedAt.addingTimeInterval(Double(offset + 1) * 86_400)
            summaries.append(try await store.runDaily(asOf: today.adding(days: offset), actor: .system, at: at))
        }
        return summaries
    }

    /// The live cases due on `day`, in account order: what the run steps.
    func due(_ path: String, on day: CivilDate) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: """
                SELECT account_id FROM cases WHERE next_due_day <= ? AND status NOT IN ('resolved', 'writtenOff') ORDER BY account_id
                """, arguments: [day.daysSinceEpoch])
        }
    }

    func testRunInSmallBatchesOnTwoThreadsWritesWhatTheOneBatchRunWrites() async throws {
        let onePath = try await demo("one.sqlite")
        let twoPath = try await demo("two.sqlite")
        let behindPath = try await demo("behind.sqlite")
        let sharedPath = try await demo("shared.sqlite")
        XCTAssertEqual(try contents(onePath), try contents(twoPath))
        // The first day steps many batches of 7, on both threads, and of each kind of case.
        XCTAssertGreaterThan(try due(onePath, on: today).count, 10 * 7)

        // The run updates each case's rows by the rowids it read them with: in `two` the two tables'
        // rowids are moved apart, so that one taken for the other finds no row, or the wrong one.
        try await DatabaseQueue(path: twoPath).write { db in
            try db.execute(sql: "UPDATE case_states SET rowid = rowid + 1000003; UPDATE cases SET rowid = rowid + 2000017")
        }
        let one = try await runDays(SQLiteCaseStore(path: onePath, runBatch: 1_000_000))
        let two = try await runDays(SQLiteCaseStore(path: twoPath, runBatch: 7))
        // Without the contact rows read ahead, the cases that may ask for them are stepped on the writer's thread.
        let behind = try await runDays(SQLiteCaseStore(path: behindPath, runBatch: 7, readsContactsAhead: false))
        // The writer's thread stepping the last 3 cases of every batch of 7 itself.
        let shared = try await runDays(SQLiteCaseStore(path: sharedPath, runBatch: 7, runWriterShare: 3))

        XCTAssertEqual(two, one)
        XCTAssertEqual(behind, one)
        XCTAssertEqual(shared, one)
        XCTAssertGreaterThan(one.map(\.eventsRecorded).reduce(0, +), 0)
        XCTAssertGreaterThan(one.map(\.placed.count).reduce(0, +), 0, "some cases are placed with the agency")
        XCTAssertGreaterThan(one.map(\.lettersDue).reduce(0, +), 0)
        let expected = try contents(onePath)
        XCTAssertEqual(try contents(twoPath), expected)
        XCTAssertEqual(try contents(behindPath), expected)
        XCTAssertEqual(try contents(sharedPath), expected)
    }

    func testPrioritiesOfTheCasesNotDueAreWhatTheOneBatchRunSets() async throws {
        // Half the live cases put off (nothing due for a month): the run does not step them, and
        // brings their priorities to the day; in batches of one (on two threads whenever two
        // cases are due), the stepping thread works them out and the writer sets them (on a
        // day when fewer than half the cases are due, asked for).
        let onePath = try await demo("one.sqlite")
        let twoPath = try await demo("two.sqlite")
        let putOff = """
            UPDATE cases SET next_due_day = next_due_day + 30
            WHERE next_due_day IS NOT NULL AND status NOT IN ('resolved', 'writtenOff') AND account_id IN
              (SELECT account_id FROM cases ORDER BY account_id LIMIT (SELECT COUNT(*) / 2 FROM cases))
            """
        for path in [onePath, twoPath] {
            try await DatabaseQueue(path: path).write { db in try db.execute(sql: putOff) }
        }
        let one = try SQLiteCaseStore(path: onePath, runBatch: 1_000_000)
        let two = try SQLiteCaseStore(path: twoPath, runBatch: 1, runPrioritiesAhead: true)
        let later = today.adding(days: 10).daysSinceEpoch
        func putOffPriorities() async throws -> [Int] {
            try await DatabaseQueue(path: onePath).read { db in
                try Int.fetchAll(db, sql: "SELECT priority FROM cases WHERE next_due_day > ? ORDER BY account_id", arguments: [later])
            }
        }
        var earlier: [Int]?
        for offset in 0..<3 {
            let day = today.adding(days: offset)
            XCTAssertGreaterThan(try due(twoPath, on: day).count, 1, "the run of \(day.iso) is stepped on two threads")
            let at = Fixtures.importedAt.addingTimeInterval(Double(offset + 1) * 86_400)
            let expected = try await one.runDaily(asOf: day, actor: .system, at: at)
            let summary = try await two.runDaily(asOf: day, actor: .system, at: at)
            XCTAssertEqual(summary, expected)
            XCTAssertEqual(try contents(twoPath), try contents(onePath), day.iso)
            let priorities = try await putOffPriorities()
            XCTAssertGreaterThan(priorities.count, 5)
            // Not a comparison of nothing: the cases put off change priority from day to day.
            if let earlier { XCTAssertNotEqual(priorities, earlier, day.iso) }
            earlier = priorities
        }
    }

    func testCaseThatCannotBeReadInTheMiddleOfTheRunLeavesNothingWrittenAndTheRunThrows() async throws {
        let path = try await demo("demo.sqlite")
        let ids = try due(path, on: today)
        XCTAssertGreaterThan(ids.count, 4 * 7)
        // A state the stepping thread cannot decode, some batches into the run.
        let broken = ids[ids.count / 2]
        let queue = try DatabaseQueue(path: path)
        let state = try await queue.read { db in try String.fetchOne(db, sql: "SELECT state FROM case_states WHERE case_id = ?", arguments: [broken]) }
        try await queue.write { db in try db.execute(sql: "UPDATE case_states SET state = '{\"broken\": true}' WHERE case_id = ?", arguments: [broken]) }
        let before = try contents(path)

        let store = try SQLiteCaseStore(path: path, runBatch: 7)
        do {
            _ = try await store.runDaily(asOf: today, actor: .system, at: Fixtures.importedAt)
            XCTFail("the run of a database with an unreadable state succeeded")
        } catch {}
        XCTAssertEqual(try contents(path), before)

        // Mended, the run goes through.
        try await queue.write { db in try db.execute(sql: "UPDATE case_states SET state = ? WHERE case_id = ?", arguments: [state, broken]) }
        let summary = try await store.runDaily(asOf: today, actor: .system, at: Fixtures.importedAt)
        XCTAssertEqual(summary.casesStepped, ids.count)
    }

    func testWriteRefusedInTheMiddleOfTheRunLeavesNothingWrittenAndTheSameRunAgainWritesWhatItShould() async throws {
        let path = try await demo("demo.sqlite")
        let referencePath = try await demo("reference.sqlite")
        let ids = try due(path, on: today)
        XCTAssertGreaterThan(ids.count, 4 * 7)
        // The database refuses the projection of a case in a late batch, after the earlier
        // batches' events and projections were written and while the next ones are stepped.
        let refused = ids[ids.count * 3 / 4]
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_one BEFORE UPDATE ON cases WHEN NEW.account_id = '\(refused)'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                """)
        }
        let before = try contents(path)

        let store = try SQLiteCaseStore(path: path, runBatch: 7)
        do {
            _ = try await store.runDaily(asOf: today, actor: .system, at: Fixtures.importedAt)
            XCTFail("the run succeeded though the database refused a write")
        } catch let error as StoreError {
            XCTAssertTrue("\(error)".contains("refused by the test"), "\(error)")
        }
        XCTAssertEqual(try contents(path), before)

        try await queue.write { db in try db.execute(sql: "DROP TRIGGER refuse_one") }
        let summary = try await store.runDaily(asOf: today, actor: .system, at: Fixtures.importedAt)
        let expected = try await SQLiteCaseStore(path: referencePath, runBatch: 1_000_000).runDaily(asOf: today, actor: .system, at: Fixtures.importedAt)
        XCTAssertEqual(summary, expected)
        XCTAssertEqual(try contents(path), try contents(referencePath))
    }
}
