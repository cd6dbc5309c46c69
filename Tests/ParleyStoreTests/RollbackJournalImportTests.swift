import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// An import into an empty store that no other connection has open writes its pages into the
/// file once, with a rollback journal, and leaves the file in WAL mode (`RollbackJournalSpell`);
/// otherwise it keeps the WAL, as every other write does.
final class RollbackJournalImportTests: TemporaryDirectoryTestCase {
    var path: String { directory.appendingPathComponent("parley.sqlite").path }

    func files(accounts: Int, badPaymentLast: Bool = false) -> ImportFiles {
        Fixtures.generatedFiles(accounts: accounts, badPaymentLast: badPaymentLast)
    }

    func journalMode(_ store: SQLiteCaseStore) async throws -> String? {
        try await store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
    }

    func count(_ table: String, _ store: SQLiteCaseStore) async throws -> Int {
        try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
    }

    /// The size of the store's WAL file, 0 when there is none.
    var walSize: Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? 0
    }

    /// Imports `accounts` generated accounts into `store`: all of them added, the file written
    /// once or not as `wroteOnce` says, and in WAL mode after it.
    func importChecked(_ accounts: Int, into store: SQLiteCaseStore, wroteOnce: Bool, file: StaticString = #filePath, line: UInt = #line) async throws {
        let summary = try await store.importPortfolio(files(accounts: accounts), map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        XCTAssertEqual(summary.accountsAdded, accounts, file: file, line: line)
        XCTAssertEqual(store.lastLargeTransactionWroteFileOnce, wroteOnce, file: file, line: line)
        let mode = try await journalMode(store)
        XCTAssertEqual(mode, "wal", file: file, line: line)
    }

    func testAnImportIntoAnEmptyStoreWritesTheFileOnceAndLeavesItInWALMode() async throws {
        let store = try SQLiteCaseStore(path: path)
        // A reader of this process that has read holds the file: the import closes it first.
        let accountsBefore = try await count("accounts", store)
        XCTAssertEqual(accountsBefore, 0)
        try await importChecked(300, into: store, wroteOnce: true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-journal"))
        // Nothing of the import is in the WAL: it holds the write of nothing that starts it
        // (`RollbackJournalSpell.end`), two pages, so that a store opening later needs no write.
        XCTAssertGreaterThan(walSize, 0)
        XCTAssertLessThanOrEqual(walSize, 32 + 2 * (24 + SQLiteCaseStore.pageSize))
        // The writer's settings are back: WAL's `synchronous` (NORMAL, as GRDB sets it).
        let synchronous = try await store.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        XCTAssertEqual(synchronous, 1)

        // The database file alone holds the import, whole.
        let copy = directory.appendingPathComponent("file-alone.sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let alone = try DatabaseQueue(path: copy)
        let (accounts, events, integrity) = try await alone.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts"), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events"),
             try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
        XCTAssertEqual(accounts, 300)
        let storeEvents = try await count("events", store)
        XCTAssertEqual(events, storeEvents)
        XCTAssertEqual(integrity, ["ok"])

        // The store reads and writes on as before, the next import into it with the WAL.
        let page = try await store.queue(QueueQuery(limit: 10))
        XCTAssertEqual(page.entries.count, 10)
        let more = try await store.importPortfolio(Fixtures.generatedFiles(accounts: 20, idPrefix: "B"), map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        XCTAssertEqual(more.accountsAdded, 20)
        XCTAssertFalse(store.lastLargeTransactionWroteFileOnce)
        let accountsNow = try await count("accounts", store)
        XCTAssertEqual(accountsNow, 320)
    }

    /// Inside the spell: a rollback journal, synced in full; after it, WAL mode and WAL's setting.
    func testTheSpellsSettingsInsideAndAfter() async throws {
        let store = try SQLiteCaseStore(path: path)
        @Sendable func settings(_ db: Database) throws -> [String] {
            [try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "", try String.fetchOne(db, sql: "PRAGMA synchronous") ?? ""]
        }
        let inside = try await store.writeLargeTransaction(writingOnceIntoEmptyStore: true, settings)
        XCTAssertEqual(inside, ["delete", "2"])
        XCTAssertTrue(store.lastLargeTransactionWroteFileOnce)
        let after = try await store.write(settings)
        XCTAssertEqual(after, ["wal", "1"])
        // Without the spell asked for, or into a store with records, the WAL is kept.
        let kept = try await store.writeLargeTransaction(settings)
        XCTAssertEqual(kept, ["wal", "1"])
        XCTAssertFalse(store.lastLargeTransactionWroteFileOnce)
        _ = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)
        let withRecords = try await store.writeLargeTransaction(writingOnceIntoEmptyStore: true, settings)
        XCTAssertEqual(withRecords, ["wal", "1"])
        XCTAssertFalse(store.lastLargeTransactionWroteFileOnce)
        store.finishCheckpoints()
    }

    func testAnotherConnectionOnTheFileKeepsTheImportInTheWAL() async throws {
        let store = try SQLiteCaseStore(path: path)
        // A workbench, say: another store on the file, which has read from it.
        let other = try SQLiteCaseStore(path: path)
        let seenBefore = try await count("accounts", other)
        XCTAssertEqual(seenBefore, 0)
        try await importChecked(120, into: store, wroteOnce: false)
        let seenAfter = try await count("accounts", other)
        XCTAssertEqual(seenAfter, 120)
        store.finishCheckpoints()
    }

    func testAFailedImportIntoAnEmptyStoreWritesNothingAndLeavesTheFileInWALMode() async throws {
        let store = try SQLiteCaseStore(path: path)
        let before = try Fixtures.snapshot(path)
        do {
            _ = try await store.importPortfolio(files(accounts: 300, badPaymentLast: true), map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
            XCTFail("the import should have failed on its last payment")
        } catch let error as ImportError {
            XCTAssertEqual(error.file, "payments.csv")
        }
        let mode = try await journalMode(store)
        XCTAssertEqual(mode, "wal")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-journal"))
        XCTAssertEqual(try Fixtures.snapshot(path), before)
        // Then the good files import, the file written once.
        try await importChecked(300, into: store, wroteOnce: true)
    }
}
