/// A percentage held exactly as basis points (1% = 100 bp), so that policy limits and rates
/// never pass through floating point where they touch money.
public struct Percent: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let basisPoints: Int64

    public init(basisPoints: Int64) { self.basisPoints = basisPoints }
    public init(_ whole: Int64) { self.basisPoints = whole * 100 }

    /// Parses "10", "2.5", "12.75" (at most two decimals).
    public init?(text: String) {
        let trimmed = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let m = try? Money.parse(trimmed, currency: Currency(uncheckedCode: "PCT", decimals: 2)) else { return nil }
        self.basisPoints = m.minorUnits
    }

    public static func < (a: Percent, b: Percent) -> Bool { a.basisPoints < b.basisPoints }

    public static let zero = Percent(basisPoints: 0)
    public static let hundred = Percent(100)

    /// "12.5%"
    public var description: String {
        let whole = basisPoints / 100
        let frac = abs(basisPoints % 100)
        if frac == 0 { return "\(whole)%" }
        let sign = basisPoints < 0 && whole == 0 ? "-" : ""
        return frac % 10 == 0 ? "\(sign)\(whole).\(frac / 10)%" : "\(sign)\(whole).\(frac < 10 ? "0" : "")\(frac)%"
    }

    /// "12.5" for JSON.
    public var decimalString: String { String(description.dropLast()) }

    /// The share of an amount, rounded half-up once.
    public func of(_ money: Money) throws(MoneyError) -> Money {
        try money.scaled(numerator: basisPoints, denominator: 10_000)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let p = Percent(text: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a percentage: \(text)"))
        }
        self = p
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(decimalString)
    }
}
