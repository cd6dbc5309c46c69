import Foundation
import ParleyCore

/// One row of accounts.csv: the debtor and the terms of the account, without invoices.
public struct ImportedAccount: Hashable, Sendable {
    public var id: String
    public var debtor: Debtor
    public var currency: Currency
    public var assignee: String?

    public init(id: String, debtor: Debtor, currency: Currency, assignee: String? = nil) {
        self.id = id
        self.debtor = debtor
        self.currency = currency
        self.assignee = assignee
    }

    /// The ParleyCore account with the given invoices and payments.
    public func account(invoices: [Invoice] = [], payments: [Payment] = []) -> Account {
        Account(id: id, debtor: debtor, currency: currency, assignee: assignee, invoices: invoices, payments: payments)
    }
}

/// One row of history.csv: something that already happened on a case before it was imported
/// (the demo's calls, letters, promises, …). The store turns each into the matching case event.
public struct HistoryEntry: Hashable, Sendable {
    /// How a call attempt ended (the same words as `parley record … call --outcome`).
    public enum CallOutcome: String, Sendable, CaseIterable {
        case noAnswer = "no-answer"
        case voicemail
        case conversation
        case wrongNumber = "wrong-number"
        case notConnected = "not-connected"
    }

    /// The letters a history can record as sent.
    public enum Letter: String, Sendable, CaseIterable {
        case reminder
        case finalDemand = "final-demand"
        case validationNotice = "validation-notice"
    }

    public enum Frequency: String, Sendable, CaseIterable {
        case week
        case fortnight
        case month
    }

    /// How a dispute ended: the debt was verified, or the debtor was right.
    public enum DisputeOutcome: String, Sendable, CaseIterable {
        case verified
        case upheld
    }

    public enum Event: Hashable, Sendable {
        /// event=call, outcome=no-answer|voicemail|conversation|wrong-number|not-connected
        case call(CallOutcome)
        /// event=promise, amount, date = the day the debtor promised to pay by
        case promise(amount: Money, due: CivilDate)
        /// event=plan, amount = the total, outcome = "COUNTxFREQUENCY" ("3xmonth"), date = first due date.
        /// The installments are the total split exactly, the remainder on the last.
        case plan(total: Money, installments: Int, every: Frequency, first: CivilDate)
        /// event=settlement, amount = what settles the account, date = when the offer expires
        case settlement(amount: Money, expires: CivilDate)
        /// event=dispute, text = what the debtor disputes
        case dispute(reason: String)
        /// event=dispute-resolved, outcome=verified|upheld
        case disputeResolved(DisputeOutcome)
        /// event=cease: the debtor asked us to stop contacting them
        case cease
        /// event=attorney, text = the attorney's name (and firm)
        case attorney(name: String)
        /// event=letter, outcome=reminder|final-demand|validation-notice
        case letter(Letter)
        /// event=placed, the account was placed with the collection agency
        case placed
        /// event=note, text
        case note(String)

        /// The word in history.csv's `event` column.
        public var name: String {
            switch self {
            case .call: return "call"
            case .promise: return "promise"
            case .plan: return "plan"
            case .settlement: return "settlement"
            case .dispute: return "dispute"
            case .disputeResolved: return "dispute-resolved"
            case .cease: return "cease"
            case .attorney: return "attorney"
            case .letter: return "letter"
            case .placed: return "placed"
            case .note: return "note"
            }
        }

        public static let names = ["call", "promise", "plan", "settlement", "dispute", "dispute-resolved",
                                   "cease", "attorney", "letter", "placed", "note"]
    }

    public var accountID: String
    /// When it happened.
    public var at: Date
    /// The UTC offset `at` was written with, in seconds east of UTC (kept so it can be shown and
    /// written back as it was entered).
    public var utcOffsetSeconds: Int
    /// Who did it: a collector's name, or "system".
    public var actor: String
    public var event: Event

    public init(accountID: String, at: Date, utcOffsetSeconds: Int = 0, actor: String, event: Event) {
        self.accountID = accountID
        self.at = at
        self.utcOffsetSeconds = utcOffsetSeconds
        self.actor = actor
        self.event = event
    }

    /// `at` as ISO 8601 with its offset: 2026-10-14T15:20:00-05:00.
    public var atISO: String { FieldParsing.isoInstant(at, offset: utcOffsetSeconds) }

    /// The same entry `days` later (its instant and every date it carries).
    public func shifted(byDays days: Int) -> HistoryEntry {
        var copy = self
        copy.at = at.addingTimeInterval(TimeInterval(days * 86_400))
        switch event {
        case .promise(let amount, let due): copy.event = .promise(amount: amount, due: due.adding(days: days))
        case .plan(let total, let n, let every, let first):
            copy.event = .plan(total: total, installments: n, every: every, first: first.adding(days: days))
        case .settlement(let amount, let expires): copy.event = .settlement(amount: amount, expires: expires.adding(days: days))
        default: break
        }
        return copy
    }
}

/// Everything read from one import, validated as a whole: accounts, invoices, payments and
/// history in file order. `Invoice.paid` is zero as read (the CSV has no such column);
/// `portfolio()` applies the batch's payments.
public struct ImportBatch: Hashable, Sendable {
    public var accounts: [ImportedAccount]
    public var invoices: [Invoice]
    public var payments: [Payment]
    public var history: [HistoryEntry]

    public init(accounts: [ImportedAccount] = [], invoices: [Invoice] = [], payments: [Payment] = [], history: [HistoryEntry] = []) {
        self.accounts = accounts
        self.invoices = invoices
        self.payments = payments
        self.history = history
    }

    /// Moves every date and instant `days` later (negative: earlier). The demo portfolio is
    /// written relative to its anchor date; the store shifts it by (today − anchor) so the demo
    /// always looks current.
    public mutating func shift(byDays days: Int) {
        guard days != 0 else { return }
        for i in invoices.indices {
            invoices[i].issuedOn = invoices[i].issuedOn.adding(days: days)
            invoices[i].dueOn = invoices[i].dueOn.adding(days: days)
        }
        for i in payments.indices { payments[i].paidOn = payments[i].paidOn.adding(days: days) }
        for i in history.indices { history[i] = history[i].shifted(byDays: days) }
    }

    public func shifted(byDays days: Int) -> ImportBatch {
        var copy = self
        copy.shift(byDays: days)
        return copy
    }

    /// The ParleyCore accounts of this batch in file order, each with its invoices and payments;
    /// a payment that names an invoice is applied to that invoice's `paid`.
    public func portfolio() throws(MoneyError) -> [Account] {
        var byID: [String: Int] = [:]
        var result: [Account] = []
        for account in accounts {
            byID[account.id] = result.count
            result.append(account.account())
        }
        var invoiceSlot: [String: (Int, Int)] = [:]
        for invoice in invoices {
            guard let a = byID[invoice.accountID] else { continue }
            invoiceSlot[invoice.id] = (a, result[a].invoices.count)
            result[a].invoices.append(invoice)
        }
        for payment in payments {
            guard let a = byID[payment.accountID] else { continue }
            result[a].payments.append(payment)
            if let id = payment.invoiceID, let (ai, ii) = invoiceSlot[id] {
                result[ai].invoices[ii].paid = try result[ai].invoices[ii].paid.adding(payment.amount)
            }
        }
        return result
    }
}
