import ParleyCore

/// The account queue: one aligned row per account, money right-aligned, the selection
/// highlighted, only the rows on screen drawn (and fetched).
enum QueuePane {
    struct Columns: Equatable {
        var debtor: Int
        var balance: Int
        var daysPastDue: Int
        var stage: Int
        var status: Int
        var next: Int

        init(width: Int) {
            balance = 15
            daysPastDue = 5
            stage = 9
            status = 9
            let fixed = balance + daysPastDue + stage + status + 6
            let rest = max(12, width - fixed)
            debtor = rest * 55 / 100
            next = rest - debtor
        }
    }

    static func cells(_ row: QueueRow, columns: Columns, asOf: CivilDate) -> [Span] {
        let nextText = row.next.map { HistoryContent.describe($0, asOf: asOf) } ?? "—"
        var debtorText = row.debtorName
        if !row.flags.isEmpty { debtorText = "⚑ " + debtorText }
        return [
            Span(" " + DisplayWidth.pad(debtorText, to: columns.debtor), row.flags.isEmpty ? .text : .warning),
            Span(" " + DisplayWidth.pad(row.balance.formatted, to: columns.balance, alignRight: true), .money),
            Span(" " + DisplayWidth.pad(String(row.daysPastDue), to: columns.daysPastDue, alignRight: true), row.daysPastDue > 90 ? .warning : .text),
            Span("  " + DisplayWidth.pad(row.stage, to: columns.stage), .text),
            Span(DisplayWidth.pad(row.status, to: columns.status), row.status == "disputed" ? .warning : .text),
            Span(" " + DisplayWidth.pad(nextText, to: columns.next), row.next.map { HistoryContent.nextRole($0, asOf: asOf) } ?? .dim),
        ]
    }

    static func draw(_ grid: inout CellGrid, _ state: AppState, _ rect: Rect) {
        let theme = state.theme
        let queue = state.queue
        let focused = state.focus == .queue
        let visible = max(1, rect.height - 3)
        var title = "[1] Queue"
        if let total = queue.total { title += " · \(total) account\(total == 1 ? "" : "s")" }
        if !queue.filter.isEmpty { title += " · filter “\(queue.filter.text)”" }
        var footer: String?
        if let total = queue.total, total > visible {
            footer = "\(queue.top + 1)–\(min(total, queue.top + visible)) of \(total)"
        }
        drawBox(&grid, rect, title: title, focused: focused, theme: theme, footer: footer)
        let inner = rect.width - 2
        let columns = Columns(width: inner)
        let header = [
            Span(" " + DisplayWidth.pad("Debtor", to: columns.debtor)),
            Span(" " + DisplayWidth.pad("Balance", to: columns.balance, alignRight: true)),
            Span(" " + DisplayWidth.pad("DPD", to: columns.daysPastDue, alignRight: true)),
            Span("  " + DisplayWidth.pad("Stage", to: columns.stage)),
            Span(DisplayWidth.pad("Status", to: columns.status)),
            Span(" " + DisplayWidth.pad("Next", to: columns.next)),
        ].map(\.text).joined()
        grid.write(DisplayWidth.pad(header, to: inner), x: rect.x + 1, y: rect.y + 1, style: theme[.queueHeader], limit: rect.maxX - 1)

        guard let total = queue.total else {
            grid.write(" Loading the queue…", x: rect.x + 1, y: rect.y + 2, style: theme[.dim], limit: rect.maxX - 1)
            return
        }
        if total == 0 {
            let text = queue.filter.isEmpty ? " The queue is empty." : " No account matches “\(queue.filter.text)” — press c to clear the filter."
            grid.write(text, x: rect.x + 1, y: rect.y + 2, style: theme[.dim], limit: rect.maxX - 1)
            return
        }
        for i in 0..<visible {
            let position = queue.top + i
            guard position < total else { break }
            let y = rect.y + 2 + i
            guard let row = queue.row(at: position) else {
                grid.write(" …", x: rect.x + 1, y: y, style: theme[.dim], limit: rect.maxX - 1)
                continue
            }
            let spans = cells(row, columns: columns, asOf: state.context.asOf)
            if position == queue.selected {
                let style = theme[focused ? .queueSelected : .queueSelectedUnfocused]
                grid.fill(Rect(x: rect.x + 1, y: y, width: inner, height: 1), style: style)
                grid.write(StyledLine(spans).text, x: rect.x + 1, y: y, style: style, limit: rect.maxX - 1)
            } else {
                grid.write(StyledLine(spans), x: rect.x + 1, y: y, limit: rect.maxX - 1, theme: theme)
            }
        }
    }
}
