import XCTest
@testable import ParleyCore

final class NegotiationPlanTests: XCTestCase {
    func eur(_ text: String) -> Money { try! Money.parse(text, currency: .eur) }
    func day(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }

    func plan(_ total: String, n: Int, every: PaymentFrequency = .month, first: String = "2026-12-01",
              deposit: String? = nil, depositDate: String? = nil, apr: Percent? = nil) throws -> InstallmentPlan {
        try InstallmentPlan(PlanRequest(total: eur(total), deposit: deposit.map(eur), depositDate: depositDate.map(day),
                                        installments: n, frequency: every, first: day(first), apr: apr))
    }

    func testUnevenSplitPutsTheRemainderOnTheLastInstallment() throws {
        // 10000 cents / 3 = 3333 r 1: 33.33, 33.33, 33.33 + 0.01 = 33.34.
        let p = try plan("100.00", n: 3)
        XCTAssertEqual(p.rows.map(\.payment), [eur("33.33"), eur("33.33"), eur("33.34")])
        XCTAssertEqual(p.rows.map(\.remaining), [eur("66.67"), eur("33.34"), eur("0.00")])
        XCTAssertEqual(p.rows.map(\.date), [day("2026-12-01"), day("2027-01-01"), day("2027-02-01")])
        XCTAssertEqual(p.totalPaid, eur("100.00"))
        XCTAssertEqual(p.totalInterest, eur("0.00"))
    }

    func testZeroAprIsAPlainSplit() throws {
        let p = try plan("100.00", n: 3, apr: Percent(0))
        XCTAssertEqual(p.rows.map(\.payment), [eur("33.33"), eur("33.33"), eur("33.34")])
        XCTAssertEqual(p.rows.map(\.interest), [eur("0.00"), eur("0.00"), eur("0.00")])
    }

    func testOneInstallmentPaysEverything() throws {
        let p = try plan("250.00", n: 1)
        XCTAssertEqual(p.rows.count, 1)
        XCTAssertEqual(p.rows[0].payment, eur("250.00"))
        XCTAssertEqual(p.rows[0].remaining, eur("0.00"))
        XCTAssertEqual(p.rows[0].date, day("2026-12-01"))
    }

    func testOneInstallmentWithAprCarriesOnePeriodOfInterest() throws {
        // 1200.00 at 12% monthly: r = 0.01; payment = 1200 × 1.01 = 1212.00, interest 12.00.
        let p = try plan("1200.00", n: 1, apr: Percent(12))
        XCTAssertEqual(p.rows[0].payment, eur("1212.00"))
        XCTAssertEqual(p.rows[0].interest, eur("12.00"))
        XCTAssertEqual(p.rows[0].principal, eur("1200.00"))
    }

    func testAmortisedPlanAt12PercentOver12Months() throws {
        // P = 1000.00, r = 12% / 12 = 0.01, n = 12.
        // (1.01)^12 = 1.126825030131970; payment = 1000 × 0.01 × 1.126825 / 0.126825 = 88.8487887 → 88.85.
        // Row 1: interest 1000.00 × 0.01 = 10.00, principal 78.85, remaining 921.15.
        // Row 2: interest 921.15 × 0.01 = 9.2115 → 9.21, principal 79.64, remaining 841.51.
        // Checked row by row with Python's decimal module (half-up): rows 1–11 pay 88.85,
        // row 11 leaves 87.96; row 12: interest 0.8796 → 0.88, payment 87.96 + 0.88 = 88.84.
        // Interest 10.00+9.21+8.42+7.61+6.80+5.98+5.15+4.31+3.47+2.61+1.75+0.88 = 66.19.
        let p = try plan("1000.00", n: 12, apr: Percent(12))
        XCTAssertEqual(p.regularPayment, eur("88.85"))
        XCTAssertEqual(p.rows[0].interest, eur("10.00"))
        XCTAssertEqual(p.rows[0].principal, eur("78.85"))
        XCTAssertEqual(p.rows[0].remaining, eur("921.15"))
        XCTAssertEqual(p.rows[1].interest, eur("9.21"))
        XCTAssertEqual(p.rows[1].remaining, eur("841.51"))
        XCTAssertEqual(p.rows.map(\.interest).map(\.minorUnits),
                       [1000, 921, 842, 761, 680, 598, 515, 431, 347, 261, 175, 88])
        XCTAssertEqual(p.rows[11].payment, eur("88.84"))
        XCTAssertEqual(p.rows[11].remaining, eur("0.00"))
        XCTAssertEqual(p.totalInterest, eur("66.19"))
        XCTAssertEqual(p.totalPrincipal, eur("1000.00"))
        XCTAssertEqual(p.totalPaid, eur("1066.19"))
    }

    func testWeeklyAprUsesFiftyTwoPeriodsAYear() throws {
        // 500.00 over 10 weeks at 9.9%: r = 0.099 / 52 = 0.00190384615…
        // payment = 50000 × r / (1 − (1 + r)^−10) = 50.5284… → 50.53 (Python decimal);
        // interest rows sum to 5.25, the last payment is 50.48; paid 505.25.
        let p = try plan("500.00", n: 10, every: .week, apr: Percent(text: "9.9")!)
        XCTAssertEqual(p.regularPayment, eur("50.53"))
        XCTAssertEqual(p.rows.last?.payment, eur("50.48"))
        XCTAssertEqual(p.totalInterest, eur("5.25"))
        XCTAssertEqual(p.totalPaid, eur("505.25"))
        XCTAssertEqual(p.rows.last?.date, day("2027-02-02"))   // 1 Dec + 9 × 7 days
    }

