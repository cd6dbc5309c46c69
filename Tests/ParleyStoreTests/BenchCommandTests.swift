import Foundation
import XCTest

/// `parley bench --format json` on a tiny portfolio: the report's structure, never its timings.
final class BenchCommandTests: XCTestCase {
    func testBenchReportNamesTheMachineThePortfolioAndEveryFigureWithItsTarget() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: ProcessCrashTests.binary.path), "build the parley binary first")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "the bench compares with /usr/bin/sqlite3")
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        func bench() throws -> [String: Any] {
            let process = Process()
            process.executableURL = ProcessCrashTests.binary
            process.arguments = ["bench", "--accounts", "200", "--repeats", "2", "--dir", directory.path, "--format", "json"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = Pipe()
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
            return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }

        let report = try bench()
        XCTAssertEqual(Set(report.keys), ["machine", "portfolio", "database", "figures"])
        let machine = try XCTUnwrap(report["machine"] as? [String: Any])
        XCTAssertEqual(Set(machine.keys), ["cores", "memoryBytes", "sqliteVersion", "sqliteCountsMemory"])
        XCTAssertTrue((machine["sqliteVersion"] as? String)?.hasPrefix("3.") == true, "\(machine)")
        // SQLite's memory statistics were off for the whole run (`SQLiteCaseStore.memoryStatisticsOff`).
        XCTAssertEqual(machine["sqliteCountsMemory"] as? Bool, false)
        let portfolio = try XCTUnwrap(report["portfolio"] as? [String: Any])
        XCTAssertEqual(Set(portfolio.keys), ["accounts", "invoices", "payments", "seed", "directory", "reused"])
        XCTAssertEqual(portfolio["accounts"] as? Int, 200)
        XCTAssertEqual(portfolio["reused"] as? Bool, false)

        let figures = try XCTUnwrap(report["figures"] as? [[String: Any]])
        let ids = figures.compactMap { $0["id"] as? String }
        XCTAssertEqual(ids, ["import.parley", "import.sqlite3", "import.ratio", "import.floor", "start.first-frame", "start.rss",
                             "keys.move-starting", "keys.move", "keys.page", "keys.pane", "keys.end", "keys.open", "start.name-index", "keys.filter",
                             "memory.in-use", "query.queue-top-50", "query.queue-last-50", "query.history", "query.queue-filter",
                             "run.first", "run.next", "run.day-10", "run.day-10-command"])
        for figure in figures {
            XCTAssertNotNil(figure["label"] as? String)
            XCTAssertNotNil(figure["unit"] as? String)
            XCTAssertNotNil(figure["value"] as? Double, "\(figure["id"] ?? "?") was not measured")
        }
        // The name filter's index was ready before the filter was timed.
        let nameIndex = figures.first { $0["id"] as? String == "start.name-index" }
        XCTAssertTrue((nameIndex?["note"] as? String)?.hasPrefix("resident memory with it held") == true, "\(nameIndex ?? [:])")
        // Each target comes with a verdict.
        let targeted = figures.filter { $0["target"] != nil }.compactMap { $0["id"] as? String }
        XCTAssertEqual(targeted, ["import.ratio", "start.first-frame", "start.rss", "keys.move", "keys.page", "keys.pane", "keys.end", "keys.open",
                                  "keys.filter", "memory.in-use", "run.first", "run.next", "run.day-10", "run.day-10-command"])
        XCTAssertTrue(figures.filter { $0["target"] != nil }.allSatisfy { $0["pass"] is Bool })

        // The ratio's verdict says by how much it missed, or that it met the target, and names
        // the floor it is bounded by: sqlite3 writing the same rows again, with the same schema.
        let ratio = try XCTUnwrap(figures.first { $0["id"] as? String == "import.ratio" })
        let verdict = try XCTUnwrap(ratio["note"] as? String)
        if ratio["pass"] as? Bool == false {
            XCTAssertTrue(verdict.hasPrefix("missed: ") && verdict.contains("times the target") && verdict.contains("(import.floor)"), verdict)
        } else {
            XCTAssertTrue(verdict.hasPrefix("within the target; the floor is "), verdict)
        }
        let floor = try XCTUnwrap(figures.first { $0["id"] as? String == "import.floor" })
        XCTAssertGreaterThan(floor["value"] as? Double ?? 0, 0)
        XCTAssertTrue((floor["note"] as? String)?.contains("× sqlite3's .import: the imported file's rows inserted by sqlite3") == true, "\(floor)")

        // The import into the bench's new file wrote the file once (`RollbackJournalSpell`).
        let imported = figures.first { $0["id"] as? String == "import.parley" }
        XCTAssertTrue((imported?["note"] as? String)?.contains("no checkpoint: written into the file once") == true, "\(imported ?? [:])")
        // Each run day's checkpoint, after its commit on its own thread, is reported with it.
        let first = figures.first { $0["id"] as? String == "run.first" }
        XCTAssertTrue((first?["note"] as? String)?.contains("then its checkpoint, on its own thread: ") == true, "\(first ?? [:])")

        // A second run with the same seed and size reuses the generated files.
        let again = try bench()
        XCTAssertEqual((again["portfolio"] as? [String: Any])?["reused"] as? Bool, true)
    }
}

/// `parley bench run` through the binary: what it runs and refuses, never its timings.
final class BenchRunCommandTests: BinaryTestCase {
    /// `parley bench run`: the store's run alone, day by day, on a database it imports first.
    func testBenchRunImportsThePortfolioThenTimesEachDayAndRefusesAnExistingFile() throws {
        let portfolio = directory.appendingPathComponent("portfolio").path
        XCTAssertEqual(try parley(["sample", "--accounts", "150", "--seed", "3", "--anchor", "2026-11-01", "--out", portfolio]).status, 0)
        let db = directory.appendingPathComponent("run.sqlite").path
        let ran = try parley(["bench", "run", db, "--import", portfolio, "--from", "2026-11-02", "--days", "2"])
        XCTAssertEqual(ran.status, 0, ran.errors)
        let lines = ran.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, ran.output)
        XCTAssertTrue(lines[0].hasPrefix("import  ") && lines[0].contains("no checkpoint: written into the file once"), ran.output)
        XCTAssertTrue(lines[1].hasPrefix("2026-11-02  ") && lines[1].contains(" stepped, ") && lines[1].contains("then its checkpoint"), ran.output)
        XCTAssertTrue(lines[2].hasPrefix("2026-11-03  "), ran.output)
        // The same day again changes nothing, and says so.
        let again = try parley(["bench", "run", db, "--from", "2026-11-03"])
        XCTAssertEqual(again.status, 0, again.errors)
        XCTAssertTrue(again.output.contains("(already run)"), again.output)
        // --import makes a new database: an existing file is refused, and left as it was.
        let size = try FileManager.default.attributesOfItem(atPath: db)[.size] as? Int
        let refused = try parley(["bench", "run", db, "--import", portfolio])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.errors.contains("\(db): already exists"), refused.errors)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: db)[.size] as? Int, size)
        let badDate = try parley(["bench", "run", db, "--from", "2026-13-40"])
        XCTAssertNotEqual(badDate.status, 0)
        XCTAssertTrue(badDate.errors.contains("--from: 2026-13-40 is not a date"), badDate.errors)
    }
}
