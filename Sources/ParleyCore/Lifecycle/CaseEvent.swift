import Foundation

/// How a call attempt ended. Only `conversation` is a telephone conversation with the debtor;
/// `notConnected` never reached a line and does not count toward the call-frequency limit.
public enum CallOutcome: String, Codable, Sendable, CaseIterable {
    case noAnswer = "no-answer"
    case voicemail
    case conversation
    case wrongNumber = "wrong-number"
    case notConnected = "not-connected"
}

/// How a dispute ended: the debt was verified (collection resumes) or the debtor was right
/// (the disputed amount is withdrawn and the case closes).
public enum DisputeResolution: String, Codable, Sendable {
    case verified
    case upheld
}

/// One scheduled payment of an agreed plan.
public struct Installment: Hashable, Codable, Sendable {
    public var due: CivilDate
    public var amount: Money
    public var paid: Money

    public init(due: CivilDate, amount: Money, paid: Money? = nil) {
        self.due = due
        self.amount = amount
        self.paid = paid ?? .zero(amount.currency)
    }

    public var isPaid: Bool { paid.minorUnits >= amount.minorUnits }
}

/// An offer waiting for a supervisor, or agreed.
public enum Arrangement: Hashable, Codable, Sendable {
    case promise(amount: Money, due: CivilDate)
    case plan(installments: [Installment])
    case settlement(amount: Money, expires: CivilDate)

    public var summary: String {
        switch self {
        case .promise(let amount, let due): return "promise of \(amount.formatted) by \(due.iso)"
        case .plan(let items):
            guard let first = items.first, let last = items.last else { return "an empty plan" }
            return "plan of \(items.count) payments from \(first.due.iso) to \(last.due.iso)"
        case .settlement(let amount, let expires): return "settlement of \(amount.formatted) by \(expires.iso)"
        }
    }
}

/// An invoice a case opens with: what `invoiceAdded` records, carried by the `opened` event of
/// an import (one event for an account and its invoices, instead of one more for each invoice).
public struct OpeningInvoice: Hashable, Codable, Sendable {
    public var id: String
    public var amount: Money
    public var due: CivilDate

    public init(id: String, amount: Money, due: CivilDate) {
        self.id = id
        self.amount = amount
        self.due = due
    }

    enum CodingKeys: String, CodingKey { case id, amount, due }

    /// `[id, due, amount, currency]`, the amount as `Money` writes it (`"1234.56"`): an import
    /// writes a million of these at 200,000 accounts, 43 bytes each against the 81 of the
    /// object (`{"amount":{"amount":…,"currency":…},"due":…,"id":…}`), which logs written before
    /// hold and which reads as well.
    public init(from decoder: Decoder) throws {
        guard var array = try? decoder.unkeyedContainer() else {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(id: try c.decode(String.self, forKey: .id), amount: try c.decode(Money.self, forKey: .amount),
                      due: try c.decode(CivilDate.self, forKey: .due))
            return
        }
        let id = try array.decode(String.self)
        let due = try array.decode(CivilDate.self)
        let amount = try array.decode(String.self)
        let currency = try array.decode(Currency.self)
        guard array.isAtEnd else {
            throw DecodingError.dataCorruptedError(in: array, debugDescription: "an opening's invoice \(id) has more than its id, due day, amount and currency")
        }
        self.init(id: id, amount: try Money.canonical(amount, currency: currency) ?? Money.parse(amount, currency: currency), due: due)
    }

    public func encode(to encoder: Encoder) throws {
        var array = encoder.unkeyedContainer()
        try array.encode(id)
        try array.encode(due)
        try array.encode(amount.decimalString)
        try array.encode(amount.currency)
    }
}

/// Everything that can happen to a case. Each case has a stable `kind` string for the log.
public enum CaseEvent: Hashable, Codable, Sendable {
    /// A case opens; with `invoices`, they are booked as an `invoiceAdded` each would book them,
    /// in their order (an import writes an account's invoices so). A log written before they
    /// were carried here has none, and an `invoiceAdded` event for each.
    case opened(accountID: String, debtorKind: DebtorKind, currency: Currency, on: CivilDate, invoices: [OpeningInvoice]? = nil)
    case invoiceAdded(invoiceID: String, amount: Money, due: CivilDate)
    case paymentReceived(amount: Money, on: CivilDate)
    case tick(asOf: CivilDate)
    case escalated(to: Stage, on: CivilDate)
    case letterSent(LetterKind, on: CivilDate)
    /// A call attempt, with the contact rules' decision at the time and, when it was blocked,
    /// the supervisor's reason for overriding it.
    case callAttempted(outcome: CallOutcome, verdict: ContactVerdict.Decision, overrideReason: String?)
    case rightPartyContact
    case callbackScheduled(at: Date)
    case promiseMade(amount: Money, due: CivilDate)
    case promiseKept
    case promiseBroken
    case planAgreed(installments: [Installment])
    case installmentPaid(amount: Money)
    case installmentMissed(due: CivilDate)
    case settlementAccepted(amount: Money, expires: CivilDate)
    case settlementPaid
    case settlementLapsed
    case approvalRequested(Arrangement, exceeds: [String])
    case approvalGranted
    case approvalDenied(reason: String)
    case disputeRaised(reason: String)
    case disputeResolved(DisputeResolution)
    case ceaseRequested
    case attorneyRepresented(name: String)
    case hold(reason: String)
    case release
    case placedWithAgency(on: CivilDate)
    case recalled(reason: String)
    case writtenOff(reason: String)
    /// A supervisor moves the case to another collector.
    case reassigned(to: String, reason: String)
    case reopened(reason: String)
    case note(String)

