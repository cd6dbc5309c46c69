import XCTest
@testable import ParleyCore

final class NegotiationOfferTests: XCTestCase {
    func eur(_ text: String) -> Money { try! Money.parse(text, currency: .eur) }
    func day(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }
    let today = CivilDate(iso: "2026-11-23")!
    // Policy.standard: collector 10% discount, 6 installments, 180 days, 10% deposit;
    // supervisor 40%, 24, 730 days, 0%.
    let policy = Policy.standard

    // MARK: Settlements, promises, revised terms

    func testSettlementOfTheWholeBalancePaysItAll() throws {
        let s = try Settlement(balance: eur("1234.56"), discount: Percent(0), expires: day("2026-12-07"))
        XCTAssertEqual(s.pay, eur("1234.56"))
        XCTAssertEqual(s.discount, eur("0.00"))
        let byAmount = try Settlement(balance: eur("1234.56"), pay: eur("1234.56"))
        XCTAssertEqual(byAmount.discount, eur("0.00"))
        XCTAssertEqual(byAmount.discountPercent, 0)
    }

    func testSettlementDiscountRoundsHalfUp() throws {
        // 10% of 1234.56 = 123.456 → 123.46; pay 1234.56 − 123.46 = 1111.10.
        let s = try Settlement(balance: eur("1234.56"), discount: Percent(10))
        XCTAssertEqual(s.discount, eur("123.46"))
        XCTAssertEqual(s.pay, eur("1111.10"))
    }

    func testSettlementForAnAmountShowsTheDiscountItGives() throws {
        // 100.00 settled for 66.67: discount 33.33 = 33.33%.
        let s = try Settlement(balance: eur("100.00"), pay: eur("66.67"))
        XCTAssertEqual(s.discount, eur("33.33"))
        XCTAssertEqual(s.discountPercent, Decimal(string: "33.33"))
    }

    func testSettlementRefusesAFullDiscountAndMoreThanTheBalance() {
        XCTAssertThrowsError(try Settlement(balance: eur("100.00"), discount: Percent(100))) { error in
            XCTAssertTrue("\(error)".hasPrefix("discount 100:"), "\(error)")
        }
        XCTAssertThrowsError(try Settlement(balance: eur("100.00"), pay: eur("100.01"))) { error in
            XCTAssertEqual("\(error)", "pay 100.01: more than the balance 100.00")
        }
        XCTAssertThrowsError(try Settlement(balance: eur("100.00"), pay: eur("0.00")))
    }

    func testRevisedTermsAreForBusinessesOnly() throws {
        let terms = try RevisedTerms(previousNetDays: 30, newNetDays: 45, debtorKind: .business)
        XCTAssertEqual(terms.newNetDays, 45)
        XCTAssertThrowsError(try RevisedTerms(newNetDays: 45, debtorKind: .consumer)) { error in
            XCTAssertEqual(error as? NegotiationError, .revisedTermsForConsumer)
        }
        XCTAssertThrowsError(try RevisedTerms(previousNetDays: 45, newNetDays: 30, debtorKind: .business))
    }

    func testBuilderRefusesDatesBeforeToday() {
        let builder = OfferBuilder(balance: eur("500.00"), asOf: today, debtorKind: .consumer)
        XCTAssertThrowsError(try builder.promise(amount: eur("100.00"), on: day("2026-11-22"))) { error in
            XCTAssertEqual("\(error)", "date 2026-11-22: before today (2026-11-23)")
        }
        XCTAssertThrowsError(try builder.revisedTerms(newNetDays: 60))
        XCTAssertNoThrow(try builder.promise(amount: eur("100.00"), on: today))
    }

