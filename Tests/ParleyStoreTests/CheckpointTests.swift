import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// An import's or a run's commit leaves its pages in the WAL; a checkpoint on a thread of its
/// own copies them into the database file, and a command waits for it before it exits.
final class CheckpointTests: TemporaryDirectoryTestCase {
    let today = Fixtures.date("2026-11-23")

    func testALargeTransactionCommitsWithoutACheckpointAndTheFileHoldsItOnceTheCheckpointHasRun() async throws {
        let path = directory.appendingPathComponent("demo.sqlite").path
        _ = try await DefaultDatabase.open(DatabaseLocation(path: path, source: .dataDirectory), policy: .standard, today: today,
                                           now: Fixtures.importedAt, firstSupervisor: "sam") { _ in }
        let store = try SQLiteCaseStore(path: path)
        store.finishCheckpoints()

        // SQLite's own checkpoint is off inside the transaction, and on again after it; its page
        // cache is the large transactions' own size inside it, the writer's after it.
        @Sendable func settings(_ db: Database) throws -> [Int?] {
            [try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"), try Int.fetchOne(db, sql: "PRAGMA cache_size")]
        }
        let inside = try await store.writeLargeTransaction(settings)
        XCTAssertEqual(inside, [0, -SQLiteCaseStore.largeTransactionCacheKiB])
        let after = try await store.write(settings)
        XCTAssertEqual(after, [1_000, -131_072])

        let summary = try await store.runDaily(asOf: today, actor: .system, at: Fixtures.importedAt.addingTimeInterval(86_400))
        XCTAssertGreaterThan(summary.eventsRecorded, 0)
        store.finishCheckpoints()
        XCTAssertNotNil(store.lastCheckpoint)

        // The database file alone, without its WAL, holds the run.
        let copy = directory.appendingPathComponent("file-alone.sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let events = try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") }
        let alone = try DatabaseQueue(path: copy)
        let day = today.iso
        let (runs, copiedEvents) = try await alone.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE as_of = ?", arguments: [day]),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events"))
        }
        XCTAssertEqual(runs, 1)
        XCTAssertEqual(copiedEvents, events)
        let integrity = try await alone.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(integrity, ["ok"])
    }

    func testARefusedTransactionStartsNoCheckpointAndLeavesTheSettingAsItWas() async throws {
        let path = directory.appendingPathComponent("empty.sqlite").path
        let store = try SQLiteCaseStore(path: path)
        struct Refused: Error {}
        do {
            _ = try await store.writeLargeTransaction { db -> Int in
                try db.execute(sql: "INSERT INTO operators (name, role) VALUES ('x', 'collector')")
                throw Refused()
            }
            XCTFail("the transaction should have thrown")
        } catch is Refused {}
        store.finishCheckpoints()
        XCTAssertNil(store.lastCheckpoint)
        let (autocheckpoint, cacheSize, operators) = try await store.write { db in
            (try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"), try Int.fetchOne(db, sql: "PRAGMA cache_size"),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM operators WHERE name = 'x'"))
        }
        XCTAssertEqual(autocheckpoint, 1_000)
        XCTAssertEqual(cacheSize, -131_072)
        XCTAssertEqual(operators, 0)
    }

    /// A store let go while its checkpoint runs waits for it, so the checkpoint's connection is
    /// never the last to close (the last runs SQLite's close-time checkpoint, which locks the file
    /// whole): another connection with no busy timeout opens and reads the file at once, every time.
    func testTheFileOpensAtOnceWhileALetGoStoresCheckpointEnds() async throws {
        for round in 0..<40 {
            let path = directory.appendingPathComponent("round-\(round).sqlite").path
            do {
                let store = try SQLiteCaseStore(path: path)
                _ = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)
            }
            let reader = try DatabaseQueue(path: path)
            let accounts = try await reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts") }
            XCTAssertEqual(accounts, Fixtures.portfolio.accounts.count, "round \(round)")
        }
    }
}
