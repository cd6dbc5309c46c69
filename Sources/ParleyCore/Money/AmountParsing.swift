import Foundation

/// How an amount is written: which character separates decimals and which groups thousands.
public struct AmountFormat: Hashable, Sendable {
    public var decimalSeparator: Character
    public var groupingSeparator: Character?

    public init(decimalSeparator: Character, groupingSeparator: Character?) {
        self.decimalSeparator = decimalSeparator
        self.groupingSeparator = groupingSeparator
    }

    /// "1,234.56" (English-speaking countries, and plain "1234.56").
    public static let point = AmountFormat(decimalSeparator: ".", groupingSeparator: ",")
    /// "1.234,56" (most of continental Europe).
    public static let comma = AmountFormat(decimalSeparator: ",", groupingSeparator: ".")
    /// "1 234,56" (France, Scandinavia).
    public static let spaceComma = AmountFormat(decimalSeparator: ",", groupingSeparator: " ")
    /// "1'234.56" (Switzerland).
    public static let swiss = AmountFormat(decimalSeparator: ".", groupingSeparator: "'")

    /// A locale name as users write it ("en", "en_US", "de_DE", "fr", "de_CH") or a named format.
    public static func named(_ name: String) -> AmountFormat? {
        let lower = name.lowercased().replacingOccurrences(of: "-", with: "_")
        switch lower {
        case "point", "en", "en_us", "en_gb", "en_ie", "en_au", "en_ca", "ja", "ja_jp", "zh", "ko": return .point
        case "comma", "de", "de_de", "de_at", "es", "es_es", "it", "it_it", "nl", "nl_nl", "pt", "pt_br", "da", "tr", "id": return .comma
        case "space", "fr", "fr_fr", "sv", "sv_se", "nb", "no", "fi", "pl", "cs", "ru": return .spaceComma
        case "swiss", "de_ch", "fr_ch", "it_ch": return .swiss
        default: return nil
        }
    }
}

extension Money {
    /// Reads an amount such as "1234.56", "1,234.56" or (with `.comma`) "1.234,56".
    /// Refuses anything ambiguous: misplaced grouping, more decimals than the currency has,
    /// letters, two signs.
    public static func parse(_ text: String, currency: Currency, format: AmountFormat = .point) throws(MoneyError) -> Money {
        func bad(_ reason: String) -> MoneyError { .malformedAmount(text: text, reason: reason) }
        var body = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        if body.isEmpty { throw bad("it is empty") }
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        if body.isEmpty { throw bad("no digits") }
        let pieces = body.split(separator: format.decimalSeparator, maxSplits: 2, omittingEmptySubsequences: false)
        if pieces.count > 2 { throw bad("more than one decimal separator \"\(format.decimalSeparator)\"") }
        let integerPart = pieces[0]
        let fractionPart = pieces.count == 2 ? pieces[1] : ""
        if integerPart.isEmpty && fractionPart.isEmpty { throw bad("no digits") }

        var digits = ""
        if let g = format.groupingSeparator, integerPart.contains(g) {
            let groups = integerPart.split(separator: g, omittingEmptySubsequences: false)
            for (i, group) in groups.enumerated() {
                let ok = i == 0 ? (1...3).contains(group.count) : group.count == 3
                if !ok { throw bad("thousands separator \"\(g)\" in the wrong place") }
                digits += group
            }
        } else {
            digits = String(integerPart)
        }
        if digits.isEmpty { digits = "0" }
        for ch in digits + fractionPart where !ch.isASCII || !ch.isNumber {
            throw bad("unexpected character \"\(ch)\"")
        }
        if fractionPart.count > currency.decimals {
            throw bad(currency.decimals == 0
                ? "\(currency.code) has no minor unit, so no decimals are allowed"
                : "\(currency.code) has \(currency.decimals) decimals, found \(fractionPart.count)")
        }
        var fraction = String(fractionPart)
        while fraction.count < currency.decimals { fraction += "0" }
        guard let value = Int64(digits + fraction) else { throw bad("too large") }
        return Money(minorUnits: negative ? -value : value, currency: currency)
    }
}
