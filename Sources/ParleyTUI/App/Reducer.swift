/// The workbench's one place of change: applies an action to the state and says what to load.
/// Pure: no terminal, no data source, no clock.
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .start:
        state.queue = QueueState()
        return [.countQueue(state.queue.filter)] + ensureQueueLoaded(&state)

    case .key(let key):
        return reduceKey(&state, key)

    case .command(let command):
        return reduceCommand(&state, command)

    case .resized(let size):
        state.size = size
        clampQueue(&state)
        clampHistory(&state)
        if case .help(let scroll) = state.overlay { state.overlay = .help(scroll: clampHelp(state, scroll)) }
        return ensureQueueLoaded(&state)

    case .queueCounted(let filter, let total):
        guard filter == state.queue.filter else { return [] }
        state.queue.total = total
        clampQueue(&state)
        if total == 0 {
            state.detail = nil
            if !filter.isEmpty { say(&state, "No account matches “\(filter.text)”") }
        }
        return ensureQueueLoaded(&state)

    case .queuePageLoaded(let filter, let offset, let rows):
        guard filter == state.queue.filter else { return [] }
        state.queue.offset = offset
        state.queue.rows = rows
        return ensureDetailLoaded(&state)

    case .detailLoaded(let accountID, let detail):
        guard state.queue.selectedRow?.accountID == accountID else { return [] }
        if state.detail?.accountID != accountID { state.historyScroll = 0 }
        state.detail = detail
        clampHistory(&state)
        guard let detail else { return [] }
        return startWorking(&state, accountID: accountID, debtor: detail.debtor)

    case .reasonsLoaded(let accountID, let reasons):
        if case .reasons(let shown, let name, _) = state.overlay, shown == accountID {
            state.overlay = .reasons(accountID: accountID, debtorName: name, reasons: reasons)
        }
        return []

    case .loadFailed(let reason):
        state.message = reason
        state.messageIsError = true
        return []

    case .noteNotRecorded(let accountID, let text, let reason):
        state.message = reason
        state.messageIsError = true
        if state.prompt == nil, state.detail?.accountID == accountID {
            state.prompt = .note(on: accountID, text: text)
        }
        return []

    case .verdictLoaded, .offerInputsLoaded, .recorded, .recordRefused:
        return reduceCallData(&state, action)
    case .review(let result):  // supervisor review (SupervisorOverlays.swift)
        return reduceReview(&state, result)
    }
}

private func say(_ state: inout AppState, _ message: String) {
    state.message = message
    state.messageIsError = false
}

// MARK: - Keys

private func reduceKey(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
    if key == .resize { return [] }
    if let text = state.filterPrompt { return reduceFilterPrompt(&state, text, key) }
    if let prompt = state.prompt { return reducePrompt(&state, prompt, key) }
    if let prompt = state.reviewPrompt { return reduceReviewPrompt(&state, prompt, key) }  // supervisor review
    if case .palette(let palette) = state.overlay { return reducePalette(&state, palette, key) }
    if case .review(let overlay) = state.overlay, let effects = reduceReviewOverlayKey(&state, overlay, key) { return effects }  // supervisor review
    if let choice = scriptChoice(state, key) { return choose(&state, choice) }
    var scopes: [KeyScope] = []
    if state.overlay == nil, state.focus == .offer {
        if state.offer?.editing == true {
            if let command = state.keymap.command(for: key, onlyIn: .offerEdit) { return reduceCommand(&state, command) }
            if typeIntoOffer(&state, key) { return [] }
        }
        scopes = [.offer]
    }
    guard let command = state.keymap.command(for: key, in: scopes) else {
        if key != .escape { say(&state, "\(KeyName.name(key)) does nothing here — press ? for the keys") }
        return []
    }
    return reduceCommand(&state, command)
}

private func typedCharacter(_ key: KeyEvent) -> Character? {
    if case .character(let c) = key { return c }
    return nil
}

private func reduceFilterPrompt(_ state: inout AppState, _ text: String, _ key: KeyEvent) -> [Effect] {
    switch key {
    case .escape:
        state.filterPrompt = nil
        say(&state, "Filter cancelled")
        return []
    case .enter:
        state.filterPrompt = nil
        return applyFilter(&state, QueueFilter(text))
    case .backspace, .delete:
        state.filterPrompt = String(text.dropLast())
        return []
    case .ctrl("u"):
        state.filterPrompt = ""
        return []
    default:
        if let c = typedCharacter(key) { state.filterPrompt = text + String(c) }
        return []
    }
}

