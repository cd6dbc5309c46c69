import Foundation
import ParleyCore

/// One import inside one transaction: accounts, then invoices, then for each account its
/// payments and history merged in time order, all through the lifecycle.
struct BatchImport {
    let session: CaseSession
    let actor: Actor
    let at: Date

    var today: CivilDate { CivilDate(utcInstant: at) }

    func run(_ batch: ImportBatch) throws -> ImportSummary {
        var summary = ImportSummary()
        var newAccounts = Set<String>()
        // Into an empty portfolio nothing is already present but what this batch repeats.
        let lookUp = try session.storage.holdsAnyRecords()
        for imported in batch.accounts {
            let present = try lookUp && session.accountExists(imported.id)
            if present || newAccounts.contains(imported.id) {
                summary.accountsAlreadyPresent += 1
                continue
            }
            newAccounts.insert(imported.id)
            let account = imported.account()
            try session.storage.insert(account: account)
            let opened = CaseEvent.opened(accountID: account.id, debtorKind: account.debtor.kind, currency: account.currency, on: today)
            try session.open(account: account, event: opened, actor: actor, at: at)
            summary.accountsAdded += 1
            summary.eventsRecorded += 1
        }

        var seenInvoices = Set<String>()
        var flaggedDisputes: [String: [String]] = [:]
        var accountOrder: [String] = []
        func touch(_ id: String) {
            if flaggedDisputes[id] == nil { flaggedDisputes[id] = []; accountOrder.append(id) }
        }
        for invoice in batch.invoices {
            let present = try lookUp && session.storage.invoiceExists(invoice.id)
            if present || seenInvoices.contains(invoice.id) {
                summary.invoicesAlreadyPresent += 1
                continue
            }
            guard let currency = try session.currency(of: invoice.accountID) else {
                throw StoreError.unknownAccountForInvoice(invoiceID: invoice.id, accountID: invoice.accountID)
            }
            guard invoice.amount.currency == currency else {
                throw StoreError.currencyMismatch(what: "invoice", id: invoice.id, expected: currency.code, found: invoice.amount.currency.code)
            }
            seenInvoices.insert(invoice.id)
            var row = invoice
            row.paid = .zero(currency)
            try session.storage.insert(invoice: row)
            summary.eventsRecorded += try session.apply(.invoiceAdded(invoiceID: invoice.id, amount: invoice.amount, due: invoice.dueOn), accountID: invoice.accountID, actor: actor, at: at, day: today).count
            summary.invoicesAdded += 1
            touch(invoice.accountID)
            if invoice.disputed { flaggedDisputes[invoice.accountID, default: []].append(invoice.id) }
        }

        // Payments and history, per account, in time order (a payment counts at noon UTC of its day).
        enum Item { case payment(Payment), history(HistoryEntry) }
        var items: [String: [(Date, Int, Item)]] = [:]
        var seenPayments = Set<String>()
        var order = 0
        for payment in batch.payments {
            let present = try lookUp && session.storage.paymentExists(payment.id)
            if present || seenPayments.contains(payment.id) {
                summary.paymentsAlreadyPresent += 1
                continue
            }
            guard let currency = try session.currency(of: payment.accountID) else {
                throw StoreError.unknownAccountForPayment(paymentID: payment.id, accountID: payment.accountID)
            }
            guard payment.amount.currency == currency else {
                throw StoreError.currencyMismatch(what: "payment", id: payment.id, expected: currency.code, found: payment.amount.currency.code)
            }
            if let invoiceID = payment.invoiceID, !seenInvoices.contains(invoiceID), try !session.storage.invoiceExists(invoiceID) {
                throw StoreError.unknownInvoiceForPayment(paymentID: payment.id, invoiceID: invoiceID)
            }
            seenPayments.insert(payment.id)
            try session.storage.insert(payment: payment)
            items[payment.accountID, default: []].append((payment.paidOn.utcMidnight.addingTimeInterval(12 * 3600), order, .payment(payment)))
            order += 1
            summary.paymentsAdded += 1
            touch(payment.accountID)
        }
        var disputedInHistory = Set<String>()
        for entry in batch.history {
            guard newAccounts.contains(entry.accountID) else {
                summary.historyAlreadyPresent += 1
                continue
            }
            if case .dispute = entry.event { disputedInHistory.insert(entry.accountID) }
            items[entry.accountID, default: []].append((entry.at, order, .history(entry)))
            order += 1
            touch(entry.accountID)
        }

        for accountID in accountOrder {
            let timeline = (items[accountID] ?? []).sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            for (_, _, item) in timeline {
                switch item {
                case .payment(let payment):
                    let when = min(at, payment.paidOn.utcMidnight.addingTimeInterval(12 * 3600))
                    summary.eventsRecorded += try session.apply(.paymentReceived(amount: payment.amount, on: payment.paidOn), accountID: accountID, actor: actor, at: when, day: payment.paidOn).count
                case .history(let entry):
                    let day = CivilDate(utcInstant: entry.at.addingTimeInterval(TimeInterval(entry.utcOffsetSeconds)))
                    let event = try Self.caseEvent(entry, day: day, currency: try session.currency(of: accountID) ?? .usd)
                    let who = Actor(name: entry.actor, role: entry.actor == Actor.system.name ? .supervisor : .collector)
                    do {
                        summary.eventsRecorded += try session.apply(event, accountID: accountID, actor: who, at: StoreCodec.wholeSecond(min(at, entry.at)), day: day).count
                    } catch StoreError.refused(_, let refusal) {
                        throw StoreError.historyRefused(accountID: accountID, at: entry.atISO, event: entry.event.name, refusal)
                    }
                    summary.historyImported += 1
                }
            }
            // An invoice flagged disputed opens a dispute, unless the history tells the dispute's story.
            // A flagged invoice already paid, or a case already closed or disputed, has no dispute to open.
            let state = try session.state(of: accountID)
            let flagged = (flaggedDisputes[accountID] ?? []).filter { state?.openInvoices[$0] != nil }
            if !flagged.isEmpty, !disputedInHistory.contains(accountID), let state, !state.status.isClosed, state.status != .disputed {
                let reason = "invoice\(flagged.count == 1 ? "" : "s") \(flagged.joined(separator: ", ")) disputed in the imported records"
                summary.eventsRecorded += try session.apply(.disputeRaised(reason: reason), accountID: accountID, actor: actor, at: at, day: today).count
            }
        }
        try session.writeProjections()
        return summary
    }

