/// A bill the debtor received. `paid` is what has been applied to it so far.
public struct Invoice: Hashable, Codable, Sendable {
    public var id: String
    public var accountID: String
    public var issuedOn: CivilDate
    public var dueOn: CivilDate
    public var amount: Money
    public var paid: Money
    public var disputed: Bool

    public init(id: String, accountID: String, issuedOn: CivilDate, dueOn: CivilDate, amount: Money, paid: Money? = nil, disputed: Bool = false) {
        self.id = id
        self.accountID = accountID
        self.issuedOn = issuedOn
        self.dueOn = dueOn
        self.amount = amount
        self.paid = paid ?? .zero(amount.currency)
        self.disputed = disputed
    }

    public func outstanding() throws(MoneyError) -> Money { try amount.subtracting(paid) }

    /// Whole days after the due date (0 on or before it).
    public func daysPastDue(asOf date: CivilDate) -> Int { max(0, dueOn.days(until: date)) }

    public func bucket(asOf date: CivilDate) -> AgingBucket { AgingBucket(daysPastDue: daysPastDue(asOf: date)) }
}

/// Money received from the debtor, applied to one invoice or to the account as a whole.
public struct Payment: Hashable, Codable, Sendable {
    public var id: String
    public var accountID: String
    public var invoiceID: String?
    public var paidOn: CivilDate
    public var amount: Money

    public init(id: String, accountID: String, invoiceID: String? = nil, paidOn: CivilDate, amount: Money) {
        self.id = id
        self.accountID = accountID
        self.invoiceID = invoiceID
        self.paidOn = paidOn
        self.amount = amount
    }
}
