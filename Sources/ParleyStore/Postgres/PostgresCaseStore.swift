import Foundation
import Logging
import ParleyCore
import NIOSSL
import PostgresNIO

/// The team store: the same tables, projections and rules as the SQLite file, on a PostgreSQL
/// server reached through postgres-nio. A write transaction locks the cases it touches
/// (`SELECT ... FOR UPDATE`), loads what the rules read, runs the same `CaseSession` as SQLite,
/// and writes the events and their projections before it commits: all of it, or none.
public final class PostgresCaseStore: CaseStore {
    public let url: PostgresURL
    public let policy: Policy
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    /// How many buffered writes an import sends at a time: sent all at the end, the writes of
    /// 200,000 accounts were held beside the records and the cases (`parley import` into a
    /// server on the same machine: 4.2 GB resident, 93 s; sent 20,000 at a time: 2.1 GB, 80 s).
    let importFlush: Int

    /// Connects to the server at `url` (a pool of up to `maxConnections`) and brings its schema
    /// up to date.
    public static func open(_ url: PostgresURL, policy: Policy = .standard, maxConnections: Int = 20) async throws -> PostgresCaseStore {
        try await probe(url)
        let store = try PostgresCaseStore(url: url, policy: policy, maxConnections: maxConnections)
        do {
            try await store.migrate()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// `importFlush`: how many buffered writes an import sends at a time (tests make it small).
    init(url: PostgresURL, policy: Policy, maxConnections: Int, importFlush: Int = 20_000) throws {
        precondition(importFlush > 0, "an import sends at least one write at a time")
        self.url = url
        self.policy = policy
        self.importFlush = importFlush
        var configuration = PostgresClient.Configuration(host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: try Self.tls(url))
        configuration.options.maximumConnections = maxConnections
        configuration.options.connectTimeout = .seconds(10)
        let logger = Logger(label: "parley.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        self.logger = logger
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
    }

    /// One connection made and closed, so that a server that cannot be reached, refuses the
    /// login or does not offer the TLS `sslmode` asks for is reported at once and by its cause
    /// (the pool retries for a minute and then reports only that its connections failed).
    static func probe(_ url: PostgresURL) async throws {
        let tls: PostgresConnection.Configuration.TLS
        switch try tlsContext(url) {
        case nil: tls = .disable
        case let (context, _)?:
            tls = url.tls == .prefer ? .prefer(context) : .require(context)
        }
        var configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        let logger = Logger(label: "parley.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch let error as PSQLError {
            throw StoreError.database(path: url.description, reason: message(error))
        } catch {
            throw StoreError.database(path: url.description, reason: "cannot reach the PostgreSQL server (\(error))")
        }
    }

    /// The client pool's TLS for the URL's `sslmode`.
    static func tls(_ url: PostgresURL) throws -> PostgresClient.Configuration.TLS {
        guard let (_, configuration) = try tlsContext(url) else { return .disable }
        return url.tls == .prefer ? .prefer(configuration) : .require(configuration)
    }

    /// The TLS settings for the URL's `sslmode` (libpq's meanings; `require` does not check the
    /// certificate, `verify-ca` checks who signed it, `verify-full` that it also names the host)
    /// and a context made from them, so that an unreadable certificate file is reported before
    /// connecting; nil for `disable`.
    static func tlsContext(_ url: PostgresURL) throws -> (NIOSSLContext, TLSConfiguration)? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch url.tls {
        case .disable: return nil
        case .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let path = url.rootCertificate {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw StoreError.database(path: url.description, reason: "sslrootcert \(path) cannot be read")
            }
            configuration.trustRoots = .file(path)
        }
        do {
            return (try NIOSSLContext(configuration: configuration), configuration)
        } catch {
            throw StoreError.database(path: url.description, reason: "the TLS settings cannot be used: \(error)")
        }
    }

    /// Creates an empty database `name` (letters, digits and underscores) on the server `server`
    /// names, connecting to `server`'s own database to do it.
    public static func createDatabase(_ name: String, on server: PostgresURL) async throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw StoreError.database(path: server.description, reason: "a database name is letters, digits and underscores, found \"\(name)\"")
        }
        let admin = try PostgresCaseStore(url: server, policy: .standard, maxConnections: 1)
        do {
            try await admin.execute("CREATE DATABASE \(name)")
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
    }

    /// One statement outside any transaction (CREATE DATABASE cannot run inside one).
    func execute(_ sql: String) async throws {
        let logger = self.logger
        do {
            try await client.withConnection { connection in
                _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
            }
        } catch let error as PSQLError {
            throw StoreError.database(path: url.description, reason: Self.message(error))
        }
    }

    /// Stops the connection pool; the store cannot be used afterwards.
    public func close() async {
        runner.cancel()
        _ = await runner.value
    }

    var context: LifecycleContext { LifecycleContext(policy: policy) }

    // MARK: - Schema

    /// Applies the migrations not yet recorded in `schema_migrations`, one transaction each, under
    /// an advisory lock so that two terminals starting together do not both migrate.
    func migrate() async throws {
        try await transaction { tx in
            try await tx.execute("SELECT pg_advisory_xact_lock(7252011)")
            try await tx.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            let applied = Set(try await tx.rows("SELECT name FROM schema_migrations").map { try $0.text("name") })
            for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
                for statement in migration.statements { try await tx.execute(statement) }
                try await tx.execute("INSERT INTO schema_migrations (name) VALUES ($1)", [migration.name])
            }
        }
    }

