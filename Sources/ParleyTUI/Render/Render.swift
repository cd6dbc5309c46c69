import ParleyCore

/// Draws the whole workbench for a state at a size. Pure: the same state and size always give
/// the same grid.
public func render(_ state: AppState, size: Size) -> CellGrid {
    let theme = state.theme
    var grid = CellGrid(size: size, style: theme[.text])
    guard let layout = Layout(size: size, focus: state.focus) else {
        drawTooSmall(&grid, theme: theme)
        return grid
    }
    drawTitle(&grid, state, layout.title)
    QueuePane.draw(&grid, state, layout.queue)
    drawHistory(&grid, state, layout)
    drawOffer(&grid, state, layout.offer)
    drawScript(&grid, state, layout.script)
    drawStatus(&grid, state, layout.status)
    switch state.overlay {
    case .help(let scroll): drawHelp(&grid, state, scroll: scroll)
    case .palette(let palette): drawPalette(&grid, state, palette)
    case .reasons(let accountID, let name, let reasons): drawReasons(&grid, state, accountID, name, reasons)
    case .review(let review): drawReviewOverlay(&grid, state, review)  // supervisor review
    case nil: break
    }
    return grid
}

private func drawTooSmall(_ grid: inout CellGrid, theme: Theme) {
    let message = "Parley needs at least \(Layout.minimum.width)×\(Layout.minimum.height); this terminal is \(grid.size.width)×\(grid.size.height). Enlarge the window or press q to quit."
    let lines = DisplayWidth.wrap(message, to: grid.size.width)
    let top = max(0, (grid.size.height - lines.count) / 2)
    for (i, text) in lines.enumerated() {
        let x = max(0, (grid.size.width - DisplayWidth.of(text)) / 2)
        grid.write(text, x: x, y: top + i, style: theme[.warning])
    }
}

private func drawTitle(_ grid: inout CellGrid, _ state: AppState, _ rect: Rect) {
    let style = state.theme[.title]
    grid.fill(rect, style: style)
    let context = state.context
    let right = "? help  : commands  q quit "
    let head = " Parley │ \(context.operatorName) │ "
    let tail = " │ as of \(context.asOf.iso)"
    let fixed = DisplayWidth.of(head) + DisplayWidth.of(tail)
    let room = rect.width - DisplayWidth.of(right) - 2 - fixed
    let showHint = room >= DisplayWidth.of(context.database)
    let database = DisplayWidth.truncate(context.database, to: max(8, showHint ? room : rect.width - 1 - fixed))
    grid.write(head + database + tail, x: rect.x, y: rect.y, style: style)
    if showHint {
        grid.write(right, x: rect.maxX - DisplayWidth.of(right), y: rect.y, style: style)
    }
}

private func drawStatus(_ grid: inout CellGrid, _ state: AppState, _ rect: Rect) {
    let theme = state.theme
    if let waiting = state.waiting {
        grid.fill(rect, style: theme[.statusMessage])
        grid.write(" " + waiting, x: rect.x, y: rect.y, style: theme[.statusMessage], limit: rect.maxX - 1)
        return
    }
    grid.fill(rect, style: theme[.status])
    if let text = state.filterPrompt {
        drawPrompt(&grid, rect, theme: theme, label: "Filter (debtor, account, invoice)", text: text, hint: "Enter apply · Esc cancel ")
        return
    }
    if let prompt = state.prompt {
        let hint = "Enter record · Esc cancel "
        let typed = drawPrompt(&grid, rect, theme: theme, label: prompt.label, text: prompt.text, hint: hint)
        if state.messageIsError, let message = state.message {
            // Right of what is typed, cut short rather than over it.
            let room = rect.maxX - DisplayWidth.of(hint) - 1
            let x = max(typed + 2, room - DisplayWidth.of(" " + message + " "))
            if room - x > 2 {
                grid.write(" " + DisplayWidth.truncate(message, to: room - x - 2) + " ", x: x, y: rect.y, style: theme[.statusError], limit: room)
            }
        }
        return
    }
    if let prompt = state.reviewPrompt { return drawReviewPrompt(&grid, state, prompt, rect) }  // supervisor review
    var left = " "
    if let total = state.queue.total {
        left += total == 0 ? "no accounts" : "\(state.queue.selected + 1) of \(total) account\(total == 1 ? "" : "s")"
    } else {
        left += "loading the queue…"
    }
    if !state.queue.filter.isEmpty { left += " · filter “\(state.queue.filter.text)”" }
    left += " · \(state.focus.title.lowercased())"
    var end = grid.write(left, x: rect.x, y: rect.y, style: theme[.status])
    if let message = state.message {
        end = grid.write(" │ ", x: end, y: rect.y, style: theme[.status])
        grid.write(message, x: end, y: rect.y, style: theme[state.messageIsError ? .statusError : .statusMessage], limit: rect.maxX - 1)
    }
}

