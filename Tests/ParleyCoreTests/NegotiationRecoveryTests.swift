import XCTest
@testable import ParleyCore

final class NegotiationRecoveryTests: XCTestCase {
    func eur(_ text: String) -> Money { try! Money.parse(text, currency: .eur) }
    func day(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }
    let today = CivilDate(iso: "2026-11-23")!
    // Policy.standard: decay 10% a month, agency recovers 60%, contingency fee 25%.
    let policy = Policy.standard

    /// 500.00 today and 500.00 on 2026-12-23 (one whole month away).
    func twoPayments() throws -> Offer {
        try OfferBuilder(balance: eur("1000.00"), asOf: today, debtorKind: .business)
            .plan(deposit: eur("500.00"), installments: 1, every: .month, first: today)
    }

    func testEvenRecordFavoursNegotiating() throws {
        // Present value: 500.00 × 0.9^0 + 500.00 × 0.9^1 = 500.00 + 450.00 = 950.00.
        // 1 kept, 1 broken: p = (1 + 1) / (1 + 1 + 2) = 0.5 → offer worth 475.00.
        // Agency: 1000.00 × 60% = 600.00 gross, fee 25% = 150.00, net 450.00.
        // Negotiate, by 475.00 − 450.00 = 25.00.
        let e = try RecoveryEstimate.compare(offer: twoPayments(), balance: eur("1000.00"), asOf: today,
                                             record: PromiseRecord(kept: 1, broken: 1), policy: policy)
        XCTAssertEqual(e.payments.map(\.months), [0, 1])
        XCTAssertEqual(e.payments.map(\.decayFactor), ["1", "0.9"])
        XCTAssertEqual(e.payments.map(\.presentValue), [eur("500.00"), eur("450.00")])
        XCTAssertEqual(e.offerNominal, eur("1000.00"))
        XCTAssertEqual(e.offerPresentValue, eur("950.00"))
        XCTAssertEqual(e.probabilityKept, "0.5")
        XCTAssertEqual(e.offerValue, eur("475.00"))
        XCTAssertEqual(e.agencyGross, eur("600.00"))
        XCTAssertEqual(e.agencyFee, eur("150.00"))
        XCTAssertEqual(e.agencyValue, eur("450.00"))
        XCTAssertEqual(e.better, .negotiate)
        XCTAssertEqual(e.advantage, eur("25.00"))
    }

    func testBrokenPromisesFavourTheAgency() throws {
        // 0 kept, 3 broken: p = 1 / 5 = 0.2 → 950.00 × 0.2 = 190.00; agency 450.00, by 260.00.
        let e = try RecoveryEstimate.compare(offer: twoPayments(), balance: eur("1000.00"), asOf: today,
                                             record: PromiseRecord(kept: 0, broken: 3), policy: policy)
        XCTAssertEqual(e.probabilityKept, "0.2")
        XCTAssertEqual(e.offerValue, eur("190.00"))
        XCTAssertEqual(e.better, .placeWithAgency)
        XCTAssertEqual(e.advantage, eur("260.00"))
    }

    func testOfferValueIsRoundedOnceHalfUp() throws {
        // 0 kept, 1 broken: p = 1/3; 950.00 / 3 = 316.666… → 316.67.
        let e = try RecoveryEstimate.compare(offer: twoPayments(), balance: eur("1000.00"), asOf: today,
                                             record: PromiseRecord(kept: 0, broken: 1), policy: policy)
        XCTAssertEqual(e.offerValue, eur("316.67"))
        XCTAssertEqual(e.probabilityKept, "0.333333")
    }

    func testAgencyTimeDecaysItsRecovery() throws {
        // Two months to recover: 1000.00 × 60% × 0.9² = 600.00 × 0.81 = 486.00;
        // net of 25%: 364.50; fee shown as 486.00 − 364.50 = 121.50.
        let e = try RecoveryEstimate.compare(offer: twoPayments(), balance: eur("1000.00"), asOf: today,
                                             record: PromiseRecord(kept: 0, broken: 0), policy: policy,
                                             agencyMonthsToRecover: 2)
        XCTAssertEqual(e.agencyDecayFactor, "0.81")
        XCTAssertEqual(e.agencyGross, eur("486.00"))
        XCTAssertEqual(e.agencyValue, eur("364.50"))
        XCTAssertEqual(e.agencyFee, eur("121.50"))
    }

    func testWholeMonthsCountCalendarMonthsCompleted() {
        XCTAssertEqual(RecoveryEstimate.wholeMonths(from: day("2026-11-23"), to: day("2026-12-22")), 0)
        XCTAssertEqual(RecoveryEstimate.wholeMonths(from: day("2026-11-23"), to: day("2026-12-23")), 1)
        XCTAssertEqual(RecoveryEstimate.wholeMonths(from: day("2027-01-31"), to: day("2027-02-28")), 1)
        XCTAssertEqual(RecoveryEstimate.wholeMonths(from: day("2026-11-23"), to: day("2028-11-22")), 23)
    }

    func testLaplaceEstimateWithNoRecordIsOneHalf() {
        XCTAssertEqual(PromiseRecord(kept: 0, broken: 0).probabilityKept, Decimal(string: "0.5"))
        XCTAssertEqual(PromiseRecord(kept: 3, broken: 0).probabilityKept, Decimal(string: "0.8"))
    }

    // MARK: Late fee

    func testLateFeeIsAPercentWithAMinimumOncePerLevel() throws {
        // Policy.standard: 5%, minimum 15 (major units).
        XCTAssertEqual(try LateFee.charge(on: eur("1000.00"), level: 2, alreadyCharged: [1], fees: policy.fees), eur("50.00"))
        // 5% of 100.00 = 5.00 < 15.00.
        XCTAssertEqual(try LateFee.charge(on: eur("100.00"), level: 2, alreadyCharged: [], fees: policy.fees), eur("15.00"))
        // 5% of 300.10 = 15.005 → 15.01 (half-up) > 15.00.
        XCTAssertEqual(try LateFee.charge(on: eur("300.10"), level: 1, alreadyCharged: [], fees: policy.fees), eur("15.01"))
        XCTAssertNil(try LateFee.charge(on: eur("1000.00"), level: 2, alreadyCharged: [1, 2], fees: policy.fees))
        XCTAssertNil(try LateFee.charge(on: eur("0.00"), level: 1, alreadyCharged: [], fees: policy.fees))
    }
}
