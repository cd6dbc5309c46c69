import Foundation
import GRDB
import ParleyCore
import Synchronization

/// The daily run's cases stepped on two threads, in the run's one transaction. The writer's
/// thread (the only one that writes) writes the batches in order; a second thread reads each
/// batch's rows on a read connection of its own, decodes the states, steps the cases and works
/// out their events and projections, encoded and ready to bind, a batch or two ahead of the
/// writer. The batches are disjoint ranges of accounts, so no read waits for another batch's
/// writes.
///
/// Every case gets the answers the single-threaded run gives it (`WriteOperations.step` over a
/// `CaseSession`, the same code): the cases that may ask the contact rules (a letter-stage case,
/// open or ceased, may be placed with the agency) have their account and log read with their
/// row, and the events stepping writes are added to that log as the database would show them.
/// A case that asks the database anything else, or asks about its contacts without having them
/// read, is given back and stepped on the writer's thread, in its place in the batch.
/// The events and the projections are written in the order the single-threaded run writes
/// them: a batch's events case by case, then its projections case by case.
struct RunPipeline {
    let db: Database
    let policy: Policy
    let context: LifecycleContext
    let asOf: CivilDate
    let actor: Actor
    let at: Date
    /// Whether the contact rows of the cases that may ask for them are read with them.
    var readsContactsAhead = true
    /// How many cases of each batch the writer's thread steps itself (at most half), fixed;
    /// nil: the share follows the writer's waits, from none (tests fix it, to compare).
    var fixedWriterShare: Int?
    /// The day to which the stepping thread works out the priorities of the cases not due, for
    /// the writer to set (the run's date, or a later run's); nil: the caller brings them to the day.
    let prioritiesOn: CivilDate?

    /// A batch's case as the writer read it.
    struct DueCase: Sendable {
        var row: SnapshotRow
        /// Whether the contact rows were read (for the cases that may ask for them).
        var contactRead: Bool
        /// The contact rows, nil when read and there is no such account.
        var contact: ContactRows?
    }

    /// A batch's case as the stepping thread gives it back. A class: the writer reads its
    /// fields in place (an enum's payload was copied out, every string of it retained and
    /// released, at each match: about a tenth of the writer's time on the second day at 20,000
    /// accounts, `perf record`).
    final class SteppedCase: Sendable {
        let id: String
        /// The events to insert.
        let events: [PreparedEvent]
        /// The projection to write, nil when the case is to be stepped on the writer's thread
        /// (it asked the database something not read for it): `row` is then its row.
        let projection: PreparedProjection?
        let row: SnapshotRow?
        /// How many times the case goes to the summary's placements.
        let placed: Int

        init(id: String, events: [PreparedEvent], projection: PreparedProjection, placed: Int) {
            self.id = id
            self.events = events
            self.projection = projection
            row = nil
            self.placed = placed
        }

        init(onWriter row: SnapshotRow) {
            id = row.id
            events = []
            projection = nil
            self.row = row
            placed = 0
        }
    }

    struct SteppedBatch: Sendable {
        var cases: [SteppedCase] = []
        /// The cases of the batch left to the writer's thread to step, as read.
        var writersPart: [DueCase] = []
        /// New priorities of cases not due (`newPriorities`), to set after the batch.
        var priorities: [(rowID: Int64, priority: Int64)] = []
        /// The counts of the ready cases (their placements are in the cases, in order).
        var counts: RunSummary
    }

