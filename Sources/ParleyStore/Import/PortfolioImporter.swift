import Foundation
import ParleyCore

/// Where one CSV file comes from.
public enum CSVSource: Sendable {
    /// A file on disk; `name` (default: the path) is what errors call it.
    case file(path: String, name: String? = nil)
    /// CSV text in memory (tests).
    case text(String, name: String)

    func reader() throws(ImportError) -> CSVReader {
        switch self {
        case .file(let path, let name): return try CSVReader(path: path, name: name)
        case .text(let text, let name): return CSVReader(text: text, name: name)
        }
    }
}

extension CSVSource {
    /// The lines of the source (0 when it cannot be read: an estimate only, and reading it
    /// for the import reports the error). A line is a record but for the header and quoted
    /// fields that hold a line break, so it is a little over the records' count.
    func lineCount() -> Int {
        switch self {
        case .text(let text, _):
            return text.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        case .file(let path, _):
            guard let fp = fopen(path, "rb") else { return 0 }
            defer { fclose(fp) }
            // The line breaks found by `memchr`: the bench's three files (110 MB) in 0.04 s, a
            // loop over the bytes 0.065 s.
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var lines = 0
            while true {
                let read = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, fp) }
                if read == 0 { break }
                buffer.withUnsafeBytes { bytes in
                    guard var next = bytes.baseAddress else { return }
                    let end = next + read
                    while let found = memchr(next, 0x0A, end - next) {
                        lines += 1
                        next = UnsafeRawPointer(found) + 1
                    }
                }
            }
            return lines
        }
    }
}

/// How many records each file of an import holds, about (`CSVSource.lineCount`): the import
/// sizes its tables of ids by it before they grow. At 200,000 accounts and a million invoices
/// the tables that grew as the records came (rehashing every id at each doubling) took 1.4 s
/// of the import's reading thread, which bounds the import (`perf record`).
struct ImportSizes: Sendable {
    var accounts = 0
    var invoices = 0
    var payments = 0
}

/// The files of one import; any of them may be absent.
public struct ImportFiles: Sendable {
    public var accounts: CSVSource?
    public var invoices: CSVSource?
    public var payments: CSVSource?
    public var history: CSVSource?

    public init(accounts: CSVSource? = nil, invoices: CSVSource? = nil, payments: CSVSource? = nil, history: CSVSource? = nil) {
        self.accounts = accounts
        self.invoices = invoices
        self.payments = payments
        self.history = history
    }

    /// The records each file holds, about (the history's are not kept by id, so not counted).
    func sizes() -> ImportSizes {
        ImportSizes(accounts: accounts?.lineCount() ?? 0, invoices: invoices?.lineCount() ?? 0, payments: payments?.lineCount() ?? 0)
    }

    /// accounts.csv, invoices.csv, payments.csv and history.csv of a directory, those that exist
    /// (errors name them by file name).
    public static func directory(_ path: String) -> ImportFiles {
        func source(_ kind: ImportFileKind) -> CSVSource? {
            let full = (path as NSString).appendingPathComponent(kind.fileName)
            return FileManager.default.fileExists(atPath: full) ? .file(path: full, name: kind.fileName) : nil
        }
        return ImportFiles(accounts: source(.accounts), invoices: source(.invoices), payments: source(.payments), history: source(.history))
    }
}

/// What the database already holds, so that a file of invoices can refer to accounts imported
/// earlier. The default knows nothing.
public struct KnownRecords {
    /// The currency of an account already in the store, nil when there is no such account.
    public var accountCurrency: (String) -> Currency?
    /// The account an invoice already in the store belongs to, nil when there is no such invoice.
    public var invoiceAccount: (String) -> String?

    public init(accountCurrency: @escaping (String) -> Currency? = { _ in nil },
                invoiceAccount: @escaping (String) -> String? = { _ in nil }) {
        self.accountCurrency = accountCurrency
        self.invoiceAccount = invoiceAccount
    }