/// A one-line input on the status line: a label, the text typed so far and a cursor.
/// Returns the column after the cursor.
@discardableResult
private func drawPrompt(_ grid: inout CellGrid, _ rect: Rect, theme: Theme, label: String, text: String, hint: String) -> Int {
    grid.fill(rect, style: theme[.prompt])
    let end = grid.write(" \(label): " + text, x: rect.x, y: rect.y, style: theme[.prompt], limit: rect.maxX - DisplayWidth.of(hint) - 1)
    let cursor = grid.write("▏", x: end, y: rect.y, style: theme[.prompt])
    grid.write(hint, x: rect.maxX - DisplayWidth.of(hint), y: rect.y, style: theme[.prompt])
    return cursor
}

/// A box with a title in its top border; the focused pane's border and title use the focused roles.
func drawBox(_ grid: inout CellGrid, _ rect: Rect, title: String, focused: Bool, theme: Theme, footer: String? = nil) {
    guard rect.width >= 2, rect.height >= 2 else { return }
    let border = theme[focused ? .paneBorderFocused : .paneBorder]
    let horizontal = String(repeating: "─", count: rect.width - 2)
    grid.write("╭" + horizontal + "╮", x: rect.x, y: rect.y, style: border)
    for y in (rect.y + 1)..<(rect.maxY - 1) {
        grid.write("│", x: rect.x, y: y, style: border)
        grid.write("│", x: rect.maxX - 1, y: y, style: border)
    }
    grid.write("╰" + horizontal + "╯", x: rect.x, y: rect.maxY - 1, style: border)
    let titleText = DisplayWidth.truncate(" \(title) ", to: rect.width - 4)
    grid.write(titleText, x: rect.x + 2, y: rect.y, style: theme[focused ? .paneTitleFocused : .paneTitle])
    if let footer {
        let text = DisplayWidth.truncate(" \(footer) ", to: rect.width - 4)
        grid.write(text, x: rect.maxX - 2 - DisplayWidth.of(text), y: rect.maxY - 1, style: border)
    }
}

private func paneTitle(_ pane: Pane) -> String { "[\(pane.rawValue + 1)] \(pane.title)" }

private func drawHistory(_ grid: inout CellGrid, _ state: AppState, _ layout: Layout) {
    let rect = layout.history
    let theme = state.theme
    let focused = state.focus == .history
    guard let detail = state.detail else {
        drawBox(&grid, rect, title: paneTitle(.history), focused: focused, theme: theme)
        let text = state.queue.total == 0 ? "No account selected." : "Loading the account…"
        grid.write(text, x: rect.x + 2, y: rect.y + 1, style: theme[.placeholder], limit: rect.maxX - 1)
        return
    }
    let lines = HistoryContent.lines(detail: detail, context: state.context, width: layout.historyTextWidth)
    let visible = layout.historyVisibleLines
    let footer = lines.count > visible ? "\(state.historyScroll + 1)–\(min(lines.count, state.historyScroll + visible)) of \(lines.count)" : nil
    drawBox(&grid, rect, title: "\(paneTitle(.history)) · \(detail.accountID)", focused: focused, theme: theme, footer: footer)
    for (i, line) in lines.dropFirst(state.historyScroll).prefix(visible).enumerated() {
        grid.write(line, x: rect.x + 2, y: rect.y + 1 + i, limit: rect.maxX - 2, theme: theme)
    }
}

private func drawOffer(_ grid: inout CellGrid, _ state: AppState, _ rect: Rect) {
    let focused = state.focus == .offer
    let footer: String? = state.offer?.inputs == nil ? nil
        : state.offer?.editing == true ? "Tab field · ←/→ choose · a accept · Esc done" : "j/k Enter load · e edit · a accept"
    drawBox(&grid, rect, title: paneTitle(.offer), focused: focused, theme: state.theme, footer: rect.height > 4 ? footer : nil)
    drawLines(&grid, rect, OfferPaneContent.lines(state, width: rect.width - 4), theme: state.theme)
}

private func drawScript(_ grid: inout CellGrid, _ state: AppState, _ rect: Rect) {
    let focused = state.focus == .script
    var lines = ScriptPaneContent.lines(state, width: rect.width - 4)
    if !focused, rect.height <= 4, lines.count > 2 {
        lines = [lines[0], StyledLine("Press 4 to work the call script", .dim)]
    }
    drawBox(&grid, rect, title: paneTitle(.script), focused: focused, theme: state.theme)
    drawLines(&grid, rect, lines, theme: state.theme)
}

private func drawLines(_ grid: inout CellGrid, _ rect: Rect, _ lines: [StyledLine], theme: Theme) {
    for (i, line) in lines.prefix(max(0, rect.height - 2)).enumerated() {
        grid.write(line, x: rect.x + 2, y: rect.y + 1 + i, limit: rect.maxX - 2, theme: theme)
    }
}

