import Foundation
import ParleyCore

/// Persistence for cases: the portfolio, the append-only event log and the case projections.
/// Every call is `async throws` so that a server-backed implementation (PostgreSQL) can stand
/// behind the same callers. Every write is one transaction: all of it happens, or none.
public protocol CaseStore: Sendable {
    /// The policy the store applies the lifecycle with.
    var policy: Policy { get }

    /// What the CSV import needs to know of records already stored (account currencies, the
    /// account of an invoice), for files that refer to earlier imports.
    func knownRecords() async throws -> KnownRecords

    /// Adds accounts, invoices, payments and case history, recording the events that open the
    /// cases, book the money and replay the history through the lifecycle. All or nothing.
    /// Accounts, invoices and payments whose ids are already present are skipped and counted,
    /// never duplicated; history is imported only for accounts new in this import.
    func importPortfolio(_ batch: ImportBatch, actor: Actor, at: Date) async throws -> ImportSummary

    /// Records an event on a case through the lifecycle, with its follow-ups and the effects that
    /// are themselves events (letters sent, callbacks, placement). Throws `StoreError.refused`
    /// with the lifecycle's reason, writing nothing, when the rules forbid it. With an
    /// `expectedVersion` (the `CaseRecord.version` the collector's screen shows), a case changed
    /// since is refused with `StoreError.staleCase`, writing nothing.
    func record(_ event: CaseEvent, accountID: String, actor: Actor, at: Date, expectedVersion: Int?) async throws -> RecordOutcome

    /// The contact rules' verdict on calling the case's debtor at `at` (nothing is written).
    func evaluateCall(accountID: String, at: Date) async throws -> ContactVerdict

    /// Records a call attempt: asks the contact rules inside the transaction, then records the
    /// attempt with their decision. A blocked call is refused unless a supervisor gives an
    /// override reason; a refused call writes nothing.
    /// `expectedVersion` as for `record`.
    func recordCall(accountID: String, outcome: CallOutcome, overrideReason: String?, actor: Actor, at: Date, expectedVersion: Int?) async throws -> (ContactVerdict, RecordOutcome)

    /// Takes the next case for `collector`: the highest-priority case in the queue that no one
    /// holds under an unexpired lease, held from `at` for `leaseSeconds`. Two collectors never
    /// get the same case. Nil when every queued case is held.
    func claimNext(collector: String, leaseSeconds: Int, at: Date) async throws -> CaseRecord?

    /// Gives up `collector`'s lease on the case (nothing happens when someone else holds it).
    func release(accountID: String, collector: String) async throws

    /// Closes the connections (a no-op for the embedded file).
    func close() async

    /// The daily run: lets time pass to `asOf` on every live case. A second run for a date that
    /// has already run changes nothing and returns the first run's summary with `alreadyRun`.
    func runDaily(asOf: CivilDate, actor: Actor, at: Date) async throws -> RunSummary

    /// One page of the call queue, highest priority first, optionally filtered by debtor name,
    /// account id or invoice id. Never loads more than the page.
    func queue(_ query: QueueQuery) async throws -> QueuePage

    func account(id: String) async throws -> Account?
    func caseRecord(accountID: String) async throws -> CaseRecord?
    func history(accountID: String) async throws -> [StoredEvent]

    /// The accounts and cases of `ids` (those that exist), with their logs when `histories`
    /// (else empty), read together: what a day's letters and agency file are written from. The
    /// stores read them in one go (a thousand letters' accounts had cost two reads a letter:
    /// 158 s for the 167,419 first-day letters at 200,000 accounts on SQLite, 4 ms a letter on
    /// a PostgreSQL server over the loopback).
    func accountsAndCases(_ ids: [String], histories: Bool) async throws -> [String: (Account, CaseRecord, [StoredEvent])]

    /// Letters whose `letter-sent` events are dated `on`.
    func lettersSent(on date: CivilDate) async throws -> [SentLetter]
    /// Accounts placed with the agency on `on` (a `placed-with-agency` event, or an `escalated`
    /// event to the agency stage, dated that day), and those recalled that day.
    func placements(on date: CivilDate) async throws -> PlacementDay

    func report(asOf date: CivilDate) async throws -> PortfolioReport

    /// Replays the whole log and rewrites every projection from it. Returns the number of cases.
    @discardableResult
    func rebuildProjections() async throws -> Int

    /// Every projection row, in account order (for comparisons and exports).
    func allCaseRecords() async throws -> [CaseRecord]

    // MARK: Supervision (Docs/store.md, "Operators and roles")

