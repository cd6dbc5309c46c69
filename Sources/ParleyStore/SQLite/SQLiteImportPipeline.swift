import Foundation
import GRDB
import ParleyCore

extension SQLiteCaseStore {
    /// Reads and checks the files on a thread of their own while the records already read are
    /// written, in one transaction: what `importPortfolio(PortfolioImporter().read(files), …)`
    /// does, with the reading beside the writing instead of before it. All or nothing as well:
    /// a bad row rolls back what was written. The errors are the ones the two steps in turn
    /// would throw: the files' first `ImportError` when they have one (even when the write had
    /// already failed on a record before it), else the store's.
    ///
    /// Into a store that holds no account, invoice or payment yet (nothing to look up), the
    /// reading thread also takes each record through the lifecycle (`BatchImport` over
    /// `ImportStepStorage`, which answers from what this import wrote) and hands over the rows
    /// and events to write, encoded; the writer's thread only writes them. Otherwise the records
    /// go to the writer's thread, which takes them through the lifecycle against the database.
    /// At 200,000 accounts (999,960 invoices), the writer's thread was 90% of the import's CPU
    /// with the lifecycle on it, and about half of that was Swift work, not SQLite's.
    public func importPortfolio(_ files: ImportFiles, map: ColumnMap, actor: Actor, at: Date) async throws -> ImportSummary {
        let at = StoreCodec.wholeSecond(at)
        let channel = ImportChannel()
        let pool = self.pool
        let (policy, context) = (self.policy, self.context)
        let stepsOnReader = importStepsOnReader
        Self.growHeapsInLargeSteps()
        let reader = Thread {
            Thread.current.name = "parley-import-read"
            Self.readForImport(files, map: map, known: Self.knownRecords(pool), channel: channel,
                               policy: policy, context: context, actor: actor, at: at)
        }
        reader.start()
        do {
            return try await importTransaction(dropIndexes: true) { db, schema in
                let storage = SQLiteStorage(db: db)
                let lookUp = try storage.holdsAnyRecords()
                if !lookUp, stepsOnReader {
                    channel.decide(.writes(latestRun: try storage.latestRunDate()))
                    // One for the whole import: it gathers the accounts' debtor words until their
                    // file is read (`writeGatheredWords`).
                    var rows = RowInserts(db: db)
                    while let chunk = channel.receive() {
                        guard case .writes(let writes) = chunk else { continue }
                        // Each write used where it lies: copying it out of the array retained
                        // and released every string of it (`for write in writes`).
                        // The chunk's rows first, then its events: each table gets its rows in
                        // the same order (and so the same rowids) as written one after another,
                        // every event's account is there before it, and the events go
                        // `EventAppender.rows` to an INSERT instead of one or two between rows.
                        var events = EventAppender(db: db)
                        var texts = BoundTexts()
                        try writes.withUnsafeBufferPointer { writes in
                            for index in writes.indices { try writes[index].performRow(&rows, texts: &texts, schema: schema) }
                            try rows.flush()
                            for index in writes.indices { try writes[index].performEvent(events: &events) }
                        }
                        try events.flush()
                        channel.giveBack(chunk)
                    }
                    try channel.throwFailure()
                    try rows.writeGatheredWords()
                    guard let summary = channel.summary else {
                        throw StoreError.corruptRow(table: "accounts", key: "", reason: "the import's reading thread stopped without a summary")
                    }
                    return (summary, wordsWritten: true)
                }
                channel.decide(.records)
                let importer = BatchImport(session: CaseSession(storage: storage, policy: policy, context: context), actor: actor, at: at)
                var progress = try importer.begin()
                while let chunk = channel.receive() {
                    guard case .records(let records) = chunk else { continue }
                    for record in records { try importer.add(record, to: &progress) }
                }
                try channel.throwFailure()
                return (try importer.finish(&progress), wordsWritten: false)
            }
        } catch {
            if let failure = channel.abandon() { throw failure }
            throw error
        }
    }

    /// Lets glibc's heaps grow by 64 MiB at a time for the rest of the process
    /// (`mallopt(M_TOP_PAD)`), instead of 128 KiB: the reading thread's heap grows to hold every
    /// case of the import, and each step was an `mprotect` (`perf record`: 291 of its 8,251
    /// samples; `strace -c`: 132,835 calls, 80 with this). The bench's import with
    /// `MALLOC_TOP_PAD_=67108864` against without, alternated, five pairs: 8.41–8.96 s (mean 8.62)
    /// against 8.62–9.25 s (mean 8.85); this build against the one before, three pairs: 8.45–8.55
    /// against 8.50–8.97 s. Untouched pages of a larger step take no memory. `mallopt` is not in
    /// Swift's Glibc module (it is in `malloc.h`); it is looked up by name, and skipped where
    /// it is missing.
    static func growHeapsInLargeSteps() {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let topPad: Int32 = -2  // M_TOP_PAD in glibc's malloc.h
        _ = unsafeBitCast(symbol, to: Mallopt.self)(topPad, 64 << 20)
    }

