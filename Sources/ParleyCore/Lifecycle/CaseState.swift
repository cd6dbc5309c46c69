import Foundation

/// Everything the lifecycle knows about one case: the fold of its events.
public struct CaseState: Hashable, Codable, Sendable {
    public var accountID: String
    public var debtorKind: DebtorKind
    public var currency: Currency
    public var openedOn: CivilDate
    public var stage: Stage
    /// The day the current stage began; nil while the case waits for its first reminder.
    public var stageSince: CivilDate?
    public var status: Status
    /// The status to return to when a hold is released or a dispute is verified.
    public var resumeStatus: Status?
    public var balance: Money
    /// Outstanding invoices by id, with their due dates: the escalation clock runs from the oldest.
    public var openInvoices: [String: OpenInvoice]
    public var lastTick: CivilDate?
    public var promise: PromiseTerms?
    public var plan: [Installment]?
    public var settlement: SettlementTerms?
    public var pendingApproval: PendingApproval?
    public var promisesKept: Int
    public var promisesBroken: Int
    public var installmentsMissed: Int
    public var callAttempts: Int
    public var conversations: Int
    public var lastContactAt: Date?
    public var callbackAt: Date?
    public var disputeReason: String?
    public var ceased: Bool
    public var attorney: String?
    public var holdReason: String?
    public var placedOn: CivilDate?
    /// The collector the case was reassigned to; nil while it stays with the account's assignee.
    public var assignee: String?
    public var lettersSent: [LetterKind]
    /// Number of events folded into this state: the optimistic-concurrency version.
    public var version: Int

    public struct OpenInvoice: Hashable, Codable, Sendable {
        public var due: CivilDate
        public var outstanding: Money

        public init(due: CivilDate, outstanding: Money) {
            self.due = due
            self.outstanding = outstanding
        }
    }

    public struct PromiseTerms: Hashable, Codable, Sendable {
        public var amount: Money
        public var due: CivilDate
        /// Paid since the promise was made.
        public var paid: Money

        public init(amount: Money, due: CivilDate, paid: Money) {
            self.amount = amount
            self.due = due
            self.paid = paid
        }
    }

    public struct SettlementTerms: Hashable, Codable, Sendable {
        public var amount: Money
        public var expires: CivilDate
        public var paid: Money

        public init(amount: Money, expires: CivilDate, paid: Money) {
            self.amount = amount
            self.expires = expires
            self.paid = paid
        }
    }

    public struct PendingApproval: Hashable, Codable, Sendable {
        public var arrangement: Arrangement
        public var exceeds: [String]
        public var requestedBy: String
    }

    /// A new case, before any event: the `opened` event's payload.
    public init(accountID: String, debtorKind: DebtorKind, currency: Currency, openedOn: CivilDate) {
        self.accountID = accountID
        self.debtorKind = debtorKind
        self.currency = currency
        self.openedOn = openedOn
        self.stage = .reminder
        self.stageSince = nil
        self.status = .open
        self.resumeStatus = nil
        self.balance = .zero(currency)
        self.openInvoices = [:]
        self.lastTick = nil
        self.promise = nil
        self.plan = nil
        self.settlement = nil
        self.pendingApproval = nil
        self.promisesKept = 0
        self.promisesBroken = 0
        self.installmentsMissed = 0
        self.callAttempts = 0
        self.conversations = 0
        self.lastContactAt = nil
        self.callbackAt = nil
        self.disputeReason = nil
        self.ceased = false
        self.attorney = nil
        self.holdReason = nil
        self.placedOn = nil
        self.assignee = nil
        self.lettersSent = []
        self.version = 0
    }

    /// The oldest due date among invoices still owing: the escalation clock.
    public var oldestDue: CivilDate? { openInvoices.values.map(\.due).min() }

    public func daysPastDue(asOf date: CivilDate) -> Int {
        guard let due = oldestDue, balance.isPositive else { return 0 }
        return max(0, due.days(until: date))
    }

    /// The next unpaid installment of an agreed plan.
    public var nextInstallment: Installment? { plan?.first { !$0.isPaid } }
}