    /// Steps the cases `ids` (in account order, each due by the run's date) `batch` at a time,
    /// adding to `summary`; `session` is the writer's, over `SQLiteStorage`. `readAhead` runs its
    /// body in a read transaction on a connection of its own (`DatabasePool.read`), begun after
    /// the run's transaction: the writer holds the write lock from its BEGIN IMMEDIATE, so that
    /// connection sees the database as the run found it, and the batches are disjoint ranges of
    /// accounts, so no batch it reads has been written by the run.
    func run(ids: [String], batch: Int, session: CaseSession, summary: inout RunSummary,
             readAhead: @escaping @Sendable (_ body: (Database) throws -> Void) throws -> Void) throws {
        let latestRun = try session.storage.latestRunDate()
        let ranges = stride(from: 0, to: ids.count, by: batch).map { $0..<min($0 + batch, ids.count) }
        guard !ranges.isEmpty else { return }
        let results = Handoff<Result<SteppedBatch, any Error>>()
        let priorities = Handoff<Result<[(rowID: Int64, priority: Int64)], any Error>>()
        // The stepping thread reads and steps at most two batches ahead of the writer. (Made
        // with none and given two: libdispatch traps when a semaphore goes while its count is
        // below the one it was made with, as it is after a run stopped by an error.)
        let room = DispatchSemaphore(value: 0)
        room.signal()
        room.signal()
        let stop = Atomic<Bool>(false)
        // The writer steps the last cases of each batch itself, as many as keeps it from waiting
        // for the stepping thread (which also reads the batches, off the writer's thread: on the
        // first day after an import at 200,000 accounts the reads were 0.34 s of the writer's
        // 4.4 s, `perf record`). The share grows while the writer has to wait for a batch and
        // shrinks while the stepping thread has to wait for room (it had shrunk whenever the
        // writer did not wait, and the writer, the busier thread, stepped 12% of the cases while
        // the stepping thread was idle a fifth of the time). The cases are the same and are
        // written in the same order whatever the share.
        let share = Atomic<Int>(min(fixedWriterShare ?? 0, batch / 2))
        // Whether the stepping thread has had to wait for room since the writer last looked: it
        // is ahead, and the writer's share shrinks.
        let ahead = Atomic<Bool>(false)
        // Each thread frees what it allocated: the writer's thread gives the batches it has
        // written back to the stepping thread. glibc's free of a block from another thread's
        // arena takes that arena's lock, and the two threads waited on each other's
        // (`__lll_lock_wait_private`, 4% of the writer's thread at 200,000 accounts, `perf record`).
        let spent = Mutex<[SteppedBatch]>([])
        let finished = DispatchSemaphore(value: 0)
        let (policy, context, asOf, actor, at, readsContactsAhead, prioritiesOn) = (self.policy, self.context, self.asOf, self.actor, self.at, self.readsContactsAhead, self.prioritiesOn)
        Thread.detachNewThread {
            Thread.current.name = "parley-run-step"
            defer { finished.signal() }
            let stepper = RunStepper(policy: policy, context: context, latestRun: latestRun, asOf: asOf, actor: actor, at: at)
            do {
                try readAhead { db in
                    let storage = SQLiteStorage(db: db)
                    for range in ranges {
                        let waiting = ContinuousClock.now
                        room.wait()
                        if stop.load(ordering: .relaxed) { return }
                        if ContinuousClock.now - waiting > .microseconds(200) { ahead.store(true, ordering: .relaxed) }
                        let done = spent.withLock { batches in
                            defer { batches.removeAll() }
                            return batches
                        }
                        _ = consume done
                        let cases = try Self.read(storage, ids[range.lowerBound], through: ids[range.upperBound - 1],
                                                  dueBy: asOf, readsContactsAhead: readsContactsAhead)
                        let split = cases.count - min(share.load(ordering: .relaxed), cases.count / 2)
                        var stepped = try stepper.step(cases[..<split])
                        stepped.writersPart = Array(cases[split...])
                        // The new priorities of the cases not due up to this batch's last, a
                        // batch's worth at a time (read in the same transaction as the batches:
                        // the run does not write their rows).
                        if let clock = prioritiesOn {
                            stepped.priorities = try Self.newPriorities(db, after: range.lowerBound == 0 ? nil : ids[range.lowerBound - 1],
                                                                        through: ids[range.upperBound - 1], asOf: asOf, clock: clock)
                        }
                        results.put(.success(stepped))
                    }
                    // And those after the last due case.
                    if let clock = prioritiesOn, let last = ids.last {
                        priorities.put(.success(try Self.newPriorities(db, after: last, through: nil, asOf: asOf, clock: clock)))
                    }
                }
            } catch {
                results.put(.failure(error))
                priorities.put(.failure(error))
            }
        }
        // On an error too, the stepping thread is stopped before the transaction is rolled back.
        defer {
            stop.store(true, ordering: .relaxed)
            room.signal()
            finished.wait()
        }
        let ownStepper = RunStepper(policy: policy, context: context, latestRun: latestRun, asOf: asOf, actor: actor, at: at)
        for _ in ranges {
            let waiting = ContinuousClock.now
            let stepped = try results.take().get()
            if fixedWriterShare == nil {
                let now = share.load(ordering: .relaxed)
                if ContinuousClock.now - waiting > .microseconds(200) {
                    share.store(min(now + batch / 50 + 1, batch / 2), ordering: .relaxed)
                } else if ahead.exchange(false, ordering: .relaxed) {
                    share.store(max(now - batch / 50 - 1, 0), ordering: .relaxed)
                }
            }
            let mine = stepped.writersPart.isEmpty ? nil : try ownStepper.step(stepped.writersPart[...])
            try write(stepped, session: session, summary: &summary)
            if let mine { try write(mine, session: session, summary: &summary) }
            try setPriorities(stepped.priorities)
            spent.withLock { $0.append(stepped) }
            room.signal()
        }
        if prioritiesOn != nil { try setPriorities(try priorities.take().get()) }
    }

