import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley import`: accounts, invoices, payments (and history) CSV, all or nothing.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import accounts, invoices, payments and history CSV, all or nothing.",
        discussion: """
        The files are read and checked first; a bad row stops the import with its file, line, \
        column and value, and nothing is written. Then everything is written in one transaction. \
        Records whose ids are already in the database (accounts, invoices, payments) are skipped \
        and counted ("N already present"), never duplicated; history rows are imported only for \
        accounts new in this import.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    @Option(help: ArgumentHelp("accounts.csv", valueName: "FILE")) var accounts: String?
    @Option(help: ArgumentHelp("invoices.csv", valueName: "FILE")) var invoices: String?
    @Option(help: ArgumentHelp("payments.csv", valueName: "FILE")) var payments: String?
    @Option(help: ArgumentHelp("history.csv (calls, letters, promises, ... that already happened)", valueName: "FILE")) var history: String?
    @Option(help: ArgumentHelp("A directory holding accounts.csv, invoices.csv, payments.csv and history.csv (those present).", valueName: "DIR")) var dir: String?
    @Option(help: ArgumentHelp("A TOML column map for exports with other headers, date and amount formats.", valueName: "FILE")) var map: String?

    func validate() throws {
        if accounts == nil, invoices == nil, payments == nil, history == nil, dir == nil {
            throw ValidationError("name at least one file: --accounts, --invoices, --payments, --history, or --dir")
        }
    }

    func run() async throws {
        var files = dir.map { ImportFiles.directory($0) } ?? ImportFiles()
        if let accounts { files.accounts = .file(path: accounts) }
        if let invoices { files.invoices = .file(path: invoices) }
        if let payments { files.payments = .file(path: payments) }
        if let history { files.history = .file(path: history) }
        let columnMap: ColumnMap
        do {
            columnMap = try map.map { try ColumnMap.load(contentsOf: $0) } ?? ColumnMap()
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        let (db, actor) = try await store.openAsOperator()
        let summary = try await Self.perform(files, map: columnMap, into: db, actor: actor, at: Clock.now())
        (db as? SQLiteCaseStore)?.finishCheckpoints()
        switch output.format {
        case .json:
            try JSONOutput.print(summary)
        case .text:
            func line(_ what: String, _ added: Int, _ present: Int) -> String {
                "\(what): \(added) imported" + (present > 0 ? ", \(present) already present" : "")
            }
            print(line("accounts", summary.accountsAdded, summary.accountsAlreadyPresent))
            print(line("invoices", summary.invoicesAdded, summary.invoicesAlreadyPresent))
            print(line("payments", summary.paymentsAdded, summary.paymentsAlreadyPresent))
            if summary.historyImported + summary.historyAlreadyPresent > 0 {
                print(line("history", summary.historyImported, summary.historyAlreadyPresent))
            }
            print("\(summary.eventsRecorded) events recorded in \(store.location.path)")
        }
    }

    /// Reads and checks the files, then writes them in one transaction: what `parley import`
    /// does once it has its options (`parley bench` calls it too, in-process). On SQLite the
    /// files are read on another thread while the records already read are written (the same
    /// result and the same errors).
    static func perform(_ files: ImportFiles, map columnMap: ColumnMap, into db: any CaseStore, actor: Actor, at: Date) async throws -> ImportSummary {
        if let sqlite = db as? SQLiteCaseStore {
            do {
                return try await sqlite.importPortfolio(files, map: columnMap, actor: actor, at: at)
            } catch let error as ImportError {
                throw CommandFailure(message: "\(error)\nnothing was imported")
            } catch let error as StoreError {
                throw CommandFailure(message: "\(error.description)\nnothing was imported")
            }
        }
        let batch: ImportBatch
        do {
            batch = try PortfolioImporter(map: columnMap).read(files, known: try await db.knownRecords())
        } catch {
            throw CommandFailure(message: "\(error)\nnothing was imported")
        }
        do {
            return try await db.importPortfolio(batch, actor: actor, at: at)
        } catch let error as StoreError {
            throw CommandFailure(message: "\(error.description)\nnothing was imported")
        }
    }
}
