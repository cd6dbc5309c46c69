import Foundation
import GRDB
import GRDBSQLite
import ParleyCore

extension Database {
    /// Runs a statement prepared once per connection: the import and the run repeat the same few
    /// statements hundreds of thousands of times.
    func executeCached(sql: String, arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension Row: StoreRow {
    func text(_ column: String) throws -> String {
        guard let value: String = self[column] else { throw StoreError.corruptRow(table: "?", key: column, reason: "NULL where text is required") }
        return value
    }
    func optionalText(_ column: String) throws -> String? { self[column] }
    func integer(_ column: String) throws -> Int64 { self[column] }
    func flag(_ column: String) throws -> Bool { self[column] }
}

/// A result row copied out of a `DirectStatement`, for the reads done thousands of times (an
/// account and its case for each letter `parley run` writes, a detail in the workbench): GRDB's
/// `Row` builds a lower-cased column index for each row it reads and lower-cases every column
/// name at each lookup by name. `parley letters` for the 20,000-account benchmark's first day
/// (16,700 letters): the accounts' reads took 60% of the reading thread in GRDB's row code
/// (`perf record`); a column here is found by an exact match of its name (parley's queries name
/// their columns in lower case).
struct CopiedRow: StoreRow {
    enum Value {
        case null
        case integer(Int64)
        case text(String)
    }

    let names: [String]
    let values: [Value]

    /// Every row `statement` gives for its bound arguments.
    static func fetchAll(_ statement: DirectStatement) throws -> [CopiedRow] {
        var rows: [CopiedRow] = []
        let names = statement.columnNames
        while try statement.step() {
            rows.append(CopiedRow(names: names, values: statement.values))
        }
        return rows
    }

    /// The first row `statement` gives, if any (the statement is reset after it).
    static func fetchOne(_ statement: DirectStatement) throws -> CopiedRow? {
        guard try statement.step() else { return nil }
        defer { sqlite3_reset(statement.handle) }
        return CopiedRow(names: statement.columnNames, values: statement.values)
    }

    private func value(_ column: String) throws -> Value {
        guard let i = names.firstIndex(of: column) else {
            throw StoreError.corruptRow(table: "?", key: column, reason: "the query does not select it")
        }
        return values[i]
    }

    func text(_ column: String) throws -> String {
        guard let value = try optionalText(column) else { throw StoreError.corruptRow(table: "?", key: column, reason: "NULL where text is required") }
        return value
    }

    func optionalText(_ column: String) throws -> String? {
        switch try value(column) {
        case .null: nil
        case .text(let text): text
        case .integer(let number): String(number)
        }
    }

    func integer(_ column: String) throws -> Int64 {
        switch try value(column) {
        case .integer(let number): return number
        case .text(let text):
            guard let number = Int64(text) else { throw StoreError.corruptRow(table: "?", key: column, reason: "not a number: \(text)") }
            return number
        case .null: throw StoreError.corruptRow(table: "?", key: column, reason: "NULL where a number is required")
        }
    }

    func flag(_ column: String) throws -> Bool { try integer(column) != 0 }
}

/// Reading and writing SQLite rows; the column lists and the decoding are `RowDecoding`'s.
enum Rows {
    static let eventColumns = RowDecoding.eventColumns
    /// What a read of `cases` selects: the columns `RowDecoding` reads, the state from
    /// `case_states` (its key is named `case_id`, so that `account_id` here is the case row's
    /// whether the query names `cases` or an alias) and the date of the latest run.
    static let caseColumns = RowDecoding.caseRowColumns
        + ", (SELECT state FROM case_states WHERE case_id = account_id) AS state, (SELECT MAX(as_of) FROM runs) AS run_on"

    // The three inserts below bind through `DirectStatement`, not GRDB's arguments: at 20,000
    // accounts (100,081 invoices, 33,505 payments) they took 0.69 s of the import's CPU instead
    // of 1.01 s (perf, one profile each, release build). One row each; an import writes many
    // through one `RowInserts`.
    static func insert(account: Account, db: Database) throws {
        var rows = RowInserts(db: db)
        try rows.insert(account: account)
    }

    static func insert(invoice: Invoice, db: Database) throws {
        var rows = RowInserts(db: db)
        try rows.insert(invoice: invoice)
    }

    static func insert(payment: Payment, db: Database) throws {
        var rows = RowInserts(db: db)
        try rows.insert(payment: payment)
    }

    static func debtorNameAndAssignee(accountID: String, db: Database) throws -> (String, String?) {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT debtor_name, assignee FROM accounts WHERE id = ?"), arguments: [accountID]) else {
            throw StoreError.unknownAccount(accountID)
        }
        return (row["debtor_name"], row["assignee"])
    }

    /// The columns an upsert writes; on a conflict every one but the key is taken from the new
    /// row: an update in place, so the triggers that keep the queue's counts and debtor words see
    /// an update, not a delete and an insert.
    static let upsertColumns = "\(RowDecoding.caseRowColumns), \(priorityInputColumns), next_due_day"
    static let upsertAssignments = upsertColumns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { $0 != "account_id" }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")

    /// Writes a projection row with the narrow columns the daily run reads instead of the state:
    /// the day something next falls due, and the inputs of the priority (`PriorityInputs`); the
    /// state goes to `case_states`.
    static func upsert(record: CaseRecord, nextDue: CivilDate?, log: LogPosition, db: Database) throws {
        var instants = InstantText()
        try write(PreparedProjection(record: record, nextDue: nextDue, stored: nil, log: log, instants: &instants), db: db)
    }

    /// Writes a projection worked out beforehand: an upsert, or, for a case whose row was read
    /// in this transaction (`stored` its indexed columns and rowids), the same row by an UPDATE that sets
    /// the indexed columns only where they change (SQLite rewrites an index entry for any column
    /// an UPDATE sets, even to its value: on 400,000 rows, `SET a = a` with `a` indexed took 10
    /// times the CPU of an unindexed column) and leaves the debtor name, which is the row's.
    static func write(_ projection: PreparedProjection, db: Database) throws {
        var texts = BoundTexts(capacity: 2_048)
        try write(projection, db: db, texts: &texts)
    }

    /// `write(_:db:)`, the texts bound through `texts` (kept by a caller that writes many).
    static func write(_ projection: PreparedProjection, db: Database, texts: inout BoundTexts) throws {
        let v = projection.values
        let p = projection.inputs
        let nextDueDay = projection.nextDueDay
        guard let stored = projection.stored else {
            // Bound through `DirectStatement`, not GRDB's arguments (22 values boxed a row): the
            // import writes 200,000 of these.
            let row = try DirectStatement(db, sql: upsertSQL)
            texts.removeAll()
            var index: Int32 = 0
            func next() -> Int32 { index += 1; return index }
            texts.add(v.accountID, at: next(), of: row)
            texts.add(v.debtorName, at: next(), of: row)
            texts.add(v.stage, at: next(), of: row)
            texts.add(v.status, at: next(), of: row)
            row.bind(v.balanceMinor, at: next())
            texts.add(v.currency, at: next(), of: row)
            row.bind(v.daysPastDue, at: next())
            row.bind(v.priority, at: next())
            row.bind(v.inQueue, at: next())
            texts.add(v.assignee, at: next(), of: row)
            row.bind(v.version, at: next())
            texts.add(v.asOf, at: next(), of: row)
            bind(p, to: row, next: next)
            row.bind(nextDueDay, at: next())
            try row.execute(binding: texts)
            let state = try DirectStatement(db, sql: """
                INSERT INTO case_states (case_id, state, seq, latest_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (case_id) DO UPDATE SET state = excluded.state, seq = excluded.seq, latest_at = excluded.latest_at
                """)
            texts.removeAll()
            texts.add(v.accountID, at: 1, of: state)
            texts.add(v.state, at: 2, of: state)
            state.bind(projection.seq, at: 3)
            texts.add(projection.latestAt, at: 4, of: state)
            try state.execute(binding: texts)
            return
        }
        let stageChanges = v.stage != stored.stage || v.status != stored.status
        let priorityChanges = v.priority != stored.priority
        // `in_queue` is set only when it changes: the two triggers on an UPDATE OF in_queue (the
        // queue's counts, and then the debtor words' flag, gone since v11) made each such UPDATE
        // about three times as dear even when their WHEN was false (sqlite3
        // alone, 177,687 rows at 200,000 accounts setting stage, status, priority and next due
        // day: 1.3 s; with `in_queue = 1` as well, to its own value: 4.5 s).
        let queueChanges = v.inQueue != stored.inQueue
        let dueChanges = nextDueDay != stored.nextDueDay
        let assigneeChanges = v.assignee != stored.assignee
        let shape = (stageChanges ? 1 : 0) | (priorityChanges ? 2 : 0) | (dueChanges ? 4 : 0) | (assigneeChanges ? 8 : 0) | (queueChanges ? 16 : 0)
        let statement = try DirectStatement(db, sql: rewriteSQL[shape])
        texts.removeAll()
        var index: Int32 = 0
        func next() -> Int32 { index += 1; return index }
        statement.bind(v.balanceMinor, at: next())
        texts.add(v.currency, at: next(), of: statement)
        statement.bind(v.daysPastDue, at: next())
        statement.bind(v.version, at: next())
        texts.add(v.asOf, at: next(), of: statement)
        bind(p, to: statement, next: next)
        if stageChanges {
            texts.add(v.stage, at: next(), of: statement)
            texts.add(v.status, at: next(), of: statement)
        }
        if priorityChanges { statement.bind(v.priority, at: next()) }
        if queueChanges { statement.bind(v.inQueue, at: next()) }
        if dueChanges { statement.bind(nextDueDay, at: next()) }
        if assigneeChanges { texts.add(v.assignee, at: next(), of: statement) }
        statement.bind(stored.rowID, at: next())
        try statement.execute(binding: texts)
        try requireOneRowChanged("cases", v.accountID, db: db)
        let state = try DirectStatement(db, sql: "UPDATE case_states SET state = ?, seq = ?, latest_at = ? WHERE rowid = ?")
        texts.removeAll()
        texts.add(v.state, at: 1, of: state)
        state.bind(projection.seq, at: 2)
        texts.add(projection.latestAt, at: 3, of: state)
        state.bind(stored.stateRowID, at: 4)
        try state.execute(binding: texts)
        try requireOneRowChanged("case_states", v.accountID, db: db)
    }

    /// An UPDATE by a rowid read earlier in the transaction changes exactly that row; anything
    /// else is an error, never a write silently lost.
    private static func requireOneRowChanged(_ table: String, _ accountID: String, db: Database) throws {
        guard db.changesCount == 1 else {
            throw StoreError.corruptRow(table: table, key: accountID, reason: "the row read earlier in this transaction is no longer there")
        }
    }

    /// The priority's inputs, in the order of `priorityInputColumns`, at the next places.
    private static func bind(_ p: PriorityInputs, to statement: DirectStatement, next: () -> Int32) {
        statement.bind(p.oldestDueDay, at: next())
        statement.bind(p.callbackDay, at: next())
        statement.bind(p.promiseDueDay, at: next())
        statement.bind(p.promiseLeftMinor, at: next())
        statement.bind(p.promisesBroken, at: next())
        statement.bind(p.lastContactDay, at: next())
    }

    /// Appends an event to the log (`PreparedEvent`, its payload encoded); returns its id.
    static func insert(event: PreparedEvent, db: Database) throws -> Int64 {
        let statement = try DirectStatement(db, sql: insertEventsSQL[1])
        var texts = BoundTexts(capacity: 256)
        bind(event, after: 0, to: statement, texts: &texts)
        try statement.execute(binding: texts)
        return db.lastInsertedRowID
    }

    /// An event's values at the seven parameters after `offset` of an INSERT of `insertEventsSQL`.
    static func bind(_ event: PreparedEvent, after offset: Int32, to statement: DirectStatement, texts: inout BoundTexts) {
        texts.add(event.accountID, at: offset + 1, of: statement)
        statement.bind(event.seq, at: offset + 2)
        texts.add(event.at, at: offset + 3, of: statement)
        texts.add(event.actor, at: offset + 4, of: statement)
        texts.add(event.role, at: offset + 5, of: statement)
        texts.add(event.kind, at: offset + 6, of: statement)
        texts.add(event.payload, at: offset + 7, of: statement)
    }

    /// The INSERT of `count` events (1 to `EventAppender.rows`), each row's values bound by
    /// `bind(_:after:to:texts:)`.
    static let insertEventsSQL: [String] = (0...EventAppender.rows).map { count in
        "INSERT INTO events (case_id, seq, at, actor, actor_role, kind, payload) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: count).joined(separator: ", ")
    }

    /// The upsert of `write` when the row was not read: every column of the row, in the order
    /// of `upsertColumns`.
    private static let upsertSQL = """
        INSERT INTO cases (\(upsertColumns))
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (account_id) DO UPDATE SET \(upsertAssignments)
        """

    /// The UPDATE of `write` for a row read in the transaction, for each combination of indexed
    /// columns that change (bit 1: stage and status, 2: priority, 16: in_queue, 4: next_due_day,
    /// 8: assignee), bound in that order, then the row's rowid.
    ///
    /// `OR FAIL`: an UPDATE that fires a trigger (a case joining or leaving the queue) is
    /// otherwise one that may have to undo half of itself, for which SQLite copies every page it
    /// touches into a statement journal first. sqlite3 alone, 150,000 cases leaving the queue at
    /// 200,000 accounts (16 KiB pages): 3.3–3.5 s with the journal in memory, 4.3–4.7 s in a
    /// file, 1.2 s with `OR FAIL`. What a failed statement leaves is never kept: every write is
    /// in a transaction that an error rolls back whole.
    private static let rewriteSQL: [String] = (0..<32).map { shape in
        var columns = ["balance_minor", "currency", "days_past_due", "version", "as_of",
                       "oldest_due_day", "callback_day", "promise_due_day", "promise_left_minor", "promises_broken", "last_contact_day"]
        if shape & 1 != 0 { columns += ["stage", "status"] }
        if shape & 2 != 0 { columns += ["priority"] }
        if shape & 16 != 0 { columns += ["in_queue"] }
        if shape & 4 != 0 { columns += ["next_due_day"] }
        if shape & 8 != 0 { columns += ["assignee"] }
        return "UPDATE OR FAIL cases SET " + columns.map { "\($0) = ?" }.joined(separator: ", ") + " WHERE rowid = ?"
    }

    static let priorityInputColumns = "oldest_due_day, callback_day, promise_due_day, promise_left_minor, promises_broken, last_contact_day"

    static func caseRecord(accountID: String, db: Database, policy: Policy) throws -> CaseRecord? {
        let statement = try DirectStatement(db, sql: "SELECT \(caseColumns) FROM cases WHERE account_id = ?")
        statement.bind(accountID, at: 1)
        return try CopiedRow.fetchOne(statement).map { try RowDecoding.caseRecord($0, policy: policy) }
    }

    static func caseRecord(_ row: Row, policy: Policy) throws -> CaseRecord { try RowDecoding.caseRecord(row, policy: policy) }
    static func storedEvent(_ row: Row) throws -> StoredEvent { try RowDecoding.storedEvent(row) }

    static func account(id: String, db: Database) throws -> Account? {
        func rows(_ sql: String) throws -> DirectStatement {
            let statement = try DirectStatement(db, sql: sql)
            statement.bind(id, at: 1)
            return statement
        }
        guard let row = try CopiedRow.fetchOne(rows("SELECT * FROM accounts WHERE id = ?")) else { return nil }
        return try RowDecoding.account(
            row,
            contacts: try CopiedRow.fetchAll(rows("SELECT * FROM contacts WHERE account_id = ? ORDER BY position")),
            invoices: try CopiedRow.fetchAll(rows("SELECT * FROM invoices WHERE account_id = ? ORDER BY due_on, id")),
            payments: try CopiedRow.fetchAll(rows("SELECT * FROM payments WHERE account_id = ? ORDER BY paid_on, id"))
        )
    }
}

/// The SQLite side of a write transaction: every read and write goes straight to the open
/// transaction.
final class SQLiteStorage: CaseStorage {
    let db: Database

