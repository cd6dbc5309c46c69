import Foundation
import Logging
import ParleyCore
import PostgresNIO

extension PostgresRandomAccessRow: StoreRow {
    func text(_ column: String) throws -> String { try self[column].decode(String.self) }
    func optionalText(_ column: String) throws -> String? { try self[column].decode(String?.self) }
    func integer(_ column: String) throws -> Int64 { try self[column].decode(Int64.self) }
    func flag(_ column: String) throws -> Bool { try self[column].decode(Bool.self) }
}

/// A value bound to a query parameter; nil binds NULL.
protocol SQLBindable {
    func bind(into binds: inout PostgresBindings) throws
}

extension String: SQLBindable { func bind(into binds: inout PostgresBindings) throws { binds.append(self) } }
extension Int64: SQLBindable { func bind(into binds: inout PostgresBindings) throws { binds.append(self) } }
extension Int: SQLBindable { func bind(into binds: inout PostgresBindings) throws { binds.append(Int64(self)) } }
extension Bool: SQLBindable { func bind(into binds: inout PostgresBindings) throws { binds.append(self) } }
extension Array: SQLBindable where Element: PostgresArrayEncodable {
    func bind(into binds: inout PostgresBindings) throws { try binds.append(self) }
}
extension Optional: SQLBindable where Wrapped: SQLBindable {
    func bind(into binds: inout PostgresBindings) throws {
        if let value = self { try value.bind(into: &binds) } else { binds.appendNull() }
    }
}

/// Runs queries on one connection inside an open transaction.
struct PostgresTransaction {
    let connection: PostgresConnection
    let logger: Logger

    func rows(_ sql: String, _ values: [any SQLBindable]? = nil) async throws -> [PostgresRandomAccessRow] {
        try await connection.query(Self.query(sql, values ?? []), logger: logger).collect().map { $0.makeRandomAccess() }
    }

    func execute(_ sql: String, _ values: [any SQLBindable] = []) async throws {
        _ = try await connection.query(Self.query(sql, values), logger: logger).collect()
    }

    static func query(_ sql: String, _ values: [any SQLBindable]) throws -> PostgresQuery {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { try value.bind(into: &binds) }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}

/// The PostgreSQL side of a write transaction. The rows the rules will read are loaded first
/// (their cases locked `FOR UPDATE`), the session then runs on them in memory, and what it wrote
/// is sent in order before the transaction commits.
final class PostgresStorage: CaseStorage {
    enum Write {
        case account(Account)
        case invoice(Invoice)
        case payment(Payment)
        case event(accountID: String, seq: Int, kind: String, RecordedEvent)
        case projection(CaseRecord)
    }

    private var currencies: [String: Currency] = [:]
    private var snapshots: [String: CaseSnapshot] = [:]
    private var accounts: [String: Account] = [:]
    private var logs: [String: [RecordedEvent]] = [:]
    private var invoiceIDs = Set<String>()
    private var paymentIDs = Set<String>()
    private var runDate: CivilDate?
    private(set) var writes: [Write] = []

    // MARK: Loading

