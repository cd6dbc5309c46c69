import Foundation
import ParleyCore

// Supervisor review in the workbench: the approvals, dashboard and audit overlays, the review
// keys on the selected case and the one-line prompt that asks for their reason. The reducer
// hands these actions, keys and commands here; roles are enforced by the data source (the
// lifecycle and the store), so a collector's decision comes back refused and is shown as such.

/// The approvals queue as the overlay holds it.
public struct ApprovalsView: Equatable, Sendable {
    /// Nil while loading.
    public var rows: [ApprovalRow]?
    public var selected = 0

    public init(rows: [ApprovalRow]? = nil, selected: Int = 0) {
        self.rows = rows
        self.selected = selected
    }

    public var selectedRow: ApprovalRow? {
        guard let rows, rows.indices.contains(selected) else { return nil }
        return rows[selected]
    }
}

/// The period's figures as the dashboard shows them.
public struct DashboardView: Equatable, Sendable {
    public var from: CivilDate
    public var to: CivilDate
    /// Nil while loading.
    public var lines: [String]?
    public var scroll = 0
}

/// The event log, newest first: of one account, or of every account.
public struct AuditView: Equatable, Sendable {
    /// The account the log is filtered by; nil shows every account.
    public var accountID: String?
    /// The selected case's account, which `a` toggles back to.
    public var caseAccountID: String?
    /// Nil while loading.
    public var rows: [AuditRow]?
    public var scroll = 0
}

/// The supervisor overlays.
public enum ReviewOverlay: Equatable, Sendable {
    case approvals(ApprovalsView)
    case dashboard(DashboardView)
    case audit(AuditView)
}

/// A one-line prompt in the status line for a review decision's reason (or, for a
/// reassignment, first the collector's name).
public struct ReviewPrompt: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case reject, reassignTo, reassignReason(to: String), hold, release, writeOff, reopen
    }

    public var accountID: String
    public var purpose: Purpose
    public var text = ""

    public init(accountID: String, purpose: Purpose, text: String = "") {
        self.accountID = accountID
        self.purpose = purpose
        self.text = text
    }

    /// What the prompt asks, shown before the typed text.
    public var label: String {
        switch purpose {
        case .reject: return "Reject the offer on \(accountID) — reason"
        case .reassignTo: return "Reassign \(accountID) to (collector name)"
        case .reassignReason(let to): return "Reassign \(accountID) to \(to) — reason"
        case .hold: return "Hold \(accountID) — reason"
        case .release: return "Release \(accountID) — reason"
        case .writeOff: return "Write off \(accountID) — reason"
        case .reopen: return "Reopen \(accountID) — reason"
        }
    }
}

/// What the reducer asks of the supervisor data source.
public enum ReviewEffect: Equatable, Sendable {
    case loadApprovals
    case loadFigures(from: CivilDate, to: CivilDate)
    case loadAudit(accountID: String?)
    case record(ReviewDecision, accountID: String)
}

/// What comes back.
public enum ReviewResult: Equatable, Sendable {
    case approvalsLoaded([ApprovalRow])
    case figuresLoaded(from: CivilDate, to: CivilDate, [String])
    case auditLoaded(accountID: String?, [AuditRow])
    /// The decision was recorded; `outcome` says where the case is now.
    case recorded(ReviewDecision, accountID: String, outcome: String)
    /// The data source refused or failed; the message says why.
    case failed(String)
}

/// How many days the dashboard's period spans, ending on the working date.
public let dashboardPeriodDays = 30
/// How many events the audit overlay reads.
public let auditOverlayLimit = 500

// MARK: - Performing (called by Workbench.perform)

/// Runs a review effect against the data source; a data source without the supervisor side
/// answers that it has none.
func performReview(_ effect: ReviewEffect, on dataSource: WorkbenchDataSource) -> Action {
    guard let source = dataSource as? SupervisorDataSource else {
        return .review(.failed("This data source keeps no approvals, figures or audit log"))
    }
    do {
        switch effect {
        case .loadApprovals:
            return .review(.approvalsLoaded(try source.pendingApprovals()))
        case .loadFigures(let from, let to):
            return .review(.figuresLoaded(from: from, to: to, try source.figureLines(from: from, to: to)))
        case .loadAudit(let accountID):
            return .review(.auditLoaded(accountID: accountID, try source.auditLog(accountID: accountID, limit: auditOverlayLimit)))
        case .record(let decision, let accountID):
            return .review(.recorded(decision, accountID: accountID, outcome: try source.recordDecision(decision, accountID: accountID)))
        }
    } catch let refusal as ReviewRefusal {
        return .review(.failed(refusal.message))
    } catch {
        if case .record = effect { return .review(.failed("Not recorded: \(failureText(error))")) }
        return .review(.failed("Could not load: \(failureText(error))"))
    }
}

