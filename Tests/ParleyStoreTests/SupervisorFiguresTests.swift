import Foundation
import ParleyCore
@testable import ParleyStore
import XCTest

/// The period figures on a small portfolio whose every figure is worked out by hand below.
///
/// Period 2026-10-01 … 2026-10-31 (EUR throughout). "Start" is the opening of 10-01, "end" the
/// close of 10-31.
///
/// | account | assignee | invoice | issued | due | start: days, bucket, owed | end: days, bucket, owed |
/// |---|---|---|---|---|---|---|
/// | B-1 | cora | 1,000.00 | 08-01 | 09-15 | 16, 1-30, 1,000.00 | 46, 31-60, 700.00 (paid 300.00 on 10-10) |
/// | B-2 | cora | 500.00 | 09-01 | 09-25 | 6, 1-30, 500.00 | 36, 31-60, 0 (paid 500.00 on 10-05) |
/// | B-3 | dan | 2,000.00 | 07-01 | 08-20 | 42, 31-60, 2,000.00 | 72, 61-90, 2,000.00 |
/// | B-4 | dan | 400.00 | 09-20 | 10-20 | −19, current, 400.00 | 11, 1-30, 400.00 |
/// | B-5 | — | 800.00 | 10-05 | 10-25 | not issued yet | 6, 1-30, 800.00 |
/// | B-6 | dan | 1,000.00 | 06-01 | 07-01 | 92, 91-120, 1,000.00 | written off 10-15: 0 |
///
/// Run on SQLite here and on PostgreSQL in `PostgresSupervisorFiguresTests`: the figures' SQL is
/// written once for both.
class SupervisorFiguresTests: XCTestCase {
    var directory: URL!
    var opened: [any CaseStore] = []

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDown() async throws {
        for store in opened { await store.close() }
        opened = []
        try? FileManager.default.removeItem(at: directory)
    }

    /// A new empty store (the backend hook).
    func emptyStore() async throws -> any CaseStore {
        let store = try SQLiteCaseStore(path: directory.appendingPathComponent("figures.sqlite").path)
        opened.append(store)
        return store
    }

    static let clerk = Actor(name: "clerk", role: .supervisor)
    static let cora = Actor(name: "cora", role: .collector)
    static let dan = Actor(name: "dan", role: .collector)

    static func at(_ iso: String) -> Date { try! Date(iso, strategy: .iso8601) }
    static func eur(_ minor: Int64) -> Money { Fixtures.eur(minor) }

