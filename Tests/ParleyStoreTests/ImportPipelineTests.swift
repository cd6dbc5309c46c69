import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// The SQLite import that reads the files on one thread while it writes on another must write
/// what reading everything first and then importing the batch writes, and fail the same way.
final class ImportPipelineTests: TemporaryDirectoryTestCase {
    func store(_ name: String, busyTimeout: TimeInterval = 10) throws -> SQLiteCaseStore {
        try SQLiteCaseStore(path: directory.appendingPathComponent(name).path, busyTimeout: busyTimeout)
    }

    func sample(_ file: String) throws -> String {
        try String(contentsOfFile: SampleDemoTests.sampleData + "/" + file, encoding: .utf8)
    }

    /// The demo's files, with `extraPayments` rows after its payments and `extraHistory` after
    /// its history.
    func demoFiles(extraPayments: [String] = [], extraHistory: [String] = []) throws -> ImportFiles {
        func appending(_ file: String, _ rows: [String]) throws -> String {
            try sample(file).trimmingCharacters(in: .newlines) + "\n" + rows.map { $0 + "\n" }.joined()
        }
        return ImportFiles(accounts: .text(try sample("accounts.csv"), name: "accounts.csv"),
                           invoices: .text(try sample("invoices.csv"), name: "invoices.csv"),
                           payments: .text(try appending("payments.csv", extraPayments), name: "payments.csv"),
                           history: .text(try appending("history.csv", extraHistory), name: "history.csv"))
    }

    /// Many small accounts, each with invoices and a payment: more records than the channel
    /// holds at once.
    func largeFiles(accounts: Int, badPaymentLast: Bool = false) -> ImportFiles {
        Fixtures.generatedFiles(accounts: accounts, badPaymentLast: badPaymentLast)
    }

