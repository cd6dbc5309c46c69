import Foundation
import ParleyCore

// The call: the script pane's choices, the offer builder, notes and the status-line prompt.
// Pure like the rest of the reducer: times come in with the data (`checkedAt`), writes go out
// as effects.

// MARK: - Data arriving

func reduceCallData(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .verdictLoaded(let accountID, let verdict, let at):
        guard state.call?.accountID == accountID else { return [] }
        state.call?.verdict = verdict
        state.call?.checkedAt = at
        return []
    case .offerInputsLoaded(let accountID, let inputs):
        guard state.offer?.accountID == accountID, let inputs else { return [] }
        var offer = OfferState(accountID: accountID, draft: OfferDraft.start(balance: inputs.balance, asOf: state.context.asOf))
        offer.inputs = inputs
        offer.ladder = (try? ConcessionLadder.offers(balance: inputs.balance, asOf: state.context.asOf, policy: inputs.policy, role: inputs.role)) ?? []
        offer.selected = min(state.offer?.selected ?? 0, max(0, offer.ladder.count - 1))
        evaluate(&offer, asOf: state.context.asOf)
        state.offer = offer
        return []
    case .recorded(let accountID, let result, let next):
        if let next, state.call?.accountID == accountID { state.call?.node = next }
        var message = "Recorded " + result.recorded.joined(separator: "; ") + " · case \(result.status)"
        if let step = result.next { message += " · next: \(step.action)\(step.on.map { " on \($0.iso)" } ?? "")" }
        if let file = result.agreementFile { message += " · agreement written to \(file)" }
        state.message = message
        state.messageIsError = false
        if state.offer?.accountID == accountID, result.recorded.contains(where: { $0.contains("plan") || $0.contains("settlement") || $0.contains("promise") || $0.contains("approv") }) {
            var lines = ["Case is now \(result.status)"]
            if let file = result.agreementFile { lines.append("Written agreement: \(file)") }
            state.offer?.outcome = lines
        }
        var effects: [Effect] = [.loadDetail(accountID: accountID)]
        if !state.queue.rows.isEmpty {
            effects.append(.loadQueuePage(state.queue.filter, offset: state.queue.offset, limit: state.queue.rows.count))
        }
        if state.detail?.accountID == accountID { state.detail = nil }
        return effects
    case .recordRefused(_, let reason):
        state.message = "Refused: \(reason)"
        state.messageIsError = true
        return []
    default:
        return []
    }
}

/// A new account is on screen: its call starts at the script's first node and the contact rules
/// are asked about calling now; the offer builder starts from a fresh draft.
func startWorking(_ state: inout AppState, accountID: String, debtor: Debtor) -> [Effect] {
    var effects: [Effect] = []
    if state.call?.accountID != accountID {
        let script = CallScripts.script(for: debtor.kind, in: state.scripts)
        state.call = CallState(accountID: accountID, scriptID: script?.id, node: script?.start ?? "")
        effects.append(.loadVerdict(accountID: accountID))
    }
    if state.offer?.accountID != accountID {
        state.offer = OfferState(accountID: accountID, draft: OfferDraft.start(balance: Money.zero(state.detail?.balance.currency ?? debtorCurrency(state)), asOf: state.context.asOf))
        effects.append(.loadOfferInputs(accountID: accountID))
    }
    return effects
}

private func debtorCurrency(_ state: AppState) -> Currency { state.queue.selectedRow?.balance.currency ?? (try! Currency(code: "EUR")) }

func currentScript(_ state: AppState) -> (CallScript, CallScript.Node)? {
    guard let call = state.call, let id = call.scriptID, let script = state.scripts.first(where: { $0.id == id }),
          let node = script.node(call.node) else { return nil }
    return (script, node)
}

// MARK: - Script choices

/// A key pressed in the script pane: the current node's choice with that key, if any.
func scriptChoice(_ state: AppState, _ key: KeyEvent) -> CallScript.Choice? {
    guard state.focus == .script, state.overlay == nil, case .character(let c) = key,
          let (_, node) = currentScript(state) else { return nil }
    return node.choices.first { $0.key == c }
}

