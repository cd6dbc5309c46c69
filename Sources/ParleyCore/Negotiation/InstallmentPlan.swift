import Foundation

/// How often installments fall due.
public enum PaymentFrequency: String, Codable, Sendable, CaseIterable {
    case week
    case fortnight
    case month

    /// Periods in a year, for the periodic rate of an APR (APR / periods).
    public var periodsPerYear: Int {
        switch self {
        case .week: return 52
        case .fortnight: return 26
        case .month: return 12
        }
    }

    /// The `index`-th due date of a series anchored on `first` (index 0 is `first` itself).
    /// Monthly dates are always computed from the anchor, so a series from 31 January pays on
    /// the last day of shorter months and returns to the 31st in long ones.
    public func date(_ index: Int, from first: CivilDate) -> CivilDate {
        switch self {
        case .week: return first.adding(days: 7 * index)
        case .fortnight: return first.adding(days: 14 * index)
        case .month: return first.adding(months: index)
        }
    }
}

/// What a collector asks the plan builder for.
///
/// Dates: `first` is the date of the plan's first payment. With a deposit and no
/// `depositDate`, the deposit is that first payment and the installments follow one period
/// later; with a `depositDate` (on or before `first`) the installments start on `first`.
public struct PlanRequest: Hashable, Sendable, Codable {
    /// The whole amount the plan settles (the balance), deposit included.
    public var total: Money
    public var deposit: Money
    public var depositDate: CivilDate?
    /// Number of installments after the deposit.
    public var installments: Int
    public var frequency: PaymentFrequency
    public var first: CivilDate
    /// Annual percentage rate; nil or zero means no interest.
    public var apr: Percent?

    public init(total: Money, deposit: Money? = nil, depositDate: CivilDate? = nil, installments: Int,
                frequency: PaymentFrequency, first: CivilDate, apr: Percent? = nil) {
        self.total = total
        self.deposit = deposit ?? .zero(total.currency)
        self.depositDate = depositDate
        self.installments = installments
        self.frequency = frequency
        self.first = first
        self.apr = apr
    }
}

/// One line of a schedule.
public struct PlanRow: Hashable, Sendable, Codable {
    public enum Kind: String, Codable, Sendable { case deposit, installment }

    /// 0 for the deposit, 1… for the installments.
    public var number: Int
    public var kind: Kind
    public var date: CivilDate
    public var payment: Money
    /// The part of the payment that reduces the debt.
    public var principal: Money
    public var interest: Money
    /// Principal still owed after this payment.
    public var remaining: Money
}

/// A payment schedule that is correct to the cent: the rows' principal adds up to the total,
/// the remaining balance ends at exactly zero, and `paid = principal + interest`.
public struct InstallmentPlan: Hashable, Sendable, Codable {
    public var request: PlanRequest
    public var rows: [PlanRow]
    /// The regular payment before the final row's adjustment.
    public var regularPayment: Money
    public var totalPaid: Money
    public var totalPrincipal: Money
    public var totalInterest: Money

    public var lastPaymentDate: CivilDate { rows.last?.date ?? request.first }
    public var depositRow: PlanRow? { rows.first { $0.kind == .deposit } }

