import XCTest
import ParleyCore
@testable import ParleyStore

final class ImportPortfolioTests: XCTestCase {
    func testCanonicalFilesBecomeValidatedValues() throws {
        let batch = try PortfolioImporter().read(ImportFixtures.files())
        XCTAssertEqual(batch.accounts.map(\.id), ["A-1", "A-2", "A-3"])
        let acme = batch.accounts[0]
        XCTAssertEqual(acme.debtor.kind, .business)
        XCTAssertEqual(acme.debtor.timeZone, "America/New_York")
        XCTAssertEqual(acme.debtor.region, "NY")
        XCTAssertEqual(acme.debtor.contacts, [Contact(name: "Robert Miller", phone: "+1 212 555 0142", email: "ap@acme.example.com",
                                                      address: "12 Main Street, New York, NY 10001")])
        XCTAssertEqual(acme.assignee, "alice")
        XCTAssertEqual(batch.accounts[1].debtor.name, "株式会社山田商事")
        XCTAssertEqual(batch.accounts[2].debtor.contacts, [], "no contact columns filled: no contact")
        XCTAssertNil(batch.accounts[2].debtor.timeZone)
        XCTAssertNil(batch.accounts[2].assignee)

        XCTAssertEqual(batch.invoices[0].amount, Money(minorUnits: 123_456, currency: .usd))
        XCTAssertEqual(batch.invoices[1].amount, Money(minorUnits: 150_000, currency: .jpy))
        XCTAssertTrue(batch.invoices[1].disputed)
        // No currency given: the account's. "99.5" GBP is 9,950 pence.
        XCTAssertEqual(batch.invoices[2].amount, Money(minorUnits: 9_950, currency: .gbp))
        XCTAssertFalse(batch.invoices[2].disputed)
        XCTAssertEqual(batch.invoices[2].dueOn, CivilDate(iso: "2026-10-15"))

        XCTAssertEqual(batch.payments[0].invoiceID, "I-1")
        XCTAssertNil(batch.payments[1].invoiceID)
        XCTAssertEqual(batch.payments[1].amount, Money(minorUnits: 1_000, currency: .gbp))
    }

    func testPortfolioAppliesPaymentsToTheirInvoices() throws {
        let accounts = try PortfolioImporter().read(ImportFixtures.files()).portfolio()
        // I-1: 1,234.56 − 234.56 paid = 1,000.00 owed.
        XCTAssertEqual(try accounts[0].balance(), Money(minorUnits: 100_000, currency: .usd))
        // 99.50 − 10.00 on account = 89.50.
        XCTAssertEqual(try accounts[2].balance(), Money(minorUnits: 8_950, currency: .gbp))
    }

    func testShiftMovesEveryDate() throws {
        let history = """
        account_id,at,actor,event,amount,date,outcome,text
        A-1,2026-10-05T10:30:00-04:00,alice,promise,500,2026-10-20,,

        """
        let batch = try PortfolioImporter().read(ImportFixtures.files(history: history)).shifted(byDays: 30)
        XCTAssertEqual(batch.invoices[0].issuedOn, CivilDate(iso: "2026-10-01"))
        XCTAssertEqual(batch.invoices[0].dueOn, CivilDate(iso: "2026-10-31"))
        XCTAssertEqual(batch.payments[0].paidOn, CivilDate(iso: "2026-11-09"))
        XCTAssertEqual(batch.history[0].atISO, "2026-11-04T10:30:00-04:00")
        XCTAssertEqual(batch.history[0].event, .promise(amount: Money(minorUnits: 50_000, currency: .usd), due: CivilDate(iso: "2026-11-19")!))
    }

    func testHistoryEventsAreRead() throws {
        let history = """
        account_id,at,actor,event,amount,date,outcome,text
        A-1,2026-10-05T10:30:00-04:00,alice,call,,,no-answer,
        A-1,2026-10-06T15:00:00Z,alice,plan,1000.00,2026-11-01,3xmonth,
        A-1,2026-10-07T09:00:00+01:00,,letter,,,final-demand,
        A-3,2026-10-08T09:00:00+00:00,bob,dispute,,,,"Goods never arrived, says the debtor"
        A-3,2026-10-09T09:00:00+00:00,bob,dispute-resolved,,,verified,
        A-2,2026-10-10T09:00:00+09:00,bob,settlement,100000,2026-11-10,,
        A-2,2026-10-11T09:00:00+09:00,bob,attorney,,,,"Laura Chen, Chen & Park LLP"

        """
        let h = try PortfolioImporter().read(ImportFixtures.files(history: history)).history
        XCTAssertEqual(h.map(\.event), [
            .call(.noAnswer),
            .plan(total: Money(minorUnits: 100_000, currency: .usd), installments: 3, every: .month, first: CivilDate(iso: "2026-11-01")!),
            .letter(.finalDemand),
            .dispute(reason: "Goods never arrived, says the debtor"),
            .disputeResolved(.verified),
            .settlement(amount: Money(minorUnits: 100_000, currency: .jpy), expires: CivilDate(iso: "2026-11-10")!),
            .attorney(name: "Laura Chen, Chen & Park LLP"),
        ])
        // 10:30 at −04:00 is 14:30 UTC.
        XCTAssertEqual(h[0].at, Date(timeIntervalSince1970: TimeInterval(CivilDate(iso: "2026-10-05")!.daysSinceEpoch * 86_400 + 14 * 3600 + 30 * 60)))
        XCTAssertEqual(h[0].utcOffsetSeconds, -4 * 3600)
        XCTAssertEqual(h[2].actor, "system", "an empty actor is the system")
    }

    func testStreamHandsOverRecordsInFileOrder() throws {
        var kinds: [String] = []
        try PortfolioImporter().stream(ImportFixtures.files()) { record in
            switch record {
            case .account: kinds.append("a")
            case .invoice: kinds.append("i")
            case .payment: kinds.append("p")
            case .history: kinds.append("h")
            }
        }
        XCTAssertEqual(kinds.joined(), "aaaiiipp")
    }

    func testInvoicesMayReferToAccountsAlreadyInTheStore() throws {
        let known = KnownRecords(accountCurrency: { $0 == "OLD-1" ? .eur : nil })
        let files = ImportFiles(invoices: .text("invoice_id,account_id,issued_on,due_on,amount\nX-1,OLD-1,2026-01-01,2026-01-31,5\n", name: "invoices.csv"))
        let batch = try PortfolioImporter().read(files, known: known)
        XCTAssertEqual(batch.invoices[0].amount, Money(minorUnits: 500, currency: .eur))
    }
}
