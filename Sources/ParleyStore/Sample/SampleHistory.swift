import Foundation
import ParleyCore

/// Writes the case history of one generated account: routine reminders and call attempts, or
/// one of the scripted scenarios the demo shows (a promise kept, one broken, one due, a plan,
/// disputes, a cease request, an attorney, a placed account, a settlement offer).
struct SampleHistory {
    let anchor: CivilDate
    var rng: SplitMix64
    let actor: String
    let offset: Int
    var entries: [HistoryEntry] = []

    init(anchor: CivilDate, rng: SplitMix64, actor: String, offset: Int) {
        self.anchor = anchor
        self.rng = rng
        self.actor = actor
        self.offset = offset
    }

    /// An instant on `date` at a working hour of the debtor's day.
    mutating func time(_ date: CivilDate, hour: Int? = nil) -> Date {
        let h = hour ?? rng.inRange(9...16)
        let m = rng.below(12) * 5
        return Date(timeIntervalSince1970: TimeInterval(date.daysSinceEpoch * 86_400 + h * 3600 + m * 60 - offset))
    }

    /// Adds an event of the story. Events written one after another for the same day happen in
    /// that order: one drawn earlier in the day than the event before it (a dispute raised on a
    /// call, drawn for the morning when the call was drawn for the afternoon) takes place five
    /// minutes after it, so that the history imports (a call after a dispute is refused).
    mutating func add(_ date: CivilDate, _ event: HistoryEntry.Event, by who: String? = nil, hour: Int? = nil) {
        guard date < anchor else { return }
        var at = time(date, hour: hour)
        if let last = entries.last, last.at > at, date == CivilDate(utcInstant: last.at.addingTimeInterval(TimeInterval(offset))) {
            at = last.at.addingTimeInterval(300)
        }
        entries.append(HistoryEntry(accountID: "", at: at, utcOffsetSeconds: offset, actor: who ?? actor, event: event))
    }

    mutating func finish(_ account: inout SampleGenerator.GeneratedAccount) {
        let id = account.account.id
        // Stable order: by instant, then by the order they were written.
        account.history = entries.enumerated()
            .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map { var e = $0.element; e.accountID = id; return e }
    }

    static func callOutcome(_ rng: inout SplitMix64) -> HistoryEntry.CallOutcome {
        switch SampleGenerator.weighted([40, 30, 20, 5, 5], &rng) {
        case 0: return .noAnswer
        case 1: return .voicemail
        case 2: return .conversation
        case 3: return .wrongNumber
        default: return .notConnected
        }
    }

    static let conversationNotes = [
        "Said they would check with accounts payable and call back.",
        "Asked for a copy of the invoice by e-mail; sent.",
        "Cash flow is tight this month; will pay what they can.",
        "Confirmed the address and the amount owed.",
    ]

    /// Letters and calls that an overdue account has had so far.
    mutating func routine(_ account: inout SampleGenerator.GeneratedAccount) {
        let paid = Dictionary(grouping: account.payments.filter { $0.invoiceID != nil }, by: { $0.invoiceID! })
        let open = account.invoices.filter { invoice in
            invoice.dueOn < anchor && (paid[invoice.id]?.reduce(Int64(0)) { $0 + $1.amount.minorUnits } ?? 0) < invoice.amount.minorUnits
        }
        guard let due = open.map(\.dueOn).min(), rng.chance(60) else { return }
        let daysPastDue = due.days(until: anchor)
        let consumerUS = account.account.debtor.kind == .consumer && account.account.debtor.country == "US"
        if daysPastDue >= 7 {
            add(consumerUS ? due.adding(days: 5) : due.adding(days: 7), .letter(consumerUS ? .validationNotice : .reminder), by: "system", hour: 8)
        }
        if daysPastDue >= 15 {
            for attempt in 0..<(1 + rng.below(3)) {
                let day = due.adding(days: 14 + 3 * attempt)
                let outcome = SampleHistory.callOutcome(&rng)
                add(day, .call(outcome), hour: 10 + attempt)
                if outcome == .conversation {
                    add(day, .note(rng.pick(SampleHistory.conversationNotes)), hour: 10 + attempt)
                    break
                }
            }
        }
        if daysPastDue >= 45, account.account.debtor.kind == .business {
            add(due.adding(days: 45), .letter(.finalDemand), by: "system", hour: 8)
        }
        finish(&account)
    }