    public static var none: KnownRecords { KnownRecords() }
}

/// One validated record, in the order the files are read: accounts, invoices, payments, history.
public enum ImportRecord: Sendable {
    case account(ImportedAccount)
    case invoice(Invoice)
    case payment(Payment)
    case history(HistoryEntry)

    /// The file it was read from.
    var file: ImportFileKind {
        switch self {
        case .account: .accounts
        case .invoice: .invoices
        case .payment: .payments
        case .history: .history
        }
    }
}

/// Reads accounts, invoices, payments and history CSV into validated ParleyCore values.
/// All or nothing: `read` returns the whole batch or throws the first error, naming file, line,
/// column and value.
public struct PortfolioImporter {
    public var map: ColumnMap

    public init(map: ColumnMap = ColumnMap()) { self.map = map }

    /// Reads and validates every file and returns the whole batch.
    public func read(_ files: ImportFiles, known: KnownRecords = .none) throws(ImportError) -> ImportBatch {
        var batch = ImportBatch()
        do {
            try stream(files, known: known) { record in
                switch record {
                case .account(let a): batch.accounts.append(a)
                case .invoice(let i): batch.invoices.append(i)
                case .payment(let p): batch.payments.append(p)
                case .history(let h): batch.history.append(h)
                }
            }
        } catch let error as ImportError {
            throw error
        } catch {
            preconditionFailure("the collecting sink cannot fail: \(error)")
        }
        return batch
    }

    /// Reads and validates row by row, handing each record to `sink` as soon as it is valid, so
    /// a large import never holds the whole file. Throws the first `ImportError`, or whatever
    /// `sink` throws; the caller makes that all or nothing (one transaction, rolled back on error).
    public func stream(_ files: ImportFiles, known: KnownRecords = .none, into sink: (ImportRecord) throws -> Void) throws {
        try stream(files, known: known, sizes: files.sizes(), into: sink)
    }

    /// `stream`, its tables of ids sized for `sizes`.
    func stream(_ files: ImportFiles, known: KnownRecords, sizes: ImportSizes, into sink: (ImportRecord) throws -> Void) throws {
        var state = ImportState(known: known, sizes: sizes)
        if let source = files.accounts {
            var file = try FileReader(source.reader(), kind: .accounts, format: map[.accounts])
            while try file.next() { try sink(.account(try file.account(&state))) }
        }
        if let source = files.invoices {
            var file = try FileReader(source.reader(), kind: .invoices, format: map[.invoices])
            while try file.next() { try sink(.invoice(try file.invoice(&state))) }
        }
        if let source = files.payments {
            var file = try FileReader(source.reader(), kind: .payments, format: map[.payments])
            while try file.next() { try sink(.payment(try file.payment(&state))) }
        }
        if let source = files.history {
            var file = try FileReader(source.reader(), kind: .history, format: map[.history])
            while try file.next() { try sink(.history(try file.historyEntry(&state))) }
        }
    }
}

/// What the files read so far established: ids seen and where.
struct ImportState {
    var known: KnownRecords
    var accountCurrency: [String: Currency] = [:]
    var accountLine: [String: Int] = [:]
    /// Invoice id → its account and the line it was read on.
    var invoices: [String: (account: String, line: Int)] = [:]
    var paymentLine: [String: Int] = [:]
    var validZones: Set<String> = []
    var currencies: [String: Currency] = [:]
    /// The account a row named last, and its currency.
    var lastAccount: (id: String, currency: Currency)?

    init(known: KnownRecords, sizes: ImportSizes = ImportSizes()) {
        self.known = known
        accountCurrency.reserveCapacity(sizes.accounts)
        accountLine.reserveCapacity(sizes.accounts)
        invoices.reserveCapacity(sizes.invoices)
        paymentLine.reserveCapacity(sizes.payments)
    }

    func currency(ofAccount id: String) -> Currency? { accountCurrency[id] ?? known.accountCurrency(id) }
    func account(ofInvoice id: String) -> String? { invoices[id]?.account ?? known.invoiceAccount(id) }
}

