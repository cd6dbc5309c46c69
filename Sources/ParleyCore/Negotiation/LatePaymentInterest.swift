import Foundation

/// A stretch of days charged at one rate.
public struct InterestPeriod: Hashable, Sendable, Codable {
    /// First and last day charged, both included.
    public var from: CivilDate
    public var through: CivilDate
    public var days: Int
    public var referenceRate: Percent
    /// Reference rate + margin, a year.
    public var annualRate: Percent
    /// This period's interest rounded half-up for display; the claim's interest is rounded once
    /// from the exact sum over all periods, so these may differ from it by a minor unit.
    public var interest: Money
}

/// What a creditor may claim under the UK Late Payment of Commercial Debts (Interest) Act 1998.
///
/// Conventions:
/// - Interest runs from the day after the due date up to and including `through`: a debt due on
///   1 March and claimed to 31 March carries 30 days.
/// - Simple interest on the debt at the reference rate + the policy margin (8%): each day earns
///   debt × annual rate / 365, leap years included (the Act's daily rate is 1/365 of the annual).
/// - The reference rate of a day is the one for the half-year containing it: the Bank of England
///   rate on 31 December for January–June, on 30 June for July–December, looked up in the
///   policy table by the half-year's first day (1 January, 1 July). A given base rate replaces
///   the table for every day.
/// - The days are summed exactly: Σ debt (minor units) × rate (basis points) × days, divided once
///   by 10,000 × 365 and rounded once, half-up, to the minor unit.
/// - Fixed compensation per debt: £40 below £1,000, £70 below £10,000, £100 from £10,000; only
///   when the debt is late (at least one day of interest).
public struct LatePaymentClaim: Hashable, Sendable, Codable {
    public var debt: Money
    public var dueDate: CivilDate
    public var through: CivilDate
    public var days: Int
    public var margin: Percent
    public var periods: [InterestPeriod]
    public var interest: Money
    public var compensation: Money
    /// Interest + compensation: what is claimed on top of the debt.
    public var claim: Money
    /// Debt + claim.
    public var totalDue: Money

    public init(debt: Money, dueDate: CivilDate, through: CivilDate, interest policy: Policy.Interest,
                baseRate: Percent? = nil) throws(NegotiationError) {
        guard debt.currency.code == "GBP" else {
            throw .invalidTerm(term: "currency", value: debt.currency.code,
                               reason: "the UK late-payment regime applies to sterling (GBP) debts; its compensation is fixed in pounds")
        }
        guard debt.isPositive else {
            throw .invalidTerm(term: "amount", value: debt.decimalString, reason: "there is no debt to charge interest on")
        }
        guard through >= dueDate else {
            throw .invalidTerm(term: "to", value: through.iso, reason: "before the due date \(dueDate.iso)")
        }
        if let baseRate, baseRate.basisPoints < 0 || baseRate > Percent(100) {
            throw .invalidTerm(term: "base-rate", value: baseRate.decimalString, reason: "a base rate runs from 0 to 100%")
        }

        var periods: [InterestPeriod] = []
        var numerator = Decimal(0)
        var day = dueDate.adding(days: 1)
        while day <= through {
            let start = LatePaymentClaim.halfYearStart(of: day)
            let nextStart = start.adding(months: 6)
            let last = min(through, nextStart.adding(days: -1))
            let reference: Percent
            if let baseRate {
                reference = baseRate
            } else if let entry = policy.referenceRates.first(where: { $0.from == start }) {
                reference = entry.rate
            } else {
                throw .missingReferenceRate(halfYearFrom: start)
            }
            let annual = Percent(basisPoints: reference.basisPoints + policy.margin.basisPoints)
            let days = day.days(until: last) + 1
            let part = Decimal(debt.minorUnits) * Decimal(annual.basisPoints) * Decimal(days)
            numerator += part
            periods.append(InterestPeriod(from: day, through: last, days: days, referenceRate: reference, annualRate: annual,
                                          interest: try Exact.money(minor: part / LatePaymentClaim.divisor, currency: debt.currency)))
            day = nextStart
        }

        self.debt = debt
        self.dueDate = dueDate
        self.through = through
        self.days = dueDate.days(until: through)
        self.margin = policy.margin
        self.periods = periods
        self.interest = try Exact.money(minor: numerator / LatePaymentClaim.divisor, currency: debt.currency)
        self.compensation = days > 0 ? LatePaymentClaim.compensation(for: debt) : .zero(debt.currency)
        let interest = self.interest, compensation = self.compensation
        self.claim = try checkedMoney { () throws(MoneyError) in try interest.adding(compensation) }
        let claim = self.claim
        self.totalDue = try checkedMoney { () throws(MoneyError) in try debt.adding(claim) }
    }

    /// basis points per unit (10,000) × days in the Act's year (365).
    static let divisor = Decimal(10_000 * 365)

    /// £40 below £1,000; £70 below £10,000; £100 from £10,000.
    public static func compensation(for debt: Money) -> Money {
        let pounds: Int64
        switch debt.minorUnits {
        case ..<100_000: pounds = 40
        case ..<1_000_000: pounds = 70
        default: pounds = 100
        }
        return Money(minorUnits: pounds * 100, currency: debt.currency)
    }

    /// 1 January or 1 July of the day's year.
    static func halfYearStart(of day: CivilDate) -> CivilDate {
        CivilDate(year: day.year, month: day.month <= 6 ? 1 : 7, day: 1)!
    }
}
