/// Why an amount could not be read or computed, in words a collector can act on.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownCurrency(String)
    case malformedAmount(text: String, reason: String)
    case mixedCurrencies(Currency, Currency)
    case overflow(operation: String)
    case invalidAllocation(parts: Int)

    public var description: String {
        switch self {
        case .unknownCurrency(let code):
            return "unknown currency \"\(code)\" (expected an ISO 4217 code such as EUR, USD, GBP, JPY)"
        case .malformedAmount(let text, let reason):
            return "malformed amount \"\(text)\": \(reason)"
        case .mixedCurrencies(let a, let b):
            return "cannot combine \(a.code) and \(b.code) amounts"
        case .overflow(let op):
            return "amount too large: \(op) overflows"
        case .invalidAllocation(let parts):
            return "cannot split an amount into \(parts) parts"
        }
    }
}