    /// Sets the priorities of cases not due, worked out by the stepping thread, by rowid
    /// (`SQLiteCaseStore.runDaily`).
    private func setPriorities(_ priorities: [(rowID: Int64, priority: Int64)]) throws {
        guard !priorities.isEmpty else { return }
        let update = try DirectStatement(db, sql: "UPDATE OR FAIL cases SET priority = ? WHERE rowid = ?")
        for (rowID, priority) in priorities {
            update.bind(priority, at: 1)
            update.bind(rowID, at: 2)
            try update.execute()
            guard db.changesCount == 1 else {
                throw StoreError.corruptRow(table: "cases", key: "rowid \(rowID)", reason: "the row read in this transaction is no longer there")
            }
        }
    }

    /// The live cases not due by `asOf`, their account ids after `after` and up to `through`
    /// (nil: no bound), whose priority on `clock` differs from the one stored, last written
    /// before `clock` (a case written on a later day keeps the priority of its own day): their
    /// rowids and new priorities.
    private static func newPriorities(_ db: Database, after: String?, through: String?, asOf: CivilDate, clock: CivilDate) throws -> [(rowID: Int64, priority: Int64)] {
        let bounds = [after.map { _ in "account_id > ?" }, through.map { _ in "account_id <= ?" }].compactMap { $0 }
        let statement = try DirectStatement(db, sql: """
            SELECT rowid, \(SQLiteCaseStore.prioritySQL) FROM cases
            WHERE \((bounds + [""]).joined(separator: " AND ")) status NOT IN ('resolved', 'writtenOff') AND as_of < ?
              AND (next_due_day IS NULL OR next_due_day > ?) AND priority <> \(SQLiteCaseStore.prioritySQL)
            """)
        var index: Int32 = 0
        func next() -> Int32 { index += 1; return index }
        statement.bind(Int64(clock.daysSinceEpoch), at: next())
        if let after { statement.bind(after, at: next()) }
        if let through { statement.bind(through, at: next()) }
        statement.bind(clock.iso, at: next())
        statement.bind(Int64(asOf.daysSinceEpoch), at: next())
        statement.bind(Int64(clock.daysSinceEpoch), at: next())
        var found: [(rowID: Int64, priority: Int64)] = []
        while try statement.step() { found.append((statement.int64(0), statement.int64(1))) }
        return found
    }

