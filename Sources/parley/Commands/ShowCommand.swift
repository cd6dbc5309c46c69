import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley show ACCOUNT`: the case, its balance and aging, invoices, payments and history.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "An account's case: state, balance, aging, invoices, payments and history."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption
    @OptionGroup var asOf: AsOfOption

    @Argument(help: "The account id.")
    var account: String

    func run() async throws {
        let db = try await store.open()
        guard let acct = try await db.account(id: account), let record = try await db.caseRecord(accountID: account) else {
            throw CommandFailure(message: "there is no account \(account)")
        }
        let history = try await db.history(accountID: account)
        let view = try ShowJSON(account: acct, record: record, history: history, asOf: asOf.date)
        switch output.format {
        case .json:
            try JSONOutput.print(view)
        case .text:
            print("\(acct.id)  \(acct.debtor.name) (\(acct.debtor.kind.rawValue), \(acct.debtor.country)\(acct.debtor.timeZone.map { ", \($0)" } ?? ""))")
            for contact in acct.debtor.contacts {
                print("  contact: " + [contact.name, contact.phone, contact.email, contact.address].compactMap { $0 }.joined(separator: " · "))
            }
            print("stage \(record.stage.rawValue), \(record.status.label); balance \(record.balance.formatted); \(view.case.daysPastDue) days past due on \(asOf.date.iso)")
            print("next: \(record.nextAction.text)\(record.nextAction.on.map { " (\($0.iso))" } ?? "")")
            print("priority \(record.priority.score): " + record.priority.reasons.map(\.text).joined(separator: ", "))
            print("aging on \(asOf.date.iso): " + view.aging.map { "\($0.bucket) \($0.amount.formatted)" }.joined(separator: ", "))
            print("invoices:")
            for invoice in view.invoices {
                print("  \(invoice.id)  issued \(invoice.issuedOn.iso)  due \(invoice.dueOn.iso)  \(invoice.amount.formatted)  paid \(invoice.paid.formatted)\(invoice.disputed ? "  disputed" : "")")
            }
            if !view.payments.isEmpty {
                print("payments:")
                for payment in view.payments { print("  \(payment.id)  \(payment.paidOn.iso)  \(payment.amount.formatted)\(payment.invoiceId.map { " on \($0)" } ?? "")") }
            }
            print("history:")
            for entry in view.history where entry.kind != EventKind.tick.rawValue {
                print("  \(entry.at.formatted(.iso8601))  \(entry.actor)  \(entry.summary)")
            }
        }
    }
}

/// `parley show --format json`.
struct ShowJSON: Encodable {
    struct AccountPart: Encodable {
        var id: String
        var debtor: Debtor
        var currency: String
        var assignee: String?
    }

    struct CasePart: Encodable {
        var stage: String
        var status: String
        var balance: Money
        var daysPastDue: Int
        var priority: Int
        var reasons: [Priority.Reason]
        var nextAction: NextAction
        var version: Int
        var asOf: CivilDate
    }

    struct AgingPart: Encodable {
        var bucket: String
        var amount: Money
    }

    struct InvoicePart: Encodable {
        var id: String
        var issuedOn: CivilDate
        var dueOn: CivilDate
        var amount: Money
        var paid: Money
        var outstanding: Money
        var disputed: Bool
    }

    struct PaymentPart: Encodable {
        var id: String
        var invoiceId: String?
        var paidOn: CivilDate
        var amount: Money
    }

    struct HistoryPart: Encodable {
        var seq: Int
        var at: Date
        var actor: String
        var role: String
        var kind: String
        var summary: String
    }

    var account: AccountPart
    var `case`: CasePart
    var aging: [AgingPart]
    var invoices: [InvoicePart]
    var payments: [PaymentPart]
    var history: [HistoryPart]
    var state: CaseState

    init(account: Account, record: CaseRecord, history: [StoredEvent], asOf: CivilDate) throws {
        let state = record.state
        self.account = AccountPart(id: account.id, debtor: account.debtor, currency: account.currency.code, assignee: account.assignee)
        self.case = CasePart(stage: record.stage.rawValue, status: record.status.rawValue, balance: record.balance, daysPastDue: state.daysPastDue(asOf: asOf),
                             priority: record.priority.score, reasons: record.priority.reasons, nextAction: record.nextAction, version: record.version, asOf: record.asOf)
        var buckets: [AgingBucket: Int64] = [:]
        for invoice in state.openInvoices.values where invoice.outstanding.isPositive {
            buckets[AgingBucket(daysPastDue: max(0, invoice.due.days(until: asOf))), default: 0] += invoice.outstanding.minorUnits
        }
        aging = AgingBucket.allCases.compactMap { bucket in
            buckets[bucket].map { AgingPart(bucket: bucket.label, amount: Money(minorUnits: $0, currency: state.currency)) }
        }
        invoices = try account.invoices.map {
            InvoicePart(id: $0.id, issuedOn: $0.issuedOn, dueOn: $0.dueOn, amount: $0.amount, paid: $0.paid, outstanding: try $0.outstanding(), disputed: $0.disputed)
        }
        payments = account.payments.map { PaymentPart(id: $0.id, invoiceId: $0.invoiceID, paidOn: $0.paidOn, amount: $0.amount) }
        self.history = history.map {
            HistoryPart(seq: $0.seq, at: $0.at, actor: $0.actor.name, role: $0.actor.role.rawValue, kind: $0.kind, summary: $0.event.summary)
        }
        self.state = state
    }
}
