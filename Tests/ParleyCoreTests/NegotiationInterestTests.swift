import XCTest
@testable import ParleyCore

final class NegotiationInterestTests: XCTestCase {
    func gbp(_ text: String) -> Money { try! Money.parse(text, currency: .gbp) }
    func day(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }
    let interest = Policy.standard.interest   // margin 8%; BoE table 2023-01-01 … 2026-07-01

    func testInterestOverALeapDayCountsTwentyNinthFebruary() throws {
        // Due 2028-02-15, to 2028-03-15: 16–29 Feb = 14 days + 1–15 Mar = 15 days = 29 days.
        // Base 3.75% + 8% = 11.75%: 5000.00 × 0.1175 × 29 / 365 = 587.50 × 29 / 365
        // = 17037.50 / 365 = 46.678… → 46.68. Compensation: 5,000 is below 10,000 → £70.
        let claim = try LatePaymentClaim(debt: gbp("5000.00"), dueDate: day("2028-02-15"), through: day("2028-03-15"),
                                         interest: interest, baseRate: Percent(text: "3.75")!)
        XCTAssertEqual(claim.days, 29)
        XCTAssertEqual(claim.interest, gbp("46.68"))
        XCTAssertEqual(claim.compensation, gbp("70.00"))
        XCTAssertEqual(claim.claim, gbp("116.68"))
        XCTAssertEqual(claim.totalDue, gbp("5116.68"))
        XCTAssertEqual(claim.periods.map(\.annualRate), [Percent(text: "11.75")!])
    }

    func testEachHalfYearTakesItsOwnReferenceRate() throws {
        // Due 2025-06-15 to 2025-07-15: 16–30 Jun 15 days at 4.75 + 8 = 12.75%,
        // 1–15 Jul 15 days at 4.25 + 8 = 12.25%.
        // 10000.00 × (0.1275 × 15 + 0.1225 × 15) / 365 = 10000 × 3.75 / 365 = 102.739… → 102.74.
        // Compensation: 10,000.00 is not below 10,000 → £100.
        let claim = try LatePaymentClaim(debt: gbp("10000.00"), dueDate: day("2025-06-15"), through: day("2025-07-15"),
                                         interest: interest)
        XCTAssertEqual(claim.periods.map(\.days), [15, 15])
        XCTAssertEqual(claim.periods.map(\.from), [day("2025-06-16"), day("2025-07-01")])
        XCTAssertEqual(claim.periods.map(\.through), [day("2025-06-30"), day("2025-07-15")])
        XCTAssertEqual(claim.periods.map(\.referenceRate), [Percent(text: "4.75")!, Percent(text: "4.25")!])
        XCTAssertEqual(claim.interest, gbp("102.74"))
        XCTAssertEqual(claim.compensation, gbp("100.00"))
    }

    func testInterestIsRoundedOnceNotPerDay() throws {
        // 200.75 at 2% + 8% = 10%: one day = 200.75 × 0.10 / 365 = 0.055 exactly.
        // Rounded per day: 0.06 + 0.06 = 0.12. Rounded once: 0.110 → 0.11.
        let one = try LatePaymentClaim(debt: gbp("200.75"), dueDate: day("2026-03-01"), through: day("2026-03-02"),
                                       interest: interest, baseRate: Percent(2))
        XCTAssertEqual(one.interest, gbp("0.06"))   // 0.055 → half-up 0.06
        let two = try LatePaymentClaim(debt: gbp("200.75"), dueDate: day("2026-03-01"), through: day("2026-03-03"),
                                       interest: interest, baseRate: Percent(2))
        XCTAssertEqual(two.interest, gbp("0.11"))
    }

    func testNoDaysLateNoClaim() throws {
        let claim = try LatePaymentClaim(debt: gbp("500.00"), dueDate: day("2026-03-01"), through: day("2026-03-01"),
                                         interest: interest)
        XCTAssertEqual(claim.days, 0)
        XCTAssertEqual(claim.interest, gbp("0.00"))
        XCTAssertEqual(claim.compensation, gbp("0.00"))
    }

    func testCompensationBoundaries() {
        XCTAssertEqual(LatePaymentClaim.compensation(for: gbp("999.99")), gbp("40.00"))
        XCTAssertEqual(LatePaymentClaim.compensation(for: gbp("1000.00")), gbp("70.00"))
        XCTAssertEqual(LatePaymentClaim.compensation(for: gbp("9999.99")), gbp("70.00"))
        XCTAssertEqual(LatePaymentClaim.compensation(for: gbp("10000.00")), gbp("100.00"))
    }

    func testMissingReferenceRateNamesTheHalfYear() {
        XCTAssertThrowsError(try LatePaymentClaim(debt: gbp("500.00"), dueDate: day("2027-12-20"), through: day("2028-01-10"),
                                                  interest: interest)) { error in
            XCTAssertEqual(error as? NegotiationError, .missingReferenceRate(halfYearFrom: day("2027-07-01")))
        }
    }

    func testRefusesOtherCurrenciesAndBackwardDates() {
        XCTAssertThrowsError(try LatePaymentClaim(debt: try! Money.parse("500.00", currency: .eur), dueDate: day("2026-03-01"),
                                                  through: day("2026-04-01"), interest: interest)) { error in
            XCTAssertTrue("\(error)".hasPrefix("currency EUR:"), "\(error)")
        }
        XCTAssertThrowsError(try LatePaymentClaim(debt: gbp("500.00"), dueDate: day("2026-03-01"),
                                                  through: day("2026-02-01"), interest: interest)) { error in
            XCTAssertEqual("\(error)", "to 2026-02-01: before the due date 2026-03-01")
        }
    }
}
