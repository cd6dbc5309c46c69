import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore
import ParleyTUI

/// One measured figure, its target, and whether the target is met.
struct BenchFigure: Codable, Sendable {
    /// Stable identifier (`import.parley`, `run.first`, ...).
    var id: String
    var label: String
    /// nil when the figure could not be measured (`note` says why).
    var value: Double?
    var unit: String
    /// The target as text (`≤ 2×`, `< 3 s`), nil for figures without one.
    var target: String?
    /// nil when there is no target or no value.
    var pass: Bool?
    var note: String?

    /// Resident memory in MiB (`BenchStatistics.residentMegabytes`) against the workbench's 64 MiB.
    static func residentMemory(id: String, label: String, _ megabytes: Double?) -> BenchFigure {
        BenchFigure(id: id, label: label, value: megabytes, unit: "MiB", target: "< 64 MiB", pass: megabytes.map { $0 < 64 },
                    note: megabytes == nil ? "no /proc/self/status" : nil)
    }
}

struct BenchReport: Codable, Sendable {
    struct Machine: Codable, Sendable {
        var cores: Int
        var memoryBytes: UInt64
        /// The SQLite library's version, and whether it counted its memory in the run (it does
        /// not: `SQLiteCaseStore.memoryStatisticsOff`).
        var sqliteVersion: String
        var sqliteCountsMemory: Bool
    }

    struct Portfolio: Codable, Sendable {
        var accounts: Int
        var invoices: Int
        var payments: Int
        var seed: UInt64
        var directory: String
        /// The CSV files were already in the cache.
        var reused: Bool
    }

    var machine: Machine
    var portfolio: Portfolio
    var database: String
    var figures: [BenchFigure]
}

