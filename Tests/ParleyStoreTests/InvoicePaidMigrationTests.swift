import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// Migration `v14-invoice-paid-from-payments` drops `invoices.paid_minor`, which every read of an
/// account now sums from the account's payments: a database from before it (each invoice's row
/// holding its payments' sum, as the import and the commands kept it) reads its accounts,
/// queues and runs as a new one.
final class InvoicePaidMigrationTests: TemporaryDirectoryTestCase {
    func testADatabaseFromBeforeReadsItsInvoicesPaidAsANewOne() async throws {
        let current = directory.appendingPathComponent("current.sqlite").path
        let today = Fixtures.date("2026-11-23")
        let store = try await MigrationFixtures.demoRunThreeDays(at: current, today: today)
        let old = directory.appendingPathComponent("old.sqlite").path
        let queue = try await MigrationFixtures.olderDatabase(at: old, upTo: "v13-no-derived-texts", rowsOf: current, tables: MigrationFixtures.allTables)
        let credited = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM invoices WHERE paid_minor > 0") ?? 0 }
        XCTAssertGreaterThan(credited, 0)
        try queue.close()

        let migrated = try SQLiteCaseStore(path: old)
        let (columns, integrity, keys) = try await MigrationFixtures.check(old, table: "invoices")
        let newColumns = try await MigrationFixtures.check(current, table: "invoices").columns
        XCTAssertEqual(columns, newColumns)
        XCTAssertFalse(columns.contains("paid_minor"))
        XCTAssertEqual(integrity, ["ok"])
        XCTAssertEqual(keys, 0)

        // Every account reads as the new database's, its invoices paid what the old rows said.
        let ids = try await DatabaseQueue(path: current).read { db in try String.fetchAll(db, sql: "SELECT id FROM accounts ORDER BY id") }
        XCTAssertEqual(ids.count, 220)
        var paidInvoices = 0
        for id in ids {
            let a = try await migrated.account(id: id)
            let b = try await store.account(id: id)
            XCTAssertEqual(a, b, id)
            paidInvoices += a?.invoices.filter { $0.paid.minorUnits > 0 }.count ?? 0
        }
        XCTAssertEqual(paidInvoices, credited)
        for query in [QueueQuery(limit: 50), QueueQuery(filter: "ltd", limit: 20)] {
            let a = try await migrated.queue(query)
            let b = try await store.queue(query)
            XCTAssertEqual(a, b)
        }
        try await MigrationFixtures.assertRunsAlike(migrated, store, after: today.adding(days: 2), today: today)
    }

    /// A payment recorded on an invoice after the import is what the invoice reads as paid,
    /// with those the import brought.
    func testAnInvoiceReadsAsPaidWhatItsPaymentsPaid() async throws {
        let store = try SQLiteCaseStore(path: directory.appendingPathComponent("paid.sqlite").path)
        let files = ImportFiles(
            accounts: .text("account_id,debtor_name,debtor_kind,country,currency\nP-1,Paid Ltd,business,GB,GBP\n", name: "accounts.csv"),
            invoices: .text("invoice_id,account_id,issued_on,due_on,amount\nI-1,P-1,2026-08-01,2026-09-01,100.00\nI-2,P-1,2026-08-01,2026-09-15,50.00\n", name: "invoices.csv"),
            payments: .text("payment_id,account_id,invoice_id,paid_on,amount\nQ-1,P-1,I-1,2026-09-10,10.00\nQ-2,P-1,I-1,2026-09-20,2.50\nQ-3,P-1,,2026-09-21,7.00\n", name: "payments.csv"))
        _ = try await store.importPortfolio(files, map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        let account = try await store.account(id: "P-1")
        XCTAssertEqual(account?.invoices.map(\.id), ["I-1", "I-2"])
        XCTAssertEqual(account?.invoices.map(\.paid.minorUnits), [1250, 0])
        XCTAssertEqual(account?.invoices.map(\.paid.currency.code), ["GBP", "GBP"])
        XCTAssertEqual(account?.payments.count, 3)
    }
}
