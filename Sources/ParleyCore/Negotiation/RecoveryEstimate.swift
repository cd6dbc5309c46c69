import Foundation

/// How often the debtor has kept and broken promises to pay.
public struct PromiseRecord: Hashable, Sendable, Codable {
    public var kept: Int
    public var broken: Int

    public init(kept: Int, broken: Int) {
        self.kept = kept
        self.broken = broken
    }

    /// The chance the next promise is kept: the Laplace (rule of succession) estimate
    /// (kept + 1) / (kept + broken + 2). With no record it is 1/2; it moves towards the observed
    /// rate as the record grows, and never reaches 0 or 1.
    public var probabilityKept: Decimal {
        Decimal(max(0, kept) + 1) / Decimal(max(0, kept) + max(0, broken) + 2)
    }
}

/// One payment of an offer, valued today.
public struct DiscountedPayment: Hashable, Sendable, Codable {
    public var date: CivilDate
    public var amount: Money
    /// Whole calendar months from the as-of date to the payment.
    public var months: Int
    /// (1 − monthly decay)^months, to 6 decimals.
    public var decayFactor: String
    /// amount × decay factor, rounded half-up (shown per payment; the offer's present value is
    /// rounded once from the exact sum, so these may differ from it by a minor unit).
    public var presentValue: Money
}

/// Negotiating this offer against placing the account with an agency now, with every figure.
///
/// Offer: each payment is worth `amount × (1 − d)^m` today, d the policy's monthly decay and m
/// the whole calendar months from the as-of date to the payment (a payment within the month is
/// not decayed). The offer's value is the sum of those, times the probability the debtor keeps
/// it (`PromiseRecord.probabilityKept`, the Laplace estimate).
///
/// Agency: `balance × recovery rate × (1 − d)^a × (1 − contingency fee)`, with a the months the
/// agency is expected to take to recover (0 by default: the policy's recovery rate is read as
/// already allowing for the agency's time).
///
/// Every sum is exact (`Decimal`); each money figure is rounded once, half-up, from its exact
/// value. The agency fee is shown as gross − net so the agency figures add up to the cent; the
/// advantage is the difference of the two rounded values compared.
public struct RecoveryEstimate: Hashable, Sendable, Codable {
    public enum Choice: String, Codable, Sendable { case negotiate, placeWithAgency, either }

    public var asOf: CivilDate
    public var balance: Money

    public var offerKind: String
    public var payments: [DiscountedPayment]
    public var offerNominal: Money
    public var offerPresentValue: Money
    public var record: PromiseRecord
    /// (kept + 1) / (kept + broken + 2), to 6 decimals.
    public var probabilityKept: String
    public var offerValue: Money

    public var monthlyDecay: Percent
    public var agencyRecoveryRate: Percent
    public var agencyMonths: Int
    public var agencyDecayFactor: String
    /// What the agency is expected to collect, valued today, before its fee.
    public var agencyGross: Money
    public var contingencyFee: Percent
    public var agencyFee: Money
    /// What placing the account is worth to the creditor today.
    public var agencyValue: Money

    public var better: Choice
    /// How much more the better choice is worth (zero for `either`).
    public var advantage: Money

    public static func compare(offer: Offer, balance: Money, asOf: CivilDate, record: PromiseRecord,
                               policy: Policy, agencyMonthsToRecover: Int = 0) throws(NegotiationError) -> RecoveryEstimate {
        let currency = balance.currency
        guard agencyMonthsToRecover >= 0 else {
            throw .invalidTerm(term: "agency-months", value: String(agencyMonthsToRecover), reason: "cannot be negative")
        }
        let keep = 1 - Exact.fraction(policy.agency.monthlyDecay)

        var payments: [DiscountedPayment] = []
        var exactPresent = Decimal(0)
        var nominal = Money.zero(currency)
        for p in offer.payments(undated: asOf) {
            guard p.amount.currency == currency else { throw .money(.mixedCurrencies(currency, p.amount.currency)) }
            let months = wholeMonths(from: asOf, to: p.date)
            let factor = Exact.power(keep, months)
            let value = Exact.minor(p.amount) * factor
            exactPresent += value
            nominal = try checkedMoney { () throws(MoneyError) in try nominal.adding(p.amount) }
            payments.append(DiscountedPayment(date: p.date, amount: p.amount, months: months,
                                              decayFactor: Exact.text(factor, scale: 6),
                                              presentValue: try Exact.money(minor: value, currency: currency)))
        }
        let probability = record.probabilityKept
        let offerValue = try Exact.money(minor: exactPresent * probability, currency: currency)

        let agencyFactor = Exact.power(keep, agencyMonthsToRecover)
        let exactGross = Exact.minor(balance) * Exact.fraction(policy.agency.recoveryRate) * agencyFactor
        let agencyGross = try Exact.money(minor: exactGross, currency: currency)
        let agencyValue = try Exact.money(minor: exactGross * (1 - Exact.fraction(policy.agency.contingencyFee)), currency: currency)
        let agencyFee = try checkedMoney { () throws(MoneyError) in try agencyGross.subtracting(agencyValue) }

        let better: Choice = offerValue > agencyValue ? .negotiate : (offerValue < agencyValue ? .placeWithAgency : .either)
        let advantage = try checkedMoney { () throws(MoneyError) in
            better == .placeWithAgency ? try agencyValue.subtracting(offerValue) : try offerValue.subtracting(agencyValue)
        }

        return RecoveryEstimate(
            asOf: asOf, balance: balance, offerKind: offer.kind, payments: payments, offerNominal: nominal,
            offerPresentValue: try Exact.money(minor: exactPresent, currency: currency), record: record,
            probabilityKept: Exact.text(probability, scale: 6), offerValue: offerValue,
            monthlyDecay: policy.agency.monthlyDecay, agencyRecoveryRate: policy.agency.recoveryRate,
            agencyMonths: agencyMonthsToRecover, agencyDecayFactor: Exact.text(agencyFactor, scale: 6),
            agencyGross: agencyGross, contingencyFee: policy.agency.contingencyFee, agencyFee: agencyFee,
            agencyValue: agencyValue, better: better, advantage: advantage)
    }

    /// Whole calendar months from `start` to `date`: the largest m with start + m months ≤ date.
    static func wholeMonths(from start: CivilDate, to date: CivilDate) -> Int {
        guard date > start else { return 0 }
        var m = (date.year - start.year) * 12 + (date.month - start.month)
        while m > 0 && start.adding(months: m) > date { m -= 1 }
        return max(0, m)
    }
}