    init(db: Database) { self.db = db }

    func accountCurrency(_ id: String) throws -> Currency? {
        guard let code = try String.fetchOne(db.cachedStatement(sql: "SELECT currency FROM accounts WHERE id = ?"), arguments: [id]) else { return nil }
        return try Currency(code: code)
    }

    /// What a snapshot reads of a case: the state, the columns the projection copies, the
    /// indexed columns as stored, the last sequence number and instant of the log (kept with
    /// the state: looking them up in the log, `MAX(seq)` and `MAX(at)` over the case's events,
    /// took 2.1 s of the 3.2 s this read took for the first run's 177,687 cases at 200,000
    /// accounts, sqlite3 alone).
    private static let snapshotSelect = """
        SELECT c.account_id, s.state, c.debtor_name, c.assignee, c.stage, c.status, c.priority, c.in_queue, c.next_due_day,
               s.seq, s.latest_at, c.rowid, s.rowid
        FROM cases c JOIN case_states s ON s.case_id = c.account_id
        """

    func caseSnapshot(_ id: String) throws -> CaseSnapshot? {
        let statement = try DirectStatement(db, sql: Self.snapshotSelect + " WHERE c.account_id = ?")
        statement.bind(id, at: 1)
        guard try statement.step() else { return nil }
        defer { sqlite3_reset(statement.handle) }
        return try SnapshotRow(statement).snapshot()
    }

