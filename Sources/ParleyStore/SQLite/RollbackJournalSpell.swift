import Foundation
import GRDB
import GRDBSQLite

/// A large write into an empty store taken with a rollback journal instead of the WAL: every
/// page the import makes goes into the database file once, at its place, and the commit leaves
/// nothing to checkpoint.
///
/// In WAL mode each page is written twice: into the WAL, checksummed, then copied into the file
/// by the checkpoint that follows. With a rollback journal, SQLite journals only the pages the
/// file had when the transaction began (an empty store's few pages of schema and operators:
/// pages added past the file's end are not journaled) and writes the rest in place. The
/// transaction stays all or nothing: a process killed in it leaves a hot journal, which the
/// next connection to open the file rolls back (`ProcessCrashTests`), truncating the file to
/// the empty store it was. At 200,000 accounts (`parley import --dir PORTFOLIO` into a new
/// file, alternated with the build before, three pairs): 5.92–6.57 s and 9.1–9.6 s of CPU with
/// the WAL and its checkpoint, 4.45–4.63 s and 7.5–8.2 s with the file written once. The
/// import's own transaction is as long either way (the bench's `import.parley`, which never
/// counted the checkpoint): what goes is the second write of every page.
///
/// SQLite leaves WAL mode only when no other connection has the file open (each holds it
/// shared once it has read): the caller closes this process's idle readers first, and with any
/// other connection open, here or in another process, the transaction keeps the WAL. While
/// the spell lasts a connection opening the file waits for the commit (its busy timeout), as it
/// would for any writer. The spell ends with the connection back in WAL mode.
struct RollbackJournalSpell {
    /// The connection's `synchronous` setting before the spell (GRDB sets NORMAL for WAL mode).
    let synchronous: Int

    /// Leaves WAL mode for a rollback journal when the store holds no account, invoice or
    /// payment and no other connection has the file open: the spell, or nil (the WAL kept).
    /// The attempt does not wait for other connections (no busy handler for it; the
    /// connection's own, `lockWait`, after it).
    static func begin(_ db: Database, lockWait: LockWait) throws -> RollbackJournalSpell? {
        guard try !SQLiteStorage(db: db).holdsAnyRecords() else { return nil }
        let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 1
        let connection = db.sqliteConnection
        LockWait.failAtOnce(on: connection)
        defer { lockWait.install(on: connection) }
        let mode: String?
        do {
            mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return nil
        }
        guard mode?.lowercased() == "delete" else { return nil }
        // With a rollback journal, NORMAL (what GRDB sets for WAL mode) could leave the file
        // corrupt after a power cut at the wrong moment; FULL syncs the journal before the file
        // is written (a few syncs of a small journal).
        try db.execute(sql: "PRAGMA synchronous = FULL")
        return RollbackJournalSpell(synchronous: synchronous)
    }

    /// Back to WAL mode, waiting for a connection that opened the file meanwhile if need be.
    /// Should it still fail, the file stays in rollback-journal mode, whole, until the next
    /// store opens it (every `SQLiteCaseStore` sets WAL mode as it opens).
    ///
    /// The WAL is then started with a write of nothing (a table made and dropped), as GRDB's
    /// pool does when it opens a file without one: a pool that opens the file later finds a WAL
    /// that is not empty and needs no write of its own, which would wait for another process's
    /// write lock (`testSecondWriterWaitsThenFailsCleanlyWhileTheFirstHoldsTheLock`).
    func end(_ db: Database) {
        try? db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        guard (try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")) == "wal" else { return }
        try? db.inSavepoint {
            try db.execute(sql: "CREATE TABLE parley_wal_start (id INTEGER PRIMARY KEY); DROP TABLE parley_wal_start")
            return .commit
        }
    }
}
