import Foundation
import ParleyCore
import XCTest
@testable import ParleyTUI

/// The call worked through the workbench on an in-memory portfolio whose events go through the
/// lifecycle: the script's choices, the contact rules' block, the offer builder, notes.
final class CallFlowTests: XCTestCase {
    private let asOf = CivilDate(iso: "2026-11-23")!  // a Monday
    private let eur = try! Currency(code: "EUR")

    /// One consumer in Texas owing EUR 900.00 on one invoice due 2026-09-30, and a business.
    private func portfolio(role: Role = .supervisor, clock: String = "2026-11-23T16:00:00Z") -> InMemoryDataSource {
        let context = WorkbenchContext(operatorName: "alice", database: "test", asOf: asOf)
        let consumer = Debtor(name: "Pat Rivera", kind: .consumer, contacts: [Contact(name: "Pat Rivera", phone: "+1 512 555 0111")],
                              timeZone: "America/Chicago", country: "US", region: "TX")
        let business = Debtor(name: "Acme Ltd", kind: .business, contacts: [Contact(name: "Accounts", email: "ap@acme.example")],
                              timeZone: "Europe/London", country: "GB")
        func entry(_ id: String, _ debtor: Debtor, _ minor: Int64) -> InMemoryDataSource.Entry {
            let amount = Money(minorUnits: minor, currency: eur)
            return InMemoryDataSource.Entry(detail: AccountDetail(
                accountID: id, debtor: debtor, balance: amount, daysPastDue: 54, stage: "call", status: "open",
                invoices: [Invoice(id: "INV-\(id)", accountID: id, issuedOn: CivilDate(iso: "2026-08-31")!, dueOn: CivilDate(iso: "2026-09-30")!, amount: amount)],
                next: NextStep(action: "call", on: asOf)), reasons: [])
        }
        return InMemoryDataSource(context: context, entries: [entry("C-1", consumer, 90_000), entry("B-1", business, 120_000)],
                                  role: role, clock: ISO8601DateFormatter().date(from: clock)!)
    }

    private func press(_ workbench: Workbench, _ keys: String) {
        for c in keys { workbench.send(.key(.character(c))) }
    }

    func testScriptOpensOnTheConsumerScriptWithTheCallAllowed() throws {
        let workbench = try Workbench(dataSource: portfolio(), size: Size(width: 120, height: 40), theme: .monochrome)
        XCTAssertEqual(workbench.state.call?.scriptID, "consumer")
        XCTAssertEqual(workbench.state.call?.node, "opening")
        XCTAssertEqual(workbench.state.call?.verdict?.decision, .allowed)
        press(workbench, "4")
        let text = workbench.frame().text
        XCTAssertTrue(text.contains("Call allowed"))
        XCTAssertTrue(text.contains("may I speak with Pat Rivera?"))
        XCTAssertTrue(text.contains("[y] The right person is on the line"))
    }

    func testDisclosureAndBalanceAreFilledWithTheAccountsValues() throws {
        let workbench = try Workbench(dataSource: portfolio(), size: Size(width: 120, height: 40), theme: .monochrome)
        press(workbench, "4yy")
        XCTAssertEqual(workbench.state.call?.node, "disclosure")
        func said() -> String { ScriptPaneContent.lines(workbench.state, width: 500).map(\.text).joined(separator: "\n") }
        XCTAssertTrue(said().contains("Required disclosure"))
        XCTAssertTrue(said().contains("My name is alice and I am calling from Parley Demo Creditor. This is an attempt to collect a debt"))
        press(workbench, "c")
        XCTAssertTrue(said().contains("Our records show a balance of EUR 900.00, which was due on 2026-09-30."))
    }

    func testIdentityConfirmedRecordsARightPartyContact() throws {
        let data = portfolio()
        let workbench = try Workbench(dataSource: data, size: Size(width: 120, height: 40), theme: .monochrome)
        press(workbench, "4yy")
        XCTAssertEqual(data.recorded.map(\.event.event), [.rightPartyContact])
        XCTAssertEqual(data.recorded.first?.event.actor.name, "alice")
    }

