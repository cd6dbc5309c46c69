/// Why an offer or a calculation was refused, naming the term and the value at fault.
public enum NegotiationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A term of an offer is out of range: `term` is the name used on the command line
    /// ("installments", "deposit", "apr", "discount", "pay", "expires", ...).
    case invalidTerm(term: String, value: String, reason: String)
    /// Revised terms are a business-to-business concession; consumer debts are not re-termed.
    case revisedTermsForConsumer
    /// The interest regime needs a reference rate the policy does not have.
    case missingReferenceRate(halfYearFrom: CivilDate)
    /// The arithmetic itself failed (overflow, mixed currencies).
    case money(MoneyError)

    public var description: String {
        switch self {
        case .invalidTerm(let term, let value, let reason):
            return "\(term) \(value): \(reason)"
        case .revisedTermsForConsumer:
            return "revised terms are only offered to business accounts; this debtor is a consumer"
        case .missingReferenceRate(let start):
            return "the policy has no reference rate for the half-year from \(start.iso) "
                + "([interest] reference_rates needs an entry with from = \"\(start.iso)\"), "
                + "or give the base rate explicitly"
        case .money(let error):
            return error.description
        }
    }
}

/// Runs money arithmetic, reporting its failure as a negotiation error.
@inline(__always)
func checkedMoney<T>(_ body: () throws(MoneyError) -> T) throws(NegotiationError) -> T {
    do { return try body() } catch { throw .money(error) }
}
