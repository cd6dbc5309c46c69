import Foundation
import ParleyCore
@testable import ParleyStore
import XCTest

/// The supervisor commands through the built binary: the operator is resolved from the
/// database, refusals exit non-zero with the reason and write nothing.
final class SupervisorCommandTests: BinaryTestCase {
    override func parley(_ arguments: [String], user: String? = "osuser") throws -> Finished {
        try super.parley(arguments, user: user)
    }

    /// The fixture portfolio; clerk is its supervisor, cora a collector.
    func importedStore() async throws -> SQLiteCaseStore {
        let store = try SQLiteCaseStore(path: path)
        _ = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)
        try await store.addOperator(name: "clerk", role: .supervisor, by: Fixtures.clerk, at: Fixtures.importedAt)
        try await store.addOperator(name: "cora", role: .collector, by: Fixtures.clerk, at: Fixtures.importedAt)
        return store
    }

    func testANewDatabaseMakesTheOSUserItsFirstSupervisorAndSaysSo() throws {
        let fresh = directory.appendingPathComponent("fresh.sqlite").path
        let listed = try parley(["operators", "list", "--db", fresh, "--format", "json"], user: "olga")
        XCTAssertEqual(listed.status, 0, listed.errors)
        XCTAssertTrue(listed.errors.contains("olga is the first supervisor of this database"), listed.errors)
        let operators = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]]
        XCTAssertEqual(operators?.count, 1)
        XCTAssertEqual(operators?.first?["name"] as? String, "olga")
        XCTAssertEqual(operators?.first?["role"] as? String, "supervisor")
        XCTAssertEqual(Set(operators?.first?.keys.map { $0 } ?? []), ["name", "role", "active", "createdAt", "createdBy"])
        // Only the first time.
        let again = try parley(["operators", "list", "--db", fresh], user: "olga")
        XCTAssertFalse(again.errors.contains("first supervisor"), again.errors)
    }

    func testTheDemoDatabaseHasItsCollectorsAndTheOSUserAsSupervisor() throws {
        let listed = try parley(["operators", "list", "--format", "json"], user: "olga")
        XCTAssertEqual(listed.status, 0, listed.errors)
        let operators = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]] ?? []
        let roles = Dictionary(uniqueKeysWithValues: operators.map { ($0["name"] as? String ?? "", $0["role"] as? String ?? "") })
        XCTAssertEqual(roles, ["alice": "collector", "bob": "collector", "carmen": "collector", "dev": "collector", "olga": "supervisor"])
        XCTAssertTrue(listed.errors.contains("olga is the demo's supervisor"), listed.errors)
        // The demo's cases are assigned to its collectors.
        let queue = try parley(["queue", "--as", "alice", "--all", "--format", "json", "--limit", "500"], user: "olga")
        XCTAssertEqual(queue.status, 0, queue.errors)
        let entries = (try JSONSerialization.jsonObject(with: Data(queue.output.utf8)) as? [String: Any])?["entries"] as? [[String: Any]] ?? []
        let assignees = Set(entries.compactMap { $0["assignee"] as? String })
        XCTAssertEqual(assignees, ["alice", "bob", "carmen", "dev"])
    }

    func testUnknownOperatorIsRefusedWithHowToAddOne() async throws {
        _ = try await importedStore()
        let refused = try parley(["queue", "--db", path, "--as", "zed"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.errors.contains("there is no operator \"zed\""), refused.errors)
        XCTAssertTrue(refused.errors.contains("parley operators add zed --role collector"), refused.errors)
    }

    func testCollectorIsRefusedSupervisorActionsWithTheLifecyclesMessageAndNothingIsWritten() async throws {
        _ = try await importedStore()
        let before = try Fixtures.snapshot(path)
        let cases: [([String], String)] = [
            (["record", "A-300", "write-off", "--reason", "gone"], "only a supervisor can write off a debt"),
            (["record", "A-300", "hold", "--reason", "hardship"], "only a supervisor can put a case on hold"),
            (["reassign", "A-300", "--to", "clerk", "--reason", "x"], "only a supervisor can reassign a case"),
            (["reassign", "--from", "cora", "--to", "clerk", "--reason", "x"], "only a supervisor can reassign cases"),
            (["operators", "add", "dan", "--role", "collector"], "only a supervisor can add operators"),
        ]
        for (arguments, message) in cases {
            let refused = try parley(arguments + ["--db", path, "--as", "cora"])
            XCTAssertNotEqual(refused.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(refused.errors.contains(message), "\(arguments): \(refused.errors)")
        }
        XCTAssertEqual(try Fixtures.snapshot(path), before)
        // Reopen, on a case a supervisor wrote off.
        let off = try parley(["record", "A-300", "write-off", "--reason", "gone", "--db", path, "--as", "clerk"])
        XCTAssertEqual(off.status, 0, off.errors)
        let reopen = try parley(["record", "A-300", "reopen", "--reason", "found", "--db", path, "--as", "cora"])
        XCTAssertNotEqual(reopen.status, 0)
        XCTAssertTrue(reopen.errors.contains("only a supervisor can reopen a closed case"), reopen.errors)
    }

    func testCollectorsOverAuthoritySettlementIsApprovedBySupervisorWithTheAgreementWritten() async throws {
        _ = try await importedStore()
        // 40% off is beyond a collector's authority: the offer waits for a supervisor.
        let asked = try parley(["offer", "A-300", "--kind", "settlement", "--discount", "40", "--accept", "--db", path, "--as", "cora"])
        XCTAssertEqual(asked.status, 0, asked.errors)
        XCTAssertTrue(asked.output.contains("approval-requested"), asked.output)

        let listed = try parley(["approvals", "--db", path, "--as", "clerk", "--format", "json"])
        XCTAssertEqual(listed.status, 0, listed.errors)
        let pending = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]] ?? []
        XCTAssertEqual(pending.count, 1)
        XCTAssertEqual(pending.first?["accountId"] as? String, "A-300")
        XCTAssertEqual(pending.first?["requestedBy"] as? String, "cora")
        XCTAssertEqual((pending.first?["exceeds"] as? [String])?.count, 1)
        XCTAssertEqual(Set(pending.first?.keys.map { $0 } ?? []), ["accountId", "debtorName", "balance", "offer", "arrangement", "exceeds", "requestedBy", "requestedAt"])

        let collectorTries = try parley(["approve", "A-300", "--db", path, "--as", "cora"])
        XCTAssertNotEqual(collectorTries.status, 0)
        XCTAssertTrue(collectorTries.errors.contains("only a supervisor can approve an offer"), collectorTries.errors)

        let out = directory.appendingPathComponent("out").path
        let approved = try parley(["approve", "A-300", "--reason", "good payer", "--out", out, "--db", path, "--as", "clerk", "--format", "json"])
        XCTAssertEqual(approved.status, 0, approved.errors)
        let decision = try JSONSerialization.jsonObject(with: Data(approved.output.utf8)) as? [String: Any]
        let files = decision?["agreementFiles"] as? [String] ?? []
        XCTAssertEqual(files.count, 1)
        XCTAssertTrue(files.first?.hasSuffix("A-300-settlement-agreement.txt") ?? false, "\(files)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: files.first ?? ""))

        // The collector sees the decision on the case.
        let shown = try parley(["show", "A-300", "--db", path, "--as", "cora", "--format", "json"])
        let show = try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any]
        XCTAssertEqual((show?["case"] as? [String: Any])?["status"] as? String, "settling")
        let kinds = (show?["history"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
        XCTAssertTrue(kinds.contains("approval-granted"), "\(kinds)")
        let empty = try parley(["approvals", "--db", path, "--as", "clerk"])
        XCTAssertTrue(empty.output.contains("no offers are waiting"), empty.output)
    }

    func testRejectNeedsAReasonAndTheCollectorSeesIt() async throws {
        let store = try await importedStore()
        _ = try await store.record(.approvalRequested(.settlement(amount: Fixtures.gbp(600_000), expires: Fixtures.date("2026-12-07")), exceeds: ["discount"]), accountID: "A-300", actor: Fixtures.collector, at: Fixtures.importedAt)
        let noReason = try parley(["reject", "A-300", "--db", path, "--as", "clerk"])
        XCTAssertNotEqual(noReason.status, 0)
        let rejected = try parley(["reject", "A-300", "--reason", "ask for 20% off at most", "--db", path, "--as", "clerk"])
        XCTAssertEqual(rejected.status, 0, rejected.errors)
        let audit = try parley(["audit", "--account", "A-300", "--kind", "approval-denied", "--db", path, "--as", "cora", "--format", "json"])
        let entries = try JSONSerialization.jsonObject(with: Data(audit.output.utf8)) as? [[String: Any]] ?? []
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries.first?["actor"] as? String, "clerk")
        XCTAssertEqual(entries.first?["summary"] as? String, "offer rejected: ask for 20% off at most")
        XCTAssertEqual(Set(entries.first?.keys.map { $0 } ?? []), ["id", "accountId", "seq", "at", "actor", "role", "kind", "summary", "event"])
    }

    func testBulkReassignThroughTheBinaryAndTheReportFields() async throws {
        let store = try await importedStore()
        try await store.addOperator(name: "dan", role: .collector, by: Fixtures.clerk, at: Fixtures.importedAt)
        let moved = try parley(["reassign", "--from", "cora", "--to", "dan", "--reason", "leave", "--db", path, "--as", "clerk", "--format", "json"])
        XCTAssertEqual(moved.status, 0, moved.errors)
        let result = try JSONSerialization.jsonObject(with: Data(moved.output.utf8)) as? [String: Any]
        XCTAssertEqual(result?["accounts"] as? [String], ["A-100"])
        let record = try await store.caseRecord(accountID: "A-100")
        XCTAssertEqual(record?.assignee, "dan")

        let report = try parley(["report", "--from", "2026-11-01", "--to", "2026-11-30", "--db", path, "--as", "clerk", "--format", "json"])
        XCTAssertEqual(report.status, 0, report.errors)
        let figures = try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any]
        XCTAssertEqual(Set(figures?.keys.map { $0 } ?? []), ["from", "to", "cases", "byStage", "byStatus", "agingAtStart", "agingAtEnd", "rollRates", "promises", "recovery", "collectors"])
    }
}
