import Foundation
import ParleyCore

/// The cases touched by one write transaction: their states are kept in memory while events are
/// appended, and the projections are written once at the end, inside the same transaction.
final class CaseSession {
    private typealias Pending = CaseSnapshot

    /// A case held, in a box of its own: a lookup yields the box, and the case is read and
    /// changed where it lies. Held in the dictionary by value, each lookup that read the state
    /// or the log position copied the whole snapshot out, retaining and releasing every field
    /// (an import of a million invoices looks a case up four or five times an invoice).
    private final class Held {
        var snapshot: Pending
        init(_ snapshot: Pending) { self.snapshot = snapshot }
    }

    let storage: CaseStorage
    let policy: Policy
    let context: LifecycleContext
    private var pending: [String: Held] = [:]
    private var order: [String] = []
    private var profiles: [String: (version: Int, profile: ContactProfile)] = [:]

    init(storage: CaseStorage, policy: Policy, context: LifecycleContext) {
        self.storage = storage
        self.policy = policy
        self.context = context
    }

    func accountExists(_ id: String) throws -> Bool {
        if pending[id] != nil { return true }
        return try storage.accountCurrency(id) != nil
    }

    func currency(of id: String) throws -> Currency? {
        if let held = pending[id] { return held.snapshot.state.currency }
        return try storage.accountCurrency(id)
    }

    /// Starts a new case with its `opened` event (and the invoices it carries).
    func open(accountID: String, debtorName: String, assignee: String?, event: CaseEvent, actor: Actor, at: Date) throws {
        let started: CaseState?
        do { started = try Lifecycle.start(event) } catch { throw StoreError.refused(accountID: accountID, error) }
        guard let state = started else {
            throw StoreError.corruptRow(table: "events", key: accountID, reason: "a case must start with an opened event")
        }
        pending[accountID] = Held(Pending(state: state, seq: 0, latestAt: at, debtorName: debtorName, assignee: assignee))
        order.append(accountID)
        _ = try append(RecordedEvent(at: at, actor: actor, event: event), accountID: accountID)
    }

    /// The case's state, read from its projection the first time it is needed.
    func state(of id: String) throws -> CaseState? {
        if let held = pending[id] { return held.snapshot.state }
        guard let snapshot = try storage.caseSnapshot(id) else { return nil }
        pending[id] = Held(snapshot)
        order.append(id)
        return snapshot.state
    }

    /// Holds a case read by the caller (the daily run reads the cases due in batches), as
    /// `state(of:)` would have read it.
    func hold(_ snapshot: CaseSnapshot, of id: String) {
        if pending[id] == nil { order.append(id) }
        pending[id] = Held(snapshot)
    }

    /// Forgets the cases touched so far, once their projections are written: the daily run
    /// writes the cases due batch by batch instead of holding them all to the end.
    func forgetWritten() {
        pending.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
        profiles.removeAll(keepingCapacity: true)
    }

    /// The lifecycle's context for a case on `day`: the policy, and, where it decides anything
    /// (placing the case with the agency, by `event` or, with no event, by the run's next
    /// escalation), whether the contact rules block placement now (validation period, dispute).
    func context(for id: String, state: CaseState, day: CivilDate, event: CaseEvent? = nil) throws -> LifecycleContext {
        let placing: Bool
        switch event {
        case .escalated(.agency, _)?, .placedWithAgency?: placing = true
        case nil: placing = state.stage == .letter && (state.status == .open || state.status == .ceased)
        default: placing = false
        }
        guard placing else { return context }
        let profile = try contactProfile(of: id, state: state)
        let verdict = ContactRulesEngine.mayPlaceWithAgency(profile: profile, asOf: day, policy: policy)
        guard verdict.isBlocked else { return context }
        var blocked = context
        blocked.placementBlockedReason = verdict.findings.filter { $0.severity == .block }.map(\.message).joined(separator: "; ")
        return blocked
    }

    /// The contact rules' view of a case: its debtor, state and events so far (this
    /// transaction's included).
    func contactProfile(of id: String, state: CaseState) throws -> ContactProfile {
        // Asked twice for a case the run looks at (before stepping it, and for its next due day
        // when nothing happened): the log is read once while the case does not change.
        if let held = profiles[id], held.version == state.version { return held.profile }
        guard let (debtor, events) = try storage.contactRecords(of: id) else { throw StoreError.unknownAccount(id) }
        let profile = ContactProfile(state: state, debtor: debtor, events: events)
        profiles[id] = (state.version, profile)
        return profile
    }

    /// The contact rules' verdict on a call to the case's debtor at `at`.
    func callVerdict(accountID: String, state: CaseState, at: Date) throws -> ContactVerdict {
        let events = try recordedEvents(of: accountID)
        guard let debtor = try storage.account(id: accountID)?.debtor else { throw StoreError.unknownAccount(accountID) }
        let profile = ContactProfile(state: state, debtor: debtor, events: events)
        return ContactRulesEngine.evaluateCall(profile: profile, history: ContactHistory(events: events, accountID: accountID), at: at, policy: policy)
    }

    func recordedEvents(of id: String) throws -> [RecordedEvent] {
        try storage.recordedEvents(of: id)
    }

    /// Applies an event and everything it sets off; returns the events written.
    @discardableResult
    func apply(_ event: CaseEvent, accountID: String, actor: Actor, at: Date, day: CivilDate) throws -> [StoredEvent] {
        try applyReturningEffects(event, accountID: accountID, actor: actor, at: at, day: day).0
    }