    /// Every operator, retired ones included, by name.
    func operators() async throws -> [Operator]

    /// Adds an operator, or brings a retired one back with `role`. Only an active supervisor may
    /// (`OperatorError.supervisorOnly`), except for the first operator of a database, who must be
    /// a supervisor and may be added by anyone. A name already active is refused.
    @discardableResult
    func addOperator(name: String, role: Role, by: Actor, at: Date) async throws -> Operator

    /// Retires an active operator (supervisor only); the last active supervisor cannot be retired.
    @discardableResult
    func retireOperator(name: String, by: Actor, at: Date) async throws -> Operator

    /// Moves every case now assigned to `from` (and matching `filter`, as the queue's filter does)
    /// to `to`, recording a `reassigned` event on each, in one transaction. Supervisor only; `to`
    /// must be an active operator when the store keeps operators. Returns the events written.
    func reassignAll(from: String, to: String, filter: String?, reason: String, actor: Actor, at: Date) async throws -> [StoredEvent]

    /// Offers beyond a collector's authority waiting for a supervisor, oldest request first.
    func pendingApprovals() async throws -> [PendingApprovalEntry]

    /// The event log filtered, newest first, at most `limit` events.
    func auditLog(_ query: AuditQuery) async throws -> [StoredEvent]

    /// The figures of the period `from`...`to` (both days included), as Docs/figures.md defines them.
    func figures(from: CivilDate, to: CivilDate) async throws -> PeriodFigures
}

extension CaseStore {
    /// The operator acting under `name`, with the role the store keeps; an unknown or retired
    /// name is refused with `OperatorError`.
    public func resolveOperator(named name: String) async throws -> Actor {
        let all = try await operators()
        guard let found = all.first(where: { $0.name == name }) else { throw OperatorError.unknown(name) }
        guard found.active else { throw OperatorError.retired(name, on: found.retiredAt, by: found.retiredBy) }
        return found.actor
    }

    /// Makes `name` the first supervisor of a store that keeps no operators; returns whether it did.
    @discardableResult
    public func ensureFirstSupervisor(name: String, at: Date) async throws -> Bool {
        guard try await operators().isEmpty else { return false }
        try await addOperator(name: name, role: .supervisor, by: Actor(name: name, role: .supervisor), at: at)
        return true
    }
}

extension CaseStore {
    /// One account at a time, for a store with no better way.
    public func accountsAndCases(_ ids: [String], histories: Bool) async throws -> [String: (Account, CaseRecord, [StoredEvent])] {
        var found: [String: (Account, CaseRecord, [StoredEvent])] = [:]
        for id in ids where found[id] == nil {
            guard let account = try await account(id: id), let record = try await caseRecord(accountID: id) else { continue }
            found[id] = (account, record, histories ? try await history(accountID: id) : [])
        }
        return found
    }

    /// Records without a version check.
    public func record(_ event: CaseEvent, accountID: String, actor: Actor, at: Date) async throws -> RecordOutcome {
        try await record(event, accountID: accountID, actor: actor, at: at, expectedVersion: nil)
    }

    /// Records a call without a version check.
    public func recordCall(accountID: String, outcome: CallOutcome, overrideReason: String?, actor: Actor, at: Date) async throws -> (ContactVerdict, RecordOutcome) {
        try await recordCall(accountID: accountID, outcome: outcome, overrideReason: overrideReason, actor: actor, at: at, expectedVersion: nil)
    }
}

public struct ImportSummary: Hashable, Codable, Sendable {
    public var accountsAdded: Int
    public var accountsAlreadyPresent: Int
    public var invoicesAdded: Int
    public var invoicesAlreadyPresent: Int
    public var paymentsAdded: Int
    public var paymentsAlreadyPresent: Int
    public var historyImported: Int
    /// History rows skipped because their account was already in the database.
    public var historyAlreadyPresent: Int
    public var eventsRecorded: Int

    public init() {
        accountsAdded = 0; accountsAlreadyPresent = 0
        invoicesAdded = 0; invoicesAlreadyPresent = 0
        paymentsAdded = 0; paymentsAlreadyPresent = 0
        historyImported = 0; historyAlreadyPresent = 0
        eventsRecorded = 0
    }
}

/// One entry of the log as stored.
public struct StoredEvent: Hashable, Codable, Sendable {
    public var id: Int64
    public var accountID: String
    public var seq: Int
    public var at: Date
    public var actor: Actor
    public var kind: String
    public var event: CaseEvent

