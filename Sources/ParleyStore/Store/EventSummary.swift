import Foundation
import ParleyCore

extension CaseEvent {
    /// One line for a collector reading the history: what happened, with its figures.
    public var summary: String {
        switch self {
        case .opened(_, let kind, let currency, let on, let invoices):
            let opened = "case opened (\(kind.rawValue), \(currency.code)) on \(on.iso)"
            guard let invoices, !invoices.isEmpty else { return opened }
            let total = invoices.reduce(0) { $0 &+ $1.amount.minorUnits }
            let count = invoices.count == 1 ? "1 invoice" : "\(invoices.count) invoices"
            // The first five, in the order the opening carries them; `show` lists every invoice.
            let listed = invoices.prefix(5).map { "\($0.id) due \($0.due.iso)" }.joined(separator: ", ")
            let more = invoices.count > 5 ? " and \(invoices.count - 5) more" : ""
            return opened + " with \(count) of \(Money(minorUnits: total, currency: currency).formatted): " + listed + more
        case .invoiceAdded(let id, let amount, let due): return "invoice \(id) of \(amount.formatted), due \(due.iso)"
        case .paymentReceived(let amount, let on): return "payment of \(amount.formatted) received \(on.iso)"
        case .tick(let asOf): return "daily run for \(asOf.iso)"
        case .escalated(let stage, let on): return "escalated to the \(stage.rawValue) stage on \(on.iso)"
        case .letterSent(let kind, let on): return "\(kind.rawValue) letter sent \(on.iso)"
        case .callAttempted(let outcome, let verdict, let reason):
            var text = "call: \(outcome.rawValue)"
            if verdict != .allowed { text += " (contact rules: \(verdict.rawValue))" }
            if let reason { text += ", overridden: \(reason)" }
            return text
        case .rightPartyContact: return "spoke to the debtor"
        case .callbackScheduled(let at): return "callback scheduled for \(at.formatted(.iso8601))"
        case .promiseMade(let amount, let due): return "promise of \(amount.formatted) by \(due.iso)"
        case .promiseKept: return "promise kept"
        case .promiseBroken: return "promise broken"
        case .planAgreed(let items): return "payment plan of \(items.count) installments agreed"
        case .installmentPaid(let amount): return "installment of \(amount.formatted) paid"
        case .installmentMissed(let due): return "installment due \(due.iso) missed"
        case .settlementAccepted(let amount, let expires): return "settlement of \(amount.formatted) accepted, expires \(expires.iso)"
        case .settlementPaid: return "settlement paid"
        case .settlementLapsed: return "settlement lapsed"
        case .approvalRequested(let arrangement, _): return "approval requested: \(arrangement.summary)"
        case .approvalGranted: return "offer approved"
        case .approvalDenied(let reason): return "offer rejected: \(reason)"
        case .disputeRaised(let reason): return "dispute raised: \(reason)"
        case .disputeResolved(let resolution): return "dispute resolved: \(resolution.rawValue)"
        case .ceaseRequested: return "debtor asked us to stop contacting them"
        case .attorneyRepresented(let name): return "represented by attorney \(name)"
        case .hold(let reason): return "put on hold: \(reason)"
        case .release: return "hold released"
        case .placedWithAgency(let on): return "placed with the agency on \(on.iso)"
        case .recalled(let reason): return "recalled from the agency: \(reason)"
        case .writtenOff(let reason): return "written off: \(reason)"
        case .reassigned(let to, let reason): return "reassigned to \(to): \(reason)"
        case .reopened(let reason): return "reopened: \(reason)"
        case .note(let text): return "note: \(text)"
        }
    }
}