// MARK: - Reducing

private func reviewSay(_ state: inout AppState, _ message: String, error: Bool = false) {
    state.message = message
    state.messageIsError = error
}

/// Results from the data source.
func reduceReview(_ state: inout AppState, _ result: ReviewResult) -> [Effect] {
    switch result {
    case .approvalsLoaded(let rows):
        guard case .review(.approvals(var view)) = state.overlay else { return [] }
        view.rows = rows
        view.selected = max(0, min(view.selected, rows.count - 1))
        state.overlay = .review(.approvals(view))
    case .figuresLoaded(let from, let to, let lines):
        guard case .review(.dashboard(var view)) = state.overlay, view.from == from, view.to == to else { return [] }
        view.lines = lines
        state.overlay = .review(.dashboard(view))
    case .auditLoaded(let accountID, let rows):
        guard case .review(.audit(var view)) = state.overlay, view.accountID == accountID else { return [] }
        view.rows = rows
        view.scroll = 0
        state.overlay = .review(.audit(view))
    case .recorded(let decision, let accountID, let outcome):
        reviewSay(&state, "\(decision.verb) \(accountID) — \(outcome)")
        var effects = reloadQueue(&state)
        if case .review(.approvals) = state.overlay { effects.append(.review(.loadApprovals)) }
        return effects
    case .failed(let message):
        reviewSay(&state, message, error: true)
    }
    return []
}

/// Reloads the queue and the selected case after a decision, keeping the selection.
private func reloadQueue(_ state: inout AppState) -> [Effect] {
    let selected = state.queue.selected
    let filter = state.queue.filter
    state.queue = QueueState()
    state.queue.filter = filter
    state.queue.selected = selected
    state.detail = nil
    return [.countQueue(filter)]
}

/// The review commands, from a key or the palette.
func reduceReviewCommand(_ state: inout AppState, _ command: Command) -> [Effect] {
    switch command {
    case .reviewApprovals:
        state.overlay = .review(.approvals(ApprovalsView()))
        return [.review(.loadApprovals)]
    case .reviewDashboard:
        let to = state.context.asOf
        let from = to.adding(days: -(dashboardPeriodDays - 1))
        state.overlay = .review(.dashboard(DashboardView(from: from, to: to)))
        return [.review(.loadFigures(from: from, to: to))]
    case .reviewAudit:
        let account = state.queue.selectedRow?.accountID
        state.overlay = .review(.audit(AuditView(accountID: account, caseAccountID: account)))
        return [.review(.loadAudit(accountID: account))]
    case .reviewReassign: return startPrompt(&state, .reassignTo)
    case .reviewHold: return startPrompt(&state, .hold)
    case .reviewRelease: return startPrompt(&state, .release)
    case .reviewWriteOff: return startPrompt(&state, .writeOff)
    case .reviewReopen: return startPrompt(&state, .reopen)
    default: return []
    }
}

private func startPrompt(_ state: inout AppState, _ purpose: ReviewPrompt.Purpose) -> [Effect] {
    guard let row = state.queue.selectedRow else {
        reviewSay(&state, "No account selected")
        return []
    }
    state.reviewPrompt = ReviewPrompt(accountID: row.accountID, purpose: purpose)
    return []
}

