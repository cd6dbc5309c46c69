#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import CSQLiteSettings
import GRDB
import GRDBSQLite
import Synchronization
import ParleyCore

/// `close(2)`, out of reach of the store's own `close()`.
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }

/// The embedded store: one SQLite file in WAL mode with foreign keys on, opened as a GRDB
/// `DatabasePool` (one writer, concurrent readers). A second process writing at the same time
/// waits up to the busy timeout, then fails with SQLITE_BUSY; it never corrupts the file.
public final class SQLiteCaseStore: CaseStore {
    public let path: String
    public let policy: Policy
    let pool: DatabasePool
    /// The last queue filter's matches, kept while the database does not change.
    let filterMatches = HeldMatches()
    /// The queue's name index, once the workbench asks for it.
    let nameIndex = NameIndexHolder()
    /// The checkpoints after imports and runs (`writeLargeTransaction`).
    let checkpoints: BackgroundCheckpoint

    /// Opens (creating when missing, with mode 0600) and migrates the database at `path`.
    /// `lockNotice` is told, once a wait for another process's lock has lasted a second, what
    /// the store is waiting for (`LockWaitNotice`); it may be told again at later waits.
    public convenience init(path: String, policy: Policy = .standard, busyTimeout: TimeInterval = 10,
                            lockNotice: (@Sendable (LockWaitNotice) -> Void)? = nil) throws {
        try self.init(path: path, policy: policy, busyTimeout: busyTimeout, lockNotice: lockNotice, runBatch: 1_000)
    }

    /// `runBatch`: the cases the daily run reads, steps and writes at a time; with more cases
    /// due than one batch, the run steps them on a second thread (`RunPipeline`), which reads
    /// ahead the contact rows of the cases that may ask for them unless `readsContactsAhead` is
    /// false (tests: every such case is then stepped on the writer's thread). The writer's
    /// thread steps a share of each batch itself, which follows its waits for the other thread;
    /// `runWriterShare` fixes it (tests: the same cases stepped on either thread, compared).
    /// `runPrioritiesAhead` decides whether that thread works out the new priorities of the
    /// cases not due (nil: when at least half the cases are due). `traceStatements` is given the
    /// text of every statement run (tests).
    init(path: String, policy: Policy = .standard, busyTimeout: TimeInterval = 10, lockNotice: (@Sendable (LockWaitNotice) -> Void)? = nil, runBatch: Int, readsContactsAhead: Bool = true,
         runWriterShare: Int? = nil, runPrioritiesAhead: Bool? = nil, importStepsOnReader: Bool = true,
         traceStatements: (@Sendable (String) -> Void)? = nil) throws {
        precondition(runBatch > 0, "a run batch holds at least one case")
        _ = Self.memoryStatisticsOff
        self.path = path
        self.policy = policy
        self.runBatch = runBatch
        self.readsContactsAhead = readsContactsAhead
        self.runWriterShare = runWriterShare
        self.runPrioritiesAhead = runPrioritiesAhead
        self.importStepsOnReader = importStepsOnReader
        checkpoints = BackgroundCheckpoint(path: path)
        try Self.createFileIfMissing(path)
        var config = Configuration()
        config.foreignKeysEnabled = true
        // Waits for another process's lock go through `LockWait` (GRDB's busy mode left at
        // `immediateError`, so that it installs nothing of its own for the writer).
        let writerWait = LockWait(path: path, timeout: busyTimeout, notice: lockNotice)
        let readerWait = LockWait(path: path, timeout: max(busyTimeout, 10), notice: lockNotice)
        self.writerWait = writerWait
        self.readerWait = readerWait
        // SQLite's default page cache (2 MiB) makes a large import or run spill index pages to the
        // WAL over and over: the writer's may grow to 128 MiB. A reader's cache grows with every
        // page a workbench reads and is kept: at 128 MiB too, the workbench held 125 MiB after a
        // few hundred presses at 200,000 cases. A reader's is 2 MiB (below).
        config.prepareDatabase { db in
            (db.configuration.readonly ? readerWait : writerWait).install(on: db.sqliteConnection)
            // The writer's small allocations (a statement's cells and records, a B-tree's cursors)
            // from 2,000 lookaside slots of 512 bytes (1 MiB) instead of SQLite's 100 of 1,200,
            // set before it runs a statement (SQLite refuses it while a slot is in use). The bench's
            // import, alternated: five pairs with it set through `LD_PRELOAD`, 4.88–5.11 s with
            // the default, 4.71–4.87 s with this; three pairs of the builds without and with
            // this, 5.60–6.21 → 4.77–5.53 s (a slower spell). A reader keeps the default:
            // the workbench opens several, and each slot's memory is held for the connection.
            if !db.configuration.readonly { _ = parley_sqlite_lookaside(db.sqliteConnection.map { UnsafeMutableRawPointer($0) }, 512, 2000) }
            // A reader's page cache is 2 MiB (SQLite's default is 2,000 KiB): the workbench reads
            // a page of the queue, an account and its history at a time, and pages read again
            // come from the system's file cache. At 200,000 cases (`parley bench open`, four
            // runs each), resident memory after the bench's keys with the name index held went
            // from 63.6–71.4 MiB with 8 MiB (8 MiB more in some runs: most likely a second
            // reader's cache, the keys' reader taken while the index was read on the first) to
            // 58.9–59.3 MiB, every key's p99 the same within the noise (move 0.92–1.21 →
            // 0.84–1.21 ms, open 0.84–1.25 → 0.78–1.16 ms).
            try db.execute(sql: db.configuration.readonly ? "PRAGMA cache_size = -2048" : "PRAGMA cache_size = -131072")
            // A new database gets 16 KiB pages (set before the first page is written; a no-op on a
            // database that has pages). At 200,000 accounts (`parley bench`, the builds with 4, 16
            // and 64 KiB pages alternated, two runs each): the catch-up days 5.4–5.8 → 4.8 s and
            // 5.3–5.6 → 4.3 s, an ordinary day 1.1 → 0.95 s, import and keys unchanged within the
            // noise, resident memory +1 MiB. 64 KiB did no better on the runs, the fourth day
            // worse (7.8 → 9.1 s), and held 4 MiB more. A database made with 4 KiB pages keeps
            // them (Docs/store.md says how to convert one).
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA page_size = \(Self.pageSize)") }
            try Self.addPriorityFunction(db)
            // Tests: the text of every statement any connection runs.
            if let traceStatements {
                db.trace(options: .statement) { event in
                    if case .statement(let statement) = event { traceStatements(statement.sql) }
                }
            }
        }
        do {
            pool = try writerWait.retrying {
                let pool = try DatabasePool(path: path, configuration: config)
                try Schema.migrator.migrate(pool)
                return pool
            }
        } catch let error as DatabaseError {
            throw writerWait.failure(error)
        }
    }

