import ParleyCore
import XCTest
@testable import ParleyTUI

/// The supervisor's review in the workbench: approvals, the review keys, dashboard and audit
/// overlays, through the whole engine (keys in, data source, frames out).
final class WorkbenchSupervisorTests: XCTestCase {
    private let size = Size(width: 100, height: 30)

    /// The demo fixture with one settlement waiting on A-1002 (the second account), operated by
    /// `role`.
    private func source(role: Role) -> InMemoryDataSource {
        let source = InMemoryDataSource.demo(extra: 4)
        source.workbenchContext.role = role
        source.workbenchContext.operatorName = role == .supervisor ? "sam" : "alice"
        let eur = try! Currency(code: "EUR")
        source.supervision.approvals = [
            ApprovalRow(accountID: "A-1002", debtorName: "Cafe\u{301} Noir", balance: Money(minorUnits: 482_050, currency: eur),
                        offer: "settlement of EUR 2,892.30 by 2026-12-07",
                        exceeds: ["discount 40% is beyond a collector's 20%"], requestedBy: "alice"),
        ]
        source.supervision.figureLines = (1...60).map { "figure line \($0)" }
        return source
    }

    private func type(_ workbench: Workbench, _ text: String) {
        for c in text { workbench.send(.key(.character(c))) }
    }

    func testSupervisorApprovesTheWaitingOfferAndTheListEmpties() throws {
        let source = source(role: .supervisor)
        let workbench = try Workbench(dataSource: source, size: size, theme: .monochrome)
        workbench.send(.key(.character("A")))
        let before = workbench.frame().text
        XCTAssertTrue(before.contains("Approvals"))
        XCTAssertTrue(before.contains("exceeds: discount 40% is beyond a collector's 20%"))
        XCTAssertTrue(before.contains("asked by alice"))

        workbench.send(.key(.character("y")))

        XCTAssertEqual(source.supervision.decisions.map { $0.accountID }, ["A-1002"])
        XCTAssertEqual(source.supervision.decisions.first?.decision, .approve(reason: ""))
        XCTAssertEqual(workbench.state.message, "Approved the offer on A-1002 — now settling")
        XCTAssertFalse(workbench.state.messageIsError)
        XCTAssertEqual(workbench.state.overlay, .review(.approvals(ApprovalsView(rows: [], selected: 0))))
        XCTAssertTrue(workbench.frame().text.contains("No offers are waiting for approval."))
    }

    func testRejectingAsksForAReasonAndRecordsIt() throws {
        let source = source(role: .supervisor)
        let workbench = try Workbench(dataSource: source, size: size, theme: .monochrome)
        workbench.send(.key(.character("A")))
        workbench.send(.key(.character("x")))
        XCTAssertEqual(workbench.state.reviewPrompt, ReviewPrompt(accountID: "A-1002", purpose: .reject))
        workbench.send(.key(.enter))
        XCTAssertEqual(workbench.state.message, "A reason is required (Esc cancels)")
        XCTAssertTrue(source.supervision.decisions.isEmpty)
        type(workbench, "too deep")
        XCTAssertTrue(workbench.frame().text.contains("Reject the offer on A-1002 — reason: too deep"))
        workbench.send(.key(.enter))
        XCTAssertNil(workbench.state.reviewPrompt)
        XCTAssertEqual(source.supervision.decisions.first?.decision, .reject(reason: "too deep"))
        XCTAssertTrue(source.supervision.approvals.isEmpty)
    }

    func testCollectorApprovingGetsTheRefusalInTheStatusLine() throws {
        let source = source(role: .collector)
        let workbench = try Workbench(dataSource: source, size: size, theme: .monochrome)
        workbench.send(.key(.character("A")))
        workbench.send(.key(.character("y")))
        XCTAssertTrue(source.supervision.decisions.isEmpty)
        XCTAssertEqual(source.supervision.approvals.count, 1)
        XCTAssertEqual(workbench.state.message, "refused: only a supervisor may do that; alice is a collector")
        XCTAssertTrue(workbench.state.messageIsError)
        XCTAssertTrue(workbench.frame().text.contains("refused: only a supervisor may do that"))
    }

    func testCollectorHoldingACaseGetsTheRefusal() throws {
        let source = source(role: .collector)
        let workbench = try Workbench(dataSource: source, size: size, theme: .monochrome)
        workbench.send(.key(.character("H")))
        type(workbench, "legal review")
        workbench.send(.key(.enter))
        XCTAssertTrue(source.supervision.decisions.isEmpty)
        XCTAssertTrue(workbench.state.messageIsError)
        XCTAssertEqual(workbench.state.message, "refused: only a supervisor may do that; alice is a collector")
    }