    func testCantPayThenAThreePaymentPlanIsAgreed() throws {
        let data = portfolio()
        let workbench = try Workbench(dataSource: data, size: Size(width: 120, height: 40), theme: .monochrome)
        press(workbench, "4yycco")
        XCTAssertEqual(workbench.state.focus, .offer)
        XCTAssertEqual(workbench.state.call?.node, "close")
        // Edit by hand: the fresh draft is a plan of 2 monthly payments from 2026-11-30; make it 3.
        press(workbench, "e")
        workbench.send(.key(.tab))  // deposit
        workbench.send(.key(.tab))  // payments
        XCTAssertEqual(workbench.state.offer?.field, .installments)
        workbench.send(.key(.backspace))
        press(workbench, "3")
        // EUR 900.00 in 3 monthly payments of 300.00 from 2026-11-30.
        let payments = workbench.state.offer?.evaluation?.payments ?? []
        XCTAssertEqual(payments.map(\.amount.minorUnits), [30_000, 30_000, 30_000])
        XCTAssertEqual(payments.first?.date.iso, "2026-11-30")
        XCTAssertTrue(workbench.frame().text.contains("Total EUR 900.00 in 3 payments"))
        press(workbench, "a")
        guard case .planAgreed(let installments)? = data.recorded.last?.event.event else {
            return XCTFail("expected a plan, recorded \(data.recorded.map(\.event.event))")
        }
        XCTAssertEqual(installments.count, 3)
        XCTAssertEqual(workbench.state.detail?.status, "on a plan")
        XCTAssertTrue(workbench.state.detail?.timeline.first?.summary.contains("plan of 3 installments") ?? false)
        // Back in the script: the close ends the call with a conversation.
        press(workbench, "4e")
        guard case .callAttempted(.conversation, .allowed, nil)? = data.recorded.last?.event.event else {
            return XCTFail("expected the call, recorded \(data.recorded.map(\.event.event))")
        }
        XCTAssertEqual(workbench.state.call?.node, "end")
    }

    func testLadderRungLoadsIntoTheDraft() throws {
        let workbench = try Workbench(dataSource: portfolio(), size: Size(width: 120, height: 40), theme: .monochrome)
        press(workbench, "3")
        let ladder = workbench.state.offer?.ladder ?? []
        XCTAssertEqual(ladder.first?.label, "full now")
        press(workbench, "jj")
        workbench.send(.key(.enter))
        // Rung 3 is two payments: half now, the rest in a month.
        XCTAssertEqual(workbench.state.offer?.draft.kind, .plan)
        XCTAssertEqual(workbench.state.offer?.evaluation?.payments.map(\.amount.minorUnits), [45_000, 45_000])
        XCTAssertTrue(workbench.state.offer?.editing ?? false)
    }

    func testCallAtTenAtNightLocalIsBlockedAndNothingIsRecorded() throws {
        // 2026-11-24T04:00Z is 22:00 on 2026-11-23 in Chicago.
        let data = portfolio(clock: "2026-11-24T04:00:00Z")
        let workbench = try Workbench(dataSource: data, size: Size(width: 120, height: 40), theme: .monochrome)
        XCTAssertEqual(workbench.state.call?.verdict?.decision, .blocked)
        press(workbench, "4")
        XCTAssertTrue(workbench.frame().text.contains("CALL BLOCKED"))
        press(workbench, "n")
        press(workbench, "y")
        XCTAssertTrue(data.recorded.isEmpty)
        XCTAssertTrue(workbench.state.messageIsError)
        XCTAssertTrue(workbench.state.message?.contains("Call blocked, nothing recorded") ?? false)
        XCTAssertTrue(workbench.state.message?.contains("2026-11-24 08:00 (America/Chicago)") ?? false, workbench.state.message ?? "")
        XCTAssertEqual(workbench.state.call?.node, "opening")
    }