func choose(_ state: inout AppState, _ choice: CallScript.Choice) -> [Effect] {
    guard let call = state.call, let detail = state.detail, detail.accountID == call.accountID else {
        tell(&state, "Loading the account…", error: true)
        return []
    }
    guard let verdict = call.verdict else {
        tell(&state, "Checking the contact rules before the call…", error: true)
        return []
    }
    if verdict.isBlocked {
        tell(&state, "Call blocked, nothing recorded: " + verdictText(verdict, debtor: detail.debtor, zone: state.context.timeZone), error: true)
        return []
    }
    let id = call.accountID
    let next = choice.next
    guard let action = choice.action else {
        if let next { state.call?.node = next }
        return []
    }
    switch action {
    case .noAnswer: return [.recordCall(accountID: id, .noAnswer, next: next)]
    case .voicemail: return [.recordCall(accountID: id, .voicemail, next: next)]
    case .wrongNumber: return [.recordCall(accountID: id, .wrongNumber, next: next)]
    case .conversation: return [.recordCall(accountID: id, .conversation, next: next)]
    case .rightPartyContact: return [.record(accountID: id, .rightPartyContact, next: next)]
    case .cease: return [.record(accountID: id, .ceaseRequested, next: next)]
    case .resendInvoice: return [.record(accountID: id, .note("invoice sent again at the debtor's request"), next: next)]
    case .promise, .paidInFull:
        state.prompt = InputPrompt(.promiseAmount(next: next), label: "Promise: amount (\(detail.balance.currency.code))", text: detail.balance.decimalString)
    case .dispute:
        state.prompt = InputPrompt(.disputeReason(next: next), label: "Dispute: the reason", text: "goods or service faulty")
    case .attorney:
        state.prompt = InputPrompt(.attorneyName(next: next), label: "Attorney: name and telephone")
    case .callback:
        let zone = debtorZone(detail.debtor, fallback: state.context.timeZone)
        let tomorrow = call.checkedAt.map { localDay($0, zone).adding(days: 1) } ?? state.context.asOf.adding(days: 1)
        state.prompt = InputPrompt(.callbackTime(next: next), label: "Call back at (debtor's time, \(zone.identifier))", text: "\(tomorrow.iso) 10:00")
    case .offer:
        if let next { state.call?.node = next }
        state.focus = .offer
        tell(&state, "Build the offer: j/k and Enter load a ladder offer, e edits by hand, a accepts")
        return state.offer?.inputs == nil ? [.loadOfferInputs(accountID: id)] : []
    }
    return []
}

func restartCall(_ state: inout AppState) -> [Effect] {
    guard let detail = state.detail else {
        tell(&state, "No account selected", error: true)
        return []
    }
    state.call = nil
    tell(&state, "Call script started again")
    return startWorking(&state, accountID: detail.accountID, debtor: detail.debtor)
}

// MARK: - The prompt

func reducePrompt(_ state: inout AppState, _ prompt: InputPrompt, _ key: KeyEvent) -> [Effect] {
    var prompt = prompt
    switch key {
    case .escape:
        state.prompt = nil
        tell(&state, "Cancelled: nothing recorded")
        return []
    case .enter:
        return finish(&state, prompt)
    case .backspace, .delete:
        prompt.text = String(prompt.text.dropLast())
    case .ctrl("u"):
        prompt.text = ""
    default:
        guard case .character(let c) = key else { return [] }
        prompt.text.append(c)
    }
    state.prompt = prompt
    return []
}

