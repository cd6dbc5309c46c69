import XCTest
@testable import ParleyCore

final class MoneyTests: XCTestCase {
    func testCurrenciesKnowTheirDecimals() throws {
        XCTAssertEqual(try Currency(code: "JPY").decimals, 0)
        XCTAssertEqual(try Currency(code: "eur").decimals, 2)
        XCTAssertEqual(try Currency(code: "KWD").decimals, 3)
        XCTAssertThrowsError(try Currency(code: "XYZ")) { error in
            XCTAssertEqual("\(error)", "unknown currency \"XYZ\" (expected an ISO 4217 code such as EUR, USD, GBP, JPY)")
        }
    }

    func testParsesPlainGroupedAndContinentalAmounts() throws {
        XCTAssertEqual(try Money.parse("1234.56", currency: .eur).minorUnits, 123456)
        XCTAssertEqual(try Money.parse("1,234.56", currency: .eur).minorUnits, 123456)
        XCTAssertEqual(try Money.parse("1.234,56", currency: .eur, format: .comma).minorUnits, 123456)
        XCTAssertEqual(try Money.parse("1 234,5", currency: .eur, format: .spaceComma).minorUnits, 123450)
        XCTAssertEqual(try Money.parse("-0.05", currency: .usd).minorUnits, -5)
        XCTAssertEqual(try Money.parse("1,500", currency: .jpy).minorUnits, 1500)
        XCTAssertEqual(try Money.parse(".5", currency: .usd).minorUnits, 50)
    }

    func testRefusesMalformedAmountsWithTheReason() {
        func reason(_ text: String, _ currency: Currency = .eur, _ format: AmountFormat = .point) -> String {
            do { _ = try Money.parse(text, currency: currency, format: format); return "accepted" }
            catch { return "\(error)" }
        }
        XCTAssertEqual(reason(""), "malformed amount \"\": it is empty")
        XCTAssertEqual(reason("12.345"), "malformed amount \"12.345\": EUR has 2 decimals, found 3")
        XCTAssertEqual(reason("1,23.00"), "malformed amount \"1,23.00\": thousands separator \",\" in the wrong place")
        XCTAssertEqual(reason("12a"), "malformed amount \"12a\": unexpected character \"a\"")
        XCTAssertEqual(reason("1.5", .jpy), "malformed amount \"1.5\": JPY has no minor unit, so no decimals are allowed")
        XCTAssertEqual(reason("1.234.56"), "malformed amount \"1.234.56\": more than one decimal separator \".\"")
        XCTAssertEqual(reason("--1"), "malformed amount \"--1\": unexpected character \"-\"")
    }

    func testFormatsInTheCurrencysOwnDecimals() {
        XCTAssertEqual(Money(minorUnits: 123456, currency: .eur).decimalString, "1234.56")
        XCTAssertEqual(Money(minorUnits: -5, currency: .usd).decimalString, "-0.05")
        XCTAssertEqual(Money(minorUnits: 1500, currency: .jpy).decimalString, "1500")
        XCTAssertEqual(Money(minorUnits: 123456789, currency: .eur).formatted, "EUR 1,234,567.89")
        XCTAssertEqual(Money(minorUnits: -100000, currency: .gbp).formatted, "GBP -1,000.00")
        XCTAssertEqual(Money(minorUnits: -5, currency: .eur).formatted, "EUR -0.05")
        XCTAssertEqual(Money(minorUnits: 99999, currency: .eur).formatted, "EUR 999.99")
        XCTAssertEqual(Money.group("1500"), "1,500")
        XCTAssertEqual(Money.group("100"), "100")
        XCTAssertEqual(Money.group("-1234567"), "-1,234,567")
        XCTAssertEqual(Money.group("123456.7"), "123,456.7")
    }

    func testMixedCurrenciesAreRefused() {
        XCTAssertThrowsError(try Money(minorUnits: 1, currency: .eur).adding(Money(minorUnits: 1, currency: .usd))) { error in
            XCTAssertEqual(error as? MoneyError, .mixedCurrencies(.eur, .usd))
            XCTAssertEqual("\(error)", "cannot combine EUR and USD amounts")
        }
    }

