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
    case noteAdd = "note.add"
    case callRestart = "call.restart"
    case offerLoad = "offer.load"
    case offerEdit = "offer.edit"
    case offerAccept = "offer.accept"
    case offerFieldNext = "offer.fieldNext"
    case offerFieldPrevious = "offer.fieldPrevious"
    case offerChoiceNext = "offer.choiceNext"
    case offerChoicePrevious = "offer.choicePrevious"
    case offerEditDone = "offer.editDone"
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
        case .noteAdd: return "Add a note to the case"
        case .callRestart: return "Start the call script again"
        case .offerLoad: return "Offer builder: load the chosen ladder offer into the draft"
        case .offerEdit: return "Offer builder: edit the draft by hand"
        case .offerAccept: return "Offer builder: accept the offer (or ask a supervisor)"
        case .offerFieldNext: return "Offer draft: next field"
        case .offerFieldPrevious: return "Offer draft: previous field"
        case .offerChoiceNext: return "Offer draft: next kind or frequency"
        case .offerChoicePrevious: return "Offer draft: previous kind or frequency"
        case .offerEditDone: return "Offer draft: stop editing (back to the ladder)"
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
        case .reviewReassign: return [.character("T")]
        case .reviewHold: return [.character("H")]
        case .reviewRelease: return [.character("U")]
        case .reviewWriteOff: return [.character("W")]
        case .reviewReopen: return [.character("O")]
        case .noteAdd: return [.character("n")]
        case .callRestart: return [.character("R")]
        case .offerLoad: return [.enter]
        case .offerEdit: return [.character("e")]
        case .offerAccept: return [.character("a")]
        case .offerFieldNext: return [.tab, .down, .enter]
        case .offerFieldPrevious: return [.backTab, .up]
        case .offerChoiceNext: return [.right, .character(" ")]
        case .offerChoicePrevious: return [.left]
        case .offerEditDone: return [.escape]
        }
    }
}

/// Where a command's keys apply. Keys of a narrower scope shadow the same keys of the wider
/// ones while it is active: Tab moves between the offer draft's fields while it is edited, and
/// between panes everywhere else.
public enum KeyScope: String, CaseIterable, Sendable {
    /// Everywhere.
    case global
    /// The offer builder has the focus.
    case offer
    /// The offer draft is being edited.
    case offerEdit
}

extension Command {
    public var scope: KeyScope {
        switch self {
        case .offerLoad, .offerEdit, .offerAccept: return .offer
        case .offerFieldNext, .offerFieldPrevious, .offerChoiceNext, .offerChoicePrevious, .offerEditDone: return .offerEdit
        default: return .global
        }
    }
}
