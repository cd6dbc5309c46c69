import XCTest
@testable import ParleyCore

final class PortfolioTests: XCTestCase {
    let asOf = CivilDate(iso: "2026-11-23")!

    func invoice(_ id: String, due: String, amount: Int64, paid: Int64 = 0, disputed: Bool = false) -> Invoice {
        Invoice(id: id, accountID: "A1", issuedOn: CivilDate(iso: due)!.adding(days: -30), dueOn: CivilDate(iso: due)!,
                amount: Money(minorUnits: amount, currency: .eur), paid: Money(minorUnits: paid, currency: .eur), disputed: disputed)
    }

    func testAgingBucketsAtTheirEdges() {
        XCTAssertEqual(AgingBucket(daysPastDue: 0), .current)
        XCTAssertEqual(AgingBucket(daysPastDue: 1), .days1to30)
        XCTAssertEqual(AgingBucket(daysPastDue: 30), .days1to30)
        XCTAssertEqual(AgingBucket(daysPastDue: 31), .days31to60)
        XCTAssertEqual(AgingBucket(daysPastDue: 60), .days31to60)
        XCTAssertEqual(AgingBucket(daysPastDue: 61), .days61to90)
        XCTAssertEqual(AgingBucket(daysPastDue: 91), .days91to120)
        XCTAssertEqual(AgingBucket(daysPastDue: 120), .days91to120)
        XCTAssertEqual(AgingBucket(daysPastDue: 121), .over120)
    }

    func testDaysPastDueCountFromTheDueDateAsOfAGivenDay() {
        // Due 2026-10-24, as of 2026-11-23: 7 days left in October + 23 = 30.
        XCTAssertEqual(invoice("I1", due: "2026-10-24", amount: 100).daysPastDue(asOf: asOf), 30)
        XCTAssertEqual(invoice("I2", due: "2026-11-23", amount: 100).daysPastDue(asOf: asOf), 0)
        XCTAssertEqual(invoice("I3", due: "2026-12-01", amount: 100).daysPastDue(asOf: asOf), 0)
    }

    func testBalanceAndAgingOfAnAccount() throws {
        let debtor = Debtor(name: "Müller & Söhne GmbH", kind: .business, timeZone: "Europe/Berlin", country: "DE")
        let account = Account(id: "A1", debtor: debtor, currency: .eur, invoices: [
            invoice("I1", due: "2026-11-30", amount: 10000),                 // current
            invoice("I2", due: "2026-10-01", amount: 25000, paid: 5000),     // 53 days: 31–60
            invoice("I3", due: "2026-07-01", amount: 7000, paid: 7000),      // paid: ignored
            invoice("I4", due: "2026-06-01", amount: 3000),                  // 175 days: 120+
        ], payments: [Payment(id: "P1", accountID: "A1", paidOn: asOf, amount: Money(minorUnits: 1000, currency: .eur))])
        // 100.00 + 200.00 + 0 + 30.00 − 10.00 unapplied = 320.00
        XCTAssertEqual(try account.balance().minorUnits, 32000)
        XCTAssertEqual(account.daysPastDue(asOf: asOf), 175)
        let aging = try account.aging(asOf: asOf)
        XCTAssertEqual(aging[.current]?.minorUnits, 10000)
        XCTAssertEqual(aging[.days31to60]?.minorUnits, 20000)
        XCTAssertEqual(aging[.over120]?.minorUnits, 3000)
        XCTAssertNil(aging[.days61to90])
    }

    func testCivilDateArithmeticAndMonthEnds() {
        let jan31 = CivilDate(iso: "2028-01-31")!
        XCTAssertEqual(jan31.adding(months: 1).iso, "2028-02-29")
        XCTAssertEqual(jan31.adding(months: 2).iso, "2028-03-31")
        XCTAssertEqual(CivilDate(iso: "2027-01-31")!.adding(months: 1).iso, "2027-02-28")
        XCTAssertEqual(CivilDate(iso: "2026-12-15")!.adding(months: 1).iso, "2027-01-15")
        XCTAssertEqual(CivilDate(iso: "2026-11-23")!.isoWeekday, 1) // a Monday
        XCTAssertNil(CivilDate(iso: "2026-02-29"))
        XCTAssertNil(CivilDate(iso: "2026-13-01"))
        XCTAssertEqual(CivilDate(iso: "2024-03-01")!.days(until: CivilDate(iso: "2024-02-28")!), -2)
    }

    func testCivilDateParsesOnlyFourTwoTwoDigits() {
        XCTAssertEqual(CivilDate(iso: "0001-01-01")?.iso, "0001-01-01")
        XCTAssertEqual(CivilDate(iso: "9999-12-31")?.iso, "9999-12-31")
        XCTAssertEqual(CivilDate(iso: "2024-02-29")?.daysSinceEpoch, 19_782)
        for text in ["", "2026-1-05", "2026-01-5", "26-01-05", "2026/01/05", "2026-01-05 ", " 2026-01-05",
                     "+026-01-05", "2026-+1-05", "2026-01-+5", "2026-00-10", "2026-01-00", "2026-01-32",
                     "２０２６-01-05", "2026-01-05T00:00:00Z", "20260-1-05"] {
            XCTAssertNil(CivilDate(iso: text), text)
        }
    }
}