struct BenchMeasureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Generate (or reuse) a portfolio and measure every figure against its target (the default).",
        discussion: """
        The portfolio is generated with the sample generator into DIR/portfolio-SEED-ACCOUNTSxN/ \
        and reused by later runs with the same seed and size. The import runs in-process through \
        the same code as `parley import` into a fresh database, and sqlite3's own `.import` of the \
        same invoices.csv into a plain table runs next to it for the ratio. The start figures are \
        taken in a fresh child process (`parley bench open`), so its resident memory is that of a \
        process that only opened the database, not of the one that imported it.
        """
    )

    @Option(help: "Accounts to generate.") var accounts: Int = 200_000
    @Option(name: .customLong("invoices-per-account"), help: "Average invoices per account.") var invoicesPerAccount: Int = 5
    @Option(help: "The sample generator's seed.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Cache directory for portfolios and databases (default: $XDG_CACHE_HOME/parley/bench, else ~/.cache/parley/bench).", valueName: "DIR"))
    var dir: String?
    @Option(help: "How many times each store query is repeated (the median is reported).") var repeats: Int = 50
    @Flag(help: "Keep the databases after the run.") var keep = false
    @OptionGroup var output: FormatOption

    func validate() throws {
        guard accounts > 0 else { throw ValidationError("--accounts must be at least 1") }
        guard (1...50).contains(invoicesPerAccount) else { throw ValidationError("--invoices-per-account must be 1 to 50") }
        guard repeats > 0 else { throw ValidationError("--repeats must be at least 1") }
    }

    var cacheDirectory: String {
        if let dir { return dir }
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/parley/bench" }
        return (environment["HOME"] ?? NSTemporaryDirectory()) + "/.cache/parley/bench"
    }

    func run() async throws {
        let manager = FileManager.default
        let base = cacheDirectory
        let portfolioDir = base + "/portfolio-\(seed)-\(accounts)x\(invoicesPerAccount)"
        let marker = portfolioDir + "/complete.json"
        var generator = SampleGenerator(seed: seed, accounts: accounts, anchor: SampleGenerator.demoAnchor)
        generator.invoicesPerAccount = invoicesPerAccount
        let summary: SampleGenerator.Summary
        let reused: Bool
        if let data = manager.contents(atPath: marker), let counts = try? JSONDecoder().decode([String: Int].self, from: data) {
            var counted = SampleGenerator.Summary()
            counted.accounts = counts["accounts"] ?? 0
            counted.invoices = counts["invoices"] ?? 0
            counted.payments = counts["payments"] ?? 0
            summary = counted
            reused = true
        } else {
            progress("generating \(accounts) accounts into \(portfolioDir)")
            summary = try generator.write(to: portfolioDir)
            let counts = ["accounts": summary.accounts, "invoices": summary.invoices, "payments": summary.payments]
            try JSONEncoder().encode(counts).write(to: URL(fileURLWithPath: marker))
            reused = false
        }

        let work = base + "/run-\(getpid())"
        try? manager.removeItem(atPath: work)
        try manager.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { if !keep { try? manager.removeItem(atPath: work) } }
        let dbPath = work + "/parley.sqlite"
        var figures: [BenchFigure] = []

        // Import: parley's, then sqlite3's own .import of the same invoices.
        progress("parley import (in-process, the import command's code)")
        let store = try SQLiteCaseStore(path: dbPath)
        let importTime = try await Self.importPortfolio(portfolioDir, into: store)
        // Into the bench's new file the import writes its pages into the file itself, with a
        // rollback journal (`RollbackJournalSpell`); had it kept the WAL, they would be copied
        // into the file on a thread of their own once it has committed: waited for (and
        // reported) before anything else is measured.
        let importCheckpoint = Self.checkpointNote(store)
        progress("sqlite3 .import of invoices.csv")
        let sqliteTime = try Self.sqliteImport(csv: portfolioDir + "/invoices.csv", database: work + "/plain.sqlite")
        progress("sqlite3 writing the rows parley imported (the floor)")
        let floorScript = try ImportFloor.script(copying: dbPath)
        // Kept with the databases, to be run again: `sqlite3 NEW-FILE < floor.sql`.
        if keep { try Data(floorScript.utf8).write(to: URL(fileURLWithPath: work + "/floor.sql")) }
        let floorTime = try Self.sqlite3(database: work + "/floor.sqlite", script: floorScript, what: "writing the imported rows again")
        figures += Self.importFigures(parley: importTime, sqlite: sqliteTime, floor: floorTime, checkpoint: importCheckpoint)

        // Opening the database in a fresh process: first screen and resident memory.
        progress("first screen in a fresh process")
        figures += try Self.openFigures(database: dbPath)

        // Store queries.
        progress("store queries")
        let top = try await Self.median(repeats) { _ = try await store.queue(QueueQuery(limit: 50)) }
        figures.append(BenchFigure(id: "query.queue-top-50", label: "queue: top 50", value: top * 1000, unit: "ms"))
        let page = try await store.queue(QueueQuery(limit: 50))
        let last = try await store.queue(QueueQuery(limit: 50, position: .end))
        let lastTime = try await Self.median(repeats) { _ = try await store.queue(QueueQuery(limit: 50, position: .end)) }
        figures.append(BenchFigure(id: "query.queue-last-50", label: "queue: last page of \(page.total)", value: lastTime * 1000, unit: "ms"))
        let someone = page.entries.first?.accountID ?? last.entries.first?.accountID ?? ""
        let history = try await Self.median(repeats) { _ = try await store.history(accountID: someone) }
        figures.append(BenchFigure(id: "query.history", label: "one account's history", value: history * 1000, unit: "ms"))
        let name = page.entries.first.map { String($0.debtorName.prefix(5)) } ?? "a"
        let filter = try await Self.median(max(1, repeats / 5)) { _ = try await store.queue(QueueQuery(filter: name, limit: 50)) }
        figures.append(BenchFigure(id: "query.queue-filter", label: "queue filtered by \"\(name)\"", value: filter * 1000, unit: "ms"))

        // The daily run: the first day after the import (every case's first reminder), the next
        // day (most cases climb to the call stage: a case climbs one stage a day), then each day
        // of the first week and a half, the last of which is a day like any other (what is due
        // is what the calendar brings, not the import's catch-up).
        var catchUp: [String] = []
        for offset in 1...10 {
            let day = SampleGenerator.demoAnchor.adding(days: offset)
            progress("daily run for \(day.iso)")
            let (time, ran) = try await Self.runDay(day, store: store)
            // Each day's checkpoint is waited for before the next is measured; the tenth day's
            // goes on while its letters are written, as in `parley run`, which waits for it last.
            let checkpoint = offset == 10 ? "" : "; then " + Self.checkpointNote(store)
            let note = "\(ran.casesTicked) live cases, \(ran.casesStepped) stepped, \(ran.eventsRecorded) events" + checkpoint
            switch offset {
            case 1:
                figures.append(BenchFigure(id: "run.first", label: "daily run, first day after import", value: time, unit: "s", target: "< 3 s", pass: time < 3, note: note))
            case 2:
                figures.append(BenchFigure(id: "run.next", label: "daily run, the day after", value: time, unit: "s", target: "< 3 s", pass: time < 3, note: note))
            case 10:
                figures.append(BenchFigure(id: "run.day-10", label: "daily run, tenth day after import", value: time, unit: "s", target: "< 3 s", pass: time < 3,
                                           note: note + "; days 3 to 9: " + catchUp.joined(separator: ", ")))
                // What `parley run` does after the store's run: the day's letters and agency files.
                progress("letters and agency files for \(day.iso)")
                let out = work + "/out"
                var written = (letters: 0, agency: 0)
                let files = try await Self.seconds {
                    written.letters = try await Deliveries.writeLetters(store, on: day, base: out, templates: nil).count
                    written.agency = try await Deliveries.writeAgencyFiles(store, on: day, base: out).count
                    store.finishCheckpoints()
                }
                let command = time + files
                figures.append(BenchFigure(id: "run.day-10-command", label: "daily run with its letters and agency files (parley run), tenth day", value: command, unit: "s",
                                           target: "< 3 s", pass: command < 3,
                                           note: "\(written.letters) letters and \(written.agency) agency files written, and the run's checkpoint finished, in \(BenchStatistics.format(files)) s"))
            default:
                catchUp.append(BenchStatistics.format(time) + " s")
            }
        }

        let sqlite = SQLiteCaseStore.sqliteLibrary
        let machine = BenchReport.Machine(cores: ProcessInfo.processInfo.activeProcessorCount, memoryBytes: ProcessInfo.processInfo.physicalMemory,
                                          sqliteVersion: sqlite.version, sqliteCountsMemory: sqlite.countsMemory)
        let report = BenchReport(
            machine: machine,
            portfolio: .init(accounts: summary.accounts, invoices: summary.invoices, payments: summary.payments, seed: seed, directory: portfolioDir, reused: reused),
            database: keep ? dbPath : "",
            figures: figures)
        switch output.format {
        case .json: try JSONOutput.print(report)
        case .text: print(Self.table(report))
        }
    }

    func progress(_ message: String) {
        guard output.format == .text else { return }
        FileHandle.standardError.write(Data(("bench: " + message + "\n").utf8))
    }

    static func seconds(_ body: () async throws -> Void) async throws -> Double {
        try await timed(body).seconds
    }

    /// How long `body` took, and what it gave.
    static func timed<T>(_ body: () async throws -> T) async throws -> (seconds: Double, value: T) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try await body()
        return ((clock.now - start).seconds, value)
    }

    /// The bench's portfolio (accounts, invoices and payments in `directory`) imported into
    /// `store` as `parley import` does it, at noon of the demo anchor; how long it took.
    static func importPortfolio(_ directory: String, into store: SQLiteCaseStore) async throws -> Double {
        let files = ImportFiles(accounts: .file(path: directory + "/accounts.csv", name: "accounts.csv"),
                                invoices: .file(path: directory + "/invoices.csv", name: "invoices.csv"),
                                payments: .file(path: directory + "/payments.csv", name: "payments.csv"))
        let importedAt = SampleGenerator.demoAnchor.utcMidnight.addingTimeInterval(12 * 3600)
        return try await seconds {
            _ = try await ImportCommand.perform(files, map: ColumnMap(), into: store, actor: Actor(name: "bench", role: .supervisor), at: importedAt)
        }
    }

    /// The store's daily run for `day`, at 06:00 UTC; how long it took and what it did.
    static func runDay(_ day: CivilDate, store: SQLiteCaseStore) async throws -> (seconds: Double, value: RunSummary) {
        try await timed { try await store.runDaily(asOf: day, actor: .system, at: day.utcMidnight.addingTimeInterval(6 * 3600)) }
    }

    /// Waits for the store's checkpoint after its last import or run and says how long it took,
    /// or that there was none (the import wrote the file itself).
    static func checkpointNote(_ store: SQLiteCaseStore) -> String {
        store.finishCheckpoints()
        if store.lastLargeTransactionWroteFileOnce { return "no checkpoint: written into the file once, with a rollback journal" }
        return "its checkpoint, on its own thread: \(store.lastCheckpoint.map { BenchStatistics.format($0.seconds) } ?? "?") s"
    }

    static func median(_ count: Int, _ body: () async throws -> Void) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<count { times.append(try await seconds(body)) }
        return BenchStatistics.percentile(times, 50)
    }

    /// The import's figures: parley's, sqlite3's `.import` of the invoices, their ratio against
    /// its target, and the floor (`ImportFloor`): SQLite alone writing what the import wrote.
    /// A missed ratio says by how much, and what bounds it.
    static func importFigures(parley: Double, sqlite: Double, floor: Double, checkpoint: String) -> [BenchFigure] {
        let ratio = parley / sqlite
        let floorRatio = floor / sqlite
        let f = BenchStatistics.format
        let verdict = ratio <= 2
            ? "within the target; the floor is \(f(floorRatio))× (import.floor)"
            : "missed: \(f(ratio / 2)) times the target, \(f(parley - 2 * sqlite)) s over 2× sqlite3's .import; bounded by the writing: SQLite alone takes "
                + "\(f(floorRatio))× sqlite3's .import to write the same rows and indexes (import.floor)"
                + (floorRatio > 2 ? ", itself over 2×" : "")
        return [
            BenchFigure(id: "import.parley", label: "parley import (accounts, invoices, payments)", value: parley, unit: "s",
                        note: "in-process, ImportCommand.perform; then \(checkpoint)"),
            BenchFigure(id: "import.sqlite3", label: "sqlite3 .import of invoices.csv", value: sqlite, unit: "s"),
            BenchFigure(id: "import.ratio", label: "import ratio parley / sqlite3", value: ratio, unit: "×", target: "≤ 2×", pass: ratio <= 2, note: verdict),
            BenchFigure(id: "import.floor", label: "sqlite3 writing the rows parley imported (the floor)", value: floor, unit: "s",
                        note: "\(f(floorRatio))× sqlite3's .import: the imported file's rows inserted by sqlite3 into a new file with the import's "
                            + "schema and settings, indexes and triggers made after them, one synced transaction; no CSV, no Swift"),
        ]
    }

    /// sqlite3's own CSV import of the same file into a plain table, as a separate process.
    static func sqliteImport(csv: String, database: String) throws -> Double {
        try sqlite3(database: database, script: ".mode csv\n.import '\(csv)' invoices\n", what: ".import")
    }

    /// `/usr/bin/sqlite3 DATABASE` with `script` on its standard input, as a separate process;
    /// its wall clock time.
    static func sqlite3(database: String, script: String, what: String) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-bail", database]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        let clock = ContinuousClock()
        let start = clock.now
        do { try process.run() } catch {
            throw CommandFailure(message: "cannot run /usr/bin/sqlite3: \(error.localizedDescription)")
        }
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let elapsed = (clock.now - start).seconds
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        // The shell goes on after a failed statement with a script on its input, and says so
        // on its standard error: either is a failure.
        guard process.terminationStatus == 0, message.isEmpty else {
            throw CommandFailure(message: "sqlite3 \(what) failed: \(message)")
        }
        return elapsed
    }

    /// Runs `parley bench open` on the database and turns its report into figures.
    static func openFigures(database: String) throws -> [BenchFigure] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !(process.executableURL.map { FileManager.default.isExecutableFile(atPath: $0.path) } ?? false) {
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        }
        process.arguments = ["bench", "open", database]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure(message: "parley bench open exited with status \(process.terminationStatus)")
        }
        return try JSONDecoder().decode([BenchFigure].self, from: data)
    }

    static func table(_ report: BenchReport) -> String {
        var lines: [String] = []
        let memory = Double(report.machine.memoryBytes) / 1_073_741_824
        lines.append("machine: \(report.machine.cores) cores, \(String(format: "%.1f", memory)) GiB; SQLite \(report.machine.sqliteVersion)"
                     + (report.machine.sqliteCountsMemory ? " (counting its memory)" : " (memory statistics off)"))
        lines.append("portfolio: \(report.portfolio.accounts) accounts, \(report.portfolio.invoices) invoices, \(report.portfolio.payments) payments (seed \(report.portfolio.seed)\(report.portfolio.reused ? ", reused" : ""))")
        lines.append("")
        let header = ["figure", "value", "target", "result", "note"]
        let rows = report.figures.map { f -> [String] in
            let value = f.value.map { BenchStatistics.format($0) + " " + f.unit } ?? "—"
            let result = f.pass.map { $0 ? "pass" : "MISS" } ?? "—"
            return [f.label, value, f.target ?? "—", result, f.note ?? ""]
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        lines.append(line(header))
        lines.append(line(widths.map { String(repeating: "-", count: $0) }))
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }
}