    /// A store let go waits for its checkpoints before its connections close: the last
    /// connection to close runs SQLite's close-time checkpoint, which locks the file whole, and
    /// had that been the checkpoint's connection, closing after the store, another connection
    /// opening the file at that moment would be refused ("database is locked").
    deinit {
        checkpoints.wait()
    }

    /// SQLite's memory statistics, off for the process before its first connection opens
    /// (`sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0)`; SQLite's result code, 0 when it took
    /// effect). With them on, every allocation and free SQLite makes takes a process-wide mutex
    /// and updates its counts: `perf record` of the bench's import found the writer's thread
    /// 7% in `pthread_mutex_lock`/`unlock` and SQLite's malloc. Nothing in Parley reads the
    /// counts (`sqlite3_memory_used`, a soft heap limit), nor does GRDB. The bench's import
    /// (`parley bench run X --import PORTFOLIO --days 0`) without and with it, alternated: four
    /// pairs with the setting made through `LD_PRELOAD`, 5.19–5.35 → 4.66–4.94 s; three pairs
    /// of the builds without and with this, 5.66–6.41 → 4.94–5.66 s.
    static let memoryStatisticsOff: Int32 = parley_sqlite_memory_statistics_off()

    /// The SQLite library this process runs on, for reports (`parley bench`): its version, and
    /// whether it counts its memory (false once a store has opened first in the process:
    /// `memoryStatisticsOff`).
    public static var sqliteLibrary: (version: String, countsMemory: Bool) {
        (String(cString: parley_sqlite_version()), parley_sqlite_counts_memory() != 0)
    }

    /// The page size of a database this store creates.
    static let pageSize = 16_384

