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
    /// The longest wait, in milliseconds, before SQLITE_BUSY.
    let timeoutMilliseconds: Int
    /// How long a wait lasts before `notice` is told, in milliseconds.
    let noticeAfterMilliseconds: Int
    let notice: (@Sendable () -> Void)?

    init(timeout: TimeInterval, noticeAfter: TimeInterval = 1, notice: (@Sendable () -> Void)?) {
        timeoutMilliseconds = max(0, Int((timeout * 1000).rounded()))
        noticeAfterMilliseconds = max(0, Int((noticeAfter * 1000).rounded()))
        self.notice = notice
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
        if prior < noticeAfterMilliseconds, prior + sleep >= noticeAfterMilliseconds { notice?() }
        usleep(UInt32(sleep) * 1000)
        return true
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
