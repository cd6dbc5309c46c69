/// An amount of money: integer minor units of one currency. Never a floating-point number.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    public var isZero: Bool { minorUnits == 0 }
    public var isNegative: Bool { minorUnits < 0 }
    public var isPositive: Bool { minorUnits > 0 }

    // MARK: Checked arithmetic

    public func adding(_ other: Money) throws(MoneyError) -> Money {
        try sameCurrency(other)
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        if overflow { throw .overflow(operation: "\(self) + \(other)") }
        return Money(minorUnits: sum, currency: currency)
    }

    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try sameCurrency(other)
        let (diff, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        if overflow { throw .overflow(operation: "\(self) - \(other)") }
        return Money(minorUnits: diff, currency: currency)
    }

    public func multiplied(by factor: Int64) throws(MoneyError) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: factor)
        if overflow { throw .overflow(operation: "\(self) × \(factor)") }
        return Money(minorUnits: product, currency: currency)
    }

    public func negated() throws(MoneyError) -> Money {
        if minorUnits == .min { throw .overflow(operation: "-\(self)") }
        return Money(minorUnits: -minorUnits, currency: currency)
    }

    /// The amount times `numerator / denominator`, rounded once, half away from zero.
    public func scaled(numerator: Int64, denominator: Int64) throws(MoneyError) -> Money {
        guard denominator != 0 else { throw .overflow(operation: "division by zero") }
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: numerator)
        if overflow { throw .overflow(operation: "\(self) × \(numerator)/\(denominator)") }
        return Money(minorUnits: Money.divideRoundingHalfUp(product, denominator), currency: currency)
    }

    /// Integer division rounding half away from zero.
    public static func divideRoundingHalfUp(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        let r = a % b
        if r == 0 { return q }
        let twiceR = r.magnitude * 2
        if twiceR >= b.magnitude {
            return (a < 0) != (b < 0) ? q - 1 : q + 1
        }
        return q
    }

    /// Splits the amount into `parts` equal shares of whole minor units; the remainder goes on
    /// the last share, so the shares always add up to the amount exactly.
    public func allocate(into parts: Int) throws(MoneyError) -> [Money] {
        guard parts > 0 else { throw .invalidAllocation(parts: parts) }
        let n = Int64(parts)
        let share = minorUnits / n
        let last = minorUnits - share * (n - 1)
        var result = [Money](repeating: Money(minorUnits: share, currency: currency), count: parts - 1)
        result.append(Money(minorUnits: last, currency: currency))
        return result
    }

    public static func sum(_ amounts: [Money], currency: Currency) throws(MoneyError) -> Money {
        var total = Money.zero(currency)
        for a in amounts { total = try total.adding(a) }
        return total
    }

    private func sameCurrency(_ other: Money) throws(MoneyError) {
        if currency != other.currency { throw .mixedCurrencies(currency, other.currency) }
    }

    // MARK: Text

    /// The plain decimal string in the currency's own decimals: "1234.56", "-0.05", "1500" (JPY).
    public var decimalString: String {
        let negative = minorUnits < 0
        let magnitude = minorUnits.magnitude
        let scale = UInt64(currency.scale)
        let major = magnitude / scale
        var text = String(major)
        if currency.decimals > 0 {
            var minor = String(magnitude % scale)
            while minor.count < currency.decimals { minor = "0" + minor }
            text += "." + minor
        }
        return negative ? "-" + text : text
    }

    /// For people: "EUR 1,234.56".
    public var formatted: String { "\(currency.code) \(Money.group(decimalString))" }

    public var description: String { formatted }

    /// "-1234567.89" as "-1,234,567.89": commas every three digits of the integer part. Works
    /// on the UTF-8 bytes (the text is ASCII digits, a sign and a point): a queue page formats
    /// every balance it shows, and the Character-by-Character version was 4% of a page down's
    /// key-to-frame time (200,000 accounts, `perf record` of `parley bench open`).
    static func group(_ plain: String) -> String {
        let bytes = Array(plain.utf8)
        var start = 0
        if bytes.first == UInt8(ascii: "-") { start = 1 }
        let point = bytes[start...].firstIndex(of: UInt8(ascii: ".")) ?? bytes.count
        let digits = point - start
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + digits / 3)
        out.append(contentsOf: bytes[0..<start])
        for i in 0..<digits {
            if i > 0 && (digits - i) % 3 == 0 { out.append(UInt8(ascii: ",")) }
            out.append(bytes[start + i])
        }
        out.append(contentsOf: bytes[point...])
        return String(decoding: out, as: UTF8.self)
    }
}

extension Money: Comparable {
    /// Amounts of different currencies order by currency code first; callers that compare
    /// amounts for a decision check the currency themselves.
    public static func < (lhs: Money, rhs: Money) -> Bool {
        if lhs.currency != rhs.currency { return lhs.currency.code < rhs.currency.code }
        return lhs.minorUnits < rhs.minorUnits
    }
}

extension Money: Codable {
    enum CodingKeys: String, CodingKey { case amount, currency }

    /// JSON form fixed by DESIGN.md: `{"amount": "1234.56", "currency": "EUR"}`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let currency = try c.decode(Currency.self, forKey: .currency)
        let text = try c.decode(String.self, forKey: .amount)
        self = try Money.canonical(text, currency: currency) ?? Money.parse(text, currency: currency)
    }

    /// `text` read as `decimalString` writes it ("-1234.56", exactly the currency's decimals),
    /// without the general parser; nil for any other form (or an overflow), which `parse` reads
    /// or refuses. Stored states hold hundreds of amounts each, read on every queue page.
    public static func canonical(_ text: String, currency: Currency) -> Money? {
        canonical(utf8: text.utf8, currency: currency)
    }

    /// `canonical(_:currency:)` of the text's UTF-8 bytes.
    @inlinable
    public static func canonical(utf8 text: some Collection<UInt8>, currency: Currency) -> Money? {
        var value: Int64 = 0
        var negative = false
        var fraction = -1
        var digits = 0
        for (i, byte) in text.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where i == 0:
                negative = true
            case UInt8(ascii: "."):
                guard fraction < 0, digits > 0 else { return nil }
                fraction = 0
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                guard !o1, !o2 else { return nil }
                value = sum
                digits += 1
                if fraction >= 0 { fraction += 1 }
            default:
                return nil
            }
        }
        guard digits > 0, fraction == (currency.decimals == 0 ? -1 : currency.decimals) else { return nil }
        return Money(minorUnits: negative ? -value : value, currency: currency)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(decimalString, forKey: .amount)
        try c.encode(currency, forKey: .currency)
    }
}