    /// Creates the directory (0700) and an empty file (0600) so that SQLite, and the -wal and -shm
    /// files it derives from it, never make a database other users can read.
    static func createFileIfMissing(_ path: String) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) { return }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !manager.fileExists(atPath: directory) {
            do {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.database(path: path, reason: "cannot create the directory \(directory): \(error.localizedDescription)")
            }
        }
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw StoreError.database(path: path, reason: "cannot create the file: \(String(cString: strerror(errno)))")
        }
        closeDescriptor(fd)
    }

    var context: LifecycleContext { LifecycleContext(policy: policy) }

    // MARK: - Writes

    public func importPortfolio(_ batch: ImportBatch, actor: Actor, at: Date) async throws -> ImportSummary {
        try await importPortfolio(batch, actor: actor, at: at, dropIndexes: true)
    }

    func importPortfolio(_ batch: ImportBatch, actor: Actor, at: Date, dropIndexes: Bool) async throws -> ImportSummary {
        try await importTransaction(actor: actor, at: at, dropIndexes: dropIndexes) { importer, progress in
            for account in batch.accounts { try importer.add(.account(account), to: &progress) }
            for invoice in batch.invoices { try importer.add(.invoice(invoice), to: &progress) }
            for payment in batch.payments { try importer.add(.payment(payment), to: &progress) }
            for entry in batch.history { try importer.add(.history(entry), to: &progress) }
        }
    }

    /// One import in one transaction: `feed` adds the records. Into an empty store (and with
    /// `dropIndexes`) the indexes and triggers are dropped for the writes and made again before
    /// the commit (`ImportSchema`); the transaction's statement journals are kept in memory
    /// (`writeLargeTransaction`).
    func importTransaction(actor: Actor, at: Date, dropIndexes: Bool,
                           feed: @escaping @Sendable (BatchImport, inout BatchImport.Progress) throws -> Void) async throws -> ImportSummary {
        let at = StoreCodec.wholeSecond(at)
        let policy = self.policy
        let context = self.context
        return try await importTransaction(dropIndexes: dropIndexes) { db, _ in
            let importer = BatchImport(session: CaseSession(storage: SQLiteStorage(db: db), policy: policy, context: context), actor: actor, at: at)
            var progress = try importer.begin()
            try feed(importer, &progress)
            return (try importer.finish(&progress), wordsWritten: false)
        }
    }

    /// The transaction of an import: `body` writes the records and returns what it added.
    ///
    /// SQLite does not check its foreign keys in it: the import checks every reference before it
    /// writes a row (an invoice's or payment's account, a payment's invoice: `BatchImport`,
    /// `PortfolioImporter`), and writes a case, its events and its contacts only for an account
    /// it has written or found. SQLite's own check looked each invoice, payment, event, case and
    /// contact's account up again, and each payment's invoice: with sqlite3 alone, the bench's
    /// invoices took 1.32 s to insert with it and 0.89 s without, its payments 0.56 and 0.28 s.
    /// `body` says whether it wrote the debtor words with the accounts.
    func importTransaction(dropIndexes: Bool, body: @escaping @Sendable (Database, ImportSchema?) throws -> (ImportSummary, wordsWritten: Bool)) async throws -> ImportSummary {
        try await writeLargeTransaction(checkingForeignKeys: false, writingOnceIntoEmptyStore: dropIndexes) { db in
            let dropped = dropIndexes ? try ImportSchema.dropIfEmpty(db) : nil
            let (summary, wordsWritten) = try body(db, dropped)
            try dropped?.restore(db, wordsWritten: wordsWritten)
            TestHooks.pauseInsideTransactionIfAsked()
            return summary
        }
    }

    /// The write transaction of an import or a daily run, whose statements each touch many
    /// pages: `body` runs in one transaction with two settings for it only.
    ///
    /// Its statement journals are kept in memory (`temp_store`). A statement that may fail
    /// half-way (one that fires a trigger, or changes many rows) journals every page it
    /// changes, in a temporary file once past 64 KiB: four 16 KiB pages. On the fourth catch-up
    /// day at 200,000 accounts (cases leaving the queue fire their triggers) that file took
    /// 1.79 million pwrite calls (`strace -f`).
    ///
    /// Its commit does not checkpoint (`wal_autocheckpoint` off): the pages it wrote to the WAL
    /// are copied into the database file afterwards by `BackgroundCheckpoint`, on a connection
    /// and thread of its own, while readers see the committed run at once and other writes go
    /// on. At commit the checkpoint had copied every page the run changed (about 300 MB on the
    /// first day after an import at 200,000 accounts) and synced the file: 1.0–1.9 s of the run's
    /// 8.7–10.4 s that day (`parley bench run`, this machine), 0.4 s for the commit without it.
    ///
    /// With `writingOnceIntoEmptyStore`, a store that holds no account, invoice or payment and
    /// that no other connection has open takes the transaction with a rollback journal instead
    /// (`RollbackJournalSpell`): its pages go straight into the file, once, and there is no
    /// checkpoint to follow.
    ///
    /// Its page cache is 32 MiB, not the writer's 128 MiB (`largeTransactionCacheKiB`).
    /// With `checkingForeignKeys` false, SQLite leaves the foreign keys unchecked in it (the
    /// caller has checked what it writes).
    func writeLargeTransaction<T: Sendable>(checkingForeignKeys: Bool = true, writingOnceIntoEmptyStore: Bool = false,
                                            _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if writingOnceIntoEmptyStore {
            // The connections of this process that would keep the file from leaving WAL mode:
            // a checkpoint's, and the pool's idle readers (each holds the file open once it has
            // read; a reader busy now is closed once done).
            checkpoints.wait()
            pool.invalidateReadOnlyConnections()
        }
        let lockWait = writerWait
        let (result, walKept) = try await writeOutsideTransaction { db in
            let spell = writingOnceIntoEmptyStore ? try RollbackJournalSpell.begin(db, lockWait: lockWait) : nil
            defer { spell?.end(db) }
            let foreignKeys = checkingForeignKeys ? nil : try Int.fetchOne(db, sql: "PRAGMA foreign_keys")
            if foreignKeys != nil { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
            defer { if let foreignKeys { try? db.execute(sql: "PRAGMA foreign_keys = \(foreignKeys)") } }
            let tempStore = try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? 0
            let autocheckpoint = try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? 1000
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -131072
            try db.execute(sql: "PRAGMA cache_size = -\(TestHooks.largeTransactionCacheKiB ?? Self.largeTransactionCacheKiB)")
            defer {
                try? db.execute(sql: "PRAGMA temp_store = \(tempStore)")
                try? db.execute(sql: "PRAGMA wal_autocheckpoint = \(autocheckpoint)")
                try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)")
            }
            var result: T?
            try db.inTransaction {
                result = try body(db)
                return .commit
            }
            guard let result else { throw StoreError.database(path: db.description, reason: "the transaction ended without a result") }
            return (result, spell == nil)
        }
        if walKept { checkpoints.start() } else { checkpoints.notNeeded() }
        return result
    }

    /// The page cache of an import's or a run's transaction, in KiB. Smaller than the writer's
    /// usual 128 MiB: the pages such a transaction changes outgrow any cache (about 300 MB on the
    /// first day after an import at 200,000 accounts), so the cache only decides how many of
    /// them wait for the commit, which then writes them while the stepping thread has nothing
    /// to do, and how much memory is taken to hold them. `parley bench run COPY --days 2` on
    /// copies of one imported database, the sizes alternated: 128 MiB 7.19–7.24 s and
    /// 5.90–6.02 s, 1 GiB 7.29–7.40 s and 5.30–5.44 s, 64 MiB 5.56–6.57 s and 4.74–5.18 s,
    /// 32 MiB 6.02–6.96 s and 4.92–5.37 s, 8 MiB 6.09–6.44 s and 5.25–5.28 s; resident at
    /// most 298, 478, 234, 176 and 133 MB. The import: 128 MiB 23.4–25.4 s, 32 MiB 22.2–22.6 s.
    static let largeTransactionCacheKiB = 32_768

    /// Waits for the checkpoints started after large transactions: a command that ran one
    /// calls this before it exits, so that it leaves the database file whole, not in its WAL.
    public func finishCheckpoints() {
        checkpoints.wait()
    }

    /// How long the last checkpoint after a large transaction took, once finished.
    public var lastCheckpoint: Duration? { checkpoints.last }

    /// Whether the last large transaction (an import, a run) wrote its pages into the database
    /// file itself, with a rollback journal, leaving no checkpoint to follow (an import into an
    /// empty store that no other connection had open: `RollbackJournalSpell`).
    public var lastLargeTransactionWroteFileOnce: Bool { !checkpoints.needed }

    /// What the import needs to know of the database: the currency of accounts and the account
    /// of invoices imported before, looked up one at a time.
    public func knownRecords() async throws -> KnownRecords {
        Self.knownRecords(pool)
    }

    static func knownRecords(_ pool: DatabasePool) -> KnownRecords {
        KnownRecords(
            accountCurrency: { id in
                let code = try? pool.read { db in try String.fetchOne(db, sql: "SELECT currency FROM accounts WHERE id = ?", arguments: [id]) }
                return code.flatMap { $0 }.flatMap { try? Currency(code: $0) }
            },
            invoiceAccount: { id in
                let account = try? pool.read { db in try String.fetchOne(db, sql: "SELECT account_id FROM invoices WHERE id = ?", arguments: [id]) }
                return account.flatMap { $0 }
            }
        )
    }

    public func record(_ event: CaseEvent, accountID: String, actor: Actor, at: Date, expectedVersion: Int?) async throws -> RecordOutcome {
        let at = StoreCodec.wholeSecond(at)
        let policy = self.policy
        let context = self.context
        return try await write { db in
            let rules = try OperatorRows.rules(db: db)
            let actor = try rules.authorize(actor)
            try rules.checkEvent(event)
            let session = CaseSession(storage: SQLiteStorage(db: db), policy: policy, context: context)
            let (events, effects) = try WriteOperations.record(event, accountID: accountID, actor: actor, at: at, expectedVersion: expectedVersion, session: session)
            guard let record = try Rows.caseRecord(accountID: accountID, db: db, policy: policy) else { throw StoreError.unknownAccount(accountID) }
            TestHooks.pauseInsideTransactionIfAsked()
            return RecordOutcome(events: events, effects: effects, record: record)
        }
    }

    public func evaluateCall(accountID: String, at: Date) async throws -> ContactVerdict {
        let policy = self.policy
        let context = self.context
        return try await read { db in
            let session = CaseSession(storage: SQLiteStorage(db: db), policy: policy, context: context)
            guard let state = try session.state(of: accountID) else { throw StoreError.unknownAccount(accountID) }
            return try session.callVerdict(accountID: accountID, state: state, at: at)
        }
    }

    public func recordCall(accountID: String, outcome: CallOutcome, overrideReason: String?, actor: Actor, at: Date, expectedVersion: Int?) async throws -> (ContactVerdict, RecordOutcome) {
        let at = StoreCodec.wholeSecond(at)
        let policy = self.policy
        let context = self.context
        return try await write { db in
            let actor = try OperatorRows.rules(db: db).authorize(actor)
            let session = CaseSession(storage: SQLiteStorage(db: db), policy: policy, context: context)
            let (verdict, events, effects) = try WriteOperations.recordCall(accountID: accountID, outcome: outcome, overrideReason: overrideReason, actor: actor, at: at, expectedVersion: expectedVersion, session: session)
            guard let record = try Rows.caseRecord(accountID: accountID, db: db, policy: policy) else { throw StoreError.unknownAccount(accountID) }
            TestHooks.pauseInsideTransactionIfAsked()
            return (verdict, RecordOutcome(events: events, effects: effects, record: record))
        }
    }

    public func runDaily(asOf: CivilDate, actor: Actor, at: Date) async throws -> RunSummary {
        let at = StoreCodec.wholeSecond(at)
        let policy = self.policy
        let context = self.context
        let batch = runBatch
        let readsContactsAhead = self.readsContactsAhead
        let writerShare = runWriterShare
        let prioritiesAheadAsked = runPrioritiesAhead
        let pool = self.pool
        return try await writeLargeTransaction { db in
            if let previous = try String.fetchOne(db, sql: "SELECT summary FROM runs WHERE as_of = ?", arguments: [asOf.iso]) {
                var summary = try StoreCodec.decode(RunSummary.self, from: previous)
                summary.alreadyRun = true
                return summary
            }
            let storage = SQLiteStorage(db: db)
            let session = CaseSession(storage: storage, policy: policy, context: context)
            // Only the live cases on which time alone can have made something due are stepped.
            // Read through SQLite's C API: GRDB's `fetchAll` was 0.1 s of the first day after an
            // import at 200,000 accounts (167,419 ids), while the stepping thread waited for them.
            let due = try DirectStatement(db, sql: """
                SELECT account_id FROM cases
                WHERE next_due_day <= ? AND status NOT IN ('resolved', 'writtenOff') ORDER BY account_id
                """)
            due.bind(Int64(asOf.daysSinceEpoch), at: 1)
            var ids: [String] = []
            while try due.step() {
                guard let id = due.text(0) else {
                    sqlite3_reset(due.handle)
                    throw StoreError.corruptRow(table: "cases", key: "?", reason: "NULL account_id")
                }
                ids.append(id)
            }
            // `WriteOperations.runDaily` over those cases, read a batch at a time in one statement
            // (not one query a case) and written a batch at a time (the cases of a batch are not
            // held to the end): each case's events and projection are the same.
            var summary = RunSummary(asOf: asOf)
            session.runDate = asOf
            // Every live case's priority is brought to the date, from the narrow columns; a row is
            // rewritten only when its priority changes. A case written on a later day than the
            // run keeps the priority of its own day.
            let latest = try String.fetchOne(db, sql: "SELECT MAX(as_of) FROM runs").flatMap(CivilDate.init(iso:))
            let clock = max(asOf, latest ?? asOf)
            // On a day most cases are due (the days after an import), the stepping thread works
            // out the new priorities of the few not due, a batch's range of accounts at a time,
            // and the writer sets them by rowid after each batch: the one UPDATE below works each
            // out twice on the writer's thread, 0.2 s of the first day after an import at 200,000
            // accounts while the stepping thread had nothing to do. On an ordinary day that
            // UPDATE is the cheaper (`parley bench run` on copies: days 5 to 10 0.78–0.92 s with
            // it, 0.90–1.33 s with every changed priority set by rowid).
            let prioritiesAhead = try ids.count > batch
                && (prioritiesAheadAsked ?? (ids.count * 2 >= Int.fetchOne(db, sql: "SELECT SUM(n) FROM queue_counts") ?? 0))
            if ids.count > batch {
                // More than one batch: stepped on a second thread while the writer writes.
                let pipeline = RunPipeline(db: db, policy: policy, context: context, asOf: asOf, actor: actor, at: at, readsContactsAhead: readsContactsAhead,
                                           fixedWriterShare: writerShare, prioritiesOn: prioritiesAhead ? clock : nil)
                try pipeline.run(ids: ids, batch: batch, session: session, summary: &summary) { body in try pool.read { db in try body(db) } }
            } else if let first = ids.first, let last = ids.last {
                for (id, snapshot) in try storage.dueSnapshots(from: first, through: last, dueBy: asOf.daysSinceEpoch) {
                    session.hold(snapshot, of: id)
                    try WriteOperations.step(id, state: snapshot.state, asOf: asOf, actor: actor, at: at, session: session, summary: &summary)
                }
                try session.writeProjections()
                session.forgetWritten()
            }
            if !prioritiesAhead {
                // In one statement. `OR FAIL` spares the statement journal of every page it
                // changes (`Rows.rewriteSQL`; sqlite3 alone, every live case at 200,000 accounts:
                // 0.52–0.58 → 0.40–0.48 s); an error rolls the whole run back.
                let priority = Self.prioritySQL
                try db.execute(sql: """
                    UPDATE OR FAIL cases SET priority = \(priority)
                    WHERE status NOT IN ('resolved', 'writtenOff') AND as_of < ? AND priority <> \(priority)
                    """, arguments: [clock.daysSinceEpoch, clock.iso, clock.daysSinceEpoch])
            }
            summary.casesTicked = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE status NOT IN ('resolved', 'writtenOff')") ?? 0
            try db.execute(sql: "INSERT INTO runs (as_of, at, actor, summary) VALUES (?, ?, ?, ?)",
                           arguments: [asOf.iso, StoreCodec.timestamp(at), actor.name, try StoreCodec.encode(summary)])
            TestHooks.pauseInsideTransactionIfAsked()
            return summary
        }
    }

    /// How the writer and the readers wait for another process's lock (a reader at least the
    /// 10 s GRDB gives its pool's readers).
    let writerWait: LockWait
    let readerWait: LockWait
    /// Cases the daily run reads, steps and writes at a time (1,000 unless a test asks for fewer).
    let runBatch: Int
    /// Whether the run's second thread is given the contact rows of the cases that may ask.
    let readsContactsAhead: Bool
    /// The writer's fixed share of each batch of the run's pipeline; nil: it follows the waits.
    let runWriterShare: Int?
    /// Whether the run's second thread works out the priorities of the cases not due; nil: by
    /// how many are due.
    let runPrioritiesAhead: Bool?
    /// Whether an import of files into an empty store takes the records through the lifecycle
    /// on the reading thread (`importPortfolio(_:map:actor:at:)`); tests turn it off to compare.
    let importStepsOnReader: Bool

    public func claimNext(collector: String, leaseSeconds: Int, at: Date) async throws -> CaseRecord? {
        let policy = self.policy
        let now = StoreCodec.timestamp(at)
        let until = StoreCodec.timestamp(at.addingTimeInterval(TimeInterval(leaseSeconds)))
        return try await write { db in
            // One writer at a time: the read and the lease are one step no one else can split.
            guard let row = try Row.fetchOne(db, sql: """
                SELECT \(Rows.caseColumns) FROM cases c
                WHERE in_queue = 1
                  AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.account_id = c.account_id AND l.expires_at > ?)
                ORDER BY priority DESC, account_id LIMIT 1
                """, arguments: [now]) else { return nil }
            let record = try Rows.caseRecord(row, policy: policy)
            try db.execute(sql: "INSERT OR REPLACE INTO leases (account_id, collector, claimed_at, expires_at) VALUES (?, ?, ?, ?)",
                           arguments: [record.accountID, collector, now, until])
            return record
        }
    }

    public func release(accountID: String, collector: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM leases WHERE account_id = ? AND collector = ?", arguments: [accountID, collector])
        }
    }

    public func close() async {}

    public func rebuildProjections() async throws -> Int {
        let policy = self.policy
        let context = self.context
        return try await write { db in
            try db.execute(sql: "DELETE FROM cases; DELETE FROM case_states")
            let runDate = try SQLiteStorage(db: db).latestRunDate()
            var count = 0
            var current: [StoredEvent] = []
            func flush() throws {
                guard let last = current.last else { return }
                let (name, assignee) = try Rows.debtorNameAndAssignee(accountID: last.accountID, db: db)
                if let record = try WriteOperations.rebuiltRecord(log: current, debtorName: name, assignee: assignee, runDate: runDate, context: context, policy: policy) {
                    let nextDue = try Projection.nextDue(state: record.state, runDate: runDate, policy: policy) {
                        guard let debtor = try Rows.account(id: last.accountID, db: db)?.debtor else { throw StoreError.unknownAccount(last.accountID) }
                        return ContactProfile(state: record.state, debtor: debtor, events: current.map(\.recorded))
                    }
                    try Rows.upsert(record: record, nextDue: nextDue, log: LogPosition(seq: last.seq, latestAt: current.map(\.at).max() ?? last.at), db: db)
                    count += 1
                }
                current.removeAll(keepingCapacity: true)
            }
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(Rows.eventColumns) FROM events ORDER BY case_id, seq")
            while let row = try cursor.next() {
                let event = try Rows.storedEvent(row)
                if let previous = current.last, previous.accountID != event.accountID { try flush() }
                current.append(event)
            }
            try flush()
            return count
        }
    }

    // MARK: - Reads

    public func queue(_ query: QueueQuery) async throws -> QueuePage {
        let queue = namedQueue(query)
        return try await read { db in try queue.page(db) }
    }

    public func account(id: String) async throws -> Account? {
        try await read { db in try Rows.account(id: id, db: db) }
    }

    public func caseRecord(accountID: String) async throws -> CaseRecord? {
        let policy = self.policy
        return try await read { db in try Rows.caseRecord(accountID: accountID, db: db, policy: policy) }
    }

    public func history(accountID: String) async throws -> [StoredEvent] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(Rows.eventColumns) FROM events WHERE case_id = ? ORDER BY seq", arguments: [accountID]).map(Rows.storedEvent)
        }
    }

    /// The letters sent on a day (`?`). The kinds are written out, not bound, so that SQLite
    /// sees that its partial indexes by day (migration v6) apply.
    static let lettersSentSQL = """
        SELECT \(Rows.eventColumns) FROM events
        WHERE kind = 'letter-sent' AND json_extract(payload, '$.letterSent.on') = ?
        ORDER BY case_id, seq
        """

    /// The accounts placed with the agency on a day (`?`, twice): by a collector's `place`, or
    /// by the run's escalation to the agency stage.
    static let placedSQL = """
        SELECT case_id FROM events
        WHERE kind = 'placed-with-agency' AND json_extract(payload, '$.placedWithAgency.on') = ?
        UNION
        SELECT case_id FROM events
        WHERE kind = 'escalated' AND json_extract(payload, '$.escalated.to') = 'agency' AND json_extract(payload, '$.escalated.on') = ?
        ORDER BY 1
        """

    /// Every recall from the agency, through its partial index (migration v9).
    static let recalledSQL = "SELECT \(Rows.eventColumns) FROM events WHERE \(Schema.recalledEvents) ORDER BY case_id, seq"

    public func lettersSent(on date: CivilDate) async throws -> [SentLetter] {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: Self.lettersSentSQL, arguments: [date.iso])
            return try rows.map(Rows.storedEvent).compactMap { stored in
                guard case .letterSent(let kind, let on) = stored.event else { return nil }
                return SentLetter(accountID: stored.accountID, kind: kind, on: on)
            }
        }
    }

    public func placements(on date: CivilDate) async throws -> PlacementDay {
        try await read { db in
            let placed = try String.fetchAll(db, sql: Self.placedSQL, arguments: [date.iso, date.iso])
            let recalled = try Row.fetchAll(db, sql: Self.recalledSQL)
                .map(Rows.storedEvent)
                .filter { CivilDate(utcInstant: $0.at) == date }
                .map(\.accountID)
            return PlacementDay(placed: placed, recalled: Array(Set(recalled)).sorted())
        }
    }

    public func report(asOf date: CivilDate) async throws -> PortfolioReport {
        try await read { db in
            let counts = try Row.fetchAll(db, sql: "SELECT stage, status, COUNT(*) AS n FROM cases GROUP BY stage, status").map { row in
                (stage: row["stage"] as String, status: row["status"] as String, n: row["n"] as Int)
            }
            let states = try String.fetchAll(db, sql: "SELECT s.state FROM cases c JOIN case_states s ON s.case_id = c.account_id ORDER BY c.account_id").map { try StoreCodec.decodeState($0) }
            return WriteOperations.report(asOf: date, counts: counts, states: states)
        }
    }

    public func allCaseRecords() async throws -> [CaseRecord] {
        let policy = self.policy
        return try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(Rows.caseColumns) FROM cases ORDER BY account_id").map { try Rows.caseRecord($0, policy: policy) }
        }
    }

    // MARK: - Synchronous reads

    /// The queue read on the calling thread (the workbench's own), without the hops of an async
    /// call (a task, the reader's queue, a semaphore back).
    public func queueNow(_ query: QueueQuery) throws -> QueuePage {
        let queue = namedQueue(query)
        return try readNow { db in try queue.page(db) }
    }

    /// A queue read that uses the name index when it is wanted and valid.
    private func namedQueue(_ query: QueueQuery) -> SQLiteQueue {
        var queue = SQLiteQueue(query, policy: policy, cache: filterMatches)
        queue.names = nameIndex
        let pool = self.pool, holder = nameIndex
        queue.rebuildNames = { Self.buildNameIndex(pool: pool, holder: holder) }
        return queue
    }

    /// Asks for the queue's name index: the workbench does when it opens, so that filtering by a
    /// debtor's name is answered in memory (`QueueNameIndex`). It is read now on a thread of its
    /// own, and again whenever a filtered read finds the database changed; until it is ready,
    /// SQL answers. One-shot commands never ask (reading it costs more than one query).
    public func prepareNameIndex() {
        if nameIndex.want() { Self.buildNameIndex(pool: pool, holder: nameIndex) }
    }

    /// Whether the name index has been read (it may since have gone out of date).
    public var isNameIndexReady: Bool { nameIndex.current != nil }

    /// How long the name index took to read, once it has been.
    public var nameIndexReadSeconds: Double? {
        nameIndex.current.map { Double($0.readIn.components.seconds) + Double($0.readIn.components.attoseconds) * 1e-18 }
    }

    /// The name index as of now, built on the calling thread (tests).
    func nameIndexNow() throws -> QueueNameIndex {
        _ = nameIndex.want()
        let index = try readNow { db in try QueueNameIndex.build(db) }
        nameIndex.finished(index)
        return index
    }

    private static func buildNameIndex(pool: DatabasePool, holder: NameIndexHolder) {
        Thread.detachNewThread {
            holder.finished(try? pool.read { db in try QueueNameIndex.build(db) })
            giveFreedMemoryBack()
        }
    }

    /// glibc keeps the pages of freed memory for later; `malloc_trim` returns those the name
    /// index's read freed (its temporaries) to the system: at 200,000 cases, resident memory
    /// with the index held after the bench's presses went from 72.8 to 70.5 MiB (`parley bench`).
    /// Looked up at run time: Swift's Glibc module does not declare it.
    private static func giveFreedMemoryBack() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }

    /// An account, its case (unless `known` is given) and its log, read in one transaction on the
    /// calling thread: what the workbench shows when an account is opened.
    public func detailNow(accountID: String, known: CaseRecord?) throws -> (Account, CaseRecord, [StoredEvent])? {
        let policy = self.policy
        return try readNow { db in
            guard let account = try Rows.account(id: accountID, db: db) else { return nil }
            guard let record = try known ?? Rows.caseRecord(accountID: accountID, db: db, policy: policy) else { return nil }
            let history = try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Rows.eventColumns) FROM events WHERE case_id = ? ORDER BY seq"),
                                           arguments: [accountID]).map(Rows.storedEvent)
            return (account, record, history)
        }
    }

    /// The accounts and cases of `ids` (those that exist) and, with `histories`, their logs, in
    /// one read on the calling thread (not through the reader's queue).
    public func accountsAndCases(_ ids: [String], histories: Bool) async throws -> [String: (Account, CaseRecord, [StoredEvent])] {
        let policy = self.policy
        return try readNow { db in
            var found: [String: (Account, CaseRecord, [StoredEvent])] = [:]
            for id in ids where found[id] == nil {
                guard let account = try Rows.account(id: id, db: db), let record = try Rows.caseRecord(accountID: id, db: db, policy: policy) else { continue }
                let log = histories ? try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Rows.eventColumns) FROM events WHERE case_id = ? ORDER BY seq"),
                                                       arguments: [id]).map(Rows.storedEvent) : []
                found[id] = (account, record, log)
            }
            return found
        }
    }

    public func caseRecordNow(accountID: String) throws -> CaseRecord? {
        let policy = self.policy
        return try readNow { db in try Rows.caseRecord(accountID: accountID, db: db, policy: policy) }
    }

    func readNow<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as DatabaseError {
            throw readerWait.failure(error)
        }
    }

    // MARK: - Plumbing

    /// A case's queue priority on the day bound to its `?`, from the projection's narrow columns
    /// (`addPriorityFunction`).
    static let prioritySQL = "parley_priority(stage, balance_minor, oldest_due_day, callback_day, promise_due_day, promise_left_minor, promises_broken, last_contact_day, ?)"

    /// `parley_priority(stage, balance_minor, oldest_due_day, callback_day, promise_due_day,
    /// promise_left_minor, promises_broken, last_contact_day, as_of_day)`: a case's queue
    /// priority on a day from the projection's narrow columns, by the same code as the
    /// projection (`PriorityInputs.points`). Registered through SQLite's C API, not GRDB's
    /// `DatabaseFunction` (which makes an array of `DatabaseValue` per call): the daily run's
    /// UPDATE calls it once or twice for every live case (a NULL where a number is needed, or a
    /// stage it does not know, gives NULL, as before).
    static func addPriorityFunction(_ db: Database) throws {
        let code = sqlite3_create_function_v2(db.sqliteConnection, "parley_priority", 9, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, { context, count, arguments in
            guard count == 9, let arguments else { sqlite3_result_null(context); return }
            func integer(_ i: Int) -> Int64? {
                let value = arguments[i]
                switch sqlite3_value_type(value) {
                case SQLITE_INTEGER: return sqlite3_value_int64(value)
                case SQLITE_FLOAT: return Int64(exactly: sqlite3_value_double(value))
                default: return nil
                }
            }
            func day(_ i: Int) -> Int? { integer(i).flatMap { Int(exactly: $0) } }
            guard sqlite3_value_type(arguments[0]) == SQLITE_TEXT, let text = sqlite3_value_text(arguments[0]),
                  let stage = Stage(rawValue: String(cString: text)), let balance = integer(1), let asOf = day(8) else {
                sqlite3_result_null(context)
                return
            }
            let inputs = PriorityInputs(stage: stage, balance: Money(minorUnits: balance, currency: .usd),
                                        oldestDueDay: day(2), callbackDay: day(3), promiseDueDay: day(4),
                                        promiseLeftMinor: integer(5) ?? 0, promisesBroken: day(6) ?? 0, lastContactDay: day(7))
            sqlite3_result_int64(context, Int64(inputs.points(asOf: CivilDate(daysSinceEpoch: asOf))))
        }, nil, nil, nil)
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: "parley_priority")
        }
    }

    /// One write transaction; database errors name the file.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as DatabaseError {
            throw writerWait.failure(error)
        }
    }

    /// Like `write`, with the transaction left to `body` (to set a pragma outside it).
    func writeOutsideTransaction<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.writeWithoutTransaction(body)
        } catch let error as DatabaseError {
            throw writerWait.failure(error)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as DatabaseError {
            throw readerWait.failure(error)
        }
    }
}
