import XCTest
@testable import ParleyCore

/// Whole case histories, day by day, through the public lifecycle API.
final class LifecycleScenarioTests: XCTestCase {
    let collector = Actor(name: "alice", role: .collector)
    let supervisor = Actor(name: "sam", role: .supervisor)
    let context = LifecycleContext(policy: .standard)
    let due = CivilDate(iso: "2026-01-01")!

    func eur(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .eur) }
    func day(_ n: Int) -> CivilDate { due.adding(days: n) }

    /// A consumer case with one invoice of 1,000.00 due on `due`.
    func newCase() throws -> CaseState {
        let start = try Lifecycle.start(.opened(accountID: "A1", debtorKind: .consumer, currency: .eur, on: due.adding(days: -30)))!
        return try apply(.invoiceAdded(invoiceID: "INV-1", amount: eur(100000), due: due), to: start)
    }

    func apply(_ event: CaseEvent, to state: CaseState, by actor: Actor? = nil, context: LifecycleContext? = nil) throws -> CaseState {
        let steps = try Lifecycle.applyWithFollowUps(RecordedEvent(at: day(0).utcMidnight, actor: actor ?? collector, event: event), to: state, context: context ?? self.context)
        return steps.last!.1.state
    }

    func run(_ state: CaseState, through days: ClosedRange<Int>, context: LifecycleContext? = nil) -> (CaseState, [CaseEvent]) {
        var s = state
        var events: [CaseEvent] = []
        for n in days {
            for (recorded, t) in Lifecycle.advance(s, asOf: day(n), at: day(n).utcMidnight, context: context ?? self.context) {
                events.append(recorded.event)
                s = t.state
            }
        }
        return (s, events)
    }

    func refusal(_ body: () throws -> Void) -> Refusal? {
        do { try body(); return nil } catch { return error as? Refusal }
    }

    func testEscalatesReminderCallLetterAgencyAsDaysPass() throws {
        let (s, events) = run(try newCase(), through: 0...70)
        XCTAssertEqual(events, [
            .escalated(to: .reminder, on: day(1)),
            .escalated(to: .call, on: day(15)),
            .escalated(to: .letter, on: day(30)),
            .escalated(to: .agency, on: day(60)),
        ])
        XCTAssertEqual(s.stage, .agency)
        XCTAssertEqual(s.status, .placed)
    }

    func testEscalationEffectsAskForTheRightLettersAndCalls() throws {
        var s = try newCase()
        var effects: [Effect] = []
        for n in 0...60 {
            for (_, t) in Lifecycle.advance(s, asOf: day(n), at: day(n).utcMidnight, context: context) {
                effects += t.effects
                s = t.state
            }
        }
        XCTAssertEqual(effects, [.sendLetter(.reminder), .scheduleCall(at: day(15).utcMidnight), .sendLetter(.finalDemand), .placeWithAgency, .sendLetter(.agencyNotice)])
    }

    func testAnAccountImportedLateClimbsOneStagePerDayAndARepeatedRunChangesNothing() throws {
        var (s, events) = run(try newCase(), through: 90...90)
        XCTAssertEqual(events, [.escalated(to: .reminder, on: day(90))])
        XCTAssertEqual(Lifecycle.advance(s, asOf: day(90), at: day(90).utcMidnight, context: context).count, 0)
        (s, events) = run(s, through: 91...93)
        XCTAssertEqual(events.count, 3)
        XCTAssertEqual(s.status, .placed)
    }

    func testPromiseKeptResolvesTheCaseWhenPaid() throws {
        var s = try newCase()
        s = try apply(.promiseMade(amount: eur(100000), due: day(20)), to: s)
        XCTAssertEqual(s.status, .promised)
        let (held, events) = run(s, through: 1...22)
        XCTAssertEqual(events, [], "a promised case does not escalate")
        s = try apply(.paymentReceived(amount: eur(100000), on: day(20)), to: held)
        XCTAssertEqual(s.status, .resolved)
        XCTAssertEqual(s.promisesKept, 1)
        XCTAssertEqual(s.balance, eur(0))
    }

    func testPromiseBrokenReturnsCaseToOpenResumesEscalationAndKeepsCount() throws {
        var s = try newCase()
        (s, _) = run(s, through: 0...16)          // reminder on day 1, call stage on day 15
        XCTAssertEqual(s.stage, .call)
        s = try apply(.promiseMade(amount: eur(50000), due: day(20)), to: s)
        var events: [CaseEvent]
        (s, events) = run(s, through: 17...23)
        XCTAssertEqual(events, [], "grace is 3 days: broken only after day 23")
        (s, events) = run(s, through: 24...31)
        XCTAssertEqual(events, [.promiseBroken, .escalated(to: .letter, on: day(30))])
        XCTAssertEqual(s.status, .open)
        XCTAssertEqual(s.promisesBroken, 1)
    }

    func testTooManyBrokenPromisesRefusesANewPromise() throws {
        var s = try newCase()
        for n in 0..<3 {
            s = try apply(.promiseMade(amount: eur(1000), due: day(n)), to: s)
            s = try apply(.promiseBroken, to: s)
        }
        let r = refusal { _ = try self.apply(.promiseMade(amount: eur(1000), due: self.day(40)), to: s) }
        XCTAssertEqual(r?.code, .tooManyBrokenPromises)
    }

    func testPlanWithAMissedInstallmentReturnsToOpenAndEscalates() throws {
        var s = try newCase()
        let plan = [Installment(due: day(10), amount: eur(50000)), Installment(due: day(40), amount: eur(50000))]
        s = try apply(.planAgreed(installments: plan), to: s)
        XCTAssertEqual(s.status, .onPlan)
        s = try apply(.paymentReceived(amount: eur(50000), on: day(10)), to: s)
        XCTAssertEqual(s.status, .onPlan)
        XCTAssertTrue(s.plan![0].isPaid)
        var events: [CaseEvent]
        (s, events) = run(s, through: 11...46)
        XCTAssertEqual(events.first, .installmentMissed(due: day(40)), "missed after 5 grace days, on day 46")
        XCTAssertEqual(s.status, .open)
        XCTAssertEqual(s.installmentsMissed, 1)
        XCTAssertEqual(s.balance, eur(50000))
    }

    func testPlanPaidInFullResolves() throws {
        var s = try newCase()
        s = try apply(.planAgreed(installments: [Installment(due: day(10), amount: eur(50000)), Installment(due: day(40), amount: eur(50000))]), to: s)
        s = try apply(.paymentReceived(amount: eur(50000), on: day(10)), to: s)
        s = try apply(.paymentReceived(amount: eur(50000), on: day(40)), to: s)
        XCTAssertEqual(s.status, .resolved)
    }

    func testDisputeFreezesEscalationAndVerificationResumesIt() throws {
        var s = try newCase()
        (s, _) = run(s, through: 0...16)
        s = try apply(.disputeRaised(reason: "goods faulty"), to: s)
        XCTAssertEqual(s.status, .disputed)
        var events: [CaseEvent]
        (s, events) = run(s, through: 17...80)
        XCTAssertEqual(events, [])
        XCTAssertEqual(refusal { _ = try self.apply(.callAttempted(outcome: .conversation, verdict: .allowed, overrideReason: nil), to: s) }?.code, .disputed)
        XCTAssertEqual(refusal { _ = try self.apply(.placedWithAgency(on: self.day(80)), to: s, by: self.supervisor) }?.message,
                       "a disputed case cannot be placed until the dispute is resolved")
        XCTAssertEqual(refusal { _ = try self.apply(.letterSent(.finalDemand, on: self.day(80)), to: s) }?.code, .disputed)
        s = try apply(.disputeResolved(.verified), to: s)
        XCTAssertEqual(s.status, .open)
        (s, events) = run(s, through: 81...82)
        XCTAssertEqual(events, [.escalated(to: .letter, on: day(81)), .escalated(to: .agency, on: day(82))])
    }

    func testDisputeUpheldClosesTheCase() throws {
        var s = try apply(.disputeRaised(reason: "never ordered"), to: try newCase())
        s = try apply(.disputeResolved(.upheld), to: s)
        XCTAssertEqual(s.status, .resolved)
        XCTAssertEqual(s.balance, eur(0))
    }

    func testCeaseBlocksCallsAndAllowsOnlyThePermittedLetters() throws {
        var s = try newCase()
        let t = try Lifecycle.apply(RecordedEvent(at: day(5).utcMidnight, actor: collector, event: .ceaseRequested), to: s, context: context)
        XCTAssertEqual(t.effects, [.sendLetter(.ceaseConfirmation)])
        s = t.state
        XCTAssertEqual(s.status, .ceased)
        XCTAssertEqual(refusal { _ = try self.apply(.callAttempted(outcome: .conversation, verdict: .allowed, overrideReason: nil), to: s) }?.message,
                       "the debtor asked us to stop contacting them: no calls")
        XCTAssertEqual(refusal { _ = try self.apply(.letterSent(.finalDemand, on: self.day(6)), to: s) }?.code, .ceased)
        XCTAssertNoThrow(try apply(.letterSent(.ceaseConfirmation, on: day(6)), to: s))
        XCTAssertEqual(run(s, through: 6...90).1, [], "a ceased case does not escalate")
    }

    func testSettlementThatLapsesReturnsToOpen() throws {
        var s = try newCase()
        s = try apply(.settlementAccepted(amount: eur(70000), expires: day(14)), to: s)
        XCTAssertEqual(s.status, .settling)
        var events: [CaseEvent]
        (s, events) = run(s, through: 14...15)
        XCTAssertEqual(events.first, .settlementLapsed)
        XCTAssertEqual(s.status, .open)
        XCTAssertNil(s.settlement)
    }

    func testSettlementPaidForgivesTheRest() throws {
        var s = try apply(.settlementAccepted(amount: eur(70000), expires: day(14)), to: try newCase())
        s = try apply(.paymentReceived(amount: eur(70000), on: day(10)), to: s)
        XCTAssertEqual(s.status, .resolved)
        XCTAssertEqual(s.balance, eur(0))
    }

    func testPlacementAndRecall() throws {
        var s = try newCase()
        s = try apply(.placedWithAgency(on: day(45)), to: s)
        XCTAssertEqual(s.status, .placed)
        XCTAssertEqual(s.stage, .agency)
        XCTAssertEqual(refusal { _ = try self.apply(.callAttempted(outcome: .noAnswer, verdict: .allowed, overrideReason: nil), to: s) }?.code, .withAgency)
        s = try apply(.recalled(reason: "debtor asked to deal with us"), to: s)
        XCTAssertEqual(s.status, .open)
        XCTAssertNil(s.placedOn)
    }

    func testPlacementInsideTheValidationPeriodIsRefused() throws {
        let blocked = LifecycleContext(policy: .standard, placementBlockedReason: "validation period until 2026-02-10")
        let r = refusal { _ = try self.apply(.placedWithAgency(on: self.day(45)), to: try self.newCase(), context: blocked) }
        XCTAssertEqual(r?.code, .placementBlocked)
    }

    func testWriteOffRefusedToACollectorAndAllowedToASupervisor() throws {
        let s = try newCase()
        XCTAssertEqual(refusal { _ = try self.apply(.writtenOff(reason: "bankrupt"), to: s) }?.message, "only a supervisor can write off a debt")
        let written = try apply(.writtenOff(reason: "bankrupt"), to: s, by: supervisor)
        XCTAssertEqual(written.status, .writtenOff)
        XCTAssertEqual(refusal { _ = try self.apply(.reopened(reason: "paid after all"), to: written) }?.code, .supervisorOnly)
        XCTAssertEqual(try apply(.reopened(reason: "paid after all"), to: written, by: supervisor).status, .open)
    }

    func testAPaidInFullCaseNoEventCanEscalate() throws {
        let paid = try apply(.paymentReceived(amount: eur(100000), on: day(3)), to: try newCase())
        XCTAssertEqual(paid.status, .resolved)
        XCTAssertEqual(run(paid, through: 0...400).1, [])
        for stage in Stage.allCases {
            XCTAssertEqual(refusal { _ = try self.apply(.escalated(to: stage, on: self.day(100)), to: paid, by: self.supervisor) }?.code, .caseClosed)
        }
        XCTAssertEqual(refusal { _ = try self.apply(.placedWithAgency(on: self.day(100)), to: paid, by: self.supervisor) }?.code, .caseClosed)
        XCTAssertEqual(refusal { _ = try self.apply(.callAttempted(outcome: .conversation, verdict: .allowed, overrideReason: nil), to: paid) }?.code, .caseClosed)
    }

    func testBlockedCallRefusedUnlessASupervisorOverridesWithAReason() throws {
        let s = try newCase()
        let blocked = CaseEvent.callAttempted(outcome: .conversation, verdict: .blocked, overrideReason: nil)
        XCTAssertEqual(refusal { _ = try self.apply(blocked, to: s) }?.code, .callBlocked)
        XCTAssertEqual(refusal { _ = try self.apply(blocked, to: s, by: self.supervisor) }?.code, .callBlocked)
        let overridden = CaseEvent.callAttempted(outcome: .conversation, verdict: .blocked, overrideReason: "debtor asked to be called now")
        XCTAssertEqual(refusal { _ = try self.apply(overridden, to: s) }?.code, .callBlocked)
        XCTAssertEqual(try apply(overridden, to: s, by: supervisor).conversations, 1)
    }

    func testOfferBeyondAuthorityWaitsForApprovalThenTakesEffect() throws {
        var s = try newCase()
        let offer = Arrangement.settlement(amount: eur(50000), expires: day(30))
        let t = try Lifecycle.apply(RecordedEvent(at: day(2).utcMidnight, actor: collector, event: .approvalRequested(offer, exceeds: ["discount 50% is over the collector's 10%"])), to: s, context: context)
        s = t.state
        XCTAssertEqual(Lifecycle.nextAction(for: s, asOf: day(2), policy: .standard).text, "awaiting approval")
        XCTAssertEqual(refusal { _ = try self.apply(.approvalGranted, to: s) }?.code, .supervisorOnly)
        let granted = try Lifecycle.apply(RecordedEvent(at: day(3).utcMidnight, actor: supervisor, event: .approvalGranted), to: s, context: context)
        XCTAssertEqual(granted.state.status, .settling)
        XCTAssertEqual(granted.effects, [.produceAgreement(offer)])
    }

    func testReplayOfTheLogReproducesTheState() throws {
        var events: [RecordedEvent] = [RecordedEvent(at: day(-30).utcMidnight, actor: .system, event: .opened(accountID: "A1", debtorKind: .consumer, currency: .eur, on: day(-30)))]
        var s = try Lifecycle.start(events[0].event)!
        func add(_ e: CaseEvent, _ actor: Actor) throws {
            for (r, t) in try Lifecycle.applyWithFollowUps(RecordedEvent(at: day(0).utcMidnight, actor: actor, event: e), to: s, context: context) {
                events.append(r); s = t.state
            }
        }
        try add(.invoiceAdded(invoiceID: "I1", amount: eur(100000), due: due), .system)
        for n in 0...20 { for (r, t) in Lifecycle.advance(s, asOf: day(n), at: day(n).utcMidnight, context: context) { events.append(r); s = t.state } }
        try add(.promiseMade(amount: eur(30000), due: day(25)), collector)
        try add(.paymentReceived(amount: eur(30000), on: day(24)), .system)
        try add(.note("paid by card"), collector)
        XCTAssertEqual(Lifecycle.replay(events, context: context), s)
        XCTAssertEqual(s.version, events.count)
    }
    /// An `opened` event that carries the account's invoices books them as an `invoiceAdded`
    /// each would: the same balance, open invoices and next steps, in one event (version 1).
    func testAnOpenedEventCarryingInvoicesBooksThemAsInvoiceEventsWould() throws {
        let invoices = [
            OpeningInvoice(id: "I1", amount: eur(100_000), due: due),
            OpeningInvoice(id: "I2", amount: eur(2_550), due: due.adding(days: 10)),
        ]
        let opened = try XCTUnwrap(try Lifecycle.start(.opened(accountID: "A1", debtorKind: .consumer, currency: .eur, on: day(-30), invoices: invoices)))
        var oneByOne = try XCTUnwrap(try Lifecycle.start(.opened(accountID: "A1", debtorKind: .consumer, currency: .eur, on: day(-30))))
        for invoice in invoices {
            oneByOne = try Lifecycle.apply(RecordedEvent(at: day(-30).utcMidnight, actor: .system, event: .invoiceAdded(invoiceID: invoice.id, amount: invoice.amount, due: invoice.due)),
                                           to: oneByOne, context: context).state
        }
        XCTAssertEqual(opened.version, 1)
        XCTAssertEqual(oneByOne.version, 3)
        var same = opened
        same.version = oneByOne.version
        XCTAssertEqual(same, oneByOne)
        XCTAssertEqual(opened.balance, eur(102_550))
        XCTAssertEqual(Set(opened.openInvoices.keys), ["I1", "I2"])

        // The two logs step through the same days alike.
        var a = opened, b = oneByOne
        for n in 0...40 {
            let stepsA = Lifecycle.advance(a, asOf: day(n), at: day(n).utcMidnight, context: context)
            let stepsB = Lifecycle.advance(b, asOf: day(n), at: day(n).utcMidnight, context: context)
            XCTAssertEqual(stepsA.map(\.0.event), stepsB.map(\.0.event), "day \(n)")
            a = stepsA.last?.1.state ?? a
            b = stepsB.last?.1.state ?? b
        }
        XCTAssertEqual(a.stage, b.stage)
        XCTAssertEqual(a.status, b.status)

        // A log that opens with its invoices replays to the state it was written with.
        let log = [RecordedEvent(at: day(-30).utcMidnight, actor: .system, event: .opened(accountID: "A1", debtorKind: .consumer, currency: .eur, on: day(-30), invoices: invoices))]
        XCTAssertEqual(Lifecycle.replay(log, context: context), opened)
    }

    /// An invoice the lifecycle would refuse one by one is refused in an `opened` event too.
    func testAnOpenedEventRefusesAnInvoiceInAnotherCurrencyOrOfNothing() {
        let usd = Money(minorUnits: 500, currency: .usd)
        for bad in [OpeningInvoice(id: "I1", amount: usd, due: due), OpeningInvoice(id: "I2", amount: eur(0), due: due)] {
            XCTAssertThrowsError(try Lifecycle.start(.opened(accountID: "A1", debtorKind: .consumer, currency: .eur, on: day(-30), invoices: [bad])), bad.id) { error in
                XCTAssertEqual((error as? Refusal)?.code, .invalid, bad.id)
            }
        }
    }
}