    /// The migrations applied, in order.
    public func appliedMigrations() async throws -> [String] {
        try await read { tx in try await tx.rows("SELECT name FROM schema_migrations ORDER BY name").map { try $0.text("name") } }
    }

    // MARK: - Writes

    public func importPortfolio(_ batch: ImportBatch, actor: Actor, at: Date) async throws -> ImportSummary {
        let at = StoreCodec.wholeSecond(at)
        return try await transaction { tx in
            // One import at a time: two imports of the same new account would otherwise race.
            try await tx.execute("SELECT pg_advisory_xact_lock(7252012)")
            let storage = PostgresStorage()
            try await storage.load(accounts: batch.accounts.map(\.id) + batch.invoices.map(\.accountID) + batch.payments.map(\.accountID) + batch.history.map(\.accountID), in: tx)
            try await storage.load(invoices: batch.invoices.map(\.id) + batch.payments.compactMap(\.invoiceID), payments: batch.payments.map(\.id), in: tx)
            let session = CaseSession(storage: storage, policy: self.policy, context: self.context)
            // The writes are sent `importFlush` at a time rather than all at the end.
            let importer = BatchImport(session: session, actor: actor, at: at)
            var progress = try importer.begin()
            func add(_ record: ImportRecord) async throws {
                try importer.add(record, to: &progress)
                if storage.writes.count >= self.importFlush { _ = try await storage.flush(in: tx) }
            }
            for account in batch.accounts { try await add(.account(account)) }
            for invoice in batch.invoices { try await add(.invoice(invoice)) }
            for payment in batch.payments { try await add(.payment(payment)) }
            for entry in batch.history { try await add(.history(entry)) }
            let summary = try importer.finish(&progress)
            _ = try await storage.flush(in: tx)
            return summary
        }
    }

    public func knownRecords() async throws -> KnownRecords {
        let (currencies, invoices) = try await read { tx in
            var currencies: [String: String] = [:]
            for row in try await tx.rows("SELECT id, currency FROM accounts") { currencies[try row.text("id")] = try row.text("currency") }
            var invoices: [String: String] = [:]
            for row in try await tx.rows("SELECT id, account_id FROM invoices") { invoices[try row.text("id")] = try row.text("account_id") }
            return (currencies, invoices)
        }
        return KnownRecords(accountCurrency: { id in currencies[id].flatMap { try? Currency(code: $0) } }, invoiceAccount: { invoices[$0] })
    }

