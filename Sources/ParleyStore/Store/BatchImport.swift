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
        var progress = try begin()
        for account in batch.accounts { try add(.account(account), to: &progress) }
        for invoice in batch.invoices { try add(.invoice(invoice), to: &progress) }
        for payment in batch.payments { try add(.payment(payment), to: &progress) }
        for entry in batch.history { try add(.history(entry), to: &progress) }
        return try finish(&progress)
    }

    /// Payments and history, per account, in time order (a payment counts at noon UTC of its day).
    enum Item { case payment(Payment), history(HistoryEntry) }

    /// What the records added so far established.
    struct Progress {
        var summary = ImportSummary()
        /// Into an empty portfolio nothing is already present but what this batch repeats.
        let lookUp: Bool
        /// The records come from `PortfolioImporter`, which refuses an invoice or payment id read
        /// twice and a payment's invoice that is in neither the files nor the store: the ids
        /// need not be kept here again (into an empty store, a million invoice ids hashed and
        /// kept twice on the import's reading thread, which bounds it).
        var idsChecked = false
        /// The accounts this import opens, in the order read, each with the invoices read for it:
        /// its case starts in `finish`, with one `opened` event that carries them.
        var openings: [Opening] = []
        /// Where each account this import opens is in `openings`.
        var opened: [String: Int] = [:]
        var seenInvoices = Set<String>()
        var seenPayments = Set<String>()
        var flaggedDisputes: [String: [String]] = [:]
        var accountOrder: [String] = []
        var items: [String: [(Date, Int, Item)]] = [:]
        var order = 0
        var disputedInHistory = Set<String>()

        /// The account touched last: the records of an account usually come together.
        var lastTouched: String?
        /// The account this import opens that a record named last, and where it is in `openings`.
        var lastOpening: (id: String, index: Int)?

        /// Where the account this import opens is in `openings`; nil for another account. The
        /// account named last is asked first (an invoice asked twice, hashing its account's id).
        mutating func opening(_ id: String) -> Int? {
            if let last = lastOpening, last.id == id { return last.index }
            guard let index = opened[id] else { return nil }
            lastOpening = (id, index)
            return index
        }

        /// Sizes the tables of ids for an import of about `sizes`.
        mutating func reserve(_ sizes: ImportSizes) {
            openings.reserveCapacity(sizes.accounts)
            opened.reserveCapacity(sizes.accounts)
            if !idsChecked {
                seenInvoices.reserveCapacity(sizes.invoices)
                seenPayments.reserveCapacity(sizes.payments)
            }
            flaggedDisputes.reserveCapacity(sizes.accounts)
            accountOrder.reserveCapacity(sizes.accounts)
            items.reserveCapacity(sizes.accounts)
        }

        mutating func touch(_ id: String) {
            if id == lastTouched { return }
            lastTouched = id
            if flaggedDisputes[id] == nil { flaggedDisputes[id] = []; accountOrder.append(id) }
        }
    }

    /// An account opened by this import, its case not started yet.
    struct Opening {
        let accountID: String
        let debtorName: String
        let debtorKind: DebtorKind
        let assignee: String?
        let currency: Currency
        var invoices: [OpeningInvoice] = []
    }

    /// An account's currency: of an account this import opens, else the store's.
    func currency(of id: String, _ progress: inout Progress) throws -> Currency? {
        if let index = progress.opening(id) { return progress.openings[index].currency }
        return try session.currency(of: id)
    }

    func begin() throws -> Progress {
        Progress(lookUp: try session.storage.holdsAnyRecords())
    }

    /// Writes one record: an account's row is written and its opening kept for `finish`, an
    /// invoice written (and kept with its account's opening, or added to a case already in the
    /// store), a payment written and kept with the history for `finish`. The records come in
    /// the order `PortfolioImporter` reads them: accounts, then invoices, then payments, then
    /// history.
    func add(_ record: ImportRecord, to progress: inout Progress) throws {
        switch record {
        case .account(let imported):
            if try progress.opened[imported.id] != nil || progress.lookUp && session.accountExists(imported.id) {
                progress.summary.accountsAlreadyPresent += 1
                return
            }
            let account = imported.account()
            try session.storage.insert(account: account)
            progress.opened[account.id] = progress.openings.count
            progress.openings.append(Opening(accountID: account.id, debtorName: account.debtor.name, debtorKind: account.debtor.kind,
                                             assignee: account.assignee, currency: account.currency))
            progress.summary.accountsAdded += 1
            progress.summary.eventsRecorded += 1

        case .invoice(let invoice):
            if try progress.lookUp && session.storage.invoiceExists(invoice.id) || !progress.idsChecked && !progress.seenInvoices.insert(invoice.id).inserted {
                progress.summary.invoicesAlreadyPresent += 1
                return
            }
            guard let currency = try currency(of: invoice.accountID, &progress) else {
                throw StoreError.unknownAccountForInvoice(invoiceID: invoice.id, accountID: invoice.accountID)
            }
            guard invoice.amount.currency == currency else {
                throw StoreError.currencyMismatch(what: "invoice", id: invoice.id, expected: currency.code, found: invoice.amount.currency.code)
            }
            var row = invoice
            row.paid = .zero(currency)
            try session.storage.insert(invoice: row)
            if let index = progress.opening(invoice.accountID) {
                // Carried by its account's `opened` event: one event an account, not one an invoice
                // (a million fewer rows in the log, and in its indexes, at 200,000 accounts).
                progress.openings[index].invoices.append(OpeningInvoice(id: invoice.id, amount: invoice.amount, due: invoice.dueOn))
            } else {
                progress.summary.eventsRecorded += try session.apply(.invoiceAdded(invoiceID: invoice.id, amount: invoice.amount, due: invoice.dueOn), accountID: invoice.accountID, actor: actor, at: at, day: today).count
            }
            progress.summary.invoicesAdded += 1
            progress.touch(invoice.accountID)
            if invoice.disputed { progress.flaggedDisputes[invoice.accountID, default: []].append(invoice.id) }

        case .payment(let payment):
            if try progress.lookUp && session.storage.paymentExists(payment.id) || !progress.idsChecked && !progress.seenPayments.insert(payment.id).inserted {
                progress.summary.paymentsAlreadyPresent += 1
                return
            }
            guard let currency = try currency(of: payment.accountID, &progress) else {
                throw StoreError.unknownAccountForPayment(paymentID: payment.id, accountID: payment.accountID)
            }
            guard payment.amount.currency == currency else {
                throw StoreError.currencyMismatch(what: "payment", id: payment.id, expected: currency.code, found: payment.amount.currency.code)
            }
            if !progress.idsChecked, let invoiceID = payment.invoiceID, !progress.seenInvoices.contains(invoiceID), try !session.storage.invoiceExists(invoiceID) {
                throw StoreError.unknownInvoiceForPayment(paymentID: payment.id, invoiceID: invoiceID)
            }
            try session.storage.insert(payment: payment)
            progress.items[payment.accountID, default: []].append((payment.paidOn.utcMidnight.addingTimeInterval(12 * 3600), progress.order, .payment(payment)))
            progress.order += 1
            progress.summary.paymentsAdded += 1
            progress.touch(payment.accountID)

        case .history(let entry):
            guard progress.opened[entry.accountID] != nil else {
                progress.summary.historyAlreadyPresent += 1
                return
            }
            if case .dispute = entry.event { progress.disputedInHistory.insert(entry.accountID) }
            progress.items[entry.accountID, default: []].append((entry.at, progress.order, .history(entry)))
            progress.order += 1
            progress.touch(entry.accountID)
        }
    }

    /// Opens the cases of the accounts read, each with its invoices; applies each account's
    /// payments and history in time order, opens the disputes the invoices flag, and writes the
    /// projections. A case this import opens is taken through all of that, and its projection
    /// written, before the next is opened, and is then let go: the import held every case to its
    /// end, 200,000 states and their invoices at the bench's size.
    func finish(_ progress: inout Progress) throws -> ImportSummary {
        var summary = progress.summary
        let runDate = try session.projectionRunDate()
        for index in progress.openings.indices {
            let opening = progress.openings[index]
            progress.openings[index].invoices = []
            let event = CaseEvent.opened(accountID: opening.accountID, debtorKind: opening.debtorKind, currency: opening.currency, on: today,
                                         invoices: opening.invoices.isEmpty ? nil : opening.invoices)
            try session.open(accountID: opening.accountID, debtorName: opening.debtorName, assignee: opening.assignee, event: event, actor: actor, at: at)
            try settle(opening.accountID, &progress, &summary)
            try session.writeProjectionAndLetGo(of: opening.accountID, runDate: runDate)
        }
        // Cases already in the store that this import's payments or history reach.
        for accountID in progress.accountOrder where progress.opened[accountID] == nil {
            try settle(accountID, &progress, &summary)
        }
        try session.writeProjections()
        return summary
    }

    /// Applies an account's payments and history in time order, then opens the dispute its
    /// flagged invoices ask for.
    private func settle(_ accountID: String, _ progress: inout Progress, _ summary: inout ImportSummary) throws {
        let timeline = (progress.items.removeValue(forKey: accountID) ?? []).sorted { ($0.0, $0.1) < ($1.0, $1.1) }
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
        guard let flaggedInvoices = progress.flaggedDisputes[accountID], !flaggedInvoices.isEmpty else { return }
        let state = try session.state(of: accountID)
        let flagged = flaggedInvoices.filter { state?.openInvoices[$0] != nil }
        if !flagged.isEmpty, !progress.disputedInHistory.contains(accountID), let state, !state.status.isClosed, state.status != .disputed {
            let reason = "invoice\(flagged.count == 1 ? "" : "s") \(flagged.joined(separator: ", ")) disputed in the imported records"
            summary.eventsRecorded += try session.apply(.disputeRaised(reason: reason), accountID: accountID, actor: actor, at: at, day: today).count
        }
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
