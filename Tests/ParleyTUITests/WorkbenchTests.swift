import Foundation
import ParleyCore
import XCTest
@testable import ParleyTUI

/// A queue of any length whose rows are made up on request: proves the workbench asks only for
/// what it shows.
private final class SyntheticQueue: WorkbenchDataSource {
    let total: Int
    var requests: [(offset: Int, limit: Int)] = []
    var detailRequests = 0

    init(total: Int) { self.total = total }

    func context() throws -> WorkbenchContext {
        WorkbenchContext(operatorName: "bench", database: "synthetic", asOf: CivilDate(iso: "2026-11-23")!)
    }

    func queueCount(filter: QueueFilter) throws -> Int { total }

    func queuePage(filter: QueueFilter, offset: Int, limit: Int) throws -> [QueueRow] {
        requests.append((offset, limit))
        let eur = try Currency(code: "EUR")
        return (offset..<min(total, offset + limit)).map { i in
            QueueRow(accountID: "A-\(i)", debtorName: "Debtor \(i)", balance: Money(minorUnits: Int64(i), currency: eur),
                     daysPastDue: 1, stage: "call", status: "open")
        }
    }

    func accountDetail(accountID: String) throws -> AccountDetail? {
        detailRequests += 1
        let debtor = Debtor(name: "Debtor", kind: .business, timeZone: nil, country: "GB")
        return AccountDetail(accountID: accountID, debtor: debtor, balance: Money(minorUnits: 1, currency: try Currency(code: "EUR")),
                             daysPastDue: 1, stage: "call", status: "open")
    }

    func queueReasons(accountID: String) throws -> [QueueReason] { [] }

    func now() -> Date { Date(timeIntervalSince1970: 1_795_000_000) }
    func contactVerdict(accountID: String, at: Date) throws -> ContactVerdict { .allowed }
    func recordCall(accountID: String, outcome: CallOutcome, at: Date) throws -> RecordResult { throw RecordRefused("read-only") }
    func record(_ event: CaseEvent, accountID: String, at: Date) throws -> RecordResult { throw RecordRefused("read-only") }
    func offerInputs(accountID: String) throws -> OfferInputs? { nil }
}

final class WorkbenchTests: XCTestCase {
    func testScrollingTwoHundredThousandAccountsFetchesOneScreenAtATime() throws {
        let source = SyntheticQueue(total: 200_000)
        let workbench = try Workbench(dataSource: source, size: Size(width: 80, height: 24), theme: .monochrome)
        workbench.send(.key(.character("G")))
        for _ in 0..<3 { workbench.send(.key(.pageUp)) }
        XCTAssertLessThanOrEqual(source.requests.map(\.limit).max() ?? 0, 8)
        XCTAssertEqual(source.requests.first?.offset, 0)
        XCTAssertEqual(source.requests[1].offset, 199_992)
        XCTAssertEqual(workbench.state.queue.selected, 199_999 - 24)
        XCTAssertEqual(workbench.state.detail?.accountID, "A-\(199_999 - 24)")
        XCTAssertTrue(workbench.frame().text.contains("Debtor 199975"))
    }

    func testSearchFindsADebtorByNameAccountOrInvoice() throws {
        let workbench = try Workbench(dataSource: InMemoryDataSource.demo(), size: Size(width: 100, height: 30), theme: .monochrome)
        for query in ["harbor", "A-1003", "INV-9001"] {
            workbench.send(.key(.character("/")))
            workbench.send(.key(.ctrl("u")))
            for c in query { workbench.send(.key(.character(c))) }
            workbench.send(.key(.enter))
            XCTAssertEqual(workbench.state.queue.total, 1, query)
            XCTAssertEqual(workbench.state.detail?.debtor.name, "Harbor Freight Lines", query)
        }
    }

    func testSearchMatchesADecomposedAccentAgainstAPrecomposedName() throws {
        let workbench = try Workbench(dataSource: InMemoryDataSource.demo(), size: Size(width: 100, height: 30), theme: .monochrome)
        workbench.send(.key(.character("/")))
        for c in "caf\u{E9}" { workbench.send(.key(.character(c))) }
        workbench.send(.key(.enter))
        XCTAssertEqual(workbench.state.queue.total, 1)
        XCTAssertEqual(workbench.state.queue.selectedRow?.accountID, "A-1002")
    }

    func testRunLoopDrawsOnlyChangedCellsAndRestoresTheTerminalOnQuit() throws {
        let terminal = InMemoryTerminal(size: Size(width: 80, height: 24), keys: [.character("j"), .character("q")])
        let workbench = try Workbench(dataSource: InMemoryDataSource.demo(), size: terminal.size, theme: .monochrome)
        try workbench.run(on: terminal)
        XCTAssertTrue(terminal.restored)
        XCTAssertEqual(terminal.framesDrawn, 2)
        XCTAssertGreaterThan(terminal.cellsSentLastDraw, 0)
        XCTAssertLessThan(terminal.cellsSentLastDraw, 80 * 24 / 2)
        XCTAssertTrue(workbench.state.quitRequested)
    }

    func testRunLoopRestoresTheTerminalWhenInputEnds() throws {
        let terminal = InMemoryTerminal(size: Size(width: 80, height: 24), keys: [.character("j")])
        let workbench = try Workbench(dataSource: InMemoryDataSource.demo(), size: terminal.size, theme: .monochrome)
        try workbench.run(on: terminal)
        XCTAssertTrue(terminal.restored)
    }

    func testTooSmallTerminalShowsAMessageAndResizeRestoresTheWorkbench() throws {
        let terminal = InMemoryTerminal(size: Size(width: 80, height: 24), script: [
            .resize(Size(width: 60, height: 20)), .key(.character("j")), .resize(Size(width: 90, height: 26)),
        ])
        let workbench = try Workbench(dataSource: InMemoryDataSource.demo(), size: terminal.size, theme: .monochrome)
        var screens: [String] = []
        while let key = try? terminal.readKey(timeoutMilliseconds: 0) {
            if key == .resize { workbench.send(.resized(terminal.size)) } else { workbench.send(.key(key)) }
            screens.append(render(workbench.state, size: terminal.size).text)
        }
        XCTAssertTrue(screens[0].contains("Parley needs at least 80×24; this terminal is 60×20."))
        XCTAssertTrue(screens[2].contains("[1] Queue"))
        XCTAssertEqual(screens[2].split(separator: "\n", omittingEmptySubsequences: false).count, 26)
    }

    func testNoColourTerminalFallsBackToMonochrome() {
        XCTAssertFalse(InMemoryTerminal(size: Size(width: 80, height: 24), supportsColor: false).supportsColor)
        for style in Theme.monochrome.styles.values {
            XCTAssertEqual(style.foreground, .terminalDefault)
        }
    }
}
