import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley run`: the daily escalation run.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The daily run: lets time pass on every case, records what became due, writes letters and the agency file.",
        discussion: """
        Every live case is stepped through the lifecycle to --as-of in one transaction: broken \
        promises, missed installments, lapsed settlements and escalations are recorded as events. \
        The letters that became due are rendered into OUT/letters/DATE/ and the accounts placed \
        with the agency are written to OUT/agency/placements-DATE.csv (OUT defaults to the \
        directory of the database). A second run for the same date changes nothing.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption
    @OptionGroup var asOf: AsOfOption

    @Option(help: ArgumentHelp("Where letters and agency files go (default: the database's directory).", valueName: "DIR"))
    var out: String?

    @Option(help: ArgumentHelp("A directory of KIND.mustache files that replace the bundled letter templates.", valueName: "DIR"))
    var templates: String?

    func run() async throws {
        let db = try await store.open()
        let date = asOf.date
        let summary = try await db.runDaily(asOf: date, actor: .system, at: Clock.now())
        var files: [String] = []
        if !summary.alreadyRun {
            let base = Deliveries.base(out, store: store)
            files += try await Deliveries.writeLetters(db, on: date, base: base, templates: templates)
            files += try await Deliveries.writeAgencyFiles(db, on: date, base: base)
        }
        // The run's pages are copied into the database file while the letters are written.
        (db as? SQLiteCaseStore)?.finishCheckpoints()
        switch output.format {
        case .json:
            try JSONOutput.print(RunJSON(summary: summary, files: files))
        case .text:
            if summary.alreadyRun {
                print("the run for \(date.iso) has already been done; nothing changed")
                return
            }
            print("run for \(date.iso): \(summary.casesTicked) cases, \(summary.eventsRecorded) events recorded")
            for (kind, count) in summary.eventsByKind.sorted(by: { $0.key < $1.key }) where kind != EventKind.tick.rawValue {
                print("  \(kind): \(count)")
            }
            if !summary.escalations.isEmpty {
                print("  escalations: " + summary.escalations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            if !summary.placed.isEmpty { print("  placed with the agency: " + summary.placed.joined(separator: ", ")) }
            for file in files { print("  wrote \(file)") }
        }
    }
}

/// `parley run --format json`: the summary and the files written.
struct RunJSON: Encodable {
    var summary: RunSummary
    var files: [String]
}