    public func record(_ event: CaseEvent, accountID: String, actor: Actor, at: Date, expectedVersion: Int?) async throws -> RecordOutcome {
        let at = StoreCodec.wholeSecond(at)
        return try await transaction { tx in
            let rules = try await self.operatorRules(in: tx)
            let actor = try rules.authorize(actor)
            try rules.checkEvent(event)
            let (storage, session) = try await self.session(for: [accountID], in: tx)
            let (events, effects) = try WriteOperations.record(event, accountID: accountID, actor: actor, at: at, expectedVersion: expectedVersion, session: session)
            let ids = try await storage.flush(in: tx)
            return RecordOutcome(events: Self.numbered(events, ids), effects: effects, record: try await self.caseRecord(accountID, in: tx))
        }
    }

    public func evaluateCall(accountID: String, at: Date) async throws -> ContactVerdict {
        try await read { tx in
            let storage = PostgresStorage()
            try await storage.load(accounts: [accountID], in: tx)
            let session = CaseSession(storage: storage, policy: self.policy, context: self.context)
            guard let state = try session.state(of: accountID) else { throw StoreError.unknownAccount(accountID) }
            return try session.callVerdict(accountID: accountID, state: state, at: at)
        }
    }

    public func recordCall(accountID: String, outcome: CallOutcome, overrideReason: String?, actor: Actor, at: Date, expectedVersion: Int?) async throws -> (ContactVerdict, RecordOutcome) {
        let at = StoreCodec.wholeSecond(at)
        return try await transaction { tx in
            let actor = try await self.operatorRules(in: tx).authorize(actor)
            let (storage, session) = try await self.session(for: [accountID], in: tx)
            let (verdict, events, effects) = try WriteOperations.recordCall(accountID: accountID, outcome: outcome, overrideReason: overrideReason, actor: actor, at: at, expectedVersion: expectedVersion, session: session)
            let ids = try await storage.flush(in: tx)
            return (verdict, RecordOutcome(events: Self.numbered(events, ids), effects: effects, record: try await self.caseRecord(accountID, in: tx)))
        }
    }

    public func runDaily(asOf: CivilDate, actor: Actor, at: Date) async throws -> RunSummary {
        let at = StoreCodec.wholeSecond(at)
        return try await transaction { tx in
            try await tx.execute("SELECT pg_advisory_xact_lock(7252013)")
            if let previous = try await tx.rows("SELECT summary FROM runs WHERE as_of = $1", [asOf.iso]).first {
                var summary = try StoreCodec.decode(RunSummary.self, from: previous.text("summary"))
                summary.alreadyRun = true
                return summary
            }
            // Only the live cases on which time alone can have made something due are stepped
            // (and those whose due day is not known yet), a batch at a time: each batch's
            // accounts, cases and logs loaded, stepped, and written before the next is loaded.
            let ids = try await tx.rows("""
                SELECT account_id FROM cases
                WHERE status NOT IN ('resolved', 'writtenOff') AND (next_due_day <= $1 OR NOT next_due_known)
                ORDER BY account_id
                """, [Int64(asOf.daysSinceEpoch)]).map { try $0.text("account_id") }
            var summary = RunSummary(asOf: asOf)
            var start = 0
            while start < ids.count {
                let batch = Array(ids[start..<min(ids.count, start + Self.runBatch)])
                let (storage, session) = try await self.session(for: batch, in: tx)
                let stepped = try WriteOperations.runDaily(ids: batch, asOf: asOf, actor: actor, at: at, session: session)
                summary.add(stepped)
                _ = try await storage.flush(in: tx)
                start += Self.runBatch
            }
            try await Self.bringPriorities(to: asOf, in: tx)
            summary.casesTicked = Int(try await tx.rows("SELECT COUNT(*) AS n FROM cases WHERE status NOT IN ('resolved', 'writtenOff')").first?.integer("n") ?? 0)
            try await tx.execute("INSERT INTO runs (as_of, at, actor, summary) VALUES ($1, $2, $3, $4)",
                                 [asOf.iso, StoreCodec.timestamp(at), actor.name, try StoreCodec.encode(summary)])
            return summary
        }
    }

    /// Cases the daily run loads, steps and writes at a time.
    static let runBatch = 1_000