    func testMonthlyPlanFrom31JanuaryInALeapYear() throws {
        let p = try plan("400.00", n: 4, first: "2028-01-31")
        XCTAssertEqual(p.rows.map(\.date), [day("2028-01-31"), day("2028-02-29"), day("2028-03-31"), day("2028-04-30")])
    }

    func testMonthlyPlanFrom31JanuaryInACommonYear() throws {
        let p = try plan("400.00", n: 4, first: "2027-01-31")
        XCTAssertEqual(p.rows.map(\.date), [day("2027-01-31"), day("2027-02-28"), day("2027-03-31"), day("2027-04-30")])
    }

    func testDepositOn31JanuaryLeavesLaterInstallmentsOnTheMonthEnd() throws {
        // Deposit 2028-01-31, installments 1, 2, 3 months after the 31 January anchor:
        // 29 Feb (leap), 31 Mar, 30 Apr — not 29 Mar, 29 Apr.
        let p = try plan("100.00", n: 3, first: "2028-01-31", deposit: "10.00")
        XCTAssertEqual(p.rows.map(\.date), [day("2028-01-31"), day("2028-02-29"), day("2028-03-31"), day("2028-04-30")])
    }

    func testWeeklyAndFortnightlyDates() throws {
        XCTAssertEqual(try plan("90.00", n: 3, every: .week).rows.map(\.date),
                       [day("2026-12-01"), day("2026-12-08"), day("2026-12-15")])
        XCTAssertEqual(try plan("90.00", n: 3, every: .fortnight).rows.map(\.date),
                       [day("2026-12-01"), day("2026-12-15"), day("2026-12-29")])
    }

    func testDepositTakesTheFirstDateAndInstallmentsFollowAPeriodLater() throws {
        // 1000.00 − 100.00 deposit = 900.00 in 3 = 300.00 each.
        let p = try plan("1000.00", n: 3, deposit: "100.00")
        XCTAssertEqual(p.rows.map(\.kind), [.deposit, .installment, .installment, .installment])
        XCTAssertEqual(p.rows.map(\.date), [day("2026-12-01"), day("2027-01-01"), day("2027-02-01"), day("2027-03-01")])
        XCTAssertEqual(p.rows.map(\.payment), [eur("100.00"), eur("300.00"), eur("300.00"), eur("300.00")])
        XCTAssertEqual(p.rows.map(\.remaining), [eur("900.00"), eur("600.00"), eur("300.00"), eur("0.00")])
        XCTAssertEqual(p.totalPaid, eur("1000.00"))
    }

    func testDepositOnItsOwnDateLeavesTheFirstDateToTheFirstInstallment() throws {
        let p = try plan("1000.00", n: 2, deposit: "200.00", depositDate: "2026-11-25")
        XCTAssertEqual(p.rows.map(\.date), [day("2026-11-25"), day("2026-12-01"), day("2027-01-01")])
        XCTAssertEqual(p.rows.map(\.payment), [eur("200.00"), eur("400.00"), eur("400.00")])
    }

    func testAmortisationAppliesToTheAmountAfterTheDeposit() throws {
        // 1100.00 − 100.00 deposit = 1000.00 at 12% over 12 months: the 88.85 plan above.
        let p = try plan("1100.00", n: 12, deposit: "100.00", apr: Percent(12))
        XCTAssertEqual(p.rows[0].interest, eur("0.00"))
        XCTAssertEqual(p.regularPayment, eur("88.85"))
        XCTAssertEqual(p.totalInterest, eur("66.19"))
        XCTAssertEqual(p.totalPaid, eur("1166.19"))
        XCTAssertEqual(p.totalPrincipal, eur("1100.00"))
    }

    func testYenPlanSplitsWholeYen() throws {
        let yen = try InstallmentPlan(PlanRequest(total: Money(minorUnits: 10_000, currency: .jpy), installments: 3,
                                                  frequency: .month, first: day("2026-12-01")))
        XCTAssertEqual(yen.rows.map(\.payment.minorUnits), [3333, 3333, 3334])
    }

    func testRefusesPlansThatMakeNoSense() {
        XCTAssertThrowsError(try plan("100.00", n: 0)) { error in
            XCTAssertEqual(error as? NegotiationError, .invalidTerm(term: "installments", value: "0", reason: "a plan needs at least one installment"))
        }
        XCTAssertThrowsError(try plan("100.00", n: 3, deposit: "100.00")) { error in
            XCTAssertTrue("\(error)".hasPrefix("deposit 100.00:"), "\(error)")
        }
        XCTAssertThrowsError(try plan("0.02", n: 3)) { error in
            XCTAssertTrue("\(error)".contains("installments of nothing"), "\(error)")
        }
        XCTAssertThrowsError(try plan("100.00", n: 2, deposit: "10.00", depositDate: "2026-12-05")) { error in
            XCTAssertTrue("\(error)".hasPrefix("deposit-date 2026-12-05:"), "\(error)")
        }
    }
}