private func finish(_ state: inout AppState, _ prompt: InputPrompt) -> [Effect] {
    guard let detail = state.detail else {
        state.prompt = nil
        return []
    }
    let id = detail.accountID
    let text = prompt.text.trimmingCharacters(in: .whitespaces)
    func refuse(_ why: String) -> [Effect] {
        tell(&state, why, error: true)
        return []
    }
    switch prompt.purpose {
    case .note:
        guard !text.isEmpty else { return refuse("A note needs some text (Esc cancels)") }
        state.prompt = nil
        return [.record(accountID: id, .note(text), next: nil)]
    case .disputeReason(let next):
        guard !text.isEmpty else { return refuse("A dispute needs a reason (Esc cancels)") }
        state.prompt = nil
        return [.record(accountID: id, .disputeRaised(reason: text), next: next)]
    case .attorneyName(let next):
        guard !text.isEmpty else { return refuse("Give the attorney's name (Esc cancels)") }
        state.prompt = nil
        return [.record(accountID: id, .attorneyRepresented(name: text), next: next)]
    case .callbackTime(let next):
        let zone = debtorZone(detail.debtor, fallback: state.context.timeZone)
        guard let at = parseLocalTime(text, zone) else { return refuse("Not a time like 2026-11-24 10:00: \"\(text)\"") }
        state.prompt = nil
        return [.record(accountID: id, .callbackScheduled(at: at), next: next)]
    case .promiseAmount(let next):
        let amount: Money
        do { amount = try Money.parse(text, currency: detail.balance.currency) }
        catch { return refuse("Amount: \(error.description)") }
        guard amount.isPositive else { return refuse("A promise is for more than nothing") }
        state.prompt = InputPrompt(.promiseDate(amount: amount, next: next), label: "Promise of \(amount.formatted): pay by", text: nextFriday(after: state.context.asOf).iso)
        return []
    case .promiseDate(let amount, let next):
        guard let due = CivilDate(iso: text) else { return refuse("Not a date like 2026-11-27: \"\(text)\"") }
        state.prompt = nil
        return [.record(accountID: id, .promiseMade(amount: amount, due: due), next: next)]
    }
}

/// The first Friday after `day` (a week on when `day` is a Friday).
func nextFriday(after day: CivilDate) -> CivilDate {
    let ahead = (5 - day.isoWeekday + 7) % 7
    return day.adding(days: ahead == 0 ? 7 : ahead)
}

func debtorZone(_ debtor: Debtor, fallback: String) -> TimeZone {
    debtor.timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: fallback) ?? TimeZone(identifier: "UTC")!
}

private func localDay(_ at: Date, _ zone: TimeZone) -> CivilDate {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let parts = calendar.dateComponents([.year, .month, .day], from: at)
    return CivilDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? CivilDate(utcInstant: at)
}

/// "2026-11-24 10:00" in the zone, or an ISO 8601 instant.
func parseLocalTime(_ text: String, _ zone: TimeZone) -> Date? {
    if let instant = try? Date(text, strategy: .iso8601) { return instant }
    let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
    guard parts.count == 2, let day = CivilDate(iso: String(parts[0])) else { return nil }
    let clock = parts[1].split(separator: ":").compactMap { Int($0) }
    guard clock.count == 2, (0..<24).contains(clock[0]), (0..<60).contains(clock[1]) else { return nil }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: clock[0], minute: clock[1]))
}

/// An instant in the zone: "2026-11-24 08:00 (America/Chicago)".
func localTime(_ at: Date, _ zone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let p = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: at)
    func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
    return "\(p.year ?? 0)-\(two(p.month))-\(two(p.day)) \(two(p.hour)):\(two(p.minute)) (\(zone.identifier))"
}

/// The verdict in a line: its reasons, and for a block the next allowed time in the debtor's time.
func verdictText(_ verdict: ContactVerdict, debtor: Debtor, zone fallback: String) -> String {
    var text = verdict.reasons.joined(separator: "; ")
    if let next = verdict.nextAllowed {
        text += (text.isEmpty ? "" : "; ") + "next allowed \(localTime(next, debtorZone(debtor, fallback: fallback)))"
    }
    return text
}

func tell(_ state: inout AppState, _ message: String, error: Bool = false) {
    state.message = message
    state.messageIsError = error
}

// MARK: - Notes

func startNote(_ state: inout AppState) -> [Effect] {
    guard let detail = state.detail else {
        tell(&state, "No account selected", error: true)
        return []
    }
    state.prompt = .note(on: detail.accountID)
    return []
}

// MARK: - The offer builder

