import DequeModule
import Foundation
import ParleyCore
import ParleyStore

/// Runs async store calls from the workbench's synchronous loop. The loop runs on its own thread
/// (see `Workbench.runDetached`), never on Swift's cooperative pool, so waiting here cannot
/// starve the task it waits for.
enum Blocking {
    final class Box<T>: @unchecked Sendable { var result: Result<T, Error>? }

    static func run<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}

/// The store behind the workbench: the queue a page at a time (only the rows on screen are
/// fetched), and one account's history when it is opened.
///
/// Each key must cost the store little whatever the queue's size: a page next to the one held
/// is read from its neighbour's key (keyset paging), the end of the queue from the end; the case
/// records of the pages read stand in for a separate read of the selected case; and an account's
/// detail is kept by account id and case version, so moving back over rows reads nothing.
public final class StoreDataSource: WorkbenchDataSource {
    /// The last page read: its filter, position and case records.
    private var window: (filter: QueueFilter, offset: Int, keys: [QueueKey])?
    /// The count of each filter as last counted.
    private var counts: [QueueFilter: Int] = [:]
    /// Case records of the pages read, by account id.
    private var records = HeldByAccount<CaseRecord>(limit: StoreDataSource.heldLimit)
    /// Details worked out, by account id, with the case version they were worked out at.
    private var details = HeldByAccount<HeldDetail>(limit: StoreDataSource.heldLimit)

    /// An account as last read: its detail, and what the contact rules weigh for a call.
    struct HeldDetail {
        var version: Int
        var detail: AccountDetail
        var profile: ContactProfile
        var contacts: ContactHistory
    }
    /// Past this many held records or details the oldest are dropped.
    static let heldLimit = 2048

    let store: any CaseStore
    /// The same store when it is a SQLite file: read synchronously on the workbench's thread,
    /// without the hops of an async call (a task, the reader's queue, a semaphore back).
    let sqlite: SQLiteCaseStore?
    let workbenchContext: WorkbenchContext
    let actor: Actor
    let clock: @Sendable () -> Date
    /// Where written agreements go: BASE/letters/DATE/ACCOUNT-KIND.txt.
    let lettersBase: String

    /// `actor` acts in the workbench (the context's operator, with the role the database keeps);
    /// `clock` gives the instant events are recorded at.
    public init(store: any CaseStore, context: WorkbenchContext, actor: Actor? = nil, lettersBase: String = ".",
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.sqlite = store as? SQLiteCaseStore
        self.workbenchContext = context
        self.actor = actor ?? Actor(name: context.operatorName, role: .collector)
        self.lettersBase = lettersBase
        self.clock = clock
    }

    public func now() -> Date { clock() }

    public func contactVerdict(accountID: String, at: Date) throws -> ContactVerdict {
        // The account just opened: the rules run on what was read for it (the same inputs the
        // store would read again).
        if let held = details[accountID], records[accountID]?.version == held.version {
            return ContactRulesEngine.evaluateCall(profile: held.profile, history: held.contacts, at: at, policy: store.policy)
        }
        let store = self.store
        return try Blocking.run { try await store.evaluateCall(accountID: accountID, at: at) }
    }

    public func recordCall(accountID: String, outcome: CallOutcome, at: Date) throws -> RecordResult {
        let store = self.store, actor = self.actor
        let outcome = try refusing { try Blocking.run { try await store.recordCall(accountID: accountID, outcome: outcome, overrideReason: nil, actor: actor, at: at) } }
        wrote(outcome.1)
        return result(outcome.1, agreementFile: nil)
    }

    public func record(_ event: CaseEvent, accountID: String, at: Date) throws -> RecordResult {
        let store = self.store, actor = self.actor, base = lettersBase
        let (outcome, files) = try refusing {
            try Blocking.run { () async throws -> (RecordOutcome, [String]) in
                let outcome = try await store.record(event, accountID: accountID, actor: actor, at: at)
                let agreed = outcome.effects.contains { if case .produceAgreement = $0 { return true } else { return false } }
                guard agreed else { return (outcome, []) }
                return (outcome, try await LetterFiles.write(store, on: CivilDate(utcInstant: at), base: base, templates: nil, accountID: accountID))
            }
        }
        wrote(outcome)
        return result(outcome, agreementFile: files.last { $0.contains("agreement") } ?? files.last)
    }

