import ParleyCore
import ParleyStore

/// Runs the workbench: keys in, actions through `reduce`, effects through the data source,
/// frames out. The same engine drives the real terminal and the tests.
public final class Workbench {
    public private(set) var state: AppState
    private let dataSource: WorkbenchDataSource
    /// Where the store says that a call waits for another process's lock, if it says so.
    private let lockWaits: LockWaits?
    /// The terminal while `run(on:)` runs: a wait is drawn on it from inside a call.
    private var screen: Terminal?

    /// Opens on the data source's context; fails if the data source cannot say where it is.
    /// `scripts` are the call scripts the script pane picks from (the bundled ones by default);
    /// `lockWaits` is where the store says that a call waits for another process's lock, shown
    /// on the status line while it waits.
    public init(dataSource: WorkbenchDataSource, size: Size, theme: Theme, keymap: Keymap = .standard, scripts: [CallScript]? = nil,
                lockWaits: LockWaits? = nil) throws {
        self.dataSource = dataSource
        self.lockWaits = lockWaits
        self.state = AppState(size: size, context: try dataSource.context(), theme: theme, keymap: keymap)
        self.state.scripts = try scripts ?? CallScripts.bundled()
        send(.start)
    }

    /// Applies an action and everything it leads to (data loads and their results).
    public func send(_ action: Action) {
        var pending = [action]
        while !pending.isEmpty {
            let next = pending.removeFirst()
            for effect in reduce(&state, next) {
                if let result = perform(effect) { pending.append(result) }
            }
        }
    }

    private func perform(_ effect: Effect) -> Action? {
        guard let lockWaits, let screen else { return performing(effect) }
        return lockWaits.during({ text in
            var waiting = self.state
            waiting.waiting = text
            screen.draw(render(waiting, size: waiting.size))
        }) { performing(effect) }
    }

    private func performing(_ effect: Effect) -> Action? {
        do {
            switch effect {
            case .countQueue(let filter):
                return .queueCounted(filter, try dataSource.queueCount(filter: filter))
            case .loadQueuePage(let filter, let offset, let limit):
                return .queuePageLoaded(filter, offset: offset, rows: try dataSource.queuePage(filter: filter, offset: offset, limit: limit))
            case .loadDetail(let accountID):
                return .detailLoaded(accountID: accountID, try dataSource.accountDetail(accountID: accountID))
            case .loadReasons(let accountID):
                return .reasonsLoaded(accountID: accountID, try dataSource.queueReasons(accountID: accountID))
            case .loadVerdict(let accountID):
                let at = dataSource.now()
                return .verdictLoaded(accountID: accountID, try dataSource.contactVerdict(accountID: accountID, at: at), at: at)
            case .loadOfferInputs(let accountID):
                return .offerInputsLoaded(accountID: accountID, try dataSource.offerInputs(accountID: accountID))
            case .recordCall(let accountID, let outcome, let next):
                return try recording(accountID, next) { try dataSource.recordCall(accountID: accountID, outcome: outcome, at: dataSource.now()) }
            case .record(let accountID, let event, let next):
                return try recording(accountID, next) { try dataSource.record(event, accountID: accountID, at: dataSource.now()) }
            case .quit:
                return nil
            case .review(let review):  // supervisor review (SupervisorOverlays.swift)
                return performReview(review, on: dataSource)
            }
        } catch {
            let why = failureText(error)
            switch effect {
            case .record(let accountID, .note(let text), _): return .noteNotRecorded(accountID: accountID, text: text, "Not recorded: \(why)")
            case .record, .recordCall: return .loadFailed("Not recorded: \(why)")
            default: return .loadFailed("Could not load: \(why)")
            }
        }
    }

    private func recording(_ accountID: String, _ next: String?, _ body: () throws -> RecordResult) throws -> Action {
        do { return .recorded(accountID: accountID, try body(), next: next) }
        catch let refused as RecordRefused { return .recordRefused(accountID: accountID, refused.message) }
    }

    /// The current frame at the state's size.
    public func frame() -> CellGrid { render(state, size: state.size) }

    /// Reads keys and draws frames until the collector quits or the input closes. The terminal
    /// is restored on the way out, whether by quitting or by an error.
    public func run(on terminal: Terminal) throws {
        screen = terminal
        defer {
            screen = nil
            terminal.restore()
        }
        if terminal.size != state.size { send(.resized(terminal.size)) }
        terminal.draw(frame())
        while !state.quitRequested {
            let key: KeyEvent?
            do {
                key = try terminal.readKey(timeoutMilliseconds: 1000)
            } catch TerminalError.inputClosed {
                return
            }
            guard let key else { continue }
            if key == .resize {
                send(.resized(terminal.size))
            } else if Layout(size: state.size, focus: state.focus) == nil {
                if state.keymap.command(for: key) == .quit { return }
                continue
            } else {
                send(.key(key))
            }
            if state.quitRequested { break }
            terminal.draw(frame())
        }
    }
}

/// What a failed store call says on the status line: another process's lock past the wait in
/// a line that fits ("parley.sqlite is still locked by another process after 10 s; …"), the
/// store's own words otherwise.
func failureText(_ error: any Error) -> String {
    if case .locked(let notice)? = error as? StoreError { return notice.briefFailure }
    return "\(error)"
}
