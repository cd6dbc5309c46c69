import XCTest
import ParleyCore
@testable import ParleyStore

final class ImportColumnMapTests: XCTestCase {
    static let sampleData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("SampleData").path

    func testExampleExportImportsWithTheExampleMap() throws {
        let map = try ColumnMap.load(contentsOf: Self.sampleData + "/example-map.toml")
        let batch = try PortfolioImporter(map: map).read(.directory(Self.sampleData + "/examples"))
        XCTAssertEqual(batch.accounts.map(\.id), ["C-100", "C-101", "C-102"])
        XCTAssertEqual(batch.accounts[0].debtor.name, "Müller & Söhne GmbH")
        XCTAssertEqual(batch.accounts[0].debtor.kind, .business)
        XCTAssertEqual(batch.accounts[0].currency, .eur)
        XCTAssertEqual(batch.accounts[0].assignee, "carmen")
        XCTAssertEqual(batch.accounts[2].debtor.name, "Lindenhof Hotel \"Zur Post\" KG")
        XCTAssertEqual(batch.accounts[2].debtor.contacts.first?.name, "Lindenhof Hotel \"Zur Post\" KG", "no attention line: the debtor")
        XCTAssertEqual(batch.accounts[2].debtor.contacts.first?.address, "Lindenallee 3\n80331 München")

        XCTAssertEqual(batch.invoices.map(\.id), ["RE-2026-0412", "RE-2026-0413", "RE-2026-0420", "RE-2026-0431"])
        // "1.234,56" → 1,234.56; "12.000,00" → 12,000.00; "89,90" → 89.90; "2.480" → 2,480.00.
        XCTAssertEqual(batch.invoices.map(\.amount.minorUnits), [123_456, 1_200_000, 8_990, 248_000])
        XCTAssertEqual(batch.invoices[0].issuedOn, CivilDate(iso: "2026-09-02"))
        XCTAssertEqual(batch.invoices[2].dueOn, CivilDate(iso: "2026-10-31"))
        XCTAssertEqual(batch.invoices[3].accountID, "C-102")
    }

    func testMappedErrorNamesTheFilesOwnHeader() throws {
        let map = try ColumnMap.load(contentsOf: Self.sampleData + "/example-map.toml")
        let files = ImportFiles(
            accounts: .text("Contact ID,Contact Name,Country\nC-1,Acme,DE\n", name: "contacts.csv"),
            invoices: .text("Invoice Number,Contact ID,Invoice Date,Due Date,Total\nR-1,C-1,01/09/2026,01/10/2026,\"1.23,4\"\n", name: "export.csv"))
        XCTAssertThrowsError(try PortfolioImporter(map: map).read(files)) { error in
            XCTAssertEqual("\(error)", "export.csv:2: column \"Total\" (5): \"1.23,4\": malformed amount: thousands separator \".\" in the wrong place")
        }
    }

    func testMonthDayYearAndDayMonthYearDates() throws {
        let map = try ColumnMap.parse("""
        [invoices]
        date_format = "mdy"
        [payments]
        date_format = "dmy"
        """, file: "m.toml")
        let files = ImportFixtures.files(
            invoices: "invoice_id,account_id,issued_on,due_on,amount\nI-1,A-1,10/24/2026,11/23/2026,5\n",
            payments: "payment_id,account_id,invoice_id,paid_on,amount\nP-1,A-1,I-1,23.11.2026,1\n")
        let batch = try PortfolioImporter(map: map).read(files)
        XCTAssertEqual(batch.invoices[0].issuedOn, CivilDate(iso: "2026-10-24"))
        XCTAssertEqual(batch.invoices[0].dueOn, CivilDate(iso: "2026-11-23"))
        XCTAssertEqual(batch.payments[0].paidOn, CivilDate(iso: "2026-11-23"))
    }

    func testDayMonthYearRefusesADayThatDoesNotExist() throws {
        let map = try ColumnMap.parse("date_format = \"dmy\"", file: "m.toml")
        let files = ImportFixtures.files(invoices: "invoice_id,account_id,issued_on,due_on,amount\nI-1,A-1,31/02/2026,11/03/2026,5\n",
                                         payments: "payment_id,account_id,invoice_id,paid_on,amount\n")
        XCTAssertThrowsError(try PortfolioImporter(map: map).read(files)) { error in
            XCTAssertEqual("\(error)", "invoices.csv:2: column \"issued_on\" (3): \"31/02/2026\": malformed date: expected 23/11/2026 (day/month/year)")
        }
    }

    func testCommaDecimalsWithSpaceThousands() throws {
        let map = try ColumnMap.parse("""
        [invoices]
        decimal_separator = ","
        thousands_separator = " "
        """, file: "m.toml")
        let files = ImportFixtures.files(invoices: "invoice_id,account_id,issued_on,due_on,amount\nI-1,A-1,2026-01-01,2026-01-31,12 345 678,9\n",
                                         payments: "payment_id,account_id,invoice_id,paid_on,amount\n")
        XCTAssertThrowsError(try PortfolioImporter(map: map).read(files), "unquoted comma splits the field")
        let quoted = ImportFixtures.files(invoices: "invoice_id,account_id,issued_on,due_on,amount\nI-1,A-1,2026-01-01,2026-01-31,\"12 345 678,9\"\n",
                                          payments: "payment_id,account_id,invoice_id,paid_on,amount\n")
        // 12,345,678.90 USD = 1,234,567,890 cents.
        XCTAssertEqual(try PortfolioImporter(map: map).read(quoted).invoices[0].amount.minorUnits, 1_234_567_890)
    }

    func testMapErrorsNameFileAndKey() {
        XCTAssertThrowsError(try ColumnMap.parse("[invoices]\ndate_format = \"ymd\"", file: "map.toml")) { error in
            XCTAssertEqual("\(error)", "map.toml: key \"invoices.date_format\": must be \"iso\", \"dmy\" or \"mdy\", found \"ymd\"")
        }
        XCTAssertThrowsError(try ColumnMap.parse("[invoices.columns]\ntotal = \"Total\"", file: "map.toml")) { error in
            XCTAssertEqual("\(error)", "map.toml: key \"invoices.columns.total\": invoices.csv has no column \"total\" (expected one of: invoice_id, account_id, issued_on, due_on, amount, currency, disputed)")
        }
        XCTAssertThrowsError(try ColumnMap.parse("currency = \"EURO\"", file: "map.toml")) { error in
            XCTAssertEqual("\(error)", "map.toml: key \"currency\": unknown currency \"EURO\" (expected an ISO 4217 code such as EUR, USD, GBP, JPY)")
        }
    }
}
