import XCTest
@testable import ParleyCore

/// Walks every row of the transition table: each row must be the deciding row for some case and
/// event, and its outcome must be what `apply` does.
final class LifecycleTableTests: XCTestCase {
    static let day = CivilDate(iso: "2026-11-23")!
    static let at = Date(timeIntervalSince1970: 1_795_000_000)
    let collector = Actor(name: "alice", role: .collector)
    let supervisor = Actor(name: "sam", role: .supervisor)

    func eur(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .eur) }

    /// Sample events of every kind, with the variants the guards look at.
    func samples(_ kind: EventKind) -> [CaseEvent] {
        let d = Self.day
        switch kind {
        case .opened: return [.opened(accountID: "A", debtorKind: .consumer, currency: .eur, on: d)]
        case .invoiceAdded: return [.invoiceAdded(invoiceID: "I9", amount: eur(5000), due: d)]
        case .paymentReceived: return [.paymentReceived(amount: eur(1000), on: d), .paymentReceived(amount: eur(100000), on: d)]
        case .tick: return [.tick(asOf: d)]
        case .escalated: return Stage.allCases.map { .escalated(to: $0, on: d) }
        case .letterSent: return LetterKind.allCases.map { .letterSent($0, on: d) }
        case .callAttempted:
            return [.callAttempted(outcome: .conversation, verdict: .allowed, overrideReason: nil),
                    .callAttempted(outcome: .noAnswer, verdict: .blocked, overrideReason: "debtor asked for a call at this hour"),
                    .callAttempted(outcome: .noAnswer, verdict: .blocked, overrideReason: nil)]
        case .rightPartyContact: return [.rightPartyContact]
        case .callbackScheduled: return [.callbackScheduled(at: Self.at.addingTimeInterval(3600))]
        case .promiseMade: return [.promiseMade(amount: eur(10000), due: d.adding(days: 4))]
        case .promiseKept: return [.promiseKept]
        case .promiseBroken: return [.promiseBroken]
        case .planAgreed: return [.planAgreed(installments: [Installment(due: d, amount: eur(20000)), Installment(due: d.adding(months: 1), amount: eur(20000))])]
        case .installmentPaid: return [.installmentPaid(amount: eur(20000)), .installmentPaid(amount: eur(1000))]
        case .installmentMissed: return [.installmentMissed(due: d)]
        case .settlementAccepted: return [.settlementAccepted(amount: eur(30000), expires: d.adding(days: 14))]
        case .settlementPaid: return [.settlementPaid]
        case .settlementLapsed: return [.settlementLapsed]
        case .approvalRequested: return [.approvalRequested(.settlement(amount: eur(20000), expires: d), exceeds: ["discount 50% > 10%"])]
        case .approvalGranted: return [.approvalGranted]
        case .approvalDenied: return [.approvalDenied(reason: "too generous")]
        case .disputeRaised: return [.disputeRaised(reason: "goods faulty")]
        case .disputeResolved: return [.disputeResolved(.verified), .disputeResolved(.upheld)]
        case .ceaseRequested: return [.ceaseRequested]
        case .attorneyRepresented: return [.attorneyRepresented(name: "Saul Goodman")]
        case .hold: return [.hold(reason: "hardship")]
        case .release: return [.release]
        case .placedWithAgency: return [.placedWithAgency(on: d)]
        case .recalled: return [.recalled(reason: "debtor called")]
        case .writtenOff: return [.writtenOff(reason: "bankrupt")]
        case .reassigned: return [.reassigned(to: "bob", reason: "holiday cover")]
        case .reopened: return [.reopened(reason: "payment arrived")]
        case .note: return [.note("left a message")]
        }
    }

    /// Case states in a status, with the variants the guards look at.
    func states(_ status: Status) -> [(CaseState, LifecycleContext)] {
        var base = CaseState(accountID: "A", debtorKind: .consumer, currency: .eur, openedOn: Self.day.adding(days: -90))
        base.balance = eur(50000)
        base.openInvoices = ["I1": .init(due: Self.day.adding(days: -80), outstanding: eur(50000))]
        base.status = status
        var variants: [CaseState] = []
        for stage in Stage.allCases {
            for since in [nil, Self.day.adding(days: -10)] as [CivilDate?] {
                var s = base
                s.stage = stage
                s.stageSince = since
                variants.append(s)
            }
        }
        var small = base; small.balance = eur(1000); small.openInvoices["I1"]?.outstanding = eur(1000); small.stage = .letter; small.stageSince = Self.day.adding(days: -5)
        var pending = base; pending.pendingApproval = .init(arrangement: .plan(installments: [Installment(due: Self.day, amount: eur(50000))]), exceeds: ["x"], requestedBy: "alice")
        var broken = base; broken.promisesBroken = 5
        var promised = base; promised.promise = .init(amount: eur(1000), due: Self.day, paid: .zero(.eur))
        var planned = base; planned.plan = [Installment(due: Self.day, amount: eur(20000))]
        var settling = base; settling.settlement = .init(amount: eur(1000), expires: Self.day, paid: .zero(.eur))
        var cleared = planned; cleared.balance = eur(0); cleared.openInvoices = [:]; cleared.promise = promised.promise
        variants += [small, pending, broken, promised, planned, settling, cleared]
        let open = LifecycleContext(policy: .standard)
        let blocked = LifecycleContext(policy: .standard, placementBlockedReason: "validation period")
        return variants.flatMap { [($0, open), ($0, blocked)] }
    }

    func testEveryRowDecidesSomeCaseAndApplyDoesWhatItSays() {
        var unreached: [Int] = []
        for (index, rule) in Lifecycle.table.enumerated() {
            var reached = false
            search: for status in rule.statuses.sorted(by: { $0.rawValue < $1.rawValue }) {
                for (state, context) in states(status) {
                    for event in samples(rule.event) {
                        for actor in [collector, supervisor] {
                            let recorded = RecordedEvent(at: Self.at, actor: actor, event: event)
                            guard let booked = try? Lifecycle.record(recorded, into: state),
                                  let (i, _) = Lifecycle.matchingRule(recorded, before: state, after: booked, context: context),
                                  i == index else { continue }
                            reached = true
                            let result = Result { () throws(Refusal) in try Lifecycle.apply(recorded, to: state, context: context) }
                            switch (rule.outcome, result) {
                            case (.refuse(let code, let message), .failure(let refusal)):
                                XCTAssertEqual(refusal.code, code, "row \(index)")
                                XCTAssertEqual(refusal.message, message, "row \(index)")
                            case (.transition(let target, let stage, _), .success(let t)):
                                XCTAssertEqual(t.rule, index)
                                if case .status(let s) = target { XCTAssertEqual(t.state.status, s, "row \(index)") }
                                if case .same = target { XCTAssertEqual(t.state.status, state.status, "row \(index)") }
                                if let stage { XCTAssertEqual(t.state.stage, stage, "row \(index)") }
                                XCTAssertEqual(t.state.version, state.version + 1)
                            default:
                                XCTFail("row \(index) (\(rule.event)) outcome disagrees with apply: \(result)")
                            }
                            break search
                        }
                    }
                }
            }
            if !reached { unreached.append(index) }
        }
        XCTAssertEqual(unreached, [], "rows no case reaches: \(unreached.map { "\($0) \(Lifecycle.table[$0].event) \(Lifecycle.table[$0].guardCondition)" })")
    }

    func testEveryEventKindHasARowForEveryStatusOrARefusalInWords() {
        for kind in EventKind.allCases {
            for status in Status.allCases {
                for (state, context) in states(status) {
                    for event in samples(kind) {
                        let recorded = RecordedEvent(at: Self.at, actor: collector, event: event)
                        do { _ = try Lifecycle.apply(recorded, to: state, context: context) }
                        catch { XCTAssertFalse(error.message.isEmpty) }
                    }
                }
            }
        }
    }

    func testEveryRowAdmitsExactlyTheStatusesAndStagesOfItsSets() {
        var checked = 0
        for rule in Lifecycle.table {
            for status in Status.allCases {
                for stage in Stage.allCases {
                    XCTAssertEqual(rule.admits(status: status, stage: stage), rule.statuses.contains(status) && rule.stages.contains(stage),
                                   "\(rule.event) \(status) \(stage)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 0)
        // Changed sets are followed.
        var rule = Lifecycle.table[0]
        rule.statuses = [.paused]
        rule.stages = [.letter]
        XCTAssertTrue(rule.admits(status: .paused, stage: .letter))
        XCTAssertFalse(rule.admits(status: .open, stage: .letter))
        XCTAssertFalse(rule.admits(status: .paused, stage: .call))
    }
}