private func applyFilter(_ state: inout AppState, _ filter: QueueFilter) -> [Effect] {
    state.queue = QueueState()
    state.queue.filter = filter
    state.detail = nil
    state.historyScroll = 0
    say(&state, filter.isEmpty ? "Showing the whole queue" : "Filter “\(filter.text)”")
    return [.countQueue(filter)]
}

private func reducePalette(_ state: inout AppState, _ palette: PaletteState, _ key: KeyEvent) -> [Effect] {
    var palette = palette
    let matches = Palette.matches(palette.query)
    switch key {
    case .escape:
        state.overlay = nil
        return []
    case .enter:
        state.overlay = nil
        guard matches.indices.contains(palette.selected) else {
            say(&state, "No command matches “\(palette.query)”")
            return []
        }
        return reduceCommand(&state, matches[palette.selected])
    case .down, .ctrl("n"), .tab:
        palette.selected = min(palette.selected + 1, max(0, matches.count - 1))
    case .up, .ctrl("p"), .backTab:
        palette.selected = max(palette.selected - 1, 0)
    case .backspace, .delete:
        palette.query = String(palette.query.dropLast())
        palette.selected = 0
    case .ctrl("u"):
        palette.query = ""
        palette.selected = 0
    default:
        guard let c = typedCharacter(key) else { return [] }
        palette.query.append(c)
        palette.selected = 0
    }
    state.overlay = .palette(palette)
    return []
}

// MARK: - Commands

private func reduceCommand(_ state: inout AppState, _ command: Command) -> [Effect] {
    if let overlay = state.overlay, let effects = reduceOverlayCommand(&state, overlay, command) { return effects }
    switch command {
    case .moveDown: return move(&state, by: 1)
    case .moveUp: return move(&state, by: -1)
    case .moveTop: return move(&state, to: 0)
    case .moveBottom: return move(&state, to: Int.max / 2)
    case .pageDown: return move(&state, by: page(state))
    case .pageUp: return move(&state, by: -page(state))
    case .halfPageDown: return move(&state, by: max(1, page(state) / 2))
    case .halfPageUp: return move(&state, by: -max(1, page(state) / 2))
    case .paneNext:
        state.focus = Pane(rawValue: (state.focus.rawValue + 1) % Pane.allCases.count)!
    case .panePrevious:
        state.focus = Pane(rawValue: (state.focus.rawValue + Pane.allCases.count - 1) % Pane.allCases.count)!
    case .paneQueue: state.focus = .queue
    case .paneHistory: state.focus = .history
    case .paneOffer: state.focus = .offer
    case .paneScript: state.focus = .script
    case .queueReasons:
        guard let row = state.queue.selectedRow else {
            say(&state, "No account selected")
            return []
        }
        state.overlay = .reasons(accountID: row.accountID, debtorName: row.debtorName, reasons: nil)
        return [.loadReasons(accountID: row.accountID)]
    case .searchStart:
        state.filterPrompt = state.queue.filter.text
        state.focus = .queue
    case .searchClear:
        return applyFilter(&state, QueueFilter())
    case .refresh:
        let selected = state.queue.selected
        let filter = state.queue.filter
        state.queue = QueueState()
        state.queue.filter = filter
        state.queue.selected = selected
        state.detail = nil
        say(&state, "Reloaded")
        return [.countQueue(filter)]
    case .helpOpen:
        state.overlay = .help(scroll: 0)
    case .paletteOpen:
        state.overlay = .palette(PaletteState())
    case .overlayClose:
        if !state.queue.filter.isEmpty { say(&state, "Press c to clear the filter") }
    case .quit:
        state.quitRequested = true
        return [.quit]
    case .noteAdd:
        return startNote(&state)
    case .callRestart:
        return restartCall(&state)
    case .offerLoad, .offerEdit, .offerAccept, .offerFieldNext, .offerFieldPrevious, .offerChoiceNext, .offerChoicePrevious, .offerEditDone:
        return reduceOfferCommand(&state, command) ?? []
    case .reviewApprovals, .reviewDashboard, .reviewAudit, .reviewReassign, .reviewHold, .reviewRelease,
         .reviewWriteOff, .reviewReopen:  // supervisor review (SupervisorOverlays.swift)
        return reduceReviewCommand(&state, command)
    }
    return []
}