    public var recorded: RecordedEvent { RecordedEvent(at: at, actor: actor, event: event) }
}

/// A case as the projection holds it: the columns the queue sorts and filters on, and the
/// lifecycle state they come from.
public struct CaseRecord: Hashable, Codable, Sendable {
    public var accountID: String
    public var debtorName: String
    public var stage: Stage
    public var status: Status
    public var balance: Money
    public var daysPastDue: Int
    public var nextAction: NextAction
    public var priority: Priority
    public var inQueue: Bool
    public var assignee: String?
    public var version: Int
    /// The day the derived columns (days past due, priority, next action) were worked out for.
    public var asOf: CivilDate
    public var state: CaseState
}

/// A filter and a page of the queue.
public struct QueueQuery: Hashable, Sendable {
    /// Matches a debtor name by the start of its words (any case: "ironb" finds "Ironbridge Ltd";
    /// several words must each start a word of the name), or an account id or an invoice id from
    /// the start.
    public var filter: String?
    /// Entries skipped from where `position` puts the page's start (or, for `.before` and `.end`,
    /// its end).
    public var offset: Int
    public var limit: Int
    /// Cases of every status, not only those a collector works.
    public var includeAll: Bool
    /// Where the page is anchored: at the top (the default), just after or before a known entry
    /// (keyset paging: no walk over the entries in front of it), or at the end of the queue.
    public var position: QueuePosition
    /// Whether `total` is counted; when false the page's `total` is -1.
    public var countTotal: Bool

    public init(filter: String? = nil, offset: Int = 0, limit: Int = 50, includeAll: Bool = false,
                position: QueuePosition = .top, countTotal: Bool = true) {
        self.filter = filter
        self.offset = offset
        self.limit = limit
        self.includeAll = includeAll
        self.position = position
        self.countTotal = countTotal
    }
}

/// An entry's place in the queue's order (priority highest first, then account id).
public struct QueueKey: Hashable, Codable, Sendable {
    public var priority: Int
    public var accountID: String

    public init(priority: Int, accountID: String) {
        self.priority = priority
        self.accountID = accountID
    }

    public init(_ record: CaseRecord) { self.init(priority: record.priority.score, accountID: record.accountID) }
}

/// Where a queue page is anchored. Entries always come back in queue order.
public enum QueuePosition: Hashable, Sendable {
    /// From the top, skipping `offset` entries.
    case top
    /// The entries after `key`, skipping `offset` of them.
    case after(QueueKey)
    /// The `limit` entries that end `offset` entries before `key`.
    case before(QueueKey)
    /// The `limit` entries that end `offset` entries before the end of the queue.
    case end
}

public struct QueuePage: Hashable, Codable, Sendable {
    public var entries: [CaseRecord]
    /// The query's offset.
    public var offset: Int
    /// The number of cases that match the filter in all pages (-1 when not counted).
    public var total: Int
    /// Each entry's place in the queue's order as stored (for `.after` and `.before`).
    public var keys: [QueueKey] = []
}

public struct RecordOutcome: Hashable, Sendable {
    /// The events written, in order (the event itself, then its follow-ups).
    public var events: [StoredEvent]
    public var effects: [Effect]
    public var record: CaseRecord
}

public struct SentLetter: Hashable, Sendable {
    public var accountID: String
    public var kind: LetterKind
    public var on: CivilDate
}

public struct PlacementDay: Hashable, Sendable {
    public var placed: [String]
    public var recalled: [String]
}

/// What the daily run did.
public struct RunSummary: Hashable, Codable, Sendable {
    public var asOf: CivilDate
    public var alreadyRun: Bool
    /// The live cases the run brought to its date.
    public var casesTicked: Int
    /// Those among them with something possibly due, which the lifecycle stepped (the others
    /// only had their priority brought to the date).
    public var casesStepped: Int
    public var eventsRecorded: Int
    /// Counts of the events the run recorded, by kind (`escalated`, `promise-broken`, ...).
    public var eventsByKind: [String: Int]
    public var escalations: [String: Int]
    public var lettersDue: Int
    public var placed: [String]

    public init(asOf: CivilDate) {
        self.asOf = asOf
        alreadyRun = false
        casesTicked = 0
        casesStepped = 0
        eventsRecorded = 0
        eventsByKind = [:]
        escalations = [:]
        lettersDue = 0
        placed = []
    }

    enum CodingKeys: String, CodingKey {
        case asOf, alreadyRun, casesTicked, casesStepped, eventsRecorded, eventsByKind, escalations, lettersDue, placed
    }

