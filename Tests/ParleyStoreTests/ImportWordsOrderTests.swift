import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// An import into an empty store gathers the accounts' debtor words and writes them once the
/// accounts are written, in the order of `debtor_words`' key, so that SQLite writes each at the
/// table's end (`RowInserts.writeGatheredWords`).
final class ImportWordsOrderTests: XCTestCase {
    /// The (word, account) of each row the debtor words' INSERTs wrote, in order.
    private func writtenWords(_ statements: [String]) -> [String] {
        let pair = try! NSRegularExpression(pattern: #"\('([^']*)', ?'([^']*)'\)"#)
        return statements.filter { $0.hasPrefix("INSERT OR IGNORE INTO debtor_words") }.flatMap { sql in
            pair.matches(in: sql, range: NSRange(sql.startIndex..., in: sql)).map { match in
                let ns = sql as NSString
                return ns.substring(with: match.range(at: 1)) + " " + ns.substring(with: match.range(at: 2))
            }
        }
    }

    /// The expanded SQL of each statement run on the database, in order.
    private final class Trace { var statements: [String] = [] }

    /// Runs `body` in a transaction on an in-memory database with parley's schema, its
    /// statements traced.
    private func inSchema(_ body: (Database, Trace) throws -> Void) throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue)
        let trace = Trace()
        try queue.write { db in
            db.trace(options: .statement) { event in
                if case .statement(let statement) = event { trace.statements.append(statement.expandedSQL) }
            }
            try body(db, trace)
        }
    }

    private func account(_ id: String, _ name: String) -> Account {
        Account(id: id, debtor: Debtor(name: name, kind: .business, timeZone: nil, country: "DE"), currency: .eur)
    }

    func testTheGatheredWordsAreWrittenAfterTheAccountsInTheTablesKeyOrder() throws {
        try inSchema { db, trace in
            var rows = RowInserts(db: db)
            let names = ["Zeta Ölwerk", "Alpha Zeta", "Ölwerk Alpha", "Émile Zeta", "alpha beta"]
            for (n, name) in names.enumerated() { try rows.add(account: account("A-\(n + 1)", name), gatheringWords: true) }
            // The accounts written; none of their words yet.
            try rows.flush()
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts"), 5)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM debtor_words"), 0)

            trace.statements.removeAll()
            try rows.writeGatheredWords()
            // By the word's UTF-8 bytes (as SQLite's BINARY collation compares), then the account
            // in the order added; each word as the trigger's SQL makes it (split on spaces,
            // lowercased by SQLite's `lower`, which leaves letters outside ASCII as they are).
            XCTAssertEqual(writtenWords(trace.statements), ["alpha A-2", "alpha A-3", "alpha A-5", "beta A-5", "zeta A-1", "zeta A-2", "zeta A-4",
                                                      "Émile A-4", "Ölwerk A-1", "Ölwerk A-3"])
            // What the trigger would have made for these accounts.
            let trigger = try String.fetchAll(db, sql: """
                WITH RECURSIVE split(id, word, rest) AS (
                    SELECT id, '', lower(debtor_name) || ' ' FROM accounts
                    UNION ALL
                    SELECT id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> ''
                )
                SELECT DISTINCT word || ' ' || id FROM split WHERE word <> '' ORDER BY word, id
                """)
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT word || ' ' || account_id FROM debtor_words ORDER BY word, account_id"), trigger)
            // Gathered words are written once.
            trace.statements.removeAll()
            try rows.writeGatheredWords()
            XCTAssertEqual(writtenWords(trace.statements), [])
        }
    }

    func testManyAccountsWordsComeInKeyOrderEachWordsAccountsAsAdded() throws {
        try inSchema { db, trace in
            var rows = RowInserts(db: db)
            let accounts = 3_000
            for n in 0..<accounts {
                try rows.add(account: account(String(format: "A-%05d", n), ["Zeta Works", "Alpha Trading", "Beta Zeta"][n % 3]), gatheringWords: true)
            }
            try rows.flush()
            XCTAssertTrue(writtenWords(trace.statements).isEmpty)
            try rows.writeGatheredWords()
            let written = writtenWords(trace.statements)
            XCTAssertEqual(written.count, 2 * accounts)
            XCTAssertEqual(written.map { String($0.split(separator: " ")[0]) },
                           Array(repeating: "alpha", count: accounts / 3) + Array(repeating: "beta", count: accounts / 3)
                           + Array(repeating: "trading", count: accounts / 3) + Array(repeating: "works", count: accounts / 3)
                           + Array(repeating: "zeta", count: 2 * accounts / 3))
            XCTAssertEqual(written, written.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM debtor_words"), 2 * accounts)
        }
    }
}