    /// Brings the stored priority of every live case not written on the run's day (or later) to
    /// the priority on the latest run's date, from the narrow inputs the projection keeps: the
    /// same `PriorityInputs.points` the projection uses, so the queue's order is the priority it
    /// shows. Only the rows whose priority changes are written.
    static func bringPriorities(to asOf: CivilDate, in tx: PostgresTransaction) async throws {
        let latest = try await tx.rows("SELECT MAX(as_of) AS run_on FROM runs").first.flatMap { try $0.optionalText("run_on") }.flatMap(CivilDate.init(iso:))
        let clock = max(asOf, latest ?? asOf)
        var currencies: [String: Currency] = [:]
        var changedIDs: [String] = []
        var changedPoints: [Int64] = []
        for row in try await tx.rows("""
            SELECT account_id, stage, balance_minor, currency, oldest_due_day, callback_day, promise_due_day,
                   promise_left_minor, promises_broken, last_contact_day, priority
            FROM cases
            WHERE status NOT IN ('resolved', 'writtenOff') AND as_of < $1 AND next_due_known
            """, [clock.iso]) {
            let id = try row.text("account_id")
            guard let stage = Stage(rawValue: try row.text("stage")) else {
                throw StoreError.corruptRow(table: "cases", key: id, reason: "unreadable stage")
            }
            let code = try row.text("currency")
            let currency = try currencies[code] ?? Currency(code: code)
            currencies[code] = currency
            func day(_ column: String) throws -> Int? { try row.optionalInteger(column).map(Int.init) }
            let inputs = PriorityInputs(
                stage: stage, balance: Money(minorUnits: try row.integer("balance_minor"), currency: currency),
                oldestDueDay: try day("oldest_due_day"), callbackDay: try day("callback_day"), promiseDueDay: try day("promise_due_day"),
                promiseLeftMinor: try row.integer("promise_left_minor"), promisesBroken: Int(try row.integer("promises_broken")),
                lastContactDay: try day("last_contact_day"))
            let points = Int64(inputs.points(asOf: clock))
            if points != (try row.integer("priority")) {
                changedIDs.append(id)
                changedPoints.append(points)
            }
        }
        var start = 0
        while start < changedIDs.count {
            let end = min(changedIDs.count, start + 10_000)
            try await tx.execute("""
                UPDATE cases SET priority = v.points
                FROM UNNEST($1::text[], $2::bigint[]) AS v(id, points)
                WHERE cases.account_id = v.id
                """, [Array(changedIDs[start..<end]), Array(changedPoints[start..<end])])
            start = end
        }
    }

    public func rebuildProjections() async throws -> Int {
        try await transaction { tx in
            try await tx.execute("LOCK TABLE cases IN EXCLUSIVE MODE")
            let names = Dictionary(uniqueKeysWithValues: try await tx.rows("SELECT id, debtor_name, assignee FROM accounts").map {
                (try $0.text("id"), (try $0.text("debtor_name"), try $0.optionalText("assignee")))
            })
            let log = try await tx.rows("SELECT \(RowDecoding.eventColumns) FROM events ORDER BY case_id, seq").map(RowDecoding.storedEvent)
            try await tx.execute("DELETE FROM cases")
            let runDate = try await tx.rows("SELECT MAX(as_of) AS run_on FROM runs").first.flatMap { try $0.optionalText("run_on") }.flatMap(CivilDate.init(iso:))
            // The debtors, for the contact rules' view of a case waiting to be placed with the
            // agency (its next due day depends on whether they block the placement).
            let debtors = PostgresStorage()
            try await debtors.load(accounts: Array(names.keys), in: tx, logs: false)
            var count = 0
            var start = log.startIndex
            while start < log.endIndex {
                let id = log[start].accountID
                var end = start
                while end < log.endIndex, log[end].accountID == id { end += 1 }
                guard let (name, assignee) = names[id] else { throw StoreError.unknownAccount(id) }
                let events = Array(log[start..<end])
                if let record = try WriteOperations.rebuiltRecord(log: events, debtorName: name, assignee: assignee, runDate: runDate, context: self.context, policy: self.policy) {
                    let nextDue = try Projection.nextDue(state: record.state, runDate: runDate, policy: self.policy) {
                        guard let debtor = try debtors.account(id: id)?.debtor else { throw StoreError.unknownAccount(id) }
                        return ContactProfile(state: record.state, debtor: debtor, events: events.map(\.recorded))
                    }
                    try await PostgresStorage.upsert(record, nextDue: .some(nextDue), in: tx)
                    count += 1
                }
                start = end
            }
            return count
        }
    }

