import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley export`: the agency's placement and recall files for a day.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the agency placement file (and recall file) for the accounts placed or recalled on a day.",
        discussion: "Columns are documented in Docs/store.md (debtor, contacts, balance, open invoices, history summary)."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption
    @OptionGroup var asOf: AsOfOption

    @Option(help: ArgumentHelp("Where files go: OUT/agency/ (default: the database's directory).", valueName: "DIR"))
    var out: String?

    func run() async throws {
        let db = try await store.open()
        let files = try await Deliveries.writeAgencyFiles(db, on: asOf.date, base: Deliveries.base(out, store: store))
        switch output.format {
        case .json:
            try JSONOutput.print(FilesJSON(date: asOf.date, files: files))
        case .text:
            if files.isEmpty { print("no accounts placed or recalled on \(asOf.date.iso)") }
            for file in files { print("wrote \(file)") }
        }
    }
}