    /// A write moves cases in the queue: the pages' keys are read afresh, the case is read again.
    private func wrote(_ outcome: RecordOutcome) {
        window = nil
        counts.removeAll()
        records[outcome.record.accountID] = outcome.record
        details[outcome.record.accountID] = nil
    }

    /// The case as the last page read it, else from the store.
    private func caseRecord(_ accountID: String) throws -> CaseRecord? {
        if let record = records[accountID] { return record }
        if let sqlite { return try sqlite.caseRecordNow(accountID: accountID) }
        let store = self.store
        return try Blocking.run { try await store.caseRecord(accountID: accountID) }
    }

    public func offerInputs(accountID: String) throws -> OfferInputs? {
        guard let record = try caseRecord(accountID) else { return nil }
        return OfferInputs(balance: record.balance, debtorKind: record.state.debtorKind,
                           promiseRecord: PromiseRecord(kept: record.state.promisesKept, broken: record.state.promisesBroken),
                           role: actor.role, policy: store.policy)
    }

    private func refusing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch StoreError.refused(_, let refusal) { throw RecordRefused(refusal.message) }
    }

    private func result(_ outcome: RecordOutcome, agreementFile: String?) -> RecordResult {
        RecordResult(recorded: outcome.events.map(\.event.summary), status: outcome.record.state.workbenchStatus,
                     next: Self.next(outcome.record.nextAction), effects: outcome.effects.map(\.summary), agreementFile: agreementFile)
    }

    public func context() throws -> WorkbenchContext { workbenchContext }

    public func queueCount(filter: QueueFilter) throws -> Int {
        let store = self.store, q = QueueQuery(filter: filter.isEmpty ? nil : filter.text, limit: 0)
        let total = try sqlite?.queueNow(q).total ?? Blocking.run { try await store.queue(q).total }
        counts[filter] = total
        if window?.filter == filter { window = nil }
        return total
    }

    /// The query that reads positions `offset ..< offset + limit` with the least walking: from a
    /// neighbour in the page held, from the end, or from the top.
    func query(_ filter: QueueFilter, offset: Int, limit: Int) -> QueueQuery {
        var best = (position: QueuePosition.top, skip: offset, limit: limit)
        func consider(_ position: QueuePosition, skip: Int, limit: Int = limit) {
            if skip >= 0 && skip < best.skip { best = (position, skip, limit) }
        }
        if let window, window.filter == filter, !window.keys.isEmpty {
            let end = window.offset + window.keys.count
            // The last held entry in front of the page, or the first held one behind it.
            let before = min(offset - 1, end - 1)
            if before >= window.offset { consider(.after(window.keys[before - window.offset]), skip: offset - before - 1) }
            let after = max(offset + limit, window.offset)
            if after < end { consider(.before(window.keys[after - window.offset]), skip: after - offset - limit) }
        }
        if let total = counts[filter], offset < total {
            let shown = min(limit, total - offset)
            consider(.end, skip: total - offset - shown, limit: shown)
        }
        return QueueQuery(filter: filter.isEmpty ? nil : filter.text, offset: best.skip, limit: best.limit, position: best.position, countTotal: false)
    }

    public func queuePage(filter: QueueFilter, offset: Int, limit: Int) throws -> [QueueRow] {
        let store = self.store, q = query(filter, offset: offset, limit: limit)
        let page = try sqlite?.queueNow(q) ?? Blocking.run { try await store.queue(q) }
        let entries = page.entries
        // Once the first page is on screen, the name filter's index is read on a thread of its own.
        sqlite?.prepareNameIndex()
        window = (filter, offset, page.keys)
        for record in entries { records[record.accountID] = record }
        return entries.map { record in
            QueueRow(accountID: record.accountID, debtorName: record.debtorName, balance: record.balance,
                     daysPastDue: record.daysPastDue, stage: record.stage.rawValue, status: record.state.workbenchStatus,
                     next: Self.next(record.nextAction), flags: Self.flags(record.state))
        }
    }

    public func accountDetail(accountID: String) throws -> AccountDetail? {
        let known = records[accountID]
        if let known, let held = details[accountID], held.version == known.version { return held.detail }
        let store = self.store
        let found = try sqlite.map { try $0.detailNow(accountID: accountID, known: known) } ?? Blocking.run { () async throws -> (Account, CaseRecord, [StoredEvent])? in
            guard let account = try await store.account(id: accountID) else { return nil }
            let record: CaseRecord?
            if let known { record = known } else { record = try await store.caseRecord(accountID: accountID) }
            guard let record else { return nil }
            return (account, record, try await store.history(accountID: accountID))
        }
        guard let (account, record, history) = found else { return nil }
        records[accountID] = record
        var flags = Self.flags(record.state)
        let events = history.map(\.recorded)
        let profile = ContactProfile(state: record.state, debtor: account.debtor, events: events)
        if ContactRulesEngine.isTimeBarred(profile: profile, asOf: workbenchContext.asOf, policy: store.policy) { flags.insert(.timeBarred) }
        let timeline = history.reversed().compactMap(Self.timelineEntry)
        let detail = AccountDetail(accountID: account.id, debtor: account.debtor, assignee: record.assignee, balance: record.balance,
                                   daysPastDue: record.state.daysPastDue(asOf: workbenchContext.asOf), stage: record.stage.rawValue,
                                   status: record.state.workbenchStatus, flags: flags, invoices: account.invoices, timeline: timeline,
                                   next: Self.next(record.nextAction))
        details[accountID] = HeldDetail(version: record.version, detail: detail, profile: profile,
                                        contacts: ContactHistory(events: events, accountID: accountID))
        return detail
    }

    public func queueReasons(accountID: String) throws -> [QueueReason] {
        try caseRecord(accountID)?.priority.reasons.map { QueueReason($0.text, weight: $0.points) } ?? []
    }

    static func next(_ action: NextAction) -> NextStep? {
        action.kind == "none" ? NextStep(action: action.text) : NextStep(action: action.text, on: action.on)
    }

    static func flags(_ state: CaseState) -> AccountFlags {
        var flags: AccountFlags = []
        if state.status == .disputed || state.disputeReason != nil { flags.insert(.disputed) }
        if state.ceased { flags.insert(.ceased) }
        if state.attorney != nil { flags.insert(.attorney) }
        return flags
    }

    /// The log as the collector reads it: ticks and the bookkeeping of opening a case are left out.
    static func timelineEntry(_ stored: StoredEvent) -> TimelineEntry? { TimelineEntry(recorded: stored.recorded) }
}

