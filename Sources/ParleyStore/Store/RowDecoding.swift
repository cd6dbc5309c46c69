import Foundation
import ParleyCore

/// One result row, as both databases give it: the decoding below reads the same columns from
/// SQLite and from PostgreSQL.
protocol StoreRow {
    func text(_ column: String) throws -> String
    func optionalText(_ column: String) throws -> String?
    func integer(_ column: String) throws -> Int64
    func flag(_ column: String) throws -> Bool
}

/// The columns of the tables both databases share, and how a row becomes a value.
enum RowDecoding {
    static let eventColumns = "id, case_id, seq, at, actor, actor_role, kind, payload"
    /// The projection's columns both databases store, in the order `values(of:)` gives them.
    static let caseStoredColumns = caseRowColumns + ", state"
    /// Those columns but the state, which SQLite keeps beside the row (`case_states`). The next
    /// action and the priority's reasons are not among them: a read works them out again from
    /// the state for the case's clock (`caseRecord`), and the migrations `v13-no-derived-texts`
    /// (SQLite) and `v5-no-derived-texts` (PostgreSQL) dropped the columns that had kept them.
    static let caseRowColumns = "account_id, debtor_name, stage, status, balance_minor, currency, days_past_due, priority, in_queue, assignee, version, as_of"
    /// What a read selects: the stored columns and the date of the latest daily run, which
    /// brought every live case to its date without rewriting its row.
    static let caseColumns = caseStoredColumns + ", (SELECT MAX(as_of) FROM runs) AS run_on"

    /// A projection row as a record. The row's `as_of` is the day it was last written; a daily
    /// run since then moved a live case's clock to the run's date, so what depends on the date
    /// (days past due, the next action, the priority and its reasons) is worked out again here
    /// from the state, for that clock, exactly as the projection writes it.
    static func caseRecord(_ row: some StoreRow, policy: Policy) throws -> CaseRecord {
        let id = try row.text("account_id")
        func bad(_ column: String) -> StoreError { .corruptRow(table: "cases", key: id, reason: "unreadable \(column)") }
        guard Stage(rawValue: try row.text("stage")) != nil else { throw bad("stage") }
        guard Status(rawValue: try row.text("status")) != nil else { throw bad("status") }
        guard var asOf = CivilDate(iso: try row.text("as_of")) else { throw bad("as_of") }
        let state = try StoreCodec.decodeState(row.text("state"))
        if !state.status.isClosed, let run = try row.optionalText("run_on").flatMap(CivilDate.init(iso:)) { asOf = max(asOf, run) }
        return Projection.record(state: state, debtorName: try row.text("debtor_name"), assignee: try row.optionalText("assignee"), asOf: asOf, policy: policy)
    }

    static func storedEvent(_ row: some StoreRow) throws -> StoredEvent {
        let id = try row.integer("id")
        func bad(_ column: String) -> StoreError { .corruptRow(table: "events", key: "\(id)", reason: "unreadable \(column)") }
        guard let at = StoreCodec.instant(try row.text("at")) else { throw bad("at") }
        guard let role = Role(rawValue: try row.text("actor_role")) else { throw bad("actor_role") }
        return StoredEvent(
            id: id,
            accountID: try row.text("case_id"),
            seq: Int(try row.integer("seq")),
            at: at,
            actor: Actor(name: try row.text("actor"), role: role),
            kind: try row.text("kind"),
            event: try StoreCodec.decodeEvent(row.text("payload"))
        )
    }

    /// An account from its row and the rows of its contacts (by position), invoices and
    /// payments (by date, then id).
    static func account(_ row: some StoreRow, contacts: [some StoreRow], invoices: [some StoreRow], payments: [some StoreRow]) throws -> Account {
        let id = try row.text("id")
        guard let kind = DebtorKind(rawValue: try row.text("debtor_kind")) else {
            throw StoreError.corruptRow(table: "accounts", key: id, reason: "unreadable debtor_kind")
        }
        let currency = try Currency(code: row.text("currency"))
        let people = try contacts.map {
            Contact(name: try $0.text("name"), phone: try $0.optionalText("phone"), email: try $0.optionalText("email"), address: try $0.optionalText("address"))
        }
        let debtor = Debtor(name: try row.text("debtor_name"), kind: kind, contacts: people, timeZone: try row.optionalText("time_zone"), country: try row.text("country"), region: try row.optionalText("region"))
        let paid = try payments.map { r -> Payment in
            let c = try Currency(code: r.text("currency"))
            let paymentID = try r.text("id")
            guard let on = CivilDate(iso: try r.text("paid_on")) else {
                throw StoreError.corruptRow(table: "payments", key: paymentID, reason: "unreadable date")
            }
            return Payment(id: paymentID, accountID: id, invoiceID: try r.optionalText("invoice_id"), paidOn: on, amount: Money(minorUnits: try r.integer("amount_minor"), currency: c))
        }
        // What each invoice was paid: the sum of the payments that name it (no row keeps it since
        // v14).
        var paidByInvoice: [String: Money] = [:]
        for payment in paid {
            guard let invoiceID = payment.invoiceID else { continue }
            do {
                paidByInvoice[invoiceID] = try paidByInvoice[invoiceID].map { try $0.adding(payment.amount) } ?? payment.amount
            } catch {
                throw StoreError.corruptRow(table: "payments", key: payment.id, reason: "its amount cannot be added to what invoice \(invoiceID) was paid: \(error)")
            }
        }
        let bills = try invoices.map { r -> Invoice in
            let c = try Currency(code: r.text("currency"))
            let invoiceID = try r.text("id")
            guard let issued = CivilDate(iso: try r.text("issued_on")), let due = CivilDate(iso: try r.text("due_on")) else {
                throw StoreError.corruptRow(table: "invoices", key: invoiceID, reason: "unreadable date")
            }
            let invoicePaid = paidByInvoice[invoiceID] ?? .zero(c)
            guard invoicePaid.currency == c else {
                throw StoreError.corruptRow(table: "invoices", key: invoiceID, reason: "a payment of it is in \(invoicePaid.currency.code), the invoice in \(c.code)")
            }
            return Invoice(id: invoiceID, accountID: id, issuedOn: issued, dueOn: due, amount: Money(minorUnits: try r.integer("amount_minor"), currency: c),
                           paid: invoicePaid, disputed: try r.flag("disputed"))
        }
        return Account(id: id, debtor: debtor, currency: currency, assignee: try row.optionalText("assignee"), invoices: bills, payments: paid)
    }

    /// The values of a projection row, in `caseColumns` order, as both databases bind them.
    static func values(of record: CaseRecord) throws -> CaseRowValues {
        CaseRowValues(
            accountID: record.accountID, debtorName: record.debtorName, stage: record.stage.rawValue, status: record.status.rawValue,
            balanceMinor: record.balance.minorUnits, currency: record.balance.currency.code, daysPastDue: record.daysPastDue,
            priority: record.priority.score, inQueue: record.inQueue,
            assignee: record.assignee, version: record.version, asOf: record.asOf.iso, state: try StoreCodec.encode(state: record.state)
        )
    }
}

/// A projection row ready to bind.
struct CaseRowValues {
    var accountID: String
    var debtorName: String
    var stage: String
    var status: String
    var balanceMinor: Int64
    var currency: String
    var daysPastDue: Int
    var priority: Int
    var inQueue: Bool
    var assignee: String?
    var version: Int
    var asOf: String
    var state: String
}
