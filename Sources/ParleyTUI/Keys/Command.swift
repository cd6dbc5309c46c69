/// Everything a collector can ask the workbench to do from a key or the command palette.
/// The raw value is the stable id used by keymaps and shown in the help.
public enum Command: String, CaseIterable, Sendable {
    case moveDown = "move.down"
    case moveUp = "move.up"
    case moveTop = "move.top"
    case moveBottom = "move.bottom"
    case pageDown = "move.pageDown"
    case pageUp = "move.pageUp"
    case halfPageDown = "move.halfPageDown"
    case halfPageUp = "move.halfPageUp"
    case paneNext = "pane.next"
    case panePrevious = "pane.previous"
    case paneQueue = "pane.queue"
    case paneHistory = "pane.history"
    case paneOffer = "pane.offer"
    case paneScript = "pane.script"
    case queueReasons = "queue.reasons"
    case searchStart = "search.start"
    case searchClear = "search.clear"
    case refresh = "app.refresh"
    case helpOpen = "help.open"
    case paletteOpen = "palette.open"
    case overlayClose = "overlay.close"
    case quit = "app.quit"
    // Supervisor review (App/SupervisorOverlays.swift)
    case reviewApprovals = "review.approvals"
    case reviewDashboard = "review.dashboard"
    case reviewAudit = "review.audit"
    case reviewReassign = "review.reassign"
    case reviewHold = "review.hold"
    case reviewRelease = "review.release"
    case reviewWriteOff = "review.writeOff"
    case reviewReopen = "review.reopen"

    /// What it does, for the help and the palette.
    public var title: String {
        switch self {
        case .moveDown: return "Move down one line"
        case .moveUp: return "Move up one line"
        case .moveTop: return "Go to the top"
        case .moveBottom: return "Go to the bottom"
        case .pageDown: return "Page down"
        case .pageUp: return "Page up"
        case .halfPageDown: return "Half a page down"
        case .halfPageUp: return "Half a page up"
        case .paneNext: return "Focus the next pane"
        case .panePrevious: return "Focus the previous pane"
        case .paneQueue: return "Focus the account queue"
        case .paneHistory: return "Focus the debtor history"
        case .paneOffer: return "Focus the offer builder"
        case .paneScript: return "Focus the script prompts"
        case .queueReasons: return "Why is this account here? (queue reasons)"
        case .searchStart: return "Filter the queue by debtor, account or invoice"
        case .searchClear: return "Clear the queue filter"
        case .refresh: return "Reload the queue and the account"
        case .helpOpen: return "Show the keys (this help)"
        case .paletteOpen: return "Command palette: run any action by name"
        case .overlayClose: return "Close the overlay"
        case .quit: return "Quit (or close the overlay)"
        case .reviewApprovals: return "Approvals: offers beyond authority"
        case .reviewDashboard: return "Dashboard: the period's figures"
        case .reviewAudit: return "Audit log of the case (a: all cases)"
        case .reviewReassign: return "Reassign the case to another collector"
        case .reviewHold: return "Put the case on hold"
        case .reviewRelease: return "Release the case from hold"
        case .reviewWriteOff: return "Write the case off"
        case .reviewReopen: return "Reopen the case"
        }
    }

    /// The keys bound to it unless the user's keymap says otherwise.
    public var defaultKeys: [KeyEvent] {
        switch self {
        case .moveDown: return [.character("j"), .down]
        case .moveUp: return [.character("k"), .up]
        case .moveTop: return [.character("g"), .home]
        case .moveBottom: return [.character("G"), .end]
        case .pageDown: return [.pageDown, .ctrl("f")]
        case .pageUp: return [.pageUp, .ctrl("b")]
        case .halfPageDown: return [.ctrl("d")]
        case .halfPageUp: return [.ctrl("u")]
        case .paneNext: return [.tab, .character("l"), .right]
        case .panePrevious: return [.backTab, .character("h"), .left]
        case .paneQueue: return [.character("1")]
        case .paneHistory: return [.character("2")]
        case .paneOffer: return [.character("3")]
        case .paneScript: return [.character("4")]
        case .queueReasons: return [.character("r")]
        case .searchStart: return [.character("/")]
        case .searchClear: return [.character("c")]
        case .refresh: return [.ctrl("r")]
        case .helpOpen: return [.character("?"), .function(1)]
        case .paletteOpen: return [.character(":")]
        case .overlayClose: return [.escape]
        case .quit: return [.character("q")]
        case .reviewApprovals: return [.character("A")]
        case .reviewDashboard: return [.character("D")]
        case .reviewAudit: return [.character("L")]
        case .reviewReassign: return [.character("R")]
        case .reviewHold: return [.character("H")]
        case .reviewRelease: return [.character("U")]
        case .reviewWriteOff: return [.character("W")]
        case .reviewReopen: return [.character("O")]
        }
    }
}
