/// A row that could not be imported. Names the file, the physical line, the column (header name
/// and 1-based position) and the value, so the user can find it in a spreadsheet:
/// `invoices.csv:17: column "amount" (5): "12,3x": malformed amount: unexpected character "x"`.
public struct ImportError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case unreadableFile
        case malformedCSV
        case invalidUTF8
        case wrongFieldCount
        case missingColumn
        case missingValue
        case malformedAmount
        case malformedDate
        case malformedInstant
        case unknownCurrency
        case currencyMismatch
        case unknownAccount
        case unknownInvoice
        case duplicateID
        case badDebtorKind
        case badCountry
        case badBoolean
        case unknownTimeZone
        case badEvent
        case badOutcome
    }

    public var kind: Kind
    public var file: String
    public var line: Int
    /// The header name of the column, as it appears in the file.
    public var column: String?
    /// 1-based position of the column in the file.
    public var columnNumber: Int?
    public var value: String?
    public var reason: String

    public init(_ kind: Kind, file: String, line: Int, column: String? = nil, columnNumber: Int? = nil, value: String? = nil, reason: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.columnNumber = columnNumber
        self.value = value
        self.reason = reason
    }

    public var description: String {
        var text = "\(file):\(line):"
        if let column {
            text += " column \"\(column)\""
            if let columnNumber { text += " (\(columnNumber))" }
            text += ":"
        }
        if let value { text += " \"\(value)\":" }
        return text + " " + reason
    }
}