    public var kind: EventKind {
        switch self {
        case .opened: return .opened
        case .invoiceAdded: return .invoiceAdded
        case .paymentReceived: return .paymentReceived
        case .tick: return .tick
        case .escalated: return .escalated
        case .letterSent: return .letterSent
        case .callAttempted: return .callAttempted
        case .rightPartyContact: return .rightPartyContact
        case .callbackScheduled: return .callbackScheduled
        case .promiseMade: return .promiseMade
        case .promiseKept: return .promiseKept
        case .promiseBroken: return .promiseBroken
        case .planAgreed: return .planAgreed
        case .installmentPaid: return .installmentPaid
        case .installmentMissed: return .installmentMissed
        case .settlementAccepted: return .settlementAccepted
        case .settlementPaid: return .settlementPaid
        case .settlementLapsed: return .settlementLapsed
        case .approvalRequested: return .approvalRequested
        case .approvalGranted: return .approvalGranted
        case .approvalDenied: return .approvalDenied
        case .disputeRaised: return .disputeRaised
        case .disputeResolved: return .disputeResolved
        case .ceaseRequested: return .ceaseRequested
        case .attorneyRepresented: return .attorneyRepresented
        case .hold: return .hold
        case .release: return .release
        case .placedWithAgency: return .placedWithAgency
        case .recalled: return .recalled
        case .writtenOff: return .writtenOff
        case .reassigned: return .reassigned
        case .reopened: return .reopened
        case .note: return .note
        }
    }
}

/// The stable name of each kind of event, as stored in the log's `kind` column.
public enum EventKind: String, Codable, Sendable, CaseIterable {
    case opened = "opened"
    case invoiceAdded = "invoice-added"
    case paymentReceived = "payment-received"
    case tick = "tick"
    case escalated = "escalated"
    case letterSent = "letter-sent"
    case callAttempted = "call-attempted"
    case rightPartyContact = "right-party-contact"
    case callbackScheduled = "callback-scheduled"
    case promiseMade = "promise-made"
    case promiseKept = "promise-kept"
    case promiseBroken = "promise-broken"
    case planAgreed = "plan-agreed"
    case installmentPaid = "installment-paid"
    case installmentMissed = "installment-missed"
    case settlementAccepted = "settlement-accepted"
    case settlementPaid = "settlement-paid"
    case settlementLapsed = "settlement-lapsed"
    case approvalRequested = "approval-requested"
    case approvalGranted = "approval-granted"
    case approvalDenied = "approval-denied"
    case disputeRaised = "dispute-raised"
    case disputeResolved = "dispute-resolved"
    case ceaseRequested = "cease-requested"
    case attorneyRepresented = "attorney-represented"
    case hold = "hold"
    case release = "release"
    case placedWithAgency = "placed-with-agency"
    case recalled = "recalled"
    case writtenOff = "written-off"
    case reassigned = "reassigned"
    case reopened = "reopened"
    case note = "note"

    /// Words for a collector, used in refusals and the timeline.
    public var label: String {
        switch self {
        case .opened: return "open the case"
        case .invoiceAdded: return "add an invoice"
        case .paymentReceived: return "record a payment"
        case .tick: return "let time pass"
        case .escalated: return "escalate"
        case .letterSent: return "send a letter"
        case .callAttempted: return "call"
        case .rightPartyContact: return "record a right-party contact"
        case .callbackScheduled: return "schedule a callback"
        case .promiseMade: return "take a promise to pay"
        case .promiseKept: return "mark the promise kept"
        case .promiseBroken: return "mark the promise broken"
        case .planAgreed: return "agree a payment plan"
        case .installmentPaid: return "record an installment"
        case .installmentMissed: return "mark an installment missed"
        case .settlementAccepted: return "accept a settlement"
        case .settlementPaid: return "record the settlement paid"
        case .settlementLapsed: return "let the settlement lapse"
        case .approvalRequested: return "ask a supervisor to approve an offer"
        case .approvalGranted: return "approve the offer"
        case .approvalDenied: return "reject the offer"
        case .disputeRaised: return "record a dispute"
        case .disputeResolved: return "resolve the dispute"
        case .ceaseRequested: return "record a cease request"
        case .attorneyRepresented: return "record an attorney"
        case .hold: return "put the case on hold"
        case .release: return "release the hold"
        case .placedWithAgency: return "place the account with the agency"
        case .recalled: return "recall the account from the agency"
        case .writtenOff: return "write off the debt"
        case .reassigned: return "reassign the case"
        case .reopened: return "reopen the case"
        case .note: return "add a note"
        }
    }
}

/// An event as it happened: when, by whom, what.
public struct RecordedEvent: Hashable, Codable, Sendable {
    public var at: Date
    public var actor: Actor
    public var event: CaseEvent

    public init(at: Date, actor: Actor, event: CaseEvent) {
        self.at = at
        self.actor = actor
        self.event = event
    }
}

extension Arrangement {
    /// The event that records this arrangement as agreed.
    public var agreedEvent: CaseEvent {
        switch self {
        case .promise(let amount, let due): return .promiseMade(amount: amount, due: due)
        case .plan(let installments): return .planAgreed(installments: installments)
        case .settlement(let amount, let expires): return .settlementAccepted(amount: amount, expires: expires)
        }
    }
}
