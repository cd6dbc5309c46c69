import Foundation
import GRDB
import ParleyCore
import ParleyStore
@testable import ParleyTUI
import XCTest

/// A note recorded while another process holds the database's write lock: the status line says
/// what the workbench waits for once the wait has lasted a second, and the wait ends either in
/// the note recorded or, past the limit, in "Not recorded" with the reason and nothing written.
/// The lock is held by a connection of the test's own (`BEGIN IMMEDIATE`, `Holder`), as another process's
/// would be: SQLite's locks are the file's.
final class LockWaitTests: XCTestCase {
    var directory: URL!
    var path: String { directory.appendingPathComponent("parley.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-lockwait-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// Keeps every frame's text; plays the keys, then ends the input.
    final class FramesTerminal: Terminal {
        let size = Size(width: 140, height: 30)
        let supportsColor = true
        var frames: [String] = []
        var keys: [KeyEvent]
        /// Told each frame's text as it is drawn.
        var drawn: (String) -> Void = { _ in }

        init(keys: [KeyEvent]) { self.keys = keys }

        func draw(_ grid: CellGrid) {
            frames.append(grid.text)
            drawn(grid.text)
        }

        func readKey(timeoutMilliseconds: Int) throws -> KeyEvent? {
            guard !keys.isEmpty else { throw TerminalError.inputClosed }
            return keys.removeFirst()
        }

        func restore() {}
    }

    /// The demo database, opened as the workbench opens it: the store's waits go to `waits`.
    func workbench(busyTimeout: TimeInterval, waits: LockWaits) throws -> (any CaseStore, Workbench) {
        let today = try XCTUnwrap(CivilDate(iso: "2026-11-23"))
        let location = DatabaseLocation(path: path, source: .dataDirectory)
        let store = try Blocking.run {
            try await DefaultDatabase.open(location, policy: .standard, today: today, busyTimeout: busyTimeout, now: today.utcMidnight.addingTimeInterval(9 * 3600),
                                           firstSupervisor: "bench", lockNotice: { waits.say($0.brief) }) { _ in }
        }
        let context = WorkbenchContext(operatorName: "bench", database: path, asOf: today)
        let source = StoreDataSource(store: store, context: context, actor: Actor(name: "bench", role: .supervisor), lettersBase: directory.path,
                                     clock: { today.utcMidnight.addingTimeInterval(10 * 3600) })
        return (store, try Workbench(dataSource: source, size: Size(width: 140, height: 30), theme: .monochrome, lockWaits: waits))
    }

    /// Another writer: takes the write lock (`BEGIN IMMEDIATE`) on a thread of its own and holds
    /// it until `letGo`, then rolls back.
    final class Holder: @unchecked Sendable {
        private let taken = DispatchSemaphore(value: 0)
        private let release = DispatchSemaphore(value: 0)
        private let done = DispatchSemaphore(value: 0)

        init(path: String) throws {
            let queue = try DatabaseQueue(path: path)
            Thread {
                try? queue.inTransaction(.immediate) { _ in
                    self.taken.signal()
                    self.release.wait()
                    return .rollback
                }
                self.done.signal()
            }.start()
            taken.wait()
        }

        func letGo() {
            release.signal()
            done.wait()
        }
    }

    /// The workbench on the demo database, its first account's notes, and another writer holding
    /// the lock; the terminal plays `keys`.
    func locked(busyTimeout: TimeInterval, keys: [KeyEvent]) throws
        -> (store: any CaseStore, workbench: Workbench, accountID: String, notesBefore: [String], holder: Holder, terminal: FramesTerminal) {
        let (store, workbench) = try workbench(busyTimeout: busyTimeout, waits: LockWaits())
        let accountID = try XCTUnwrap(workbench.state.detail?.accountID)
        let before = try notes(store, accountID)
        return (store, workbench, accountID, before, try Holder(path: path), FramesTerminal(keys: keys))
    }

    /// `n`, the note, Enter, then `q`.
    func noteKeys(_ text: String) -> [KeyEvent] { [.character("n")] + text.map(KeyEvent.character) + [.enter, .character("q")] }

    func notes(_ store: any CaseStore, _ accountID: String) throws -> [String] {
        try Blocking.run { try await store.history(accountID: accountID) }.compactMap { stored in
            if case .note(let text) = stored.event { return text }
            return nil
        }
    }

    func testANoteWaitingForAnotherWritersLockSaysSoOnTheStatusLineThenIsRecorded() throws {
        let (store, workbench, accountID, before, holder, terminal) = try locked(busyTimeout: 20, keys: noteKeys("called while locked"))
        // The other writer lets go once the wait is on the screen.
        let released = expectation(description: "the lock let go")
        terminal.drawn = { text in
            guard text.contains("Waiting up to 20 s for parley.sqlite") else { return }
            DispatchQueue.global().async {
                holder.letGo()
                released.fulfill()
            }
        }
        try workbench.run(on: terminal)
        wait(for: [released], timeout: 5)

        let waiting = try XCTUnwrap(terminal.frames.first { $0.contains("Waiting up to") }, "no frame showed the wait")
        XCTAssertEqual(waiting.split(separator: "\n").last.map(String.init),
                       " Waiting up to 20 s for parley.sqlite: another process (an import, the daily run or another command) is writing to it")
        // Once the call returned, the status line says what was recorded, not the wait.
        let last = try XCTUnwrap(terminal.frames.last)
        XCTAssertFalse(last.contains("Waiting"), last)
        XCTAssertTrue(last.contains("Recorded note: called while locked"), last)
        XCTAssertEqual(try notes(store, accountID), before + ["called while locked"])
    }

    /// Past the limit: "Not recorded" and why, nothing written, and the note back in its prompt;
    /// once the other writer has let go, Enter records it.
    func testANoteThatOutwaitsTheLimitIsNotRecordedSaysWhyAndIsKeptToTryAgain() throws {
        let keys: [KeyEvent] = [.character("n")] + "called while locked".map(KeyEvent.character) + [.enter, .enter, .character("q")]
        let (store, workbench, accountID, before, holder, terminal) = try locked(busyTimeout: 1.5, keys: keys)
        var failed: String?
        terminal.drawn = { text in
            guard failed == nil, text.contains("Not recorded") else { return }
            failed = text
            XCTAssertEqual(try? self.notes(store, accountID), before, "written though it said not")
            holder.letGo()
        }
        try workbench.run(on: terminal)

        XCTAssertTrue(terminal.frames.contains { $0.contains("Waiting up to 1.5 s for parley.sqlite") }, "no frame showed the wait")
        let status = try XCTUnwrap(failed?.split(separator: "\n").last.map(String.init), "no frame said it was not recorded")
        XCTAssertTrue(status.hasPrefix(" Note on \(accountID): called while locked▏   Not recorded: parley.sqlite is still locked by another process after 1.…"), status)
        XCTAssertTrue(status.hasSuffix("Enter record · Esc cancel"), status)
        XCTAssertTrue(try XCTUnwrap(terminal.frames.last).contains("Recorded note: called while locked"))
        XCTAssertEqual(try notes(store, accountID), before + ["called while locked"])
    }

    /// A supervisor's decision (a hold) past the limit: the same short reason.
    func testAHoldThatOutwaitsTheLimitSaysNotRecordedInALineThatFits() throws {
        let keys: [KeyEvent] = [.character("H")] + "hardship".map(KeyEvent.character) + [.enter, .character("q")]
        let (_, workbench, _, _, holder, terminal) = try locked(busyTimeout: 1.2, keys: keys)
        try workbench.run(on: terminal)
        holder.letGo()
        XCTAssertTrue(terminal.frames.contains { $0.contains("Waiting up to 1.2 s for parley.sqlite") }, "no frame showed the wait")
        let last = try XCTUnwrap(terminal.frames.last)
        XCTAssertTrue(last.contains("not recorded: parley.sqlite is still locked by another process after 1.2 s; nothing was changed: try again"), last)
    }

    /// A wait said while no call of the workbench's runs (the name index's read at start, on a
    /// thread of its own) draws nothing.
    func testAWaitSaidOutsideACallDrawsNothing() throws {
        let waits = LockWaits()
        let (_, workbench) = try workbench(busyTimeout: 5, waits: waits)
        let terminal = FramesTerminal(keys: [.character("j")])
        terminal.drawn = { _ in waits.say("Waiting for nothing") }
        try workbench.run(on: terminal)
        XCTAssertFalse(terminal.frames.contains { $0.contains("Waiting for nothing") })
        XCTAssertEqual(terminal.frames.count, 2)
    }
}
