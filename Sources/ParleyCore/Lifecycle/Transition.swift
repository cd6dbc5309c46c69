/// The case lifecycle as one table, read top to bottom: the first row whose status, stage, event
/// and guard match decides the outcome. Nothing else in Parley decides a case's status or stage.
/// Bookkeeping every event of a kind does (a payment lowers the balance, a promise stores its
/// terms) lives in `Lifecycle.record`, not here.
public struct TransitionRule: Sendable {
    public var statuses: Set<Status> { didSet { statusBits = Self.bits(statuses) } }
    public var stages: Set<Stage> { didSet { stageBits = Self.bits(stages) } }
    /// `statuses` and `stages` as bits (`allCases` order), for `admits`: the daily run asks a
    /// rule's sets a few times a case, and `Set.contains` hashed the value each time (about 3%
    /// of the run's stepping thread, `perf record` of the first day after an import).
    private var statusBits: UInt64 = 0
    private var stageBits: UInt64 = 0

    private static func bits<T: CaseIterable & Hashable>(_ set: Set<T>) -> UInt64 {
        var bits: UInt64 = 0
        for (i, value) in T.allCases.enumerated() where set.contains(value) { bits |= 1 << UInt64(i) }
        return bits
    }

    private static func bit<T: CaseIterable & Equatable>(_ value: T) -> UInt64 {
        var i: UInt64 = 0
        for candidate in T.allCases {
            if candidate == value { return 1 << i }
            i += 1
        }
        return 0
    }

    /// Whether a case with this status and stage is one the row is about.
    @inline(__always)
    public func admits(status: Status, stage: Stage) -> Bool {
        statusBits & Self.bit(status) != 0 && stageBits & Self.bit(stage) != 0
    }
    public var event: EventKind
    public var guardCondition: Guard
    public var outcome: Outcome

    public enum Target: Hashable, Sendable {
        case same
        case status(Status)
        /// The status saved when the case was held or disputed (open if none).
        case resumeStatus
        /// The status the offer waiting for approval puts the case in.
        case pendingArrangement
    }

    public enum Outcome: Sendable {
        case transition(status: Target, stage: Stage?, effects: [EffectTemplate])
        case refuse(Refusal.Code, String)
    }

    /// Conditions a row can ask for, each a named predicate (`Lifecycle.holds`).
    public enum Guard: String, Sendable, CaseIterable {
        case always
        case supervisor
        case notSupervisor
        case balanceCleared
        case planComplete
        case brokenPromisesOverTolerance
        case callCleared
        case callOverriddenBySupervisor
        case belowAgencyMinimum
        case placementBlocked
        case letterAllowedAfterCease
        case letterDemandsPayment
        case disputeVerified
        case disputeUpheld
        case approvalPending
        case escalationOutOfOrder
        case escalatingToReminder
        case escalatingToCall
        case escalatingToLetter
        case escalatingToAgency
    }

    init(_ statuses: Set<Status>, _ event: EventKind, _ outcome: Outcome) {
        self.init(statuses, event, .always, outcome)
    }

    init(_ statuses: Set<Status>, _ event: EventKind, _ guardCondition: Guard, _ outcome: Outcome) {
        self.statuses = statuses
        self.stages = Set(Stage.allCases)
        statusBits = Self.bits(statuses)
        stageBits = Self.bits(stages)
        self.event = event
        self.guardCondition = guardCondition
        self.outcome = outcome
    }
}

/// Effects as the table writes them; `Lifecycle` fills in the values (amounts, dates).
public enum EffectTemplate: Hashable, Sendable {
    case sendLetter(LetterKind)
    case scheduleCall
    case placeWithAgency
    case recallFromAgency
    case askSupervisor
    case produceAgreement
    case notifyAgencyOfPayment
}

private let all = Set(Status.allCases)
private let closed: Set<Status> = [.resolved, .writtenOff]
private let live = all.subtracting(closed)
private let collecting: Set<Status> = [.open, .promised, .onPlan, .settling]
private let arranged: Set<Status> = [.promised, .onPlan, .settling]

private func to(_ status: Status, stage: Stage? = nil, _ effects: EffectTemplate...) -> TransitionRule.Outcome {
    .transition(status: .status(status), stage: stage, effects: effects)
}
private func stay(stage: Stage? = nil, _ effects: EffectTemplate...) -> TransitionRule.Outcome {
    .transition(status: .same, stage: stage, effects: effects)
}
private func resume(_ effects: EffectTemplate...) -> TransitionRule.Outcome {
    .transition(status: .resumeStatus, stage: nil, effects: effects)
}
private func refuse(_ code: Refusal.Code, _ message: String) -> TransitionRule.Outcome { .refuse(code, message) }

