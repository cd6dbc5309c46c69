import Foundation
import ParleyCore

/// Who is working, on what, as of when: shown in the title bar.
public struct WorkbenchContext: Hashable, Sendable {
    /// The operator's name, e.g. "alice".
    public var operatorName: String
    /// Where the data lives, as the collector should read it: a file path or a server URL.
    public var database: String
    /// The working date: days past due, aging and what is due are counted to it.
    public var asOf: CivilDate
    /// The zone in which timeline timestamps are shown (an IANA name; "UTC" by default).
    public var timeZone: String
    /// The operator's role: a supervisor's review keys and overlays (the store enforces it).
    public var role: Role

    public init(operatorName: String, database: String, asOf: CivilDate, timeZone: String = "UTC", role: Role = .collector) {
        self.operatorName = operatorName
        self.database = database
        self.asOf = asOf
        self.timeZone = timeZone
        self.role = role
    }
}

/// The queue's filter: empty shows every account; otherwise an account matches when each word
/// of the text starts a word of its debtor's name, ignoring case, or its account id or one of its
/// invoice ids starts with the text (the in-memory source matches the text anywhere in the name).
public struct QueueFilter: Hashable, Sendable {
    public var text: String

    public init(_ text: String = "") { self.text = text.trimmingCharacters(in: .whitespaces) }

    public var isEmpty: Bool { text.isEmpty }
}

/// Conditions that change how an account may be worked.
public struct AccountFlags: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// An invoice (or the whole debt) is disputed: no collection until it is resolved.
    public static let disputed = AccountFlags(rawValue: 1 << 0)
    /// The debtor asked that contact cease.
    public static let ceased = AccountFlags(rawValue: 1 << 1)
    /// The debtor is represented by an attorney: talk to the attorney only.
    public static let attorney = AccountFlags(rawValue: 1 << 2)
    /// Past the limitation period: never threaten suit.
    public static let timeBarred = AccountFlags(rawValue: 1 << 3)

    /// Each flag with its label, in the order they are shown.
    public static let labelled: [(flag: AccountFlags, label: String, role: ThemeRole)] = [
        (.disputed, "DISPUTED", .flagDisputed),
        (.ceased, "CEASED", .flagCeased),
        (.attorney, "ATTORNEY", .flagAttorney),
        (.timeBarred, "TIME-BARRED", .flagTimeBarred),
    ]
}

/// The next step on an account and when it is due.
public struct NextStep: Hashable, Sendable {
    /// What to do, in the collector's words: "call", "send final demand", "promise due".
    public var action: String
    public var on: CivilDate?

    public init(action: String, on: CivilDate? = nil) {
        self.action = action
        self.on = on
    }
}

/// One account's line in the queue. Stage and status are shown as given ("call", "promised").
public struct QueueRow: Hashable, Sendable {
    public var accountID: String
    public var debtorName: String
    public var balance: Money
    public var daysPastDue: Int
    public var stage: String
    public var status: String
    public var next: NextStep?
    public var flags: AccountFlags

    public init(accountID: String, debtorName: String, balance: Money, daysPastDue: Int, stage: String,
                status: String, next: NextStep? = nil, flags: AccountFlags = []) {
        self.accountID = accountID
        self.debtorName = debtorName
        self.balance = balance
        self.daysPastDue = daysPastDue
        self.stage = stage
        self.status = status
        self.next = next
        self.flags = flags
    }
}

/// What kind of thing happened on an account, for the timeline's marker.
public enum TimelineKind: String, Hashable, Sendable, CaseIterable {
    case call, letter, promise, plan, payment, dispute, note, stage, other
}

/// One entry in the debtor's history.
public struct TimelineEntry: Hashable, Sendable {
    public var at: Date
    public var kind: TimelineKind
    /// One line: "no answer", "promised EUR 500.00 by 2026-12-01", "stage call → letter".
    public var summary: String
    /// Who recorded it.
    public var actor: String?

    public init(at: Date, kind: TimelineKind, summary: String, actor: String? = nil) {
        self.at = at
        self.kind = kind
        self.summary = summary
        self.actor = actor
    }
}

/// Everything the history pane shows for one account.
public struct AccountDetail: Hashable, Sendable {
    public var accountID: String
    public var debtor: Debtor
    public var assignee: String?
    public var balance: Money
    public var daysPastDue: Int
    public var stage: String
    public var status: String
    public var flags: AccountFlags
    /// The account's invoices; outstanding amounts and aging are worked out as of the context's date.
    public var invoices: [Invoice]
    /// Newest first.
    public var timeline: [TimelineEntry]
    public var next: NextStep?

    public init(accountID: String, debtor: Debtor, assignee: String? = nil, balance: Money, daysPastDue: Int,
                stage: String, status: String, flags: AccountFlags = [], invoices: [Invoice] = [],
                timeline: [TimelineEntry] = [], next: NextStep? = nil) {
        self.accountID = accountID
        self.debtor = debtor
        self.assignee = assignee
        self.balance = balance
        self.daysPastDue = daysPastDue
        self.stage = stage
        self.status = status
        self.flags = flags
        self.invoices = invoices
        self.timeline = timeline
        self.next = next
    }
}

