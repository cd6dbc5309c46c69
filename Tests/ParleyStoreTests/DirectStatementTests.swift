import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// `DirectStatement` binds through SQLite's C API: it must store what GRDB's arguments store.
final class DirectStatementTests: XCTestCase {
    func testBoundValuesAreStoredAsGRDBStoresThem() throws {
        let queue = try DatabaseQueue()
        let days = [CivilDate(iso: "2026-11-24")!, CivilDate(iso: "1970-01-01")!, CivilDate(iso: "0001-02-03")!,
                    CivilDate(iso: "2024-02-29")!, CivilDate(iso: "9999-12-31")!, CivilDate(year: 12345, month: 6, day: 7)!,
                    CivilDate(daysSinceEpoch: -1_000_000)]
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (source TEXT, day TEXT, text TEXT, missing TEXT, number INTEGER, flag INTEGER)")
            for (n, day) in days.enumerated() {
                let text = "Zoë \(n) \u{1F600}"
                try db.execute(sql: "INSERT INTO t VALUES ('grdb', ?, ?, ?, ?, ?)", arguments: [day.iso, text, nil as String?, Int64(n) - 3, n % 2 == 0])
                var row = try DirectStatement(db, sql: "INSERT INTO t VALUES ('direct', ?, ?, ?, ?, ?)")
                row.bind(day)
                row.bind(text)
                row.bind(nil as String?)
                row.bind(Int64(n) - 3)
                row.bind(n % 2 == 0)
                try row.run()
            }
            func rows(_ source: String) throws -> [String] {
                try Row.fetchAll(db, sql: "SELECT day, typeof(day), text, typeof(missing), number, typeof(number), flag, typeof(flag) FROM t WHERE source = ? ORDER BY rowid", arguments: [source]).map(\.description)
            }
            XCTAssertEqual(try rows("direct"), try rows("grdb"))
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT day FROM t WHERE source = 'direct' ORDER BY rowid"), days.map(\.iso))
        }
    }

    func testAFailedStatementThrowsSQLitesErrorAndCanRunAgain() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id TEXT PRIMARY KEY NOT NULL)")
            func insert(_ id: String) throws {
                var row = try DirectStatement(db, sql: "INSERT INTO t (id) VALUES (?)")
                row.bind(id)
                try row.run()
            }
            try insert("a")
            XCTAssertThrowsError(try insert("a")) { error in
                let error = error as? DatabaseError
                XCTAssertEqual(error?.resultCode, .SQLITE_CONSTRAINT)
                XCTAssertTrue(error?.message?.contains("UNIQUE") ?? false, "\(String(describing: error))")
            }
            try insert("b")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t"), 2)
        }
    }
}
