import ArgumentParser
import ParleyCore
import ParleyStore

/// `parley sample`: writes a synthetic portfolio in the import format, the same bytes for the
/// same seed, size and anchor.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write a synthetic portfolio (accounts, invoices, payments CSV), deterministic by seed.",
        discussion: """
        Dates are relative to the anchor date (default 2026-11-01, the demo's anchor), so the same \
        seed, size and anchor always give the same bytes. --demo writes the demo portfolio that \
        SampleData/ holds, with its case history.
        """
    )

    @Option(help: "How many accounts (debtors) to generate; about 5 invoices each.")
    var accounts: Int = 1000

    @Option(help: "The seed: the same seed gives the same files.")
    var seed: UInt64 = 1

    @Option(help: "The directory to write accounts.csv, invoices.csv, payments.csv (and history.csv) into.")
    var out: String

    @Option(help: "The date the portfolio's aging is relative to (YYYY-MM-DD).")
    var anchor: String?

    @Flag(help: "Also write history.csv: letters, calls, promises and other case events.")
    var history = false

    @Flag(help: "Write the demo portfolio (SampleData/); ignores --accounts, --seed and --history.")
    var demo = false

    func validate() throws {
        guard accounts > 0 else { throw ValidationError("--accounts must be at least 1") }
        if let anchor, CivilDate(iso: anchor) == nil {
            throw ValidationError("--anchor must be a date like 2026-11-01, found \"\(anchor)\"")
        }
    }

    func run() throws {
        let anchorDate = anchor.flatMap { CivilDate(iso: $0) } ?? SampleGenerator.demoAnchor
        var generator = demo ? SampleGenerator.demo
            : SampleGenerator(seed: seed, accounts: accounts, anchor: anchorDate, history: history)
        generator.anchor = anchorDate
        let summary = try generator.write(to: out)
        print("wrote \(summary.accounts) accounts, \(summary.invoices) invoices, \(summary.payments) payments"
              + (generator.includeHistory ? ", \(summary.history) history entries" : "")
              + " (seed \(generator.seed), anchor \(anchorDate.iso)) to:")
        for file in summary.files { print("  \(file)") }
    }
}
