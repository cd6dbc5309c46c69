import Foundation
import ParleyCore
@testable import ParleyStore
import XCTest

/// The JSON the store commands print keeps the field names Docs/cli-json.md documents.
final class CommandOutputTests: TemporaryDirectoryTestCase {
    var path: String { directory.appendingPathComponent("parley.sqlite").path }

    func parley(_ arguments: [String]) throws -> (Int32, Any) {
        let process = Process()
        process.executableURL = ProcessCrashTests.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PARLEY_DB"] = nil
        environment["TZ"] = "UTC"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, try JSONSerialization.jsonObject(with: data))
    }

    func keys(_ value: Any?) -> Set<String> { Set((value as? [String: Any])?.keys.map { $0 } ?? []) }

    func testQueueShowRunAndReportPrintTheDocumentedFields() async throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: ProcessCrashTests.binary.path), "build the parley binary first")
        let store = try SQLiteCaseStore(path: path)
        _ = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)

        let (queueStatus, queue) = try parley(["queue", "--db", path, "--format", "json"])
        XCTAssertEqual(queueStatus, 0)
        XCTAssertEqual(keys(queue), ["offset", "total", "entries"])
        let entry = ((queue as? [String: Any])?["entries"] as? [Any])?.first
        // `assignee` is left out when the account has none.
        XCTAssertEqual(keys(entry).union(["assignee"]), ["position", "accountId", "debtorName", "stage", "status", "balance", "daysPastDue", "priority", "reasons", "nextAction", "assignee", "asOf"])
        XCTAssertEqual(keys((entry as? [String: Any])?["balance"]), ["amount", "currency"])

        let (showStatus, show) = try parley(["show", "--db", path, "A-100", "--as-of", "2026-11-23", "--format", "json"])
        XCTAssertEqual(showStatus, 0)
        XCTAssertEqual(keys(show), ["account", "case", "aging", "invoices", "payments", "history", "state"])
        let showCase = (show as? [String: Any])?["case"]
        XCTAssertEqual(keys(showCase), ["stage", "status", "balance", "daysPastDue", "priority", "reasons", "nextAction", "version", "asOf"])
        // 1,000.00 − 200.00 due 2026-08-01 (114 days: 91-120) and 500.00 due 2026-10-01 (53 days: 31-60).
        let aging = (show as? [String: Any])?["aging"] as? [[String: Any]]
        XCTAssertEqual(aging?.compactMap { $0["bucket"] as? String }, ["31-60", "91-120"])
        XCTAssertEqual(aging?.compactMap { ($0["amount"] as? [String: Any])?["amount"] as? String }, ["500.00", "800.00"])

        let (runStatus, run) = try parley(["run", "--db", path, "--as-of", "2026-11-24", "--out", directory.path, "--format", "json"])
        XCTAssertEqual(runStatus, 0)
        XCTAssertEqual(keys(run), ["summary", "files"])
        XCTAssertEqual(keys((run as? [String: Any])?["summary"]), ["asOf", "alreadyRun", "casesTicked", "casesStepped", "eventsRecorded", "eventsByKind", "escalations", "lettersDue", "placed"])

        let (reportStatus, report) = try parley(["report", "--db", path, "--from", "2026-11-01", "--to", "2026-11-24", "--format", "json"])
        XCTAssertEqual(reportStatus, 0)
        XCTAssertEqual(keys(report), ["from", "to", "cases", "byStage", "byStatus", "agingAtStart", "agingAtEnd", "rollRates", "promises", "recovery", "collectors"])
        let figures = report as? [String: Any]
        XCTAssertEqual(keys((figures?["agingAtEnd"] as? [Any])?.first), ["bucket", "invoices", "amounts"])
        XCTAssertEqual(keys(figures?["promises"]), ["made", "kept", "broken"])
        XCTAssertEqual(keys((figures?["rollRates"] as? [Any])?.first), ["from", "to", "startBalance", "rolled", "rate"])
        XCTAssertEqual(keys((figures?["recovery"] as? [Any])?.first).union(["rate"]), ["balanceAtStart", "collected", "rate"])
    }
}
