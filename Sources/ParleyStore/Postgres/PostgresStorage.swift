import Foundation
import Logging
import ParleyCore
import PostgresNIO

extension PostgresRandomAccessRow: StoreRow {
    func text(_ column: String) throws -> String { try self[column].decode(String.self) }
    func optionalText(_ column: String) throws -> String? { try self[column].decode(String?.self) }
    func integer(_ column: String) throws -> Int64 { try self[column].decode(Int64.self) }
    func flag(_ column: String) throws -> Bool { try self[column].decode(Bool.self) }
    func optionalInteger(_ column: String) throws -> Int64? { try self[column].decode(Int64?.self) }
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
        case projection(CaseRecord, nextDue: CivilDate?)
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

    /// `log` is not kept: the team server reads where a case's log ends with its state.
    func upsert(record: CaseRecord, nextDue: CivilDate?, log: LogPosition) throws {
        writes.append(.projection(record, nextDue: nextDue))
    }

    // MARK: Writing

    /// Sends the buffered writes, a few thousand rows a statement (`UNNEST` of one array a
    /// column): the accounts and their contacts, the invoices, the payments and what they add to
    /// their invoices, the events, then the projections (the last of each case). That order
    /// keeps every reference valid, and each table gets its rows (and serial ids) in the order
    /// they were written. One statement a row had cost a round trip a row: `parley import` of
    /// 20,000 accounts into a server on the same machine took 2 min 3 s. Returns the ids the log
    /// gave the new events, by account and sequence number.
    func flush(in tx: PostgresTransaction) async throws -> [EventKey: Int64] {
        var accounts: [Account] = []
        var invoices: [Invoice] = []
        var payments: [Payment] = []
        var events: [(accountID: String, seq: Int, kind: String, recorded: RecordedEvent)] = []
        var projections: [(CaseRecord, CivilDate?)] = []
        var latestProjection: [String: Int] = [:]
        for write in writes {
            switch write {
            case .account(let account): accounts.append(account)
            case .invoice(let invoice): invoices.append(invoice)
            case .payment(let payment): payments.append(payment)
            case .event(let accountID, let seq, let kind, let recorded): events.append((accountID, seq, kind, recorded))
            case .projection(let record, let nextDue):
                if let earlier = latestProjection[record.accountID] {
                    projections[earlier] = (record, nextDue)
                } else {
                    latestProjection[record.accountID] = projections.count
                    projections.append((record, nextDue))
                }
            }
        }
        writes.removeAll()
        for part in Self.chunks(accounts) {
            try await tx.execute("""
                INSERT INTO accounts (id, debtor_name, debtor_kind, time_zone, country, region, currency, assignee)
                SELECT id, name, kind, \(Self.nullable("zone")), country, \(Self.nullable("region")), currency, \(Self.nullable("assignee"))
                FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::text[], $7::text[], $8::bool[], $9::text[], $10::text[], $11::bool[])
                    AS t(id, name, kind, zone, zone_null, country, region, region_null, currency, assignee, assignee_null)
                """, [
                    part.map(\.id), part.map(\.debtor.name), part.map(\.debtor.kind.rawValue),
                    part.map { $0.debtor.timeZone ?? "" }, part.map { $0.debtor.timeZone == nil },
                    part.map(\.debtor.country),
                    part.map { $0.debtor.region ?? "" }, part.map { $0.debtor.region == nil },
                    part.map(\.currency.code),
                    part.map { $0.assignee ?? "" }, part.map { $0.assignee == nil },
                ])
        }
        let contacts = accounts.flatMap { account in account.debtor.contacts.enumerated().map { (account.id, Int64($0.offset), $0.element) } }
        for part in Self.chunks(contacts) {
            try await tx.execute("""
                INSERT INTO contacts (account_id, position, name, phone, email, address)
                SELECT account_id, position, name, \(Self.nullable("phone")), \(Self.nullable("email")), \(Self.nullable("address"))
                FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bool[], $6::text[], $7::bool[], $8::text[], $9::bool[])
                    AS t(account_id, position, name, phone, phone_null, email, email_null, address, address_null)
                """, [
                    part.map(\.0), part.map(\.1), part.map(\.2.name),
                    part.map { $0.2.phone ?? "" }, part.map { $0.2.phone == nil },
                    part.map { $0.2.email ?? "" }, part.map { $0.2.email == nil },
                    part.map { $0.2.address ?? "" }, part.map { $0.2.address == nil },
                ])
        }
        for part in Self.chunks(invoices) {
            try await tx.execute("""
                INSERT INTO invoices (id, account_id, issued_on, due_on, amount_minor, currency, disputed)
                SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bool[])
                """, [
                    part.map(\.id), part.map(\.accountID), part.map(\.issuedOn.iso), part.map(\.dueOn.iso),
                    part.map(\.amount.minorUnits), part.map(\.amount.currency.code), part.map(\.disputed),
                ])
        }
        for part in Self.chunks(payments) {
            try await tx.execute("""
                INSERT INTO payments (id, account_id, invoice_id, paid_on, amount_minor, currency)
                SELECT id, account_id, \(Self.nullable("invoice_id")), paid_on, amount_minor, currency
                FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bool[], $5::text[], $6::bigint[], $7::text[])
                    AS t(id, account_id, invoice_id, invoice_id_null, paid_on, amount_minor, currency)
                """, [
                    part.map(\.id), part.map(\.accountID), part.map { $0.invoiceID ?? "" }, part.map { $0.invoiceID == nil },
                    part.map(\.paidOn.iso), part.map(\.amount.minorUnits), part.map(\.amount.currency.code),
                ])
        }
        var ids: [EventKey: Int64] = [:]
        for part in Self.chunks(events) {
            let rows = try await tx.rows("""
                INSERT INTO events (case_id, seq, at, actor, actor_role, kind, payload)
                SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                RETURNING id, case_id, seq
                """, [
                    part.map(\.accountID), part.map { Int64($0.seq) }, part.map { StoreCodec.timestamp($0.recorded.at) },
                    part.map(\.recorded.actor.name), part.map(\.recorded.actor.role.rawValue), part.map(\.kind),
                    try part.map { try StoreCodec.encode(event: $0.recorded.event) },
                ])
            for row in rows {
                ids[EventKey(accountID: try row.text("case_id"), seq: Int(try row.integer("seq")))] = try row.integer("id")
            }
        }
        for part in Self.chunks(projections) {
            try await Self.upsert(part.map { ($0.0, .some($0.1)) }, in: tx)
        }
        return ids
    }

