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

    func testPointsAloneEqualTheScoreWithItsReasons() {
        // The queue's bulk refresh uses `points`; the screen shows `score`: they must never differ.
        var checked = 0
        for callback in [false, true] {
            for promise in [nil, Money(minorUnits: 5_000, currency: .usd)] {
                for broken in [0, 1, 3] {
                    for balance: Int64 in [0, 50, 99, 100, 12_345, 100_000_000_000] {
                        for days in [0, 1, 179, 180, 400] {
                            for stage in [Stage.reminder, .call, .letter, .agency] {
                                for contact in [nil, 0, 6, 7, 14, 15, 60, 90] as [Int?] {
                                    let f = factors(callbackDue: callback, promise: promise, broken: broken, balance: balance, days: days, stage: stage, lastContact: contact)
                                    XCTAssertEqual(Priority.points(f), Priority.score(f).score, "\(f)")
                                    checked += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        XCTAssertEqual(checked, 2 * 2 * 3 * 6 * 5 * 4 * 8)
    }

    func testPointsOfAHandWorkedCase() {
        // 2 broken (350) + USD 1,000.00 (1,000 units → 10 bits → 150) + 45 days (45) + call (100) + 20 days since contact (20).
        XCTAssertEqual(Priority.points(factors(broken: 2, balance: 100_000, days: 45, stage: .call, lastContact: 20)), 665)
    }
}
