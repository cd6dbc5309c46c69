import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// A small portfolio whose figures are worked out by hand in the tests.
///
/// A-100 Acme Tools GmbH (business, EUR): INV-1 1,000.00 due 2026-08-01, INV-2 500.00 due
/// 2026-10-01; PAY-1 200.00 paid 2026-09-01 on INV-1. Balance 1,300.00.
/// A-200 Zoë Müller (consumer, USD): INV-3 300.00 due 2026-11-01, disputed. Balance 300.00.
/// A-300 Brightside Ltd (business, GBP): INV-4 12,000.00 due 2026-06-15. Balance 12,000.00.
enum Fixtures {
    static func date(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }
    static func eur(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .eur) }
    static func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }
    static func gbp(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .gbp) }

    /// 2026-11-23T10:00:00Z
    static let importedAt = Date(timeIntervalSince1970: 1_795_428_000)
    static let clerk = Actor(name: "clerk", role: .supervisor)
    static let collector = Actor(name: "cora", role: .collector)

    /// Files of `accounts` generated accounts (`A-0`, `A-1`, …), each with three invoices (amounts
    /// and due days differing, the latest due first) and a payment of the first; with
    /// `invoices: false` the accounts alone (and empty invoice and payment files); with
    /// `badPaymentLast`, a payment of "ten pounds" after the rest.
    static func generatedFiles(accounts: Int, invoices: Bool = true, badPaymentLast: Bool = false, idPrefix: String = "") -> ImportFiles {
        var a = "account_id,debtor_name,debtor_kind,country,currency\n"
        var i = "invoice_id,account_id,issued_on,due_on,amount\n"
        var p = "payment_id,account_id,invoice_id,paid_on,amount\n"
        let (account, invoice, payment) = (idPrefix + "A-", idPrefix + "INV-", idPrefix + "P-")
        for n in 0..<accounts {
            a += "\(account)\(n),Debtor \(n) Ltd,business,GB,GBP\n"
            guard invoices else { continue }
            for k in 0..<3 { i += "\(invoice)\(n)-\(k),\(account)\(n),2026-08-01,2026-09-0\(3 - k),\(100 + n % 50).2\(k)\n" }
            p += "\(payment)\(n),\(account)\(n),\(invoice)\(n)-0,2026-09-15,10.00\n"
        }
        if badPaymentLast { p += "\(payment)bad,\(account)0,\(invoice)0-0,2026-09-15,ten pounds\n" }
        return ImportFiles(accounts: .text(a, name: "accounts.csv"), invoices: .text(i, name: "invoices.csv"), payments: .text(p, name: "payments.csv"))
    }

    static var portfolio: ImportBatch {
        let acme = ImportedAccount(id: "A-100", debtor: Debtor(name: "Acme Tools GmbH", kind: .business, contacts: [Contact(name: "Jens Acme", phone: "+49 30 1234567", email: "ap@acme.example", address: "Hauptstr. 1, Berlin")], timeZone: "Europe/Berlin", country: "DE"), currency: .eur, assignee: "cora")
        let zoe = ImportedAccount(id: "A-200", debtor: Debtor(name: "Zoë Müller", kind: .consumer, contacts: [Contact(name: "Zoë Müller", phone: "+1 312 555 0100")], timeZone: "America/Chicago", country: "US", region: "IL"), currency: .usd)
        let bright = ImportedAccount(id: "A-300", debtor: Debtor(name: "Brightside Ltd", kind: .business, contacts: [Contact(name: "Accounts", email: "accounts@brightside.example")], timeZone: "Europe/London", country: "GB"), currency: .gbp)
        return ImportBatch(
            accounts: [acme, zoe, bright],
            invoices: [
                Invoice(id: "INV-1", accountID: "A-100", issuedOn: date("2026-07-01"), dueOn: date("2026-08-01"), amount: eur(100_000)),
                Invoice(id: "INV-2", accountID: "A-100", issuedOn: date("2026-09-01"), dueOn: date("2026-10-01"), amount: eur(50_000)),
                Invoice(id: "INV-3", accountID: "A-200", issuedOn: date("2026-10-01"), dueOn: date("2026-11-01"), amount: usd(30_000), disputed: true),
                Invoice(id: "INV-4", accountID: "A-300", issuedOn: date("2026-05-15"), dueOn: date("2026-06-15"), amount: gbp(1_200_000)),
            ],
            payments: [
                Payment(id: "PAY-1", accountID: "A-100", invoiceID: "INV-1", paidOn: date("2026-09-01"), amount: eur(20_000)),
            ]
        )
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("parley-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every row of every table, as text: two equal snapshots mean an unchanged database.
    /// A connection of the test's own to the database at `path`, which waits for a lock another
    /// connection holds a moment (a connection closing, a checkpoint on its own thread), as the
    /// store's own readers do: without it a full `swift test` on a loaded machine read
    /// "database is locked" right after a lock was let go (here, and in `LogPositionTests`
    /// right after a daily run).
    static func queue(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    static func snapshot(_ path: String) throws -> [String: [String]] {
        let queue = try queue(path)
        return try queue.read { db in
            var result: [String: [String]] = [:]
            for table in ["accounts", "contacts", "invoices", "payments", "events", "cases", "runs"] {
                // A case's state is kept beside its row, in `case_states`.
                let from = table == "cases" ? "cases c JOIN case_states s ON s.case_id = c.account_id" : table
                result[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(from) ORDER BY 1").map { $0.description }
            }
            return result
        }
    }

    static func execute(_ sql: String, on queue: DatabaseQueue) throws {
        try queue.write { try $0.execute(sql: sql) }
    }

    static func executeOutsideTransaction(_ sql: String, on queue: DatabaseQueue) throws {
        try queue.writeWithoutTransaction { try $0.execute(sql: sql) }
    }

    /// Holds the database's write lock from another thread (a transaction that waits, then rolls
    /// back), as a second process in the middle of a write would.
    final class WriteLockHolder: @unchecked Sendable {
        let path: String
        private let started = DispatchSemaphore(value: 0)
        private let finish = DispatchSemaphore(value: 0)
        private let done = DispatchSemaphore(value: 0)

        struct RollBack: Error {}

        init(path: String) { self.path = path }

        func acquire() throws {
            let queue = try DatabaseQueue(path: path)
            Thread {
                _ = try? queue.write { db in
                    try db.execute(sql: "INSERT INTO operators (name, role) VALUES ('holder', 'collector')")
                    self.started.signal()
                    self.finish.wait()
                    throw RollBack()
                }
                self.done.signal()
            }.start()
            started.wait()
        }

        func release() {
            finish.signal()
            done.wait()
        }
    }
}

/// A test case with a fresh temporary `directory` of its own, removed after each test.
class TemporaryDirectoryTestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Databases as an earlier build made them, for the migrations' tests.
enum MigrationFixtures {
    /// The SELECT of a table's rows in this build's database (attached as `current`) as a
    /// database from before v11 holds them: there each debtor word carried its case's queue flag.
    static func copySQL(_ table: String) -> String {
        guard table == "debtor_words" else { return "SELECT * FROM current.\(table)" }
        return "SELECT w.word, w.account_id, c.in_queue FROM current.debtor_words w JOIN current.cases c ON c.account_id = w.account_id"
    }

    /// The INSERT of a table's rows from this build's database into an older one, whose
    /// `cases` had the next action, its day and the priority's reasons until v13: there they
    /// hold what no read takes (`derivedTexts`), as those columns were never read. Its
    /// invoices kept what they were paid until v14: there it is their payments' sum, as the
    /// import and the commands kept it.
    static func copy(_ table: String, db: Database) throws -> String {
        let older = try Set(Row.fetchAll(db, sql: "PRAGMA main.table_info(\(table))").map { $0["name"] as String })
        let current = try Row.fetchAll(db, sql: "PRAGMA current.table_info(\(table))").map { $0["name"] as String }
        if table == "debtor_words", !older.contains("in_queue") { return "INSERT INTO main.debtor_words SELECT * FROM current.debtor_words" }
        if table == "invoices", older.contains("paid_minor"), !current.contains("paid_minor") {
            // Until v14 each invoice's row kept what its payments had paid of it.
            let columns = current.map { "i.\($0)" }.joined(separator: ", ")
            return """
                INSERT INTO main.invoices (\(current.joined(separator: ", ")), paid_minor)
                SELECT \(columns), (SELECT COALESCE(SUM(p.amount_minor), 0) FROM current.payments p WHERE p.invoice_id = i.id)
                FROM current.invoices i
                """
        }
        guard table == "cases", older.contains("priority_reasons"), !current.contains("priority_reasons") else {
            return "INSERT INTO main.\(table) " + copySQL(table)
        }
        let columns = current.joined(separator: ", ")
        return "INSERT INTO main.cases (\(columns), next_action, next_action_on, priority_reasons) SELECT \(columns), \(derivedTexts) FROM current.cases"
    }

    /// What an older database's derived columns hold in these tests: values no case would have.
    static let derivedTexts = #"'{"kind":"never-read","text":"never read"}', '1999-01-01', '[{"points":1,"text":"never read"}]'"#

    /// The demo database of this build at `path`, its first three days run from `today`.
    static func demoRunThreeDays(at path: String, today: CivilDate) async throws -> any CaseStore {
        let store = try await DefaultDatabase.open(DatabaseLocation(path: path, source: .dataDirectory), policy: .standard, today: today,
                                                   now: Fixtures.importedAt) { _ in }
        for offset in 0...2 {
            _ = try await store.runDaily(asOf: today.adding(days: offset), actor: .system, at: Fixtures.importedAt.addingTimeInterval(Double(offset + 1) * 86_400))
        }
        return store
    }

    /// Every table a migration test copies into an older database.
    static let allTables = ["accounts", "contacts", "invoices", "payments", "events", "cases", "case_states", "runs", "operators", "queue_counts", "debtor_words"]

    /// A migrated database's columns of `table`, integrity check and foreign key violations.
    static func check(_ path: String, table: String) async throws -> (columns: [String], integrity: [String], keyViolations: Int) {
        try await DatabaseQueue(path: path).read { db in
            (try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String },
             try String.fetchAll(db, sql: "PRAGMA integrity_check"),
             try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count)
        }
    }

    /// The daily runs of the three days after `day` on both stores, which must step the same
    /// cases and record the same events (`today` is the demo's first day).
    static func assertRunsAlike(_ migrated: any CaseStore, _ store: any CaseStore, after day: CivilDate, today: CivilDate,
                                file: StaticString = #filePath, line: UInt = #line) async throws {
        for offset in 1...3 {
            let next = day.adding(days: offset)
            let at = Fixtures.importedAt.addingTimeInterval(Double(next.daysSinceEpoch - today.daysSinceEpoch + 1) * 86_400)
            let a = try await migrated.runDaily(asOf: next, actor: .system, at: at)
            let b = try await store.runDaily(asOf: next, actor: .system, at: at)
            XCTAssertEqual(a, b, next.iso, file: file, line: line)
        }
    }

    /// A database at `path` made by the migrations up to `last`, holding the rows of `tables` of
    /// this build's database at `current` (each table emptied first: a migration may have put
    /// rows in it).
    static func olderDatabase(at path: String, upTo last: String, rowsOf current: String, tables: [String]) async throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: last)
        try await queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "ATTACH DATABASE ? AS current", arguments: [current])
            try db.inTransaction {
                for table in tables {
                    try db.execute(sql: "DELETE FROM main.\(table)")
                    try db.execute(sql: copy(table, db: db))
                }
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE current")
        }
        return queue
    }
}