    /// The due cases from `first` to `last`, with the contact rows of those that may ask for them.
    private static func read(_ storage: SQLiteStorage, _ first: String, through last: String, dueBy asOf: CivilDate,
                             readsContactsAhead: Bool) throws -> [DueCase] {
        let rows = try storage.dueRows(from: first, through: last, dueBy: asOf.daysSinceEpoch)
        guard readsContactsAhead else { return rows.map { DueCase(row: $0, contactRead: false) } }
        let asks = rows.map { Self.mayAskContacts(stage: $0.stage, status: $0.status) }
        let asking = zip(rows, asks).filter(\.1).map(\.0.id)
        guard !asking.isEmpty else { return rows.map { DueCase(row: $0, contactRead: false) } }
        // Read for the whole batch at once.
        let contacts = try storage.contactRows(of: asking)
        return zip(rows, asks).map { row, asks in
            asks ? DueCase(row: row, contactRead: true, contact: contacts[row.id]) : DueCase(row: row, contactRead: false)
        }
    }

    /// Whether a case as stored may ask the contact rules while stepped or projected: a
    /// letter-stage case, open or ceased, may be placed with the agency (`CaseSession.context`,
    /// `Projection.nextDue`).
    static func mayAskContacts(stage: String, status: String) -> Bool {
        stage == Stage.letter.rawValue && (status == Status.open.rawValue || status == Status.ceased.rawValue)
    }

    /// A stepped batch written: the events case by case, then the projections case by case.
    private func write(_ batch: SteppedBatch, session: CaseSession, summary: inout RunSummary) throws {
        var events = EventAppender(db: db)
        var texts = BoundTexts()
        for stepped in batch.cases {
            if let row = stepped.row {
                try events.flush()
                let snapshot = try row.snapshot()
                session.hold(snapshot, of: row.id)
                try WriteOperations.step(row.id, state: snapshot.state, asOf: asOf, actor: actor, at: at, session: session, summary: &summary)
            } else {
                for event in stepped.events { try events.add(event) }
                for _ in 0..<stepped.placed { summary.placed.append(stepped.id) }
            }
        }
        try events.flush()
        for stepped in batch.cases {
            if let projection = stepped.projection {
                try Rows.write(projection, db: db, texts: &texts)
            } else {
                try session.writeProjection(of: stepped.id)
            }
        }
        session.forgetWritten()
        summary.addCounts(of: batch.counts)
    }
}

/// The stepping thread's side of `RunPipeline`: a `CaseSession` over a storage that touches no
/// database.
private final class RunStepper {
    let storage: RunStepStorage
    let session: CaseSession
    let asOf: CivilDate
    let actor: Actor
    let at: Date

    init(policy: Policy, context: LifecycleContext, latestRun: CivilDate?, asOf: CivilDate, actor: Actor, at: Date) {
        storage = RunStepStorage(latestRun: latestRun)
        session = CaseSession(storage: storage, policy: policy, context: context)
        session.runDate = asOf
        self.asOf = asOf
        self.actor = actor
        self.at = at
    }

    func step(_ cases: ArraySlice<RunPipeline.DueCase>) throws -> RunPipeline.SteppedBatch {
        var batch = RunPipeline.SteppedBatch(counts: RunSummary(asOf: asOf))
        batch.cases.reserveCapacity(cases.count)
        for due in cases {
            let id = due.row.id
            let snapshot = try due.row.snapshot()
            storage.begin(due)
            session.hold(snapshot, of: id)
            var counts = RunSummary(asOf: asOf)
            do {
                try WriteOperations.step(id, state: snapshot.state, asOf: asOf, actor: actor, at: at, session: session, summary: &counts)
                try session.writeProjections()
            } catch is RunStepStorage.NeedsDatabase {
                session.forgetWritten()
                batch.cases.append(RunPipeline.SteppedCase(onWriter: due.row))
                continue
            }
            session.forgetWritten()
            guard let projection = storage.projection else {
                throw StoreError.corruptRow(table: "cases", key: id, reason: "the run wrote no projection for the case")
            }
            batch.cases.append(RunPipeline.SteppedCase(id: id, events: storage.events, projection: projection, placed: counts.placed.count))
            batch.counts.addCounts(of: counts)
        }
        return batch
    }
}

