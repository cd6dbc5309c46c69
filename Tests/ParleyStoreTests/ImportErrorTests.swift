import XCTest
import ParleyCore
@testable import ParleyStore

/// Each way a row can be refused, with the exact message: file, line, column (header name and
/// 1-based position), value, reason.
final class ImportErrorTests: XCTestCase {
    let accountsHeader = "account_id,debtor_name,debtor_kind,contact_name,phone,email,address,country,region,time_zone,currency,assignee\n"
    let invoicesHeader = "invoice_id,account_id,issued_on,due_on,amount,currency,disputed\n"

    func assertRefused(_ files: ImportFiles, _ kind: ImportError.Kind, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PortfolioImporter().read(files), file: file, line: line) { error in
            guard let error = error as? ImportError else { return XCTFail("not an ImportError: \(error)", file: file, line: line) }
            XCTAssertEqual(error.kind, kind, file: file, line: line)
            XCTAssertEqual(error.description, message, file: file, line: line)
        }
    }

    func invoices(_ rows: String) -> ImportFiles {
        ImportFixtures.files(invoices: invoicesHeader + rows, payments: "payment_id,account_id,invoice_id,paid_on,amount\n")
    }

    func accounts(_ rows: String) -> ImportFiles {
        ImportFiles(accounts: .text(accountsHeader + rows, name: "accounts.csv"))
    }

    func testMalformedAmountNamesColumnAndValue() {
        assertRefused(invoices("I-1,A-1,2026-09-01,2026-10-01,\"12,3x\",USD,false\n"), .malformedAmount,
                      "invoices.csv:2: column \"amount\" (5): \"12,3x\": malformed amount: unexpected character \",\"")
    }

    func testMoreDecimalsThanTheCurrencyHasIsRefused() {
        assertRefused(invoices("I-1,A-2,2026-09-01,2026-10-01,1500.5,JPY,false\n"), .malformedAmount,
                      "invoices.csv:2: column \"amount\" (5): \"1500.5\": malformed amount: JPY has no minor unit, so no decimals are allowed")
    }

    func testZeroAmountIsRefused() {
        assertRefused(invoices("I-1,A-1,2026-09-01,2026-10-01,0.00,USD,false\n"), .malformedAmount,
                      "invoices.csv:2: column \"amount\" (5): \"0.00\": the amount must be more than zero")
    }

    func testMalformedDateNamesTheExpectedFormat() {
        assertRefused(invoices("I-1,A-1,2026-09-01,2026-10-01,1,USD,false\nI-2,A-1,2026-13-01,2026-10-01,1,USD,false\n"), .malformedDate,
                      "invoices.csv:3: column \"issued_on\" (3): \"2026-13-01\": malformed date: expected 2026-11-23")
    }

    func testDueDateBeforeIssueDateIsRefused() {
        assertRefused(invoices("I-1,A-1,2026-09-01,2026-08-01,1,USD,false\n"), .malformedDate,
                      "invoices.csv:2: column \"due_on\" (4): \"2026-08-01\": the due date is before the issue date (2026-09-01)")
    }

    func testUnknownAccountReferenceIsRefused() {
        assertRefused(invoices("I-1,A-9,2026-09-01,2026-10-01,1,USD,false\n"), .unknownAccount,
                      "invoices.csv:2: column \"account_id\" (2): \"A-9\": no such account in accounts.csv or the database")
    }

    func testCurrencyMismatchWithTheAccountIsRefused() {
        assertRefused(invoices("I-1,A-1,2026-09-01,2026-10-01,1,EUR,false\n"), .currencyMismatch,
                      "invoices.csv:2: column \"currency\" (6): \"EUR\": account A-1 is in USD")
    }

    func testDuplicateIDWithinAFileNamesTheFirstLine() {
        assertRefused(invoices("I-1,A-1,2026-09-01,2026-10-01,1,USD,false\n\"I-1\",A-1,2026-09-01,2026-10-01,2,USD,false\n"), .duplicateID,
                      "invoices.csv:3: column \"invoice_id\" (1): \"I-1\": duplicate invoice_id (first on line 2)")
    }

    /// A row with a duplicate id is refused as a duplicate before anything else wrong with it
    /// (here its account), and a row refused for another reason does not count as seen.
    func testDuplicateIDIsTheRowsFirstError() {
        assertRefused(invoices("I-1,A-1,2026-09-01,2026-10-01,1,USD,false\nI-1,A-9,2026-09-01,2026-10-01,2,USD,false\n"), .duplicateID,
                      "invoices.csv:3: column \"invoice_id\" (1): \"I-1\": duplicate invoice_id (first on line 2)")
        assertRefused(invoices("I-1,A-1,2026-09-01,2026-10-01,1,USD,false\nI-2,A-1,2026-09-01,2026-10-01,2,USD,false\nI-2,A-1,2026-09-01,2026-10-01,3,USD,false\n"),
                      .duplicateID, "invoices.csv:4: column \"invoice_id\" (1): \"I-2\": duplicate invoice_id (first on line 3)")
        let payments = ImportFixtures.files(invoices: invoicesHeader + "I-1,A-1,2026-09-01,2026-10-01,1,USD,false\n",
                                            payments: "payment_id,account_id,invoice_id,paid_on,amount\nP-1,A-1,I-1,2026-09-10,0.50\nP-1,A-9,I-1,2026-09-11,0.25\n")
        assertRefused(payments, .duplicateID, "payments.csv:3: column \"payment_id\" (1): \"P-1\": duplicate payment_id (first on line 2)")
    }

    func testBadDisputedFlagIsRefused() {
        assertRefused(invoices("I-1,A-1,2026-09-01,2026-10-01,1,USD,maybe\n"), .badBoolean,
                      "invoices.csv:2: column \"disputed\" (7): \"maybe\": must be true or false (or yes/no, 1/0, empty)")
    }

    func testBadDebtorKindIsRefused() {
        assertRefused(accounts("A-1,Acme,company,,,,,US,,,USD,\n"), .badDebtorKind,
                      "accounts.csv:2: column \"debtor_kind\" (3): \"company\": must be \"business\" or \"consumer\"")
    }

    func testUnknownTimeZoneIsRefused() {
        assertRefused(accounts("A-1,Acme,business,,,,,US,,America/Gotham,USD,\n"), .unknownTimeZone,
                      "accounts.csv:2: column \"time_zone\" (10): \"America/Gotham\": unknown time zone (expected an IANA name such as America/Chicago, or empty)")
    }

    func testUnknownCurrencyIsRefused() {
        assertRefused(accounts("A-1,Acme,business,,,,,US,,,XYZ,\n"), .unknownCurrency,
                      "accounts.csv:2: column \"currency\" (11): \"XYZ\": unknown currency (expected an ISO 4217 code such as EUR, USD, GBP, JPY)")
    }

    func testEmptyRequiredValueIsRefused() {
        assertRefused(accounts("A-1,,business,,,,,US,,,USD,\n"), .missingValue,
                      "accounts.csv:2: column \"debtor_name\" (2): \"\": is empty")
    }

    func testBadCountryIsRefused() {
        assertRefused(accounts("A-1,Acme,business,,,,,USA,,,USD,\n"), .badCountry,
                      "accounts.csv:2: column \"country\" (8): \"USA\": must be a two-letter ISO 3166 country code such as US, GB, DE")
    }

    func testMissingColumnListsTheHeader() {
        let files = ImportFiles(invoices: .text("invoice_id,account_id,issued_on,due_on\n", name: "invoices.csv"))
        assertRefused(files, .missingColumn,
                      "invoices.csv:1: column \"amount\": missing from the header (the header has: invoice_id, account_id, issued_on, due_on)")
    }

    func testRowWithTooFewFieldsIsRefused() {
        assertRefused(invoices("I-1,A-1,2026-09-01\n"), .wrongFieldCount, "invoices.csv:2: the row has 3 fields, the header has 7")
    }

    func testErrorLineCountsLinesInsideQuotedFields() {
        let rows = "A-1,Acme,business,,,,\"1 Main St\nSpringfield\",US,,,USD,\nA-2,Beta,consumer,,,,,US,,Mars/Base,USD,\n"
        assertRefused(accounts(rows), .unknownTimeZone,
                      "accounts.csv:4: column \"time_zone\" (10): \"Mars/Base\": unknown time zone (expected an IANA name such as America/Chicago, or empty)")
    }

    func testPaymentForAnotherAccountsInvoiceIsRefused() {
        let files = ImportFixtures.files(payments: "payment_id,account_id,invoice_id,paid_on,amount\nP-1,A-3,I-1,2026-10-10,5\n")
        assertRefused(files, .unknownInvoice, "payments.csv:2: column \"invoice_id\" (3): \"I-1\": the invoice belongs to account A-1, not A-3")
    }

    func testPaymentForUnknownInvoiceIsRefused() {
        let files = ImportFixtures.files(payments: "payment_id,account_id,invoice_id,paid_on,amount\nP-1,A-1,I-77,2026-10-10,5\n")
        assertRefused(files, .unknownInvoice, "payments.csv:2: column \"invoice_id\" (3): \"I-77\": no such invoice in invoices.csv or the database")
    }

    func testUnknownHistoryEventIsRefused() {
        let files = ImportFixtures.files(history: "account_id,at,actor,event,amount,date,outcome,text\nA-1,2026-10-05T10:30:00-04:00,alice,visit,,,,\n")
        assertRefused(files, .badEvent,
                      "history.csv:2: column \"event\" (4): \"visit\": unknown event (expected one of: call, promise, plan, settlement, dispute, dispute-resolved, cease, attorney, letter, placed, note)")
    }

    func testCallWithUnknownOutcomeIsRefused() {
        let files = ImportFixtures.files(history: "account_id,at,actor,event,amount,date,outcome,text\nA-1,2026-10-05T10:30:00-04:00,alice,call,,,busy,\n")
        assertRefused(files, .badOutcome,
                      "history.csv:2: column \"outcome\" (7): \"busy\": must be one of: no-answer, voicemail, conversation, wrong-number, not-connected")
    }

    func testInstantWithoutOffsetIsRefused() {
        let files = ImportFixtures.files(history: "account_id,at,actor,event,amount,date,outcome,text\nA-1,2026-10-05T10:30:00,alice,cease,,,,\n")
        assertRefused(files, .malformedInstant,
                      "history.csv:2: column \"at\" (2): \"2026-10-05T10:30:00\": malformed time: expected ISO 8601 with an offset, such as 2026-10-14T15:20:00-05:00")
    }

    func testMissingFileNamesThePath() {
        assertRefused(ImportFiles(invoices: .file(path: "/nonexistent/invoices.csv")), .unreadableFile,
                      "/nonexistent/invoices.csv:0: cannot open the file: No such file or directory")
    }
}
