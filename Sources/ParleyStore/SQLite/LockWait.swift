import Foundation
import GRDB
import GRDBSQLite

/// How a connection of the store waits for another process's lock: SQLite's busy handler, in
/// place of its busy timeout (`sqlite3_busy_timeout`), with the same sleeps between tries up to
/// the same limit, and one addition: once a wait has lasted `noticeAfter`, it tells `notice`
/// (given by whoever opened the store: `parley`'s commands say on standard error what they are
/// waiting for, where they sat silent for up to the whole busy timeout). An import into an empty
/// store holds the whole file while it writes (`RollbackJournalSpell`), so a command started
/// meanwhile waits from its first read.
///
/// Nothing is kept between calls: SQLite passes the count of tries of the current wait, and
/// the time slept so far follows from it, as in SQLite's own handler. One instance serves every
/// connection that shares its limit; each connection's `Database` keeps it alive through the
/// configuration's `prepareDatabase`, which installs it.
final class LockWait: Sendable {
    /// The database file, for what a wait says.
    let path: String
    /// The longest wait before SQLITE_BUSY.
    let timeout: TimeInterval
    let timeoutMilliseconds: Int
    /// How long a wait lasts before `notice` is told, in milliseconds.
    let noticeAfterMilliseconds: Int
    /// Told `noticeValue` once a wait has lasted `noticeAfter`.
    let notice: (@Sendable (LockWaitNotice) -> Void)?

    init(path: String, timeout: TimeInterval, noticeAfter: TimeInterval = 1, notice: (@Sendable (LockWaitNotice) -> Void)?) {
        self.path = path
        self.timeout = timeout
        timeoutMilliseconds = max(0, Int((timeout * 1000).rounded()))
        noticeAfterMilliseconds = max(0, Int((noticeAfter * 1000).rounded()))
        self.notice = notice
    }

    /// Who may hold the lock, as both texts name them.
    static let holders = "another process (an import, the daily run or another command)"

    /// The limit as the texts give it: "10", "2.5".
    var limit: String { timeout.rounded() == timeout ? "\(Int(timeout))" : String(format: "%.1f", timeout) }

    /// What `notice` is told.
    var noticeValue: LockWaitNotice { LockWaitNotice(path: path, limit: limit) }

    /// The store's error for a database error met through this. SQLITE_BUSY is another
    /// process's lock held for longer than this waits (`StoreError.locked`): SQLite's own
    /// "database is locked" names neither who nor what to do. It is met opening the file while an
    /// import into an empty store writes it with a rollback journal (`RollbackJournalSpell`), and
    /// writing while another command writes.
    func failure(_ error: DatabaseError) -> StoreError {
        guard error.resultCode == .SQLITE_BUSY else { return .database(path: path, reason: error.message ?? "\(error)") }
        return .locked(noticeValue)
    }

    /// SQLite's sleeps between tries and their running totals, in milliseconds
    /// (`sqliteDefaultBusyCallback` in main.c); past the last, 100 ms each.
    static let delays = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]
    static let totals = [0, 1, 3, 8, 18, 33, 53, 78, 103, 128, 178, 228]

    /// Before try `count + 1` of a wait: the time slept so far and the sleep to take now, in
    /// milliseconds; a sleep of zero or less means the wait is over (SQLITE_BUSY).
    static func step(count: Int, timeoutMilliseconds: Int) -> (prior: Int, sleep: Int) {
        let last = delays.count - 1
        let delay = count < delays.count ? delays[count] : delays[last]
        let prior = count < delays.count ? totals[count] : totals[last] + delays[last] * (count - last)
        return (prior, prior + delay > timeoutMilliseconds ? timeoutMilliseconds - prior : delay)
    }

    /// SQLite's call: 1 to try again after the sleep, 0 to fail with SQLITE_BUSY.
    func shouldRetry(count: Int) -> Bool {
        let (prior, sleep) = Self.step(count: count, timeoutMilliseconds: timeoutMilliseconds)
        guard sleep > 0 else { return false }
        if let notice, prior < noticeAfterMilliseconds, prior + sleep >= noticeAfterMilliseconds { notice(noticeValue) }
        usleep(UInt32(sleep) * 1000)
        return true
    }

    /// `body`, tried again on SQLITE_BUSY until this wait's limit has passed since the first
    /// try, with a wait's sleeps between tries and its notice once a second has passed. SQLite
    /// does not wait where waiting could deadlock: a connection that has read and would then
    /// write, while another holds the write lock, is refused at once, its busy handler not
    /// called. GRDB's pool meets it opening a file that an import into an empty store is
    /// writing with a rollback journal (`RollbackJournalSpell`), before the import has written
    /// into the file: its `PRAGMA journal_mode = WAL` reads the header, then would write it. A
    /// command started then failed in 0.05 s, where one started later waited for the import. A
    /// try that has itself waited out the limit is not tried again.
    func retrying<T>(_ body: () throws -> T) throws -> T {
        let clock = ContinuousClock()
        let start = clock.now
        var count = 0
        var noticed = false
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                let elapsed = Int((clock.now - start) / .milliseconds(1))
                let sleep = min(Self.step(count: count, timeoutMilliseconds: .max).sleep, timeoutMilliseconds - elapsed)
                guard sleep > 0 else { throw error }
                if !noticed, let notice, elapsed + sleep >= noticeAfterMilliseconds {
                    noticed = true
                    notice(noticeValue)
                }
                usleep(UInt32(sleep) * 1000)
                count += 1
            }
        }
    }

    /// Makes `connection` wait through this.
    func install(on connection: OpaquePointer?) {
        sqlite3_busy_handler(connection, { context, count in
            guard let context else { return 0 }
            return Unmanaged<LockWait>.fromOpaque(context).takeUnretainedValue().shouldRetry(count: Int(count)) ? 1 : 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Makes `connection` fail at once with SQLITE_BUSY on another process's lock, until
    /// `install(on:)` again.
    static func failAtOnce(on connection: OpaquePointer?) {
        sqlite3_busy_handler(connection, nil, nil)
    }
}

/// What a wait for another process's lock says once it has lasted a second: the file and how
/// long the store waits for it. `text` is the command line's line on standard error; `brief`
/// fits the workbench's status line, where the file's directory is already in the title.
public struct LockWaitNotice: Sendable, Equatable {
    /// The database file.
    public let path: String
    /// The longest wait, in seconds, as written: "10", "2.5".
    public let limit: String

    public var text: String { "\(path) is locked by \(LockWait.holders); waiting for it, up to \(limit) s (PARLEY_BUSY_TIMEOUT)" }

    /// The file's name without its directory.
    public var file: String { path.split(separator: "/").last.map(String.init) ?? path }

    public var brief: String { "Waiting up to \(limit) s for \(file): \(LockWait.holders) is writing to it" }

    /// What giving up says (`StoreError.locked`).
    public var failure: String {
        "\(path): database is locked: \(LockWait.holders) is writing to it and held it for longer than the \(limit) s this one waits; "
            + "nothing was changed here. Try again when it has finished, or wait longer with PARLEY_BUSY_TIMEOUT=SECONDS"
    }

    /// Giving up, for the workbench's status line.
    public var briefFailure: String {
        "\(file) is still locked by another process after \(limit) s; nothing was changed: try again"
    }
}
