/// Runs the workbench: keys in, actions through `reduce`, effects through the data source,
/// frames out. The same engine drives the real terminal and the tests.
public final class Workbench {
    public private(set) var state: AppState
    private let dataSource: WorkbenchDataSource

    /// Opens on the data source's context; fails if the data source cannot say where it is.
    public init(dataSource: WorkbenchDataSource, size: Size, theme: Theme, keymap: Keymap = .standard) throws {
        self.dataSource = dataSource
        self.state = AppState(size: size, context: try dataSource.context(), theme: theme, keymap: keymap)
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
            case .quit:
                return nil
            case .review(let review):  // supervisor review (SupervisorOverlays.swift)
                return performReview(review, on: dataSource)
            }
        } catch {
            return .loadFailed("Could not load: \(error)")
        }
    }

    /// The current frame at the state's size.
    public func frame() -> CellGrid { render(state, size: state.size) }

    /// Reads keys and draws frames until the collector quits or the input closes. The terminal
    /// is restored on the way out, whether by quitting or by an error.
    public func run(on terminal: Terminal) throws {
        defer { terminal.restore() }
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
            } else if Layout(size: state.size) == nil {
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