    /// The portfolio above, with its October, in `given` or else a new store of the backend.
    func makeStore(in given: (any CaseStore)? = nil) async throws -> any CaseStore {
        let d = Fixtures.date
        func account(_ id: String, _ assignee: String?) -> ImportedAccount {
            ImportedAccount(id: id, debtor: Debtor(name: "Debtor \(id)", kind: .business, contacts: [Contact(name: "AP", phone: "+49 30 1234567")], timeZone: "Europe/Berlin", country: "DE"), currency: .eur, assignee: assignee)
        }
        func invoice(_ id: String, _ account: String, _ issued: String, _ due: String, _ minor: Int64) -> Invoice {
            Invoice(id: id, accountID: account, issuedOn: d(issued), dueOn: d(due), amount: Self.eur(minor))
        }
        let batch = ImportBatch(
            accounts: [account("B-1", "cora"), account("B-2", "cora"), account("B-3", "dan"), account("B-4", "dan"), account("B-5", nil), account("B-6", "dan")],
            invoices: [
                invoice("I-1", "B-1", "2026-08-01", "2026-09-15", 100_000),
                invoice("I-2", "B-2", "2026-09-01", "2026-09-25", 50_000),
                invoice("I-3", "B-3", "2026-07-01", "2026-08-20", 200_000),
                invoice("I-4", "B-4", "2026-09-20", "2026-10-20", 40_000),
                invoice("I-5", "B-5", "2026-10-05", "2026-10-25", 80_000),
                invoice("I-6", "B-6", "2026-06-01", "2026-07-01", 100_000),
            ],
            payments: []
        )
        let store: any CaseStore
        if let given { store = given } else { store = try await emptyStore() }
        _ = try await store.importPortfolio(batch, actor: Self.clerk, at: Self.at("2026-09-01T08:00:00Z"))
        try await store.addOperator(name: "clerk", role: .supervisor, by: Self.clerk, at: Self.at("2026-09-01T08:00:00Z"))
        try await store.addOperator(name: "cora", role: .collector, by: Self.clerk, at: Self.at("2026-09-01T08:00:00Z"))
        try await store.addOperator(name: "dan", role: .collector, by: Self.clerk, at: Self.at("2026-09-01T08:00:00Z"))

        func record(_ event: CaseEvent, _ id: String, _ actor: Actor, _ when: String) async throws {
            _ = try await store.record(event, accountID: id, actor: actor, at: Self.at(when))
        }
        // Before the period: a promise on B-2 (not counted as made in October).
        try await record(.promiseMade(amount: Self.eur(50_000), due: d("2026-10-02")), "B-2", Self.cora, "2026-09-28T10:00:00Z")
        // October.
        try await record(.rightPartyContact, "B-1", Self.cora, "2026-10-02T09:00:00Z")
        try await record(.promiseMade(amount: Self.eur(20_000), due: d("2026-10-09")), "B-3", Self.cora, "2026-10-02T10:00:00Z")
        try await record(.promiseBroken, "B-2", Self.cora, "2026-10-03T09:00:00Z")
        try await record(.promiseMade(amount: Self.eur(10_000), due: d("2026-10-15")), "B-4", Self.dan, "2026-10-03T11:00:00Z")
        try await record(.paymentReceived(amount: Self.eur(50_000), on: d("2026-10-05")), "B-2", Self.clerk, "2026-10-05T12:00:00Z")
        _ = try await store.recordCall(accountID: "B-1", outcome: .conversation, overrideReason: nil, actor: Self.cora, at: Self.at("2026-10-06T09:00:00Z"))
        try await record(.paymentReceived(amount: Self.eur(30_000), on: d("2026-10-10")), "B-1", Self.clerk, "2026-10-10T12:00:00Z")
        try await record(.promiseBroken, "B-3", Self.cora, "2026-10-12T09:00:00Z")
        try await record(.promiseKept, "B-4", Self.dan, "2026-10-15T09:00:00Z")
        try await record(.writtenOff(reason: "insolvent"), "B-6", Self.clerk, "2026-10-15T10:00:00Z")
        try await record(.promiseMade(amount: Self.eur(10_000), due: d("2026-10-28")), "B-4", Self.dan, "2026-10-20T09:00:00Z")
        try await record(.promiseKept, "B-4", Self.dan, "2026-10-28T09:00:00Z")
        // After the period: not counted.
        try await record(.promiseMade(amount: Self.eur(10_000), due: d("2026-11-10")), "B-4", Self.dan, "2026-11-01T09:00:00Z")
        return store
    }

    func amounts(_ bucket: PeriodFigures.Bucket) -> [Int64] { bucket.amounts.map(\.minorUnits) }

    func testAgingAtStartAndEndFollowDueDatesAndPaymentsOldestFirst() async throws {
        let f = try await makeStore().figures(from: Fixtures.date("2026-10-01"), to: Fixtures.date("2026-10-31"))
        XCTAssertEqual(f.agingAtStart.map(\.bucket), ["current", "1-30", "31-60", "61-90", "91-120", "120+"])
        // Start: current B-4 400; 1-30 B-1 1,000 + B-2 500; 31-60 B-3 2,000; 91-120 B-6 1,000.
        XCTAssertEqual(f.agingAtStart.map(\.invoices), [1, 2, 1, 0, 1, 0])
        XCTAssertEqual(f.agingAtStart.map(amounts), [[40_000], [150_000], [200_000], [], [100_000], []])
        // End: 1-30 B-4 400 + B-5 800; 31-60 B-1 700; 61-90 B-3 2,000; B-2 paid, B-6 written off.
        XCTAssertEqual(f.agingAtEnd.map(\.invoices), [0, 2, 1, 1, 0, 0])
        XCTAssertEqual(f.agingAtEnd.map(amounts), [[], [120_000], [70_000], [200_000], [], []])
    }

