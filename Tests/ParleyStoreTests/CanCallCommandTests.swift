import Foundation
import ParleyCore
@testable import ParleyStore
import XCTest

/// `parley can-call` and `parley record ... call` through the built binary: a consumer at 22:00
/// local time is blocked, the reason and the next allowed moment are shown, and nothing is recorded.
final class CanCallCommandTests: BinaryTestCase {
    func run(_ arguments: [String]) throws -> Finished { try parley(arguments + ["--db", path]) }

    func makeConsumer() async throws -> SQLiteCaseStore {
        let store = try SQLiteCaseStore(path: path)
        let debtor = Debtor(name: "Dana Whitfield", kind: .consumer, contacts: [Contact(name: "Dana Whitfield", phone: "+1 212 555 0142")],
                            timeZone: "America/New_York", country: "US", region: "NY")
        let due = CivilDate(iso: "2026-10-01")!
        let batch = ImportBatch(accounts: [ImportedAccount(id: "C-1", debtor: debtor, currency: .usd)],
                                invoices: [Invoice(id: "INV-C1", accountID: "C-1", issuedOn: due.adding(days: -30), dueOn: due, amount: Money(minorUnits: 45000, currency: .usd))])
        _ = try await store.importPortfolio(batch, actor: Fixtures.clerk, at: Fixtures.importedAt)
        return store
    }

    func testAConsumerAt2200LocalIsBlockedWithTheNextAllowedMoment() async throws {
        _ = try await makeConsumer()
        // 2026-11-23 22:00 in New York (EST, UTC−5) is 2026-11-24 03:00 UTC; the window opens at
        // 08:00 local the next morning, 13:00 UTC.
        let result = try run(["can-call", "C-1", "--at", "2026-11-23T22:00:00-05:00", "--format", "json"])
        XCTAssertEqual(result.status, 2, result.errors)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let verdict = try XCTUnwrap(json["verdict"] as? [String: Any])
        XCTAssertEqual(verdict["decision"] as? String, "blocked")
        XCTAssertEqual(verdict["nextAllowed"] as? String, "2026-11-24T13:00:00Z")
        XCTAssertTrue((verdict["reasons"] as? [String])?.first?.contains("22:00") ?? false, "\(verdict)")

        let allowed = try run(["can-call", "C-1", "--at", "2026-11-23T10:00:00-05:00"])
        XCTAssertEqual(allowed.status, 0, allowed.output + allowed.errors)
    }

    func testABlockedCallCannotBeRecordedAndNothingIsWritten() async throws {
        let store = try await makeConsumer()
        let before = try await store.history(accountID: "C-1").count
        let result = try run(["record", "C-1", "call", "--outcome", "conversation", "--at", "2026-11-23T22:00:00-05:00"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.errors.contains("refused"), result.errors)
        XCTAssertTrue(result.errors.contains("22:00"), result.errors)
        let after = try await store.history(accountID: "C-1").count
        XCTAssertEqual(after, before)
    }
}
