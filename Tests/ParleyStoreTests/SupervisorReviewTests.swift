import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// Operators and roles as the store keeps and enforces them, approvals, reassignment and the
/// audit log, on real SQLite files here and on PostgreSQL in `PostgresSupervisorReviewTests`.
class SupervisorReviewTests: XCTestCase {
    var directory: URL!
    var opened: [any CaseStore] = []
    let at = Fixtures.importedAt
    let clerk = Fixtures.clerk
    let cora = Fixtures.collector
    let dan = Actor(name: "dan", role: .collector)

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDown() async throws {
        for store in opened { await store.close() }
        opened = []
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Backend hooks

    /// A new empty store.
    func emptyStore() async throws -> any CaseStore {
        let store = try SQLiteCaseStore(path: directory.appendingPathComponent("review.sqlite").path)
        opened.append(store)
        return store
    }

    func snapshot(_ store: any CaseStore) async throws -> [String: [String]] {
        try Fixtures.snapshot((store as! SQLiteCaseStore).path)
    }

    /// Runs `sql` as another client would; the database's error message, nil when it succeeded.
    func rawError(_ sql: String, on store: any CaseStore) async throws -> String? {
        let queue = try DatabaseQueue(path: (store as! SQLiteCaseStore).path)
        do {
            try Fixtures.execute(sql, on: queue)
            return nil
        } catch let error as DatabaseError {
            return error.message
        }
    }

    /// The fixture portfolio with clerk (supervisor), cora and dan (collectors).
    func makeStore() async throws -> any CaseStore {
        let store = try await emptyStore()
        _ = try await store.importPortfolio(Fixtures.portfolio, actor: clerk, at: at)
        try await store.addOperator(name: "clerk", role: .supervisor, by: clerk, at: at)
        try await store.addOperator(name: "cora", role: .collector, by: clerk, at: at)
        try await store.addOperator(name: "dan", role: .collector, by: clerk, at: at)
        return store
    }

    func assertThrows<T>(_ body: () async throws -> T, _ check: (Error) -> Bool, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            _ = try await body()
            XCTFail("expected an error", file: file, line: line)
        } catch {
            XCTAssertTrue(check(error), "\(error)", file: file, line: line)
        }
    }

    func refusedAsSupervisorOnly(_ error: Error) -> Bool {
        if case StoreError.refused(_, let refusal) = error { return refusal.code == .supervisorOnly }
        return false
    }

    // MARK: Operators

    func testFirstOperatorMustBeASupervisorAndOthersAreAddedBySupervisorsOnly() async throws {
        let store = try await emptyStore()
        await assertThrows({ try await store.addOperator(name: "cora", role: .collector, by: self.cora, at: self.at) }) { $0 as? OperatorError == .firstMustBeSupervisor("cora") }
        try await store.addOperator(name: "clerk", role: .supervisor, by: clerk, at: at)
        try await store.addOperator(name: "cora", role: .collector, by: clerk, at: at)
        await assertThrows({ try await store.addOperator(name: "dan", role: .collector, by: self.cora, at: self.at) }) { $0 as? OperatorError == .supervisorOnly(operator: "cora", action: "add operators") }
        await assertThrows({ try await store.addOperator(name: "cora", role: .supervisor, by: self.clerk, at: self.at) }) { $0 as? OperatorError == .alreadyExists("cora", .collector) }
        await assertThrows({ try await store.addOperator(name: "system", role: .collector, by: self.clerk, at: self.at) }) { $0 as? OperatorError == .invalidName("system") }
        await assertThrows({ try await store.addOperator(name: "two words", role: .collector, by: self.clerk, at: self.at) }) { $0 as? OperatorError == .invalidName("two words") }
        let all = try await store.operators()
        XCTAssertEqual(all.map(\.name), ["clerk", "cora"])
        XCTAssertEqual(all.map(\.role), [.supervisor, .collector])
        XCTAssertEqual(all[1].createdBy, "clerk")
        XCTAssertEqual(all[1].createdAt, at)
    }