    /// Builds the schedule.
    ///
    /// Without an APR the financed amount (total − deposit) is split into equal installments of
    /// whole minor units with the remainder on the last (`Money.allocate`).
    ///
    /// With an APR the financed amount P is amortised at the periodic rate r = APR / periods a
    /// year (12, 26 or 52): payment = P·r / (1 − (1 + r)^−n), computed in `Decimal` and
    /// rounded half-up to the minor unit. Each row's interest is the remaining principal × r,
    /// rounded half-up; the payment less the interest reduces the principal. The final payment
    /// is whatever clears the remaining principal plus its interest, so it absorbs every
    /// rounding difference and the balance ends at exactly zero.
    public init(_ request: PlanRequest) throws(NegotiationError) {
        let currency = request.total.currency
        guard request.total.isPositive else {
            throw .invalidTerm(term: "amount", value: request.total.decimalString, reason: "a plan needs a positive amount")
        }
        guard request.deposit.currency == currency else {
            throw .money(.mixedCurrencies(currency, request.deposit.currency))
        }
        guard request.installments >= 1 else {
            throw .invalidTerm(term: "installments", value: String(request.installments), reason: "a plan needs at least one installment")
        }
        guard request.installments <= 1_000 else {
            throw .invalidTerm(term: "installments", value: String(request.installments), reason: "at most 1000 installments")
        }
        guard !request.deposit.isNegative else {
            throw .invalidTerm(term: "deposit", value: request.deposit.decimalString, reason: "a deposit cannot be negative")
        }
        guard request.deposit < request.total else {
            throw .invalidTerm(term: "deposit", value: request.deposit.decimalString,
                               reason: "the deposit must be less than the amount \(request.total.decimalString), leaving something to pay in installments")
        }
        if let apr = request.apr, apr.basisPoints < 0 || apr > Percent(1_000) {
            throw .invalidTerm(term: "apr", value: apr.decimalString, reason: "an APR runs from 0 to 1000%")
        }
        if let depositDate = request.depositDate {
            guard request.deposit.isPositive else {
                throw .invalidTerm(term: "deposit-date", value: depositDate.iso, reason: "there is no deposit to date")
            }
            guard depositDate <= request.first else {
                throw .invalidTerm(term: "deposit-date", value: depositDate.iso, reason: "the deposit falls due after the first installment \(request.first.iso)")
            }
        }

        let financed = try checkedMoney { () throws(MoneyError) in try request.total.subtracting(request.deposit) }
        var rows: [PlanRow] = []
        // Installment i falls on period (i + offset) of the series anchored on `first`, so a
        // deposit on the 31st still lets later installments return to the 31st.
        var offset = 0
        if request.deposit.isPositive {
            let date = request.depositDate ?? request.first
            if request.depositDate == nil { offset = 1 }
            rows.append(PlanRow(number: 0, kind: .deposit, date: date, payment: request.deposit,
                                principal: request.deposit, interest: .zero(currency), remaining: financed))
        }

        let n = request.installments
        var regular: Money
        if let apr = request.apr, apr.basisPoints > 0 {
            let r = Exact.fraction(apr) / Decimal(request.frequency.periodsPerYear)
            let growth = Exact.power(1 + r, n)
            // P·r / (1 − (1 + r)^−n) = P·r·(1 + r)^n / ((1 + r)^n − 1)
            let exactPayment = Exact.minor(financed) * r * growth / (growth - 1)
            regular = try Exact.money(minor: exactPayment, currency: currency)
            var owed = financed
            for i in 0..<n {
                let interest = try Exact.money(minor: Exact.minor(owed) * r, currency: currency)
                let isLast = i == n - 1
                var principal = try checkedMoney { () throws(MoneyError) in try regular.subtracting(interest) }
                if isLast || principal > owed { principal = owed }
                let payment = try checkedMoney { () throws(MoneyError) in try principal.adding(interest) }
                owed = try checkedMoney { () throws(MoneyError) in try owed.subtracting(principal) }
                rows.append(PlanRow(number: i + 1, kind: .installment, date: request.frequency.date(i + offset, from: request.first),
                                    payment: payment, principal: principal, interest: interest, remaining: owed))
                if owed.isZero && !isLast {
                    throw .invalidTerm(term: "installments", value: String(n), reason: "the amount is paid off before the last installment")
                }
            }
        } else {
            let shares = try checkedMoney { () throws(MoneyError) in try financed.allocate(into: n) }
            regular = shares[0]
            var owed = financed
            for (i, share) in shares.enumerated() {
                owed = try checkedMoney { () throws(MoneyError) in try owed.subtracting(share) }
                rows.append(PlanRow(number: i + 1, kind: .installment, date: request.frequency.date(i + offset, from: request.first),
                                    payment: share, principal: share, interest: .zero(currency), remaining: owed))
            }
        }
        if regular.isZero {
            throw .invalidTerm(term: "installments", value: String(n),
                               reason: "\(financed.formatted) in \(n) installments leaves installments of nothing")
        }

        self.request = request
        self.rows = rows
        self.regularPayment = regular
        self.totalPaid = try checkedMoney { () throws(MoneyError) in try Money.sum(rows.map(\.payment), currency: currency) }
        self.totalPrincipal = try checkedMoney { () throws(MoneyError) in try Money.sum(rows.map(\.principal), currency: currency) }
        self.totalInterest = try checkedMoney { () throws(MoneyError) in try Money.sum(rows.map(\.interest), currency: currency) }
    }
}
