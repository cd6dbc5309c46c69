import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley audit`: the event log, filtered, newest first. Read only: there is no command that
/// changes an event, and the database refuses it (triggers on the `events` table).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The event log filtered by account, operator, kind and dates, newest first."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    @Option(help: ArgumentHelp("Only this account's events.", valueName: "ID"))
    var account: String?

    @Option(name: .customLong("operator"), help: ArgumentHelp("Only events recorded by this operator (or `system`).", valueName: "NAME"))
    var operatorName: String?

    @Option(help: ArgumentHelp("Only events of this kind (promise-made, written-off, reassigned, ...).", valueName: "KIND"))
    var kind: String?

    @Option(help: ArgumentHelp("From this day (UTC), YYYY-MM-DD.", valueName: "DATE"))
    var from: String?

    @Option(help: ArgumentHelp("To this day (UTC) included, YYYY-MM-DD.", valueName: "DATE"))
    var to: String?

    @Option(help: "At most this many events.")
    var limit: Int = 200

    func validate() throws {
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, CivilDate(iso: value) == nil { throw ValidationError("\(name) must be a date like 2026-11-23, found \"\(value)\"") }
        }
        if let kind, EventKind(rawValue: kind) == nil {
            throw ValidationError("--kind \"\(kind)\" is not a kind of event; one of: \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let db = try await store.open()
        let query = AuditQuery(accountID: account, operatorName: operatorName, kind: kind,
                               from: from.flatMap { CivilDate(iso: $0) }, to: to.flatMap { CivilDate(iso: $0) }, limit: limit)
        let events = try await db.auditLog(query)
        switch output.format {
        case .json:
            try JSONOutput.print(events.map(AuditJSON.init))
        case .text:
            if events.isEmpty { print("no events match") }
            for event in events {
                print("\(event.at.formatted(.iso8601))  \(event.accountID)  #\(event.seq)  \(event.actor.name) (\(event.actor.role.rawValue))  \(event.kind): \(event.event.summary)")
            }
        }
    }
}

/// `parley audit --format json`: one entry per event.
struct AuditJSON: Encodable {
    var id: Int64
    var accountId: String
    var seq: Int
    var at: Date
    var actor: String
    var role: String
    var kind: String
    var summary: String
    var event: CaseEvent

    init(_ stored: StoredEvent) {
        id = stored.id
        accountId = stored.accountID
        seq = stored.seq
        at = stored.at
        actor = stored.actor.name
        role = stored.actor.role.rawValue
        kind = stored.kind
        summary = stored.event.summary
        event = stored.event
    }
}
