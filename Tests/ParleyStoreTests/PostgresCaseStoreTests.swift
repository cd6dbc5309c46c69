import Foundation
import ParleyCore
@testable import ParleyStore
import XCTest

/// The whole `CaseStoreTests` suite on PostgreSQL: each test gets a fresh database in the
/// cluster the tests start (see `TestPostgres`); without the server binaries it is skipped and
/// says why.
final class PostgresCaseStoreTests: CaseStoreTests {
    override func makeStore() async throws -> any CaseStore {
        let store = try await PostgresTestStores.fresh()
        opened.append(store)
        return store
    }

    override func snapshot(_ store: any CaseStore) async throws -> [String: [String]] {
        try await PostgresTestStores.snapshot(store)
    }

    override func rawError(_ sql: String, on store: any CaseStore) async throws -> String? {
        try await PostgresTestStores.rawError(sql, on: store)
    }

    func testMigrationsAreRecordedAndRunOnce() async throws {
        let store = try await makeStore() as! PostgresCaseStore
        let again = try await PostgresCaseStore.open(store.url)
        opened.append(again)
        let applied = try await again.appliedMigrations()
        XCTAssertEqual(applied, ["v1-portfolio-events-cases", "v2-leases", "v3-operators", "v4-run-due-cases", "v5-no-derived-texts", "v6-invoice-paid-from-payments"])
    }

    /// An import sends its writes a few thousand at a time (here fifty), inside its one
    /// transaction: the same rows as sending them all at the end.
    func testImportSentInPartsWritesWhatOneSendingWrites() async throws {
        let batch = try PortfolioImporter().read(.directory(SampleDemoTests.sampleData))
        let parts = try PostgresCaseStore(url: try await TestPostgres.freshDatabase(), policy: .standard, maxConnections: 4, importFlush: 50)
        opened.append(parts)
        try await parts.migrate()
        let whole = try await makeStore()
        let a = try await parts.importPortfolio(batch, actor: Fixtures.clerk, at: Fixtures.importedAt)
        let b = try await whole.importPortfolio(batch, actor: Fixtures.clerk, at: Fixtures.importedAt)
        XCTAssertEqual(a, b)
        XCTAssertGreaterThan(a.eventsRecorded, 50 * 20)
        let x = try await snapshot(parts), y = try await snapshot(whole)
        XCTAssertEqual(x, y)
        XCTAssertGreaterThan(x["events"]?.count ?? 0, 1_000)
    }

    func testPostgresURLNamesUserHostPortAndDatabase() throws {
        let url = try PostgresURL(parsing: "postgres://cora:s3cret@db.example:6543/collections")
        XCTAssertEqual(url, PostgresURL(host: "db.example", port: 6543, user: "cora", password: "s3cret", database: "collections"))
        XCTAssertEqual(url.description, "postgres://cora@db.example:6543/collections")
        XCTAssertEqual(try PostgresURL(parsing: "postgresql://team@10.0.0.5/parley").port, 5432)
        XCTAssertThrowsError(try PostgresURL(parsing: "postgres:///parley"))
        XCTAssertTrue(DatabaseLocation.resolve(option: nil, environment: ["PARLEY_DB": "postgres://team@db/parley", "HOME": "/home/cora"]).isPostgres)
        XCTAssertEqual(DatabaseLocation.resolve(option: "postgres://team@db/parley", environment: [:]).path, "postgres://team@db/parley")
    }
}