    func rows(_ store: SQLiteCaseStore) throws -> [String: [String]] {
        try DatabaseQueue(path: store.path).read { db in
            var result: [String: [String]] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
                result[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)").map(\.description).sorted()
            }
            return result
        }
    }

    func assertSameRows(_ a: SQLiteCaseStore, _ b: SQLiteCaseStore, file: StaticString = #filePath, line: UInt = #line) throws {
        let x = try rows(a), y = try rows(b)
        XCTAssertEqual(Set(x.keys), Set(y.keys), file: file, line: line)
        for (table, expected) in y { XCTAssertEqual(x[table], expected, table, file: file, line: line) }
    }

    func testPipelinedImportWritesWhatTheBatchImportWrites() async throws {
        for files in [try demoFiles(), largeFiles(accounts: 1500)] {
            let piped = try store("piped-\(UUID().uuidString).sqlite"), batched = try store("batched-\(UUID().uuidString).sqlite")
            let a = try await piped.importPortfolio(files, map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
            let b = try await batched.importPortfolio(try PortfolioImporter().read(files), actor: Fixtures.clerk, at: Fixtures.importedAt)
            XCTAssertEqual(a, b)
            XCTAssertGreaterThan(a.accountsAdded, 0)
            try assertSameRows(piped, batched)
        }
    }

    /// Into an empty store the reading thread takes the records through the lifecycle; with that
    /// turned off the writer's thread does: the same rows, the same summary.
    /// Debtor names whose words are easy to get wrong: cases, repeats, spaces doubled and at the
    /// ends, letters beyond ASCII (SQLite's `lower` leaves them as they are), punctuation.
    func namesFiles() -> ImportFiles {
        let names = ["ACME  Widgets Ltd", " Café Noir CAFÉ café ", "Müller & SÖHNE GmbH", "a a A", "x-Y_z O'Brien", "Ærø ÅS", "Tab\tName Co", "ZZ"]
        var a = "account_id,debtor_name,debtor_kind,country,currency\n"
        var i = "invoice_id,account_id,issued_on,due_on,amount\n"
        var p = "payment_id,account_id,invoice_id,paid_on,amount\n"
        for (n, name) in names.enumerated() {
            a += "N-\(n),\"\(name)\",business,GB,GBP\n"
            i += "INV-N-\(n),N-\(n),2026-08-01,2026-09-01,10.00\n"
            p += "P-N-\(n),N-\(n),INV-N-\(n),2026-09-15,1.00\n"
        }
        return ImportFiles(accounts: .text(a, name: "accounts.csv"), invoices: .text(i, name: "invoices.csv"), payments: .text(p, name: "payments.csv"))
    }

    func testLifecycleOnTheReadingThreadWritesWhatTheWritersThreadWrites() async throws {
        for files in [try demoFiles(), largeFiles(accounts: 3000), namesFiles()] {
            let stepped = try store("stepped-\(UUID().uuidString).sqlite")
            let written = try SQLiteCaseStore(path: directory.appendingPathComponent("written-\(UUID().uuidString).sqlite").path,
                                              runBatch: 1_000, importStepsOnReader: false)
            let a = try await stepped.importPortfolio(files, map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
            let b = try await written.importPortfolio(files, map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
            XCTAssertEqual(a, b)
            XCTAssertGreaterThan(a.eventsRecorded, a.accountsAdded)
            try assertSameRows(stepped, written)
            // The invoices and payments (written several to a statement on the reading thread's
            // way, one a statement on the writer's) in the same order; each invoice read back
            // paid what its payments paid of it.
            for sql in ["SELECT rowid, id, amount_minor FROM invoices ORDER BY rowid", "SELECT rowid, id, invoice_id FROM payments ORDER BY rowid"] {
                let x = try await DatabaseQueue(path: stepped.path).read { db in try Row.fetchAll(db, sql: sql).map(\.description) }
                let y = try await DatabaseQueue(path: written.path).read { db in try Row.fetchAll(db, sql: sql).map(\.description) }
                XCTAssertEqual(x, y, sql)
                XCTAssertGreaterThan(x.count, 7, sql)
            }
            let sums = try await DatabaseQueue(path: stepped.path).read { db in
                try Row.fetchAll(db, sql: """
                    SELECT i.account_id, i.id, (SELECT COALESCE(SUM(p.amount_minor), 0) FROM payments p WHERE p.invoice_id = i.id) AS paid
                    FROM invoices i ORDER BY i.account_id, i.id
                    """).map { (account: $0["account_id"] as String, invoice: $0["id"] as String, paid: $0["paid"] as Int64) }
            }
            XCTAssertTrue(sums.contains { $0.paid > 0 })
            var accounts: [String: Account] = [:]
            for sum in sums {
                if accounts[sum.account] == nil { accounts[sum.account] = try await stepped.account(id: sum.account) }
                let invoice = accounts[sum.account]?.invoices.first { $0.id == sum.invoice }
                XCTAssertEqual(invoice?.paid.minorUnits, sum.paid, sum.invoice)
            }
            // And the days after it: the daily run reads what either wrote alike.
            for day in ["2026-11-05", "2026-11-06", "2026-11-07"] {
                let x = try await stepped.runDaily(asOf: CivilDate(iso: day)!, actor: .system, at: Fixtures.importedAt)
                let y = try await written.runDaily(asOf: CivilDate(iso: day)!, actor: .system, at: Fixtures.importedAt)
                XCTAssertEqual(x, y, day)
            }
            try assertSameRows(stepped, written)
        }
    }

    /// The lifecycle refusing a history row on the reading thread fails the import as the
    /// writer's thread would, and writes nothing; a bad row in a file still comes first.
    func testRefusalOnTheReadingThreadFailsTheImportAndWritesNothing() async throws {
        // Placing a disputed case with the agency is refused.
        let refused = ["A-0001,2026-11-01T10:00:00+01:00,carmen,dispute,,,,Not my order.",
                       "A-0001,2026-11-02T10:00:00+01:00,system,placed,,,,"]
        for stepsOnReader in [true, false] {
            let store = try SQLiteCaseStore(path: directory.appendingPathComponent("refused-\(stepsOnReader).sqlite").path,
                                            runBatch: 1_000, importStepsOnReader: stepsOnReader)
            let before = try rows(store)
            do {
                _ = try await store.importPortfolio(try demoFiles(extraHistory: refused), map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
                XCTFail("a refused history row was imported")
            } catch StoreError.historyRefused(let account, let at, let event, _) {
                XCTAssertEqual([account, at, event], ["A-0001", "2026-11-02T10:00:00+01:00", "placed"])
            }
            XCTAssertEqual(try rows(store), before)
            do {
                _ = try await store.importPortfolio(try demoFiles(extraHistory: refused + ["A-0001,yesterday,carmen,note,,,,x"]),
                                                    map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
                XCTFail("a bad history row was imported")
            } catch let error as ImportError {
                XCTAssertEqual(error.column, "at", "\(error)")
            }
            XCTAssertEqual(try rows(store), before)
        }
    }

    func testPipelinedImportIntoAStoreWithRecordsSkipsThoseAlreadyPresent() async throws {
        let piped = try store("piped.sqlite"), batched = try store("batched.sqlite")
        for store in [piped, batched] {
            _ = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)
        }
        let files = try demoFiles()
        let first = try await piped.importPortfolio(files, map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        let known = SQLiteCaseStore.knownRecords(batched.pool)
        let second = try await batched.importPortfolio(try PortfolioImporter().read(files, known: known), actor: Fixtures.clerk, at: Fixtures.importedAt)
        XCTAssertEqual(first, second)
        let again = try await piped.importPortfolio(files, map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        XCTAssertEqual(again.accountsAdded, 0)
        XCTAssertEqual(again.accountsAlreadyPresent, first.accountsAdded)
        try assertSameRows(piped, batched)
    }

    /// The import's transaction leaves SQLite's foreign keys unchecked (the import checks every
    /// reference itself): into an empty store and into one with records, none is left broken,
    /// and the writer checks them again afterwards.
    func testAnImportLeavesNoBrokenReferenceAndTheForeignKeysCheckedAgain() async throws {
        let empty = try store("empty.sqlite"), held = try store("held.sqlite")
        _ = try await held.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)
        for store in [empty, held] {
            let summary = try await store.importPortfolio(try demoFiles(), map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
            XCTAssertGreaterThan(summary.paymentsAdded, 0)
            try await store.pool.write { db in
                XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count, 0)
                XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), 1)
                XCTAssertThrowsError(try db.execute(sql: """
                    INSERT INTO invoices (id, account_id, issued_on, due_on, amount_minor, currency) VALUES ('INV-X', 'A-NONE', '2026-01-01', '2026-02-01', 100, 'EUR')
                    """)) { error in
                    XCTAssertEqual((error as? DatabaseError)?.extendedResultCode, .SQLITE_CONSTRAINT_FOREIGNKEY)
                }
            }
        }
    }

    func testBadRowAfterManyWrittenRecordsFailsWithTheReadersErrorAndWritesNothing() async throws {
        for files in [try demoFiles(extraPayments: ["P-9999999,A-9999,,2026-10-01,12.00"]), largeFiles(accounts: 1500, badPaymentLast: true)] {
            let store = try store("bad-\(UUID().uuidString).sqlite")
            let before = try rows(store)
            var expected = ""
            do { _ = try PortfolioImporter().read(files) } catch { expected = "\(error)" }
            XCTAssertFalse(expected.isEmpty)
            do {
                _ = try await store.importPortfolio(files, map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
                XCTFail("a bad row was imported")
            } catch let error as ImportError {
                XCTAssertEqual("\(error)", expected)
            }
            XCTAssertEqual(try rows(store), before)
        }
    }

    func testWhenTheWriteFailsTheFilesErrorComesFirstAsWhenTheyWereReadFirst() async throws {
        let path = directory.appendingPathComponent("locked.sqlite").path
        let impatient = try SQLiteCaseStore(path: path, busyTimeout: 0.2)
        let lock = Fixtures.WriteLockHolder(path: path)
        try lock.acquire()
        defer { lock.release() }
        // A bad row: the reader's error, though the write could not even start.
        do {
            _ = try await impatient.importPortfolio(largeFiles(accounts: 1500, badPaymentLast: true), map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
            XCTFail("a bad row was imported")
        } catch let error as ImportError {
            XCTAssertEqual(error.kind, .malformedAmount)
        }
        // Good files: the store's error.
        do {
            _ = try await impatient.importPortfolio(largeFiles(accounts: 1500), map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
            XCTFail("the import wrote while another writer held the lock")
        } catch StoreError.locked(let notice) {
            XCTAssertTrue(notice.path.hasSuffix("locked.sqlite"), notice.path)
        }
    }
}
