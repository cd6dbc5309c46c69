import Foundation
import ParleyCore

/// The derived columns of a case, worked out from its lifecycle state alone, so that a rebuild
/// from the log reproduces them exactly.
enum Projection {
    /// Statuses a collector works from the queue.
    static let queueStatuses: Set<Status> = [.open, .promised, .onPlan, .settling, .disputed]

    /// The case's own clock: the latest of its last tick (logs written before runs stopped
    /// writing one per case), the day of its latest event and, for a case still being worked,
    /// the latest daily run (a run brings every live case to its date without an event).
    static func clock(state: CaseState, latestEventAt: Date, runDate: CivilDate? = nil) -> CivilDate {
        var day = CivilDate(utcInstant: latestEventAt)
        if let tick = state.lastTick { day = max(day, tick) }
        if let runDate, !state.status.isClosed { day = max(day, runDate) }
        return day
    }

    static func priority(of state: CaseState, asOf: CivilDate) -> Priority {
        Priority.score(PriorityInputs(state: state).factors(asOf: asOf))
    }

    static func record(state: CaseState, debtorName: String, assignee: String?, latestEventAt: Date, runDate: CivilDate? = nil, policy: Policy) -> CaseRecord {
        record(state: state, debtorName: debtorName, assignee: assignee, asOf: clock(state: state, latestEventAt: latestEventAt, runDate: runDate), policy: policy)
    }

    /// The record as a projection row is written from it: the priority's score without the
    /// reasons' words, which no row keeps (`v13-no-derived-texts`) and a read works out again
    /// (`RowDecoding.caseRecord`). Their words (a balance formatted, days counted) and their sort
    /// were 6% of the daily run's stepping thread and 3% of the import's reading thread at
    /// 200,000 accounts (`perf record`, session 13). For the storages' writes only: never shown.
    static func rowRecord(state: CaseState, debtorName: String, assignee: String?, latestEventAt: Date, runDate: CivilDate?, policy: Policy) -> CaseRecord {
        record(state: state, debtorName: debtorName, assignee: assignee, asOf: clock(state: state, latestEventAt: latestEventAt, runDate: runDate),
               policy: policy, reasons: false)
    }

    /// The first day the daily run needs to look at the case: `Lifecycle.nextDueDate`, except
    /// for a case waiting to be placed with the agency on which the contact rules block the
    /// placement as of the latest run (a validation period running, no validation notice yet):
    /// it waits for the first day the block can lift by itself, or, with no such day, for its
    /// next event. Worked out the same way when a case is written and when the projections are
    /// rebuilt from the log.
    static func nextDue(state: CaseState, runDate: CivilDate?, policy: Policy, profile: () throws -> ContactProfile) throws -> CivilDate? {
        guard let due = Lifecycle.nextDueDate(for: state, policy: policy) else { return nil }
        guard let runDate, due <= runDate, state.stage == .letter, state.status == .open || state.status == .ceased else { return due }
        let verdict = ContactRulesEngine.mayPlaceWithAgency(profile: try profile(), asOf: runDate, policy: policy)
        guard verdict.isBlocked else { return due }
        return verdict.earliestDate.map { max(due, $0) }
    }

    /// `reasons: false` leaves the priority's reasons out (`rowRecord`).
    static func record(state: CaseState, debtorName: String, assignee: String?, asOf: CivilDate, policy: Policy, reasons: Bool = true) -> CaseRecord {
        CaseRecord(
            accountID: state.accountID,
            debtorName: debtorName,
            stage: state.stage,
            status: state.status,
            balance: state.balance,
            daysPastDue: state.daysPastDue(asOf: asOf),
            nextAction: Lifecycle.nextAction(for: state, asOf: asOf, policy: policy),
            priority: reasons ? priority(of: state, asOf: asOf) : Priority(score: PriorityInputs(state: state).points(asOf: asOf), reasons: []),
            inQueue: queueStatuses.contains(state.status),
            assignee: state.assignee ?? assignee,
            version: state.version,
            asOf: asOf,
            state: state
        )
    }
}

/// What a case's queue priority depends on, as plain numbers (days since 1970-01-01), kept in
/// narrow columns of the projection so that the daily run can bring every case's priority to
/// its date in one UPDATE without reading the state. `factors(asOf:)` is the one way both the
/// projection and that UPDATE turn them into `Priority.Factors`.
struct PriorityInputs: Hashable {
    var stage: Stage
    var balance: Money
    var oldestDueDay: Int?
    var callbackDay: Int?
    /// The day a promise falls due, while the case is promised and something is left to pay.
    var promiseDueDay: Int?
    var promiseLeftMinor: Int64
    var promisesBroken: Int
    var lastContactDay: Int?

    init(stage: Stage, balance: Money, oldestDueDay: Int?, callbackDay: Int?, promiseDueDay: Int?, promiseLeftMinor: Int64, promisesBroken: Int, lastContactDay: Int?) {
        self.stage = stage
        self.balance = balance
        self.oldestDueDay = oldestDueDay
        self.callbackDay = callbackDay
        self.promiseDueDay = promiseDueDay
        self.promiseLeftMinor = promiseLeftMinor
        self.promisesBroken = promisesBroken
        self.lastContactDay = lastContactDay
    }

    init(state: CaseState) {
        var promiseDue: Int? = nil
        var left: Int64 = 0
        if state.status == .promised, let p = state.promise {
            left = p.amount.minorUnits - p.paid.minorUnits
            if left > 0 { promiseDue = p.due.daysSinceEpoch } else { left = 0 }
        }
        self.init(stage: state.stage, balance: state.balance, oldestDueDay: state.oldestDue?.daysSinceEpoch,
                  callbackDay: state.callbackAt.map { CivilDate(utcInstant: $0).daysSinceEpoch },
                  promiseDueDay: promiseDue, promiseLeftMinor: left, promisesBroken: state.promisesBroken,
                  lastContactDay: state.lastContactAt.map { CivilDate(utcInstant: $0).daysSinceEpoch })
    }

    func factors(asOf: CivilDate) -> Priority.Factors {
        let today = asOf.daysSinceEpoch
        let dpd = balance.isPositive ? oldestDueDay.map { max(0, today - $0) } ?? 0 : 0
        return Priority.Factors(
            callbackDue: callbackDay.map { $0 <= today } ?? false,
            promiseDueToday: promiseDueDay == today ? Money(minorUnits: promiseLeftMinor, currency: balance.currency) : nil,
            brokenPromises: promisesBroken,
            balance: balance,
            daysPastDue: dpd,
            stage: stage,
            daysSinceLastContact: lastContactDay.map { today - $0 }
        )
    }

    func points(asOf: CivilDate) -> Int { Priority.points(factors(asOf: asOf)) }
}
