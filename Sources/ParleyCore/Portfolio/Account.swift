/// One debtor's receivable with the creditor: the unit a case is opened for.
public struct Account: Hashable, Codable, Sendable {
    public var id: String
    public var debtor: Debtor
    public var currency: Currency
    /// The collector the account is assigned to, if any.
    public var assignee: String?
    public var invoices: [Invoice]
    public var payments: [Payment]

    public init(id: String, debtor: Debtor, currency: Currency, assignee: String? = nil, invoices: [Invoice] = [], payments: [Payment] = []) {
        self.id = id
        self.debtor = debtor
        self.currency = currency
        self.assignee = assignee
        self.invoices = invoices
        self.payments = payments
    }

    /// What is still owed: the outstanding amount of every invoice (payments already applied to
    /// invoices through `paid`) less payments not applied to any invoice.
    public func balance() throws(MoneyError) -> Money {
        var total = Money.zero(currency)
        for invoice in invoices { total = try total.adding(try invoice.outstanding()) }
        for payment in payments where payment.invoiceID == nil {
            total = try total.subtracting(payment.amount)
        }
        return total
    }

    /// Days past due of the oldest invoice still owing, as of `date` (0 when nothing is late).
    public func daysPastDue(asOf date: CivilDate) -> Int {
        invoices.filter { ((try? $0.outstanding())?.isPositive) ?? false }
            .map { $0.daysPastDue(asOf: date) }
            .max() ?? 0
    }

    /// The oldest due date among invoices still owing.
    public var oldestOpenDueDate: CivilDate? {
        invoices.filter { ((try? $0.outstanding())?.isPositive) ?? false }.map(\.dueOn).min()
    }

    public var hasDisputedInvoice: Bool { invoices.contains { $0.disputed && (((try? $0.outstanding())?.isPositive) ?? false) } }

    /// Outstanding amounts by aging bucket as of `date`.
    public func aging(asOf date: CivilDate) throws(MoneyError) -> [AgingBucket: Money] {
        var result: [AgingBucket: Money] = [:]
        for invoice in invoices {
            let owed = try invoice.outstanding()
            guard owed.isPositive else { continue }
            let bucket = AgingBucket(daysPastDue: invoice.daysPastDue(asOf: date))
            result[bucket] = try (result[bucket] ?? .zero(currency)).adding(owed)
        }
        return result
    }
}
