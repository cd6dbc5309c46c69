import Foundation

extension Lifecycle {
    /// The event that time passing to `asOf` makes due next, if any: a promise broken after its
    /// grace days, an installment missed, a settlement lapsed, or the next escalation stage.
    /// A case climbs at most one stage per day, so a daily run repeated for the same date finds
    /// nothing more to do.
    public static func nextDueEvent(for state: CaseState, asOf: CivilDate, context: LifecycleContext) -> CaseEvent? {
        let policy = context.policy
        switch state.status {
        case .resolved, .writtenOff, .disputed, .paused, .placed, .ceased:
            return nil
        case .promised:
            if let p = state.promise, p.due.adding(days: policy.promises.graceDays) < asOf { return .promiseBroken }
            return nil
        case .onPlan:
            if let next = state.nextInstallment, next.due.adding(days: policy.installments.graceDays) < asOf {
                return .installmentMissed(due: next.due)
            }
            return nil
        case .settling:
            if let s = state.settlement, s.expires < asOf { return .settlementLapsed }
            return nil
        case .open:
            guard state.balance.isPositive, state.pendingApproval == nil else { return nil }
            let dpd = state.daysPastDue(asOf: asOf)
            guard let since = state.stageSince else {
                return dpd >= policy.escalation.reminderDays ? .escalated(to: .reminder, on: asOf) : nil
            }
            guard since < asOf, let next = state.stage.next, dpd >= next.threshold(in: policy) else { return nil }
            if next == .agency {
                if state.balance.minorUnits < policy.agencyMinimum(in: state.currency).minorUnits { return nil }
                if context.placementBlockedReason != nil { return nil }
            }
            return .escalated(to: next, on: asOf)
        }
    }

    /// The earliest day on which `nextDueEvent` can return an event for `state`, nil when time
    /// alone never makes anything due (only a new event can). For every earlier day
    /// `nextDueEvent` returns nil; on this day it returns an event unless the contact rules block
    /// a placement with the agency (`placementBlockedReason`), which this does not foresee. The
    /// state changes only with events, so the day holds until the case's next event: the daily
    /// run needs to look only at cases whose day has come.
    public static func nextDueDate(for state: CaseState, policy: Policy) -> CivilDate? {
        switch state.status {
        case .resolved, .writtenOff, .disputed, .paused, .placed, .ceased:
            return nil
        case .promised:
            return state.promise.map { $0.due.adding(days: policy.promises.graceDays + 1) }
        case .onPlan:
            return state.nextInstallment.map { $0.due.adding(days: policy.installments.graceDays + 1) }
        case .settling:
            return state.settlement.map { $0.expires.adding(days: 1) }
        case .open:
            guard state.balance.isPositive, state.pendingApproval == nil else { return nil }
            // Days past due (never below 0) reach `days` on oldestDue + days; with no invoice
            // due they stay 0; a threshold of 0 or less is reached on any day.
            func reaching(_ days: Int) -> CivilDate? {
                if days <= 0 { return CivilDate(daysSinceEpoch: Int(Int32.min)) }
                return state.oldestDue?.adding(days: days)
            }
            guard let since = state.stageSince else { return reaching(policy.escalation.reminderDays) }
            guard let next = state.stage.next else { return nil }
            if next == .agency, state.balance.minorUnits < policy.agencyMinimum(in: state.currency).minorUnits { return nil }
            guard let aged = reaching(next.threshold(in: policy)) else { return nil }
            return max(aged, since.adding(days: 1))
        }
    }

    /// Lets time pass to `asOf`: every event that becomes due, applied in order, with the
    /// transitions they caused. The caller records them.
    public static func advance(_ state: CaseState, asOf: CivilDate, at: Date, context: LifecycleContext) -> [(RecordedEvent, Transition)] {
        var current = state
        var steps: [(RecordedEvent, Transition)] = []
        for _ in 0..<8 {
            guard let event = nextDueEvent(for: current, asOf: asOf, context: context) else { break }
            let recorded = RecordedEvent(at: at, actor: .system, event: event)
            guard let t = try? apply(recorded, to: current, context: context) else { break }
            steps.append((recorded, t))
            current = t.state
        }
        return steps
    }

    /// Events an accepted event sets off at once: a payment that covers a promise keeps it, a
    /// payment on a plan pays the installment, a payment that covers a settlement completes it.
    public static func followUps(after recorded: RecordedEvent, state: CaseState) -> [CaseEvent] {
        guard case .paymentReceived(let amount, _) = recorded.event else { return [] }
        switch state.status {
        case .promised:
            if let p = state.promise, p.paid.minorUnits >= p.amount.minorUnits || state.balance.minorUnits <= 0 { return [.promiseKept] }
        case .onPlan:
            return [.installmentPaid(amount: amount)]
        case .settling:
            if let s = state.settlement, s.paid.minorUnits >= s.amount.minorUnits || state.balance.minorUnits <= 0 { return [.settlementPaid] }
        default:
            break
        }
        return []
    }

