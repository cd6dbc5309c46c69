import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// A database written before the compact state holds every state in the long form
/// (`JSONEncoder`'s): it reads, runs and answers as one written since, and each state it writes
/// again is compact.
final class CompactStateTests: TemporaryDirectoryTestCase {
    func importedDemo(_ name: String) async throws -> (SQLiteCaseStore, String) {
        let path = directory.appendingPathComponent(name).path
        let store = try SQLiteCaseStore(path: path, runBatch: 64)
        let sample = SampleDemoTests.sampleData
        let files = ImportFiles(accounts: .file(path: sample + "/accounts.csv"), invoices: .file(path: sample + "/invoices.csv"),
                                payments: .file(path: sample + "/payments.csv"), history: .file(path: sample + "/history.csv"))
        _ = try await store.importPortfolio(files, map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        return (store, path)
    }

    func states(_ path: String) throws -> [String: String] {
        try Dictionary(uniqueKeysWithValues: Fixtures.queue(path).read { db in
            try Row.fetchAll(db, sql: "SELECT case_id, state FROM case_states").map { ($0["case_id"] as String, $0["state"] as String) }
        })
    }

    func casesTable(_ path: String) throws -> [[String]] {
        try Fixtures.queue(path).read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM cases ORDER BY account_id").map { row in row.databaseValues.map(\.description) }
        }
    }

    /// Every state of the database in the long form, as a database from before the compact form holds it.
    func makeLong(_ path: String) async throws {
        let texts = try states(path)
        try await Fixtures.queue(path).write { db in
            for (id, text) in texts {
                let long = try StoreCodec.encode(try StoreCodec.decodeState(text))
                XCTAssertFalse(FastStateDecoder.isCompact(long))
                try db.execute(sql: "UPDATE case_states SET state = ? WHERE case_id = ?", arguments: [long, id])
            }
        }
    }

    func testADatabaseOfLongStatesRunsAsOneOfCompactStates() async throws {
        let (compactStore, compactPath) = try await importedDemo("compact.sqlite")
        let (longStore, longPath) = try await importedDemo("long.sqlite")
        let imported = try states(compactPath)
        XCTAssertEqual(imported.count, 220)
        XCTAssertTrue(imported.values.allSatisfy(FastStateDecoder.isCompact))
        // The long form, as a database from before this form holds it.
        try await makeLong(longPath)
        XCTAssertTrue(try states(longPath).values.allSatisfy { !FastStateDecoder.isCompact($0) })

        let today = CivilDate(utcInstant: Fixtures.importedAt)
        for offset in [1, 2, 3, 4, 9, 16, 30] {
            let day = today.adding(days: offset)
            let at = Fixtures.importedAt.addingTimeInterval(Double(offset) * 86_400)
            let a = try await compactStore.runDaily(asOf: day, actor: .system, at: at)
            let b = try await longStore.runDaily(asOf: day, actor: .system, at: at)
            XCTAssertEqual(a, b, "day \(offset)")
            XCTAssertEqual(try casesTable(compactPath), try casesTable(longPath), "day \(offset)")
            let (compact, long) = (try states(compactPath), try states(longPath))
            XCTAssertEqual(try compact.mapValues(StoreCodec.decodeState), try long.mapValues(StoreCodec.decodeState), "day \(offset)")
            if offset <= 4 {
                // Until day four the other database is made long again after each run, and read
                // by `JSONDecoder` alone: what the compact form reads back is what was written.
                try await makeLong(longPath)
                XCTAssertEqual(try compact.mapValues(StoreCodec.decodeState),
                               try states(longPath).mapValues { try StoreCodec.decode(CaseState.self, from: $0) }, "day \(offset)")
            }
        }
        // Every state the runs wrote again is compact, byte for byte the other database's; the
        // ones no run changed (closed cases) are still long, and read the same.
        let (compact, long) = (try states(compactPath), try states(longPath))
        var rewritten = 0
        for (id, text) in long where FastStateDecoder.isCompact(text) {
            XCTAssertEqual(text, compact[id])
            rewritten += 1
        }
        XCTAssertGreaterThan(rewritten, 20)
        let queueA = try await compactStore.queue(QueueQuery(limit: 300))
        let queueB = try await longStore.queue(QueueQuery(limit: 300))
        XCTAssertEqual(queueA, queueB)
        let historyA = try await compactStore.history(accountID: "A-0003")
        let historyB = try await longStore.history(accountID: "A-0003")
        XCTAssertEqual(historyA, historyB)
        // What the runs wrote is what the log replays to: the projections rebuilt from the log
        // are the same states, byte for byte in the compact database.
        _ = try await compactStore.rebuildProjections()
        XCTAssertEqual(try states(compactPath), compact)
        _ = try await longStore.rebuildProjections()
        XCTAssertEqual(try states(longPath), compact)
    }
}
