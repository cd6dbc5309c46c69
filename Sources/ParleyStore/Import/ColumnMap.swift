import ParleyCore

/// The four files an import reads.
public enum ImportFileKind: String, Sendable, CaseIterable {
    case accounts
    case invoices
    case payments
    case history

    /// The canonical header of each column, in the order `parley sample` writes them.
    public var canonicalColumns: [String] {
        switch self {
        case .accounts:
            return ["account_id", "debtor_name", "debtor_kind", "contact_name", "phone", "email", "address",
                    "country", "region", "time_zone", "currency", "assignee"]
        case .invoices:
            return ["invoice_id", "account_id", "issued_on", "due_on", "amount", "currency", "disputed"]
        case .payments:
            return ["payment_id", "account_id", "invoice_id", "paid_on", "amount"]
        case .history:
            return ["account_id", "at", "actor", "event", "amount", "date", "outcome", "text"]
        }
    }

    /// The default file name in a portfolio directory ("invoices.csv").
    public var fileName: String { "\(rawValue).csv" }
}

/// How one file of an export is written: its header names and its date and number formats.
public struct FileFormat: Equatable, Sendable {
    /// Canonical column name → the header used in the file ("amount" → "Total Due").
    public var columns: [String: String] = [:]
    public var dateFormat: DateFormat = .iso
    public var amountFormat: AmountFormat = AmountFormat(decimalSeparator: ".", groupingSeparator: nil)
    /// The currency of rows that do not name one (accounts.csv's `currency`, invoices.csv's).
    public var defaultCurrency: Currency?
    /// The kind of debtor when accounts.csv has no `debtor_kind` column or leaves it empty.
    public var defaultDebtorKind: DebtorKind?

    public init() {}

    /// The header this file uses for a canonical column.
    public func header(for canonical: String) -> String { columns[canonical] ?? canonical }
}

/// A `--map` file: for each of accounts, invoices, payments and history, the header names and
/// formats of an export from another system. Settings at the top of the file apply to every
/// file; a `[invoices]` table overrides them for invoices.csv.
///
/// ```toml
/// date_format = "dmy"            # iso | dmy | mdy
/// decimal_separator = ","
/// thousands_separator = "."      # "" for none
/// currency = "EUR"               # for rows and files without a currency
///
/// [invoices.columns]
/// invoice_id = "Invoice Number"
/// amount = "Total Due"
/// ```
public struct ColumnMap: Equatable, Sendable {
    public var files: [ImportFileKind: FileFormat]

    /// The canonical format: canonical headers, ISO dates, "1234.56" amounts.
    public init() {
        files = [:]
        for kind in ImportFileKind.allCases { files[kind] = FileFormat() }
    }

    public subscript(kind: ImportFileKind) -> FileFormat {
        get { files[kind] ?? FileFormat() }
        set { files[kind] = newValue }
    }

    static let settingKeys: Set<String> = ["date_format", "decimal_separator", "thousands_separator", "currency", "debtor_kind"]

    /// Reads a map file; errors name the file and the key.
    public static func load(contentsOf path: String) throws(ConfigError) -> ColumnMap {
        try read(TOMLSection.load(contentsOf: path))
    }

    public static func parse(_ text: String, file: String) throws(ConfigError) -> ColumnMap {
        try read(TOMLSection.parse(text, file: file))
    }

    static func read(_ root: TOMLSection) throws(ConfigError) -> ColumnMap {
        try root.rejectUnknownKeys(allowed: settingKeys.union(ImportFileKind.allCases.map(\.rawValue)))
        var base = FileFormat()
        try apply(root, to: &base)
        var map = ColumnMap()
        for kind in ImportFileKind.allCases {
            var format = base
            if let section = try root.section(kind.rawValue) {
                try section.rejectUnknownKeys(allowed: settingKeys.union(["columns"]))
                try apply(section, to: &format)
                if let columns = try section.section("columns") {
                    let known = Set(kind.canonicalColumns)
                    for key in columns.keys.sorted() {
                        guard known.contains(key) else {
                            throw columns.error(key, "\(kind.fileName) has no column \"\(key)\" (expected one of: \(kind.canonicalColumns.joined(separator: ", ")))")
                        }
                        guard let header = try columns.string(key), !header.isEmpty else {
                            throw columns.error(key, "must name the header used in the file")
                        }
                        format.columns[key] = header
                    }
                }
            }
            map[kind] = format
        }
        return map
    }

    private static func apply(_ section: TOMLSection, to format: inout FileFormat) throws(ConfigError) {
        if let text = try section.string("date_format") {
            guard let f = DateFormat(rawValue: text.lowercased()) else {
                throw section.error("date_format", "must be \"iso\", \"dmy\" or \"mdy\", found \"\(text)\"")
            }
            format.dateFormat = f
        }
        if let text = try section.string("decimal_separator") {
            guard text == "." || text == "," else {
                throw section.error("decimal_separator", "must be \".\" or \",\", found \"\(text)\"")
            }
            format.amountFormat.decimalSeparator = Character(text)
        }
        if let text = try section.string("thousands_separator") {
            guard ["", ",", ".", " ", "'"].contains(text) else {
                throw section.error("thousands_separator", "must be \",\", \".\", \" \", \"'\" or \"\" for none, found \"\(text)\"")
            }
            format.amountFormat.groupingSeparator = text.isEmpty ? nil : Character(text)
        }
        if format.amountFormat.groupingSeparator == format.amountFormat.decimalSeparator {
            throw section.error("thousands_separator", "must differ from the decimal separator")
        }
        if let text = try section.string("currency") {
            do { format.defaultCurrency = try Currency(code: text) } catch {
                throw section.error("currency", error.description)
            }
        }
        if let text = try section.string("debtor_kind") {
            guard let kind = DebtorKind(rawValue: text) else {
                throw section.error("debtor_kind", "must be \"business\" or \"consumer\", found \"\(text)\"")
            }
            format.defaultDebtorKind = kind
        }
    }
}
