import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley offer ACCOUNT`: the concession ladder for a case, or one offer worked out — schedule,
/// totals, the acting operator's authority and the recovery estimate — and, with `--accept`,
/// recorded: within authority it takes effect and its written agreement is rendered; beyond it,
/// it goes to a supervisor and the case shows "awaiting approval".
struct OfferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offer",
        abstract: "Build an offer for an account: the ladder, or a plan, settlement or promise with its schedule, authority and recovery estimate.",
        discussion: """
        Without --kind, prints the concession ladder from least concession to most.
          --kind plan --installments N [--every week|fortnight|month] [--first DATE] [--deposit A]
          --kind settlement --discount PCT [--expires DATE]
          --kind promise --amount A --date DATE
          --kind full [--date DATE]
        --accept records the offer (or asks a supervisor when it is beyond your authority).
        """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case plan, settlement, promise, full
    }

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption
    @OptionGroup var asOf: AsOfOption

    @Argument(help: "The account id.")
    var account: String

    @Option(help: "The kind of offer (without it: the concession ladder).")
    var kind: Kind?

    @Option(help: "Plan: the number of installments after any deposit.")
    var installments: Int?

    @Option(help: "Plan: week, fortnight or month.")
    var every: String = "month"

    @Option(help: ArgumentHelp("Plan: the first payment's date (default: in 7 days).", valueName: "DATE"))
    var first: String?

    @Option(help: ArgumentHelp("Plan: a deposit paid on the first date.", valueName: "A"))
    var deposit: String?

    @Option(help: ArgumentHelp("Settlement: the discount in percent.", valueName: "PCT"))
    var discount: String?

    @Option(help: ArgumentHelp("Settlement: the last day to pay (default: in 14 days).", valueName: "DATE"))
    var expires: String?

    @Option(help: ArgumentHelp("Promise: the amount promised.", valueName: "A"))
    var amount: String?

    @Option(help: ArgumentHelp("Promise or payment in full: the date.", valueName: "DATE"))
    var date: String?

    @Flag(help: "Record the offer as agreed (or ask a supervisor when beyond your authority).")
    var accept = false

    func run() async throws {
        let (db, actor) = try await store.openAsOperator()
        guard let acct = try await db.account(id: account), let record = try await db.caseRecord(accountID: account) else {
            throw CommandFailure(message: "there is no account \(account)")
        }
        let day = asOf.date
        let balance = record.balance
        let promises = PromiseRecord(kept: record.state.promisesKept, broken: record.state.promisesBroken)
        guard let kind else {
            if accept { throw ValidationError("--accept needs an offer: give --kind") }
            try printLadder(db: db, balance: balance, day: day, role: actor.role, promises: promises, debtor: acct.debtor.name)
            return
        }
        let draft = try makeDraft(kind: kind, balance: balance, day: day)
        let evaluation = draft.evaluate(balance: balance, asOf: day, debtorKind: acct.debtor.kind, role: actor.role, policy: db.policy, record: promises)
        guard let offer = evaluation.offer else { throw CommandFailure(message: evaluation.error ?? "the offer could not be built") }

        var recorded: RecordOutcome?
        var agreementFiles: [String] = []
        if accept {
            guard let arrangement = offer.arrangement else {
                throw CommandFailure(message: "a \(draft.kind.label) without a date cannot be recorded; give --expires")
            }
            let event: CaseEvent = evaluation.needsApproval && !actor.isSupervisor
                ? .approvalRequested(arrangement, exceeds: evaluation.authority?.exceeded.map(\.message) ?? [])
                : arrangement.agreedEvent
            let now = Clock.now()
            do {
                recorded = try await db.record(event, accountID: account, actor: actor, at: now)
            } catch StoreError.refused(_, let refusal) {
                throw CommandFailure(message: "refused: \(refusal.message)")
            }
            if recorded?.effects.contains(where: { if case .produceAgreement = $0 { return true } else { return false } }) == true {
                agreementFiles = try await Deliveries.writeLetters(db, on: CivilDate(utcInstant: now), base: Deliveries.base(nil, store: store), templates: nil, accountID: account)
            }
        }

        switch output.format {
        case .json:
            try JSONOutput.print(OfferJSON(accountId: account, balance: balance, asOf: day, role: actor.role.rawValue, offer: offer,
                                           authority: evaluation.authority, recovery: evaluation.recovery,
                                           recorded: recorded.map { RecordJSON($0, verdict: nil) }, agreementFiles: agreementFiles))
        case .text:
            print("\(acct.id)  \(acct.debtor.name): \(draft.kind.label) on a balance of \(balance.formatted), as of \(day.iso)")
            printSchedule(offer.payments())
            CalcCommand.printAuthority(evaluation.authority)
            if let r = evaluation.recovery { printRecovery(r) }
            if let recorded {
                print("")
                for stored in recorded.events { print("recorded \(stored.kind): \(stored.event.summary)") }
                print("\(account): \(recorded.record.status.label); next: \(recorded.record.nextAction.text)")
                for file in agreementFiles { print("written agreement: \(file)") }
            }
        }
    }

    func makeDraft(kind: Kind, balance: Money, day: CivilDate) throws -> OfferDraft {
        var draft = OfferDraft.start(balance: balance, asOf: day)
        switch kind {
        case .plan:
            draft.kind = .plan
            guard let installments else { throw ValidationError("--kind plan needs --installments N") }
            draft.installments = String(installments)
            guard let frequency = PaymentFrequency(rawValue: every) else {
                throw ValidationError("--every must be week, fortnight or month, found \"\(every)\"")
            }
            draft.frequency = frequency
            if let first { draft.first = first }
            if let deposit { draft.deposit = deposit }
        case .settlement:
            draft.kind = .settlement
            guard let discount else { throw ValidationError("--kind settlement needs --discount PCT") }
            draft.discount = discount
            if let expires { draft.expires = expires }
        case .promise:
            draft.kind = .promise
            guard let amount, let date else { throw ValidationError("--kind promise needs --amount and --date") }
            draft.amount = amount
            draft.date = date
        case .full:
            draft.kind = .full
            draft.date = date ?? day.iso
        }
        return draft
    }

    func printLadder(db: any CaseStore, balance: Money, day: CivilDate, role: Role, promises: PromiseRecord, debtor: String) throws {
        let rungs: [ConcessionRung]
        do { rungs = try ConcessionLadder.offers(balance: balance, asOf: day, policy: db.policy, role: role) }
        catch { throw CommandFailure(message: error.description) }
        let estimates = rungs.map { try? RecoveryEstimate.compare(offer: $0.offer, balance: balance, asOf: day, record: promises, policy: db.policy) }
        switch output.format {
        case .json:
            struct Rung: Encodable { var step: Int; var label: String; var offer: Offer; var recovery: RecoveryEstimate? }
            struct Ladder: Encodable { var accountId: String; var balance: Money; var asOf: CivilDate; var role: String; var rungs: [Rung] }
            try JSONOutput.print(Ladder(accountId: account, balance: balance, asOf: day, role: role.rawValue,
                                        rungs: zip(rungs, estimates).map { Rung(step: $0.step, label: $0.label, offer: $0.offer, recovery: $1) }))
        case .text:
            print("\(account)  \(debtor): offers for \(balance.formatted) as of \(day.iso), least concession first (\(role.rawValue)'s authority)")
            var rows = [["#", "Offer", "Worth today", "vs agency"]]
            for (rung, estimate) in zip(rungs, estimates) {
                rows.append([String(rung.step), rung.label, estimate?.offerValue.formatted ?? "-", estimate.map { "\($0.better == .placeWithAgency ? "-" : "+")\($0.advantage.formatted)" } ?? "-"])
            }
            CalcCommand.printTable(rows, rightAligned: [0, 2, 3], ruleBeforeLast: false)
        }
    }

    func printSchedule(_ payments: [ScheduledPayment]) {
        var rows = [["#", "Date", "Amount"]]
        for (i, p) in payments.enumerated() { rows.append([String(i + 1), p.date.iso, p.amount.formatted]) }
        if let currency = payments.first?.amount.currency, let total = try? Money.sum(payments.map(\.amount), currency: currency) {
            rows.append(["", "Total", total.formatted])
        }
        CalcCommand.printTable(rows, rightAligned: [0, 2], ruleBeforeLast: payments.count > 0)
    }

    func printRecovery(_ r: RecoveryEstimate) {
        print("")
        print("Worth today: offer \(r.offerValue.formatted) (kept with probability \(r.probabilityKept)) vs agency now \(r.agencyValue.formatted)")
        switch r.better {
        case .negotiate: print("Negotiating is worth \(r.advantage.formatted) more.")
        case .placeWithAgency: print("Placing with the agency now is worth \(r.advantage.formatted) more.")
        case .either: print("Both are worth the same.")
        }
    }
}

/// `parley offer --kind ... --format json`.
struct OfferJSON: Encodable {
    var accountId: String
    var balance: Money
    var asOf: CivilDate
    var role: String
    var offer: Offer
    var authority: AuthorityCheck?
    var recovery: RecoveryEstimate?
    var recorded: RecordJSON?
    var agreementFiles: [String]
}
