import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// An import opens each new account's case with one `opened` event that carries its invoices,
/// instead of an `invoice-added` event for each; a log with an event per invoice (a store
/// written before, or invoices added to a case already open) reads and runs alike.
final class OpeningInvoicesTests: TemporaryDirectoryTestCase {
    func store(_ name: String) throws -> SQLiteCaseStore {
        try SQLiteCaseStore(path: directory.appendingPathComponent(name).path)
    }

    func files(accounts: Int, invoices: Bool = true) -> ImportFiles {
        Fixtures.generatedFiles(accounts: accounts, invoices: invoices)
    }

    func testAnImportedCaseOpensWithItsInvoicesInOneEvent() async throws {
        let sample = SampleDemoTests.sampleData
        let demo = ImportFiles(accounts: .file(path: sample + "/accounts.csv"), invoices: .file(path: sample + "/invoices.csv"),
                               payments: .file(path: sample + "/payments.csv"), history: .file(path: sample + "/history.csv"))
        for (files, generated) in [(demo, false), (self.files(accounts: 40), true)] {
            let store = try store("\(UUID().uuidString).sqlite")
            let summary = try await store.importPortfolio(files, map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
            XCTAssertGreaterThan(summary.invoicesAdded, summary.accountsAdded)
            try await store.pool.read { db in
                XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM events"), summary.eventsRecorded)
                XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE kind = 'invoice-added'"), 0)
                XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE kind = 'opened' AND seq = 1"), summary.accountsAdded)
                // Each opened event carries its account's invoices, in the order they were read.
                var carried = 0
                for row in try Row.fetchAll(db, sql: "SELECT case_id, payload FROM events WHERE kind = 'opened'") {
                    let id: String = row["case_id"]
                    guard case .opened(let accountID, _, _, _, let invoices) = try StoreCodec.decodeEvent(row["payload"]) else {
                        return XCTFail("\(id): not an opened event")
                    }
                    XCTAssertEqual(accountID, id)
                    let expected = try Row.fetchAll(db, sql: "SELECT id, due_on, amount_minor FROM invoices WHERE account_id = ? ORDER BY rowid", arguments: [id])
                    XCTAssertEqual((invoices ?? []).map(\.id), expected.map { $0["id"] as String }, id)
                    XCTAssertEqual((invoices ?? []).map(\.due.iso), expected.map { $0["due_on"] as String }, id)
                    XCTAssertEqual((invoices ?? []).map(\.amount.minorUnits), expected.map { $0["amount_minor"] as Int64 }, id)
                    carried += invoices?.count ?? 0
                }
                XCTAssertEqual(carried, summary.invoicesAdded)
            }
            if generated {
                let history = try await store.history(accountID: "A-0")
                XCTAssertEqual(history.map(\.kind), ["opened", "payment-received"])
                XCTAssertTrue(history[0].event.summary.contains("with 3 invoices of GBP 300.63"), history[0].event.summary)
            }
        }
    }

    /// The history's line for an opening names its invoices' count and total, and the first five.
    func testTheOpeningsHistoryLineNamesItsInvoices() {
        let day = CivilDate(iso: "2026-11-02")!
        let invoices = (1...7).map { OpeningInvoice(id: "INV-\($0)", amount: Money(minorUnits: 1_000 * Int64($0), currency: .eur), due: day.adding(days: $0)) }
        let opened = CaseEvent.opened(accountID: "A-1", debtorKind: .business, currency: .eur, on: day, invoices: invoices)
        XCTAssertEqual(opened.summary, "case opened (business, EUR) on 2026-11-02 with 7 invoices of EUR 280.00: INV-1 due 2026-11-03, "
                       + "INV-2 due 2026-11-04, INV-3 due 2026-11-05, INV-4 due 2026-11-06, INV-5 due 2026-11-07 and 2 more")
        let one = CaseEvent.opened(accountID: "A-1", debtorKind: .consumer, currency: .eur, on: day, invoices: [invoices[0]])
        XCTAssertEqual(one.summary, "case opened (consumer, EUR) on 2026-11-02 with 1 invoice of EUR 10.00: INV-1 due 2026-11-03")
        XCTAssertEqual(CaseEvent.opened(accountID: "A-1", debtorKind: .consumer, currency: .eur, on: day).summary, "case opened (consumer, EUR) on 2026-11-02")
    }

    /// The same portfolio imported whole, and imported as accounts first and then their
    /// invoices and payments (an `invoice-added` event each, as the log was written before):
    /// the same cases, the same next three days of the run, and each rebuilt from its log.
    func testALogWithAnEventPerInvoiceRunsAsOneThatOpensWithThem() async throws {
        let whole = try store("whole.sqlite"), split = try store("split.sqlite")
        let a = try await whole.importPortfolio(files(accounts: 60), map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        _ = try await split.importPortfolio(files(accounts: 60, invoices: false), map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        let b = try await split.importPortfolio(files(accounts: 60), map: ColumnMap(), actor: Fixtures.clerk, at: Fixtures.importedAt)
        XCTAssertEqual(a.invoicesAdded, 180)
        XCTAssertEqual(b.invoicesAdded, 180)
        XCTAssertEqual(b.accountsAlreadyPresent, 60)
        let wholeLog = try await whole.history(accountID: "A-7"), splitLog = try await split.history(accountID: "A-7")
        XCTAssertEqual(wholeLog.map(\.kind), ["opened", "payment-received"])
        XCTAssertEqual(splitLog.map(\.kind), ["opened", "invoice-added", "invoice-added", "invoice-added", "payment-received"])

        func assertSameCases(_ step: String) async throws {
            let x = try await whole.allCaseRecords(), y = try await split.allCaseRecords()
            XCTAssertEqual(x.count, 60, step)
            XCTAssertEqual(x.map(\.accountID), y.map(\.accountID), step)
            for (p, q) in zip(x, y) {
                // The split log has three more events a case, so its version is three ahead.
                XCTAssertEqual(p.version + 3, q.version, "\(step) \(p.accountID)")
                var q = q
                q.version = p.version
                q.state.version = p.state.version
                XCTAssertEqual(p, q, "\(step) \(p.accountID)")
            }
        }
        try await assertSameCases("after the import")
        let today = CivilDate(utcInstant: Fixtures.importedAt)
        try await MigrationFixtures.assertRunsAlike(whole, split, after: today, today: today)
        try await assertSameCases("after three runs")
        let before = try await whole.allCaseRecords()
        let rebuilt = (try await whole.rebuildProjections(), try await split.rebuildProjections())
        XCTAssertEqual(rebuilt.0, 60)
        XCTAssertEqual(rebuilt.1, 60)
        let after = try await whole.allCaseRecords()
        XCTAssertEqual(after, before)
        try await assertSameCases("rebuilt from the logs")
    }
}