    /// The reading thread: reads the files into records and hands them over, or (into an empty
    /// store) takes them through the lifecycle and hands over what to write.
    private static func readForImport(_ files: ImportFiles, map: ColumnMap, known: KnownRecords, channel: ImportChannel,
                                      policy: Policy, context: LifecycleContext, actor: Actor, at: Date) {
        let mode = channel.waitForDecision()
        // Into an empty store nothing is looked up in the database: it holds none of the ids a
        // row could refer to (and, written with a rollback journal, it cannot be read until the
        // commit: `RollbackJournalSpell`).
        let known: KnownRecords = if case .writes = mode { .none } else { known }
        var records: [ImportRecord] = []
        var storage: ImportStepStorage?
        var importer: BatchImport?
        var progress = BatchImport.Progress(lookUp: false)
        let sizes = files.sizes()
        if case .writes(let latestRun) = mode {
            let writes = ImportStepStorage(latestRun: latestRun) { channel.send(.writes($0)) }
            writes.reserve(accounts: sizes.accounts)
            storage = writes
            let session = CaseSession(storage: writes, policy: policy, context: context)
            progress.idsChecked = true
            progress.reserve(sizes)
            importer = BatchImport(session: session, actor: actor, at: at)
        }
        // The lifecycle's first error: the import fails with it unless a file has an error
        // further on, or writing an earlier record failed (what was worked out before it is
        // handed over, to be written). The files are read to their end.
        var storeError: (any Error)?
        func stepped(_ body: (BatchImport) throws -> Void) {
            guard storeError == nil, let importer, !channel.isAbandoned else { return }
            do { try body(importer) } catch { storeError = error }
            if storeError != nil { storage?.flush() }
        }
        // The file whose records came last: when the next comes from another (they come file
        // by file), its rows are all handed over.
        var file: ImportFileKind?
        func reading(_ next: ImportFileKind?) {
            guard next != file else { return }
            if let done = file { stepped { _ in storage?.written(done) } }
            file = next
        }
        do {
            try PortfolioImporter(map: map).stream(files, known: known, sizes: sizes) { record in
                if storage != nil { reading(record.file) }
                switch mode {
                case .records:
                    records.append(record)
                    if records.count == ImportChannel.chunkSize {
                        channel.send(.records(records))
                        records.removeAll(keepingCapacity: true)
                    }
                case .writes:
                    stepped { try $0.add(record, to: &progress) }
                case .abandoned:
                    break
                }
            }
            if !records.isEmpty { channel.send(.records(records)) }
            reading(nil)
            var summary: ImportSummary?
            stepped {
                summary = try $0.finish(&progress)
                storage?.flush()
            }
            channel.finish(fileError: nil, storeError: storeError, summary: summary)
        } catch {
            channel.finish(fileError: error, storeError: storeError, summary: nil)
        }
    }
}

/// A row or event of an import into an empty store, worked out on the reading thread and
/// written on the writer's, in the order `SQLiteStorage` would have written it.
///
/// The account and the projection are boxed (`indirect`): a value of the enum is as large as
/// its largest case, and most writes are events (104 bytes) and invoices (113); with the
/// projection (472 bytes) in line, each of the 1.7 million writes of an import of a million
/// invoices was copied into its chunk at 472 bytes.
enum ImportWrite: Sendable {
    indirect case account(Account)
    case invoice(Invoice)
    case payment(Payment)
    case event(PreparedEvent)
    indirect case projection(PreparedProjection)
    /// The import has written every row it will write to these tables: their indexes may be
    /// made (`ImportSchema.makeIndexes(on:)`).
    case tablesWritten(Set<String>)

    /// Writes it if it is an event, through `events`.
    func performEvent(events: inout EventAppender) throws {
        if case .event(let event) = self { try events.add(event) }
    }

    /// Writes it unless it is an event: an account (with its contacts; its debtor words
    /// gathered, written once the accounts are: `RowInserts.writeGatheredWords`), invoice
    /// or payment through `rows` (several to a statement, in their order, every row added before
    /// a projection written before it; `rows.flush()` after the last), a projection's texts
    /// through `texts`; the indexes of tables whose rows are all written through `schema`.
    func performRow(_ rows: inout RowInserts, texts: inout BoundTexts, schema: ImportSchema?) throws {
        switch self {
        case .account(let account): try rows.add(account: account, gatheringWords: true)
        case .invoice(let invoice): try rows.add(invoice: invoice)
        case .payment(let payment): try rows.add(payment: payment)
        case .event: break
        case .tablesWritten(let tables):
            if tables.contains("debtor_words") { try rows.writeGatheredWords() }
            try rows.flush()
            try schema?.makeIndexes(on: tables, rows.db)
        case .projection(let projection):
            try rows.flush()
            try Rows.write(projection, db: rows.db, texts: &texts)
        }
    }
}