    /// The snapshots of the live cases from `first` to `last` (account order) due by `day`:
    /// what the daily run steps, read in one statement.
    func dueSnapshots(from first: String, through last: String, dueBy day: Int) throws -> [(String, CaseSnapshot)] {
        try dueRows(from: first, through: last, dueBy: day).map { ($0.id, try $0.snapshot()) }
    }

    /// The rows of `dueSnapshots`, copied out of the statement but not decoded.
    func dueRows(from first: String, through last: String, dueBy day: Int) throws -> [SnapshotRow] {
        let statement = try DirectStatement(db, sql: Self.snapshotSelect + """
             WHERE c.account_id >= ? AND c.account_id <= ? AND c.next_due_day <= ? AND c.status NOT IN ('resolved', 'writtenOff')
            ORDER BY c.account_id
            """)
        statement.bind(first, at: 1)
        statement.bind(last, at: 2)
        statement.bind(Int64(day), at: 3)
        var found: [SnapshotRow] = []
        while try statement.step() {
            do { found.append(try SnapshotRow(statement)) } catch {
                sqlite3_reset(statement.handle)
                throw error
            }
        }
        return found
    }

    func account(id: String) throws -> Account? { try Rows.account(id: id, db: db) }

    func recordedEvents(of id: String) throws -> [RecordedEvent] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Rows.eventColumns) FROM events WHERE case_id = ? ORDER BY seq"), arguments: [id]).map { try Rows.storedEvent($0).recorded }
    }

    /// The debtor from the account's row alone (the contact rules do not read its contacts)
    /// and the payments and validation notices of the log (through their partial index,
    /// `Schema.contactFactEvents`), read through SQLite's C API: on the day most
    /// cases come to be placed with the agency, the account and the whole log read through GRDB
    /// for each of them were 70% of the run's samples in Swift code (the fourth day at 20,000 accounts).
    func contactRecords(of id: String) throws -> (Debtor, [RecordedEvent])? {
        try contactRows(of: id)?.decoded(id: id)
    }

    /// What `contactRecords` reads, copied out of the statements but not decoded.
    func contactRows(of id: String) throws -> ContactRows? {
        let account = try DirectStatement(db, sql: "SELECT \(Self.contactAccountColumns) FROM accounts WHERE id = ?")
        account.bind(id, at: 1)
        guard try account.step() else { return nil }
        var rows = Self.contactRows(account, from: 0)
        sqlite3_reset(account.handle)
        let log = try DirectStatement(db, sql: "SELECT \(Self.contactEventColumns) FROM events INDEXED BY \(Schema.contactFactsIndex) WHERE case_id = ? AND \(Schema.contactFactEvents) ORDER BY seq")
        log.bind(id, at: 1)
        while try log.step() { rows.events.append(Self.contactEvent(log, from: 0)) }
        return rows
    }

    /// `contactRows(of:)` of each account in `ids`, read by two statements for them all, each
    /// given the ids as one JSON array (`json_each`): the day most cases come to be placed with
    /// the agency (the fourth after an import at 200,000 accounts, 123,771 cases), two
    /// statements a case were 40% of the run's stepping thread (`perf record`). An account not
    /// there has no entry.
    func contactRows(of ids: [String]) throws -> [String: ContactRows] {
        var found: [String: ContactRows] = [:]
        found.reserveCapacity(ids.count)
        let list: String
        if ids.allSatisfy(FastJSON.isPlain) {
            list = "[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        } else {
            list = String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
        }
        let accounts = try DirectStatement(db, sql: "SELECT id, \(Self.contactAccountColumns) FROM accounts WHERE id IN (SELECT value FROM json_each(?))")
        accounts.bind(list, at: 1)
        while try accounts.step() {
            guard let id = accounts.text(0) else { continue }
            found[id] = Self.contactRows(accounts, from: 1)
        }
        let log = try DirectStatement(db, sql: """
            SELECT case_id, \(Self.contactEventColumns) FROM events INDEXED BY \(Schema.contactFactsIndex)
            WHERE case_id IN (SELECT value FROM json_each(?)) AND \(Schema.contactFactEvents) ORDER BY case_id, seq
            """)
        log.bind(list, at: 1)
        // The case of the rows read last, and where it is in `found` (nil: no such account).
        var current: (id: String, index: Dictionary<String, ContactRows>.Index?)?
        while try log.step() {
            guard let bytes = log.bytes(0) else { continue }
            if current == nil || !current!.id.utf8.elementsEqual(bytes) {
                let id = String(decoding: bytes, as: UTF8.self)
                current = (id, found.index(forKey: id))
            }
            guard let index = current?.index else { continue }
            found.values[index].events.append(Self.contactEvent(log, from: 1))
        }
        return found
    }

    /// The debtor's columns the contact rules read (`contactRows(_:from:)`).
    private static let contactAccountColumns = "debtor_name, debtor_kind, time_zone, country, region, currency"
    /// The columns of a payment or letter the contact rules read (`contactEvent(_:from:)`).
    private static let contactEventColumns = "id, at, actor, actor_role, payload"

    /// The debtor's columns of the row, `contactAccountColumns` from column `first` on.
    private static func contactRows(_ row: DirectStatement, from first: Int32) -> ContactRows {
        ContactRows(name: row.text(first), kind: row.text(first + 1), timeZone: row.text(first + 2), country: row.text(first + 3),
                    region: row.text(first + 4), currency: row.text(first + 5))
    }

    /// The event of the row, `contactEventColumns` from column `first` on.
    private static func contactEvent(_ row: DirectStatement, from first: Int32) -> ContactRows.Event {
        ContactRows.Event(id: row.int64(first), at: row.text(first + 1), actor: row.text(first + 2), role: row.text(first + 3), payload: row.text(first + 4))
    }

    func holdsAnyRecords() throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM accounts) OR EXISTS (SELECT 1 FROM invoices) OR EXISTS (SELECT 1 FROM payments)
            """) ?? true
    }

    func invoiceExists(_ id: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM invoices WHERE id = ?)"), arguments: [id]) ?? false
    }

    func paymentExists(_ id: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM payments WHERE id = ?)"), arguments: [id]) ?? false
    }

    func insert(account: Account) throws { try Rows.insert(account: account, db: db) }
    func insert(invoice: Invoice) throws { try Rows.insert(invoice: invoice, db: db) }
    func insert(payment: Payment) throws { try Rows.insert(payment: payment, db: db) }

    /// The text of the instants written.
    private var instants = InstantText()

    func append(_ recorded: RecordedEvent, accountID: String, seq: Int, kind: String) throws -> Int64 {
        try Rows.insert(event: PreparedEvent(recorded, accountID: accountID, seq: seq, kind: kind, instants: &instants), db: db)
    }

    func latestRunDate() throws -> CivilDate? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT MAX(as_of) FROM runs")).flatMap(CivilDate.init(iso:))
    }

    func upsert(record: CaseRecord, nextDue: CivilDate?, log: LogPosition) throws {
        try Rows.write(PreparedProjection(record: record, nextDue: nextDue, stored: nil, log: log, instants: &instants), db: db)
    }

    func rewrite(record: CaseRecord, nextDue: CivilDate?, stored: StoredProjection, log: LogPosition) throws {
        try Rows.write(PreparedProjection(record: record, nextDue: nextDue, stored: stored, log: log, instants: &instants), db: db)
    }
}

/// Events appended to the log several to a statement, in the order they are added: the rows of
/// one INSERT take their ids in the order of its VALUES, so the log is what one INSERT an event
/// writes. The daily run and the import append hundreds of thousands of events; SQLite's work
/// per statement (opening a cursor on the table and on each of the log's nine indexes, closing
/// them) was then done once a row. `flush()` before anything else is written in the transaction.
struct EventAppender {
    /// Events a statement: the bench's first day after an import (334,838 events), `perf record`
    /// of the run's writer thread: 1.6 s in the event INSERTs one a statement.
    static let rows = 32

    let db: Database
    private var pending: [PreparedEvent] = []
    private var texts = BoundTexts()

    init(db: Database) {
        self.db = db
        pending.reserveCapacity(Self.rows)
    }

    mutating func add(_ event: PreparedEvent) throws {
        pending.append(event)
        if pending.count == Self.rows { try flush() }
    }

    /// Inserts the events added and not yet inserted.
    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        let statement = try DirectStatement(db, sql: Rows.insertEventsSQL[pending.count])
        texts.removeAll()
        for (n, event) in pending.enumerated() { Rows.bind(event, after: Int32(n * 7), to: statement, texts: &texts) }
        pending.removeAll(keepingCapacity: true)
        try statement.execute(binding: texts)
    }
}

/// The inserts of accounts (with their contacts), invoices and payments, each statement looked
/// up once for all the rows written through it (every parameter is bound for each row). An
/// import writes 1.5 million such rows; looking the statement up in GRDB's cache by its SQL
/// and clearing its bindings for each was 4% of the import's writer thread (`perf record`),
/// which bounds the import.
struct RowInserts {
    let db: Database

    /// Accounts (with contacts and words), invoices and payments held for an INSERT of `batch`
    /// rows (`add`), as the log's events are (`EventAppender`): SQLite opens and closes a cursor on the table and on each of its
    /// indexes once a statement, and a text bound by `SQLITE_TRANSIENT` is copied by SQLite
    /// (`BoundTexts`). An import of the bench's portfolio writes a million invoices and 335,160
    /// payments: their inserts were 27% of its writer's thread, one row a statement
    /// (`perf record`, session 13).
    static let batch = 16
    private var invoices: [Invoice] = []
    private var payments: [Payment] = []
    private var invoiceBatch: DirectStatement?
    private var paymentBatch: DirectStatement?
    private var accounts: [Account] = []
    private var contacts: [(accountID: String, position: Int, person: Contact)] = []
    private var words: [(word: String, accountID: String)] = []
    /// The accounts of each debtor word, in the order added, until `writeGatheredWords()`.
    private var gatheredWords: [String: [String]] = [:]
    private var accountBatch: DirectStatement?
    private var contactBatch: DirectStatement?
    private var wordBatch: DirectStatement?
    /// Grown by the first batch written, not reserved: a store with records writes an invoice or
    /// a payment at a time through a `RowInserts` of its own.
    private var texts = BoundTexts(capacity: 0)

    init(db: Database) { self.db = db }

    /// The INSERT of 1 to `batch` invoices (by their count), and of payments, accounts, contacts
    /// and debtor words.
    static let invoiceSQL = values("INSERT INTO invoices (id, account_id, issued_on, due_on, amount_minor, currency, disputed) VALUES ", parameters: 7)
    static let paymentSQL = values("INSERT INTO payments (id, account_id, invoice_id, paid_on, amount_minor, currency) VALUES ", parameters: 6)
    static let accountSQL = values("INSERT INTO accounts (id, debtor_name, debtor_kind, time_zone, country, region, currency, assignee) VALUES ", parameters: 8)
    static let contactSQL = values("INSERT INTO contacts (account_id, position, name, phone, email, address) VALUES ", parameters: 6)
    static let wordSQL = values("INSERT OR IGNORE INTO debtor_words (word, account_id) VALUES ", parameters: 2)

    /// The INSERTs of 0 to `batch` rows of `parameters` values each after `head`, by their count.
    private static func values(_ head: String, parameters: Int) -> [String] {
        let row = "(" + Array(repeating: "?", count: parameters).joined(separator: ", ") + ")"
        return (0...batch).map { head + Array(repeating: row, count: $0).joined(separator: ", ") }
    }

    /// An invoice written with the next `batch - 1` added (or at `flush()`), in the order added.
    mutating func add(invoice: Invoice) throws {
        if !accounts.isEmpty { try flushAccounts() }
        if !payments.isEmpty { try flushPayments() }
        invoices.append(invoice)
        if invoices.count == Self.batch { try flushInvoices() }
    }

    /// A payment written with the next `batch - 1` added (or at `flush()`), every invoice added
    /// before it written first. What an invoice was paid is read from its payments
    /// (`RowDecoding.account`), not kept in its row (`v14-invoice-paid-from-payments`).
    mutating func add(payment: Payment) throws {
        if !accounts.isEmpty { try flushAccounts() }
        if !invoices.isEmpty { try flushInvoices() }
        payments.append(payment)
        if payments.count == Self.batch { try flushPayments() }
    }

    /// Writes the accounts, invoices and payments added and not yet written.
    mutating func flush() throws {
        try flushAccounts()
        try flushInvoicesAndPayments()
    }

    private mutating func flushInvoicesAndPayments() throws {
        try flushInvoices()
        try flushPayments()
    }

    private mutating func flushInvoices() throws {
        try Self.flush(&invoices, held: &invoiceBatch, texts: &texts, db: db, sql: Self.invoiceSQL, parameters: 7) {
            invoice, at, statement, texts in
            texts.add(invoice.id, at: at + 1, of: statement)
            texts.add(invoice.accountID, at: at + 2, of: statement)
            texts.add(invoice.issuedOn.iso, at: at + 3, of: statement)
            texts.add(invoice.dueOn.iso, at: at + 4, of: statement)
            statement.bind(invoice.amount.minorUnits, at: at + 5)
            texts.add(invoice.amount.currency.code, at: at + 6, of: statement)
            statement.bind(invoice.disputed, at: at + 7)
        }
    }

    private mutating func flushPayments() throws {
        try Self.flush(&payments, held: &paymentBatch, texts: &texts, db: db, sql: Self.paymentSQL, parameters: 6) {
            payment, at, statement, texts in
            texts.add(payment.id, at: at + 1, of: statement)
            texts.add(payment.accountID, at: at + 2, of: statement)
            texts.add(payment.invoiceID, at: at + 3, of: statement)
            texts.add(payment.paidOn.iso, at: at + 4, of: statement)
            statement.bind(payment.amount.minorUnits, at: at + 5)
            texts.add(payment.amount.currency.code, at: at + 6, of: statement)
        }
    }

    /// Inserts `rows`, `batch` to a statement of `sql` (the held one of `batch` rows, or one of
    /// as many as are left), `bind` putting a row's values after parameter `at`, and empties them.
    private static func flush<Row>(_ rows: inout [Row], held: inout DirectStatement?, texts: inout BoundTexts, db: Database, sql: [String],
                                   parameters: Int, bind: (Row, Int32, DirectStatement, inout BoundTexts) -> Void) throws {
        var start = 0
        while start < rows.count {
            let count = min(Self.batch, rows.count - start)
            let statement = count == Self.batch
                ? try Self.statement(&held, db, sql[batch])
                : try DirectStatement(db, sql: sql[count])
            texts.removeAll()
            for n in 0..<count { bind(rows[start + n], Int32(n * parameters), statement, &texts) }
            try statement.execute(binding: texts)
            start += count
        }
        rows.removeAll(keepingCapacity: true)
    }

    private static func statement(_ held: inout DirectStatement?, _ db: Database, _ sql: String) throws -> DirectStatement {
        if let held { return held }
        let made = try DirectStatement(db, sql: sql)
        held = made
        return made
    }

    /// An account and its contacts, written with the next accounts added (`batch` to a
    /// statement; or at `flush()`, or before the next invoice or payment), every invoice and
    /// payment added before it written first. Its debtor words are the new case's trigger's, or,
    /// `gatheringWords` (an import into an empty store), gathered for `writeGatheredWords()`.
    /// Written one a statement, the accounts, contacts and words were 738 of the 3,500 samples
    /// of the import's writer (`perf record`, session 14).
    mutating func add(account: Account, gatheringWords: Bool = false) throws {
        if !invoices.isEmpty || !payments.isEmpty { try flushInvoicesAndPayments() }
        accounts.append(account)
        for (position, person) in account.debtor.contacts.enumerated() {
            contacts.append((account.id, position, person))
        }
        if gatheringWords {
            for word in DebtorWords.words(of: account.debtor.name) { gatheredWords[word, default: []].append(account.id) }
        }
        if accounts.count == Self.batch { try flushAccounts() }
    }

    /// Writes the debtor words gathered (`add(account:gatheringWords:)`), after the accounts
    /// added, in the order of `debtor_words`' key: the words by their UTF-8 bytes, as SQLite
    /// compares them, each word's accounts in the order added (the files' order, usually
    /// theirs), so that each row is written at the table's end. Written with their accounts
    /// instead, each went to its word's page of the table: SQLite's cache let some of those
    /// pages go to the WAL and then changed them again, and one page written over in the WAL
    /// makes SQLite read back every frame after it at the commit to checksum it again (an
    /// `LD_PRELOAD`ed `pwrite` counter on the bench's import: the first page written over was a
    /// words page, 466 frames in, and the commit read back 29,584 frames, the whole 485 MB
    /// that followed). The words are split and gathered on the writer's thread, which waits
    /// for the reading thread while it reads the accounts.
    mutating func writeGatheredWords() throws {
        guard !gatheredWords.isEmpty else { return }
        try flushAccounts()
        for word in gatheredWords.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            for accountID in gatheredWords[word] ?? [] {
                words.append((word, accountID))
                if words.count == Self.batch { try flushAccounts() }
            }
        }
        gatheredWords = [:]
        try flushAccounts()
    }

    /// The accounts added, then their contacts and words: a contact's account is written before it.
    private mutating func flushAccounts() throws {
        try Self.flush(&accounts, held: &accountBatch, texts: &texts, db: db, sql: Self.accountSQL, parameters: 8) {
            account, at, statement, texts in
            texts.add(account.id, at: at + 1, of: statement)
            texts.add(account.debtor.name, at: at + 2, of: statement)
            texts.add(account.debtor.kind.rawValue, at: at + 3, of: statement)
            texts.add(account.debtor.timeZone, at: at + 4, of: statement)
            texts.add(account.debtor.country, at: at + 5, of: statement)
            texts.add(account.debtor.region, at: at + 6, of: statement)
            texts.add(account.currency.code, at: at + 7, of: statement)
            texts.add(account.assignee, at: at + 8, of: statement)
        }
        try Self.flush(&contacts, held: &contactBatch, texts: &texts, db: db, sql: Self.contactSQL, parameters: 6) {
            contact, at, statement, texts in
            texts.add(contact.accountID, at: at + 1, of: statement)
            statement.bind(contact.position, at: at + 2)
            texts.add(contact.person.name, at: at + 3, of: statement)
            texts.add(contact.person.phone, at: at + 4, of: statement)
            texts.add(contact.person.email, at: at + 5, of: statement)
            texts.add(contact.person.address, at: at + 6, of: statement)
        }
        try Self.flush(&words, held: &wordBatch, texts: &texts, db: db, sql: Self.wordSQL, parameters: 2) {
            word, at, statement, texts in
            texts.add(word.word, at: at + 1, of: statement)
            texts.add(word.accountID, at: at + 2, of: statement)
        }
    }

    /// One account and its contacts, written now (its words are the new case's trigger's).
    mutating func insert(account: Account) throws {
        try add(account: account)
        try flushAccounts()
    }

    /// One invoice, written now.
    mutating func insert(invoice: Invoice) throws {
        try add(invoice: invoice)
        try flushInvoices()
    }

    /// One payment, written now.
    mutating func insert(payment: Payment) throws {
        try add(payment: payment)
        try flushPayments()
    }
}

/// The words of a debtor's name as the debtor-words trigger (`Schema.fillDebtorWords`) makes
/// them: SQLite's `lower` (ASCII letters only; any other byte as it is), split at each space,
/// empty words left out, each word once.
enum DebtorWords {
    static func words(of name: String) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []
        func end() {
            guard !word.isEmpty else { return }
            let text = String(decoding: word, as: UTF8.self)
            if !words.contains(text) { words.append(text) }
            word.removeAll(keepingCapacity: true)
        }
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: " "): end()
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
            default: word.append(byte)
            }
        }
        end()
        return words
    }
}