    func testRollRatesAreTheShareOfEachBucketsStartBalanceInTheNextBucketAtTheEnd() async throws {
        let f = try await makeStore().figures(from: Fixtures.date("2026-10-01"), to: Fixtures.date("2026-10-31"))
        let rates = Dictionary(uniqueKeysWithValues: f.rollRates.map { ("\($0.from)>\($0.to)", $0) })
        XCTAssertEqual(Set(rates.keys), ["current>1-30", "1-30>31-60", "31-60>61-90", "91-120>120+"])
        // current → 1-30: B-4's 400 is in 1-30 at the end: 400 / 400.
        XCTAssertEqual(rates["current>1-30"]?.rate, Decimal(1))
        // 1-30 → 31-60: of 1,500 (B-1 1,000, B-2 500), B-1's 700 is in 31-60 at the end: 700 / 1,500 = 0.46666… → 0.4667.
        XCTAssertEqual(rates["1-30>31-60"]?.startBalance, Self.eur(150_000))
        XCTAssertEqual(rates["1-30>31-60"]?.rolled, Self.eur(70_000))
        XCTAssertEqual(rates["1-30>31-60"]?.rate, Decimal(string: "0.4667"))
        // 31-60 → 61-90: B-3's 2,000 unpaid: 1.
        XCTAssertEqual(rates["31-60>61-90"]?.rate, Decimal(1))
        // 91-120 → 120+: B-6 written off in the period: 0 / 1,000.
        XCTAssertEqual(rates["91-120>120+"]?.rolled, Self.eur(0))
        XCTAssertEqual(rates["91-120>120+"]?.rate, Decimal(0))
    }

    func testPromisesKeptRateAndRecoveryRate() async throws {
        let f = try await makeStore().figures(from: Fixtures.date("2026-10-01"), to: Fixtures.date("2026-10-31"))
        // Made in October: B-3 10-02, B-4 10-03, B-4 10-20 (B-2's of 09-28 and B-4's of 11-01 are outside).
        // Kept: B-4 10-15 and 10-28; broken: B-2 10-03, B-3 10-12. Kept rate 2 / (2 + 2).
        XCTAssertEqual(f.promises, PeriodFigures.Promises(made: 3, kept: 2, broken: 2, keptRate: Decimal(string: "0.5")))
        // Collected 500 + 300 = 800 of a start balance of 400 + 1,500 + 2,000 + 1,000 = 4,900:
        // 0.163265… → 0.1633.
        XCTAssertEqual(f.recovery, [PeriodFigures.Recovery(balanceAtStart: Self.eur(490_000), collected: Self.eur(80_000), rate: Decimal(string: "0.1633"))])
    }

    func testCasesByStageAndStatusAreTheProjectionNow() async throws {
        let f = try await makeStore().figures(from: Fixtures.date("2026-10-01"), to: Fixtures.date("2026-10-31"))
        XCTAssertEqual(f.cases, 6)
        XCTAssertEqual(f.byStage, ["reminder": 6])
        // B-4 has a promise made on 11-01; B-2 paid in full; B-6 written off.
        XCTAssertEqual(f.byStatus, ["open": 3, "promised": 1, "resolved": 1, "writtenOff": 1])
    }

    func testPerCollectorFigures() async throws {
        let f = try await makeStore().figures(from: Fixtures.date("2026-10-01"), to: Fixtures.date("2026-10-31"))
        // clerk wrote off B-6 (work) and recorded payments (bookkeeping).
        // cora: B-1 (contact, conversation), B-2 (broken), B-3 (promise, broken): 3 accounts,
        // 2 right-party contacts, 1 promise; collected on her cases B-1 300 + B-2 500.
        // dan: B-4 only: 1 account, 0 contacts, 2 promises; nothing paid on B-3, B-4, B-6.
        XCTAssertEqual(f.collectors, [
            PeriodFigures.Collector(name: "clerk", role: .supervisor, accountsWorked: 1, rightPartyContacts: 0, promises: 0, collected: []),
            PeriodFigures.Collector(name: "cora", role: .collector, accountsWorked: 3, rightPartyContacts: 2, promises: 1, collected: [Self.eur(80_000)]),
            PeriodFigures.Collector(name: "dan", role: .collector, accountsWorked: 1, rightPartyContacts: 0, promises: 2, collected: []),
        ])
    }
}