    // MARK: - Claims

    public func claimNext(collector: String, leaseSeconds: Int, at: Date) async throws -> CaseRecord? {
        let now = StoreCodec.timestamp(at)
        let until = StoreCodec.timestamp(at.addingTimeInterval(TimeInterval(leaseSeconds)))
        return try await transaction { tx in
            var passed: [String] = []
            // A case another claimer is taking right now is locked and skipped; the lease insert
            // is the final word, as it sees leases committed after this statement's snapshot.
            while passed.count < 16 {
                guard let row = try await tx.rows("""
                    SELECT \(RowDecoding.caseColumns) FROM cases c
                    WHERE in_queue
                      AND NOT (account_id = ANY($2))
                      AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.account_id = c.account_id AND l.expires_at > $1)
                    ORDER BY priority DESC, account_id
                    LIMIT 1
                    FOR UPDATE OF c SKIP LOCKED
                    """, [now, passed]).first else { return nil }
                let record = try RowDecoding.caseRecord(row, policy: policy)
                let taken = try await tx.rows("""
                    INSERT INTO leases (account_id, collector, claimed_at, expires_at) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (account_id) DO UPDATE
                    SET collector = EXCLUDED.collector, claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at
                    WHERE leases.expires_at <= $3
                    RETURNING account_id
                    """, [record.accountID, collector, now, until])
                if !taken.isEmpty { return record }
                passed.append(record.accountID)
            }
            return nil
        }
    }

    public func release(accountID: String, collector: String) async throws {
        try await transaction { tx in
            try await tx.execute("DELETE FROM leases WHERE account_id = $1 AND collector = $2", [accountID, collector])
        }
    }

    // MARK: - Reads

    /// The queue's filter as a condition on a row of `cases`, the same rule as SQLite's debtor
    /// words: each word of the filter starts a word of the name, or the filter starts the account
    /// id or an invoice id. Nil without a filter. Bulk reassignment selects by it too.
    static func matchCondition(filter text: String?, bind: (any SQLBindable) -> String) -> String? {
        guard let filter = text?.trimmingCharacters(in: .whitespaces), !filter.isEmpty else { return nil }
        let name = QueueMatch.words(filter).map { word -> String in
            let escaped = WriteOperations.likePrefix(word)
            return "(lower(debtor_name) LIKE \(bind(escaped)) ESCAPE '\\' OR lower(debtor_name) LIKE \(bind("% " + escaped)) ESCAPE '\\')"
        }
        let prefix = bind(WriteOperations.likePrefix(filter))
        return """
            ((\(name.isEmpty ? "false" : name.joined(separator: " AND "))) \
            OR account_id LIKE \(prefix) ESCAPE '\\' \
            OR account_id IN (SELECT account_id FROM invoices WHERE id LIKE \(prefix) ESCAPE '\\'))
            """
    }

