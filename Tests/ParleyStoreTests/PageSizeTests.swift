import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// A database the store creates has 16 KiB pages; one made with SQLite's default 4 KiB pages
/// (every database before this change) keeps them and works as before. The conversion
/// Docs/store.md gives is the one this test makes its 4 KiB copy with.
final class PageSizeTests: TemporaryDirectoryTestCase {
    let today = Fixtures.date("2026-11-23")

    func pageSize(_ path: String) throws -> Int? {
        try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") }
    }

    func testANewDatabaseHasSixteenKiBPagesAndAnOldOneKeepsItsOwn() async throws {
        let fresh = directory.appendingPathComponent("fresh.sqlite").path
        _ = try await DefaultDatabase.open(DatabaseLocation(path: fresh, source: .dataDirectory), policy: .standard, today: today,
                                           now: Fixtures.importedAt, firstSupervisor: "sam") { _ in }
        XCTAssertEqual(try pageSize(fresh), SQLiteCaseStore.pageSize)
        XCTAssertEqual(SQLiteCaseStore.pageSize, 16_384)

        // The same database with 4 KiB pages, as the builds before made it.
        let old = directory.appendingPathComponent("old.sqlite").path
        try FileManager.default.copyItem(atPath: fresh, toPath: old)
        try await DatabaseQueue(path: old).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM; PRAGMA journal_mode = WAL")
        }
        XCTAssertEqual(try pageSize(old), 4_096)
        XCTAssertEqual(try Fixtures.snapshot(old), try Fixtures.snapshot(fresh))

        // Opened by the store, it keeps its pages, and the runs give what they give on the new one.
        let oldStore = try SQLiteCaseStore(path: old)
        let freshStore = try SQLiteCaseStore(path: fresh)
        for day in 0..<3 {
            let at = Fixtures.importedAt.addingTimeInterval(Double(day + 1) * 86_400)
            let a = try await oldStore.runDaily(asOf: today.adding(days: day), actor: .system, at: at)
            let b = try await freshStore.runDaily(asOf: today.adding(days: day), actor: .system, at: at)
            XCTAssertEqual(a, b, "day \(day)")
            if day == 0 { XCTAssertGreaterThan(a.eventsRecorded, 0) }
        }
        XCTAssertEqual(try pageSize(old), 4_096)
        XCTAssertEqual(try pageSize(fresh), 16_384)
        XCTAssertEqual(try Fixtures.snapshot(old), try Fixtures.snapshot(fresh))
        let integrity = try await DatabaseQueue(path: old).read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(integrity, ["ok"])
    }
}