    /// Loads the accounts `ids` that exist, with their cases (locked until commit) and, unless
    /// `logs` is false (a read that needs only the accounts), their logs.
    func load(accounts ids: [String], in tx: PostgresTransaction, logs loadLogs: Bool = true) async throws {
        if runDate == nil, let row = try await tx.rows("SELECT MAX(as_of) AS run_on FROM runs").first {
            runDate = try row.optionalText("run_on").flatMap(CivilDate.init(iso:))
        }
        let ids = Array(Set(ids).subtracting(currencies.keys)).sorted()
        guard !ids.isEmpty else { return }
        let caseRows = loadLogs ? try await tx.rows("SELECT account_id, state, debtor_name, assignee FROM cases WHERE account_id = ANY($1) ORDER BY account_id FOR UPDATE", [ids]) : []
        let accountRows = try await tx.rows("SELECT * FROM accounts WHERE id = ANY($1)", [ids])
        guard !accountRows.isEmpty else { return }
        func grouped(_ sql: String) async throws -> [String: [PostgresRandomAccessRow]] {
            Dictionary(grouping: try await tx.rows(sql, [ids]), by: { (try? $0.text("account_id")) ?? "" })
        }
        let contacts = try await grouped("SELECT * FROM contacts WHERE account_id = ANY($1) ORDER BY account_id, position")
        let invoices = try await grouped("SELECT * FROM invoices WHERE account_id = ANY($1) ORDER BY account_id, due_on, id")
        let payments = try await grouped("SELECT * FROM payments WHERE account_id = ANY($1) ORDER BY account_id, paid_on, id")
        for row in accountRows {
            let account = try RowDecoding.account(row, contacts: contacts[try row.text("id")] ?? [], invoices: invoices[try row.text("id")] ?? [], payments: payments[try row.text("id")] ?? [])
            accounts[account.id] = account
            currencies[account.id] = account.currency
        }
        guard loadLogs else { return }
        var latest: [String: (seq: Int, at: Date)] = [:]
        for row in try await tx.rows("SELECT \(RowDecoding.eventColumns) FROM events WHERE case_id = ANY($1) ORDER BY case_id, seq", [ids]) {
            let event = try RowDecoding.storedEvent(row)
            logs[event.accountID, default: []].append(event.recorded)
            let previous = latest[event.accountID]
            latest[event.accountID] = (max(previous?.seq ?? 0, event.seq), max(previous?.at ?? event.at, event.at))
        }
        for row in caseRows {
            let id = try row.text("account_id")
            snapshots[id] = CaseSnapshot(
                state: try StoreCodec.decodeState(row.text("state")),
                seq: latest[id]?.seq ?? 0,
                latestAt: latest[id]?.at ?? Date(timeIntervalSince1970: 0),
                debtorName: try row.text("debtor_name"),
                assignee: try row.optionalText("assignee"))
        }
    }

    /// Notes which of `invoices` and `payments` are already in the database.
    func load(invoices: [String], payments: [String], in tx: PostgresTransaction) async throws {
        if !invoices.isEmpty {
            for row in try await tx.rows("SELECT id FROM invoices WHERE id = ANY($1)", [Array(Set(invoices))]) { invoiceIDs.insert(try row.text("id")) }
        }
        if !payments.isEmpty {
            for row in try await tx.rows("SELECT id FROM payments WHERE id = ANY($1)", [Array(Set(payments))]) { paymentIDs.insert(try row.text("id")) }
        }
    }

    // MARK: CaseStorage

    func accountCurrency(_ id: String) throws -> Currency? { currencies[id] }
    func caseSnapshot(_ id: String) throws -> CaseSnapshot? { snapshots[id] }
    func account(id: String) throws -> Account? { accounts[id] }
    func recordedEvents(of id: String) throws -> [RecordedEvent] { logs[id] ?? [] }
    func invoiceExists(_ id: String) throws -> Bool { invoiceIDs.contains(id) }
    func paymentExists(_ id: String) throws -> Bool { paymentIDs.contains(id) }

    func insert(account: Account) throws {
        accounts[account.id] = account
        currencies[account.id] = account.currency
        writes.append(.account(account))
    }

    func insert(invoice: Invoice) throws {
        invoiceIDs.insert(invoice.id)
        writes.append(.invoice(invoice))
    }

    func insert(payment: Payment) throws {
        paymentIDs.insert(payment.id)
        writes.append(.payment(payment))
    }

    func append(_ recorded: RecordedEvent, accountID: String, seq: Int, kind: String) throws -> Int64 {
        logs[accountID, default: []].append(recorded)
        writes.append(.event(accountID: accountID, seq: seq, kind: kind, recorded))
        return 0
    }

    func latestRunDate() throws -> CivilDate? { runDate }

    /// The rows the import looks up were loaded with the transaction: looking each up is cheap.
    func holdsAnyRecords() throws -> Bool { true }

    func upsert(record: CaseRecord, nextDue: CivilDate?) throws {
        writes.append(.projection(record))
    }

    // MARK: Writing