/// `parley bench open`: what a fresh process does to show the first screen, timed from the
/// start of the command, with the resident memory at that point; prints the figures as JSON.
struct BenchOpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a database in this fresh process, read the first queue page, report time and memory (used by bench)."
    )

    @Argument(help: ArgumentHelp("The database file to open.", valueName: "PATH")) var db: String

    func run() async throws {
        let job = BenchFrameJob(database: db)
        let figures = try await job.runOnOwnThread()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(figures), as: UTF8.self))
    }
}

/// The workbench part of the benchmark, in a fresh process: start to the first complete frame
/// (store open, queue count, first page, the first account's history, render) through the
/// in-memory terminal, resident memory at that point, then key to frame over many presses.
/// Like the real workbench it runs on a thread of its own (the store calls block on it).
final class BenchFrameJob: @unchecked Sendable {
    let database: String
    init(database: String) { self.database = database }

    func runOnOwnThread() async throws -> [BenchFigure] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[BenchFigure], Error>) in
            let thread = Thread {
                do { continuation.resume(returning: try self.measure()) } catch { continuation.resume(throwing: error) }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    func measure() throws -> [BenchFigure] {
        let clock = ContinuousClock()
        let start = clock.now
        let store = try SQLiteCaseStore(path: database)
        let context = WorkbenchContext(operatorName: "bench", database: database, asOf: Clock.today())
        let workbench = try Workbench(dataSource: StoreDataSource(store: store, context: context), size: Size(width: 120, height: 40),
                                      theme: try Theme.load(named: "default"))
        let terminal = InMemoryTerminal(size: Size(width: 120, height: 40))
        terminal.draw(workbench.frame())
        let firstFrame = (clock.now - start).seconds
        let rss = BenchStatistics.residentMegabytes()

        func presses(_ keys: [KeyEvent], times: Int) -> [Double] {
            var samples: [Double] = []
            for i in 0..<times {
                let key = keys[i % keys.count]
                let t0 = clock.now
                workbench.send(.key(key))
                terminal.draw(workbench.frame())
                samples.append((clock.now - t0).seconds * 1000)
            }
            return samples
        }
        var figures = [
            BenchFigure(id: "start.first-frame", label: "start to first complete workbench frame (fresh process)", value: firstFrame * 1000, unit: "ms",
                        target: "< 150 ms", pass: firstFrame < 0.150, note: "store open, queue count and page, first history, render at 120×40 (in-memory terminal)"),
            .residentMemory(id: "start.rss", label: "resident memory at that point", rss),
        ]
        // Moving in the queue while the name filter's index is read on its own thread (it
        // starts once the first page is shown and takes a few hundred milliseconds): on this
        // machine's two cores that read slows the keys beside it. Reported on its own; the
        // figures below are taken once the workbench has finished starting.
        let startup = presses([.down, .down, .down, .up], times: 200)
        let indexWasReady = store.isNameIndexReady
        let readStart = clock.now
        while !store.isNameIndexReady, clock.now - readStart < .seconds(30) { usleep(1000) }
        figures.append(BenchFigure(id: "keys.move-starting", label: "key to frame: move in the queue while the name index is read (p99)",
                                   value: BenchStatistics.percentile(startup, 99), unit: "ms",
                                   note: "p50 \(BenchStatistics.format(BenchStatistics.percentile(startup, 50))) ms over 200 presses, the first right after the first frame\(indexWasReady ? "; the index was read before the last press" : "")"))
        let scenarios: [(String, String, [KeyEvent], Int)] = [
            ("keys.move", "key to frame: move in the queue", [.down, .down, .down, .up], 400),
            ("keys.page", "key to frame: page down the queue", [.pageDown], 200),
            ("keys.pane", "key to frame: switch pane", [.tab], 200),
            ("keys.end", "key to frame: to the end of the queue and back", [.end, .home], 40),
        ]
        for (id, label, keys, times) in scenarios {
            let samples = presses(keys, times: times)
            let p50 = BenchStatistics.percentile(samples, 50), p99 = BenchStatistics.percentile(samples, 99)
            figures.append(BenchFigure(id: id, label: label + " (p99)", value: p99, unit: "ms", target: "< 5 ms", pass: p99 < 5,
                                       note: "p50 \(BenchStatistics.format(p50)) ms over \(times) presses"))
        }
        // Opening an account: from the end of the queue, up over accounts never opened in this
        // process, so each press reads the account, its invoices and history and renders them.
        workbench.send(.key(.end))
        terminal.draw(workbench.frame())
        let opened = presses([.up], times: 200)
        let op50 = BenchStatistics.percentile(opened, 50), op99 = BenchStatistics.percentile(opened, 99)
        figures.append(BenchFigure(id: "keys.open", label: "key to frame: open an account (p99)", value: op99, unit: "ms", target: "< 5 ms", pass: op99 < 5,
                                   note: "p50 \(BenchStatistics.format(op50)) ms over 200 presses onto accounts not opened before"))
        workbench.send(.key(.home))

        // The name filter's index, read on a thread of its own from the moment the first page
        // was shown: how long the read takes (a collector opening the filter and typing a name
        // takes longer; the presses above took seconds), and the memory with it held. Until it
        // is ready, SQL answers the filter.
        let indexStart = clock.now
        while !store.isNameIndexReady, clock.now - indexStart < .seconds(30) { usleep(1000) }
        let indexRSS = BenchStatistics.residentMegabytes()
        figures.append(BenchFigure(id: "start.name-index", label: "name filter's index read (on its own thread, after the first page)",
                                   value: (store.nameIndexReadSeconds ?? 30) * 1000, unit: "ms",
                                   note: store.isNameIndexReady ? "resident memory with it held \(indexRSS.map { BenchStatistics.format($0) } ?? "?") MiB" : "not ready after 30 s; resident memory \(indexRSS.map { BenchStatistics.format($0) } ?? "?") MiB"))

        // Filtering by debtor name: open the prompt, type, apply; the frame after Enter is timed.
        // Common words (thousands of matches), a one-letter prefix, and the top account's name
        // (a handful of matches) by a word's prefix and whole.
        let topName = workbench.state.queue.rows.first?.debtorName ?? "a"
        let firstWord = topName.split(separator: " ").first.map(String.init) ?? topName
        let names = ["ltd", "gmbh", "inc", "co", "a", String(firstWord.prefix(5)).lowercased(), topName]
        var filterSamples: [Double] = []
        var notes: [String] = []
        for name in names {
            workbench.send(.key(.character("/")))
            for ch in name { workbench.send(.key(.character(ch))) }
            let t0 = clock.now
            workbench.send(.key(.enter))
            terminal.draw(workbench.frame())
            let elapsed = (clock.now - t0).seconds * 1000
            filterSamples.append(elapsed)
            notes.append("\"\(name)\" \(workbench.state.queue.total ?? 0) in \(BenchStatistics.format(elapsed)) ms")
            workbench.send(.key(.character("c")))
        }
        let worst = filterSamples.max() ?? 0
        figures.append(BenchFigure(id: "keys.filter", label: "key to frame: filter by debtor name (worst)", value: worst, unit: "ms", target: "< 5 ms",
                                   pass: worst < 5, note: "Enter on a typed name: " + notes.joined(separator: ", ")))
        // The workbench in use: after every key above, with the name index held and the
        // accounts opened kept (`StoreDataSource.heldLimit`), the readers' page caches as full
        // as those keys made them. The issue measures memory at the first frame; the design's
        // limit is the workbench's, and it should hold once the collector has worked a while.
        figures.append(.residentMemory(id: "memory.in-use", label: "resident memory after all the keys above, the name index held",
                                       BenchStatistics.residentMegabytes()))
        return figures
    }
}

