import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley letters`: renders the letters recorded as sent on a day.
struct LettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "letters",
        abstract: "Render the letters due on a day (those the run or a collector recorded as sent) to files."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption
    @OptionGroup var asOf: AsOfOption

    @Option(help: ArgumentHelp("Where letters go: OUT/letters/DATE/ (default: the database's directory).", valueName: "DIR"))
    var out: String?

    @Option(help: ArgumentHelp("A directory of KIND.mustache files that replace the bundled letter templates.", valueName: "DIR"))
    var templates: String?

    func run() async throws {
        let db = try await store.open()
        let files = try await Deliveries.writeLetters(db, on: asOf.date, base: Deliveries.base(out, store: store), templates: templates)
        switch output.format {
        case .json:
            try JSONOutput.print(FilesJSON(date: asOf.date, files: files))
        case .text:
            if files.isEmpty { print("no letters for \(asOf.date.iso)") }
            for file in files { print("wrote \(file)") }
        }
    }
}

/// `parley letters|export --format json`.
struct FilesJSON: Encodable {
    var date: CivilDate
    var files: [String]
}
