import Foundation
import ParleyCore
@testable import ParleyStore
import XCTest

/// `parley offer` through the built binary: the ladder, one offer worked out, and an accepted
/// offer recorded with its written agreement.
final class OfferCommandTests: XCTestCase {
    var directory: URL!
    var path: String { directory.appendingPathComponent("parley.sqlite").path }

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: ProcessCrashTests.binary.path), "build the parley binary first")
        directory = try Fixtures.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    func parley(_ arguments: [String]) throws -> (status: Int32, json: [String: Any]?, stderr: String) {
        let process = Process()
        process.executableURL = ProcessCrashTests.binary
        process.arguments = arguments + ["--db", path]
        var environment = ProcessInfo.processInfo.environment
        environment["PARLEY_DB"] = nil
        environment["TZ"] = "UTC"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, try? JSONSerialization.jsonObject(with: data) as? [String: Any], String(decoding: errors, as: UTF8.self))
    }

    func testAnAcceptedThreePaymentPlanIsRecordedWithItsWrittenAgreement() async throws {
        let store = try SQLiteCaseStore(path: path)
        _ = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)

        let ladder = try parley(["offer", "A-100", "--as-of", "2026-11-23", "--format", "json"])
        XCTAssertEqual(ladder.status, 0, ladder.stderr)
        let labels = (ladder.json?["rungs"] as? [[String: Any]])?.compactMap { $0["label"] as? String } ?? []
        XCTAssertEqual(labels.prefix(3), ["full now", "full by 2026-12-07", "2 payments"])

        let result = try parley(["offer", "A-100", "--kind", "plan", "--installments", "3", "--first", "2026-12-01",
                                 "--as-of", "2026-11-23", "--accept", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        // Balance 1,300.00 in three monthly payments: 433.33, 433.33, 433.34.
        let plan = (result.json?["offer"] as? [String: Any])?["plan"] as? [String: Any]
        let rows = plan?["rows"] as? [[String: Any]]
        XCTAssertEqual(rows?.compactMap { ($0["payment"] as? [String: Any])?["amount"] as? String }, ["433.33", "433.33", "433.34"])
        XCTAssertEqual(rows?.compactMap { $0["date"] as? String }, ["2026-12-01", "2027-01-01", "2027-02-01"])
        XCTAssertEqual((result.json?["recorded"] as? [String: Any])?["status"] as? String, "onPlan")
        let files = result.json?["agreementFiles"] as? [String] ?? []
        XCTAssertEqual(files.count, 1)
        let agreement = try String(contentsOfFile: files[0], encoding: .utf8)
        XCTAssertTrue(agreement.contains("PAYMENT PLAN AGREEMENT"), agreement)
        XCTAssertTrue(agreement.contains("433.34"), agreement)

        let record = try await store.caseRecord(accountID: "A-100")
        XCTAssertEqual(record?.status, .onPlan)
        XCTAssertEqual(record?.state.plan?.map(\.amount.minorUnits), [43333, 43333, 43334])
    }

    func testABadTermIsRefusedNamingTheOption() async throws {
        let store = try SQLiteCaseStore(path: path)
        _ = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)
        let result = try parley(["offer", "A-100", "--kind", "plan", "--installments", "3", "--first", "2026-13-01", "--as-of", "2026-11-23"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("2026-13-01"), result.stderr)
        let status = try await store.caseRecord(accountID: "A-100")?.status
        XCTAssertEqual(status, .open)
    }
}
