import XCTest
@testable import ParleyCore

final class OfferDraftTests: XCTestCase {
    let asOf = CivilDate(iso: "2026-11-23")!
    let balance = Money(minorUnits: 90000, currency: .usd)

    func testAThreePaymentPlanDraftGivesTheSchedule() {
        var draft = OfferDraft.start(balance: balance, asOf: asOf)
        draft.setText("3", of: .installments)
        let e = draft.evaluate(balance: balance, asOf: asOf, debtorKind: .consumer, role: .collector, policy: .standard, record: PromiseRecord(kept: 0, broken: 0))
        XCTAssertNil(e.error)
        // 900.00 in 3 monthly payments from 2026-11-30: 300.00 each.
        XCTAssertEqual(e.payments.map(\.date.iso), ["2026-11-30", "2026-12-30", "2027-01-30"])
        XCTAssertEqual(e.payments.map(\.amount.minorUnits), [30000, 30000, 30000])
        XCTAssertEqual(e.needsApproval, true, "no deposit: the collector's 10% minimum deposit is not met")
    }

    func testADepositPlanWithinAuthorityNeedsNoApproval() {
        var draft = OfferDraft.start(balance: balance, asOf: asOf)
        draft.setText("90", of: .deposit)
        draft.setText("3", of: .installments)
        let e = draft.evaluate(balance: balance, asOf: asOf, debtorKind: .consumer, role: .collector, policy: .standard, record: PromiseRecord(kept: 0, broken: 0))
        // Deposit 90.00 on 2026-11-30, then 810.00 in three: 270.00 each, monthly from 2026-12-30.
        XCTAssertEqual(e.payments.map(\.amount.minorUnits), [9000, 27000, 27000, 27000])
        XCTAssertEqual(e.payments.first?.date.iso, "2026-11-30")
        XCTAssertFalse(e.needsApproval, "\(String(describing: e.authority))")
    }

    func testASettlementBeyondTheCollectorsDiscountNeedsApproval() {
        var draft = OfferDraft.start(balance: balance, asOf: asOf)
        draft.kind = .settlement
        draft.setText("50", of: .discount)
        let e = draft.evaluate(balance: balance, asOf: asOf, debtorKind: .consumer, role: .collector, policy: .standard, record: PromiseRecord(kept: 0, broken: 0))
        XCTAssertEqual(e.payments.map(\.amount.minorUnits), [45000])
        XCTAssertTrue(e.needsApproval)
        XCTAssertEqual(e.authority?.exceeded.map(\.limit), [.maxDiscount])
    }

    func testAHalfTypedFieldIsAnErrorNotACrash() {
        var draft = OfferDraft.start(balance: balance, asOf: asOf)
        draft.setText("2026-1", of: .first)
        let e = draft.evaluate(balance: balance, asOf: asOf, debtorKind: .consumer, role: .collector, policy: .standard, record: PromiseRecord(kept: 0, broken: 0))
        XCTAssertNil(e.offer)
        XCTAssertTrue(e.error?.contains("2026-1") ?? false, e.error ?? "")
    }

    func testCyclingTheKindVisitsEveryKind() {
        var draft = OfferDraft.start(balance: balance, asOf: asOf)
        var seen: [OfferDraft.Kind] = []
        for _ in 0..<4 { seen.append(draft.kind); draft.cycle(.kind, by: 1) }
        XCTAssertEqual(Set(seen), Set(OfferDraft.Kind.allCases))
        XCTAssertEqual(draft.kind, .plan)
    }
}
