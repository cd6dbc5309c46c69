import Foundation

/// What the lifecycle needs besides the case and the event: the policy, and the contact rules'
/// answer on placement (validation period, disputes), which the caller asks Compliance for.
public struct LifecycleContext: Sendable {
    public var policy: Policy
    /// Why the contact rules forbid agency placement right now; nil when they allow it.
    public var placementBlockedReason: String?

    public init(policy: Policy, placementBlockedReason: String? = nil) {
        self.policy = policy
        self.placementBlockedReason = placementBlockedReason
    }
}

/// The result of an accepted event.
public struct Transition: Hashable, Sendable {
    public var state: CaseState
    public var effects: [Effect]
    /// Index of the table row that decided it.
    public var rule: Int
}

/// The case lifecycle: applies events to cases through `Lifecycle.table`.
public enum Lifecycle {
    /// The first state of a case, from its `opened` event: nil for any other event. The invoices
    /// the event carries are booked in order as `invoiceAdded` books one (and refused as it
    /// refuses one: an amount in another currency, or not above zero); the state's version is 1,
    /// one event's worth.
    public static func start(_ event: CaseEvent) throws(Refusal) -> CaseState? {
        guard case .opened(let accountID, let kind, let currency, let on, let invoices) = event else { return nil }
        var state = CaseState(accountID: accountID, debtorKind: kind, currency: currency, openedOn: on)
        if let invoices { state.openInvoices.reserveCapacity(invoices.count) }
        for invoice in invoices ?? [] {
            try book(invoice: invoice.id, amount: invoice.amount, due: invoice.due, into: &state)
        }
        state.version = 1
        return state
    }

    /// What adding an invoice books: its amount on the balance and the invoice open.
    static func book(invoice id: String, amount: Money, due: CivilDate, into s: inout CaseState) throws(Refusal) {
        try requirePositive(amount, "an invoice amount", keptIn: s.currency)
        do { s.balance = try s.balance.adding(amount) } catch { throw Refusal(.invalid, error.description) }
        s.openInvoices[id] = .init(due: due, outstanding: amount)
    }

    /// Applies one event, or refuses it with the reason.
    public static func apply(_ recorded: RecordedEvent, to state: CaseState, context: LifecycleContext) throws(Refusal) -> Transition {
        let booked = try record(recorded, into: state)
        guard let (index, rule) = matchingRule(recorded, before: state, after: booked, context: context) else {
            if state.status.isClosed {
                throw Refusal(.caseClosed, "cannot \(recorded.event.kind.label): the case is \(state.status.label); a supervisor must reopen it first")
            }
            throw Refusal(.notApplicable, "cannot \(recorded.event.kind.label) on a case that is \(state.status.label)")
        }
        switch rule.outcome {
        case .refuse(let code, let message):
            throw Refusal(code, message)
        case .transition(let target, let stage, let templates):
            var next = booked
            switch target {
            case .same: break
            case .status(let s): next.status = s
            case .resumeStatus: next.status = state.resumeStatus ?? .open; next.resumeStatus = nil
            case .pendingArrangement:
                if let pending = state.pendingApproval {
                    next.status = status(for: pending.arrangement)
                    install(pending.arrangement, into: &next)
                }
            }
            if let stage { next.stage = stage }
            if next.status.isClosed {
                next.promise = nil
                next.plan = nil
                next.settlement = nil
                next.callbackAt = nil
            }
            let effects = templates.map { effect(for: $0, recorded: recorded, before: state, after: next) }
            return Transition(state: next, effects: effects, rule: index)
        }
    }

    /// The row that decides an event, if any.
    public static func matchingRule(_ recorded: RecordedEvent, before: CaseState, after: CaseState, context: LifecycleContext) -> (Int, TransitionRule)? {
        let kind = recorded.event.kind
        // The same scan as `for (i, rule) in table.enumerated() where …`, looking at a row's event
        // before taking the row: a copy of each row (its two sets retained and released) was
        // most of the daily run's time in the lifecycle.
        let rules = table
        for i in rules.indices where rules[i].event == kind {
            let rule = rules[i]
            if rule.admits(status: before.status, stage: before.stage)
                && holds(rule.guardCondition, recorded, before: before, after: after, context: context) {
                return (i, rule)
            }
        }
        return nil
    }