/// What an import into an empty store reads and writes while it takes the records through the
/// lifecycle off the writer's thread: the database holds nothing but what this import writes,
/// so every read is answered from the writes made so far (the accounts' currencies and
/// debtors, and the payments and letters of each log, which the contact rules read), which are
/// kept, encoded, and handed over `chunkSize` at a time.
final class ImportStepStorage: CaseStorage {
    static let chunkSize = 2048

    let latestRun: CivilDate?
    private let send: ([ImportWrite]) -> Void
    private var writes: [ImportWrite] = []
    private var debtors: [String: (Debtor, Currency)] = [:]
    private var contactEvents: [String: [PreparedEvent]] = [:]
    private var instants = InstantText()

    init(latestRun: CivilDate?, send: @escaping ([ImportWrite]) -> Void) {
        self.latestRun = latestRun
        self.send = send
        writes.reserveCapacity(Self.chunkSize)
    }

    /// Room for the debtors of `accounts` accounts.
    func reserve(accounts: Int) {
        debtors.reserveCapacity(accounts)
    }

    /// Hands over the writes not yet handed over.
    func flush() {
        guard !writes.isEmpty else { return }
        send(writes)
        writes.removeAll(keepingCapacity: true)
    }

    private func add(_ write: ImportWrite) {
        writes.append(write)
        if writes.count == Self.chunkSize { flush() }
    }

    /// A read the import never makes; answered with an error rather than a guess.
    private func unexpected(_ what: String) -> StoreError {
        .corruptRow(table: "accounts", key: "", reason: "an import into an empty store read \(what), which it does not keep")
    }

    func accountCurrency(_ id: String) throws -> Currency? { debtors[id]?.1 }

    func caseSnapshot(_ id: String) throws -> CaseSnapshot? {
        // The session holds every case this import opened; there is no other.
        if debtors[id] != nil { throw unexpected("the case \(id) back") }
        return nil
    }

    func account(id: String) throws -> Account? { throw unexpected("the account \(id)") }
    func recordedEvents(of id: String) throws -> [RecordedEvent] { throw unexpected("the log of \(id)") }

    func contactRecords(of id: String) throws -> (Debtor, [RecordedEvent])? {
        guard let (debtor, currency) = debtors[id] else { return nil }
        let rows = ContactRows(name: debtor.name, kind: debtor.kind.rawValue, timeZone: debtor.timeZone, country: debtor.country,
                               region: debtor.region, currency: currency.code)
        return try rows.decoded(id: id, later: contactEvents[id] ?? [])
    }

    func holdsAnyRecords() throws -> Bool { false }
    func invoiceExists(_ id: String) throws -> Bool { false }
    func paymentExists(_ id: String) throws -> Bool { false }

    func insert(account: Account) throws {
        let d = account.debtor
        debtors[account.id] = (Debtor(name: d.name, kind: d.kind, timeZone: d.timeZone, country: d.country, region: d.region), account.currency)
        add(.account(account))
    }

    func insert(invoice: Invoice) throws { add(.invoice(invoice)) }
    func insert(payment: Payment) throws { add(.payment(payment)) }

    /// The rows of a file are all handed over: the writer may make the indexes of the tables
    /// they went to, and is handed them at once.
    func written(_ file: ImportFileKind) {
        let tables: Set<String>
        switch file {
        case .accounts: tables = ["accounts", "contacts", "debtor_words"]
        case .invoices: tables = ["invoices"]
        case .payments: tables = ["payments"]
        case .history: return
        }
        add(.tablesWritten(tables))
        flush()
    }

    func append(_ recorded: RecordedEvent, accountID: String, seq: Int, kind: String) throws -> Int64 {
        let event = try PreparedEvent(recorded, accountID: accountID, seq: seq, kind: kind, instants: &instants)
        if ContactRows.kinds.contains(kind) { contactEvents[accountID, default: []].append(event) }
        add(.event(event))
        return 0
    }

    func latestRunDate() throws -> CivilDate? { latestRun }

    func upsert(record: CaseRecord, nextDue: CivilDate?, log: LogPosition) throws {
        add(.projection(try PreparedProjection(record: record, nextDue: nextDue, stored: nil, log: log, instants: &instants)))
    }
}