    func testOverflowIsCaughtNotWrapped() {
        let big = Money(minorUnits: .max - 1, currency: .usd)
        XCTAssertThrowsError(try big.adding(Money(minorUnits: 2, currency: .usd)))
        XCTAssertThrowsError(try big.multiplied(by: 2))
        XCTAssertThrowsError(try Money(minorUnits: .min, currency: .usd).subtracting(Money(minorUnits: 1, currency: .usd)))
    }

    func testAllocationPutsTheRemainderOnTheLastPart() throws {
        XCTAssertEqual(try Money(minorUnits: 10000, currency: .eur).allocate(into: 3).map(\.minorUnits), [3333, 3333, 3334])
        XCTAssertEqual(try Money(minorUnits: 100, currency: .jpy).allocate(into: 7).map(\.minorUnits), [14, 14, 14, 14, 14, 14, 16])
        XCTAssertEqual(try Money(minorUnits: 5, currency: .eur).allocate(into: 1).map(\.minorUnits), [5])
        XCTAssertThrowsError(try Money(minorUnits: 5, currency: .eur).allocate(into: 0))
        for n in 1...13 {
            let parts = try Money(minorUnits: 98765, currency: .usd).allocate(into: n)
            XCTAssertEqual(parts.reduce(0) { $0 + $1.minorUnits }, 98765)
        }
    }

    func testScalingRoundsHalfUpOnce() throws {
        // 10% of 0.05 = 0.005 → 0.01 (half up); 10% of 0.04 = 0.004 → 0.00
        XCTAssertEqual(try Percent(10).of(Money(minorUnits: 5, currency: .eur)).minorUnits, 1)
        XCTAssertEqual(try Percent(10).of(Money(minorUnits: 4, currency: .eur)).minorUnits, 0)
        XCTAssertEqual(try Percent(text: "12.5")!.of(Money(minorUnits: 100000, currency: .eur)).minorUnits, 12500)
        XCTAssertEqual(Money.divideRoundingHalfUp(-5, 10), -1)
    }

    func testMoneyJSONIsADecimalStringAndACurrency() throws {
        let data = try JSONEncoder().encode(Money(minorUnits: 123456, currency: .eur))
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"amount\":\"1234.56\""), text)
        XCTAssertTrue(text.contains("\"currency\":\"EUR\""), text)
        XCTAssertEqual(try JSONDecoder().decode(Money.self, from: data), Money(minorUnits: 123456, currency: .eur))
    }

    func testStoredAmountsReadBackExactlyWhateverTheirForm() throws {
        func decoded(_ amount: String, _ code: String) throws -> Money {
            try JSONDecoder().decode(Money.self, from: Data("{\"amount\":\"\(amount)\",\"currency\":\"\(code)\"}".utf8))
        }
        // The form decimalString writes, read without the general parser...
        for (minor, currency) in [(Int64(0), Currency.eur), (5, .eur), (-5, .eur), (123_456, .usd), (-100_000, .gbp), (19_500, .jpy), (1_234, try Currency(code: "KWD")), (Int64.max, .usd)] {
            let money = Money(minorUnits: minor, currency: currency)
            XCTAssertEqual(try decoded(money.decimalString, currency.code), money)
        }
        // ...and other forms still through it, with its checks.
        XCTAssertEqual(try decoded("1,234.5", "EUR"), Money(minorUnits: 123_450, currency: .eur))
        XCTAssertEqual(try decoded("12", "EUR"), Money(minorUnits: 1_200, currency: .eur))
        XCTAssertEqual(try decoded("+7.00", "usd"), Money(minorUnits: 700, currency: .usd))
        XCTAssertThrowsError(try decoded("1.234", "EUR"))
        XCTAssertThrowsError(try decoded("1.5", "JPY"))
        XCTAssertThrowsError(try decoded("99999999999999999999", "EUR"))
        XCTAssertThrowsError(try decoded("-", "EUR"))
        XCTAssertThrowsError(try decoded("", "EUR"))
    }
}