    /// Sends the buffered writes in order; events go in batches. Returns the ids the log gave
    /// the new events, by account and sequence number.
    func flush(in tx: PostgresTransaction) async throws -> [EventKey: Int64] {
        var ids: [EventKey: Int64] = [:]
        var batch: [(String, Int, String, RecordedEvent)] = []
        func sendEvents() async throws {
            guard !batch.isEmpty else { return }
            let rows = try await tx.rows("""
                INSERT INTO events (case_id, seq, at, actor, actor_role, kind, payload)
                SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                RETURNING id, case_id, seq
                """, [
                    batch.map(\.0), batch.map { Int64($0.1) }, batch.map { StoreCodec.timestamp($0.3.at) },
                    batch.map(\.3.actor.name), batch.map(\.3.actor.role.rawValue), batch.map(\.2),
                    try batch.map { try StoreCodec.encode(event: $0.3.event) },
                ])
            for row in rows {
                ids[EventKey(accountID: try row.text("case_id"), seq: Int(try row.integer("seq")))] = try row.integer("id")
            }
            batch.removeAll(keepingCapacity: true)
        }
        for write in writes {
            if case .event(let accountID, let seq, let kind, let recorded) = write {
                batch.append((accountID, seq, kind, recorded))
                if batch.count >= 2000 { try await sendEvents() }
                continue
            }
            try await sendEvents()
            switch write {
            case .account(let account):
                try await tx.execute("""
                    INSERT INTO accounts (id, debtor_name, debtor_kind, time_zone, country, region, currency, assignee)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    """, [account.id, account.debtor.name, account.debtor.kind.rawValue, account.debtor.timeZone, account.debtor.country, account.debtor.region, account.currency.code, account.assignee])
                for (position, contact) in account.debtor.contacts.enumerated() {
                    try await tx.execute("INSERT INTO contacts (account_id, position, name, phone, email, address) VALUES ($1, $2, $3, $4, $5, $6)",
                                         [account.id, Int64(position), contact.name, contact.phone, contact.email, contact.address])
                }
            case .invoice(let invoice):
                try await tx.execute("""
                    INSERT INTO invoices (id, account_id, issued_on, due_on, amount_minor, currency, paid_minor, disputed)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    """, [invoice.id, invoice.accountID, invoice.issuedOn.iso, invoice.dueOn.iso, invoice.amount.minorUnits, invoice.amount.currency.code, invoice.paid.minorUnits, invoice.disputed])
            case .payment(let payment):
                try await tx.execute("INSERT INTO payments (id, account_id, invoice_id, paid_on, amount_minor, currency) VALUES ($1, $2, $3, $4, $5, $6)",
                                     [payment.id, payment.accountID, payment.invoiceID, payment.paidOn.iso, payment.amount.minorUnits, payment.amount.currency.code])
                if let invoiceID = payment.invoiceID {
                    try await tx.execute("UPDATE invoices SET paid_minor = paid_minor + $1 WHERE id = $2", [payment.amount.minorUnits, invoiceID])
                }
            case .projection(let record):
                try await Self.upsert(record, in: tx)
            case .event:
                break
            }
        }
        try await sendEvents()
        writes.removeAll()
        return ids
    }

    /// `debtor_name = EXCLUDED.debtor_name, ...`: every projection column but the key.
    static let caseAssignments: String = RowDecoding.caseStoredColumns.split(separator: ",").dropFirst().map { column -> String in
        let name = column.trimmingCharacters(in: .whitespaces)
        return name + " = EXCLUDED." + name
    }.joined(separator: ", ")

    static func upsert(_ record: CaseRecord, in tx: PostgresTransaction) async throws {
        let v = try RowDecoding.values(of: record)
        try await tx.execute("""
            INSERT INTO cases (\(RowDecoding.caseStoredColumns))
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            ON CONFLICT (account_id) DO UPDATE SET \(caseAssignments)
            """, [
                v.accountID, v.debtorName, v.stage, v.status, v.balanceMinor, v.currency, Int64(v.daysPastDue),
                v.nextAction, v.nextActionOn, Int64(v.priority), v.priorityReasons, v.inQueue,
                v.assignee, Int64(v.version), v.asOf, v.state,
            ])
    }
}

/// An event of the log by its case and place in it.
struct EventKey: Hashable {
    var accountID: String
    var seq: Int
}
