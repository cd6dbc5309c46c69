import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley approvals`: offers beyond a collector's authority, waiting for a supervisor.
struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "Offers waiting for a supervisor, with the limits each exceeds and who asked."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let db = try await store.open()
        let pending = try await db.pendingApprovals()
        switch output.format {
        case .json:
            try JSONOutput.print(pending.map(ApprovalJSON.init))
        case .text:
            if pending.isEmpty { print("no offers are waiting for approval") }
            for entry in pending {
                let when = entry.requestedAt.map { " on \($0.formatted(.iso8601))" } ?? ""
                print("\(entry.accountID)  \(entry.debtorName)  balance \(entry.balance.formatted)")
                print("  \(entry.arrangement.summary), asked by \(entry.requestedBy)\(when)")
                for limit in entry.exceeds { print("  exceeds: \(limit)") }
            }
        }
    }
}

/// `parley approve ACCOUNT [--reason R]`: a supervisor approves the waiting offer; the written
/// agreement is produced as for any accepted offer.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve the offer waiting on an account (supervisor only); writes the agreement letter."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    @Argument(help: "The account id.")
    var account: String

    @Option(help: "Why (recorded as a note with the approval).")
    var reason: String?

    @Option(help: ArgumentHelp("Where the agreement letter goes (default: the database's directory).", valueName: "DIR"))
    var out: String?

    @Option(help: ArgumentHelp("A directory of letter templates that replace the bundled ones.", valueName: "DIR"))
    var templates: String?

    func run() async throws {
        let (db, actor) = try await store.openAsOperator()
        let now = Clock.now()
        let result = try await Decision.record(.approvalGranted, account: account, db: db, actor: actor, at: now)
        if let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty {
            _ = try await Decision.record(.note("approval: \(reason)"), account: account, db: db, actor: actor, at: now)
        }
        var files: [String] = []
        if result.effects.contains(where: { if case .produceAgreement = $0 { return true } else { return false } }) {
            files = try await Deliveries.writeLetters(db, on: CivilDate(utcInstant: now), base: Deliveries.base(out, store: store), templates: templates, accountID: account)
        }
        try Decision.report(result, files: files, format: output.format)
    }
}

/// `parley reject ACCOUNT --reason R`: a supervisor rejects the waiting offer.
struct RejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Reject the offer waiting on an account, with a reason (supervisor only)."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    @Argument(help: "The account id.")
    var account: String

    @Option(help: "Why the offer is rejected (the collector sees it).")
    var reason: String

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("reject needs --reason") }
    }

    func run() async throws {
        let (db, actor) = try await store.openAsOperator()
        let result = try await Decision.record(.approvalDenied(reason: reason), account: account, db: db, actor: actor, at: Clock.now())
        try Decision.report(result, files: [], format: output.format)
    }
}

/// What approve and reject share: recording the decision, and printing it.
enum Decision {
    static func record(_ event: CaseEvent, account: String, db: any CaseStore, actor: Actor, at: Date) async throws -> RecordOutcome {
        do {
            return try await db.record(event, accountID: account, actor: actor, at: at)
        } catch StoreError.refused(_, let refusal) {
            throw CommandFailure(message: "refused: \(refusal.message)")
        } catch StoreError.unknownAccount(let id) {
            throw CommandFailure(message: "there is no account \(id)")
        } catch let error as OperatorError {
            throw CommandFailure(message: "refused: \(error.description)")
        }
    }

    static func report(_ result: RecordOutcome, files: [String], format: OutputFormat) throws {
        switch format {
        case .json:
            try JSONOutput.print(DecisionJSON(recorded: RecordJSON(result, verdict: nil), agreementFiles: files))
        case .text:
            for stored in result.events { print("recorded \(stored.kind) (#\(stored.seq)): \(stored.event.summary)") }
            let record = result.record
            print("\(record.accountID): \(record.stage.rawValue)/\(record.status.label), balance \(record.balance.formatted); next: \(record.nextAction.text)")
            for file in files { print("agreement written to \(file)") }
        }
    }
}

/// `parley approve|reject --format json`.
struct DecisionJSON: Encodable {
    var recorded: RecordJSON
    var agreementFiles: [String]
}

/// `parley approvals --format json`: one entry per waiting offer.
struct ApprovalJSON: Encodable {
    var accountId: String
    var debtorName: String
    var assignee: String?
    var balance: Money
    var offer: String
    var arrangement: Arrangement
    var exceeds: [String]
    var requestedBy: String
    var requestedAt: Date?

    init(_ entry: PendingApprovalEntry) {
        accountId = entry.accountID
        debtorName = entry.debtorName
        assignee = entry.assignee
        balance = entry.balance
        offer = entry.arrangement.summary
        arrangement = entry.arrangement
        exceeds = entry.exceeds
        requestedBy = entry.requestedBy
        requestedAt = entry.requestedAt
    }
}
