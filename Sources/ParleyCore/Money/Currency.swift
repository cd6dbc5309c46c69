/// An ISO 4217 currency and the number of decimals its minor unit has (JPY 0, EUR 2, KWD 3).
public struct Currency: Hashable, Sendable, Codable, CustomStringConvertible {
    public let code: String
    public let decimals: Int

    /// Minor-unit exponents of the ISO 4217 currencies a collections book meets; anything else
    /// is refused rather than guessed.
    static let known: [String: Int] = [
        "AED": 2, "ARS": 2, "AUD": 2, "BGN": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0,
        "CNY": 2, "COP": 2, "CZK": 2, "DKK": 2, "EGP": 2, "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2,
        "IDR": 2, "ILS": 2, "INR": 2, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "MXN": 2,
        "MYR": 2, "NOK": 2, "NZD": 2, "OMR": 3, "PHP": 2, "PLN": 2, "RON": 2, "SAR": 2, "SEK": 2,
        "SGD": 2, "THB": 2, "TND": 3, "TRY": 2, "TWD": 2, "UAH": 2, "USD": 2, "VND": 0, "ZAR": 2,
    ]

    public init(code: String) throws(MoneyError) {
        // Codes as stored are upper case already: skip the copy `uppercased()` makes.
        let upper = code.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A } ? code : code.uppercased()
        guard let decimals = Currency.known[upper] else { throw .unknownCurrency(code) }
        self.code = upper
        self.decimals = decimals
    }

    init(uncheckedCode code: String, decimals: Int) {
        self.code = code
        self.decimals = decimals
    }

    public static let usd = Currency(uncheckedCode: "USD", decimals: 2)
    public static let eur = Currency(uncheckedCode: "EUR", decimals: 2)
    public static let gbp = Currency(uncheckedCode: "GBP", decimals: 2)
    public static let jpy = Currency(uncheckedCode: "JPY", decimals: 0)

    /// 10^decimals: how many minor units make one major unit.
    public var scale: Int64 {
        var s: Int64 = 1
        for _ in 0..<decimals { s *= 10 }
        return s
    }

    public var description: String { code }

    public init(from decoder: Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(code: code) } catch { throw error }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(code)
    }
}
