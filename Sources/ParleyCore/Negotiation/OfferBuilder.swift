/// Builds offers for one balance as of one day, refusing terms that make no sense (a date in
/// the past, more than the balance, a consumer re-termed). Whether the offer is within the
/// collector's authority is a separate question: `AuthorityCheck.check`.
public struct OfferBuilder: Hashable, Sendable {
    public var balance: Money
    public var asOf: CivilDate
    public var debtorKind: DebtorKind

    public init(balance: Money, asOf: CivilDate, debtorKind: DebtorKind) {
        self.balance = balance
        self.asOf = asOf
        self.debtorKind = debtorKind
    }

    public init(account: Account, asOf: CivilDate) throws(NegotiationError) {
        let balance = try checkedMoney { () throws(MoneyError) in try account.balance() }
        self.init(balance: balance, asOf: asOf, debtorKind: account.debtor.kind)
    }

    /// The whole balance, today or by `date`.
    public func paymentInFull(by date: CivilDate? = nil) throws(NegotiationError) -> Offer {
        try requireBalance()
        let date = date ?? asOf
        try notPast(date, term: "by")
        return .paymentInFull(try PromiseToPay(amount: balance, date: date))
    }

    public func promise(amount: Money, on date: CivilDate) throws(NegotiationError) -> Offer {
        try requireBalance()
        try notPast(date, term: "date")
        guard amount.currency == balance.currency else { throw .money(.mixedCurrencies(balance.currency, amount.currency)) }
        guard amount <= balance else {
            throw .invalidTerm(term: "amount", value: amount.decimalString, reason: "more than the balance \(balance.decimalString)")
        }
        return .promise(try PromiseToPay(amount: amount, date: date))
    }

    public func plan(deposit: Money? = nil, depositDate: CivilDate? = nil, installments: Int,
                     every frequency: PaymentFrequency, first: CivilDate, apr: Percent? = nil) throws(NegotiationError) -> Offer {
        try requireBalance()
        try notPast(first, term: "first")
        if let depositDate { try notPast(depositDate, term: "deposit-date") }
        let request = PlanRequest(total: balance, deposit: deposit, depositDate: depositDate,
                                  installments: installments, frequency: frequency, first: first, apr: apr)
        return .plan(try InstallmentPlan(request))
    }

    public func settlement(discount: Percent, expires: CivilDate) throws(NegotiationError) -> Offer {
        try notPast(expires, term: "expires")
        return .settlement(try Settlement(balance: balance, discount: discount, expires: expires))
    }

    public func settlement(pay: Money, expires: CivilDate) throws(NegotiationError) -> Offer {
        try notPast(expires, term: "expires")
        return .settlement(try Settlement(balance: balance, pay: pay, expires: expires))
    }

    public func revisedTerms(previousNetDays: Int? = nil, newNetDays: Int) throws(NegotiationError) -> Offer {
        .revisedTerms(try RevisedTerms(previousNetDays: previousNetDays, newNetDays: newNetDays, debtorKind: debtorKind))
    }

    private func requireBalance() throws(NegotiationError) {
        guard balance.isPositive else {
            throw .invalidTerm(term: "balance", value: balance.decimalString, reason: "nothing is owed")
        }
    }

    private func notPast(_ date: CivilDate, term: String) throws(NegotiationError) {
        guard date >= asOf else {
            throw .invalidTerm(term: term, value: date.iso, reason: "before today (\(asOf.iso))")
        }
    }
}