    func testPromiseForNextFridayFromTheScript() throws {
        let data = portfolio()
        let workbench = try Workbench(dataSource: data, size: Size(width: 120, height: 40), theme: .monochrome)
        press(workbench, "4yycw")
        XCTAssertEqual(workbench.state.call?.node, "next_week")
        press(workbench, "p")
        XCTAssertEqual(workbench.state.prompt?.text, "900.00")
        workbench.send(.key(.enter))
        // 2026-11-23 is a Monday: next Friday is 2026-11-27.
        XCTAssertEqual(workbench.state.prompt?.text, "2026-11-27")
        workbench.send(.key(.enter))
        XCTAssertNil(workbench.state.prompt)
        XCTAssertEqual(data.recorded.last?.event.event, .promiseMade(amount: Money(minorUnits: 90_000, currency: eur), due: CivilDate(iso: "2026-11-27")!))
        XCTAssertEqual(workbench.state.call?.node, "close")
        XCTAssertEqual(workbench.state.detail?.status, "promised")
    }

    func testCallbackIsAskedInTheDebtorsTimeAndDefaultsToTomorrowAtTen() throws {
        let data = portfolio()
        let workbench = try Workbench(dataSource: data, size: Size(width: 120, height: 40), theme: .monochrome)
        press(workbench, "4yycbt")
        // The clock says 2026-11-23T16:00Z, 10:00 in Chicago: tomorrow there is 2026-11-24.
        XCTAssertEqual(workbench.state.prompt?.text, "2026-11-24 10:00")
        workbench.send(.key(.enter))
        // 10:00 Central Standard Time (UTC-6) is 16:00 UTC.
        XCTAssertEqual(data.recorded.last?.event.event, .callbackScheduled(at: ISO8601DateFormatter().date(from: "2026-11-24T16:00:00Z")!))
        XCTAssertEqual(workbench.state.call?.node, "end_callback")
    }

    func testDisputeAsksForTheReasonAndAttorneyForTheName() throws {
        let data = portfolio()
        let workbench = try Workbench(dataSource: data, size: Size(width: 120, height: 40), theme: .monochrome)
        press(workbench, "4yycfd")
        XCTAssertEqual(workbench.state.prompt?.text, "goods or service faulty")
        workbench.send(.key(.ctrl("u")))
        press(workbench, "never delivered")
        workbench.send(.key(.enter))
        XCTAssertEqual(data.recorded.last?.event.event, .disputeRaised(reason: "never delivered"))
        XCTAssertEqual(workbench.state.detail?.status, "disputed")

        let other = portfolio()
        let second = try Workbench(dataSource: other, size: Size(width: 120, height: 40), theme: .monochrome)
        press(second, "4yycla")
        second.send(.key(.enter))
        XCTAssertNotNil(second.state.prompt, "an attorney needs a name")
        XCTAssertTrue(other.recorded.allSatisfy { $0.event.event == .rightPartyContact })
        press(second, "Marsh & Co")
        second.send(.key(.enter))
        XCTAssertEqual(other.recorded.last?.event.event, .attorneyRepresented(name: "Marsh & Co"))
        XCTAssertEqual(second.state.call?.node, "end_attorney")
    }

