import Foundation
import ParleyCore
@testable import ParleyStore
import XCTest

/// The workbench's in-memory name index answers every filtered queue read exactly as SQL does,
/// and is never used once the database has changed under it.
final class QueueNameIndexTests: TemporaryDirectoryTestCase {
    /// The demo database twice: one store that answers through SQL only, one with the index.
    func demoStores() async throws -> (sql: SQLiteCaseStore, indexed: SQLiteCaseStore) {
        let path = directory.appendingPathComponent("demo.sqlite").path
        let today = Fixtures.date("2026-11-23")
        let opened = try await DefaultDatabase.open(DatabaseLocation(path: path, source: .dataDirectory), policy: .standard, today: today, now: Fixtures.importedAt) { _ in }
        _ = try await opened.runDaily(asOf: today, actor: .system, at: Fixtures.importedAt)
        let sql = try SQLiteCaseStore(path: path)
        let indexed = try SQLiteCaseStore(path: path)
        _ = try indexed.nameIndexNow()
        return (sql, indexed)
    }

    /// Filters of every kind the demo's names, account ids and invoice ids give.
    func filters(_ store: SQLiteCaseStore) async throws -> [String] {
        let names = try await store.allCaseRecords().map(\.debtorName)
        var filters: Set<String> = ["a", "co", "ltd", "gmbh", "A-0", "A-01", "INV-", "INV-000", "nobody", "x y", "  ltd  "]
        for name in names.prefix(60) {
            let words = name.split(separator: " ").map(String.init)
            filters.insert(name)
            filters.insert(name.lowercased())
            if let first = words.first {
                filters.insert(String(first.prefix(1)).lowercased())
                filters.insert(String(first.prefix(3)).lowercased())
            }
            if words.count > 1 { filters.insert("\(words[1].prefix(2)) \(words[0].prefix(2))".lowercased()) }
        }
        return filters.sorted()
    }

    func testEveryFilteredReadFromTheIndexEqualsSQL() async throws {
        let (sql, indexed) = try await demoStores()
        XCTAssertNotNil(indexed.nameIndex.current)
        let served = indexed.nameIndex.pagesServed
        for filter in try await filters(sql) {
            for includeAll in [false, true] {
                let full = try sql.queueNow(QueueQuery(filter: filter, limit: 1000, includeAll: includeAll))
                var queries = [
                    QueueQuery(filter: filter, limit: 0, includeAll: includeAll),
                    QueueQuery(filter: filter, limit: 5, includeAll: includeAll),
                    QueueQuery(filter: filter, offset: 3, limit: 4, includeAll: includeAll),
                    QueueQuery(filter: filter, limit: 5, includeAll: includeAll, position: .end),
                    QueueQuery(filter: filter, offset: 2, limit: 3, includeAll: includeAll, position: .end),
                ]
                for key in full.keys.prefix(6) {
                    queries.append(QueueQuery(filter: filter, limit: 3, includeAll: includeAll, position: .after(key)))
                    queries.append(QueueQuery(filter: filter, offset: 1, limit: 2, includeAll: includeAll, position: .before(key)))
                }
                for query in queries {
                    let expected = try sql.queueNow(query), found = try indexed.queueNow(query)
                    XCTAssertEqual(found.entries.map(\.accountID), expected.entries.map(\.accountID), "\(filter) \(query)")
                    XCTAssertEqual(found.total, expected.total, "\(filter) \(query)")
                    XCTAssertEqual(found.keys, expected.keys, "\(filter) \(query)")
                }
            }
        }
        // Every one of them came from the index (none fell back to SQL).
        XCTAssertGreaterThan(indexed.nameIndex.pagesServed - served, 1000)
        XCTAssertEqual(sql.nameIndex.pagesServed, 0)
    }

    func testAnIndexOlderThanTheDatabaseIsNotUsed() async throws {
        let (sql, indexed) = try await demoStores()
        let before = try XCTUnwrap(indexed.nameIndex.current)
        let top = try indexed.queueNow(QueueQuery(filter: "a", limit: 1))
        let accountID = try XCTUnwrap(top.entries.first?.accountID)
        let record = try await sql.caseRecord(accountID: accountID)
        // Paid in full, the case leaves the queue: the indexed store must not still list it.
        _ = try await sql.record(.paymentReceived(amount: try XCTUnwrap(record?.balance), on: Fixtures.date("2026-11-23")),
                                 accountID: accountID, actor: Actor(name: "alice", role: .collector), at: Fixtures.importedAt.addingTimeInterval(3600))
        let after = try indexed.queueNow(QueueQuery(filter: "a", limit: 50))
        XCTAssertFalse(after.entries.map(\.accountID).contains(accountID))
        XCTAssertEqual(after.total, try sql.queueNow(QueueQuery(filter: "a", limit: 0)).total)
        // A rebuild started by that read brings an index of the new state.
        let deadline = Date().addingTimeInterval(30)
        while indexed.nameIndex.current?.stamp == before.stamp, Date() < deadline { usleep(10_000) }
        XCTAssertNotEqual(indexed.nameIndex.current?.stamp, before.stamp)
        XCTAssertEqual(try indexed.queueNow(QueueQuery(filter: "a", limit: 50)).entries.map(\.accountID), after.entries.map(\.accountID))
    }
}