func evaluate(_ offer: inout OfferState, asOf: CivilDate) {
    guard let inputs = offer.inputs else {
        offer.evaluation = nil
        return
    }
    offer.evaluation = offer.draft.evaluate(balance: inputs.balance, asOf: asOf, debtorKind: inputs.debtorKind, role: inputs.role,
                                            policy: inputs.policy, record: inputs.promiseRecord)
    if !offer.draft.fields.contains(offer.field) { offer.field = .kind }
}

/// The offer builder's commands; nil when the command is not one of them.
func reduceOfferCommand(_ state: inout AppState, _ command: Command) -> [Effect]? {
    switch command {
    case .offerLoad, .offerEdit, .offerAccept, .offerFieldNext, .offerFieldPrevious, .offerChoiceNext, .offerChoicePrevious, .offerEditDone:
        break
    default:
        return nil
    }
    guard var offer = state.offer, let inputs = offer.inputs else {
        tell(&state, state.detail == nil ? "No account selected" : "The offer builder is loading the account…", error: true)
        return []
    }
    let asOf = state.context.asOf
    defer { state.offer = offer }
    switch command {
    case .offerLoad:
        state.focus = .offer
        guard offer.ladder.indices.contains(offer.selected) else {
            tell(&state, "No ladder offer to load", error: true)
            return []
        }
        let rung = offer.ladder[offer.selected]
        offer.draft = OfferDraft.from(rung.offer, balance: inputs.balance, asOf: asOf)
        offer.editing = true
        offer.field = .kind
        tell(&state, "Loaded “\(rung.label)” into the draft: Tab moves between fields, a accepts", error: false)
    case .offerEdit:
        state.focus = .offer
        offer.editing = true
        tell(&state, "Editing the draft: Tab/↑↓ fields, ←/→/Space change the kind or frequency, a accepts, Esc stops", error: false)
    case .offerEditDone:
        offer.editing = false
    case .offerFieldNext, .offerFieldPrevious:
        let fields = offer.draft.fields
        let i = fields.firstIndex(of: offer.field) ?? 0
        let step = command == .offerFieldNext ? 1 : -1
        offer.field = fields[((i + step) % fields.count + fields.count) % fields.count]
    case .offerChoiceNext, .offerChoicePrevious:
        guard offer.field == .kind || offer.field == .frequency else {
            tell(&state, "\(offer.field.label) is typed, not chosen: type digits, Backspace erases", error: true)
            return []
        }
        offer.draft.cycle(offer.field, by: command == .offerChoiceNext ? 1 : -1)
    case .offerAccept:
        state.focus = .offer
        guard let evaluation = offer.evaluation, let built = evaluation.offer else {
            tell(&state, "Cannot accept: \(offer.evaluation?.error ?? "the offer is not complete")", error: true)
            return []
        }
        guard let arrangement = built.arrangement else {
            tell(&state, "A \(offer.draft.kind.label) without a date cannot be recorded", error: true)
            return []
        }
        let event: CaseEvent = evaluation.needsApproval && inputs.role != .supervisor
            ? .approvalRequested(arrangement, exceeds: evaluation.authority?.exceeded.map(\.message) ?? [])
            : arrangement.agreedEvent
        offer.editing = false
        return [.record(accountID: offer.accountID, event, next: nil)]
    default:
        break
    }
    evaluate(&offer, asOf: asOf)
    return []
}

/// Characters typed into the draft's text fields.
func typeIntoOffer(_ state: inout AppState, _ key: KeyEvent) -> Bool {
    guard var offer = state.offer, offer.editing else { return false }
    let field = offer.field
    guard field != .kind, field != .frequency else { return false }
    var text = offer.draft.text(of: field)
    switch key {
    case .backspace, .delete: text = String(text.dropLast())
    case .ctrl("u"): text = ""
    case .character(let c) where c.isNumber || c == "." || c == "," || c == "-": text.append(c)
    default: return false
    }
    offer.draft.setText(text, of: field)
    offer.outcome = []
    evaluate(&offer, asOf: state.context.asOf)
    state.offer = offer
    return true
}

func moveLadder(_ state: inout AppState, to position: Int) {
    guard var offer = state.offer, !offer.ladder.isEmpty else { return }
    offer.selected = max(0, min(position, offer.ladder.count - 1))
    state.offer = offer
}