    func testOfferJSONNamesItsKindAndRoundTrips() throws {
        let offer = try OfferBuilder(balance: eur("100.00"), asOf: today, debtorKind: .business)
            .settlement(pay: eur("66.67"), expires: day("2026-12-07"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(offer), as: UTF8.self)
        XCTAssertTrue(json.hasPrefix(#"{"kind":"settlement","settlement":{"balance":{"amount":"100.00","currency":"EUR"},"discount":{"amount":"33.33","currency":"EUR"},"discountPercent":"33.33","expires":"2026-12-07""#), json)
        XCTAssertEqual(try JSONDecoder().decode(Offer.self, from: Data(json.utf8)), offer)
    }

    func testAgreedPlanBecomesTheLifecycleArrangement() throws {
        let offer = try OfferBuilder(balance: eur("100.00"), asOf: today, debtorKind: .business)
            .plan(deposit: eur("40.00"), installments: 2, every: .month, first: today)
        // 40.00 today, then 60.00 / 2 = 30.00 on 23 Dec and 23 Jan.
        XCTAssertEqual(offer.arrangement, .plan(installments: [
            Installment(due: today, amount: eur("40.00")),
            Installment(due: day("2026-12-23"), amount: eur("30.00")),
            Installment(due: day("2027-01-23"), amount: eur("30.00")),
        ]))
    }

    // MARK: Authority

    func testCollectorDiscountBeyondTheLimitNeedsApproval() throws {
        // 15% of 1000.00 = 150.00; the collector may give 10% = 100.00: 5% over, 50.00.
        let offer = try OfferBuilder(balance: eur("1000.00"), asOf: today, debtorKind: .business)
            .settlement(discount: Percent(15), expires: day("2026-12-07"))
        let check = try AuthorityCheck.check(offer, role: .collector, policy: policy, asOf: today)
        XCTAssertTrue(check.needsApproval)
        XCTAssertEqual(check.exceeded.map(\.limit), [.maxDiscount])
        XCTAssertEqual(check.exceeded[0].excessAmount, eur("50.00"))
        XCTAssertEqual(check.exceeded[0].message, "discount 15% exceeds the collector's maximum of 10% by 5% (EUR 50.00)")
        XCTAssertFalse(try AuthorityCheck.check(offer, role: .supervisor, policy: policy, asOf: today).needsApproval)
    }

    func testDiscountExactlyAtTheLimitNeedsNoApproval() throws {
        let offer = try OfferBuilder(balance: eur("100.05"), asOf: today, debtorKind: .business)
            .settlement(discount: Percent(10), expires: day("2026-12-07"))
        XCTAssertFalse(try AuthorityCheck.check(offer, role: .collector, policy: policy, asOf: today).needsApproval)
    }

    func testPlanBeyondEveryCollectorLimitNamesEachWithItsExcess() throws {
        // 8 monthly installments from 2026-11-23, no deposit: last 2027-06-23.
        // Days: Nov 23→Dec 23 30, →Jan 23 31, →Feb 23 31, →Mar 23 28, →Apr 23 31, →May 23 30, →Jun 23 31 = 212.
        let offer = try OfferBuilder(balance: eur("1000.00"), asOf: today, debtorKind: .business)
            .plan(installments: 8, every: .month, first: today)
        let check = try AuthorityCheck.check(offer, role: .collector, policy: policy, asOf: today)
        XCTAssertEqual(check.planDays, 212)
        XCTAssertEqual(check.exceeded.map(\.limit), [.maxInstallments, .minDeposit, .maxPlanDays])
        XCTAssertEqual(check.exceeded.map(\.message), [
            "8 installments exceed the collector's maximum of 6 by 2",
            "deposit 0% (EUR 0.00) is below the collector's minimum of 10% by 10% (EUR 100.00)",
            "the last payment is 212 days away, beyond the collector's maximum of 180 days by 32 days",
        ])
        XCTAssertEqual(check.exceeded[1].excessAmount, eur("100.00"))
        XCTAssertFalse(try AuthorityCheck.check(offer, role: .supervisor, policy: policy, asOf: today).needsApproval)
    }

    func testPlanWithinCollectorLimitsNeedsNoApproval() throws {
        // Deposit 100.00 (10%) today, 6 installments from 2026-12-01: last 2027-05-01,
        // 23 Nov → 1 Dec 8 days, then 31 + 31 + 28 + 31 + 30 = 159 days.
        let offer = try OfferBuilder(balance: eur("1000.00"), asOf: today, debtorKind: .business)
            .plan(deposit: eur("100.00"), depositDate: today, installments: 6, every: .month, first: day("2026-12-01"))
        let check = try AuthorityCheck.check(offer, role: .collector, policy: policy, asOf: today)
        XCTAssertEqual(check.planDays, 159)
        XCTAssertEqual(check.exceeded, [])
        XCTAssertFalse(check.needsApproval)
    }

    func testAuthorityJSONCarriesNeedsApproval() throws {
        let offer = try OfferBuilder(balance: eur("1000.00"), asOf: today, debtorKind: .business)
            .promise(amount: eur("1000.00"), on: day("2027-06-01"))
        let check = try AuthorityCheck.check(offer, role: .collector, policy: policy, asOf: today)
        let json = String(decoding: try JSONEncoder().encode(check), as: UTF8.self)
        XCTAssertTrue(json.contains("\"needsApproval\":true"), json)
    }

    // MARK: Concession ladder

    func testCollectorLadderRunsFromFullNowToTheMaximumDiscount() throws {
        // 1000.00, collector: deposit 10% = 100.00; plans stop when the last payment passes
        // 180 days (deposit + 6 monthly ends 2027-05-23, 181 days); discounts 5% and 10%.
        let rungs = try ConcessionLadder.offers(balance: eur("1000.00"), asOf: today, policy: policy, role: .collector)
        XCTAssertEqual(rungs.map(\.label), [
            "full now", "full by 2026-12-07", "2 payments",
            "deposit + 2 monthly installments", "deposit + 3 monthly installments",
            "deposit + 4 monthly installments", "deposit + 5 monthly installments",
            "settle for 5% off", "settle for 10% off",
        ])
        XCTAssertEqual(rungs.map(\.step), Array(1...9))
        XCTAssertEqual(rungs[2].offer.payments().map(\.amount), [eur("500.00"), eur("500.00")])
        XCTAssertEqual(rungs[2].offer.payments().map(\.date), [today, day("2026-12-23")])
        // deposit + 5: 100.00 now, 900.00 / 5 = 180.00 monthly to 2027-04-23.
        XCTAssertEqual(rungs[6].offer.payments().map(\.amount), [eur("100.00")] + Array(repeating: eur("180.00"), count: 5))
        XCTAssertEqual(rungs[6].offer.lastPaymentDate, day("2027-04-23"))
        guard case .settlement(let s) = rungs[8].offer else { return XCTFail("expected a settlement") }
        XCTAssertEqual(s.pay, eur("900.00"))
        for rung in rungs {
            XCTAssertFalse(try AuthorityCheck.check(rung.offer, role: .collector, policy: policy, asOf: today).needsApproval, rung.label)
        }
    }

    func testSupervisorLadderReachesTwentyFourInstallmentsAndFortyPercent() throws {
        // No minimum deposit: 3…24 monthly installments (22 rungs); the 24th falls on 2028-10-23,
        // 700 days away (within 730). Discounts 5, 10, … 40% (8 rungs). 2 + 1 + 22 + 8 = 33.
        let rungs = try ConcessionLadder.offers(balance: eur("1000.00"), asOf: today, policy: policy, role: .supervisor)
        XCTAssertEqual(rungs.count, 33)
        XCTAssertEqual(rungs[3].label, "3 monthly installments")
        XCTAssertEqual(rungs[24].label, "24 monthly installments")
        XCTAssertEqual(rungs[24].offer.lastPaymentDate, day("2028-10-23"))
        XCTAssertEqual(rungs.last?.label, "settle for 40% off")
    }

    func testTwoPaymentsPutTheOddCentFirst() throws {
        let rungs = try ConcessionLadder.offers(balance: eur("100.01"), asOf: today, policy: policy, role: .collector)
        XCTAssertEqual(rungs[2].offer.payments().map(\.amount), [eur("50.01"), eur("50.00")])
    }
}
