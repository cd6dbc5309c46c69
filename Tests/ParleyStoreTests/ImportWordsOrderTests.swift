import Foundation
import ParleyCore
@testable import ParleyStore
import Synchronization
import XCTest

/// An import into an empty store hands the debtor words over once the accounts are read, in the
/// order of `debtor_words`' key, so that SQLite writes each at the table's end.
final class ImportWordsOrderTests: XCTestCase {
    func testTheWordsComeAfterTheAccountsInTheTablesKeyOrder() throws {
        let handed = Mutex<[ImportWrite]>([])
        let storage = ImportStepStorage(latestRun: nil) { writes in handed.withLock { $0.append(contentsOf: writes) } }
        let names = ["Zeta Ölwerk", "Alpha Zeta", "Ölwerk Alpha", "Émile Zeta", "alpha beta"]
        for (n, name) in names.enumerated() {
            let debtor = Debtor(name: name, kind: .business, timeZone: nil, country: "DE")
            try storage.insert(account: Account(id: "A-\(n + 1)", debtor: debtor, currency: .eur))
        }
        storage.written(.accounts)
        let writes = handed.withLock { $0 }
        var words: [DebtorWord] = []
        for write in writes { if case .words(let chunk) = write { words.append(contentsOf: chunk) } }
        let pairs = words.map { "\($0.word) \($0.accountID)" }
        // By the word's UTF-8 bytes (as SQLite's BINARY collation compares), then the account in
        // the order read; each word as the trigger's SQL makes it (split on spaces, lowercased by
        // SQLite's `lower`, which leaves letters outside ASCII as they are).
        XCTAssertEqual(pairs, ["alpha A-2", "alpha A-3", "alpha A-5", "beta A-5", "zeta A-1", "zeta A-2", "zeta A-4",
                               "Émile A-4", "Ölwerk A-1", "Ölwerk A-3"])
        // The marker that lets the writer make the words' index comes after them.
        guard case .tablesWritten(let tables) = try XCTUnwrap(writes.last) else { return XCTFail("\(writes)") }
        XCTAssertTrue(tables.contains("debtor_words"))
    }

    func testNoWordIsHandedOverWhileTheAccountsAreRead() throws {
        let handed = Mutex<[ImportWrite]>([])
        let storage = ImportStepStorage(latestRun: nil) { writes in handed.withLock { $0.append(contentsOf: writes) } }
        let accounts = 3 * ImportStepStorage.chunkSize
        for n in 0..<accounts {
            let debtor = Debtor(name: ["Zeta Works", "Alpha Trading", "Beta Zeta"][n % 3], kind: .business, timeZone: nil, country: "DE")
            try storage.insert(account: Account(id: String(format: "A-%05d", n), debtor: debtor, currency: .eur))
        }
        func words(_ writes: [ImportWrite]) -> [DebtorWord] {
            writes.flatMap { write -> [DebtorWord] in if case .words(let chunk) = write { chunk } else { [] } }
        }
        // The accounts went over chunk by chunk; none of their words yet.
        XCTAssertGreaterThanOrEqual(handed.withLock { $0.count }, 2 * ImportStepStorage.chunkSize)
        XCTAssertTrue(words(handed.withLock { $0 }).isEmpty)

        storage.written(.accounts)
        let all = words(handed.withLock { $0 })
        XCTAssertEqual(all.count, 2 * accounts)
        // Sorted by the table's key, each word's accounts in the order read.
        XCTAssertEqual(all.map(\.word), Array(repeating: "alpha", count: accounts / 3) + Array(repeating: "beta", count: accounts / 3)
                       + Array(repeating: "trading", count: accounts / 3) + Array(repeating: "works", count: accounts / 3)
                       + Array(repeating: "zeta", count: 2 * accounts / 3))
        for (a, b) in zip(all, all.dropFirst()) where a.word == b.word {
            XCTAssertLessThan(a.accountID, b.accountID)
        }
    }
}