    public func queue(_ query: QueueQuery) async throws -> QueuePage {
        try await read { tx in
            var conditions: [String] = []
            var values: [any SQLBindable] = []
            func bind(_ value: any SQLBindable) -> String {
                values.append(value)
                return "$\(values.count)"
            }
            if !query.includeAll { conditions.append("in_queue") }
            if let condition = Self.matchCondition(filter: query.filter, bind: bind) { conditions.append(condition) }
            let filtered = conditions, filterValues = values
            var reversed = false
            switch query.position {
            case .top: break
            case .after(let key):
                conditions.append("(priority < \(bind(key.priority)) OR (priority = \(bind(key.priority)) AND account_id > \(bind(key.accountID))))")
            case .before(let key):
                conditions.append("(priority > \(bind(key.priority)) OR (priority = \(bind(key.priority)) AND account_id < \(bind(key.accountID))))")
                reversed = true
            case .end:
                reversed = true
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let order = reversed ? "priority ASC, account_id DESC" : "priority DESC, account_id"
            let limit = bind(max(0, query.limit)), offset = bind(max(0, query.offset))
            var rows = try await tx.rows("SELECT \(RowDecoding.caseColumns) FROM cases \(whereClause) ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)", values)
            if reversed { rows.reverse() }
            var total = -1
            if query.countTotal {
                let countWhere = filtered.isEmpty ? "" : "WHERE " + filtered.joined(separator: " AND ")
                total = Int(try await tx.rows("SELECT COUNT(*) AS n FROM cases \(countWhere)", filterValues).first?.integer("n") ?? 0)
            }
            return QueuePage(entries: try rows.map { try RowDecoding.caseRecord($0, policy: policy) }, offset: query.offset, total: total,
                             keys: try rows.map { QueueKey(priority: Int(try $0.integer("priority")), accountID: try $0.text("account_id")) })
        }
    }

    public func account(id: String) async throws -> Account? {
        try await read { tx in
            let storage = PostgresStorage()
            try await storage.load(accounts: [id], in: tx)
            return try storage.account(id: id)
        }
    }

    public func caseRecord(accountID: String) async throws -> CaseRecord? {
        try await read { tx in try await tx.rows("SELECT \(RowDecoding.caseColumns) FROM cases WHERE account_id = $1", [accountID]).first.map { try RowDecoding.caseRecord($0, policy: policy) } }
    }

    /// The accounts and cases of `ids` (those that exist) and, with `histories`, their logs,
    /// in one transaction of a few `= ANY($1)` queries whatever their number (the letters of
    /// the first day at 20,000 accounts had taken 67.5 s a letter's reads at a time, the day's
    /// placement file 39.8 s).
    public func accountsAndCases(_ ids: [String], histories: Bool) async throws -> [String: (Account, CaseRecord, [StoredEvent])] {
        let policy = self.policy
        return try await read { tx in
            let storage = PostgresStorage()
            let ids = Array(Set(ids))
            try await storage.load(accounts: ids, in: tx, logs: false)
            var logs: [String: [StoredEvent]] = [:]
            if histories {
                for row in try await tx.rows("SELECT \(RowDecoding.eventColumns) FROM events WHERE case_id = ANY($1) ORDER BY case_id, seq", [ids]) {
                    let event = try RowDecoding.storedEvent(row)
                    logs[event.accountID, default: []].append(event)
                }
            }
            var found: [String: (Account, CaseRecord, [StoredEvent])] = [:]
            for row in try await tx.rows("SELECT \(RowDecoding.caseColumns) FROM cases WHERE account_id = ANY($1)", [ids]) {
                let record = try RowDecoding.caseRecord(row, policy: policy)
                if let account = try storage.account(id: record.accountID) { found[record.accountID] = (account, record, logs[record.accountID] ?? []) }
            }
            return found
        }
    }

    public func history(accountID: String) async throws -> [StoredEvent] {
        try await read { tx in
            try await tx.rows("SELECT \(RowDecoding.eventColumns) FROM events WHERE case_id = $1 ORDER BY seq", [accountID]).map(RowDecoding.storedEvent)
        }
    }

    public func lettersSent(on date: CivilDate) async throws -> [SentLetter] {
        try await read { tx in
            try await tx.rows("""
                SELECT \(RowDecoding.eventColumns) FROM events
                WHERE kind = 'letter-sent' AND (payload::jsonb #>> '{letterSent,on}') = $1
                ORDER BY case_id, seq
                """, [date.iso]).map(RowDecoding.storedEvent).compactMap { stored in
                guard case .letterSent(let kind, let on) = stored.event else { return nil }
                return SentLetter(accountID: stored.accountID, kind: kind, on: on)
            }
        }
    }

    public func placements(on date: CivilDate) async throws -> PlacementDay {
        try await read { tx in
            let placed = try await tx.rows("""
                SELECT DISTINCT case_id FROM events
                WHERE (kind = $1 AND (payload::jsonb #>> '{placedWithAgency,on}') = $2)
                   OR (kind = $3 AND (payload::jsonb #>> '{escalated,to}') = 'agency' AND (payload::jsonb #>> '{escalated,on}') = $2)
                ORDER BY case_id
                """, [EventKind.placedWithAgency.rawValue, date.iso, EventKind.escalated.rawValue]).map { try $0.text("case_id") }
            let recalled = try await tx.rows("SELECT \(RowDecoding.eventColumns) FROM events WHERE kind = $1 ORDER BY case_id, seq", [EventKind.recalled.rawValue])
                .map(RowDecoding.storedEvent)
                .filter { CivilDate(utcInstant: $0.at) == date }
                .map(\.accountID)
            return PlacementDay(placed: placed, recalled: Array(Set(recalled)).sorted())
        }
    }

    public func report(asOf date: CivilDate) async throws -> PortfolioReport {
        try await read { tx in
            let counts = try await tx.rows("SELECT stage, status, COUNT(*) AS n FROM cases GROUP BY stage, status").map {
                (stage: try $0.text("stage"), status: try $0.text("status"), n: Int(try $0.integer("n")))
            }
            let states = try await tx.rows("SELECT state FROM cases ORDER BY account_id").map { try StoreCodec.decodeState($0.text("state")) }
            return WriteOperations.report(asOf: date, counts: counts, states: states)
        }
    }

    public func allCaseRecords() async throws -> [CaseRecord] {
        try await read { tx in try await tx.rows("SELECT \(RowDecoding.caseColumns) FROM cases ORDER BY account_id").map { try RowDecoding.caseRecord($0, policy: policy) } }
    }

    // MARK: - Plumbing

    /// A session over the cases `ids`, loaded and locked for this transaction.
    func session(for ids: [String], in tx: PostgresTransaction) async throws -> (PostgresStorage, CaseSession) {
        let storage = PostgresStorage()
        try await storage.load(accounts: ids, in: tx)
        return (storage, CaseSession(storage: storage, policy: policy, context: context))
    }

    func caseRecord(_ accountID: String, in tx: PostgresTransaction) async throws -> CaseRecord {
        guard let row = try await tx.rows("SELECT \(RowDecoding.caseColumns) FROM cases WHERE account_id = $1", [accountID]).first else {
            throw StoreError.unknownAccount(accountID)
        }
        return try RowDecoding.caseRecord(row, policy: policy)
    }

    /// The events written, with the ids the log gave them.
    static func numbered(_ events: [StoredEvent], _ ids: [EventKey: Int64]) -> [StoredEvent] {
        events.map { event in
            var event = event
            event.id = ids[EventKey(accountID: event.accountID, seq: event.seq)] ?? event.id
            return event
        }
    }

    /// One transaction on one pooled connection: committed when `body` returns, rolled back
    /// when it throws. Server errors come back as `StoreError.database` naming the server.
    func transaction<T>(_ body: (PostgresTransaction) async throws -> T) async throws -> T {
        let logger = self.logger
        do {
            return try await client.withConnection { connection in
                let tx = PostgresTransaction(connection: connection, logger: logger)
                try await tx.execute("BEGIN")
                do {
                    let result = try await body(tx)
                    try await tx.execute("COMMIT")
                    return result
                } catch {
                    try? await tx.execute("ROLLBACK")
                    throw error
                }
            }
        } catch let error as PSQLError {
            throw StoreError.database(path: url.description, reason: Self.message(error))
        }
    }

    /// A read: one transaction that writes nothing.
    func read<T>(_ body: (PostgresTransaction) async throws -> T) async throws -> T {
        try await transaction(body)
    }

    /// The server's own message when there is one ("the event log is append-only").
    static func message(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] { return message }
        switch error.code {
        case .sslUnsupported:
            return "the server does not offer TLS, which the URL's sslmode requires (turn ssl on in postgresql.conf, or write sslmode=prefer)"
        case .connectionError, .serverClosedConnection, .unexpectedBackendMessage:
            return "cannot reach the PostgreSQL server (\(error.underlying.map { "\($0)" } ?? "\(error.code)"))"
        default:
            return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
        }
    }
}
