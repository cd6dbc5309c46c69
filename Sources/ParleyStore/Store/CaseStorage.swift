import Foundation
import ParleyCore

/// A case as a write transaction finds it: its state, the last sequence number and instant of
/// its log, and the columns its projection copies from the account.
struct CaseSnapshot {
    var state: CaseState
    var seq: Int
    var latestAt: Date
    var debtorName: String
    var assignee: String?
    /// The indexed columns of the projection row as read from the database, when the storage
    /// read it (its debtor name and assignee are then the row's): writing the case is an update
    /// of that row, which leaves alone the indexed columns whose value stays.
    var stored: StoredProjection? = nil
}

/// Where a case's log ends: the last sequence number and the latest instant. Kept with the state
/// (SQLite's `case_states`), so that reading a case does not look its log over.
struct LogPosition: Sendable {
    var seq: Int
    var latestAt: Date
}

/// The projection columns that indexes cover, as stored: SQLite rewrites an index entry whenever
/// an UPDATE sets one of its columns, to the same value or not.
struct StoredProjection {
    var stage: String
    var status: String
    var priority: Int
    var inQueue: Bool
    var nextDueDay: Int?
    var assignee: String?
    /// Where the case's row and its state's row are (SQLite's rowids, read with them in the same
    /// transaction, where they cannot change): the run's UPDATEs find the rows by them instead of
    /// looking up the account id in each table's primary-key index first.
    var rowID: Int64
    var stateRowID: Int64
}

/// What one write transaction reads and writes, seen by `CaseSession` and `BatchImport`, which
/// hold the rules and know nothing of SQL. SQLite implements it over its open transaction;
/// PostgreSQL over the rows it loaded at the start of the transaction, writing what was buffered
/// before it commits. Reads see the writes made earlier in the same transaction.
protocol CaseStorage: AnyObject {
    /// The currency of an account, nil when there is no such account.
    func accountCurrency(_ id: String) throws -> Currency?
    func caseSnapshot(_ id: String) throws -> CaseSnapshot?
    func account(id: String) throws -> Account?
    /// The case's log, oldest first, this transaction's events included.
    func recordedEvents(of id: String) throws -> [RecordedEvent]
    /// What the contact rules' view of a case (`ContactProfile(state:debtor:events:)`) reads
    /// besides the state: the debtor (its contacts may be left out) and the events of the log
    /// that bear on it (payments received and letters sent; it looks at no other kind, and at no
    /// letter but a validation notice, so a store may give only those), oldest first, this
    /// transaction's included. Nil when there is no such account.
    func contactRecords(of id: String) throws -> (Debtor, [RecordedEvent])?
    /// Whether the portfolio holds any account, invoice or payment yet: an import into an empty
    /// database need not look each one up.
    func holdsAnyRecords() throws -> Bool
    func invoiceExists(_ id: String) throws -> Bool
    func paymentExists(_ id: String) throws -> Bool

    func insert(account: Account) throws
    func insert(invoice: Invoice) throws
    /// Inserts the payment and adds it to its invoice's paid amount.
    func insert(payment: Payment) throws
    /// Appends one event to the log; returns its id (0 when the id is given at commit).
    func append(_ recorded: RecordedEvent, accountID: String, seq: Int, kind: String) throws -> Int64
    /// The date of the latest daily run, nil before the first.
    func latestRunDate() throws -> CivilDate?
    /// Writes a case's projection; `nextDue` is the first day time alone can make something due
    /// on the case (`Lifecycle.nextDueDate`), which lets the daily run skip the others; `log`
    /// is where the case's log ends, this transaction's events included.
    func upsert(record: CaseRecord, nextDue: CivilDate?, log: LogPosition) throws
    /// Writes the projection of a case whose row was read in this transaction (`CaseSnapshot.stored`):
    /// the same row `upsert` writes, knowing that the row exists, that its debtor name is
    /// `record.debtorName` and that its indexed columns hold `stored`.
    func rewrite(record: CaseRecord, nextDue: CivilDate?, stored: StoredProjection, log: LogPosition) throws
}

extension CaseStorage {
    func contactRecords(of id: String) throws -> (Debtor, [RecordedEvent])? {
        guard let debtor = try account(id: id)?.debtor else { return nil }
        return (debtor, try recordedEvents(of: id))
    }

    func rewrite(record: CaseRecord, nextDue: CivilDate?, stored: StoredProjection, log: LogPosition) throws {
        try upsert(record: record, nextDue: nextDue, log: log)
    }
}