enum BenchStatistics {
    /// The p-th percentile (nearest rank) of `values`.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    /// VmRSS of this process in MiB, from /proc/self/status.
    static func residentMegabytes() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let digits = line.split(separator: " ").compactMap { Double($0) }
            if let kibibytes = digits.first { return kibibytes / 1024 }
        }
        return nil
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : value >= 10 ? String(format: "%.1f", value) : String(format: "%.2f", value)
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}

/// `parley bench run`: the store's daily run (what `run.*` times, without the letters written
/// after it) for consecutive days on an existing database, each day timed; for measuring the
/// run alone on copies of one database (`parley bench --keep`, or an import of the portfolio).
struct BenchRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Time the store's daily run for consecutive days on a database (changes it; --import makes it first)."
    )

    @Argument(help: ArgumentHelp("The database file to run (it is changed: use a copy).", valueName: "PATH")) var db: String
    @Option(help: ArgumentHelp("The first day to run (default: the day after the demo anchor).", valueName: "DATE"))
    var from: String = SampleGenerator.demoAnchor.adding(days: 1).iso
    @Option(help: "How many consecutive days to run (0: only the import).") var days: Int = 1
    @Option(name: .customLong("import"), help: ArgumentHelp("First import this portfolio directory (accounts.csv, invoices.csv, payments.csv) into PATH, a new file, as the bench does.", valueName: "DIR"))
    var portfolio: String?

    func validate() throws {
        guard CivilDate(iso: from) != nil else { throw ValidationError("--from: \(from) is not a date (YYYY-MM-DD)") }
        guard days >= 0 else { throw ValidationError("--days: \(days) must not be negative") }
    }

    func run() async throws {
        guard let first = CivilDate(iso: from) else { return }
        if portfolio != nil, FileManager.default.fileExists(atPath: db) {
            throw CommandFailure(message: "\(db): already exists; --import makes a new database")
        }
        let store = try SQLiteCaseStore(path: db)
        if let portfolio {
            let time = try await BenchMeasureCommand.importPortfolio(portfolio, into: store)
            print("import  \(BenchStatistics.format(time)) s  (then \(BenchMeasureCommand.checkpointNote(store)))")
        }
        for offset in 0..<days {
            let day = first.adding(days: offset)
            let (time, ran) = try await BenchMeasureCommand.runDay(day, store: store)
            print("\(day.iso)  \(BenchStatistics.format(time)) s  \(ran.casesStepped) stepped, \(ran.eventsRecorded) events\(ran.alreadyRun ? " (already run)" : "")"
                  + "  (then \(BenchMeasureCommand.checkpointNote(store)))")
        }
    }
}