/// One reason an account sits where it does in the queue ("promise due today", "balance
/// EUR 12,400.00"), with its contribution to the priority when the queue scores it.
public struct QueueReason: Hashable, Sendable {
    public var text: String
    public var weight: Int?

    public init(_ text: String, weight: Int? = nil) {
        self.text = text
        self.weight = weight
    }
}

/// Where the workbench reads its data. The store adapts itself to this; tests use
/// `InMemoryDataSource`. Calls are synchronous and must be cheap: the queue is read a page at a
/// time (only the rows on screen), so a portfolio of 200,000 accounts is never loaded whole.
public protocol WorkbenchDataSource: CallDataSource {
    /// Operator, database and working date for the title bar.
    func context() throws -> WorkbenchContext
    /// How many accounts the queue holds under the filter.
    func queueCount(filter: QueueFilter) throws -> Int
    /// The rows at positions `offset ..< offset + limit` of the prioritised queue under the
    /// filter (fewer at the end), highest priority first.
    func queuePage(filter: QueueFilter, offset: Int, limit: Int) throws -> [QueueRow]
    /// One account's history; nil when there is no such account.
    func accountDetail(accountID: String) throws -> AccountDetail?
    /// Why the account is where it is in the queue, most important first.
    func queueReasons(accountID: String) throws -> [QueueReason]
}

/// What the offer builder needs to work out an offer for one account.
public struct OfferInputs: Hashable, Sendable {
    public var balance: Money
    public var debtorKind: DebtorKind
    /// Promises kept and broken on the case, for the recovery estimate.
    public var promiseRecord: PromiseRecord
    /// The operator's role: whose authority the offer is checked against.
    public var role: Role
    public var policy: Policy

    public init(balance: Money, debtorKind: DebtorKind, promiseRecord: PromiseRecord, role: Role, policy: Policy) {
        self.balance = balance
        self.debtorKind = debtorKind
        self.promiseRecord = promiseRecord
        self.role = role
        self.policy = policy
    }
}

/// What recording an event did: the lines recorded, the case's new status and next step, what
/// the lifecycle asked for, and the written agreement when one was produced.
public struct RecordResult: Hashable, Sendable {
    /// One line per event written ("plan of 3 payments from … to …").
    public var recorded: [String]
    /// The case's status after it, as the collector reads it ("on plan", "awaiting approval").
    public var status: String
    public var next: NextStep?
    /// The effects' summaries ("send the written agreement (…)").
    public var effects: [String]
    /// Where the written agreement was rendered, when the event produced one.
    public var agreementFile: String?

    public init(recorded: [String], status: String, next: NextStep? = nil, effects: [String] = [], agreementFile: String? = nil) {
        self.recorded = recorded
        self.status = status
        self.next = next
        self.effects = effects
        self.agreementFile = agreementFile
    }
}

/// A write the workbench asked for and the data source refused, with the reason to show.
public struct RecordRefused: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The calls a workbench makes while working a case. Writes are done as the context's operator.
public protocol CallDataSource: AnyObject {
    /// The current instant (fixed in tests and with `parley --now`).
    func now() -> Date
    /// The contact rules' verdict on calling the account's debtor at `at`.
    func contactVerdict(accountID: String, at: Date) throws -> ContactVerdict
    /// Records a call attempt with its outcome; the verdict at `at` is recorded with it.
    func recordCall(accountID: String, outcome: CallOutcome, at: Date) throws -> RecordResult
    /// Records one event on the case through the lifecycle; throws `RecordRefused` when the
    /// lifecycle refuses it.
    func record(_ event: CaseEvent, accountID: String, at: Date) throws -> RecordResult
    /// The balance, debtor kind, promise record, role and policy the offer builder works with.
    func offerInputs(accountID: String) throws -> OfferInputs?
}

extension TimelineEntry {
    /// An event as the history shows it; nil for ticks and the bookkeeping of opening a case.
    public init?(recorded: RecordedEvent) {
        let kind: TimelineKind
        switch recorded.event {
        case .tick, .opened, .invoiceAdded: return nil
        case .callAttempted, .rightPartyContact, .callbackScheduled: kind = .call
        case .letterSent: kind = .letter
        case .promiseMade, .promiseKept, .promiseBroken: kind = .promise
        case .planAgreed, .installmentPaid, .installmentMissed, .settlementAccepted, .settlementPaid, .settlementLapsed,
             .approvalRequested, .approvalGranted, .approvalDenied: kind = .plan
        case .paymentReceived: kind = .payment
        case .disputeRaised, .disputeResolved: kind = .dispute
        case .note: kind = .note
        case .escalated, .placedWithAgency, .recalled, .writtenOff, .reopened, .hold, .release, .ceaseRequested,
             .attorneyRepresented, .reassigned: kind = .stage
        }
        self.init(at: recorded.at, kind: kind, summary: recorded.event.summary, actor: recorded.actor.name)
    }
}

extension CaseState {
    /// The status as the workbench shows it: an offer waiting for a supervisor reads
    /// "awaiting approval" whatever the case's status.
    public var workbenchStatus: String { pendingApproval != nil ? "awaiting approval" : status.label }
}
