import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import Synchronization
import XCTest

/// An import into an empty SQLite store drops the indexes and triggers for its writes and makes
/// them again before it commits (`ImportSchema`): the schema and every row must be what an
/// import that kept them writes.
final class ImportSchemaTests: TemporaryDirectoryTestCase {
    func demo() throws -> ImportBatch { try PortfolioImporter().read(.directory(SampleDemoTests.sampleData)) }

    func store(_ name: String) throws -> SQLiteCaseStore {
        try SQLiteCaseStore(path: directory.appendingPathComponent(name).path)
    }

    /// Tables in `sqlite_master` order, then every index and trigger by name (the partial
    /// indexes, kept by the import, come first in `sqlite_master` after it).
    func schema(_ store: SQLiteCaseStore) throws -> [String] { try schema(path: store.path) }

    func schema(path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT type || ' ' || name || ' ' || tbl_name || ': ' || sql FROM sqlite_master WHERE sql IS NOT NULL AND type = 'table' ORDER BY rowid")
                + ImportSchema.definitions(db).map { "\($0.type) \($0.name) partial \($0.partial): \($0.sql)" }.sorted()
        }
    }

    func partialIndexes(_ store: SQLiteCaseStore) throws -> Set<String> {
        try DatabaseQueue(path: store.path).read { db in Set(try ImportSchema.definitions(db).filter(\.partial).map(\.name)) }
    }

    /// Every row of every table (sorted).
    func rows(_ store: SQLiteCaseStore) throws -> [String: [String]] { try rows(path: store.path) }

    func rows(path: String) throws -> [String: [String]] {
        try DatabaseQueue(path: path).read { db in
            var result: [String: [String]] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
                result[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)").map(\.description).sorted()
            }
            return result
        }
    }

    func indexRowIDs(_ store: SQLiteCaseStore) throws -> [String: Int64] {
        try DatabaseQueue(path: store.path).read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, rowid FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL")
                .map { ($0["name"] as String, $0["rowid"] as Int64) })
        }
    }

    func integrityCheck(_ store: SQLiteCaseStore) throws -> [String] {
        try DatabaseQueue(path: store.path).read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
    }

    /// The bench's floor (`ImportFloor`): sqlite3's shell, given the script, writes the rows the
    /// import wrote into a new file with the same schema, the imported file left as it was.
    func testTheFloorScriptMakesTheImportedDatabaseAgainInANewFile() async throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "the floor is written by /usr/bin/sqlite3")
        let store = try store("imported 'demo'.sqlite")
        _ = try await store.importPortfolio(try demo(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        store.finishCheckpoints()
        let imported = try rows(store)
        let script = try ImportFloor.script(copying: store.path)
        let floor = directory.appendingPathComponent("floor.sqlite").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-bail", floor]
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        XCTAssertEqual(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "")
        XCTAssertEqual(process.terminationStatus, 0)

        XCTAssertEqual(try schema(path: floor), try schema(store))
        let copied = try rows(path: floor)
        XCTAssertEqual(copied, imported)
        XCTAssertGreaterThan(copied["events"]?.count ?? 0, 0)
        XCTAssertGreaterThan(copied["invoices"]?.count ?? 0, 0)
        XCTAssertEqual(try rows(store), imported)
        let settings = try await DatabaseQueue(path: floor).read { db in
            (try Int.fetchOne(db, sql: "PRAGMA page_size"), try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
        XCTAssertEqual(settings.0, SQLiteCaseStore.pageSize)
        XCTAssertEqual(settings.1, "delete")
        XCTAssertEqual(settings.2, ["ok"])
    }

    func testImportIntoAnEmptyStoreLeavesTheSchemaAsItWas() async throws {
        let store = try store("relaxed.sqlite")
        let before = try schema(store)
        let rowIDsBefore = try indexRowIDs(store)
        _ = try await store.importPortfolio(try demo(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        XCTAssertEqual(try schema(store), before)
        // The indexes and triggers were made again (new entries in sqlite_master), not kept, but
        // for the partial indexes, which were kept.
        let rowIDsAfter = try indexRowIDs(store)
        XCTAssertEqual(Set(rowIDsAfter.keys), Set(rowIDsBefore.keys))
        let partial = try partialIndexes(store)
        XCTAssertEqual(partial, ["events_letters_by_day", "events_placed_by_day", "events_escalated_to_agency_by_day", "events_recalled", "events_closing", "events_by_work_kind",
                                 "events_contact_facts", "cases_queued_ids"])
        // Every whole index was made again, `events_by_at` with the rest.
        XCTAssertNotNil(rowIDsBefore["events_by_at"])
        for (name, rowID) in rowIDsBefore {
            if partial.contains(name) {
                XCTAssertEqual(rowIDsAfter[name], rowID, name)
            } else {
                XCTAssertNotEqual(rowIDsAfter[name], rowID, name)
            }
        }
        XCTAssertEqual(try integrityCheck(store), ["ok"])
    }

    /// The import of files into an empty store makes the indexes of the debtor words, the
    /// invoices and the payments as soon as their files are read, before the rows of the next
    /// file (and the cases and their log, last of all) are written, and leaves the schema as the
    /// other import does.
    func testTheFilesImportMakesATablesIndexesOnceItsRowsAreWritten() async throws {
        let path = directory.appendingPathComponent("traced.sqlite").path
        let statements = Mutex<[String]>([])
        let store = try SQLiteCaseStore(path: path, runBatch: 1_000, traceStatements: { sql in statements.withLock { $0.append(sql) } })
        let before = try schema(store)
        statements.withLock { $0.removeAll() }
        _ = try await store.importPortfolio(Fixtures.generatedFiles(accounts: 400), map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        let trace = statements.withLock { $0 }
        func first(_ prefix: String) -> Int? { trace.firstIndex { $0.hasPrefix(prefix) } }
        func last(_ prefix: String) -> Int? { trace.lastIndex { $0.hasPrefix(prefix) } }
        let words = try XCTUnwrap(first("CREATE INDEX debtor_words_by_account"))
        let invoices = try XCTUnwrap(first("CREATE INDEX invoices_by_account"))
        let payments = try XCTUnwrap(first("CREATE INDEX payments_by_account"))
        let queue = try XCTUnwrap(first("CREATE INDEX cases_queue_order"))
        XCTAssertGreaterThan(words, try XCTUnwrap(last("INSERT OR IGNORE INTO debtor_words")))
        XCTAssertLessThan(words, try XCTUnwrap(first("INSERT INTO invoices")))
        XCTAssertGreaterThan(invoices, try XCTUnwrap(last("INSERT INTO invoices")))
        XCTAssertLessThan(invoices, try XCTUnwrap(first("INSERT INTO payments")))
        XCTAssertGreaterThan(payments, try XCTUnwrap(last("INSERT INTO payments")))
        XCTAssertLessThan(payments, try XCTUnwrap(first("INSERT INTO events")))
        XCTAssertGreaterThan(queue, try XCTUnwrap(last("INSERT INTO events")))
        for name in ["debtor_words_by_account", "invoices_by_account", "payments_by_account", "cases_queue_order"] {
            XCTAssertEqual(trace.filter { $0.hasPrefix("CREATE INDEX \(name) ") }.count, 1, name)
        }
        XCTAssertEqual(try schema(store), before)
        XCTAssertEqual(try integrityCheck(store), ["ok"])
    }

    func testImportWithoutIndexesWritesEveryRowAsAnImportWithThem() async throws {
        let batch = try demo()
        let relaxed = try store("relaxed.sqlite"), kept = try store("kept.sqlite")
        let a = try await relaxed.importPortfolio(batch, actor: Fixtures.clerk, at: Fixtures.importedAt, dropIndexes: true)
        let b = try await kept.importPortfolio(batch, actor: Fixtures.clerk, at: Fixtures.importedAt, dropIndexes: false)
        XCTAssertEqual(a, b)
        let relaxedRows = try rows(relaxed), keptRows = try rows(kept)
        XCTAssertEqual(Set(relaxedRows.keys), Set(keptRows.keys))
        for (table, expected) in keptRows { XCTAssertEqual(relaxedRows[table], expected, table) }
        XCTAssertFalse(keptRows["debtor_words"]?.isEmpty ?? true)
        XCTAssertEqual(try schema(relaxed), try schema(kept))
        // The queue reads the counts and the words the triggers would have written.
        for filter in [nil, "a", "ltd"] {
            let page = try await relaxed.queue(QueueQuery(filter: filter))
            let keptPage = try await kept.queue(QueueQuery(filter: filter))
            XCTAssertEqual(page, keptPage, filter ?? "no filter")
            XCTAssertGreaterThan(page.total, 0, filter ?? "no filter")
        }
    }

    func testFailedImportIntoAnEmptyStoreKeepsItsIndexesAndWritesNothing() async throws {
        let store = try store("failed.sqlite")
        let before = try schema(store)
        let rowsBefore = try rows(store)
        var batch = Fixtures.portfolio
        batch.invoices.append(Invoice(id: "INV-9", accountID: "A-999", issuedOn: Fixtures.date("2026-07-01"), dueOn: Fixtures.date("2026-08-01"), amount: Fixtures.eur(100)))
        do {
            _ = try await store.importPortfolio(batch, actor: Fixtures.clerk, at: Fixtures.importedAt)
            XCTFail("an invoice of an unknown account was imported")
        } catch StoreError.unknownAccountForInvoice(let invoice, let account) {
            XCTAssertEqual(invoice, "INV-9")
            XCTAssertEqual(account, "A-999")
        }
        XCTAssertEqual(try schema(store), before)
        XCTAssertEqual(try rows(store), rowsBefore)
    }

    func testSecondImportKeepsTheIndexesOfTheRecordsAlreadyThere() async throws {
        let store = try store("second.sqlite")
        _ = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)
        let rowIDs = try indexRowIDs(store)
        let summary = try await store.importPortfolio(try demo(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        XCTAssertGreaterThan(summary.accountsAdded, 0)
        XCTAssertEqual(try indexRowIDs(store), rowIDs)
    }
}
