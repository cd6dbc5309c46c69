import GRDB
import GRDBSQLite
import ParleyCore

/// A cached statement run with its values bound straight through SQLite's C API, for the import's
/// hot inserts (accounts, contacts, invoices, payments): GRDB's `execute(arguments:)` builds an
/// array of boxed values and binds through nested closures, and that cost as much as the
/// inserts themselves. Only for statements that return no rows; the transaction is GRDB's.
struct DirectStatement {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    private var index: Int32 = 0

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        sqlite3_reset(handle)
    }

    mutating func bind(_ text: String) {
        index += 1
        var text = text
        let i = index, handle = handle
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else {
                _ = sqlite3_bind_text(handle, i, "", 0, Self.transient)
                return
            }
            _ = sqlite3_bind_text(handle, i, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
        }
    }

    mutating func bind(_ text: String?) {
        guard let text else { index += 1; sqlite3_bind_null(handle, index); return }
        bind(text)
    }

    mutating func bind(_ value: Int64) {
        index += 1
        sqlite3_bind_int64(handle, index, value)
    }

    /// A day as `CivilDate.iso` writes it (YYYY-MM-DD), without making the string.
    mutating func bind(_ date: CivilDate) {
        let (y, m, d) = date.components
        guard (0...9999).contains(y) else { bind(date.iso); return }
        index += 1
        let i = index, handle = handle
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 10) { b in
            func digits(_ value: Int, _ at: Int, _ count: Int) {
                var v = value
                for k in stride(from: at + count - 1, through: at, by: -1) { b[k] = CChar(0x30 + v % 10); v /= 10 }
            }
            digits(y, 0, 4); b[4] = 0x2D; digits(m, 5, 2); b[7] = 0x2D; digits(d, 8, 2)
            _ = sqlite3_bind_text(handle, i, b.baseAddress, 10, Self.transient)
        }
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }
    mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    /// Runs the statement with the values bound so far; a failure is GRDB's `DatabaseError`,
    /// with SQLite's message and the statement.
    func run() throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: statement.sql)
        }
        sqlite3_reset(handle)
    }
}