extension Lifecycle {
    /// (status, stage, event) → guard → new state + effects. Read top to bottom; first match wins;
    /// an event no row matches is refused as not applicable to the case's status.
    public static let table: [TransitionRule] = [
        // Notes and the passing of time never change a case.
        .init(all, .note, stay()),
        .init(all, .tick, stay()),
        .init(all, .opened, stay()),

        // Money in. Under an arrangement the payment's follow-up (promise kept, installment paid,
        // settlement paid) decides; otherwise a payment that clears the balance resolves the case.
        .init(arranged, .paymentReceived, stay()),
        .init([.placed], .paymentReceived, .balanceCleared, to(.resolved, .notifyAgencyOfPayment, .recallFromAgency)),
        .init(all, .paymentReceived, .balanceCleared, to(.resolved)),
        .init([.placed], .paymentReceived, stay(.notifyAgencyOfPayment)),
        .init(all, .paymentReceived, stay()),
        .init([.resolved], .invoiceAdded, to(.open, stage: .reminder)),
        .init(all, .invoiceAdded, stay()),

        // Closing and reopening are a supervisor's decisions.
        .init(closed, .reopened, .supervisor, to(.open)),
        .init(closed, .reopened, refuse(.supervisorOnly, "only a supervisor can reopen a closed case")),
        .init(live, .reopened, refuse(.invalid, "the case is not closed, so there is nothing to reopen")),
        .init([.resolved], .writtenOff, refuse(.caseClosed, "the debt is already paid; there is nothing to write off")),
        .init([.writtenOff], .writtenOff, refuse(.caseClosed, "the debt is already written off")),
        .init(live, .writtenOff, .notSupervisor, refuse(.supervisorOnly, "only a supervisor can write off a debt")),
        .init([.placed], .writtenOff, to(.writtenOff, .recallFromAgency)),
        .init(live, .writtenOff, to(.writtenOff)),
        .init([.resolved], .callAttempted, refuse(.caseClosed, "this case is paid in full; there is nothing to collect")),
        .init([.writtenOff], .callAttempted, refuse(.caseClosed, "this debt is written off; a supervisor must reopen it before anyone calls")),
        .init(closed, .escalated, refuse(.caseClosed, "a closed case does not escalate")),
        .init(closed, .placedWithAgency, refuse(.caseClosed, "a closed case cannot be placed with an agency")),

        // Work is moved between collectors by a supervisor, whatever the case's status.
        .init(all, .reassigned, .notSupervisor, refuse(.supervisorOnly, "only a supervisor can reassign a case")),
        .init(all, .reassigned, stay()),

        // Holds (hardship, bankruptcy, a supervisor's hold).
        .init(live, .hold, .notSupervisor, refuse(.supervisorOnly, "only a supervisor can put a case on hold")),
        .init([.paused], .hold, refuse(.onHold, "the case is already on hold")),
        .init(live, .hold, to(.paused)),
        .init([.paused], .release, .notSupervisor, refuse(.supervisorOnly, "only a supervisor can release a hold")),
        .init([.paused], .release, resume()),
        .init(live, .release, refuse(.invalid, "the case is not on hold")),

        // Disputes freeze collection until the debt is verified or the debtor is found right.
        .init([.placed], .disputeRaised, to(.disputed, .recallFromAgency)),
        .init([.disputed], .disputeRaised, stay()),
        .init(live, .disputeRaised, to(.disputed)),
        .init([.disputed], .disputeResolved, .disputeVerified, resume(.sendLetter(.disputeVerification))),
        .init([.disputed], .disputeResolved, .disputeUpheld, to(.resolved)),
        .init(live, .disputeResolved, refuse(.invalid, "there is no open dispute on this case")),

        // Cease communication: only the letters the rule allows.
        .init([.ceased], .ceaseRequested, stay()),
        .init([.placed], .ceaseRequested, to(.ceased, .sendLetter(.ceaseConfirmation), .recallFromAgency)),
        .init(live, .ceaseRequested, to(.ceased, .sendLetter(.ceaseConfirmation))),
        .init(live, .attorneyRepresented, stay()),

        // Letters.
        .init([.ceased], .letterSent, .letterAllowedAfterCease, stay()),
        .init([.ceased], .letterSent, refuse(.ceased, "the debtor asked us to stop; only a letter confirming that collection stops, or naming a remedy, may be sent")),
        .init([.disputed], .letterSent, .letterDemandsPayment, refuse(.disputed, "a disputed debt gets no demand letters until the dispute is resolved")),
        .init(live, .letterSent, stay()),

        // Calls: the contact rules decide; a blocked call is refused unless a supervisor overrides it.
        .init([.ceased], .callAttempted, refuse(.ceased, "the debtor asked us to stop contacting them: no calls")),
        .init([.disputed], .callAttempted, refuse(.disputed, "a disputed debt is not collected until the dispute is resolved and verification recorded")),
        .init([.paused], .callAttempted, refuse(.onHold, "the case is on hold: no collection calls")),
        .init([.placed], .callAttempted, refuse(.withAgency, "the account is with the agency; recall it before calling")),
        .init(collecting, .callAttempted, .callCleared, stay()),
        .init(collecting, .callAttempted, .callOverriddenBySupervisor, stay()),
        .init(collecting, .callAttempted, refuse(.callBlocked, "the contact rules block this call; only a supervisor can override them, with a reason")),
        .init(collecting, .rightPartyContact, stay()),
        .init(collecting.union([.paused]), .callbackScheduled, stay(.scheduleCall)),

        // Offers beyond a collector's authority wait for a supervisor.
        .init([.open, .promised], .approvalRequested, stay(.askSupervisor)),
        .init(live, .approvalGranted, .notSupervisor, refuse(.supervisorOnly, "only a supervisor can approve an offer")),
        .init([.open, .promised], .approvalGranted, .approvalPending, .transition(status: .pendingArrangement, stage: nil, effects: [.produceAgreement])),
        .init(live, .approvalGranted, refuse(.nothingToApprove, "there is no offer waiting for approval on this case")),
        .init(live, .approvalDenied, .notSupervisor, refuse(.supervisorOnly, "only a supervisor can reject an offer")),
        .init(live, .approvalDenied, .approvalPending, stay()),
        .init(live, .approvalDenied, refuse(.nothingToApprove, "there is no offer waiting for approval on this case")),

        // Promises.
        .init([.open, .promised], .promiseMade, .brokenPromisesOverTolerance, refuse(.tooManyBrokenPromises, "this debtor has broken more promises than the policy tolerates; offer a plan with a deposit, or escalate")),
        .init([.open, .promised], .promiseMade, to(.promised, .sendLetter(.promiseConfirmation))),
        .init([.promised], .promiseKept, .balanceCleared, to(.resolved)),
        .init([.promised], .promiseKept, to(.open)),
        .init([.promised], .promiseBroken, to(.open, .scheduleCall)),

        // Payment plans.
        .init([.open, .promised], .planAgreed, to(.onPlan, .produceAgreement)),
        .init([.onPlan], .installmentPaid, .balanceCleared, to(.resolved)),
        .init([.onPlan], .installmentPaid, .planComplete, to(.open)),
        .init([.onPlan], .installmentPaid, stay()),
        .init([.onPlan], .installmentMissed, to(.open, .scheduleCall)),

        // Settlements.
        .init([.open, .promised], .settlementAccepted, to(.settling, .produceAgreement)),
        .init([.settling], .settlementPaid, to(.resolved)),
        .init([.settling], .settlementLapsed, to(.open, .scheduleCall)),

        // Escalation as days pass: only an open case climbs the ladder, one stage at a time.
        .init(arranged, .escalated, refuse(.arrangementInForce, "a case with a promise, plan or settlement in force does not escalate")),
        .init([.disputed], .escalated, refuse(.disputed, "a disputed case does not escalate until the dispute is resolved")),
        .init([.paused], .escalated, refuse(.onHold, "a case on hold does not escalate")),
        .init([.ceased], .escalated, refuse(.ceased, "the debtor asked us to stop; the case does not escalate")),
        .init([.placed], .escalated, refuse(.withAgency, "the account is already with the agency")),
        .init([.open], .escalated, .escalationOutOfOrder, refuse(.invalid, "a case climbs the ladder one stage at a time")),
        .init([.open], .escalated, .escalatingToReminder, stay(stage: .reminder, .sendLetter(.reminder))),
        .init([.open], .escalated, .escalatingToCall, stay(stage: .call, .scheduleCall)),
        .init([.open], .escalated, .escalatingToLetter, stay(stage: .letter, .sendLetter(.finalDemand))),
        .init([.open], .escalated, .belowAgencyMinimum, refuse(.belowAgencyMinimum, "the balance is below the policy's minimum for agency placement")),
        .init([.open], .escalated, .placementBlocked, refuse(.placementBlocked, "the contact rules do not allow agency placement yet")),
        .init([.open], .escalated, .escalatingToAgency, to(.placed, stage: .agency, .placeWithAgency, .sendLetter(.agencyNotice))),

        // The agency.
        .init([.disputed], .placedWithAgency, refuse(.disputed, "a disputed case cannot be placed until the dispute is resolved")),
        .init([.placed], .placedWithAgency, refuse(.withAgency, "the account is already with the agency")),
        .init(arranged, .placedWithAgency, refuse(.arrangementInForce, "the debtor is keeping an arrangement; it must lapse before placement")),
        .init([.paused], .placedWithAgency, refuse(.onHold, "a case on hold cannot be placed")),
        .init([.open, .ceased], .placedWithAgency, .belowAgencyMinimum, refuse(.belowAgencyMinimum, "the balance is below the policy's minimum for agency placement")),
        .init([.open, .ceased], .placedWithAgency, .placementBlocked, refuse(.placementBlocked, "the contact rules do not allow agency placement yet")),
        .init([.ceased], .placedWithAgency, to(.placed, stage: .agency, .placeWithAgency)),
        .init([.open], .placedWithAgency, to(.placed, stage: .agency, .placeWithAgency, .sendLetter(.agencyNotice))),
        .init([.placed], .recalled, to(.open, .recallFromAgency)),
        .init(live, .recalled, refuse(.invalid, "the account is not with an agency")),
    ]
}