    /// Applies an event with its follow-ups, then carries out the effects that are themselves
    /// events: a letter to send, or the written agreement of an arrangement, is recorded as a
    /// letter sent on `day`. A placement needs no further event
    /// (the transition that asks for it already placed the case; the agency file for the day
    /// lists it), nor does a call to schedule (the case is in the call queue). An effect the rules refuse (a demand letter after a cease
    /// request) is not recorded; it stays in the returned effects for the caller to report.
    func applyReturningEffects(_ event: CaseEvent, accountID: String, actor: Actor, at: Date, day: CivilDate) throws -> ([StoredEvent], [Effect]) {
        guard let state = try state(of: accountID) else { throw StoreError.unknownAccount(accountID) }
        let recorded = RecordedEvent(at: at, actor: actor, event: event)
        let eventContext = try context(for: accountID, state: state, day: day, event: event)
        let steps: [(RecordedEvent, Transition)]
        do {
            steps = try Lifecycle.applyWithFollowUps(recorded, to: state, context: eventContext)
        } catch {
            throw StoreError.refused(accountID: accountID, error)
        }
        var written: [StoredEvent] = []
        var effects: [Effect] = []
        var current = state
        for (step, transition) in steps {
            written.append(try append(step, accountID: accountID))
            current = transition.state
            setState(current, of: accountID)
            effects += transition.effects
        }
        var queue = effects
        var rounds = 0
        while !queue.isEmpty, rounds < 4 {
            rounds += 1
            var next: [Effect] = []
            for effect in queue {
                let follow: CaseEvent
                switch effect {
                case .sendLetter(let kind): follow = .letterSent(kind, on: day)
                case .produceAgreement(.plan): follow = .letterSent(.planAgreement, on: day)
                case .produceAgreement(.settlement): follow = .letterSent(.settlementAgreement, on: day)
                case .produceAgreement(.promise): follow = .letterSent(.promiseConfirmation, on: day)
                default: continue
                }
                let followRecorded = RecordedEvent(at: at, actor: actor, event: follow)
                let followContext = try context(for: accountID, state: current, day: day, event: follow)
                guard let transition = try? Lifecycle.apply(followRecorded, to: current, context: followContext) else { continue }
                written.append(try append(followRecorded, accountID: accountID))
                current = transition.state
                setState(current, of: accountID)
                next += transition.effects
                effects += transition.effects
            }
            queue = next
        }
        return (written, effects)
    }

    private func setState(_ state: CaseState, of id: String) {
        // Set where it lies, in the case's box (`Held`).
        guard let held = pending[id] else { return }
        held.snapshot.state = state
    }

    private func append(_ recorded: RecordedEvent, accountID: String) throws -> StoredEvent {
        // The held case's position moved where it lies, in its box (`Held`).
        guard let held = pending[accountID] else { throw StoreError.unknownAccount(accountID) }
        let seq = held.snapshot.seq + 1
        held.snapshot.seq = seq
        if recorded.at > held.snapshot.latestAt { held.snapshot.latestAt = recorded.at }
        let kind = recorded.event.kind.rawValue
        let id = try storage.append(recorded, accountID: accountID, seq: seq, kind: kind)
        return StoredEvent(id: id, accountID: accountID, seq: seq, at: recorded.at, actor: recorded.actor, kind: kind, event: recorded.event)
    }

    /// The date of the latest daily run, which is the clock of every live case that has no
    /// later event; read from the storage unless the run being made sets it.
    var runDate: CivilDate?

    /// The run date the projections are worked out for (`runDate`, or the storage's latest run).
    func projectionRunDate() throws -> CivilDate? {
        try [self.runDate, storage.latestRunDate()].compactMap { $0 }.max()
    }

    /// Writes the projection of every case touched and still held, in the order they were first
    /// touched.
    func writeProjections() throws {
        let runDate = try projectionRunDate()
        for id in order { try writeProjection(of: id, runDate: runDate) }
    }

    /// Writes the projection of one case, then lets it go: nothing more is written for it in
    /// this session (an import, once it has taken a case through all its records).
    func writeProjectionAndLetGo(of id: String, runDate: CivilDate?) throws {
        try writeProjection(of: id, runDate: runDate)
        pending[id] = nil
        profiles[id] = nil
        // Out of the order too when it is the case touched last (the import's, just opened).
        if order.last == id { order.removeLast() }
    }

    /// Writes the projection of one case touched (the daily run's pipeline writes the cases of a
    /// batch in order, some of them prepared elsewhere).
    func writeProjection(of id: String) throws {
        try writeProjection(of: id, runDate: projectionRunDate())
    }

    private func writeProjection(of id: String, runDate: CivilDate?) throws {
        guard let p = pending[id]?.snapshot else { return }
        let record = Projection.rowRecord(state: p.state, debtorName: p.debtorName, assignee: p.assignee, latestEventAt: p.latestAt, runDate: runDate, policy: policy)
        let nextDue = try Projection.nextDue(state: p.state, runDate: runDate, policy: policy) { try contactProfile(of: id, state: p.state) }
        if let stored = p.stored {
            try storage.rewrite(record: record, nextDue: nextDue, stored: stored, log: LogPosition(seq: p.seq, latestAt: p.latestAt))
        } else {
            try storage.upsert(record: record, nextDue: nextDue, log: LogPosition(seq: p.seq, latestAt: p.latestAt))
        }
    }
}
