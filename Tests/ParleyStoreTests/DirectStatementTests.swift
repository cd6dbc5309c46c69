import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// `DirectStatement` binds through SQLite's C API: it must store what GRDB's arguments store.
final class DirectStatementTests: XCTestCase {
    func testBoundValuesAreStoredAsGRDBStoresThem() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (source TEXT, text TEXT, empty TEXT, missing TEXT, number INTEGER, small INTEGER, flag INTEGER)")
            for n in 0..<5 {
                let text = "Zoë \(n) \u{1F600}"
                try db.execute(sql: "INSERT INTO t VALUES ('grdb', ?, ?, ?, ?, ?, ?)", arguments: [text, "", nil as String?, Int64(n) - 3, n, n % 2 == 0])
                let row = try DirectStatement(db, sql: "INSERT INTO t VALUES ('direct', ?, ?, ?, ?, ?, ?)")
                row.bind(text, at: 1)
                row.bind("", at: 2)
                row.bind(nil as String?, at: 3)
                row.bind(Int64(n) - 3, at: 4)
                row.bind(n, at: 5)
                row.bind(n % 2 == 0, at: 6)
                try row.execute()
            }
            func rows(_ source: String) throws -> [String] {
                try Row.fetchAll(db, sql: """
                    SELECT text, typeof(text), empty, typeof(empty), typeof(missing), number, typeof(number), small, flag, typeof(flag)
                    FROM t WHERE source = ? ORDER BY rowid
                    """, arguments: [source]).map(\.description)
            }
            XCTAssertEqual(try rows("direct"), try rows("grdb"))
        }
    }

    func testAFailedStatementThrowsSQLitesErrorAndTheNextRunSucceeds() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id TEXT PRIMARY KEY NOT NULL)")
            func insert(_ id: String) throws {
                let row = try DirectStatement(db, sql: "INSERT INTO t (id) VALUES (?)")
                row.bind(id, at: 1)
                try row.execute()
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
