import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley record ACCOUNT EVENT ...`: records what happened on a case, through the lifecycle
/// and, for calls, the contact rules. A refused event prints the reason, writes nothing and
/// exits non-zero.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a call, promise, payment, dispute, cease, note, ... on an account.",
        discussion: """
        EVENT is one of:
          call --outcome no-answer|voicemail|conversation|wrong-number|not-connected [--at T] [--override REASON]
          callback --at T                       contact                   (right-party contact)
          promise --amount A --date D           payment --amount A [--date D]
          dispute --reason R                    dispute-resolved --verified|--upheld
          cease                                 attorney NAME
          hold --reason R                       release
          write-off --reason R                  reopen --reason R
          place [--date D]                      recall --reason R
          note TEXT...
        T is an ISO 8601 instant with its offset (2026-11-23T21:30:00-05:00); D a date (2026-11-30).
        """
    )

    enum EventName: String, ExpressibleByArgument, CaseIterable {
        case call, callback, contact, promise, payment, dispute
        case disputeResolved = "dispute-resolved"
        case cease, attorney, hold, release
        case writeOff = "write-off"
        case reopen, place, recall, note
    }

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    @Argument(help: "The account id.")
    var account: String

    @Argument(help: "What happened (see below).")
    var event: EventName

    @Argument(help: "The note's text, or the attorney's name.")
    var words: [String] = []

    @Option(help: ArgumentHelp("When it happened: ISO 8601 instant (default: now).", valueName: "T"))
    var at: String?

    @Option(help: "How the call ended.")
    var outcome: CallOutcome?

    @Option(help: ArgumentHelp("A supervisor's reason for calling although the contact rules block it.", valueName: "REASON"))
    var override: String?

    @Option(help: ArgumentHelp("An amount in the account's currency (1234.56).", valueName: "A"))
    var amount: String?

    @Option(help: ArgumentHelp("A date, YYYY-MM-DD.", valueName: "D"))
    var date: String?

    @Option(help: "The reason (dispute, hold, write-off, reopen, recall).")
    var reason: String?

    @Option(name: .customLong("expect-version"), help: ArgumentHelp("Refuse the write when the case is no longer at this version (the `version` that show/queue print): someone else updated it meanwhile.", valueName: "N"))
    var expectVersion: Int?

    @Flag(help: "dispute-resolved: the debt was verified.")
    var verified = false

    @Flag(help: "dispute-resolved: the debtor was right.")
    var upheld = false

    func validate() throws {
        if let at, Clock.instant(at) == nil {
            throw ValidationError("--at must be an ISO 8601 instant like 2026-11-23T21:30:00-05:00, found \"\(at)\"")
        }
        if let date, CivilDate(iso: date) == nil {
            throw ValidationError("--date must be a date like 2026-11-30, found \"\(date)\"")
        }
    }

    func run() async throws {
        let (db, actor) = try await store.openAsOperator()
        let when = at.flatMap(Clock.instant) ?? Clock.now()
        guard let acct = try await db.account(id: account) else {
            throw CommandFailure(message: "there is no account \(account)")
        }
        do {
            if event == .call {
                guard let outcome else { throw ValidationError("call needs --outcome (\(CallOutcome.allCases.map(\.rawValue).joined(separator: "|")))") }
                let (verdict, result) = try await db.recordCall(accountID: account, outcome: outcome, overrideReason: override, actor: actor, at: when, expectedVersion: expectVersion)
                try report(result, verdict: verdict)
            } else {
                let result = try await db.record(try caseEvent(currency: acct.currency, at: when), accountID: account, actor: actor, at: when, expectedVersion: expectVersion)
                try report(result, verdict: nil)
            }
        } catch StoreError.refused(_, let refusal) {
            if event == .call, let verdict = try? await db.evaluateCall(accountID: account, at: when), verdict.decision != .allowed {
                for reason in verdict.reasons { FileHandle.standardError.write(Data("parley: contact rules: \(reason)\n".utf8)) }
            }
            throw CommandFailure(message: "refused: \(refusal.message)")
        } catch let error as OperatorError {
            throw CommandFailure(message: "refused: \(error.description)")
        } catch let stale as StoreError {
            guard case .staleCase = stale else { throw stale }
            throw CommandFailure(message: stale.description)
        }
    }

    func caseEvent(currency: Currency, at: Date) throws -> CaseEvent {
        func money() throws -> Money {
            guard let amount else { throw ValidationError("\(event.rawValue) needs --amount") }
            do {
                return try Money.parse(amount, currency: currency)
            } catch {
                throw ValidationError("--amount \"\(amount)\" is not an amount in \(currency.code): \(error)")
            }
        }
        func day(required: Bool) throws -> CivilDate {
            if let date, let parsed = CivilDate(iso: date) { return parsed }
            if required { throw ValidationError("\(event.rawValue) needs --date") }
            return CivilDate(utcInstant: at)
        }
        func why() throws -> String {
            guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("\(event.rawValue) needs --reason") }
            return reason
        }
        let text = words.joined(separator: " ")
        switch event {
        case .call: throw ValidationError("a call is recorded through the contact rules")
        case .callback: return .callbackScheduled(at: at)
        case .contact: return .rightPartyContact
        case .promise: return .promiseMade(amount: try money(), due: try day(required: true))
        case .payment: return .paymentReceived(amount: try money(), on: try day(required: false))
        case .dispute: return .disputeRaised(reason: try why())
        case .disputeResolved:
            guard verified != upheld else { throw ValidationError("dispute-resolved needs exactly one of --verified or --upheld") }
            return .disputeResolved(verified ? .verified : .upheld)
        case .cease: return .ceaseRequested
        case .attorney:
            guard !text.isEmpty else { throw ValidationError("attorney needs the attorney's name") }
            return .attorneyRepresented(name: text)
        case .hold: return .hold(reason: try why())
        case .release: return .release
        case .writeOff: return .writtenOff(reason: try why())
        case .reopen: return .reopened(reason: try why())
        case .place: return .placedWithAgency(on: try day(required: false))
        case .recall: return .recalled(reason: try why())
        case .note:
            guard !text.isEmpty else { throw ValidationError("note needs its text") }
            return .note(text)
        }
    }

    func report(_ result: RecordOutcome, verdict: ContactVerdict?) throws {
        switch output.format {
        case .json:
            try JSONOutput.print(RecordJSON(result, verdict: verdict))
        case .text:
            if let verdict, verdict.decision != .allowed {
                print("contact rules: \(verdict.decision.rawValue)")
                for reason in verdict.reasons { print("  \(reason)") }
            }
            for stored in result.events { print("recorded \(stored.kind) (#\(stored.seq)): \(stored.event.summary)") }
            for effect in result.effects { print("  then: \(effect.summary)") }
            let record = result.record
            print("\(record.accountID): \(record.stage.rawValue)/\(record.status.label), balance \(record.balance.formatted); next: \(record.nextAction.text)")
        }
    }
}

extension CallOutcome: ExpressibleByArgument {}

/// `parley record --format json`.
struct RecordJSON: Encodable {
    struct Written: Encodable {
        var seq: Int
        var at: Date
        var actor: String
        var kind: String
        var summary: String
    }

    var accountId: String
    var events: [Written]
    var effects: [String]
    var stage: String
    var status: String
    var balance: Money
    var nextAction: NextAction
    var version: Int
    var contactVerdict: ContactVerdict?

    init(_ result: RecordOutcome, verdict: ContactVerdict?) {
        accountId = result.record.accountID
        events = result.events.map { Written(seq: $0.seq, at: $0.at, actor: $0.actor.name, kind: $0.kind, summary: $0.event.summary) }
        effects = result.effects.map(\.summary)
        stage = result.record.stage.rawValue
        status = result.record.status.rawValue
        balance = result.record.balance
        nextAction = result.record.nextAction
        version = result.record.version
        contactVerdict = verdict
    }
}