    static func holds(_ g: TransitionRule.Guard, _ recorded: RecordedEvent, before: CaseState, after: CaseState, context: LifecycleContext) -> Bool {
        let policy = context.policy
        switch g {
        case .always: return true
        case .supervisor: return recorded.actor.isSupervisor
        case .notSupervisor: return !recorded.actor.isSupervisor
        case .balanceCleared: return after.balance.minorUnits <= 0
        case .planComplete: return after.plan?.allSatisfy(\.isPaid) ?? true
        case .brokenPromisesOverTolerance: return before.promisesBroken > policy.promises.brokenTolerated
        case .callCleared:
            if case .callAttempted(_, let verdict, _) = recorded.event { return verdict != .blocked }
            return false
        case .callOverriddenBySupervisor:
            if case .callAttempted(_, .blocked, let reason?) = recorded.event {
                return recorded.actor.isSupervisor && !reason.trimmingCharacters(in: .whitespaces).isEmpty
            }
            return false
        case .belowAgencyMinimum:
            return before.balance.minorUnits < policy.agencyMinimum(in: before.currency).minorUnits && escalationTarget(recorded) ?? .agency == .agency
        case .placementBlocked:
            return context.placementBlockedReason != nil && escalationTarget(recorded) ?? .agency == .agency
        case .letterAllowedAfterCease:
            if case .letterSent(let kind, _) = recorded.event { return kind.allowedAfterCease }
            return false
        case .letterDemandsPayment:
            if case .letterSent(let kind, _) = recorded.event { return kind.demandsPayment }
            return false
        case .disputeVerified:
            if case .disputeResolved(.verified) = recorded.event { return true }
            return false
        case .disputeUpheld:
            if case .disputeResolved(.upheld) = recorded.event { return true }
            return false
        case .approvalPending: return before.pendingApproval != nil
        case .escalationOutOfOrder:
            guard let target = escalationTarget(recorded) else { return false }
            if before.stageSince == nil { return target != .reminder }
            return target != before.stage.next
        case .escalatingToReminder: return escalationTarget(recorded) == .reminder
        case .escalatingToCall: return escalationTarget(recorded) == .call
        case .escalatingToLetter: return escalationTarget(recorded) == .letter
        case .escalatingToAgency: return escalationTarget(recorded) == .agency
        }
    }

    private static func escalationTarget(_ recorded: RecordedEvent) -> Stage? {
        if case .escalated(let to, _) = recorded.event { return to }
        return nil
    }

    static func status(for arrangement: Arrangement) -> Status {
        switch arrangement {
        case .promise: return .promised
        case .plan: return .onPlan
        case .settlement: return .settling
        }
    }

    static func install(_ arrangement: Arrangement, into state: inout CaseState) {
        switch arrangement {
        case .promise(let amount, let due):
            state.promise = .init(amount: amount, due: due, paid: .zero(amount.currency))
        case .plan(let installments):
            state.plan = installments
            state.promise = nil
        case .settlement(let amount, let expires):
            state.settlement = .init(amount: amount, expires: expires, paid: .zero(amount.currency))
            state.promise = nil
        }
        state.pendingApproval = nil
    }

    /// An amount an event books: in the account's currency, and more than zero.
    static func requirePositive(_ m: Money, _ what: String, keptIn currency: Currency) throws(Refusal) {
        if m.currency != currency {
            throw Refusal(.invalid, "the amount is in \(m.currency.code) but the account is kept in \(currency.code)")
        }
        if !m.isPositive { throw Refusal(.invalid, "\(what) must be more than zero") }
    }

