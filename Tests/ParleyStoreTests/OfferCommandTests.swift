import Foundation
import ParleyCore
@testable import ParleyStore
import XCTest

/// `parley offer` through the built binary: the ladder, one offer worked out, and an accepted
/// offer recorded with its written agreement.
final class OfferCommandTests: BinaryTestCase {
    func run(_ arguments: [String]) throws -> Finished { try parley(arguments + ["--db", path]) }

    func testAnAcceptedThreePaymentPlanIsRecordedWithItsWrittenAgreement() async throws {
        let store = try SQLiteCaseStore(path: path)
        _ = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)

        let ladder = try run(["offer", "A-100", "--as-of", "2026-11-23", "--format", "json"])
        XCTAssertEqual(ladder.status, 0, ladder.errors)
        let labels = (ladder.json?["rungs"] as? [[String: Any]])?.compactMap { $0["label"] as? String } ?? []
        XCTAssertEqual(labels.prefix(3), ["full now", "full by 2026-12-07", "2 payments"])

        let result = try run(["offer", "A-100", "--kind", "plan", "--installments", "3", "--first", "2026-12-01",
                                 "--as-of", "2026-11-23", "--accept", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.errors)
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
        let result = try run(["offer", "A-100", "--kind", "plan", "--installments", "3", "--first", "2026-13-01", "--as-of", "2026-11-23"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.errors.contains("2026-13-01"), result.errors)
        let status = try await store.caseRecord(accountID: "A-100")?.status
        XCTAssertEqual(status, .open)
    }
}
