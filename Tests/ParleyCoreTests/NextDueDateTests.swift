import XCTest
@testable import ParleyCore

/// `Lifecycle.nextDueDate`: the first day the daily run can find something due on a case.
final class NextDueDateTests: XCTestCase {
    let collector = Actor(name: "alice", role: .collector)
    let context = LifecycleContext(policy: .standard)
    let due = CivilDate(iso: "2026-01-01")!

    func eur(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .eur) }
    func day(_ n: Int) -> CivilDate { due.adding(days: n) }

    /// A consumer case with one invoice of 1,000.00 due on `due`.
    func newCase() throws -> CaseState {
        let start = try Lifecycle.start(.opened(accountID: "A1", debtorKind: .consumer, currency: .eur, on: due.adding(days: -30)))!
        return try apply(.invoiceAdded(invoiceID: "INV-1", amount: eur(100000), due: due), to: start)
    }

    func apply(_ event: CaseEvent, to state: CaseState, on n: Int = 0) throws -> CaseState {
        try Lifecycle.applyWithFollowUps(RecordedEvent(at: day(n).utcMidnight, actor: collector, event: event), to: state, context: context).last!.1.state
    }

    func nextDue(_ state: CaseState) -> CivilDate? { Lifecycle.nextDueDate(for: state, policy: .standard) }

    func testNewCaseIsDueForItsReminderOneDayPastDue() throws {
        // The standard policy sends the reminder at 1 day past due: 2026-01-02.
        XCTAssertEqual(nextDue(try newCase()), CivilDate(iso: "2026-01-02"))
    }

    func testCaseAtTheReminderStageIsDueForCallsFifteenDaysPastDue() throws {
        let reminded = try apply(.escalated(to: .reminder, on: day(1)), to: try newCase(), on: 1)
        // Calls start at 15 days past due: 2026-01-16.
        XCTAssertEqual(nextDue(reminded), CivilDate(iso: "2026-01-16"))
    }

    func testEscalatedLateTheNextStageWaitsAtLeastOneDay() throws {
        // Reminded only on day 40: the call stage (15 days) is already reached, but a case climbs
        // one stage a day, so the next is due on day 41.
        let reminded = try apply(.escalated(to: .reminder, on: day(40)), to: try newCase(), on: 40)
        XCTAssertEqual(nextDue(reminded), day(41))
    }

    func testNextActionOfACaseEscalatedLateIsTheDayTheRunTakesTheNextStep() throws {
        // An old debt reminded only on day 40: calls would have started on 2026-01-16 by the
        // days past due alone, but the run starts them on day 41; the next action says so, as
        // does the demand letter's next step, and neither gives a date already past.
        let reminded = try apply(.escalated(to: .reminder, on: day(40)), to: try newCase(), on: 40)
        let toCall = Lifecycle.nextAction(for: reminded, asOf: day(40), policy: .standard)
        XCTAssertEqual(toCall.text, "start calling")
        XCTAssertEqual(toCall.on, day(41))
        XCTAssertEqual(toCall.on, nextDue(reminded))
        let calling = try apply(.escalated(to: .call, on: day(41)), to: reminded, on: 41)
        XCTAssertEqual(Lifecycle.nextAction(for: calling, asOf: day(41), policy: .standard).text, "call (final demand from \(day(42).iso))")
        let demanded = try apply(.escalated(to: .letter, on: day(42)), to: calling, on: 42)
        let toPlace = Lifecycle.nextAction(for: demanded, asOf: day(42), policy: .standard)
        XCTAssertEqual(toPlace.text, "agency placement")
        XCTAssertEqual(toPlace.on, nextDue(demanded))
        XCTAssertGreaterThan(try XCTUnwrap(toPlace.on), day(42))
        // Reminded on time, the next step keeps its date by the days past due.
        let onTime = try apply(.escalated(to: .reminder, on: day(1)), to: try newCase(), on: 1)
        XCTAssertEqual(Lifecycle.nextAction(for: onTime, asOf: day(1), policy: .standard).on, CivilDate(iso: "2026-01-16"))
    }

    func testPromiseIsDueToBreakTheDayAfterItsGraceDays() throws {
        let promised = try apply(.promiseMade(amount: eur(50000), due: day(20)), to: try newCase(), on: 5)
        // Due 2026-01-21, three grace days: broken on 2026-01-25.
        XCTAssertEqual(nextDue(promised), CivilDate(iso: "2026-01-25"))
    }

    func testDisputedAndPaidCasesHaveNothingDue() throws {
        XCTAssertNil(nextDue(try apply(.disputeRaised(reason: "never received"), to: try newCase())))
        XCTAssertNil(nextDue(try apply(.paymentReceived(amount: eur(100000), on: day(0)), to: try newCase())))
    }

    func testBalanceBelowTheAgencyMinimumNeverGoesToTheAgency() throws {
        // 200.00 is below the 250 minimum: at the letter stage nothing further falls due.
        let start = try Lifecycle.start(.opened(accountID: "A2", debtorKind: .consumer, currency: .eur, on: day(-30)))!
        var s = try apply(.invoiceAdded(invoiceID: "INV-2", amount: eur(20000), due: due), to: start)
        for (n, stage) in [(1, Stage.reminder), (15, .call), (30, .letter)] {
            s = try apply(.escalated(to: stage, on: day(n)), to: s, on: n)
        }
        XCTAssertNil(nextDue(s))
    }

    func testNothingIsDueBeforeTheDateAndSomethingIsDueOnIt() throws {
        // Day by day through a whole escalation, with a promise made and broken on the way.
        var s = try newCase()
        for n in 0...120 {
            if n == 20 { s = try apply(.promiseMade(amount: eur(30000), due: day(25)), to: s, on: n) }
            let date = nextDue(s)
            let event = Lifecycle.nextDueEvent(for: s, asOf: day(n), context: context)
            if let date, date <= day(n) {
                XCTAssertNotNil(event, "day \(n): due since \(date.iso) but nothing due")
            } else {
                XCTAssertNil(event, "day \(n): \(String(describing: event)) due before \(date?.iso ?? "never")")
            }
            for (_, t) in Lifecycle.advance(s, asOf: day(n), at: day(n).utcMidnight, context: context) { s = t.state }
        }
        XCTAssertEqual(s.status, .placed)
    }
}
