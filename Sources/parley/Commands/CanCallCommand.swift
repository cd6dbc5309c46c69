import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley can-call ACCOUNT --at T`: the contact rules' verdict for a call at a moment —
/// allowed, warned or blocked, the reasons, and the next moment a call would be allowed.
struct CanCallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "can-call",
        abstract: "Whether the contact rules allow a call to an account at a moment, and why.",
        discussion: "Exit status: 0 allowed, 1 warned (allowed with cautions), 2 blocked."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    @Argument(help: "The account id.")
    var account: String

    @Option(help: ArgumentHelp("The moment of the call: an ISO 8601 instant with its offset, e.g. 2026-11-23T21:30:00-05:00 (default: now).", valueName: "T"))
    var at: String?

    func validate() throws {
        if let at, Clock.instant(at) == nil {
            throw ValidationError("--at must be an ISO 8601 instant like 2026-11-23T21:30:00-05:00, found \"\(at)\"")
        }
    }

    func run() async throws {
        let db = try await store.open()
        let when = at.flatMap(Clock.instant) ?? Clock.now()
        guard let acct = try await db.account(id: account) else {
            throw CommandFailure(message: "there is no account \(account)")
        }
        let verdict = try await db.evaluateCall(accountID: account, at: when)
        switch output.format {
        case .json:
            struct Answer: Encodable {
                var accountId: String
                var at: Date
                var timeZone: String?
                var verdict: ContactVerdict
            }
            try JSONOutput.print(Answer(accountId: account, at: when, timeZone: acct.debtor.timeZone, verdict: verdict))
        case .text:
            print("\(account)  \(acct.debtor.name) (\(acct.debtor.kind.rawValue), \(acct.debtor.timeZone ?? "time zone unknown"))")
            print("call at \(when.formatted(.iso8601)): \(verdict.decision.rawValue)")
            for reason in verdict.reasons { print("  - \(reason)") }
            if let next = verdict.nextAllowed { print("next allowed: \(next.formatted(.iso8601))") }
        }
        switch verdict.decision {
        case .allowed: break
        case .warned: throw ExitCode(1)
        case .blocked: throw ExitCode(2)
        }
    }
}