    /// The bookkeeping every event of a kind does, whatever row decides its status.
    static func record(_ recorded: RecordedEvent, into state: CaseState) throws(Refusal) -> CaseState {
        var s = state
        s.version += 1
        func positive(_ m: Money, _ what: String) throws(Refusal) {
            try requirePositive(m, what, keptIn: state.currency)
        }
        do {
            switch recorded.event {
            case .opened, .tick(asOf: _):
                if case .tick(let asOf) = recorded.event { s.lastTick = asOf }
            case .invoiceAdded(let id, let amount, let due):
                try book(invoice: id, amount: amount, due: due, into: &s)
                if state.status == .resolved { s.stageSince = nil }
            case .paymentReceived(let amount, _):
                try positive(amount, "a payment")
                s.balance = try s.balance.subtracting(amount)
                var left = amount.minorUnits
                for (id, invoice) in s.openInvoices.sorted(by: { ($0.value.due, $0.key) < ($1.value.due, $1.key) }) where left > 0 {
                    let take = min(left, invoice.outstanding.minorUnits)
                    left -= take
                    let rest = invoice.outstanding.minorUnits - take
                    let remaining = Money(minorUnits: rest, currency: state.currency)
                    if rest <= 0 { s.openInvoices[id] = nil } else { s.openInvoices[id]?.outstanding = remaining }
                }
                if let p = s.promise { s.promise?.paid = try p.paid.adding(amount) }
                if let t = s.settlement { s.settlement?.paid = try t.paid.adding(amount) }
            case .escalated(_, let on):
                s.stageSince = on
            case .letterSent(let kind, _):
                s.lettersSent.append(kind)
            case .callAttempted(let outcome, _, _):
                if outcome != .notConnected { s.callAttempts += 1 }
                if outcome == .conversation {
                    s.conversations += 1
                    s.lastContactAt = recorded.at
                }
                s.callbackAt = nil
            case .rightPartyContact:
                s.lastContactAt = recorded.at
            case .callbackScheduled(let at):
                s.callbackAt = at
            case .promiseMade(let amount, let due):
                try positive(amount, "a promised amount")
                s.promise = .init(amount: amount, due: due, paid: .zero(state.currency))
            case .promiseKept:
                s.promisesKept += 1
                s.promise = nil
            case .promiseBroken:
                s.promisesBroken += 1
                s.promise = nil
            case .planAgreed(let installments):
                guard !installments.isEmpty else { throw Refusal(.invalid, "a plan needs at least one payment") }
                for i in installments { try positive(i.amount, "each plan payment") }
                s.plan = installments
                s.promise = nil
            case .installmentPaid(let amount):
                try positive(amount, "an installment payment")
                var left = amount.minorUnits
                if var plan = s.plan {
                    for i in plan.indices where left > 0 && !plan[i].isPaid {
                        let need = plan[i].amount.minorUnits - plan[i].paid.minorUnits
                        let take = min(need, left)
                        plan[i].paid = Money(minorUnits: plan[i].paid.minorUnits + take, currency: state.currency)
                        left -= take
                    }
                    s.plan = plan
                }
            case .installmentMissed:
                s.installmentsMissed += 1
                s.plan = nil
            case .settlementAccepted(let amount, let expires):
                try positive(amount, "a settlement amount")
                s.settlement = .init(amount: amount, expires: expires, paid: .zero(state.currency))
                s.promise = nil
            case .settlementPaid:
                // The rest of the balance is forgiven under the settlement.
                s.balance = .zero(state.currency)
                s.openInvoices = [:]
                s.settlement = nil
            case .settlementLapsed:
                s.settlement = nil
            case .approvalRequested(let arrangement, let exceeds):
                s.pendingApproval = .init(arrangement: arrangement, exceeds: exceeds, requestedBy: recorded.actor.name)
            case .approvalGranted:
                break
            case .approvalDenied:
                s.pendingApproval = nil
            case .disputeRaised(let reason):
                if state.status != .disputed {
                    s.resumeStatus = state.status == .placed ? .open : state.status
                }
                s.disputeReason = reason
            case .disputeResolved(let resolution):
                s.disputeReason = nil
                if resolution == .upheld {
                    s.balance = .zero(state.currency)
                    s.openInvoices = [:]
                }
            case .ceaseRequested:
                s.ceased = true
            case .attorneyRepresented(let name):
                s.attorney = name
            case .hold(let reason):
                s.resumeStatus = state.status
                s.holdReason = reason
            case .release:
                s.holdReason = nil
            case .placedWithAgency(let on):
                s.placedOn = on
                s.stageSince = on
            case .recalled:
                s.placedOn = nil
            case .reassigned(let to, _):
                s.assignee = to
            case .writtenOff, .reopened, .note:
                break
            }
        } catch let e as MoneyError {
            throw Refusal(.invalid, e.description)
        } catch let r as Refusal {
            throw r
        } catch {
            throw Refusal(.invalid, "\(error)")
        }
        return s
    }

    static func effect(for template: EffectTemplate, recorded: RecordedEvent, before: CaseState, after: CaseState) -> Effect {
        switch template {
        case .sendLetter(let kind): return .sendLetter(kind)
        case .scheduleCall:
            if case .callbackScheduled(let at) = recorded.event { return .scheduleCall(at: at) }
            return .scheduleCall(at: recorded.at)
        case .placeWithAgency: return .placeWithAgency
        case .recallFromAgency: return .recallFromAgency
        case .askSupervisor:
            if case .approvalRequested(let arrangement, let exceeds) = recorded.event {
                return .askSupervisor("\(arrangement.summary) exceeds: \(exceeds.joined(separator: "; "))")
            }
            return .askSupervisor(recorded.event.kind.label)
        case .produceAgreement:
            switch recorded.event {
            case .planAgreed(let items): return .produceAgreement(.plan(installments: items))
            case .settlementAccepted(let amount, let expires): return .produceAgreement(.settlement(amount: amount, expires: expires))
            default:
                if let pending = before.pendingApproval { return .produceAgreement(pending.arrangement) }
                return .produceAgreement(.promise(amount: after.balance, due: CivilDate(daysSinceEpoch: 0)))
            }
        case .notifyAgencyOfPayment:
            if case .paymentReceived(let amount, _) = recorded.event { return .notifyAgencyOfPayment(amount) }
            return .notifyAgencyOfPayment(.zero(after.currency))
        }
    }
}
