import ParleyCore
import XCTest
@testable import ParleyTUI

final class ReducerTests: XCTestCase {
    private let context = WorkbenchContext(operatorName: "alice", database: "test.db", asOf: CivilDate(iso: "2026-11-23")!)
    private let all = QueueFilter()

    private func rows(_ range: Range<Int>) -> [QueueRow] {
        let eur = try! Currency(code: "EUR")
        return range.map { i in
            QueueRow(accountID: "A-\(i)", debtorName: "Debtor \(i)", balance: Money(minorUnits: 10_000, currency: eur),
                     daysPastDue: 30, stage: "call", status: "open")
        }
    }

    /// A state at 80×24 whose queue holds `total` accounts with the first screen loaded.
    /// At 80×24 the body is 22 rows, the queue pane half of it (11), and 8 rows fit inside its
    /// border below the header.
    private func loadedState(total: Int = 200_000, size: Size = Size(width: 80, height: 24)) -> AppState {
        var state = AppState(size: size, context: context)
        _ = reduce(&state, .start)
        _ = reduce(&state, .queueCounted(all, total))
        _ = reduce(&state, .queuePageLoaded(all, offset: 0, rows: rows(0..<min(total, 8))))
        return state
    }

    func testStartCountsTheQueue() {
        var state = AppState(size: Size(width: 80, height: 24), context: context)
        XCTAssertEqual(reduce(&state, .start), [.countQueue(all)])
    }

    func testCountedQueueFetchesOnlyTheRowsOnScreen() {
        var state = AppState(size: Size(width: 80, height: 24), context: context)
        _ = reduce(&state, .start)
        XCTAssertEqual(reduce(&state, .queueCounted(all, 200_000)), [.loadQueuePage(all, offset: 0, limit: 8)])
    }

    func testLoadedPageLoadsTheSelectedAccount() {
        var state = AppState(size: Size(width: 80, height: 24), context: context)
        _ = reduce(&state, .start)
        _ = reduce(&state, .queueCounted(all, 200_000))
        XCTAssertEqual(reduce(&state, .queuePageLoaded(all, offset: 0, rows: rows(0..<8))), [.loadDetail(accountID: "A-0")])
    }

    func testMovingWithinTheScreenFetchesNoRows() {
        var state = loadedState()
        XCTAssertEqual(reduce(&state, .key(.character("j"))), [.loadDetail(accountID: "A-1")])
        XCTAssertEqual(state.queue.selected, 1)
        XCTAssertEqual(state.queue.top, 0)
    }

    func testMovingPastTheLastRowScrollsAndFetchesTheNewScreen() {
        var state = loadedState()
        for _ in 0..<7 { _ = reduce(&state, .key(.down)) }
        XCTAssertEqual(state.queue.selected, 7)
        XCTAssertEqual(reduce(&state, .key(.down)), [.loadQueuePage(all, offset: 1, limit: 8)])
        XCTAssertEqual(state.queue.selected, 8)
        XCTAssertEqual(state.queue.top, 1)
    }

    func testBottomOfTwoHundredThousandFetchesOnlyTheLastScreen() {
        var state = loadedState()
        XCTAssertEqual(reduce(&state, .key(.character("G"))), [.loadQueuePage(all, offset: 199_992, limit: 8)])
        XCTAssertEqual(state.queue.selected, 199_999)
        XCTAssertEqual(reduce(&state, .key(.character("g"))), [.loadDetail(accountID: "A-0")], "the first screen is still held")
        XCTAssertEqual(state.queue.selected, 0)
    }

    func testHalfPageAndPageMoveByTheScreenHeight() {
        var state = loadedState()
        _ = reduce(&state, .key(.ctrl("d")))
        XCTAssertEqual(state.queue.selected, 4)
        _ = reduce(&state, .key(.pageDown))
        XCTAssertEqual(state.queue.selected, 12)
        _ = reduce(&state, .key(.ctrl("u")))
        XCTAssertEqual(state.queue.selected, 8)
        _ = reduce(&state, .key(.pageUp))
        XCTAssertEqual(state.queue.selected, 0)
    }

    func testSelectionStopsAtBothEnds() {
        var state = loadedState(total: 3)
        _ = reduce(&state, .key(.up))
        XCTAssertEqual(state.queue.selected, 0)
        for _ in 0..<5 { _ = reduce(&state, .key(.down)) }
        XCTAssertEqual(state.queue.selected, 2)
    }

    func testTabWalksTheFocusRingAndShiftTabWalksBack() {
        var state = loadedState()
        var seen: [Pane] = []
        for _ in 0..<4 {
            _ = reduce(&state, .key(.tab))
            seen.append(state.focus)
        }
        XCTAssertEqual(seen, [.history, .offer, .script, .queue])
        _ = reduce(&state, .key(.backTab))
        XCTAssertEqual(state.focus, .script)
        _ = reduce(&state, .key(.character("2")))
        XCTAssertEqual(state.focus, .history)
    }

