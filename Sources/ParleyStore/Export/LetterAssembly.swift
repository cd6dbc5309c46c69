import Foundation
import ParleyCore

/// Puts together what a letter says from the account and its case.
public enum LetterAssembly {
    public static func content(kind: LetterKind, on date: CivilDate, account: Account, record: CaseRecord, policy: Policy) -> LetterContent {
        let state = record.state
        let contact = account.debtor.contacts.first
        let lines = state.openInvoices
            .sorted { ($0.value.due, $0.key) < ($1.value.due, $1.key) }
            .map { LetterContent.Line(invoiceID: $0.key, dueOn: $0.value.due, outstanding: $0.value.outstanding) }
        var arrangement: Arrangement?
        if let plan = state.plan {
            arrangement = .plan(installments: plan)
        } else if let settlement = state.settlement {
            arrangement = .settlement(amount: settlement.amount, expires: settlement.expires)
        } else if let promise = state.promise {
            arrangement = .promise(amount: promise.amount, due: promise.due)
        }
        let next = Lifecycle.nextAction(for: state, asOf: date, policy: policy)
        var nextStep: String?
        if let on = next.on, next.kind != "none" { nextStep = "\(next.text) on \(on.iso)" }
        return LetterContent(
            kind: kind,
            date: date,
            accountID: account.id,
            debtorName: account.debtor.name,
            contactName: contact?.name,
            address: contact?.address,
            balance: state.balance,
            invoices: lines,
            nextStep: nextStep,
            arrangement: arrangement,
            respondBy: kind == .validationNotice ? date.adding(days: policy.contact.validationPeriodDays) : nil
        )
    }
}
