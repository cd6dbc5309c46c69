import Foundation
import GRDB
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
    // of 1.01 s (perf, one profile each, release build).
    static func insert(account: Account, db: Database) throws {
        var row = try DirectStatement(db, sql: """
            INSERT INTO accounts (id, debtor_name, debtor_kind, time_zone, country, region, currency, assignee)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        row.bind(account.id)
        row.bind(account.debtor.name)
        row.bind(account.debtor.kind.rawValue)
        row.bind(account.debtor.timeZone)
        row.bind(account.debtor.country)
        row.bind(account.debtor.region)
        row.bind(account.currency.code)
        row.bind(account.assignee)
        try row.run()
        for (position, contact) in account.debtor.contacts.enumerated() {
            var row = try DirectStatement(db, sql: "INSERT INTO contacts (account_id, position, name, phone, email, address) VALUES (?, ?, ?, ?, ?, ?)")
            row.bind(account.id)
            row.bind(position)
            row.bind(contact.name)
            row.bind(contact.phone)
            row.bind(contact.email)
            row.bind(contact.address)
            try row.run()
        }
    }

    static func insert(invoice: Invoice, db: Database) throws {
        var row = try DirectStatement(db, sql: """
            INSERT INTO invoices (id, account_id, issued_on, due_on, amount_minor, currency, paid_minor, disputed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        row.bind(invoice.id)
        row.bind(invoice.accountID)
        row.bind(invoice.issuedOn)
        row.bind(invoice.dueOn)
        row.bind(invoice.amount.minorUnits)
        row.bind(invoice.amount.currency.code)
        row.bind(invoice.paid.minorUnits)
        row.bind(invoice.disputed)
        try row.run()
    }

    static func insert(payment: Payment, db: Database) throws {
        var row = try DirectStatement(db, sql: "INSERT INTO payments (id, account_id, invoice_id, paid_on, amount_minor, currency) VALUES (?, ?, ?, ?, ?, ?)")
        row.bind(payment.id)
        row.bind(payment.accountID)
        row.bind(payment.invoiceID)
        row.bind(payment.paidOn)
        row.bind(payment.amount.minorUnits)
        row.bind(payment.amount.currency.code)
        try row.run()
        if let invoiceID = payment.invoiceID {
            var update = try DirectStatement(db, sql: "UPDATE invoices SET paid_minor = paid_minor + ? WHERE id = ?")
            update.bind(payment.amount.minorUnits)
            update.bind(invoiceID)
            try update.run()
        }
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
    static func upsert(record: CaseRecord, nextDue: CivilDate?, db: Database) throws {
        let v = try RowDecoding.values(of: record)
        let p = PriorityInputs(state: record.state)
        try db.executeCached(sql: """
            INSERT INTO cases (\(upsertColumns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (account_id) DO UPDATE SET \(upsertAssignments)
            """, arguments: [
                v.accountID, v.debtorName, v.stage, v.status, v.balanceMinor, v.currency, v.daysPastDue,
                v.nextAction, v.nextActionOn, v.priority, v.priorityReasons, v.inQueue,
                v.assignee, v.version, v.asOf,
                p.oldestDueDay, p.callbackDay, p.promiseDueDay, p.promiseLeftMinor, p.promisesBroken, p.lastContactDay,
                nextDue?.daysSinceEpoch,
            ])
        try db.executeCached(sql: """
            INSERT INTO case_states (case_id, state) VALUES (?, ?) ON CONFLICT (case_id) DO UPDATE SET state = excluded.state
            """, arguments: [v.accountID, v.state])
    }

    static let priorityInputColumns = "oldest_due_day, callback_day, promise_due_day, promise_left_minor, promises_broken, last_contact_day"

    static func caseRecord(accountID: String, db: Database, policy: Policy) throws -> CaseRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(caseColumns) FROM cases WHERE account_id = ?"), arguments: [accountID]).map { try caseRecord($0, policy: policy) }
    }

    static func caseRecord(_ row: Row, policy: Policy) throws -> CaseRecord { try RowDecoding.caseRecord(row, policy: policy) }
    static func storedEvent(_ row: Row) throws -> StoredEvent { try RowDecoding.storedEvent(row) }

    static func account(id: String, db: Database) throws -> Account? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM accounts WHERE id = ?"), arguments: [id]) else { return nil }
        return try RowDecoding.account(
            row,
            contacts: try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM contacts WHERE account_id = ? ORDER BY position"), arguments: [id]),
            invoices: try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM invoices WHERE account_id = ? ORDER BY due_on, id"), arguments: [id]),
            payments: try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM payments WHERE account_id = ? ORDER BY paid_on, id"), arguments: [id])
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

    func caseSnapshot(_ id: String) throws -> CaseSnapshot? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT s.state, c.debtor_name, c.assignee,
                   (SELECT MAX(seq) FROM events WHERE case_id = c.account_id) AS seq,
                   (SELECT MAX(at) FROM events WHERE case_id = c.account_id) AS latest_at
            FROM cases c JOIN case_states s ON s.case_id = c.account_id WHERE c.account_id = ?
            """), arguments: [id]) else { return nil }
        let state = try StoreCodec.decodeState(row["state"])
        let latest: String = row["latest_at"]
        return CaseSnapshot(state: state, seq: row["seq"], latestAt: StoreCodec.instant(latest) ?? Date(timeIntervalSince1970: 0), debtorName: row["debtor_name"], assignee: row["assignee"])
    }

    func account(id: String) throws -> Account? { try Rows.account(id: id, db: db) }

    func recordedEvents(of id: String) throws -> [RecordedEvent] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Rows.eventColumns) FROM events WHERE case_id = ? ORDER BY seq"), arguments: [id]).map { try Rows.storedEvent($0).recorded }
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

    /// The last instant written and its text: an import or a run writes thousands of events at
    /// the same instant.
    private var lastInstant: (Date, String)?

    func append(_ recorded: RecordedEvent, accountID: String, seq: Int, kind: String) throws -> Int64 {
        let at: String
        if let (instant, text) = lastInstant, instant == recorded.at { at = text } else {
            at = StoreCodec.timestamp(recorded.at)
            lastInstant = (recorded.at, at)
        }
        try db.executeCached(sql: """
            INSERT INTO events (case_id, seq, at, actor, actor_role, kind, payload) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [accountID, seq, at, recorded.actor.name, recorded.actor.role.rawValue, kind, try StoreCodec.encode(event: recorded.event)])
        return db.lastInsertedRowID
    }

    func latestRunDate() throws -> CivilDate? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT MAX(as_of) FROM runs")).flatMap(CivilDate.init(iso:))
    }

    func upsert(record: CaseRecord, nextDue: CivilDate?) throws { try Rows.upsert(record: record, nextDue: nextDue, db: db) }
}