    func testReassignAsksForTheCollectorThenTheReason() throws {
        let source = source(role: .supervisor)
        let workbench = try Workbench(dataSource: source, size: size, theme: .monochrome)
        workbench.send(.key(.character("j")))
        workbench.send(.key(.character("T")))
        XCTAssertEqual(workbench.state.reviewPrompt?.purpose, .reassignTo)
        type(workbench, "bob")
        workbench.send(.key(.enter))
        XCTAssertEqual(workbench.state.reviewPrompt, ReviewPrompt(accountID: "A-1002", purpose: .reassignReason(to: "bob")))
        type(workbench, "alice is away")
        workbench.send(.key(.enter))
        XCTAssertEqual(source.supervision.decisions.first?.decision, .reassign(to: "bob", reason: "alice is away"))
        XCTAssertEqual(source.supervision.decisions.first?.accountID, "A-1002")
        XCTAssertEqual(workbench.state.message, "Reassigned to bob: A-1002 — now open")
        XCTAssertEqual(workbench.state.queue.selected, 1, "the selection stays on the case after the reload")
    }

    func testEscapeCancelsAReviewPrompt() throws {
        let source = source(role: .supervisor)
        let workbench = try Workbench(dataSource: source, size: size, theme: .monochrome)
        workbench.send(.key(.character("W")))
        type(workbench, "uncollectable")
        workbench.send(.key(.escape))
        XCTAssertNil(workbench.state.reviewPrompt)
        XCTAssertTrue(source.supervision.decisions.isEmpty)
        XCTAssertEqual(workbench.state.message, "Cancelled")
    }

    func testDashboardShowsTheLastThirtyDaysAndScrolls() throws {
        let source = source(role: .supervisor)
        let workbench = try Workbench(dataSource: source, size: size, theme: .monochrome)
        workbench.send(.key(.character("D")))
        let frame = workbench.frame().text
        XCTAssertTrue(frame.contains("Dashboard · 2026-10-25 to 2026-11-23"))
        XCTAssertTrue(frame.contains("figure line 1\u{20}"))
        workbench.send(.key(.character("G")))
        // 30 rows: the help frame is 26 high, 24 lines inside; 60 lines scroll to 37–60.
        guard case .review(.dashboard(let view)) = workbench.state.overlay else { return XCTFail("dashboard closed") }
        XCTAssertEqual(view.scroll, 36)
        XCTAssertTrue(workbench.frame().text.contains("figure line 60"))
        XCTAssertFalse(workbench.frame().text.contains("figure line 36\u{20}"))
    }

    func testAuditShowsTheCaseNewestFirstAndTogglesToAllAccounts() throws {
        let source = source(role: .supervisor)
        let base = Date(timeIntervalSince1970: 1_795_435_200)
        source.supervision.log = [
            AuditRow(at: base.addingTimeInterval(120), accountID: "A-1002", seq: 2, actor: "alice", role: "collector", kind: "note", summary: "called back"),
            AuditRow(at: base.addingTimeInterval(60), accountID: "A-1001", seq: 9, actor: "bob", role: "collector", kind: "call-attempted", summary: "no answer"),
            AuditRow(at: base, accountID: "A-1001", seq: 8, actor: "system", role: "supervisor", kind: "letter-sent", summary: "final demand"),
        ]
        let workbench = try Workbench(dataSource: source, size: size, theme: .monochrome)
        workbench.send(.key(.character("L")))
        var frame = workbench.frame().text
        XCTAssertTrue(frame.contains("Audit log · A-1001"))
        XCTAssertTrue(frame.contains("#9 bob (collector) call-attempted: no answer"))
        XCTAssertFalse(frame.contains("called back"))
        let lines = frame.split(separator: "\n")
        let newer = lines.firstIndex { $0.contains("#9 bob") }!, older = lines.firstIndex { $0.contains("#8 system") }!
        XCTAssertLessThan(newer, older)

        workbench.send(.key(.character("a")))
        frame = workbench.frame().text
        XCTAssertTrue(frame.contains("Audit log · all accounts"))
        XCTAssertTrue(frame.contains("A-1002 #2 alice (collector) note: called back"))
    }

    func testReviewCommandsHaveStableIdsInHelpAndPalette() {
        let ids = ["review.approvals": "A", "review.dashboard": "D", "review.audit": "L", "review.reassign": "T",
                   "review.hold": "H", "review.release": "U", "review.writeOff": "W", "review.reopen": "O"]
        let help = HelpContent.lines(keymap: .standard).map(\.text)
        for (id, key) in ids {
            let command = Command(rawValue: id)
            XCTAssertNotNil(command, id)
            XCTAssertEqual(command.map { Keymap.standard.keys(for: $0) }, [.character(Character(key))], id)
            XCTAssertTrue(help.contains { $0.contains(id) }, id)
            XCTAssertTrue(Palette.matches("review").contains(command!), id)
        }
    }
}
