import Foundation
import ParleyCore

/// Draws the supervisor overlays (approvals, dashboard, audit log) in the help's frame.
func drawReviewOverlay(_ grid: inout CellGrid, _ state: AppState, _ overlay: ReviewOverlay) {
    let rect = Layout.helpRect(in: grid.size)
    let visible = Layout.helpVisibleLines(in: grid.size)
    let theme = state.theme
    let title: String
    let lines: [StyledLine]
    var top = 0
    var highlighted: Range<Int>?
    var footer: String
    switch overlay {
    case .approvals(let view):
        title = "Approvals"
        let content = ReviewContent.approvals(view)
        lines = content.lines
        highlighted = content.selected
        if let range = content.selected, range.upperBound > visible { top = min(range.lowerBound, range.upperBound - visible) }
        footer = "j/k choose · y approve · x reject · Esc close"
    case .dashboard(let view):
        title = "Dashboard · \(view.from.iso) to \(view.to.iso)"
        lines = view.lines.map { $0.map { StyledLine($0, .overlayText) } } ?? [StyledLine("Loading…", .dim)]
        top = view.scroll
        footer = "j/k scroll · Esc close"
    case .audit(let view):
        title = "Audit log · " + (view.accountID ?? "all accounts")
        lines = ReviewContent.audit(view, timeZone: state.context.timeZone)
        top = view.scroll
        footer = "j/k scroll · a \(view.accountID == nil ? "this case" : "all cases") · read only · Esc close"
    }
    if lines.count > visible { footer = "\(top + 1)–\(min(lines.count, top + visible)) of \(lines.count) · " + footer }
    drawOverlayBox(&grid, rect, title: title, theme: theme, footer: footer)
    for (i, line) in lines.enumerated().dropFirst(top).prefix(visible).map({ $0 }).enumerated() {
        let y = rect.y + 1 + i
        if let highlighted, highlighted.contains(line.offset) {
            grid.fill(Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: 1), style: theme[.overlaySelected])
            grid.write(line.element.text, x: rect.x + 2, y: y, style: theme[.overlaySelected], limit: rect.maxX - 2)
        } else {
            grid.write(line.element, x: rect.x + 2, y: y, limit: rect.maxX - 2, theme: theme, base: theme[.overlayText])
        }
    }
}

/// The review prompt in the status line.
func drawReviewPrompt(_ grid: inout CellGrid, _ state: AppState, _ prompt: ReviewPrompt, _ rect: Rect) {
    let theme = state.theme
    grid.fill(rect, style: theme[.prompt])
    let hint = "Enter record · Esc cancel "
    let end = grid.write(" \(prompt.label): " + prompt.text, x: rect.x, y: rect.y, style: theme[.prompt], limit: rect.maxX - DisplayWidth.of(hint) - 1)
    grid.write("▏", x: end, y: rect.y, style: theme[.prompt])
    grid.write(hint, x: rect.maxX - DisplayWidth.of(hint), y: rect.y, style: theme[.prompt])
}

/// The overlays' lines, apart from drawing: for the render and the tests.
enum ReviewContent {
    /// The approvals, one block per offer; `selected` is the selected offer's lines.
    static func approvals(_ view: ApprovalsView) -> (lines: [StyledLine], selected: Range<Int>?) {
        guard let rows = view.rows else { return ([StyledLine("Loading…", .dim)], nil) }
        if rows.isEmpty { return ([StyledLine("No offers are waiting for approval.", .dim)], nil) }
        var lines: [StyledLine] = []
        var selected: Range<Int>?
        for (i, row) in rows.enumerated() {
            let start = lines.count
            lines.append(StyledLine([Span(row.accountID, .key), Span("  \(row.debtorName)", .heading), Span("  balance ", .dim), Span(row.balance.formatted, .money)]))
            let when = row.requestedAt.map { " on \(ISO8601DateFormatter().string(from: $0))" } ?? ""
            lines.append(StyledLine([Span("  \(row.offer)", .overlayText), Span(", asked by \(row.requestedBy)\(when)", .dim)]))
            for limit in row.exceeds { lines.append(StyledLine([Span("  exceeds: ", .warning), Span(limit, .overlayText)])) }
            if i == view.selected { selected = start..<lines.count }
            if i < rows.count - 1 { lines.append(.blank) }
        }
        return (lines, selected)
    }

    static func audit(_ view: AuditView, timeZone: String) -> [StyledLine] {
        guard let rows = view.rows else { return [StyledLine("Loading…", .dim)] }
        if rows.isEmpty { return [StyledLine("No events.", .dim)] }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return rows.map { row in
            var spans = [Span(formatter.string(from: row.at) + " ", .dim)]
            if view.accountID == nil { spans.append(Span(row.accountID + " ", .key)) }
            spans += [Span("#\(row.seq) ", .dim), Span("\(row.actor) (\(row.role)) ", .overlayText), Span(row.kind, .heading), Span(": " + row.summary, .overlayText)]
            return StyledLine(spans)
        }
    }
}