    func testUnknownAndRetiredOperatorsAreRefusedNamingTheOperatorAndHowToAddOne() async throws {
        let store = try await makeStore()
        let resolved = try await store.resolveOperator(named: "cora")
        XCTAssertEqual(resolved, Actor(name: "cora", role: .collector))
        await assertThrows({ try await store.resolveOperator(named: "zed") }) { error in
            let text = "\(error)"
            return text.contains("\"zed\"") && text.contains("parley operators add zed")
        }
        try await store.retireOperator(name: "cora", by: clerk, at: at.addingTimeInterval(60))
        await assertThrows({ try await store.resolveOperator(named: "cora") }) { error in
            if case OperatorError.retired("cora", _, "clerk") = error { return "\(error)".contains("retired") }
            return false
        }
        // A retired operator's writes are refused by the store itself.
        await assertThrows({ try await store.record(.note("hello"), accountID: "A-100", actor: self.cora, at: self.at) }) { error in
            if case OperatorError.retired = error { return true }
            return false
        }
        // An unknown name is refused by the store too.
        await assertThrows({ try await store.record(.note("hello"), accountID: "A-100", actor: Actor(name: "zed", role: .supervisor), at: self.at) }) { $0 as? OperatorError == .unknown("zed") }
        // Brought back, with a new role.
        try await store.addOperator(name: "cora", role: .supervisor, by: clerk, at: at.addingTimeInterval(120))
        let back = try await store.resolveOperator(named: "cora")
        XCTAssertEqual(back.role, .supervisor)
    }

    func testTheLastActiveSupervisorCannotBeRetiredAndCollectorsCannotRetireAnyone() async throws {
        let store = try await makeStore()
        await assertThrows({ try await store.retireOperator(name: "dan", by: self.cora, at: self.at) }) { $0 as? OperatorError == .supervisorOnly(operator: "cora", action: "retire operators") }
        await assertThrows({ try await store.retireOperator(name: "clerk", by: self.clerk, at: self.at) }) { $0 as? OperatorError == .lastSupervisor("clerk") }
    }

    // MARK: Roles enforced by the store

    func testACollectorClaimingToBeASupervisorActsWithTheRoleTheStoreKeeps() async throws {
        let store = try await makeStore()
        let before = try await snapshot(store)
        let claiming = Actor(name: "cora", role: .supervisor)
        for event in [CaseEvent.writtenOff(reason: "x"), .hold(reason: "hardship"), .reassigned(to: "dan", reason: "x")] {
            await assertThrows({ try await store.record(event, accountID: "A-100", actor: claiming, at: self.at) }, refusedAsSupervisorOnly)
        }
        await assertThrows({ try await store.reassignAll(from: "cora", to: "dan", filter: nil, reason: "x", actor: claiming, at: self.at) }) { $0 as? OperatorError == .supervisorOnly(operator: "cora", action: "reassign cases") }
        let after = try await snapshot(store)
        XCTAssertEqual(after, before)
    }

    func testCollectorIsRefusedHoldReleaseWriteOffAndReopenThatASupervisorMayDo() async throws {
        let store = try await makeStore()
        await assertThrows({ try await store.record(.hold(reason: "hardship"), accountID: "A-300", actor: self.cora, at: self.at) }, refusedAsSupervisorOnly)
        let held = try await store.record(.hold(reason: "hardship"), accountID: "A-300", actor: clerk, at: at)
        XCTAssertEqual(held.record.status, .paused)
        await assertThrows({ try await store.record(.release, accountID: "A-300", actor: self.cora, at: self.at) }, refusedAsSupervisorOnly)
        _ = try await store.record(.release, accountID: "A-300", actor: clerk, at: at)
        await assertThrows({ try await store.record(.writtenOff(reason: "gone"), accountID: "A-300", actor: self.cora, at: self.at) }, refusedAsSupervisorOnly)
        let off = try await store.record(.writtenOff(reason: "gone"), accountID: "A-300", actor: clerk, at: at)
        XCTAssertEqual(off.record.status, .writtenOff)
        await assertThrows({ try await store.record(.reopened(reason: "found"), accountID: "A-300", actor: self.cora, at: self.at) }, refusedAsSupervisorOnly)
        let reopened = try await store.record(.reopened(reason: "found"), accountID: "A-300", actor: clerk, at: at)
        XCTAssertEqual(reopened.record.status, .open)
        // Who did it is in the log.
        let history = try await store.history(accountID: "A-300")
        XCTAssertEqual(history.suffix(4).map(\.actor), [clerk, clerk, clerk, clerk])
    }

    // MARK: Reassignment

    func testReassigningOneCaseMovesItAndNeedsAKnownOperator() async throws {
        let store = try await makeStore()
        await assertThrows({ try await store.record(.reassigned(to: "zed", reason: "x"), accountID: "A-200", actor: self.clerk, at: self.at) }) { $0 as? OperatorError == .unknown("zed") }
        let moved = try await store.record(.reassigned(to: "cora", reason: "new account"), accountID: "A-200", actor: clerk, at: at)
        XCTAssertEqual(moved.record.assignee, "cora")
    }