func drawOverlayBox(_ grid: inout CellGrid, _ rect: Rect, title: String, theme: Theme, footer: String? = nil) {
    grid.fill(rect, style: theme[.overlayText])
    var boxTheme = theme
    boxTheme.styles[.paneBorderFocused] = theme[.overlayBorder]
    boxTheme.styles[.paneTitleFocused] = theme[.overlayBorder]
    drawBox(&grid, rect, title: title, focused: true, theme: boxTheme, footer: footer)
}

private func drawHelp(_ grid: inout CellGrid, _ state: AppState, scroll: Int) {
    let size = grid.size
    let rect = Layout.helpRect(in: size)
    let lines = HelpContent.lines(keymap: state.keymap)
    let visible = Layout.helpVisibleLines(in: size)
    let footer = "\(scroll + 1)–\(min(lines.count, scroll + visible)) of \(lines.count) · j/k scroll · Esc close"
    drawOverlayBox(&grid, rect, title: "Keys", theme: state.theme, footer: footer)
    for (i, line) in lines.dropFirst(scroll).prefix(visible).enumerated() {
        grid.write(line, x: rect.x + 2, y: rect.y + 1 + i, limit: rect.maxX - 2, theme: state.theme, base: state.theme[.overlayText])
    }
}

private func drawPalette(_ grid: inout CellGrid, _ state: AppState, _ palette: PaletteState) {
    let theme = state.theme
    let matches = Palette.matches(palette.query)
    let width = min(76, grid.size.width - 4)
    let listHeight = min(max(1, matches.count), grid.size.height - 8)
    let rect = Rect(x: (grid.size.width - width) / 2, y: 2, width: width, height: listHeight + 4)
    drawOverlayBox(&grid, rect, title: "Command palette", theme: theme, footer: "↑/↓ choose · Enter run · Esc close")
    let end = grid.write(": " + palette.query, x: rect.x + 2, y: rect.y + 1, style: theme[.key], limit: rect.maxX - 3)
    grid.write("▏", x: end, y: rect.y + 1, style: theme[.key])
    grid.write("├" + String(repeating: "─", count: rect.width - 2) + "┤", x: rect.x, y: rect.y + 2, style: theme[.overlayBorder])
    if matches.isEmpty {
        grid.write("no command matches", x: rect.x + 2, y: rect.y + 3, style: theme[.dim])
        return
    }
    let first = max(0, palette.selected - listHeight + 1)
    for (i, command) in matches.dropFirst(first).prefix(listHeight).enumerated() {
        let y = rect.y + 3 + i
        let selected = first + i == palette.selected
        let keys = state.keymap.keys(for: command).map(KeyName.name).joined(separator: " ")
        let inner = rect.width - 4
        let line = StyledLine([
            Span(DisplayWidth.pad(command.title, to: max(10, inner - 34)), .overlayText),
            Span(" " + DisplayWidth.pad(command.rawValue, to: 19), .dim),
            Span(" " + DisplayWidth.pad(keys, to: 12), .key),
        ])
        if selected {
            grid.fill(Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: 1), style: theme[.overlaySelected])
            grid.write(line.text, x: rect.x + 2, y: y, style: theme[.overlaySelected], limit: rect.maxX - 2)
        } else {
            grid.write(line, x: rect.x + 2, y: y, limit: rect.maxX - 2, theme: theme, base: theme[.overlayText])
        }
    }
}

private func drawReasons(_ grid: inout CellGrid, _ state: AppState, _ accountID: String, _ name: String, _ reasons: [QueueReason]?) {
    let theme = state.theme
    var lines = [StyledLine([Span(name, .heading), Span("  \(accountID)", .dim)])]
    if let total = state.queue.total, state.queue.selectedRow?.accountID == accountID {
        lines.append(StyledLine("Position \(state.queue.selected + 1) of \(total) in the queue\(state.queue.filter.isEmpty ? "" : " (filtered)")", .dim))
    }
    lines.append(.blank)
    if let reasons {
        if reasons.isEmpty { lines.append(StyledLine("No reasons recorded for this account.", .dim)) }
        for reason in reasons {
            var spans = [Span("• ", .key), Span(reason.text, .overlayText)]
            if let weight = reason.weight { spans.append(Span("  \(weight >= 0 ? "+" : "")\(weight)", .dim)) }
            lines.append(StyledLine(spans))
        }
    } else {
        lines.append(StyledLine("Loading…", .dim))
    }
    let rect = Layout.overlay(in: grid.size, width: 64, height: lines.count + 2)
    drawOverlayBox(&grid, rect, title: "Why this account is here", theme: theme, footer: "Esc close")
    for (i, line) in lines.prefix(rect.height - 2).enumerated() {
        grid.write(line, x: rect.x + 2, y: rect.y + 1 + i, limit: rect.maxX - 2, theme: theme, base: theme[.overlayText])
    }
}