/// What the workbench holds of the accounts it has read, by account id, at most `limit` of
/// them: past it, the ones held longest are dropped, a few at a time as new ones come. Its
/// room is made once. Paging down the queue at 200,000 accounts (`parley bench open`), the held
/// records had been dropped all at once (2,048 case records freed in one key press) and their
/// dictionary had grown by doubling (every entry hashed again): the key presses where that
/// happened took 4–9 ms against 1.4 ms for the others, and made the page-down p99.
struct HeldByAccount<Value> {
    let limit: Int
    private var values: [String: Value] = [:]
    /// The ids in the order they were first held (an id dropped and held again may appear twice).
    private var order = Deque<String>()

    init(limit: Int) {
        precondition(limit > 0, "a held set holds at least one account")
        self.limit = limit
        values.reserveCapacity(limit + 1)
        order.reserveCapacity(limit + 1)
    }

    var count: Int { values.count }

    subscript(id: String) -> Value? {
        get { values[id] }
        set {
            guard let newValue else { values[id] = nil; return }
            if values.updateValue(newValue, forKey: id) == nil {
                order.append(id)
                while values.count > limit, let oldest = order.popFirst() { values[oldest] = nil }
            }
            // Ids dropped by `nil` leave their place in `order`: past twice the limit it keeps
            // only the held ids, each at its latest place.
            if order.count > 2 * limit {
                var seen = Set<String>()
                order = Deque(order.reversed().filter { values[$0] != nil && seen.insert($0).inserted }.reversed())
            }
        }
    }
}