    /// The scripted history of a demo scenario. The scenario's first invoice is unpaid and
    /// overdue (the generator makes sure of it).
    mutating func script(_ scenario: SampleGenerator.Scenario, _ account: inout SampleGenerator.GeneratedAccount,
                         _ counters: inout SampleGenerator.Counters) {
        let first = account.invoices[0]
        let due = first.dueOn
        let currency = account.account.currency
        let balance = Money(minorUnits: account.invoices.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
                                - account.payments.reduce(Int64(0)) { $0 + $1.amount.minorUnits }, currency: currency)
        func pay(_ amount: Money, on day: CivilDate, invoice: String?) {
            counters.payment += 1
            account.payments.append(Payment(id: "P-" + SampleGenerator.padded(counters.payment, 7), accountID: account.account.id,
                                            invoiceID: invoice, paidOn: day, amount: amount))
        }
        let anchor = self.anchor
        func back(_ days: Int) -> CivilDate { anchor.adding(days: -days) }

        switch scenario {
        case .promiseKept:
            add(due.adding(days: 7), .letter(.reminder), by: "system", hour: 8)
            add(back(14), .call(.noAnswer))
            add(back(12), .call(.conversation))
            add(back(12), .promise(amount: first.amount, due: back(6)))
            pay(first.amount, on: back(7), invoice: first.id)
            add(back(5), .note("Payment received a day before the promised date."))
        case .promiseBroken:
            add(due.adding(days: 7), .letter(.reminder), by: "system", hour: 8)
            add(back(20), .call(.conversation))
            add(back(20), .promise(amount: first.amount, due: back(8)))
            add(back(5), .call(.noAnswer))
            add(back(3), .call(.voicemail))
            add(back(3), .note("Promised payment did not arrive; left a voicemail asking them to call back."))
        case .promiseDueSoon:
            add(due.adding(days: 7), .letter(.reminder), by: "system", hour: 8)
            add(back(6), .call(.voicemail))
            add(back(2), .call(.conversation))
            add(back(2), .promise(amount: first.amount, due: anchor.adding(days: 3)))
        case .plan:
            add(due.adding(days: 7), .letter(.reminder), by: "system", hour: 8)
            add(back(25), .call(.noAnswer))
            add(back(18), .call(.conversation))
            add(back(18), .plan(total: balance, installments: 3, every: .month, first: back(14)))
            add(back(18), .note("Plan agreed: three monthly payments, confirmed in writing."))
            pay(Money(minorUnits: balance.minorUnits / 3, currency: currency), on: back(14), invoice: nil)
        case .disputeOpen:
            add(due.adding(days: 7), .letter(.reminder), by: "system", hour: 8)
            add(back(9), .call(.conversation))
            add(back(9), .dispute(reason: "Says the goods arrived damaged and wants a credit note."))
        case .disputeResolved:
            add(back(34), .letter(.reminder), by: "system", hour: 8)
            add(back(30), .call(.conversation))
            add(back(30), .dispute(reason: "Claims the invoice was never received."))
            add(back(25), .note("Sent a copy of the invoice and the signed proof of delivery."))
            add(back(15), .disputeResolved(.verified))
            add(back(6), .call(.noAnswer))
        case .cease:
            add(due.adding(days: 5), .letter(.validationNotice), by: "system", hour: 8)
            add(back(22), .call(.noAnswer))
            add(back(15), .call(.conversation))
            add(back(10), .cease)
            add(back(10), .note("Debtor asked in writing that we stop contacting them."))
        case .attorney:
            add(due.adding(days: 5), .letter(.validationNotice), by: "system", hour: 8)
            add(back(16), .call(.conversation))
            add(back(16), .attorney(name: "Laura Chen, Chen & Park LLP, +1 212 555 0199"))
            add(back(16), .note("Debtor is represented; direct all communication to the attorney."))
        case .placed:
            // A consumer's account goes to the agency only after a validation notice.
            let consumer = account.account.debtor.kind == .consumer
            add(due.adding(days: consumer ? 5 : 7), .letter(consumer ? .validationNotice : .reminder), by: "system", hour: 8)
            add(due.adding(days: 14), .call(.noAnswer))
            add(due.adding(days: 21), .call(.voicemail))
            add(due.adding(days: 28), .call(.wrongNumber))
            add(due.adding(days: 45), .letter(.finalDemand), by: "system", hour: 8)
            add(due.adding(days: 80), .note("No response to the final demand; number disconnected."))
            add(due.adding(days: 120), .placed, by: "system", hour: 8)
        case .settlement:
            add(due.adding(days: 7), .letter(.reminder), by: "system", hour: 8)
            add(back(4), .call(.conversation))
            let offer = (try? balance.scaled(numerator: 70, denominator: 100)) ?? balance
            add(back(4), .settlement(amount: offer, expires: anchor.adding(days: 10)))
            add(back(4), .note("Offered 30% off for payment in full within 14 days; terms sent in writing."))
        case .validationNotice:
            add(back(10), .letter(.validationNotice), by: "system", hour: 8)
            add(back(10), .note("New account; the validation period is running."))
        }
        finish(&account)
    }
}
