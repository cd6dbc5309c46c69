import Foundation
@testable import ParleyStore
import XCTest

/// The sizes an import reserves its tables of ids for, from the files' lines.
final class ImportSizesTests: TemporaryDirectoryTestCase {
    func testSizesCountEachFilesLinesAcrossReadChunks() throws {
        let invoices = directory.appendingPathComponent("invoices.csv")
        // More than one chunk of the count's reads (1 MiB), and no line break at the very end.
        var text = "invoice_id,account_id,issued_on,due_on,amount\n"
        for i in 0..<40_000 { text += "INV-\(i),A-\(i % 97),2026-01-01,2026-02-01,\(i).50\n" }
        text += "INV-last,A-1,2026-01-01,2026-02-01,1.00"
        try text.write(to: invoices, atomically: true, encoding: .utf8)
        XCTAssertGreaterThan(try Data(contentsOf: invoices).count, 1 << 20)
        let files = ImportFiles(accounts: .text("account_id,debtor_name,country\nA-1,Ann,US\nA-2,Bo,US\n", name: "accounts.csv"),
                                invoices: .file(path: invoices.path),
                                payments: .file(path: directory.appendingPathComponent("missing.csv").path))
        let sizes = files.sizes()
        XCTAssertEqual(sizes.accounts, 3)
        XCTAssertEqual(sizes.invoices, 40_001)
        XCTAssertEqual(sizes.payments, 0, "a file that cannot be read sizes nothing (the import reports it)")
    }
}