/// One CSV file being read: its header resolved to canonical columns.
struct FileReader {
    var csv: CSVReader
    let kind: ImportFileKind
    let format: FileFormat
    /// Field index in the file of each canonical column, by `Column.ordinal`.
    var positions: [Int?] = Array(repeating: nil, count: Column.allCases.count)
    var headers: [String] = []
    let decimalByte: UInt8

    static func required(_ kind: ImportFileKind, _ format: FileFormat) -> [Column] {
        switch kind {
        case .accounts:
            var columns: [Column] = [.accountId, .debtorName, .country]
            if format.defaultDebtorKind == nil { columns.append(.debtorKind) }
            if format.defaultCurrency == nil { columns.append(.currency) }
            return columns
        case .invoices: return [.invoiceId, .accountId, .issuedOn, .dueOn, .amount]
        case .payments: return [.paymentId, .accountId, .paidOn, .amount]
        case .history: return [.accountId, .at, .event]
        }
    }

    init(_ csv: CSVReader, kind: ImportFileKind, format: FileFormat) throws(ImportError) {
        self.csv = csv
        self.kind = kind
        self.format = format
        self.decimalByte = format.amountFormat.decimalSeparator.asciiValue ?? 0x2E
        guard try self.csv.nextRow() else {
            throw ImportError(.missingColumn, file: csv.file, line: 1, reason: "the file is empty (expected a header row: \(kind.canonicalColumns.joined(separator: ",")))")
        }
        headers = self.csv.strings().map { $0.trimmingCharacters(in: .whitespaces) }
        var position: [String: Int] = [:]
        for (i, h) in headers.enumerated() where position[h] == nil { position[h] = i }
        for name in kind.canonicalColumns {
            if let i = position[format.header(for: name)], let column = Column(rawValue: name) { positions[column.ordinal] = i }
        }
        for column in FileReader.required(kind, format) where positions[column.ordinal] == nil {
            let header = format.header(for: column.rawValue)
            throw ImportError(.missingColumn, file: csv.file, line: self.csv.line, column: header,
                              reason: "missing from the header (the header has: \(headers.joined(separator: ", ")))")
        }
    }

    mutating func next() throws(ImportError) -> Bool {
        guard try csv.nextRow() else { return false }
        if csv.fieldCount != headers.count {
            throw ImportError(.wrongFieldCount, file: csv.file, line: csv.line,
                              reason: "the row has \(csv.fieldCount) fields, the header has \(headers.count)")
        }
        return true
    }

    var line: Int { csv.line }

    @inline(__always) func index(_ column: Column) -> Int? { positions[column.ordinal] }

    func fail(_ kind: ImportError.Kind, _ column: Column, _ reason: String) -> ImportError {
        guard let i = index(column) else {
            return ImportError(kind, file: csv.file, line: csv.line, column: format.header(for: column.rawValue), reason: reason)
        }
        return ImportError(kind, file: csv.file, line: csv.line, column: headers[i], columnNumber: i + 1,
                           value: csv.lossyString(i), reason: reason)
    }

    /// The trimmed text of a column, nil when the column is absent or the field empty.
    func text(_ column: Column) throws(ImportError) -> String? {
        guard let i = index(column) else { return nil }
        let value = csv.withField(i) { raw -> String?? in
            let b = FieldParsing.trimmed(raw)
            if b.isEmpty { return .some(nil) }
            return FieldParsing.text(b).map { .some($0) }
        }
        guard let value else { throw fail(.invalidUTF8, column, "is not valid UTF-8 text") }
        return value
    }

    func requiredText(_ column: Column) throws(ImportError) -> String {
        guard let value = try text(column) else { throw fail(.missingValue, column, "is empty") }
        return value
    }

