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

/// Reading and writing rows: the one place that knows the column names.
enum Rows {
    static let eventColumns = "id, case_id, seq, at, actor, actor_role, kind, payload"
    static let caseColumns = "account_id, debtor_name, stage, status, balance_minor, currency, days_past_due, next_action, next_action_on, priority, priority_reasons, in_queue, assignee, version, as_of, state"

    static func insert(account: Account, db: Database) throws {
        try db.executeCached(sql: """
            INSERT INTO accounts (id, debtor_name, debtor_kind, time_zone, country, region, currency, assignee)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [account.id, account.debtor.name, account.debtor.kind.rawValue, account.debtor.timeZone, account.debtor.country, account.debtor.region, account.currency.code, account.assignee])
        for (position, contact) in account.debtor.contacts.enumerated() {
            try db.executeCached(sql: "INSERT INTO contacts (account_id, position, name, phone, email, address) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [account.id, position, contact.name, contact.phone, contact.email, contact.address])
        }
    }

    static func insert(invoice: Invoice, db: Database) throws {
        try db.executeCached(sql: """
            INSERT INTO invoices (id, account_id, issued_on, due_on, amount_minor, currency, paid_minor, disputed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [invoice.id, invoice.accountID, invoice.issuedOn.iso, invoice.dueOn.iso, invoice.amount.minorUnits, invoice.amount.currency.code, invoice.paid.minorUnits, invoice.disputed])
    }

    static func insert(payment: Payment, db: Database) throws {
        try db.executeCached(sql: "INSERT INTO payments (id, account_id, invoice_id, paid_on, amount_minor, currency) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [payment.id, payment.accountID, payment.invoiceID, payment.paidOn.iso, payment.amount.minorUnits, payment.amount.currency.code])
        if let invoiceID = payment.invoiceID {
            try db.executeCached(sql: "UPDATE invoices SET paid_minor = paid_minor + ? WHERE id = ?", arguments: [payment.amount.minorUnits, invoiceID])
        }
    }

    static func invoiceExists(_ id: String, db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM invoices WHERE id = ?)"), arguments: [id]) ?? false
    }

    static func paymentExists(_ id: String, db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM payments WHERE id = ?)"), arguments: [id]) ?? false
    }

    static func debtorNameAndAssignee(accountID: String, db: Database) throws -> (String, String?) {
        guard let row = try Row.fetchOne(db, sql: "SELECT debtor_name, assignee FROM accounts WHERE id = ?", arguments: [accountID]) else {
            throw StoreError.unknownAccount(accountID)
        }
        return (row["debtor_name"], row["assignee"])
    }

    static func upsert(record: CaseRecord, db: Database) throws {
        try db.executeCached(sql: """
            INSERT OR REPLACE INTO cases (\(caseColumns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                record.accountID, record.debtorName, record.stage.rawValue, record.status.rawValue,
                record.balance.minorUnits, record.balance.currency.code, record.daysPastDue,
                try StoreCodec.encode(record.nextAction), record.nextAction.on?.iso,
                record.priority.score, try StoreCodec.encode(record.priority.reasons), record.inQueue,
                record.assignee, record.version, record.asOf.iso, try StoreCodec.encode(record.state),
            ])
    }

    static func caseRecord(accountID: String, db: Database) throws -> CaseRecord? {
        try Row.fetchOne(db, sql: "SELECT \(caseColumns) FROM cases WHERE account_id = ?", arguments: [accountID]).map(caseRecord)
    }

    static func caseRecord(_ row: Row) throws -> CaseRecord {
        let id: String = row["account_id"]
        func bad(_ column: String) -> StoreError { .corruptRow(table: "cases", key: id, reason: "unreadable \(column)") }
        guard let stage = Stage(rawValue: row["stage"]) else { throw bad("stage") }
        guard let status = Status(rawValue: row["status"]) else { throw bad("status") }
        guard let asOf = CivilDate(iso: row["as_of"]) else { throw bad("as_of") }
        let currency = try Currency(code: row["currency"])
        let reasons = try StoreCodec.decode([Priority.Reason].self, from: row["priority_reasons"])
        return CaseRecord(
            accountID: id,
            debtorName: row["debtor_name"],
            stage: stage,
            status: status,
            balance: Money(minorUnits: row["balance_minor"], currency: currency),
            daysPastDue: row["days_past_due"],
            nextAction: try StoreCodec.decode(NextAction.self, from: row["next_action"]),
            priority: Priority(score: row["priority"], reasons: reasons),
            inQueue: row["in_queue"],
            assignee: row["assignee"],
            version: row["version"],
            asOf: asOf,
            state: try StoreCodec.decode(CaseState.self, from: row["state"])
        )
    }

    static func storedEvent(_ row: Row) throws -> StoredEvent {
        let id: Int64 = row["id"]
        func bad(_ column: String) -> StoreError { .corruptRow(table: "events", key: "\(id)", reason: "unreadable \(column)") }
        guard let at = StoreCodec.instant(row["at"]) else { throw bad("at") }
        guard let role = Role(rawValue: row["actor_role"]) else { throw bad("actor_role") }
        return StoredEvent(
            id: id,
            accountID: row["case_id"],
            seq: row["seq"],
            at: at,
            actor: Actor(name: row["actor"], role: role),
            kind: row["kind"],
            event: try StoreCodec.decode(CaseEvent.self, from: row["payload"])
        )
    }

    static func account(id: String, db: Database) throws -> Account? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE id = ?", arguments: [id]) else { return nil }
        guard let kind = DebtorKind(rawValue: row["debtor_kind"]) else {
            throw StoreError.corruptRow(table: "accounts", key: id, reason: "unreadable debtor_kind")
        }
        let currency = try Currency(code: row["currency"])
        let contacts = try Row.fetchAll(db, sql: "SELECT * FROM contacts WHERE account_id = ? ORDER BY position", arguments: [id]).map {
            Contact(name: $0["name"], phone: $0["phone"], email: $0["email"], address: $0["address"])
        }
        let debtor = Debtor(name: row["debtor_name"], kind: kind, contacts: contacts, timeZone: row["time_zone"], country: row["country"], region: row["region"])
        let invoices = try Row.fetchAll(db, sql: "SELECT * FROM invoices WHERE account_id = ? ORDER BY due_on, id", arguments: [id]).map { r -> Invoice in
            let c = try Currency(code: r["currency"])
            guard let issued = CivilDate(iso: r["issued_on"]), let due = CivilDate(iso: r["due_on"]) else {
                throw StoreError.corruptRow(table: "invoices", key: r["id"], reason: "unreadable date")
            }
            return Invoice(id: r["id"], accountID: id, issuedOn: issued, dueOn: due, amount: Money(minorUnits: r["amount_minor"], currency: c), paid: Money(minorUnits: r["paid_minor"], currency: c), disputed: r["disputed"])
        }
        let payments = try Row.fetchAll(db, sql: "SELECT * FROM payments WHERE account_id = ? ORDER BY paid_on, id", arguments: [id]).map { r -> Payment in
            let c = try Currency(code: r["currency"])
            guard let paid = CivilDate(iso: r["paid_on"]) else {
                throw StoreError.corruptRow(table: "payments", key: r["id"], reason: "unreadable date")
            }
            return Payment(id: r["id"], accountID: id, invoiceID: r["invoice_id"], paidOn: paid, amount: Money(minorUnits: r["amount_minor"], currency: c))
        }
        return Account(id: id, debtor: debtor, currency: currency, assignee: row["assignee"], invoices: invoices, payments: payments)
    }
}