/// What a case stepped off the writer's thread reads and writes: its contact rows if read with
/// it, the date of the latest run read before the run began; its events and projection are
/// kept, encoded, for the writer. Anything else it would read throws `NeedsDatabase`: the case
/// is then stepped on the writer's thread.
private final class RunStepStorage: CaseStorage {
    struct NeedsDatabase: Error {}

    let latestRun: CivilDate?
    private var id = ""
    private var contactRead = false
    private var contact: ContactRows?
    private(set) var events: [PreparedEvent] = []
    private(set) var projection: PreparedProjection?
    private var instants = InstantText()

    init(latestRun: CivilDate?) { self.latestRun = latestRun }

    /// Starts a case: forgets the previous one's events and projection.
    func begin(_ due: RunPipeline.DueCase) {
        id = due.row.id
        contactRead = due.contactRead
        contact = due.contact
        events.removeAll(keepingCapacity: true)
        projection = nil
    }

    func contactRecords(of id: String) throws -> (Debtor, [RecordedEvent])? {
        guard contactRead, id == self.id else { throw NeedsDatabase() }
        return try contact?.decoded(id: id, later: events)
    }

    func append(_ recorded: RecordedEvent, accountID: String, seq: Int, kind: String) throws -> Int64 {
        guard accountID == id else { throw NeedsDatabase() }
        events.append(try PreparedEvent(recorded, accountID: accountID, seq: seq, kind: kind, instants: &instants))
        return 0
    }

    func latestRunDate() throws -> CivilDate? { latestRun }

    func upsert(record: CaseRecord, nextDue: CivilDate?, log: LogPosition) throws {
        projection = try PreparedProjection(record: record, nextDue: nextDue, stored: nil, log: log, instants: &instants)
    }

    func rewrite(record: CaseRecord, nextDue: CivilDate?, stored: StoredProjection, log: LogPosition) throws {
        projection = try PreparedProjection(record: record, nextDue: nextDue, stored: stored, log: log, instants: &instants)
    }

    func accountCurrency(_ id: String) throws -> Currency? { throw NeedsDatabase() }
    func caseSnapshot(_ id: String) throws -> CaseSnapshot? { throw NeedsDatabase() }
    func account(id: String) throws -> Account? { throw NeedsDatabase() }
    func recordedEvents(of id: String) throws -> [RecordedEvent] { throw NeedsDatabase() }
    func holdsAnyRecords() throws -> Bool { throw NeedsDatabase() }
    func invoiceExists(_ id: String) throws -> Bool { throw NeedsDatabase() }
    func paymentExists(_ id: String) throws -> Bool { throw NeedsDatabase() }
    func insert(account: Account) throws { throw NeedsDatabase() }
    func insert(invoice: Invoice) throws { throw NeedsDatabase() }
    func insert(payment: Payment) throws { throw NeedsDatabase() }
}

/// Items handed from one thread to another, first in first out. `put` never waits: the run
/// keeps at most two batches ahead of the writer.
final class Handoff<Item: Sendable>: Sendable {
    private let items = Mutex<[Item]>([])
    private let available = DispatchSemaphore(value: 0)

    func put(_ item: Item) {
        items.withLock { $0.append(item) }
        available.signal()
    }

    /// The first item, waiting for one.
    func take() -> Item {
        available.wait()
        return items.withLock { $0.removeFirst() }
    }
}

extension RunSummary {
    /// Adds the counts of `other` (not its placements, which go in order).
    mutating func addCounts(of other: RunSummary) {
        casesStepped += other.casesStepped
        eventsRecorded += other.eventsRecorded
        lettersDue += other.lettersDue
        for (kind, n) in other.eventsByKind { eventsByKind[kind, default: 0] += n }
        for (stage, n) in other.escalations { escalations[stage, default: 0] += n }
    }
}