    func date(_ column: Column) throws(ImportError) -> CivilDate {
        guard let i = index(column) else { throw fail(.missingValue, column, "is empty") }
        let parsed = csv.withField(i) { FieldParsing.date($0, format: format.dateFormat) }
        if let parsed { return parsed }
        if try text(column) == nil { throw fail(.missingValue, column, "is empty") }
        throw fail(.malformedDate, column, "malformed date: expected \(format.dateFormat.example)")
    }

    func amount(_ column: Column, in currency: Currency) throws(ImportError) -> Money {
        guard let i = index(column) else { throw fail(.missingValue, column, "is empty") }
        let decimals = currency.decimals
        let dec = decimalByte
        let minor = csv.withField(i) { FieldParsing.fastAmount($0, decimalSeparator: dec, decimals: decimals) }
        let money: Money
        if let minor {
            money = Money(minorUnits: minor, currency: currency)
        } else {
            let raw = try requiredText(column)
            do {
                money = try Money.parse(raw, currency: currency, format: format.amountFormat)
            } catch {
                switch error {
                case .malformedAmount(_, let reason): throw fail(.malformedAmount, column, "malformed amount: \(reason)")
                default: throw fail(.malformedAmount, column, "malformed amount: \(error.description)")
                }
            }
        }
        guard money.minorUnits > 0 else { throw fail(.malformedAmount, column, "the amount must be more than zero") }
        return money
    }

    func currency(_ column: Column, _ state: inout ImportState) throws(ImportError) -> Currency? {
        guard let code = try text(column) else { return nil }
        if let c = state.currencies[code] { return c }
        do {
            let c = try Currency(code: code)
            state.currencies[code] = c
            return c
        } catch {
            throw fail(.unknownCurrency, column, "unknown currency (expected an ISO 4217 code such as EUR, USD, GBP, JPY)")
        }
    }

    /// The row's account and its currency. The rows of an account usually come together: the
    /// account found last is asked first (a million invoices had each hashed its account's id).
    func accountReference(_ state: inout ImportState) throws(ImportError) -> (String, Currency) {
        let id = try requiredText(.accountId)
        if let last = state.lastAccount, last.id == id { return (id, last.currency) }
        guard let currency = state.currency(ofAccount: id) else {
            throw fail(.unknownAccount, .accountId, "no such account in accounts.csv or the database")
        }
        state.lastAccount = (id, currency)
        return (id, currency)
    }

    /// Notes the line of `id` in `seen`, or throws when it was seen before. One lookup of the
    /// table (`updateValue`), not two (a read, then a write): at a million invoices the two were
    /// a tenth of the reading thread's samples while it read the files (`perf record`). A
    /// duplicate replaces the first line in the table, which the error ends.
    func checkDuplicate(_ id: String, _ column: Column, _ seen: inout [String: Int]) throws(ImportError) {
        if let first = seen.updateValue(line, forKey: id) {
            throw fail(.duplicateID, column, "duplicate \(column.rawValue) (first on line \(first))")
        }
    }

