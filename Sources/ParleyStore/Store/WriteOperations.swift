import Foundation
import ParleyCore

/// The writes both databases make, over a `CaseSession`: the database opens the transaction,
/// gives the session its storage, and commits what these functions did.
enum WriteOperations {
    /// Refuses a write made from a stale screen: the case changed since the collector read it.
    static func checkVersion(_ expected: Int?, state: CaseState, accountID: String) throws {
        if let expected, expected != state.version {
            throw StoreError.staleCase(accountID: accountID, expected: expected, actual: state.version)
        }
    }

    /// Records an event and its follow-ups; a payment also becomes a payment row. Returns the
    /// events written and the effects.
    static func record(_ event: CaseEvent, accountID: String, actor: Actor, at: Date, expectedVersion: Int?, session: CaseSession) throws -> ([StoredEvent], [Effect]) {
        guard let state = try session.state(of: accountID) else { throw StoreError.unknownAccount(accountID) }
        try checkVersion(expectedVersion, state: state, accountID: accountID)
        let normalized: CaseEvent = try StoreCodec.decode(CaseEvent.self, from: StoreCodec.encode(event))
        let (events, effects) = try session.applyReturningEffects(normalized, accountID: accountID, actor: actor, at: at, day: CivilDate(utcInstant: at))
        if case .paymentReceived(let amount, let on) = normalized {
            let seq = events.first?.seq ?? 0
            try session.storage.insert(payment: Payment(id: "\(accountID)/event-\(seq)", accountID: accountID, paidOn: on, amount: amount))
        }
        try session.writeProjections()
        return (events, effects)
    }

    /// Records a call attempt with the contact rules' verdict, asked inside the transaction.
    static func recordCall(accountID: String, outcome: CallOutcome, overrideReason: String?, actor: Actor, at: Date, expectedVersion: Int?, session: CaseSession) throws -> (ContactVerdict, [StoredEvent], [Effect]) {
        guard let state = try session.state(of: accountID) else { throw StoreError.unknownAccount(accountID) }
        try checkVersion(expectedVersion, state: state, accountID: accountID)
        let verdict = try session.callVerdict(accountID: accountID, state: state, at: at)
        let event = CaseEvent.callAttempted(outcome: outcome, verdict: verdict.decision, overrideReason: overrideReason)
        let (events, effects) = try session.applyReturningEffects(event, accountID: accountID, actor: actor, at: at, day: CivilDate(utcInstant: at))
        try session.writeProjections()
        return (verdict, events, effects)
    }

    /// The daily run over the live cases `ids` (in account order): every event that time
    /// passing to `asOf` makes due is recorded, with what it sets off. No event is written for a
    /// case with nothing due: the run's date, kept in `runs`, is the clock of every live case
    /// (`Projection.clock`). Every case read is written back with that clock. The caller writes
    /// the `runs` row and sets `casesTicked`.
    static func runDaily(ids: [String], asOf: CivilDate, actor: Actor, at: Date, session: CaseSession) throws -> RunSummary {
        var summary = RunSummary(asOf: asOf)
        session.runDate = asOf
        for id in ids {
            guard let state = try session.state(of: id) else { continue }
            try step(id, state: state, asOf: asOf, actor: actor, at: at, session: session, summary: &summary)
        }
        try session.writeProjections()
        return summary
    }

    /// One case of the daily run, its state already in `session`: the events time passing to
    /// `asOf` makes due, recorded and counted in `summary`. Its projection is written with the
    /// session's.
    static func step(_ id: String, state: CaseState, asOf: CivilDate, actor: Actor, at: Date, session: CaseSession, summary: inout RunSummary) throws {
        summary.casesStepped += 1
        if let last = state.lastTick, last >= asOf { return }
        // The contact rules are asked only when the case would otherwise go to the agency.
        var caseContext = session.context
        if case .escalated(.agency, _)? = Lifecycle.nextDueEvent(for: state, asOf: asOf, context: session.context) {
            caseContext = try session.context(for: id, state: state, day: asOf)
        }
        let due = Lifecycle.advance(state, asOf: asOf, at: at, context: caseContext)
        for (recorded, _) in due {
            let written = try session.apply(recorded.event, accountID: id, actor: actor, at: at, day: asOf)
            for event in written {
                summary.eventsByKind[event.kind, default: 0] += 1
                switch event.event {
                case .escalated(let stage, _):
                    summary.escalations[stage.rawValue, default: 0] += 1
                    if stage == .agency { summary.placed.append(id) }
                case .letterSent: summary.lettersDue += 1
                case .placedWithAgency: summary.placed.append(id)
                default: break
                }
            }
            summary.eventsRecorded += written.count
        }
    }

    /// The projection of one case worked out again from its whole log.
    static func rebuiltRecord(log: [StoredEvent], debtorName: String, assignee: String?, runDate: CivilDate?, context: LifecycleContext, policy: Policy) throws -> CaseRecord? {
        guard let last = log.last else { return nil }
        guard let state = Lifecycle.replay(log.map(\.recorded), context: context) else {
            throw StoreError.corruptRow(table: "events", key: last.accountID, reason: "the log of this case does not start with an opened event")
        }
        return Projection.record(state: state, debtorName: debtorName, assignee: assignee, latestEventAt: log.map(\.at).max() ?? last.at, runDate: runDate, policy: policy)
    }

    /// Adds up a portfolio report from the states of every case.
    static func report(asOf date: CivilDate, counts rows: [(stage: String, status: String, n: Int)], states: some Sequence<CaseState>) -> PortfolioReport {
        var byStage: [String: Int] = [:]
        var byStatus: [String: Int] = [:]
        for row in rows {
            byStage[row.stage, default: 0] += row.n
            byStatus[row.status, default: 0] += row.n
        }
        var counts: [AgingBucket: Int] = [:]
        var amounts: [AgingBucket: [Currency: Int64]] = [:]
        var balances: [Currency: Int64] = [:]
        var cases = 0
        for state in states {
            cases += 1
            guard !state.status.isClosed else { continue }
            balances[state.currency, default: 0] += state.balance.minorUnits
            for invoice in state.openInvoices.values where invoice.outstanding.isPositive {
                let bucket = AgingBucket(daysPastDue: max(0, invoice.due.days(until: date)))
                counts[bucket, default: 0] += 1
                amounts[bucket, default: [:]][state.currency, default: 0] += invoice.outstanding.minorUnits
            }
        }
        func monies(_ sums: [Currency: Int64]) -> [Money] {
            sums.sorted { $0.key.code < $1.key.code }.map { Money(minorUnits: $0.value, currency: $0.key) }
        }
        let aging = AgingBucket.allCases.map { bucket in
            PortfolioReport.Bucket(bucket: bucket.label, invoices: counts[bucket] ?? 0, amounts: monies(amounts[bucket] ?? [:]))
        }
        return PortfolioReport(asOf: date, cases: cases, aging: aging, byStage: byStage, byStatus: byStatus, balances: monies(balances))
    }

    /// The escaped LIKE pattern of the strings that start with `text`.
    static func likePrefix(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}
