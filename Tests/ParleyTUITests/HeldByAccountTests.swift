import XCTest
@testable import ParleyTUI

final class HeldByAccountTests: XCTestCase {
    func testPastItsLimitTheAccountsHeldLongestAreDroppedOneByOne() {
        var held = HeldByAccount<Int>(limit: 3)
        for (i, id) in ["a", "b", "c"].enumerated() { held[id] = i }
        held["a"] = 10  // updated in place: keeps its first place
        XCTAssertEqual(held.count, 3)
        held["d"] = 3
        XCTAssertEqual(held.count, 3)
        XCTAssertNil(held["a"], "the first held is the first dropped")
        XCTAssertEqual(held["b"], 1)
        held["e"] = 4
        XCTAssertNil(held["b"])
        XCTAssertEqual([held["c"], held["d"], held["e"]], [2, 3, 4])
    }

    func testAnAccountDroppedAndHeldAgainIsKeptAndTheOrderStaysBounded() {
        var held = HeldByAccount<Int>(limit: 4)
        for i in 0..<4 { held["\(i)"] = i }
        // One account written over and over (dropped, then read again), thousands of times.
        for n in 0..<5_000 {
            held["2"] = nil
            held["2"] = n
        }
        XCTAssertEqual(held.count, 4)
        XCTAssertEqual(held["2"], 4_999)
        held["4"] = 4
        XCTAssertNil(held["0"], "the oldest is still the first dropped")
        XCTAssertEqual(held["2"], 4_999, "the account held again most recently stays")
        for i in 5..<8 { held["\(i)"] = i }
        XCTAssertNil(held["2"])
        XCTAssertEqual(held.count, 4)
    }
}