    mutating func account(_ state: inout ImportState) throws(ImportError) -> ImportedAccount {
        let id = try requiredText(.accountId)
        try checkDuplicate(id, .accountId, &state.accountLine)
        let name = try requiredText(.debtorName)
        let kind: DebtorKind
        if let word = try text(.debtorKind) {
            guard let k = DebtorKind(rawValue: word.lowercased()) else {
                throw fail(.badDebtorKind, .debtorKind, "must be \"business\" or \"consumer\"")
            }
            kind = k
        } else if let k = format.defaultDebtorKind {
            kind = k
        } else {
            throw fail(.missingValue, .debtorKind, "is empty (expected \"business\" or \"consumer\")")
        }
        let country = try requiredText(.country).uppercased()
        guard country.utf8.count == 2, country.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw fail(.badCountry, .country, "must be a two-letter ISO 3166 country code such as US, GB, DE")
        }
        var zone: String?
        if let z = try text(.timeZone) {
            if !state.validZones.contains(z) {
                guard TimeZone(identifier: z) != nil else {
                    throw fail(.unknownTimeZone, .timeZone, "unknown time zone (expected an IANA name such as America/Chicago, or empty)")
                }
                state.validZones.insert(z)
            }
            zone = z
        }
        guard let currency = try currency(.currency, &state) ?? format.defaultCurrency else {
            throw fail(.missingValue, .currency, "is empty")
        }
        let contactName = try text(.contactName)
        let phone = try text(.phone), email = try text(.email), address = try text(.address)
        var contacts: [Contact] = []
        if contactName != nil || phone != nil || email != nil || address != nil {
            contacts.append(Contact(name: contactName ?? name, phone: phone, email: email, address: address))
        }
        let debtor = Debtor(name: name, kind: kind, contacts: contacts, timeZone: zone, country: country, region: try text(.region))
        state.accountCurrency[id] = currency
        return ImportedAccount(id: id, debtor: debtor, currency: currency, assignee: try text(.assignee))
    }

    mutating func invoice(_ state: inout ImportState) throws(ImportError) -> Invoice {
        let id = try requiredText(.invoiceId)
        let reference: (String, Currency)
        do {
            reference = try accountReference(&state)
        } catch {
            // The duplicate is the row's first error.
            if let first = state.invoices[id] { throw fail(.duplicateID, .invoiceId, "duplicate invoice_id (first on line \(first.line))") }
            throw error
        }
        let (accountID, accountCurrency) = reference
        // Noted now, by the one lookup that finds a duplicate (as `checkDuplicate`): a later error
        // in the row ends the import.
        if let first = state.invoices.updateValue((accountID, line), forKey: id) {
            throw fail(.duplicateID, .invoiceId, "duplicate invoice_id (first on line \(first.line))")
        }
        let issued = try date(.issuedOn)
        let due = try date(.dueOn)
        if due < issued { throw fail(.malformedDate, .dueOn, "the due date is before the issue date (\(issued.iso))") }
        let sameAsAccount = index(.currency).map { i in
            csv.withField(i) { FieldParsing.trimmed($0).elementsEqual(accountCurrency.code.utf8) }
        } ?? true
        if !sameAsAccount, let stated = try currency(.currency, &state), stated != accountCurrency {
            throw fail(.currencyMismatch, .currency, "account \(accountID) is in \(accountCurrency.code)")
        }
        let amount = try amount(.amount, in: accountCurrency)
        var disputed = false
        if let i = index(.disputed) {
            guard let flag = csv.withField(i, FieldParsing.boolean) else {
                throw fail(.badBoolean, .disputed, "must be true or false (or yes/no, 1/0, empty)")
            }
            disputed = flag
        }
        return Invoice(id: id, accountID: accountID, issuedOn: issued, dueOn: due, amount: amount, disputed: disputed)
    }

    mutating func payment(_ state: inout ImportState) throws(ImportError) -> Payment {
        let id = try requiredText(.paymentId)
        try checkDuplicate(id, .paymentId, &state.paymentLine)
        let (accountID, currency) = try accountReference(&state)
        var invoiceID: String?
        if let invoice = try text(.invoiceId) {
            guard let owner = state.account(ofInvoice: invoice) else {
                throw fail(.unknownInvoice, .invoiceId, "no such invoice in invoices.csv or the database")
            }
            guard owner == accountID else {
                throw fail(.unknownInvoice, .invoiceId, "the invoice belongs to account \(owner), not \(accountID)")
            }
            invoiceID = invoice
        }
        let paidOn = try date(.paidOn)
        let amount = try amount(.amount, in: currency)
        return Payment(id: id, accountID: accountID, invoiceID: invoiceID, paidOn: paidOn, amount: amount)
    }

    mutating func historyEntry(_ state: inout ImportState) throws(ImportError) -> HistoryEntry {
        let (accountID, currency) = try accountReference(&state)
        let atText = try requiredText(.at)
        guard let (at, offset) = FieldParsing.instant(atText) else {
            throw fail(.malformedInstant, .at, "malformed time: expected ISO 8601 with an offset, such as 2026-10-14T15:20:00-05:00")
        }
        let actor = try text(.actor) ?? "system"
        let name = try requiredText(.event)
        let event: HistoryEntry.Event
        func outcome<T: RawRepresentable>(_ type: T.Type, _ allowed: [String]) throws(ImportError) -> T where T.RawValue == String {
            guard let word = try text(.outcome) else {
                throw fail(.missingValue, .outcome, "is empty (a \(name) needs one of: \(allowed.joined(separator: ", ")))")
            }
            guard let value = T(rawValue: word) else {
                throw fail(.badOutcome, .outcome, "must be one of: \(allowed.joined(separator: ", "))")
            }
            return value
        }
        switch name {
        case "call":
            event = .call(try outcome(HistoryEntry.CallOutcome.self, HistoryEntry.CallOutcome.allCases.map(\.rawValue)))
        case "promise":
            event = .promise(amount: try amount(.amount, in: currency), due: try date(.date))
        case "settlement":
            event = .settlement(amount: try amount(.amount, in: currency), expires: try date(.date))
        case "plan":
            let total = try amount(.amount, in: currency)
            let first = try date(.date)
            let shape = try requiredText(.outcome)
            let parts = shape.split(separator: "x", maxSplits: 1)
            guard parts.count == 2, let n = Int(parts[0]), (2...120).contains(n),
                  let every = HistoryEntry.Frequency(rawValue: String(parts[1])) else {
                throw fail(.badOutcome, .outcome, "a plan's outcome is COUNTxFREQUENCY, such as 3xmonth (frequency: week, fortnight, month; count 2 to 120)")
            }
            event = .plan(total: total, installments: n, every: every, first: first)
        case "dispute":
            event = .dispute(reason: try requiredText(.text))
        case "dispute-resolved":
            event = .disputeResolved(try outcome(HistoryEntry.DisputeOutcome.self, HistoryEntry.DisputeOutcome.allCases.map(\.rawValue)))
        case "cease":
            event = .cease
        case "attorney":
            event = .attorney(name: try requiredText(.text))
        case "letter":
            event = .letter(try outcome(HistoryEntry.Letter.self, HistoryEntry.Letter.allCases.map(\.rawValue)))
        case "placed":
            event = .placed
        case "note":
            event = .note(try requiredText(.text))
        default:
            throw fail(.badEvent, .event, "unknown event (expected one of: \(HistoryEntry.Event.names.joined(separator: ", ")))")
        }
        return HistoryEntry(accountID: accountID, at: at, utcOffsetSeconds: offset, actor: actor, event: event)
    }
}

/// The canonical columns of all four files.
enum Column: String, CaseIterable {
    case accountId = "account_id", debtorName = "debtor_name", debtorKind = "debtor_kind", contactName = "contact_name"
    case phone, email, address, country, region, timeZone = "time_zone", currency, assignee
    case invoiceId = "invoice_id", issuedOn = "issued_on", dueOn = "due_on", amount, disputed
    case paymentId = "payment_id", paidOn = "paid_on"
    case at, actor, event, date, outcome, text

    /// Position in `allCases`, without a lookup.
    var ordinal: Int {
        switch self {
        case .accountId: return 0
        case .debtorName: return 1
        case .debtorKind: return 2
        case .contactName: return 3
        case .phone: return 4
        case .email: return 5
        case .address: return 6
        case .country: return 7
        case .region: return 8
        case .timeZone: return 9
        case .currency: return 10
        case .assignee: return 11
        case .invoiceId: return 12
        case .issuedOn: return 13
        case .dueOn: return 14
        case .amount: return 15
        case .disputed: return 16
        case .paymentId: return 17
        case .paidOn: return 18
        case .at: return 19
        case .actor: return 20
        case .event: return 21
        case .date: return 22
        case .outcome: return 23
        case .text: return 24
        }
    }
}