/// From the reading thread to the writing one, a chunk at a time (at most `capacity` wait):
/// records, or what to write. The writer decides which once its transaction has begun; the
/// reader waits for that before it hands anything over.
final class ImportChannel: @unchecked Sendable {
    static let chunkSize = 1024
    /// Chunks waiting, at most. The two threads take turns at being the slower: the writer
    /// while it writes the accounts and their debtor words, the reader while it reads the
    /// invoices. With 64, the reader waited for the writer through the accounts, then the
    /// writer for the reader through the invoices (`perf record` of the bench's import: a
    /// third of each thread's samples in those seconds); with 512 the reader reads on. The
    /// bench's import, alternated, three pairs: 8.13–8.57 s with 64, 7.23–8.36 s with 512, the
    /// most resident memory alike (473 and 474 MB).
    static let capacity = 512

    enum Decision {
        /// Records, taken through the lifecycle on the writer's thread.
        case records
        /// Rows and events to write: the store is empty, the reader steps the records.
        case writes(latestRun: CivilDate?)
        /// The write failed or never began: the reader only reads the files for their error.
        case abandoned
    }

    enum Chunk {
        case records([ImportRecord])
        case writes([ImportWrite])
    }

    private let condition = NSCondition()
    private var decision: Decision?
    private var chunks: [Chunk] = []
    /// Chunks written, waiting for the reader to free them.
    private var spent: [Chunk] = []
    private var head = 0
    private var finished = false
    private var abandoned = false
    private var fileError: (any Error)?
    private var storeError: (any Error)?
    private var result: ImportSummary?

    /// From the writer, inside its transaction.
    func decide(_ decision: Decision) {
        condition.lock()
        defer { condition.unlock() }
        if self.decision == nil { self.decision = decision }
        condition.broadcast()
    }

    /// From the reader, before it hands anything over.
    func waitForDecision() -> Decision {
        condition.lock()
        defer { condition.unlock() }
        while decision == nil { condition.wait() }
        return decision!
    }

    var isAbandoned: Bool {
        condition.lock()
        defer { condition.unlock() }
        return abandoned
    }

    /// From the reader: the next chunk; waits while `capacity` chunks are waiting. Dropped once
    /// the writer has abandoned the import.
    func send(_ chunk: Chunk) {
        condition.lock()
        while chunks.count - head >= Self.capacity, !abandoned { condition.wait() }
        if abandoned {
            condition.unlock()
            return
        }
        chunks.append(chunk)
        let done = spent
        spent.removeAll()
        condition.broadcast()
        condition.unlock()
        // The chunks written are freed here, on the thread that made them (see `giveBack`).
        withExtendedLifetime(done) {}
    }

    /// From the writer: a chunk it has written, for the reader to free. glibc's free of a block
    /// from another thread's arena takes that arena's lock: with the writer freeing the
    /// reader's chunks, the two threads waited on each other's locks (3.4% of an import's
    /// samples at 200,000 accounts in futex calls, `perf record`).
    func giveBack(_ chunk: Chunk) {
        condition.lock()
        defer { condition.unlock() }
        spent.append(chunk)
    }

    /// From the reader: the files are read to their end or their first error (`fileError`);
    /// `storeError` is the lifecycle's first error, `summary` what the stepped import added.
    func finish(fileError: (any Error)?, storeError: (any Error)?, summary: ImportSummary?) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        self.fileError = fileError
        self.storeError = storeError
        result = summary
        condition.broadcast()
    }

    /// From the writer: the next chunk, nil once the reader has finished and every chunk was
    /// taken.
    func receive() -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        while head == chunks.count, !finished { condition.wait() }
        guard head < chunks.count else { return nil }
        let chunk = chunks[head]
        chunks[head] = .records([])
        head += 1
        if head > Self.capacity, head * 2 > chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return chunk
    }

    /// From the writer, once every chunk was taken: why the reader stopped, the files' error
    /// first.
    func throwFailure() throws {
        condition.lock()
        defer { condition.unlock() }
        if let fileError { throw fileError }
        if let storeError { throw storeError }
    }

    /// What the reader's stepped import added, once it has finished.
    var summary: ImportSummary? {
        condition.lock()
        defer { condition.unlock() }
        return result
    }

    /// From the writer, when its transaction failed (or never began): takes no more chunks,
    /// waits until the reader has read the files to their end or to their first error, and
    /// returns that error. The lifecycle's errors come after the writer's own: they were met
    /// on later records.
    func abandon() -> (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        abandoned = true
        if decision == nil { decision = .abandoned }
        chunks.removeAll()
        head = 0
        condition.broadcast()
        while !finished { condition.wait() }
        return fileError
    }
}
