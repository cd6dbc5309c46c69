import Foundation
import GRDB
import GRDBSQLite

/// A statement GRDB prepared and caches, bound, stepped and read through SQLite's C API: the
/// daily run and the import write the same few statements hundreds of thousands of times, and
/// GRDB's `StatementArguments` (an array of `DatabaseValue` built and checked per call) and
/// `Row` (columns looked up by lower-cased name) cost more than the statements. Measured on the
/// first daily run at 20,000 accounts (`perf record`, the run's samples in Swift code): building
/// and binding the arguments of the event insert and the projection writes was about 13% of
/// them, reading the case snapshots a query and a `Row` at a time another 5%. A statement is
/// reset after its last row, or on an error, so that it holds no lock.
struct DirectStatement {
    let db: Database
    let statement: Statement
    var handle: OpaquePointer { statement.sqliteStatement }

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    private nonisolated(unsafe) static let empty: UnsafePointer<CChar> = {
        let byte = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        byte.initialize(to: 0)
        return UnsafePointer(byte)
    }()

    func bind(_ value: String?, at index: Int32) {
        guard var value else { sqlite3_bind_null(handle, index); return }
        value.withUTF8 { text in
            text.withMemoryRebound(to: CChar.self) { chars in
                // An empty string has no base address; SQLite needs a pointer for an empty text.
                _ = sqlite3_bind_text(handle, index, chars.baseAddress ?? Self.empty, Int32(chars.count), Self.transient)
            }
        }
    }

    /// Binds the texts held in `texts` without SQLite copying each (`SQLITE_STATIC`), runs the
    /// statement while their buffer lives, and unbinds them. With `SQLITE_TRANSIENT` SQLite
    /// allocates a buffer for every text it is given, copies the text in and frees it at the next
    /// bind: on the first day's run after an import at 200,000 accounts, binding texts that way
    /// was 0.3 s of the writer's thread (`perf record`), which only writes. The texts' bytes are
    /// copied once, into one buffer that is kept for the next statement.
    func execute(binding texts: BoundTexts) throws {
        try texts.bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                for span in texts.spans {
                    let start = chars.baseAddress.map { $0 + span.start } ?? Self.empty
                    _ = sqlite3_bind_text(handle, span.index, span.count == 0 ? Self.empty : start, Int32(span.count), Self.static)
                }
            }
            defer { sqlite3_clear_bindings(handle) }
            try execute()
        }
    }

    private static let `static` = unsafeBitCast(0, to: sqlite3_destructor_type.self)

    func bind(_ value: Int64?, at index: Int32) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ value: Int?, at index: Int32) { bind(value.map(Int64.init), at: index) }
    func bind(_ value: Bool, at index: Int32) { bind(Int64(value ? 1 : 0), at: index) }

    /// Runs a statement that returns no row.
    func execute() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
    }

    /// Steps to the next row: true on a row, false at the end (the statement is then reset).
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
        return false
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func int(_ column: Int32) -> Int? { isNull(column) ? nil : Int(int64(column)) }

    /// A text column's bytes, valid until the statement steps again.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard let base = sqlite3_column_text(handle, column) else { return nil }
        return UnsafeBufferPointer(start: base, count: Int(sqlite3_column_bytes(handle, column)))
    }

    func text(_ column: Int32) -> String? { bytes(column).map { String(decoding: $0, as: UTF8.self) } }

    /// The names of the result's columns, as the query gives them.
    var columnNames: [String] { statement.columnNames }

    /// The current row's values: integers as integers, NULL as null, anything else as text.
    var values: [CopiedRow.Value] {
        (0..<sqlite3_column_count(handle)).map { column in
            switch sqlite3_column_type(handle, column) {
            case SQLITE_NULL: .null
            case SQLITE_INTEGER: .integer(int64(column))
            default: .text(text(column) ?? "")
            }
        }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
    }
}

/// Texts to bind to a statement's parameters, their bytes in one buffer
/// (`DirectStatement.execute(binding:)`); kept and refilled statement after statement.
struct BoundTexts {
    private(set) var bytes: [UInt8] = []
    private(set) var spans: [(index: Int32, start: Int, count: Int)] = []

    init(capacity: Int = 4_096) {
        bytes.reserveCapacity(capacity)
        spans.reserveCapacity(capacity / 16)
    }

    /// `text` for parameter `index`; nil binds NULL, through `statement`.
    mutating func add(_ text: String?, at index: Int32, of statement: DirectStatement) {
        guard var text else { sqlite3_bind_null(statement.handle, index); return }
        let start = bytes.count
        text.withUTF8 { bytes.append(contentsOf: $0) }
        spans.append((index, start, bytes.count - start))
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
    }
}