    func testBulkReassignmentMovesEveryMatchingCaseEachWithItsEvent() async throws {
        let store = try await makeStore()
        _ = try await store.record(.reassigned(to: "cora", reason: "new account"), accountID: "A-200", actor: clerk, at: at)
        // Filtered: only Acme (A-100) of cora's two cases.
        let some = try await store.reassignAll(from: "cora", to: "dan", filter: "acme", reason: "language", actor: clerk, at: at)
        XCTAssertEqual(some.map(\.accountID), ["A-100"])
        let all = try await store.reassignAll(from: "cora", to: "dan", filter: nil, reason: "cora on leave", actor: clerk, at: at)
        XCTAssertEqual(all.map(\.accountID), ["A-200"])
        XCTAssertEqual(all.first?.event, .reassigned(to: "dan", reason: "cora on leave"))
        XCTAssertEqual(all.first?.actor, clerk)
        let a100 = try await store.caseRecord(accountID: "A-100")
        let a200 = try await store.caseRecord(accountID: "A-200")
        XCTAssertEqual(a100?.assignee, "dan")
        XCTAssertEqual(a200?.assignee, "dan")
        let left = try await store.reassignAll(from: "cora", to: "dan", filter: nil, reason: "again", actor: clerk, at: at)
        XCTAssertEqual(left, [])
        // The projection rebuilt from the log keeps the new assignee.
        _ = try await store.rebuildProjections()
        let rebuilt = try await store.caseRecord(accountID: "A-200")
        XCTAssertEqual(rebuilt?.assignee, "dan")
    }

    func testBulkReassignmentMovesExactlyTheCasesTheFilteredQueueShows() async throws {
        let store = try await makeStore()
        for id in ["A-200", "A-300"] {
            _ = try await store.record(.reassigned(to: "cora", reason: "new account"), accountID: id, actor: clerk, at: at)
        }
        // Inside a word is not a match, in the queue or for the reassignment.
        for filter in ["ightside", "cme", "üller"] {
            let shown = try await store.queue(QueueQuery(filter: filter, includeAll: true)).entries.map(\.accountID)
            XCTAssertEqual(shown, [], filter)
            let moved = try await store.reassignAll(from: "cora", to: "dan", filter: filter, reason: "x", actor: clerk, at: at)
            XCTAssertEqual(moved, [], filter)
        }
        // The start of any word, of every word given, an account id, an invoice id.
        for (filter, expected) in [("bright", ["A-300"]), ("tools acme", ["A-100"]), ("A-2", ["A-200"]), ("INV-2", ["A-100"])] {
            let shown = try await store.queue(QueueQuery(filter: filter, includeAll: true)).entries.map(\.accountID)
            XCTAssertEqual(shown, expected, filter)
            let moved = try await store.reassignAll(from: "cora", to: "dan", filter: filter, reason: "x", actor: clerk, at: at)
            XCTAssertEqual(moved.map(\.accountID), expected, filter)
            _ = try await store.reassignAll(from: "dan", to: "cora", filter: filter, reason: "back", actor: clerk, at: at)
        }
    }

    // MARK: Approvals

    func testApprovalRoundTripFromCollectorRequestToSupervisorApprovalProducesTheAgreement() async throws {
        let store = try await makeStore()
        let offer = Arrangement.settlement(amount: Fixtures.gbp(700_000), expires: Fixtures.date("2026-12-07"))
        let asked = try await store.record(.approvalRequested(offer, exceeds: ["discount 41.67% exceeds the collector's maximum of 10%"]), accountID: "A-300", actor: cora, at: at)
        XCTAssertEqual(asked.record.status, .open)
        let pending = try await store.pendingApprovals()
        XCTAssertEqual(pending, [PendingApprovalEntry(accountID: "A-300", debtorName: "Brightside Ltd", assignee: nil, balance: Fixtures.gbp(1_200_000), arrangement: offer,
                                                      exceeds: ["discount 41.67% exceeds the collector's maximum of 10%"], requestedBy: "cora", requestedAt: at)])
        await assertThrows({ try await store.record(.approvalGranted, accountID: "A-300", actor: self.cora, at: self.at) }, refusedAsSupervisorOnly)
        let approved = try await store.record(.approvalGranted, accountID: "A-300", actor: clerk, at: at.addingTimeInterval(60))
        XCTAssertEqual(approved.record.status, .settling)
        XCTAssertEqual(approved.record.state.settlement?.amount, Fixtures.gbp(700_000))
        XCTAssertEqual(approved.events.map(\.kind), ["approval-granted", "letter-sent"])
        XCTAssertEqual(approved.events.last?.event, .letterSent(.settlementAgreement, on: Fixtures.date("2026-11-23")))
        let after = try await store.pendingApprovals()
        XCTAssertEqual(after, [])
    }

