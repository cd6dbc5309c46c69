import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import Synchronization
import XCTest

/// The store's behaviour, run against SQLite here and against PostgreSQL by
/// `PostgresCaseStoreTests`, which overrides the three backend hooks: making a store, reading
/// every table, and running raw SQL as another client would.
class CaseStoreTests: XCTestCase {
    var directory: URL!
    var opened: [any CaseStore] = []

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory()
    }

    override func tearDown() async throws {
        for store in opened { await store.close() }
        opened = []
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Backend hooks

    /// A new empty store.
    func makeStore() async throws -> any CaseStore {
        let store = try SQLiteCaseStore(path: directory.appendingPathComponent("parley.sqlite").path)
        opened.append(store)
        return store
    }

    /// Every row of every table, as text: two equal snapshots mean an unchanged database.
    func snapshot(_ store: any CaseStore) async throws -> [String: [String]] {
        try Fixtures.snapshot((store as! SQLiteCaseStore).path)
    }

    /// Runs `sql` directly on the database; returns the database's error message, nil when it
    /// succeeded.
    func rawError(_ sql: String, on store: any CaseStore) async throws -> String? {
        let queue = try DatabaseQueue(path: (store as! SQLiteCaseStore).path)
        do {
            try Fixtures.execute(sql, on: queue)
            return nil
        } catch let error as DatabaseError {
            return error.message
        }
    }

    // MARK: Behaviour

    func importedStore() async throws -> any CaseStore {
        let store = try await makeStore()
        _ = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)
        return store
    }

    func testImportRoundTripKeepsAccountsInvoicesPaymentsAndBalances() async throws {
        let store = try await makeStore()
        let summary = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)
        XCTAssertEqual(summary.accountsAdded, 3)
        XCTAssertEqual(summary.invoicesAdded, 4)
        XCTAssertEqual(summary.paymentsAdded, 1)

        let acme = try await store.account(id: "A-100")
        XCTAssertEqual(acme?.debtor.name, "Acme Tools GmbH")
        XCTAssertEqual(acme?.debtor.contacts.first?.email, "ap@acme.example")
        XCTAssertEqual(acme?.invoices.map(\.id), ["INV-1", "INV-2"])
        XCTAssertEqual(acme?.invoices.first?.paid, Fixtures.eur(20_000))
        XCTAssertEqual(acme?.payments.map(\.id), ["PAY-1"])
        // 1,000.00 + 500.00 − 200.00
        XCTAssertEqual(try acme?.balance(), Fixtures.eur(130_000))

        let record = try await store.caseRecord(accountID: "A-100")
        XCTAssertEqual(record?.balance, Fixtures.eur(130_000))
        XCTAssertEqual(record?.assignee, "cora")
        // Imported on 2026-11-23; the oldest open invoice was due 2026-08-01: 114 days.
        XCTAssertEqual(record?.daysPastDue, 114)
        XCTAssertEqual(record?.asOf, Fixtures.date("2026-11-23"))

        let zoe = try await store.caseRecord(accountID: "A-200")
        XCTAssertEqual(zoe?.status, .disputed)
        XCTAssertEqual(zoe?.balance, Fixtures.usd(30_000))
    }

    func testReimportingTheSameRecordsSkipsThemAndCountsThem() async throws {
        let store = try await importedStore()
        let before = try await snapshot(store)
        let summary = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt.addingTimeInterval(3600))
        XCTAssertEqual(summary.accountsAlreadyPresent, 3)
        XCTAssertEqual(summary.invoicesAlreadyPresent, 4)
        XCTAssertEqual(summary.paymentsAlreadyPresent, 1)
        XCTAssertEqual(summary.invoicesAdded, 0)
        XCTAssertEqual(summary.eventsRecorded, 0)
        let after = try await snapshot(store)
        XCTAssertEqual(after, before)
    }

    func testNewInvoiceForAnExistingAccountRaisesItsBalance() async throws {
        let store = try await importedStore()
        let more = ImportBatch(accounts: [], invoices: [
            Invoice(id: "INV-5", accountID: "A-100", issuedOn: Fixtures.date("2026-11-01"), dueOn: Fixtures.date("2026-12-01"), amount: Fixtures.eur(25_050)),
        ], payments: [])
        let summary = try await store.importPortfolio(more, actor: Fixtures.clerk, at: Fixtures.importedAt)
        XCTAssertEqual(summary.invoicesAdded, 1)
        // 1,300.00 + 250.50
        let balance = try await store.caseRecord(accountID: "A-100")?.balance
        XCTAssertEqual(balance, Fixtures.eur(155_050))
    }

    func testEachImportErrorLeavesTheDatabaseUnchanged() async throws {
        let store = try await importedStore()
        let before = try await snapshot(store)
        let newAccount = ImportedAccount(id: "A-400", debtor: Debtor(name: "New Co", kind: .business, timeZone: nil, country: "DE"), currency: .eur)
        let bad: [(String, ImportBatch)] = [
            ("invoice for an unknown account", ImportBatch(accounts: [newAccount], invoices: [
                Invoice(id: "INV-9", accountID: "A-400", issuedOn: Fixtures.date("2026-10-01"), dueOn: Fixtures.date("2026-11-01"), amount: Fixtures.eur(100)),
                Invoice(id: "INV-10", accountID: "A-999", issuedOn: Fixtures.date("2026-10-01"), dueOn: Fixtures.date("2026-11-01"), amount: Fixtures.eur(100)),
            ], payments: [])),
            ("payment in another currency", ImportBatch(accounts: [newAccount], invoices: [], payments: [
                Payment(id: "PAY-9", accountID: "A-100", paidOn: Fixtures.date("2026-11-02"), amount: Fixtures.usd(100)),
            ])),
            ("payment naming an unknown invoice", ImportBatch(accounts: [newAccount], invoices: [], payments: [
                Payment(id: "PAY-10", accountID: "A-100", invoiceID: "INV-77", paidOn: Fixtures.date("2026-11-02"), amount: Fixtures.eur(100)),
            ])),
            ("payment for an unknown account", ImportBatch(accounts: [newAccount], invoices: [], payments: [
                Payment(id: "PAY-11", accountID: "A-998", paidOn: Fixtures.date("2026-11-02"), amount: Fixtures.eur(100)),
            ])),
        ]
        for (what, portfolio) in bad {
            do {
                _ = try await store.importPortfolio(portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)
                XCTFail("\(what): the import should have been refused")
            } catch is StoreError {
                let after = try await snapshot(store)
                XCTAssertEqual(after, before, what)
            }
        }
    }

    func testEventLogRefusesUpdateAndDeleteInTheDatabaseItself() async throws {
        let store = try await importedStore()
        for sql in ["UPDATE events SET kind = 'note' WHERE seq = 1", "DELETE FROM events WHERE seq = 1"] {
            let message = try await rawError(sql, on: store)
            XCTAssertEqual(message, "the event log is append-only", sql)
        }
        let history = try await store.history(accountID: "A-100")
        XCTAssertEqual(history.first?.kind, "opened")
    }

    func testRefusedEventPrintsTheReasonAndWritesNothing() async throws {
        let store = try await importedStore()
        let before = try await snapshot(store)
        do {
            _ = try await store.record(.placedWithAgency(on: Fixtures.date("2026-11-23")), accountID: "A-200", actor: Fixtures.clerk, at: Fixtures.importedAt)
            XCTFail("placing a disputed case should be refused")
        } catch StoreError.refused(let id, let refusal) {
            XCTAssertEqual(id, "A-200")
            XCTAssertEqual(refusal.code, .disputed)
        }
        let after = try await snapshot(store)
        XCTAssertEqual(after, before)
    }

    func testRecordedPaymentLowersTheBalanceAndAppearsInHistory() async throws {
        let store = try await importedStore()
        let outcome = try await store.record(.paymentReceived(amount: Fixtures.eur(30_000), on: Fixtures.date("2026-11-24")), accountID: "A-100", actor: Fixtures.collector, at: Fixtures.importedAt.addingTimeInterval(86_400))
        // 1,300.00 − 300.00
        XCTAssertEqual(outcome.record.balance, Fixtures.eur(100_000))
        let history = try await store.history(accountID: "A-100")
        XCTAssertEqual(history.first?.kind, "opened")
        XCTAssertEqual(history.last?.kind, "payment-received")
        XCTAssertEqual(history.last?.actor, Fixtures.collector)
        XCTAssertEqual(history.map(\.seq), Array(1...history.count))
    }

    func testAFilteredQueueSeesAWriteMadeSinceItWasRead() async throws {
        let store = try await importedStore()
        let before = try await store.queue(QueueQuery(filter: "acme", limit: 10))
        XCTAssertEqual(before.entries.map(\.accountID), ["A-100"])
        XCTAssertEqual(before.total, 1)
        // Paid in full, the case leaves the queue: the same filter read again no longer finds it.
        _ = try await store.record(.paymentReceived(amount: Fixtures.eur(130_000), on: Fixtures.date("2026-11-23")), accountID: "A-100", actor: Fixtures.collector, at: Fixtures.importedAt)
        let after = try await store.queue(QueueQuery(filter: "acme", limit: 10))
        XCTAssertEqual(after.entries.map(\.accountID), [])
        XCTAssertEqual(after.total, 0)
        var everyCase = QueueQuery(filter: "acme", limit: 10)
        everyCase.includeAll = true
        let all = try await store.queue(everyCase)
        XCTAssertEqual(all.entries.map { $0.status }, [Status.resolved])
    }

    func testDailyRunForTheSameDateTwiceChangesNothingTheSecondTime() async throws {
        let store = try await importedStore()
        let first = try await store.runDaily(asOf: Fixtures.date("2026-11-24"), actor: .system, at: Fixtures.importedAt.addingTimeInterval(86_400))
        XCTAssertFalse(first.alreadyRun)
        XCTAssertGreaterThan(first.eventsRecorded, 0)
        let after = try await snapshot(store)
        let second = try await store.runDaily(asOf: Fixtures.date("2026-11-24"), actor: .system, at: Fixtures.importedAt.addingTimeInterval(90_000))
        XCTAssertTrue(second.alreadyRun)
        XCTAssertEqual(second.eventsRecorded, first.eventsRecorded)
        let again = try await snapshot(store)
        XCTAssertEqual(again, after)
    }

    func testDailyRunStepsOnlyTheCasesWithSomethingDueAndKeepsTheQueueInPriorityOrder() async throws {
        let directory = self.directory.appendingPathComponent("portfolio").path
        let anchor = Fixtures.date("2026-11-01")
        _ = try SampleGenerator(seed: 5, accounts: 150, anchor: anchor, history: true).write(to: directory)
        let store = try await makeStore()
        _ = try await store.importPortfolio(try PortfolioImporter().read(.directory(directory)), actor: Fixtures.clerk, at: anchor.utcMidnight)
        var at = anchor.utcMidnight
        for offset in [1, 2, 3, 4, 5, 9, 20, 45, 80] {
            at = at.addingTimeInterval(3_600)
            let day = anchor.adding(days: offset)
            let run = try await store.runDaily(asOf: day, actor: .system, at: at)
            XCTAssertEqual(run.eventsRecorded, run.eventsByKind.values.reduce(0, +), "\(day.iso)")
            if offset == 9 {
                // A day like any other: a few cases have something due, the rest only age.
                XCTAssertGreaterThan(run.casesTicked, 100, "\(day.iso)")
                XCTAssertLessThan(run.casesStepped, run.casesTicked / 2, "\(day.iso)")
            }
            // The queue is ordered by the stored priority; every case shows the priority of the
            // run's date, worked out from its state: the two agree on every page.
            var shown: [Int] = []
            var offsetInQueue = 0
            while true {
                let page = try await store.queue(QueueQuery(offset: offsetInQueue, limit: 40, includeAll: true))
                shown += page.entries.filter { !$0.status.isClosed }.map(\.priority.score)
                for entry in page.entries where !entry.status.isClosed {
                    XCTAssertEqual(entry.asOf, day, "\(entry.accountID) on \(day.iso)")
                }
                offsetInQueue += page.entries.count
                if page.entries.isEmpty || offsetInQueue >= page.total { break }
            }
            XCTAssertEqual(shown, shown.sorted(by: >), "queue order against shown priority on \(day.iso)")
        }
    }

    func testRebuildFromTheLogReproducesEveryProjectionExactly() async throws {
        let store = try await importedStore()
        var at = Fixtures.importedAt
        for day in ["2026-11-24", "2026-11-25", "2026-12-10", "2027-01-15"] {
            at = at.addingTimeInterval(86_400)
            _ = try await store.runDaily(asOf: Fixtures.date(day), actor: .system, at: at)
        }
        _ = try await store.record(.note("spoke to accounts payable"), accountID: "A-100", actor: Fixtures.collector, at: at)
        _ = try await store.record(.disputeResolved(.verified), accountID: "A-200", actor: Fixtures.clerk, at: at)
        _ = try await store.record(.paymentReceived(amount: Fixtures.gbp(100_000), on: Fixtures.date("2027-01-15")), accountID: "A-300", actor: Fixtures.collector, at: at)
        let live = try await snapshot(store)["cases"]
        let liveRecords = try await store.allCaseRecords()
        let count = try await store.rebuildProjections()
        XCTAssertEqual(count, 3)
        let rebuilt = try await snapshot(store)["cases"]
        XCTAssertEqual(rebuilt, live)
        let rebuiltRecords = try await store.allCaseRecords()
        XCTAssertEqual(rebuiltRecords, liveRecords)
    }

    func testQueueIsPagedAndFilteredByNameAccountOrInvoice() async throws {
        let store = try await importedStore()
        let all = try await store.queue(QueueQuery(limit: 10))
        XCTAssertEqual(all.total, 3)
        XCTAssertEqual(all.entries.map(\.priority.score), all.entries.map(\.priority.score).sorted(by: >))
        let second = try await store.queue(QueueQuery(offset: 1, limit: 1))
        XCTAssertEqual(second.entries.map(\.accountID), [all.entries[1].accountID])
        XCTAssertEqual(second.total, 3)

        let byName = try await store.queue(QueueQuery(filter: "MÜLLER".lowercased()))
        XCTAssertEqual(byName.entries.map(\.accountID), ["A-200"])
        let byAccount = try await store.queue(QueueQuery(filter: "A-3"))
        XCTAssertEqual(byAccount.entries.map(\.accountID), ["A-300"])
        let byInvoice = try await store.queue(QueueQuery(filter: "INV-2"))
        XCTAssertEqual(byInvoice.entries.map(\.accountID), ["A-100"])
        let none = try await store.queue(QueueQuery(filter: "nobody%"))
        XCTAssertEqual(none.total, 0)
    }

    func testQueuePagesFromAKeyOrFromTheEndAreTheSameEntriesAsByOffset() async throws {
        let store = try await importedStore()
        let first = try await store.queue(QueueQuery(limit: 10))
        let all = first.entries, keys = first.keys
        XCTAssertEqual(all.count, 3)
        func ids(_ query: QueueQuery) async throws -> [String] { try await store.queue(query).entries.map(\.accountID) }
        var result = try await ids(QueueQuery(limit: 2, position: .after(keys[0])))
        XCTAssertEqual(result, [all[1].accountID, all[2].accountID])
        result = try await ids(QueueQuery(offset: 1, limit: 5, position: .after(keys[0])))
        XCTAssertEqual(result, [all[2].accountID])
        result = try await ids(QueueQuery(limit: 1, position: .before(keys[2])))
        XCTAssertEqual(result, [all[1].accountID])
        result = try await ids(QueueQuery(limit: 5, position: .before(keys[2])))
        XCTAssertEqual(result, [all[0].accountID, all[1].accountID])
        result = try await ids(QueueQuery(offset: 1, limit: 1, position: .before(keys[2])))
        XCTAssertEqual(result, [all[0].accountID])
        result = try await ids(QueueQuery(limit: 2, position: .end))
        XCTAssertEqual(result, [all[1].accountID, all[2].accountID])
        result = try await ids(QueueQuery(offset: 1, limit: 1, position: .end))
        XCTAssertEqual(result, [all[1].accountID])
        result = try await ids(QueueQuery(filter: "ltd", limit: 5, position: .end))
        XCTAssertEqual(result, ["A-300"])
        let uncounted = try await store.queue(QueueQuery(limit: 1, countTotal: false))
        XCTAssertEqual(uncounted.total, -1)
        XCTAssertEqual(uncounted.entries.map(\.accountID), [all[0].accountID])
    }

    func testQueueCountFollowsCasesLeavingTheQueueAndARebuild() async throws {
        let store = try await importedStore()
        var total = try await store.queue(QueueQuery(limit: 0)).total
        XCTAssertEqual(total, 3)
        _ = try await store.record(.paymentReceived(amount: Fixtures.gbp(1_200_000), on: Fixtures.date("2027-01-15")), accountID: "A-300", actor: Fixtures.collector, at: Fixtures.importedAt.addingTimeInterval(3600))
        let paid = try await store.caseRecord(accountID: "A-300")
        XCTAssertEqual(paid?.inQueue, false)
        total = try await store.queue(QueueQuery(limit: 0)).total
        XCTAssertEqual(total, 2)
        var everything = try await store.queue(QueueQuery(limit: 0, includeAll: true)).total
        XCTAssertEqual(everything, 3)
        let byName = try await store.queue(QueueQuery(filter: "brightside")).total
        XCTAssertEqual(byName, 0)
        let byNameAll = try await store.queue(QueueQuery(filter: "brightside", includeAll: true)).total
        XCTAssertEqual(byNameAll, 1)
        _ = try await store.rebuildProjections()
        total = try await store.queue(QueueQuery(limit: 0)).total
        XCTAssertEqual(total, 2)
        everything = try await store.queue(QueueQuery(limit: 0, includeAll: true)).total
        XCTAssertEqual(everything, 3)
    }

    func testQueueFilterMatchesTheStartOfAnyWordOfTheDebtorName() async throws {
        let store = try await importedStore()
        func ids(_ filter: String) async throws -> [String] {
            let page = try await store.queue(QueueQuery(filter: filter))
            XCTAssertEqual(page.total, page.entries.count, filter)
            return page.entries.map(\.accountID).sorted()
        }
        var found = try await ids("brights")
        XCTAssertEqual(found, ["A-300"])
        found = try await ids("LTD")
        XCTAssertEqual(found, ["A-300"])
        found = try await ids("tools")
        XCTAssertEqual(found, ["A-100"])
        found = try await ids("acme gmb")
        XCTAssertEqual(found, ["A-100"])
        found = try await ids("acme ltd")
        XCTAssertEqual(found, [])
        found = try await ids("MÜLL")
        XCTAssertEqual(found, ["A-200"])
        found = try await ids("zoë")
        XCTAssertEqual(found, ["A-200"])
        found = try await ids("ightside")
        XCTAssertEqual(found, [], "the middle of a word does not match")
        found = try await ids("A-")
        XCTAssertEqual(found, ["A-100", "A-200", "A-300"])

        // A name changed in place is found by its new words only.
        let failed = try await rawError("UPDATE cases SET debtor_name = 'Ironbridge Holdings Ltd' WHERE account_id = 'A-100'", on: store)
        XCTAssertNil(failed)
        found = try await ids("ironb")
        XCTAssertEqual(found, ["A-100"])
        found = try await ids("acme")
        XCTAssertEqual(found, [])
        found = try await ids("ltd")
        XCTAssertEqual(found, ["A-100", "A-300"])
    }

    func testStaleWriteIsRefusedWithAMessageTheCollectorUnderstandsAndWritesNothing() async throws {
        let store = try await importedStore()
        guard let seen = try await store.caseRecord(accountID: "A-100") else { return XCTFail("no case A-100") }
        // Someone else records a note after the collector opened the case.
        _ = try await store.record(.note("called back by the debtor"), accountID: "A-100", actor: Fixtures.clerk, at: Fixtures.importedAt, expectedVersion: seen.version)
        let before = try await snapshot(store)
        do {
            _ = try await store.record(.note("my note from a stale screen"), accountID: "A-100", actor: Fixtures.collector, at: Fixtures.importedAt, expectedVersion: seen.version)
            XCTFail("a write with the old version should be refused")
        } catch let error as StoreError {
            guard case .staleCase(let id, let expected, let actual) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(id, "A-100")
            XCTAssertEqual(expected, seen.version)
            XCTAssertEqual(actual, seen.version + 1)
            XCTAssertTrue(error.description.contains("someone else updated this case while you were working on it"), error.description)
        }
        do {
            _ = try await store.recordCall(accountID: "A-100", outcome: .noAnswer, overrideReason: "test", actor: Fixtures.clerk, at: Fixtures.importedAt, expectedVersion: seen.version)
            XCTFail("a call with the old version should be refused")
        } catch StoreError.staleCase {}
        let after = try await snapshot(store)
        XCTAssertEqual(after, before)
    }

    func testConcurrentClaimersNeverGetTheSameAccount() async throws {
        let store = try await importedStore()
        // Three cases in the queue, five collectors asking at once: three get one each, two none.
        let claims = try await withThrowingTaskGroup(of: String?.self) { group in
            for n in 1...5 {
                group.addTask { try await store.claimNext(collector: "c\(n)", leaseSeconds: 600, at: Fixtures.importedAt)?.accountID }
            }
            var all: [String?] = []
            for try await claim in group { all.append(claim) }
            return all
        }
        XCTAssertEqual(claims.compactMap { $0 }.sorted(), ["A-100", "A-200", "A-300"])
        XCTAssertEqual(claims.filter { $0 == nil }.count, 2)
    }

    func testClaimTakesTheHighestPriorityFreeCaseAndLeasesExpire() async throws {
        let store = try await importedStore()
        let queue = try await store.queue(QueueQuery(limit: 10)).entries.map(\.accountID)
        let first = try await store.claimNext(collector: "cora", leaseSeconds: 60, at: Fixtures.importedAt)
        XCTAssertEqual(first?.accountID, queue[0])
        let second = try await store.claimNext(collector: "dev", leaseSeconds: 60, at: Fixtures.importedAt.addingTimeInterval(10))
        XCTAssertEqual(second?.accountID, queue[1])
        // Released by dev: free again for the next claimer.
        try await store.release(accountID: queue[1], collector: "dev")
        let third = try await store.claimNext(collector: "ann", leaseSeconds: 60, at: Fixtures.importedAt.addingTimeInterval(20))
        XCTAssertEqual(third?.accountID, queue[1])
        // Another collector's release changes nothing.
        try await store.release(accountID: queue[0], collector: "ann")
        let fourth = try await store.claimNext(collector: "bo", leaseSeconds: 60, at: Fixtures.importedAt.addingTimeInterval(30))
        XCTAssertEqual(fourth?.accountID, queue[2])
        let none = try await store.claimNext(collector: "eve", leaseSeconds: 60, at: Fixtures.importedAt.addingTimeInterval(40))
        XCTAssertNil(none)
        // cora's lease ran out 60 s after 10:00:00: at 10:01:00 her case is free again.
        let afterExpiry = try await store.claimNext(collector: "eve", leaseSeconds: 60, at: Fixtures.importedAt.addingTimeInterval(60))
        XCTAssertEqual(afterExpiry?.accountID, queue[0])
    }

    func testShortTeamBenchHasNoDoubleClaimsAndLosesNoEvents() async throws {
        let store = try await makeStore()
        try await TeamBench.loadPortfolio(into: store, accounts: 40, today: Fixtures.date("2026-11-23"), at: Fixtures.importedAt)
        let result = try await TeamBench(collectors: 4, seconds: 2).run(on: store)
        XCTAssertGreaterThan(result.claims, 0)
        XCTAssertEqual(result.doubleClaims, 0)
        XCTAssertEqual(result.lostEvents, 0)
        XCTAssertEqual(result.duplicatedEvents, 0)
        XCTAssertEqual(result.staleWrites, 0)
        XCTAssertEqual(result.eventsInLog, result.eventsAcknowledged)
    }
}

