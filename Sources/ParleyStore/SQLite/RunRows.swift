import Foundation
import GRDB
import GRDBSQLite
import ParleyCore

/// A case's snapshot columns (`SQLiteStorage.snapshotSelect`) copied out of the statement, not
/// yet decoded: the daily run reads them on the writer's thread and decodes them on another
/// (`RunPipeline`).
struct SnapshotRow: Sendable {
    var id: String
    var state: [UInt8]
    var debtorName: String
    var assignee: String?
    var stage: String
    var status: String
    var priority: Int64
    var inQueue: Bool
    var nextDueDay: Int?
    var seq: Int?
    var latest: String?
    var rowID: Int64
    var stateRowID: Int64

    init(_ row: DirectStatement) throws {
        guard let id = row.text(0), let state = row.bytes(1), let debtorName = row.text(2),
              let stage = row.text(4), let status = row.text(5) else {
            throw StoreError.corruptRow(table: "cases", key: row.text(0) ?? "?", reason: "NULL where text is required")
        }
        self.id = id
        self.state = Array(state)
        self.debtorName = debtorName
        assignee = row.text(3)
        self.stage = stage
        self.status = status
        priority = row.int64(6)
        inQueue = row.int64(7) != 0
        nextDueDay = row.int(8)
        seq = row.int(9)
        latest = row.text(10)
        rowID = row.int64(11)
        stateRowID = row.int64(12)
    }

    /// The case as a write transaction holds it.
    func snapshot() throws -> CaseSnapshot {
        let state = try self.state.withUnsafeBufferPointer { bytes in
            try FastStateDecoder.decode(bytes: bytes) ?? StoreCodec.decodeState(String(decoding: bytes, as: UTF8.self))
        }
        guard let seq, let latest else {
            throw StoreError.corruptRow(table: "events", key: id, reason: "the case has no event")
        }
        let stored = StoredProjection(stage: stage, status: status, priority: Int(priority), inQueue: inQueue,
                                      nextDueDay: nextDueDay, assignee: assignee, rowID: rowID, stateRowID: stateRowID)
        let latestAt = FastStateDecoder.instant(latest) ?? StoreCodec.instant(latest) ?? Date(timeIntervalSince1970: 0)
        return CaseSnapshot(state: state, seq: seq, latestAt: latestAt, debtorName: debtorName, assignee: assignee, stored: stored)
    }
}

/// What `SQLiteStorage.contactRecords` reads of a case, copied out of the statements, not yet
/// decoded: the account's debtor columns and the payments and letters of its log.
struct ContactRows: Sendable {
    struct Event: Sendable {
        var id: Int64
        var at: String?
        var actor: String?
        var role: String?
        var payload: String?
    }

    var name: String?
    var kind: String?
    var timeZone: String?
    var country: String?
    var region: String?
    var currency: String?
    var events: [Event] = []

    /// The debtor and the events, as `CaseStorage.contactRecords` gives them; `later` are
    /// events of this transaction not in `events` (written after them).
    func decoded(id: String, later: [PreparedEvent] = []) throws -> (Debtor, [RecordedEvent]) {
        guard let name, let kind, let country, let currency else {
            throw StoreError.corruptRow(table: "accounts", key: id, reason: "NULL where text is required")
        }
        guard let debtorKind = DebtorKind(rawValue: kind) else {
            throw StoreError.corruptRow(table: "accounts", key: id, reason: "unreadable debtor_kind")
        }
        _ = try Currency(code: currency)
        let debtor = Debtor(name: name, kind: debtorKind, timeZone: timeZone, country: country, region: region)
        var recorded: [RecordedEvent] = []
        recorded.reserveCapacity(events.count)
        func decode(_ event: Event) throws {
            func bad(_ column: String) -> StoreError { .corruptRow(table: "events", key: "\(event.id)", reason: "unreadable \(column)") }
            guard let atText = event.at, let at = FastStateDecoder.instant(atText) ?? StoreCodec.instant(atText) else { throw bad("at") }
            guard let actor = event.actor, let role = event.role.flatMap(Role.init(rawValue:)) else { throw bad("actor_role") }
            let payload = try StoreCodec.decodeEvent(event.payload ?? "")
            recorded.append(RecordedEvent(at: at, actor: Actor(name: actor, role: role), event: payload))
        }
        for event in events { try decode(event) }
        for event in later where Self.kinds.contains(event.kind) {
            try decode(Event(id: 0, at: event.at, actor: event.actor, role: event.role, payload: event.payload))
        }
        return (debtor, recorded)
    }

    /// The kinds of event the contact rules read (the kinds `contactRows` selects).
    static let kinds: Set<String> = [EventKind.paymentReceived.rawValue, EventKind.letterSent.rawValue]
}

/// An event ready to insert into the log: its payload encoded, its instant as text.
struct PreparedEvent: Sendable {
    var accountID: String
    var seq: Int
    var at: String
    var actor: String
    var role: String
    var kind: String
    var payload: String

    init(_ recorded: RecordedEvent, accountID: String, seq: Int, kind: String, instants: inout InstantText) throws {
        self.accountID = accountID
        self.seq = seq
        at = instants.text(recorded.at)
        actor = recorded.actor.name
        role = recorded.actor.role.rawValue
        self.kind = kind
        payload = try StoreCodec.encode(event: recorded.event)
    }
}

/// Instants as the log writes them, the last one kept: an import or a run writes thousands of
/// events at the same instant.
struct InstantText {
    private var last: (Date, String)?

    mutating func text(_ instant: Date) -> String {
        if let (date, text) = last, date == instant { return text }
        let text = StoreCodec.timestamp(instant)
        last = (instant, text)
        return text
    }
}

/// A projection row worked out and encoded, ready to write (`Rows.write`): the daily run works
/// them out off the writer's thread.
struct PreparedProjection: Sendable {
    var values: CaseRowValues
    var inputs: PriorityInputs
    var nextDueDay: Int?
    /// The row's indexed columns as read in this transaction (the write is then an UPDATE), nil
    /// for an upsert.
    var stored: StoredProjection?
    /// Where the case's log ends: its last sequence number and latest instant as the log writes it.
    var seq: Int
    var latestAt: String

    init(record: CaseRecord, nextDue: CivilDate?, stored: StoredProjection?, log: LogPosition, instants: inout InstantText) throws {
        values = try RowDecoding.values(of: record)
        inputs = PriorityInputs(state: record.state)
        nextDueDay = nextDue?.daysSinceEpoch
        self.stored = stored
        seq = log.seq
        latestAt = instants.text(log.latestAt)
    }
}
