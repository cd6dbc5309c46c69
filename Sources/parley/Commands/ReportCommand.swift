import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley report --from DATE --to DATE`: the period's figures for a supervisor, as
/// Docs/figures.md defines them.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Supervisor figures for a period: aging, stages, roll rates, promises, recovery, per collector.",
        discussion: "The period is --from to --to, both days included (default: the 30 days ending today). Docs/figures.md defines every figure."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    @Option(help: ArgumentHelp("The first day of the period, YYYY-MM-DD (default: 29 days before --to).", valueName: "DATE"))
    var from: String?

    @Option(help: ArgumentHelp("The last day of the period, YYYY-MM-DD (default: today).", valueName: "DATE"))
    var to: String?

    func validate() throws {
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, CivilDate(iso: value) == nil { throw ValidationError("\(name) must be a date like 2026-11-23, found \"\(value)\"") }
        }
        if let start = from.flatMap({ CivilDate(iso: $0) }), let end = to.flatMap({ CivilDate(iso: $0) }), start > end {
            throw ValidationError("--from \(start.iso) is after --to \(end.iso)")
        }
    }

    func run() async throws {
        let db = try await store.open()
        let end = to.flatMap { CivilDate(iso: $0) } ?? Clock.today()
        let start = from.flatMap { CivilDate(iso: $0) } ?? end.adding(days: -29)
        let figures = try await db.figures(from: start, to: end)
        switch output.format {
        case .json:
            try JSONOutput.print(figures)
        case .text:
            print(ReportText.lines(figures).joined(separator: "\n"))
        }
    }
}
