import ParleyCore
import XCTest

final class PriorityTests: XCTestCase {
    func factors(callbackDue: Bool = false, promise: Money? = nil, broken: Int = 0, balance: Int64 = 0, currency: Currency = .usd, days: Int = 0, stage: Stage = .reminder, lastContact: Int? = 10) -> Priority.Factors {
        Priority.Factors(callbackDue: callbackDue, promiseDueToday: promise, brokenPromises: broken, balance: Money(minorUnits: balance, currency: currency), daysPastDue: days, stage: stage, daysSinceLastContact: lastContact)
    }

    func testDueCallbackOutranksAnyBalanceAndAge() {
        let callback = Priority.score(factors(callbackDue: true))
        let huge = Priority.score(factors(broken: 1, balance: 100_000_000_000, days: 400, stage: .call, lastContact: nil))
        XCTAssertGreaterThan(callback.score, huge.score)
    }

    func testScoreIsTheSumOfItsReasonsLargestFirst() {
        // USD 1,000.00 → 1,000 units → bit length 10 → 150; 45 days → 45; call stage 100;
        // two broken promises 300 + 50; last contact 20 days ago → 20.
        let p = Priority.score(factors(broken: 2, balance: 100_000, days: 45, stage: .call, lastContact: 20))
        XCTAssertEqual(p.reasons.map(\.points), [350, 150, 100, 45, 20])
        XCTAssertEqual(p.reasons.map(\.text), ["2 broken promises", "balance USD 1,000.00", "call stage", "45 days past due", "last contact 20 days ago"])
        XCTAssertEqual(p.score, 665)
    }

    func testRecentConversationLowersThePriorityAndSaysSo() {
        let p = Priority.score(factors(days: 10, lastContact: 2))
        XCTAssertEqual(p.reasons.map(\.text), ["10 days past due", "spoke 2 days ago"])
        XCTAssertEqual(p.score, 10 - 100)
    }

    func testPromiseDueTodayIsNamedWithItsAmount() {
        let p = Priority.score(factors(promise: Money(minorUnits: 25_000, currency: .eur), lastContact: 10))
        XCTAssertEqual(p.reasons.first, Priority.Reason(points: 600, text: "promise of EUR 250.00 due today"))
    }

    func testYenBalanceCountsRoughlyAsCents() {
        // JPY 100,000 → 1,000 hundredths → bit length 10 → 150, the same as USD 1,000.00.
        let yen = Priority.score(factors(balance: 100_000, currency: .jpy))
        let dollars = Priority.score(factors(balance: 100_000, currency: .usd))
        XCTAssertEqual(yen.score, dollars.score)
    }
}