    /// Applies an event and everything it sets off at once.
    public static func applyWithFollowUps(_ recorded: RecordedEvent, to state: CaseState, context: LifecycleContext) throws(Refusal) -> [(RecordedEvent, Transition)] {
        let first = try apply(recorded, to: state, context: context)
        var steps = [(recorded, first)]
        var current = first.state
        for event in followUps(after: recorded, state: current) {
            let follow = RecordedEvent(at: recorded.at, actor: recorded.actor, event: event)
            let t = try apply(follow, to: current, context: context)
            steps.append((follow, t))
            current = t.state
        }
        return steps
    }

    /// Rebuilds a case from its log. Every event in a log was accepted once, so replay applies
    /// the same rules; an event the current policy would refuse keeps only its bookkeeping.
    public static func replay(_ events: [RecordedEvent], context: LifecycleContext) -> CaseState? {
        guard let first = events.first, var state = try? start(first.event) else { return nil }
        for recorded in events.dropFirst() {
            if let t = try? apply(recorded, to: state, context: context) {
                state = t.state
            } else if let booked = try? record(recorded, into: state) {
                state = booked
            } else {
                state.version += 1
            }
        }
        return state
    }

    /// The next step on a case and its date, for the queue and the history pane.
    public static func nextAction(for state: CaseState, asOf: CivilDate, policy: Policy) -> NextAction {
        func day(_ days: Int) -> CivilDate? { state.oldestDue?.adding(days: days) }
        switch state.status {
        case .resolved: return NextAction(kind: "none", text: "resolved", on: nil)
        case .writtenOff: return NextAction(kind: "none", text: "written off", on: nil)
        case .disputed: return NextAction(kind: "verify-dispute", text: "verify the dispute", on: nil)
        case .ceased: return NextAction(kind: "review", text: "no contact (cease request)", on: nil)
        case .paused: return NextAction(kind: "review", text: "on hold: \(state.holdReason ?? "review")", on: nil)
        case .placed: return NextAction(kind: "agency", text: "with the agency", on: state.placedOn)
        case .promised:
            let p = state.promise
            return NextAction(kind: "check-promise", text: "promise \(p?.amount.formatted ?? "") due", on: p?.due)
        case .onPlan:
            let n = state.nextInstallment
            return NextAction(kind: "check-installment", text: "installment \(n?.amount.formatted ?? "") due", on: n?.due)
        case .settling:
            let s = state.settlement
            return NextAction(kind: "check-settlement", text: "settlement \(s?.amount.formatted ?? "") due", on: s?.expires)
        case .open:
            if state.pendingApproval != nil { return NextAction(kind: "awaiting-approval", text: "awaiting approval", on: nil) }
            if let callback = state.callbackAt {
                return NextAction(kind: "call-back", text: "call back", on: CivilDate(utcInstant: callback))
            }
            guard state.balance.isPositive else { return NextAction(kind: "none", text: "nothing owed", on: nil) }
            if state.stageSince == nil {
                return NextAction(kind: "send-reminder", text: "send a reminder", on: day(policy.escalation.reminderDays))
            }
            // The day the run takes the case to the next stage: once its days past due reach the
            // stage's threshold, and never on the day it reached this one (a case climbs one
            // stage a day). An old debt imported today is not told of a step on a past date.
            func escalation(_ days: Int) -> CivilDate? {
                guard let aged = day(days), let since = state.stageSince else { return day(days) }
                return max(aged, since.adding(days: 1))
            }
            switch state.stage {
            case .reminder: return NextAction(kind: "call", text: "start calling", on: escalation(policy.escalation.callDays))
            case .call:
                let demand = escalation(policy.escalation.letterDays).map { " (final demand from \($0.iso))" } ?? ""
                return NextAction(kind: "call", text: "call\(demand)", on: asOf)
            case .letter:
                if state.balance.minorUnits < policy.agencyMinimum(in: state.currency).minorUnits {
                    return NextAction(kind: "review", text: "below agency minimum: review", on: asOf)
                }
                return NextAction(kind: "place", text: "agency placement", on: escalation(policy.escalation.agencyDays))
            case .agency: return NextAction(kind: "call", text: "call (recalled from agency)", on: asOf)
            }
        }
    }
}

extension CivilDate {
    /// The UTC calendar day of an instant.
    public init(utcInstant date: Date) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        self.init(daysSinceEpoch: days)
    }

    /// Midnight UTC at the start of the day.
    public var utcMidnight: Date { Date(timeIntervalSince1970: TimeInterval(daysSinceEpoch) * 86_400) }
}