/// What only the SQLite file does: its mode, and a second writer waiting for the lock.
final class SQLiteFileTests: TemporaryDirectoryTestCase {
    var path: String { directory.appendingPathComponent("parley.sqlite").path }

    func importedStore() async throws -> SQLiteCaseStore {
        let store = try SQLiteCaseStore(path: path)
        _ = try await store.importPortfolio(Fixtures.portfolio, actor: Fixtures.clerk, at: Fixtures.importedAt)
        return store
    }

    func testDatabaseFileIsCreatedReadableOnlyByItsOwner() throws {
        _ = try SQLiteCaseStore(path: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func testAWaitForAnotherWritersLockOfASecondIsNoticedOnceAShorterOneIsNot() async throws {
        let store = try await importedStore()
        let lock = Fixtures.WriteLockHolder(path: path)
        try lock.acquire()
        defer { lock.release() }
        let notices = Mutex(0)
        let patient = try SQLiteCaseStore(path: path, busyTimeout: 1.3, lockNotice: { _ in notices.withLock { $0 += 1 } })
        let started = ContinuousClock.now
        do {
            _ = try await patient.record(.note("while locked"), accountID: "A-100", actor: Fixtures.collector, at: Fixtures.importedAt)
            XCTFail("the writer should have been refused while another holds the lock")
        } catch StoreError.locked(let notice) {
            XCTAssertEqual(notice, LockWaitNotice(path: path, limit: "1.3"))
            XCTAssertTrue(notice.failure.contains("longer than the 1.3 s this one waits"), notice.failure)
        }
        // It waited its whole timeout, and was noticed once, a second into the wait.
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(1_250))
        XCTAssertEqual(notices.withLock { $0 }, 1)

        let brief = Mutex(0)
        let impatient = try SQLiteCaseStore(path: path, busyTimeout: 0.5, lockNotice: { _ in brief.withLock { $0 += 1 } })
        do {
            _ = try await impatient.record(.note("while locked"), accountID: "A-100", actor: Fixtures.collector, at: Fixtures.importedAt)
            XCTFail("the writer should have been refused while another holds the lock")
        } catch StoreError.locked(let notice) {
            XCTAssertEqual(notice.limit, "0.5")
        }
        XCTAssertEqual(brief.withLock { $0 }, 0)
        withExtendedLifetime(store) {}
    }

    /// SQLite's own busy handler's sleeps: 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 ms, then 100 ms
    /// each, the last cut to end the wait at the timeout.
    func testLockWaitSleepsAsSQLiteDoesAndStopsAtTheTimeout() {
        var slept = 0
        var count = 0
        var sleeps: [Int] = []
        while true {
            let (prior, sleep) = LockWait.step(count: count, timeoutMilliseconds: 1_000)
            if sleep <= 0 { break }
            XCTAssertEqual(prior, slept, "try \(count)")
            sleeps.append(sleep)
            slept += sleep
            count += 1
        }
        XCTAssertEqual(Array(sleeps.prefix(13)), [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100, 100])
        XCTAssertEqual(slept, 1_000)
        XCTAssertEqual(sleeps.last, 72)
        XCTAssertEqual(LockWait.step(count: 0, timeoutMilliseconds: 0).sleep, 0)
    }

    func testSecondWriterWaitsThenFailsCleanlyWhileTheFirstHoldsTheLock() async throws {
        let store = try await importedStore()
        let before = try Fixtures.snapshot(path)
        let lock = Fixtures.WriteLockHolder(path: path)
        try lock.acquire()
        let impatient = try SQLiteCaseStore(path: path, busyTimeout: 0.2)
        do {
            _ = try await impatient.record(.note("while locked"), accountID: "A-100", actor: Fixtures.collector, at: Fixtures.importedAt)
            XCTFail("the second writer should have been refused while the first holds the lock")
        } catch let error as StoreError {
            guard case .locked(let notice) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(notice, LockWaitNotice(path: path, limit: "0.2"))
            XCTAssertTrue(error.description.hasPrefix("\(path): database is locked: another process"), error.description)
            XCTAssertTrue(error.description.contains("longer than the 0.2 s this one waits"), error.description)
        }
        lock.release()
        XCTAssertEqual(try Fixtures.snapshot(path), before)
        _ = try await store.record(.note("after the lock"), accountID: "A-100", actor: Fixtures.collector, at: Fixtures.importedAt)
        let history = try await store.history(accountID: "A-100")
        XCTAssertEqual(history.last?.event, .note("after the lock"))
    }
}