/// Keys while a review prompt is open: Enter records, Esc cancels.
func reduceReviewPrompt(_ state: inout AppState, _ prompt: ReviewPrompt, _ key: KeyEvent) -> [Effect] {
    var prompt = prompt
    switch key {
    case .escape:
        state.reviewPrompt = nil
        reviewSay(&state, "Cancelled")
        return []
    case .enter:
        let text = prompt.text.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            reviewSay(&state, prompt.purpose == .reassignTo ? "Type the collector's name (Esc cancels)" : "A reason is required (Esc cancels)", error: true)
            return []
        }
        let decision: ReviewDecision
        switch prompt.purpose {
        case .reassignTo:
            state.reviewPrompt = ReviewPrompt(accountID: prompt.accountID, purpose: .reassignReason(to: text))
            return []
        case .reassignReason(let to): decision = .reassign(to: to, reason: text)
        case .reject: decision = .reject(reason: text)
        case .hold: decision = .hold(reason: text)
        case .release: decision = .release(reason: text)
        case .writeOff: decision = .writeOff(reason: text)
        case .reopen: decision = .reopen(reason: text)
        }
        state.reviewPrompt = nil
        return [.review(.record(decision, accountID: prompt.accountID))]
    case .backspace, .delete:
        prompt.text = String(prompt.text.dropLast())
    case .ctrl("u"):
        prompt.text = ""
    case .character(let c):
        prompt.text.append(c)
    default:
        return []
    }
    state.reviewPrompt = prompt
    return []
}

/// The overlays' own keys, before the keymap: `y` and `x` in the approvals, `a` in the audit
/// log. Nil lets the key go to the keymap.
func reduceReviewOverlayKey(_ state: inout AppState, _ overlay: ReviewOverlay, _ key: KeyEvent) -> [Effect]? {
    switch (overlay, key) {
    case (.approvals(let view), .character("y")):
        guard let row = view.selectedRow else {
            reviewSay(&state, "No offer is waiting for approval")
            return []
        }
        return [.review(.record(.approve(reason: ""), accountID: row.accountID))]
    case (.approvals(let view), .character("x")):
        guard let row = view.selectedRow else {
            reviewSay(&state, "No offer is waiting for approval")
            return []
        }
        state.reviewPrompt = ReviewPrompt(accountID: row.accountID, purpose: .reject)
        return []
    case (.audit(var view), .character("a")):
        if view.accountID == nil {
            guard let account = view.caseAccountID else {
                reviewSay(&state, "No account selected: showing every account")
                return []
            }
            view.accountID = account
        } else {
            view.accountID = nil
        }
        view.rows = nil
        view.scroll = 0
        state.overlay = .review(.audit(view))
        return [.review(.loadAudit(accountID: view.accountID))]
    default:
        return nil
    }
}

/// Commands while a review overlay is open: movement moves the selection or scrolls, the
/// overlay's own command closes it. Nil closes the overlay and lets the command act underneath.
func reduceReviewOverlayCommand(_ state: inout AppState, _ overlay: ReviewOverlay, _ command: Command) -> [Effect]? {
    let visible = Layout.helpVisibleLines(in: state.size)
    func moved(_ value: Int) -> Int? {
        switch command {
        case .moveDown: return value + 1
        case .moveUp: return value - 1
        case .moveTop: return 0
        case .moveBottom: return Int.max / 2
        case .pageDown: return value + visible
        case .pageUp: return value - visible
        case .halfPageDown: return value + visible / 2
        case .halfPageUp: return value - visible / 2
        default: return nil
        }
    }
    switch overlay {
    case .approvals(var view):
        if command == .reviewApprovals { break }
        if command == .refresh {
            view.rows = nil
            state.overlay = .review(.approvals(view))
            return [.review(.loadApprovals)]
        }
        guard let next = moved(view.selected) else { break }
        view.selected = max(0, min(next, (view.rows?.count ?? 0) - 1))
        state.overlay = .review(.approvals(view))
        return []
    case .dashboard(var view):
        if command == .reviewDashboard { break }
        guard let next = moved(view.scroll) else { break }
        view.scroll = max(0, min(next, (view.lines?.count ?? 0) - visible))
        state.overlay = .review(.dashboard(view))
        return []
    case .audit(var view):
        if command == .reviewAudit { break }
        guard let next = moved(view.scroll) else { break }
        view.scroll = max(0, min(next, (view.rows?.count ?? 0) - visible))
        state.overlay = .review(.audit(view))
        return []
    }
    state.overlay = nil
    return isSame(overlay, command) ? [] : nil
}

private func isSame(_ overlay: ReviewOverlay, _ command: Command) -> Bool {
    switch overlay {
    case .approvals: return command == .reviewApprovals
    case .dashboard: return command == .reviewDashboard
    case .audit: return command == .reviewAudit
    }
}
