import Foundation
import ParleyCore

/// The lines of the history pane for one account: who the debtor is, flags, balance and next
/// step, contacts, invoices with their aging, then the timeline newest first.
public enum HistoryContent {
    public static func lines(detail: AccountDetail, context: WorkbenchContext, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        let debtor = detail.debtor
        var place = [debtor.kind.rawValue, debtor.country]
        if let region = debtor.region { place.append(region) }
        if let zone = debtor.timeZone { place.append(zone) }
        lines.append(StyledLine([Span(debtor.name, .heading), Span("  " + place.joined(separator: " · "), .dim)]))
        lines.append(StyledLine([Span("Account ", .dim), Span(detail.accountID),
                                 Span(detail.assignee.map { " · assigned to \($0)" } ?? " · unassigned", .dim)]))
        lines.append(StyledLine([Span("Stage ", .dim), Span(detail.stage), Span(" · status ", .dim), Span(detail.status)]))

        if detail.flags.isEmpty {
            lines.append(StyledLine("No flags", .dim))
        } else {
            var spans: [Span] = []
            for (flag, label, role) in AccountFlags.labelled where detail.flags.contains(flag) {
                if !spans.isEmpty { spans.append(Span(" ")) }
                spans.append(Span(" \(label) ", role))
            }
            lines.append(StyledLine(spans))
        }

        lines.append(StyledLine([Span("Balance ", .dim), Span(detail.balance.formatted, .money),
                                 Span(" · \(detail.daysPastDue) days past due", .text)]))
        if let next = detail.next {
            lines.append(StyledLine([Span("Next ", .dim), Span(describe(next, asOf: context.asOf), nextRole(next, asOf: context.asOf))]))
        } else {
            lines.append(StyledLine("Next: nothing scheduled", .dim))
        }

        lines.append(.blank)
        lines.append(StyledLine("Contacts", .heading))
        if debtor.contacts.isEmpty { lines.append(StyledLine("  none on file", .dim)) }
        for contact in debtor.contacts {
            lines.append(StyledLine("  " + contact.name))
            let reach = [contact.phone, contact.email].compactMap { $0 }
            if !reach.isEmpty { lines.append(StyledLine("    " + reach.joined(separator: " · "), .dim)) }
            if let address = contact.address { lines.append(StyledLine("    " + address, .dim)) }
        }

        lines.append(.blank)
        lines.append(StyledLine("Invoices", .heading))
        let open = detail.invoices.filter { ((try? $0.outstanding())?.isPositive) ?? false }
        if open.isEmpty { lines.append(StyledLine("  none outstanding", .dim)) }
        let moneyWidth = max(12, open.map { DisplayWidth.of(outstanding($0).formatted) }.max() ?? 0)
        for invoice in open {
            let due = outstanding(invoice)
            let dpd = invoice.daysPastDue(asOf: context.asOf)
            var spans = [
                Span("  " + DisplayWidth.pad(invoice.id, to: 10)),
                Span(" \(invoice.dueOn.iso) ", .dim),
                Span(DisplayWidth.pad(due.formatted, to: moneyWidth, alignRight: true), .money),
                Span(DisplayWidth.pad("\(dpd)d", to: 6, alignRight: true)),
                Span("  " + invoice.bucket(asOf: context.asOf).label, .dim),
            ]
            if invoice.disputed { spans.append(Span(" disputed", .warning)) }
            lines.append(StyledLine(spans))
        }
        if let aging = try? agingSummary(open, asOf: context.asOf), !aging.isEmpty {
            lines.append(StyledLine([Span("  Aging ", .dim), Span(aging)]))
        }

        lines.append(.blank)
        lines.append(StyledLine("Timeline (newest first)", .heading))
        if detail.timeline.isEmpty { lines.append(StyledLine("  nothing recorded yet", .dim)) }
        let zone = TimeZone(identifier: context.timeZone) ?? TimeZone(identifier: "UTC")!
        for entry in detail.timeline {
            var spans = [
                Span("  " + timestamp(entry.at, zone: zone) + " ", .timelineDate),
                Span(DisplayWidth.pad(entry.kind.rawValue, to: 8), .timelineKind),
                Span(entry.summary),
            ]
            if let actor = entry.actor { spans.append(Span(" (\(actor))", .dim)) }
            lines.append(StyledLine(spans))
        }
        return lines
    }

    static func describe(_ next: NextStep, asOf: CivilDate) -> String {
        guard let on = next.on else { return next.action }
        let days = asOf.days(until: on)
        let when = days == 0 ? "today" : days < 0 ? "overdue since \(on.iso)" : days == 1 ? "tomorrow" : on.iso
        return "\(next.action) · \(when)"
    }

    static func nextRole(_ next: NextStep, asOf: CivilDate) -> ThemeRole {
        guard let on = next.on else { return .text }
        return on <= asOf ? .warning : .text
    }

    private static func outstanding(_ invoice: Invoice) -> Money {
        (try? invoice.outstanding()) ?? invoice.amount
    }

    private static func agingSummary(_ invoices: [Invoice], asOf: CivilDate) throws -> String {
        var totals: [AgingBucket: Money] = [:]
        for invoice in invoices {
            let bucket = invoice.bucket(asOf: asOf)
            let amount = try invoice.outstanding()
            totals[bucket] = try totals[bucket].map { try $0.adding(amount) } ?? amount
        }
        return AgingBucket.allCases.reversed().compactMap { bucket in
            totals[bucket].map { "\(bucket.label) \($0.formatted)" }
        }.joined(separator: " · ")
    }

    /// "2026-11-20 09:15" in the given zone.
    static func timestamp(_ date: Date, zone: TimeZone) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: date)
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let minuteOfDay = (seconds - days * 86_400) / 60
        let hh = minuteOfDay / 60, mm = minuteOfDay % 60
        return CivilDate(daysSinceEpoch: days).iso + " " + (hh < 10 ? "0" : "") + "\(hh):" + (mm < 10 ? "0" : "") + "\(mm)"
    }
}