    /// Adds the counts of a part of the same run (a batch of its cases, stepped after those
    /// counted so far).
    mutating func add(_ part: RunSummary) {
        casesTicked += part.casesTicked
        casesStepped += part.casesStepped
        eventsRecorded += part.eventsRecorded
        eventsByKind.merge(part.eventsByKind, uniquingKeysWith: +)
        escalations.merge(part.escalations, uniquingKeysWith: +)
        lettersDue += part.lettersDue
        placed += part.placed
    }

    /// Reads a summary as stored by any version (before `casesStepped`, every live case was stepped).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        asOf = try c.decode(CivilDate.self, forKey: .asOf)
        alreadyRun = try c.decode(Bool.self, forKey: .alreadyRun)
        casesTicked = try c.decode(Int.self, forKey: .casesTicked)
        casesStepped = try c.decodeIfPresent(Int.self, forKey: .casesStepped) ?? casesTicked
        eventsRecorded = try c.decode(Int.self, forKey: .eventsRecorded)
        eventsByKind = try c.decode([String: Int].self, forKey: .eventsByKind)
        escalations = try c.decode([String: Int].self, forKey: .escalations)
        lettersDue = try c.decode(Int.self, forKey: .lettersDue)
        placed = try c.decode([String].self, forKey: .placed)
    }
}

/// The portfolio's basic figures for a supervisor.
public struct PortfolioReport: Hashable, Codable, Sendable {
    public struct Bucket: Hashable, Codable, Sendable {
        public var bucket: String
        public var invoices: Int
        /// Outstanding amounts per currency.
        public var amounts: [Money]
    }

    public var asOf: CivilDate
    public var cases: Int
    public var aging: [Bucket]
    public var byStage: [String: Int]
    public var byStatus: [String: Int]
    /// Total balance per currency of the cases still being collected.
    public var balances: [Money]
}

public enum StoreError: Error, CustomStringConvertible, Sendable {
    case refused(accountID: String, Refusal)
    /// A write from a stale screen: the case is at `actual`, the collector saw `expected`.
    case staleCase(accountID: String, expected: Int, actual: Int)
    case unknownAccount(String)
    case unknownAccountForInvoice(invoiceID: String, accountID: String)
    case unknownAccountForPayment(paymentID: String, accountID: String)
    case unknownInvoiceForPayment(paymentID: String, invoiceID: String)
    case historyRefused(accountID: String, at: String, event: String, Refusal)
    case currencyMismatch(what: String, id: String, expected: String, found: String)
    case corruptRow(table: String, key: String, reason: String)
    case database(path: String, reason: String)
    /// Another process held the file's lock for longer than the store waits.
    case locked(LockWaitNotice)
    case reasonRequired(String)

    public var description: String {
        switch self {
        case .refused(let id, let refusal): return "refused on account \(id): \(refusal.message)"
        case .staleCase(let id, let expected, let actual):
            return "account \(id): someone else updated this case while you were working on it; the screen shows the fresh state (version \(actual), you had \(expected)); nothing was recorded"
        case .unknownAccount(let id): return "there is no account \(id)"
        case .unknownAccountForInvoice(let invoice, let account): return "invoice \(invoice) names account \(account), which is neither in the database nor in the accounts file"
        case .unknownAccountForPayment(let payment, let account): return "payment \(payment) names account \(account), which is neither in the database nor in the accounts file"
        case .unknownInvoiceForPayment(let payment, let invoice): return "payment \(payment) names invoice \(invoice), which is neither in the database nor in the invoices file"
        case .historyRefused(let account, let at, let event, let refusal): return "history of account \(account) at \(at) (\(event)): \(refusal.message)"
        case .currencyMismatch(let what, let id, let expected, let found): return "\(what) \(id) is in \(found) but its account is kept in \(expected)"
        case .corruptRow(let table, let key, let reason): return "the \(table) row \(key) cannot be read: \(reason)"
        case .database(let path, let reason): return "\(path): \(reason)"
        case .locked(let notice): return notice.failure
        case .reasonRequired(let what): return "\(what) needs a reason"
        }
    }
}

/// The queue filter's rule, shared by the stores: a debtor name matches when each of the
/// filter's words (lower-cased) starts one of the name's words (split on spaces); an account or
/// invoice id matches when it starts with the whole filter.
public enum QueueMatch {
    public static func words(_ filter: String) -> [String] {
        filter.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// The first string past every string that starts with `prefix` (for a range on an index).
    public static func upperBound(_ prefix: String) -> String { prefix + "\u{10FFFF}" }
}