    func testCollectorOfferBeyondAuthorityAwaitsApproval() throws {
        let data = portfolio(role: .collector)
        let workbench = try Workbench(dataSource: data, size: Size(width: 120, height: 40), theme: .monochrome)
        // A collector may spread a debt over at most 6 installments; 12 needs a supervisor.
        press(workbench, "3e")
        workbench.send(.key(.tab))
        workbench.send(.key(.tab))
        workbench.send(.key(.backspace))
        press(workbench, "12")
        XCTAssertTrue(workbench.state.offer?.evaluation?.needsApproval ?? false)
        XCTAssertTrue(workbench.frame().text.contains("goes to a supervisor"))
        press(workbench, "a")
        guard case .approvalRequested(.plan(let installments), let exceeds)? = data.recorded.last?.event.event else {
            return XCTFail("expected an approval request, recorded \(data.recorded.map(\.event.event))")
        }
        XCTAssertEqual(installments.count, 12)
        XCTAssertFalse(exceeds.isEmpty)
        XCTAssertEqual(workbench.state.detail?.status, "awaiting approval")
    }

    func testNoteFromTheQueueRecordsTheTextWithOperatorAndTime() throws {
        let data = portfolio()
        let workbench = try Workbench(dataSource: data, size: Size(width: 120, height: 40), theme: .monochrome)
        press(workbench, "n")
        XCTAssertNotNil(workbench.state.prompt)
        press(workbench, "asked for a copy")
        workbench.send(.key(.enter))
        XCTAssertEqual(data.recorded.last?.event.event, .note("asked for a copy"))
        XCTAssertEqual(data.recorded.last?.event.actor.name, "alice")
        XCTAssertEqual(data.recorded.last?.event.at, ISO8601DateFormatter().date(from: "2026-11-23T16:00:00Z"))
        XCTAssertTrue(workbench.frame().text.contains("asked for a copy"))
    }

    func testEscapeCancelsAPromptAndRecordsNothing() throws {
        let data = portfolio()
        let workbench = try Workbench(dataSource: data, size: Size(width: 120, height: 40), theme: .monochrome)
        press(workbench, "n")
        press(workbench, "x")
        workbench.send(.key(.escape))
        XCTAssertNil(workbench.state.prompt)
        XCTAssertTrue(data.recorded.isEmpty)
    }

    func testEveryNewCommandIsInTheHelpAndThePalette() {
        let help = HelpContent.lines(keymap: .standard).map(\.text).joined(separator: "\n")
        for command in [Command.noteAdd, .callRestart, .offerLoad, .offerEdit, .offerAccept, .offerFieldNext, .offerFieldPrevious,
                        .offerChoiceNext, .offerChoicePrevious, .offerEditDone] {
            XCTAssertTrue(help.contains(command.rawValue), command.rawValue)
            XCTAssertTrue(Palette.matches("").contains(command), command.rawValue)
        }
        XCTAssertEqual(Keymap.standard.command(for: .tab, in: [.offerEdit]), .offerFieldNext)
        XCTAssertEqual(Keymap.standard.command(for: .tab), .paneNext)
        XCTAssertEqual(Keymap.standard.command(for: .character("a"), in: [.offer]), .offerAccept)
    }

    func testScriptPaneGoldenAt120x40() throws {
        let workbench = try Workbench(dataSource: portfolio(), size: Size(width: 120, height: 40), theme: .monochrome)
        press(workbench, "4yyc")
        try GoldenFile.assert("script-120x40", workbench.frame().text)
    }

    func testOfferPaneGoldenAt120x40() throws {
        let workbench = try Workbench(dataSource: portfolio(), size: Size(width: 120, height: 40), theme: .monochrome)
        press(workbench, "3e")
        workbench.send(.key(.tab))
        workbench.send(.key(.tab))
        workbench.send(.key(.backspace))
        press(workbench, "3")
        try GoldenFile.assert("offer-120x40", workbench.frame().text)
    }
}

/// The golden screens in Golden/: PARLEY_UPDATE_GOLDEN=1 rewrites them.
enum GoldenFile {
    static func assert(_ name: String, _ actual: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name).txt")
        if ProcessInfo.processInfo.environment["PARLEY_UPDATE_GOLDEN"] == "1" {
            try (actual + "\n").write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(actual + "\n", expected, "\(name) differs from Golden/\(name).txt", file: file, line: line)
    }
}