    func testFilterIsTypedThenAppliedWithEnter() {
        var state = loadedState()
        _ = reduce(&state, .key(.character("/")))
        XCTAssertEqual(state.filterPrompt, "")
        for c in "yamx" { _ = reduce(&state, .key(.character(c))) }
        _ = reduce(&state, .key(.backspace))
        XCTAssertEqual(state.filterPrompt, "yam")
        XCTAssertEqual(state.queue.selected, 0, "typing j/k into the prompt does not move the queue")
        let effects = reduce(&state, .key(.enter))
        XCTAssertEqual(effects, [.countQueue(QueueFilter("yam"))])
        XCTAssertNil(state.filterPrompt)
        XCTAssertEqual(state.queue.filter, QueueFilter("yam"))
        XCTAssertNil(state.queue.total)
    }

    func testEscapeCancelsTheFilterAndKeepsTheQueue() {
        var state = loadedState()
        _ = reduce(&state, .key(.character("/")))
        _ = reduce(&state, .key(.character("z")))
        XCTAssertEqual(reduce(&state, .key(.escape)), [])
        XCTAssertNil(state.filterPrompt)
        XCTAssertEqual(state.queue.filter, all)
        XCTAssertEqual(state.queue.total, 200_000)
    }

    func testPageForAnOldFilterIsIgnored() {
        var state = loadedState()
        _ = reduce(&state, .key(.character("/")))
        _ = reduce(&state, .key(.character("x")))
        _ = reduce(&state, .key(.enter))
        XCTAssertEqual(reduce(&state, .queuePageLoaded(all, offset: 0, rows: rows(0..<8))), [])
        XCTAssertTrue(state.queue.rows.isEmpty)
    }

    func testHelpOpensScrollsAndClosesWithoutQuitting() {
        var state = loadedState()
        _ = reduce(&state, .key(.character("?")))
        XCTAssertEqual(state.overlay, .help(scroll: 0))
        _ = reduce(&state, .key(.character("j")))
        XCTAssertEqual(state.overlay, .help(scroll: 1))
        XCTAssertEqual(state.queue.selected, 0)
        _ = reduce(&state, .key(.character("q")))
        XCTAssertNil(state.overlay)
        XCTAssertFalse(state.quitRequested)
    }

    func testPaletteFindsACommandByNameAndRunsIt() {
        var state = loadedState()
        _ = reduce(&state, .key(.character(":")))
        for c in "hist" { _ = reduce(&state, .key(.character(c))) }
        XCTAssertEqual(Palette.matches("hist").first, .paneHistory)
        _ = reduce(&state, .key(.enter))
        XCTAssertNil(state.overlay)
        XCTAssertEqual(state.focus, .history)
    }

    func testPaletteMatchesLettersInOrder() {
        XCTAssertEqual(Palette.matches("hpo").first, .helpOpen)
    }

    func testQuitKeyQuits() {
        var state = loadedState()
        XCTAssertEqual(reduce(&state, .key(.character("q"))), [.quit])
        XCTAssertTrue(state.quitRequested)
    }

    func testReasonsOpenForTheSelectedAccount() {
        var state = loadedState()
        XCTAssertEqual(reduce(&state, .key(.character("r"))), [.loadReasons(accountID: "A-0")])
        _ = reduce(&state, .reasonsLoaded(accountID: "A-0", [QueueReason("promise due today", weight: 500)]))
        XCTAssertEqual(state.overlay, .reasons(accountID: "A-0", debtorName: "Debtor 0", reasons: [QueueReason("promise due today", weight: 500)]))
        _ = reduce(&state, .key(.escape))
        XCTAssertNil(state.overlay)
    }

    func testResizeFetchesTheRowsTheLargerScreenShows() {
        var state = loadedState()
        // 120×40: body 38 rows, queue 19, 16 rows inside.
        XCTAssertEqual(reduce(&state, .resized(Size(width: 120, height: 40))), [.loadQueuePage(all, offset: 0, limit: 16)])
    }

    func testResizeKeepsTheSelectionOnScreen() {
        var state = loadedState(size: Size(width: 120, height: 40))
        for _ in 0..<15 { _ = reduce(&state, .key(.down)) }
        _ = reduce(&state, .resized(Size(width: 80, height: 24)))
        XCTAssertEqual(state.queue.selected, 15)
        XCTAssertEqual(state.queue.top, 8)
    }

    func testUnboundKeySaysHowToFindTheKeys() {
        var state = loadedState()
        _ = reduce(&state, .key(.character("Z")))
        XCTAssertEqual(state.message, "Z does nothing here — press ? for the keys")
    }
}
