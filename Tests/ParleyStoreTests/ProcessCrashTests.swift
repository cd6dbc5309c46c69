#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// The built `parley` binary, killed with SIGKILL inside its transaction, leaves the database
/// exactly as it was; a second process writing meanwhile waits, then fails cleanly.
final class ProcessCrashTests: TemporaryDirectoryTestCase {
    var path: String { directory.appendingPathComponent("parley.sqlite").path }
    var marker: String { directory.appendingPathComponent("inside-transaction").path }

    /// The `parley` executable next to the test bundle (.build/debug/parley).
    static var binary: URL {
        // On Linux the test runner is the .xctest binary itself; on macOS it is inside the bundle.
        let runner = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        let beside = runner.deletingLastPathComponent().appendingPathComponent("parley")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/parley")
    }

    struct Finished {
        var status: Int32
        var output: String
        var errors: String
    }

    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TZ"] = "UTC"
        environment["HOME"] = directory.path
        environment["PARLEY_DB"] = nil
        environment["PARLEY_TEST_PAUSE_IN_TX"] = nil
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    func runToEnd(_ arguments: [String], environment: [String: String] = [:]) throws -> Finished {
        finish(try start(arguments, environment: environment))
    }

    /// Waits for a command `start` started, and what it wrote.
    func finish(_ started: (Process, Pipe, Pipe)) -> Finished {
        let (process, out, err) = started
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Finished(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self))
    }

    /// Starts a command that stops inside its transaction, waits until it says so, and kills it.
    func killInsideTransaction(_ arguments: [String], environment: [String: String] = [:], whileWaiting check: () throws -> Void = {}) throws {
        let (process, _, _) = try start(arguments, environment: environment.merging(["PARLEY_TEST_PAUSE_IN_TX": marker]) { _, pause in pause })
        while !FileManager.default.fileExists(atPath: marker) {
            XCTAssertTrue(process.isRunning, "the command ended before reaching its transaction")
            guard process.isRunning else { return }
            usleep(20_000)
        }
        try check()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        try FileManager.default.removeItem(atPath: marker)
    }

    func importedStore() async throws {
        let store = try SQLiteCaseStore(path: path)
        _ = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)
    }

    func testRunKilledInsideItsTransactionLeavesTheDatabaseAsBeforeAndRunsAgainCleanly() async throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the parley binary first")
        try await importedStore()
        let before = try Fixtures.snapshot(path)
        try killInsideTransaction(["run", "--db", path, "--as-of", "2026-12-01", "--out", directory.path])
        XCTAssertEqual(try Fixtures.snapshot(path), before)

        let finished = try runToEnd(["run", "--db", path, "--as-of", "2026-12-01", "--out", directory.path])
        XCTAssertEqual(finished.status, 0, finished.errors)
        let after = try Fixtures.snapshot(path)
        XCTAssertNotEqual(after, before)
        XCTAssertEqual(after["runs"]?.count, 1)
    }

    func testRecordKilledInsideItsTransactionWritesNothing() async throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the parley binary first")
        try await importedStore()
        let before = try Fixtures.snapshot(path)
        try killInsideTransaction(["record", "--db", path, "A-100", "payment", "--amount", "100.00", "--date", "2026-11-24"])
        XCTAssertEqual(try Fixtures.snapshot(path), before)
    }

    func testSecondProcessWritingMeanwhileWaitsThenFailsCleanly() async throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the parley binary first")
        try await importedStore()
        let before = try Fixtures.snapshot(path)
        try killInsideTransaction(["run", "--db", path, "--as-of", "2026-12-01", "--out", directory.path]) {
            let second = try runToEnd(["record", "--db", path, "A-100", "note", "called", "while", "locked"], environment: ["PARLEY_BUSY_TIMEOUT": "0.3"])
            XCTAssertNotEqual(second.status, 0)
            XCTAssertTrue(second.errors.contains("database is locked: another process"), second.errors)
            XCTAssertTrue(second.errors.contains("the 0.3 s this one waits"), second.errors)
        }
        XCTAssertEqual(try Fixtures.snapshot(path), before)
        let third = try runToEnd(["record", "--db", path, "A-100", "note", "called", "after"])
        XCTAssertEqual(third.status, 0, third.errors)
        XCTAssertTrue(third.output.contains("recorded note"), third.output)
    }
}

