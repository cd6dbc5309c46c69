/// The four panes of the workbench, in focus-ring order.
public enum Pane: Int, CaseIterable, Sendable {
    case queue, history, offer, script

    public var title: String {
        switch self {
        case .queue: return "Queue"
        case .history: return "History"
        case .offer: return "Offer builder"
        case .script: return "Script"
        }
    }
}

/// The part of the prioritised queue the workbench knows: its size under the filter and the
/// rows fetched for the screen (never the whole queue).
public struct QueueState: Equatable, Sendable {
    public var filter = QueueFilter()
    /// How many accounts match the filter; nil until counted.
    public var total: Int?
    /// The queue position of `rows[0]`.
    public var offset = 0
    public var rows: [QueueRow] = []
    /// The selected position in the queue (0-based).
    public var selected = 0
    /// The first position shown.
    public var top = 0

    public init() {}

    public func row(at position: Int) -> QueueRow? {
        let i = position - offset
        return rows.indices.contains(i) ? rows[i] : nil
    }

    public var selectedRow: QueueRow? { row(at: selected) }
}

/// The palette's query and which of its matches is highlighted.
public struct PaletteState: Equatable, Sendable {
    public var query = ""
    public var selected = 0
}

/// What floats over the panes.
public enum Overlay: Equatable, Sendable {
    case help(scroll: Int)
    case palette(PaletteState)
    /// The reasons for an account's place in the queue; nil reasons while loading.
    case reasons(accountID: String, debtorName: String, reasons: [QueueReason]?)
    /// Approvals, dashboard or audit log (App/SupervisorOverlays.swift).
    case review(ReviewOverlay)
}

/// Everything the screen shows, and nothing else: `render(state)` draws it, `reduce` changes it.
public struct AppState: Equatable, Sendable {
    public var size: Size
    public var context: WorkbenchContext
    public var theme: Theme
    public var keymap: Keymap
    public var focus: Pane = .queue
    public var queue = QueueState()
    public var detail: AccountDetail?
    public var historyScroll = 0
    public var overlay: Overlay?
    /// The filter being typed after `/`, nil when not typing.
    public var filterPrompt: String?
    /// The reason (or name) being typed for a review decision, nil when not typing.
    public var reviewPrompt: ReviewPrompt?
    /// The last thing that happened, for the status line.
    public var message: String?
    public var messageIsError = false
    public var quitRequested = false

    public init(size: Size, context: WorkbenchContext, theme: Theme = .monochrome, keymap: Keymap = .standard) {
        self.size = size
        self.context = context
        self.theme = theme
        self.keymap = keymap
    }
}