    func testRejectedOfferLeavesTheCaseOpenWithTheReasonInItsHistory() async throws {
        let store = try await makeStore()
        let offer = Arrangement.plan(installments: [Installment(due: Fixtures.date("2026-12-01"), amount: Fixtures.eur(65_000)), Installment(due: Fixtures.date("2027-01-01"), amount: Fixtures.eur(65_000))])
        _ = try await store.record(.approvalRequested(offer, exceeds: ["too long"]), accountID: "A-100", actor: cora, at: at)
        await assertThrows({ try await store.record(.approvalDenied(reason: "no"), accountID: "A-100", actor: self.cora, at: self.at) }, refusedAsSupervisorOnly)
        let rejected = try await store.record(.approvalDenied(reason: "ask for a deposit"), accountID: "A-100", actor: clerk, at: at)
        XCTAssertEqual(rejected.record.status, .open)
        XCTAssertNil(rejected.record.state.pendingApproval)
        let last = try await store.history(accountID: "A-100").last
        XCTAssertEqual(last?.event.summary, "offer rejected: ask for a deposit")
        let pending = try await store.pendingApprovals()
        XCTAssertEqual(pending, [])
    }

    // MARK: Audit

    func testAuditFiltersByAccountOperatorKindAndDatesNewestFirst() async throws {
        let store = try await makeStore()
        let day1 = try Date("2026-11-24T09:00:00Z", strategy: .iso8601)
        let day2 = try Date("2026-11-25T09:00:00Z", strategy: .iso8601)
        _ = try await store.record(.note("first"), accountID: "A-100", actor: cora, at: day1)
        _ = try await store.record(.note("second"), accountID: "A-300", actor: dan, at: day1)
        _ = try await store.record(.hold(reason: "check"), accountID: "A-100", actor: clerk, at: day2)
        _ = try await store.record(.note("third"), accountID: "A-100", actor: cora, at: day2)

        let byCora = try await store.auditLog(AuditQuery(operatorName: "cora"))
        XCTAssertEqual(byCora.map(\.event), [.note("third"), .note("first")])
        let notes = try await store.auditLog(AuditQuery(kind: "note"))
        XCTAssertEqual(notes.map(\.accountID), ["A-100", "A-300", "A-100"])
        let a100OnDay2 = try await store.auditLog(AuditQuery(accountID: "A-100", from: Fixtures.date("2026-11-25"), to: Fixtures.date("2026-11-25")))
        XCTAssertEqual(a100OnDay2.map(\.kind), ["note", "hold"])
        let day1Only = try await store.auditLog(AuditQuery(to: Fixtures.date("2026-11-24")))
        XCTAssertTrue(day1Only.allSatisfy { $0.at <= day1 })
        XCTAssertEqual(day1Only.first?.event, .note("second"))
        let one = try await store.auditLog(AuditQuery(limit: 1))
        XCTAssertEqual(one.map(\.event), [.note("third")])
        // The store's SQL and the query's own predicate agree.
        let everything = try await store.auditLog(AuditQuery(limit: 10_000))
        let query = AuditQuery(accountID: "A-100", operatorName: "cora", from: Fixtures.date("2026-11-24"))
        let filtered = try await store.auditLog(query)
        XCTAssertEqual(filtered, everything.filter(query.matches))
    }

    func testNoRoleCanAlterTheLogEvenWithDirectSQL() async throws {
        let store = try await makeStore()
        _ = try await store.record(.writtenOff(reason: "gone"), accountID: "A-300", actor: clerk, at: at)
        let before = try await snapshot(store)["events"]
        for sql in ["UPDATE events SET actor = 'someone-else' WHERE kind = 'written-off'",
                    "UPDATE events SET payload = '{}' WHERE case_id = 'A-300'",
                    "DELETE FROM events WHERE kind = 'written-off'"] {
            let error = try await rawError(sql, on: store)
            XCTAssertTrue(error?.contains("the event log is append-only") ?? false, "\(sql): \(error ?? "accepted")")
        }
        let after = try await snapshot(store)["events"]
        XCTAssertEqual(after, before)
    }
}