/// Commands while an overlay is open: movement scrolls it, close and quit close it. Nil lets
/// the command act on the workbench underneath (the overlay closes first).
private func reduceOverlayCommand(_ state: inout AppState, _ overlay: Overlay, _ command: Command) -> [Effect]? {
    switch command {
    case .overlayClose, .quit:
        state.overlay = nil
        return []
    default: break
    }
    if case .help(let scroll) = overlay {
        let visible = Layout.helpVisibleLines(in: state.size)
        var next = scroll
        switch command {
        case .moveDown: next += 1
        case .moveUp: next -= 1
        case .moveTop: next = 0
        case .moveBottom: next = Int.max / 2
        case .pageDown: next += visible
        case .pageUp: next -= visible
        case .halfPageDown: next += visible / 2
        case .halfPageUp: next -= visible / 2
        case .helpOpen:
            state.overlay = nil
            return []
        default:
            state.overlay = nil
            return nil
        }
        state.overlay = .help(scroll: clampHelp(state, next))
        return []
    }
    if case .review(let review) = overlay { return reduceReviewOverlayCommand(&state, review, command) }  // supervisor review
    state.overlay = nil
    if case .reasons = overlay, command == .queueReasons { return [] }
    return nil
}

private func clampHelp(_ state: AppState, _ scroll: Int) -> Int {
    let total = HelpContent.lines(keymap: state.keymap).count
    return max(0, min(scroll, total - Layout.helpVisibleLines(in: state.size)))
}

private func page(_ state: AppState) -> Int {
    guard let layout = Layout(size: state.size, focus: state.focus) else { return 1 }
    return state.focus == .history ? layout.historyVisibleLines : layout.queueVisibleRows
}

private func move(_ state: inout AppState, by delta: Int) -> [Effect] {
    switch state.focus {
    case .queue: return move(&state, to: state.queue.selected + delta)
    case .history:
        state.historyScroll += delta
        clampHistory(&state)
        return []
    case .offer:
        moveLadder(&state, to: (state.offer?.selected ?? 0) + delta)
        return []
    case .script:
        return []
    }
}

private func move(_ state: inout AppState, to position: Int) -> [Effect] {
    switch state.focus {
    case .queue:
        state.queue.selected = position
        clampQueue(&state)
        return ensureQueueLoaded(&state)
    case .history:
        state.historyScroll = position
        clampHistory(&state)
        return []
    case .offer:
        moveLadder(&state, to: position)
        return []
    case .script:
        return []
    }
}

// MARK: - Queue window

/// Keeps the selection inside the queue and on screen.
private func clampQueue(_ state: inout AppState) {
    let visible = Layout(size: state.size, focus: state.focus)?.queueVisibleRows ?? 1
    var queue = state.queue
    let total = queue.total ?? 0
    queue.selected = max(0, min(queue.selected, total - 1))
    if queue.selected < queue.top { queue.top = queue.selected }
    if queue.selected >= queue.top + visible { queue.top = queue.selected - visible + 1 }
    queue.top = max(0, min(queue.top, total - visible))
    state.queue = queue
}

/// Fetches the rows on screen when they are not all held already.
private func ensureQueueLoaded(_ state: inout AppState) -> [Effect] {
    guard let total = state.queue.total, total > 0 else { return [] }
    let visible = Layout(size: state.size, focus: state.focus)?.queueVisibleRows ?? 1
    let start = state.queue.top
    let end = min(total, start + visible)
    let held = state.queue.offset..<(state.queue.offset + state.queue.rows.count)
    if start >= held.lowerBound && end <= held.upperBound { return ensureDetailLoaded(&state) }
    return [.loadQueuePage(state.queue.filter, offset: start, limit: visible)]
}

private func ensureDetailLoaded(_ state: inout AppState) -> [Effect] {
    guard let row = state.queue.selectedRow else { return [] }
    if state.detail?.accountID == row.accountID { return [] }
    return [.loadDetail(accountID: row.accountID)]
}

private func clampHistory(_ state: inout AppState) {
    guard let layout = Layout(size: state.size, focus: state.focus), let detail = state.detail else {
        state.historyScroll = 0
        return
    }
    let total = HistoryContent.lines(detail: detail, context: state.context, width: layout.historyTextWidth).count
    state.historyScroll = max(0, min(state.historyScroll, total - layout.historyVisibleLines))
}
