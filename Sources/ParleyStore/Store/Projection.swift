import Foundation
import ParleyCore

/// The derived columns of a case, worked out from its lifecycle state alone, so that a rebuild
/// from the log reproduces them exactly.
enum Projection {
    /// Statuses a collector works from the queue.
    static let queueStatuses: Set<Status> = [.open, .promised, .onPlan, .settling, .disputed]

    /// The case's own clock: the later of its last tick and the day of its latest event.
    static func clock(state: CaseState, latestEventAt: Date) -> CivilDate {
        let eventDay = CivilDate(utcInstant: latestEventAt)
        guard let tick = state.lastTick else { return eventDay }
        return max(tick, eventDay)
    }

    static func priority(of state: CaseState, asOf: CivilDate) -> Priority {
        var promiseDue: Money? = nil
        if state.status == .promised, let p = state.promise, p.due == asOf {
            let left = p.amount.minorUnits - p.paid.minorUnits
            if left > 0 { promiseDue = Money(minorUnits: left, currency: p.amount.currency) }
        }
        let factors = Priority.Factors(
            callbackDue: state.callbackAt.map { CivilDate(utcInstant: $0) <= asOf } ?? false,
            promiseDueToday: promiseDue,
            brokenPromises: state.promisesBroken,
            balance: state.balance,
            daysPastDue: state.daysPastDue(asOf: asOf),
            stage: state.stage,
            daysSinceLastContact: state.lastContactAt.map { CivilDate(utcInstant: $0).days(until: asOf) }
        )
        return Priority.score(factors)
    }

    static func record(state: CaseState, debtorName: String, assignee: String?, latestEventAt: Date, policy: Policy) -> CaseRecord {
        let asOf = clock(state: state, latestEventAt: latestEventAt)
        return CaseRecord(
            accountID: state.accountID,
            debtorName: debtorName,
            stage: state.stage,
            status: state.status,
            balance: state.balance,
            daysPastDue: state.daysPastDue(asOf: asOf),
            nextAction: Lifecycle.nextAction(for: state, asOf: asOf, policy: policy),
            priority: priority(of: state, asOf: asOf),
            inQueue: queueStatuses.contains(state.status),
            assignee: state.assignee ?? assignee,
            version: state.version,
            asOf: asOf,
            state: state
        )
    }
}