    /// Rows a statement sends at a time.
    static let batchRows = 2_000

    static func chunks<T>(_ rows: [T]) -> [ArraySlice<T>] {
        stride(from: 0, to: rows.count, by: batchRows).map { rows[$0..<min(rows.count, $0 + batchRows)] }
    }

    /// A nullable text column sent through `UNNEST`, whose arrays cannot hold NULL here: the
    /// value, and beside it (`COLUMN_null`) whether it is NULL.
    static func nullable(_ column: String) -> String {
        "CASE WHEN \(column)_null THEN NULL ELSE \(column) END"
    }

    /// Every column a projection writes: the stored columns both databases share, the inputs of
    /// the priority and the case's next due day (migration v4-run-due-cases).
    static let upsertColumns = RowDecoding.caseStoredColumns
        + ", oldest_due_day, callback_day, promise_due_day, promise_left_minor, promises_broken, last_contact_day, next_due_day, next_due_known"

    /// `debtor_name = EXCLUDED.debtor_name, ...`: every projection column but the key.
    static let caseAssignments: String = upsertColumns.split(separator: ",").dropFirst().map { column -> String in
        let name = column.trimmingCharacters(in: .whitespaces)
        return name + " = EXCLUDED." + name
    }.joined(separator: ", ")

    /// Writes a case's projection. `nextDue` is the first day time alone can make something due
    /// on it (`.some(nil)`: never), or nil when it was not worked out: the next daily run then
    /// steps the case and writes it.
    static func upsert(_ record: CaseRecord, nextDue: CivilDate??, in tx: PostgresTransaction) async throws {
        try await upsert([(record, nextDue)], in: tx)
    }

    /// Writes the projections of distinct cases in one statement.
    static func upsert(_ records: some Collection<(CaseRecord, CivilDate??)>, in tx: PostgresTransaction) async throws {
        guard !records.isEmpty else { return }
        let rows = try records.map { (try RowDecoding.values(of: $0.0), PriorityInputs(state: $0.0.state), $0.1) }
        func day(_ value: Int?) -> Int64 { value.map(Int64.init) ?? 0 }
        try await tx.execute("""
            INSERT INTO cases (\(upsertColumns))
            SELECT account_id, debtor_name, stage, status, balance_minor, currency, days_past_due,
                   priority, in_queue,
                   \(nullable("assignee")), version, as_of, state,
                   \(nullable("oldest_due_day")), \(nullable("callback_day")), \(nullable("promise_due_day")),
                   promise_left_minor, promises_broken, \(nullable("last_contact_day")), \(nullable("next_due_day")), next_due_known
            FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[],
                        $8::bigint[], $9::bool[],
                        $10::text[], $11::bool[], $12::bigint[], $13::text[], $14::text[],
                        $15::bigint[], $16::bool[], $17::bigint[], $18::bool[], $19::bigint[], $20::bool[],
                        $21::bigint[], $22::bigint[], $23::bigint[], $24::bool[], $25::bigint[], $26::bool[], $27::bool[])
                AS t(account_id, debtor_name, stage, status, balance_minor, currency, days_past_due,
                     priority, in_queue,
                     assignee, assignee_null, version, as_of, state,
                     oldest_due_day, oldest_due_day_null, callback_day, callback_day_null, promise_due_day, promise_due_day_null,
                     promise_left_minor, promises_broken, last_contact_day, last_contact_day_null, next_due_day, next_due_day_null, next_due_known)
            ON CONFLICT (account_id) DO UPDATE SET \(caseAssignments)
            """, [
                rows.map(\.0.accountID), rows.map(\.0.debtorName), rows.map(\.0.stage), rows.map(\.0.status),
                rows.map(\.0.balanceMinor), rows.map(\.0.currency), rows.map { Int64($0.0.daysPastDue) },
                rows.map { Int64($0.0.priority) }, rows.map(\.0.inQueue),
                rows.map { $0.0.assignee ?? "" }, rows.map { $0.0.assignee == nil },
                rows.map { Int64($0.0.version) }, rows.map(\.0.asOf), rows.map(\.0.state),
                rows.map { day($0.1.oldestDueDay) }, rows.map { $0.1.oldestDueDay == nil },
                rows.map { day($0.1.callbackDay) }, rows.map { $0.1.callbackDay == nil },
                rows.map { day($0.1.promiseDueDay) }, rows.map { $0.1.promiseDueDay == nil },
                rows.map(\.1.promiseLeftMinor), rows.map { Int64($0.1.promisesBroken) },
                rows.map { day($0.1.lastContactDay) }, rows.map { $0.1.lastContactDay == nil },
                rows.map { day(($0.2 ?? nil)?.daysSinceEpoch) }, rows.map { ($0.2 ?? nil) == nil },
                rows.map { $0.2 != nil },
            ])
    }
}

/// An event of the log by its case and place in it.
struct EventKey: Hashable {
    var accountID: String
    var seq: Int
}
