import Foundation
import ParleyCore

/// The script pane's lines: the contact rules' verdict first, then the script's prompt with the
/// account's values filled in, then each choice with its key.
public enum ScriptPaneContent {
    public static let creditor = "Parley Demo Creditor"

    public static func values(_ detail: AccountDetail, context: WorkbenchContext) -> ScriptValues {
        let due = detail.invoices.filter { ((try? $0.outstanding()) ?? $0.amount).isPositive }.map(\.dueOn).min() ?? detail.invoices.map(\.dueOn).min()
        return ScriptValues(debtorName: detail.debtor.name, contactName: detail.debtor.contacts.first?.name ?? detail.debtor.name,
                            balance: detail.balance.formatted, dueDate: due?.iso ?? "the due date",
                            nextStep: detail.next?.action ?? "a call", nextStepDate: detail.next?.on?.iso ?? "the next working day",
                            operatorName: context.operatorName, creditor: creditor)
    }

    public static func verdictLine(_ state: AppState) -> StyledLine {
        guard let detail = state.detail, let call = state.call, call.accountID == detail.accountID else { return StyledLine("", .dim) }
        guard let verdict = call.verdict else { return StyledLine("Contact rules: checking…", .dim) }
        let reasons = verdictText(verdict, debtor: detail.debtor, zone: state.context.timeZone)
        switch verdict.decision {
        case .allowed: return StyledLine([Span("✓ Call allowed now", .heading)])
        case .warned: return StyledLine([Span("! Call allowed, with care: ", .warning), Span(reasons, .warning)])
        case .blocked: return StyledLine([Span("✗ CALL BLOCKED: ", .error), Span(reasons, .error)])
        }
    }

    public static func lines(_ state: AppState, width: Int) -> [StyledLine] {
        guard let detail = state.detail else { return [StyledLine("No account selected.", .placeholder)] }
        var lines = [verdictLine(state)]
        guard let (script, node) = currentScript(state) else {
            lines.append(StyledLine("No call script applies to a \(detail.debtor.kind.rawValue) debtor.", .placeholder))
            return lines
        }
        lines.append(StyledLine([Span("\(script.title) · ", .dim), Span(node.id, .dim)]))
        if node.disclosure { lines.append(StyledLine("Required disclosure: say it word for word", .warning)) }
        let text = script.render(node, with: values(detail, context: state.context))
        lines += DisplayWidth.wrap(text, to: max(10, width)).map { StyledLine($0) }
        lines.append(.blank)
        for choice in node.choices {
            var spans = [Span("[\(choice.key)] ", .key), Span(choice.label)]
            if let action = choice.action { spans.append(Span("  (\(action.rawValue))", .dim)) }
            lines.append(StyledLine(spans))
        }
        if node.isEnd { lines.append(StyledLine("End of the call · R starts the script again · n adds a note", .dim)) }
        return lines
    }
}

/// The offer builder's lines: the ladder beside the draft, then the schedule, totals, the
/// authority verdict and the recovery estimate.
public enum OfferPaneContent {
    public static func lines(_ state: AppState, width: Int) -> [StyledLine] {
        guard state.detail != nil, let offer = state.offer else { return [StyledLine("No account selected.", .placeholder)] }
        guard let inputs = offer.inputs else { return [StyledLine("Loading the offer builder…", .placeholder)] }
        var lines = [StyledLine([Span("Balance ", .dim), Span(inputs.balance.formatted, .money),
                                 Span(" · \(inputs.role.rawValue)'s authority", .dim)])]
        let ladderWidth = min(30, max(16, width / 2 - 1))
        let rows = max(offer.draft.fields.count, min(offer.ladder.count, 6))
        let top = max(0, min(offer.selected - 5, offer.ladder.count - 6))
        let ladder = Array(offer.ladder.dropFirst(top).prefix(6))
        for i in 0..<rows {
            var spans: [Span] = []
            if i < ladder.count {
                let index = top + i
                let marker = index == offer.selected && !offer.editing ? "▸" : " "
                spans.append(Span(DisplayWidth.pad("\(marker)\(ladder[i].step) \(ladder[i].label)", to: ladderWidth),
                                  index == offer.selected ? .key : .text))
            } else {
                spans.append(Span(DisplayWidth.pad("", to: ladderWidth)))
            }
            spans.append(Span("│ ", .dim))
            if i < offer.draft.fields.count {
                let field = offer.draft.fields[i]
                let current = offer.editing && field == offer.field
                var value = offer.draft.text(of: field)
                if field == .kind || field == .frequency { value = "‹\(value)›" }
                if current { value += "▏" }
                spans.append(Span(DisplayWidth.pad(field.label, to: 11), current ? .key : .dim))
                spans.append(Span(value, current ? .key : .text))
            }
            lines.append(StyledLine(spans))
        }
        guard let evaluation = offer.evaluation else { return lines }
        if let error = evaluation.error {
            lines.append(StyledLine([Span("✗ ", .error), Span(error, .error)]))
        } else {
            let payments = evaluation.payments
            let items = payments.enumerated().map { "\($0.offset + 1)) \($0.element.date.iso) \($0.element.amount.decimalString)" }
            for line in DisplayWidth.wrap(items.joined(separator: "  "), to: max(10, width)) { lines.append(StyledLine(line, .text)) }
            if let currency = payments.first?.amount.currency, let total = try? Money.sum(payments.map(\.amount), currency: currency) {
                lines.append(StyledLine([Span("Total ", .dim), Span(total.formatted, .money),
                                         Span(" in \(payments.count) payment\(payments.count == 1 ? "" : "s")", .dim)]))
            }
            if let authority = evaluation.authority {
                if authority.needsApproval {
                    let who = inputs.role == .supervisor ? "beyond the policy's limits" : "beyond your authority: goes to a supervisor"
                    lines.append(StyledLine([Span("! \(who): ", .warning), Span(authority.exceeded.map(\.message).joined(separator: "; "), .warning)]))
                } else {
                    lines.append(StyledLine("✓ Within your authority (\(inputs.role.rawValue))", .heading))
                }
            }
            if let r = evaluation.recovery {
                let verdict: String
                switch r.better {
                case .negotiate: verdict = "negotiate, +\(r.advantage.formatted)"
                case .placeWithAgency: verdict = "the agency is worth \(r.advantage.formatted) more"
                case .either: verdict = "the same either way"
                }
                lines.append(StyledLine([Span("Worth today ", .dim), Span(r.offerValue.formatted, .money),
                                         Span(" vs agency \(r.agencyValue.formatted): \(verdict)", .dim)]))
            }
        }
        for line in offer.outcome {
            // A long path keeps its end, where the file's name is.
            let shown = DisplayWidth.of(line) > width && line.hasPrefix("Written agreement: ")
                ? "Written agreement: …" + String(line.dropFirst("Written agreement: ".count).suffix(max(8, width - 21)))
                : line
            lines.append(StyledLine(shown, .heading))
        }
        return lines
    }
}
