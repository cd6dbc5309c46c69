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
public final class StoreDataSource: WorkbenchDataSource {
    let store: any CaseStore
    let workbenchContext: WorkbenchContext
    // Supervisor review (see StoreDataSource+Supervisor.swift): the instant decisions are
    // recorded at, and what to do once an offer is approved (the CLI writes the agreement letter).
    public var clock: @Sendable () -> Date = { Date() }
    public var afterApproval: (@Sendable (_ accountID: String) async throws -> [String])?

    public init(store: any CaseStore, context: WorkbenchContext) {
        self.store = store
        self.workbenchContext = context
    }

    public func context() throws -> WorkbenchContext { workbenchContext }

    func query(_ filter: QueueFilter, offset: Int, limit: Int) -> QueueQuery {
        QueueQuery(filter: filter.isEmpty ? nil : filter.text, offset: offset, limit: limit)
    }

    public func queueCount(filter: QueueFilter) throws -> Int {
        let store = self.store, q = query(filter, offset: 0, limit: 1)
        return try Blocking.run { try await store.queue(q).total }
    }

    public func queuePage(filter: QueueFilter, offset: Int, limit: Int) throws -> [QueueRow] {
        let store = self.store, q = query(filter, offset: offset, limit: limit)
        let page = try Blocking.run { try await store.queue(q) }
        return page.entries.map { record in
            QueueRow(accountID: record.accountID, debtorName: record.debtorName, balance: record.balance,
                     daysPastDue: record.daysPastDue, stage: record.stage.rawValue, status: record.status.label,
                     next: Self.next(record.nextAction), flags: Self.flags(record.state))
        }
    }

    public func accountDetail(accountID: String) throws -> AccountDetail? {
        let store = self.store
        let found = try Blocking.run { () async throws -> (Account, CaseRecord, [StoredEvent])? in
            guard let account = try await store.account(id: accountID), let record = try await store.caseRecord(accountID: accountID) else { return nil }
            return (account, record, try await store.history(accountID: accountID))
        }
        guard let (account, record, history) = found else { return nil }
        var flags = Self.flags(record.state)
        let profile = ContactProfile(state: record.state, debtor: account.debtor, events: history.map(\.recorded))
        if ContactRulesEngine.isTimeBarred(profile: profile, asOf: workbenchContext.asOf, policy: store.policy) { flags.insert(.timeBarred) }
        let timeline = history.reversed().compactMap(Self.timelineEntry)
        return AccountDetail(accountID: account.id, debtor: account.debtor, assignee: record.assignee, balance: record.balance,
                             daysPastDue: record.state.daysPastDue(asOf: workbenchContext.asOf), stage: record.stage.rawValue,
                             status: record.status.label, flags: flags, invoices: account.invoices, timeline: timeline,
                             next: Self.next(record.nextAction))
    }

    public func queueReasons(accountID: String) throws -> [QueueReason] {
        let store = self.store
        let record = try Blocking.run { try await store.caseRecord(accountID: accountID) }
        return record?.priority.reasons.map { QueueReason($0.text, weight: $0.points) } ?? []
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
    static func timelineEntry(_ stored: StoredEvent) -> TimelineEntry? {
        let kind: TimelineKind
        switch stored.event {
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
        return TimelineEntry(at: stored.at, kind: kind, summary: stored.event.summary, actor: stored.actor.name)
    }
}
