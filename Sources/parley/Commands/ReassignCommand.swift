import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley reassign ACCOUNT --to NAME --reason R`, or `parley reassign --from A --to B
/// [--filter TEXT] --reason R` for every case assigned to A (one transaction, one `reassigned`
/// event per case). Supervisor only; collectors may work any case in the queue, but only a
/// supervisor moves cases between collectors.
struct ReassignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reassign",
        abstract: "Move one case, or every case of a collector, to another operator (supervisor only)."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    @Argument(help: "The account id (leave out with --from).")
    var account: String?

    @Option(help: ArgumentHelp("Every case now assigned to this operator.", valueName: "NAME"))
    var from: String?

    @Option(help: ArgumentHelp("The operator the cases go to.", valueName: "NAME"))
    var to: String

    @Option(help: ArgumentHelp("With --from: only cases matching, as the queue's filter (debtor name, account or invoice id).", valueName: "TEXT"))
    var filter: String?

    @Option(help: "Why (recorded on every case).")
    var reason: String

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("reassign needs --reason") }
        switch (account, from) {
        case (nil, nil): throw ValidationError("give an ACCOUNT, or --from NAME for every case of a collector")
        case (.some, .some): throw ValidationError("give either an ACCOUNT or --from, not both")
        default: break
        }
        if account != nil, filter != nil { throw ValidationError("--filter goes with --from") }
    }

    func run() async throws {
        let (db, actor) = try await store.openAsOperator()
        let now = Clock.now()
        let events: [StoredEvent]
        do {
            if let account {
                events = try await db.record(.reassigned(to: to, reason: reason), accountID: account, actor: actor, at: now).events
            } else {
                events = try await db.reassignAll(from: from ?? "", to: to, filter: filter, reason: reason, actor: actor, at: now)
            }
        } catch StoreError.refused(_, let refusal) {
            throw CommandFailure(message: "refused: \(refusal.message)")
        } catch StoreError.unknownAccount(let id) {
            throw CommandFailure(message: "there is no account \(id)")
        } catch let error as OperatorError {
            throw CommandFailure(message: "refused: \(error.description)")
        }
        let accounts = events.filter { $0.kind == EventKind.reassigned.rawValue }.map(\.accountID)
        switch output.format {
        case .json:
            try JSONOutput.print(ReassignJSON(to: to, reason: reason, accounts: accounts))
        case .text:
            print("reassigned \(accounts.count) case\(accounts.count == 1 ? "" : "s") to \(to)")
            for id in accounts { print("  \(id)") }
        }
    }
}

/// `parley reassign --format json`.
struct ReassignJSON: Encodable {
    var to: String
    var reason: String
    var accounts: [String]
}