extension ProcessCrashTests {
    static var sampleData: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SampleData").path
    }

    func testImportKilledInsideItsTransactionLeavesTheDatabaseAsBeforeAndImportsAgainCleanly() async throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the parley binary first")
        _ = try SQLiteCaseStore(path: path)
        let before = try Fixtures.snapshot(path)
        let size = { (try? FileManager.default.attributesOfItem(atPath: self.path))?[.size] as? Int }
        let sizeBefore = size()
        // A page cache of 64 KiB: the import writes pages into the file before its commit, as
        // one too large for its cache does.
        try killInsideTransaction(["import", "--db", path, "--dir", Self.sampleData], environment: [TestHooks.cacheVariable: "64"]) {
            // Meanwhile the file is locked whole: a command opening it waits, then says who
            // holds it and what to do.
            let opening = try runToEnd(["queue", "--db", path], environment: ["PARLEY_BUSY_TIMEOUT": "0.3"])
            XCTAssertNotEqual(opening.status, 0)
            XCTAssertTrue(opening.errors.contains("\(path): database is locked: another process (an import, the daily run or another command) is writing to it"), opening.errors)
            XCTAssertTrue(opening.errors.contains("longer than the 0.3 s this one waits; nothing was changed here"), opening.errors)
            XCTAssertTrue(opening.errors.contains("PARLEY_BUSY_TIMEOUT=SECONDS"), opening.errors)
            XCTAssertFalse(opening.errors.contains("waiting for it"), opening.errors)
            // A wait of a second is said as it happens, once.
            let started = ContinuousClock.now
            let waiting = try runToEnd(["queue", "--db", path], environment: ["PARLEY_BUSY_TIMEOUT": "1.5"])
            // Its limit, not a multiple of it: the open tried again within the limit alone.
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(6))
            XCTAssertNotEqual(waiting.status, 0)
            let notice = "parley: \(path) is locked by another process (an import, the daily run or another command); waiting for it, up to 1.5 s (PARLEY_BUSY_TIMEOUT)"
            XCTAssertEqual(waiting.errors.components(separatedBy: notice).count, 2, waiting.errors)
            XCTAssertTrue(waiting.errors.contains("longer than the 1.5 s this one waits"), waiting.errors)
        }
        // Into the empty store the import wrote with a rollback journal (`RollbackJournalSpell`),
        // its pages into the file itself: killed, it left the journal hot, which the next
        // connection rolls back, the file as it was.
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-journal"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
        XCTAssertGreaterThan(size() ?? 0, sizeBefore ?? 0)
        XCTAssertEqual(try Fixtures.snapshot(path), before)
        XCTAssertEqual(size(), sizeBefore)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-journal"))

        let finished = try runToEnd(["import", "--db", path, "--dir", Self.sampleData, "--format", "json"])
        XCTAssertEqual(finished.status, 0, finished.errors)
        // The file is back in WAL mode, and holds the import without a WAL or a journal.
        let mode = try await DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode, "wal")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-journal"))
        let summary = try JSONDecoder().decode(ImportSummary.self, from: Data(finished.output.utf8))
        XCTAssertEqual(summary.accountsAdded, 220)
        XCTAssertEqual(summary.invoicesAdded, 1_007)

        // The same files again: nothing is added, and the output says how many were present.
        let again = try runToEnd(["import", "--db", path, "--dir", Self.sampleData])
        XCTAssertEqual(again.status, 0, again.errors)
        XCTAssertTrue(again.output.contains("invoices: 0 imported, 1007 already present"), again.output)
    }

    func testACommandOpeningTheFileAsAnImportBeginsWaitsForItInsteadOfFailingAtOnce() async throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the parley binary first")
        _ = try SQLiteCaseStore(path: path)
        var waiting: (Process, Pipe, Pipe)?
        // The sample fits the import's page cache: held inside its transaction, the import holds
        // the write lock and has written nothing into the file yet.
        try killInsideTransaction(["import", "--db", path, "--dir", Self.sampleData]) {
            XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
            waiting = try start(["queue", "--db", path], environment: ["PARLEY_BUSY_TIMEOUT": "30"])
            usleep(1_500_000)
            XCTAssertEqual(waiting?.0.isRunning, true, "the command should wait for the import")
        }
        guard let waiting else { return XCTFail("the command did not start") }
        let finished = finish(waiting)
        // The import killed, the command opened the store as it was before it: empty.
        XCTAssertEqual(finished.status, 0, finished.errors)
        XCTAssertTrue(finished.output.contains("the queue is empty"), finished.output)
        XCTAssertTrue(finished.errors.contains("parley: \(path) is locked by another process (an import, the daily run or another command); waiting for it, up to 30 s"), finished.errors)
    }

    func testRefusedRecordExitsNonZeroWithTheReasonAndWritesNothing() async throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the parley binary first")
        try await importedStore()
        let before = try Fixtures.snapshot(path)
        let refused = try runToEnd(["record", "--db", path, "A-200", "place"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.errors.contains("a disputed case cannot be placed until the dispute is resolved"), refused.errors)
        XCTAssertEqual(try Fixtures.snapshot(path), before)
    }
}

extension ProcessCrashTests {
    func testSecondRunForTheSameDateWaitsForTheFirstThenRunsOnce() async throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the parley binary first")
        try await importedStore()
        var waiting: (Process, Pipe, Pipe)?
        try killInsideTransaction(["run", "--db", path, "--as-of", "2026-12-01", "--out", directory.path]) {
            // Started while the first holds the write lock: it waits (busy timeout 30 s).
            waiting = try start(["run", "--db", path, "--as-of", "2026-12-01", "--out", directory.path], environment: ["PARLEY_BUSY_TIMEOUT": "30"])
        }
        guard let waiting else { return XCTFail("the second run did not start") }
        let finished = finish(waiting)
        XCTAssertEqual(finished.status, 0, finished.errors)
        XCTAssertTrue(finished.output.contains("run for 2026-12-01"), finished.output)
        XCTAssertEqual(try Fixtures.snapshot(path)["runs"]?.count, 1)

        let third = try runToEnd(["run", "--db", path, "--as-of", "2026-12-01"])
        XCTAssertTrue(third.output.contains("already been done"), third.output)
    }
}
