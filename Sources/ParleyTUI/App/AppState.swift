import Foundation
import ParleyCore

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
    /// The call scripts the script pane picks from by debtor kind.
    public var scripts: [CallScript] = []
    /// The call on the selected account: where the script is and the contact rules' verdict.
    public var call: CallState?
    /// The offer builder on the selected account.
    public var offer: OfferState?
    /// A value being asked for on the status line (a note, a promise's amount), nil when none.
    public var prompt: InputPrompt?
    /// What a store call is waiting for (another process's lock on the file), shown on the
    /// status line in place of everything else until the call returns; nil when none.
    public var waiting: String?

    public init(size: Size, context: WorkbenchContext, theme: Theme = .monochrome, keymap: Keymap = .standard) {
        self.size = size
        self.context = context
        self.theme = theme
        self.keymap = keymap
    }
}

/// The call on one account: the script, the node it is at and the contact rules' verdict.
public struct CallState: Equatable, Sendable {
    public var accountID: String
    /// Nil when no script applies to the debtor's kind.
    public var scriptID: String?
    public var node: String
    /// The verdict on calling now; nil while it is worked out.
    public var verdict: ContactVerdict?
    /// When the verdict was asked for: defaults (a callback tomorrow) count from it.
    public var checkedAt: Date?

    public init(accountID: String, scriptID: String?, node: String) {
        self.accountID = accountID
        self.scriptID = scriptID
        self.node = node
    }
}

/// What a status-line prompt asks for, and what is done with the answer. `next` is the script
/// node to move to once it is recorded.
public enum PromptPurpose: Equatable, Sendable {
    case note
    case disputeReason(next: String?)
    case attorneyName(next: String?)
    case callbackTime(next: String?)
    case promiseAmount(next: String?)
    case promiseDate(amount: Money, next: String?)
}

/// A one-line input on the status line.
public struct InputPrompt: Equatable, Sendable {
    public var purpose: PromptPurpose
    public var label: String
    public var text: String

    public init(_ purpose: PromptPurpose, label: String, text: String = "") {
        self.purpose = purpose
        self.label = label
        self.text = text
    }

    /// A note on an account, `text` typed so far.
    static func note(on accountID: String, text: String = "") -> InputPrompt {
        InputPrompt(.note, label: "Note on \(accountID)", text: text)
    }
}

/// The offer builder on one account: the concession ladder, the draft and its evaluation.
public struct OfferState: Equatable, Sendable {
    public var accountID: String
    /// Nil while loading.
    public var inputs: OfferInputs?
    public var ladder: [ConcessionRung] = []
    /// The rung the cursor is on.
    public var selected = 0
    public var draft: OfferDraft
    /// True while the draft's fields take the keys.
    public var editing = false
    public var field: OfferDraft.Field = .kind
    /// The draft worked out: recomputed on every key.
    public var evaluation: OfferEvaluation?
    /// What accepting it did: the status and the written agreement's path.
    public var outcome: [String] = []

    public init(accountID: String, draft: OfferDraft) {
        self.accountID = accountID
        self.draft = draft
    }
}