    /// The case event a history row stands for.
    static func caseEvent(_ entry: HistoryEntry, day: CivilDate, currency: Currency) throws -> CaseEvent {
        switch entry.event {
        case .call(let outcome):
            return .callAttempted(outcome: CallOutcome(rawValue: outcome.rawValue) ?? .notConnected, verdict: .allowed, overrideReason: nil)
        case .promise(let amount, let due):
            return .promiseMade(amount: amount, due: due)
        case .plan(let total, let count, let every, let first):
            let parts: [Money]
            do { parts = try total.allocate(into: count) } catch {
                throw StoreError.historyRefused(accountID: entry.accountID, at: entry.atISO, event: entry.event.name, Refusal(.invalid, "\(error)"))
            }
            let installments = parts.enumerated().map { index, amount -> Installment in
                let due: CivilDate
                switch every {
                case .week: due = first.adding(days: 7 * index)
                case .fortnight: due = first.adding(days: 14 * index)
                case .month: due = first.adding(months: index)
                }
                return Installment(due: due, amount: amount)
            }
            return .planAgreed(installments: installments)
        case .settlement(let amount, let expires):
            return .settlementAccepted(amount: amount, expires: expires)
        case .dispute(let reason):
            return .disputeRaised(reason: reason)
        case .disputeResolved(let outcome):
            return .disputeResolved(outcome == .verified ? .verified : .upheld)
        case .cease:
            return .ceaseRequested
        case .attorney(let name):
            return .attorneyRepresented(name: name)
        case .letter(let letter):
            return .letterSent(LetterKind(rawValue: letter.rawValue) ?? .reminder, on: day)
        case .placed:
            return .placedWithAgency(on: day)
        case .note(let text):
            return .note(text)
        }
    }
}
