import Foundation
import ParleyCore

/// The report as text, for `parley report` and the workbench's dashboard.
public enum ReportText {
    public static func lines(_ f: PeriodFigures) -> [String] {
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
        func monies(_ list: [Money]) -> String { list.isEmpty ? "—" : list.map(\.formatted).joined(separator: ", ") }
        func rate(_ r: Decimal?) -> String { r.map { "\(($0 * 100).formatted(.number.precision(.fractionLength(2))))%" } ?? "—" }
        var out: [String] = []
        out.append("period \(f.from.iso) to \(f.to.iso); \(f.cases) cases")
        out.append("by stage: " + f.byStage.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        out.append("by status: " + f.byStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        out.append("aging         start                          end")
        for (s, e) in zip(f.agingAtStart, f.agingAtEnd) {
            out.append("  \(pad(s.bucket, 8)) \(pad(String(s.invoices), 5)) \(pad(monies(s.amounts), 24)) \(pad(String(e.invoices), 5)) \(monies(e.amounts))")
        }
        out.append("roll rates:")
        if f.rollRates.isEmpty { out.append("  —") }
        for r in f.rollRates {
            out.append("  \(pad(r.from, 7)) → \(pad(r.to, 7)) \(pad(rate(r.rate), 8)) (\(r.rolled.formatted) of \(r.startBalance.formatted))")
        }
        out.append("promises: \(f.promises.made) made, \(f.promises.kept) kept, \(f.promises.broken) broken; kept rate \(rate(f.promises.keptRate))")
        out.append("recovery:")
        if f.recovery.isEmpty { out.append("  —") }
        for r in f.recovery {
            out.append("  \(r.collected.formatted) collected of \(r.balanceAtStart.formatted) at the start: \(rate(r.rate))")
        }
        out.append("per collector: worked  contacts  promises  collected")
        for c in f.collectors {
            out.append("  \(pad(c.name, 14)) \(pad(String(c.accountsWorked), 7)) \(pad(String(c.rightPartyContacts), 9)) \(pad(String(c.promises), 9)) \(monies(c.collected))")
        }
        return out
    }
}
