import Dispatch
import Foundation
import GRDBSQLite
import Synchronization

/// Copies the WAL's committed pages into the database file after a large transaction (an
/// import, a daily run: `SQLiteCaseStore.writeLargeTransaction`), on a connection and a thread
/// of its own, so that the transaction's commit does not wait for it.
///
/// The checkpoint is SQLite's PASSIVE one: it copies what no reader still needs and never
/// waits for a reader or a writer, so the workbench reads and collectors' writes go on beside
/// it. What it has not copied when it stops (a reader held an older snapshot) stays in the WAL,
/// where every connection reads it, and the next checkpoint (this one, SQLite's own after a
/// later commit, or the last connection's close) copies it. Stopping half-way, even by the
/// process ending, loses nothing: a page is only ever read from the WAL until the checkpoint
/// that copied it has finished.
final class BackgroundCheckpoint: Sendable {
    private let path: String
    private let queue = DispatchQueue(label: "parley.sqlite.checkpoint")
    private let group = DispatchGroup()
    private let state = Mutex<(pending: Bool, last: Duration?, needed: Bool)>((false, nil, true))

    init(path: String) { self.path = path }

    /// Starts a checkpoint unless one is waiting to start (a running one may have begun before
    /// the latest commit, so one more is queued behind it).
    func start() {
        let queued = state.withLock { state in
            defer { state.pending = true; state.needed = true }
            return state.pending
        }
        guard !queued else { return }
        queue.async(group: group) { [self] in
            state.withLock { $0.pending = false }
            let took = ContinuousClock().measure { Self.checkpoint(path) }
            state.withLock { $0.last = took }
        }
    }

    /// Waits until every checkpoint started has finished.
    func wait() { group.wait() }

    /// How long the last finished checkpoint took.
    var last: Duration? { state.withLock { $0.last } }

    /// The last large transaction wrote its pages into the file itself (`RollbackJournalSpell`):
    /// there was nothing to checkpoint.
    func notNeeded() { state.withLock { $0.needed = false } }

    /// Whether the last large transaction left its pages in the WAL for a checkpoint.
    var needed: Bool { state.withLock { $0.needed } }

    /// One PASSIVE checkpoint through a connection opened for it. Errors are not thrown: a
    /// checkpoint that cannot run leaves the pages in the WAL, which is still the database.
    private static func checkpoint(_ path: String) {
        var handle: OpaquePointer?
        defer { sqlite3_close(handle) }
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { return }
        // A new connection opens the WAL with its first read; until then it checkpoints nothing.
        guard sqlite3_exec(handle, "SELECT 1 FROM sqlite_schema LIMIT 1", nil, nil, nil) == SQLITE_OK else { return }
        var logFrames: Int32 = 0
        var copiedFrames: Int32 = 0
        _ = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copiedFrames)
    }
}
