import Foundation
import ParleyCore
import ParleyStore

/// A workbench data source held in memory: for tests, and for `parley --demo-fixture` until the
/// workbench reads the store. Accounts are kept in queue order.
public final class InMemoryDataSource: WorkbenchDataSource {
    public struct Entry: Sendable {
        public var detail: AccountDetail
        public var reasons: [QueueReason]

        public init(detail: AccountDetail, reasons: [QueueReason]) {
            self.detail = detail
            self.reasons = reasons
        }

        var row: QueueRow {
            QueueRow(accountID: detail.accountID, debtorName: detail.debtor.name, balance: detail.balance,
                     daysPastDue: detail.daysPastDue, stage: detail.stage, status: detail.status,
                     next: detail.next, flags: detail.flags)
        }

        /// The stores' rule (`QueueMatch`): each of the filter's words starts a word of the
        /// debtor's name, or the account id or an invoice id starts with the whole filter.
        func matches(_ filter: QueueFilter) -> Bool {
            if filter.isEmpty { return true }
            let wanted = QueueMatch.words(DisplayWidth.normalized(filter.text))
            let name = QueueMatch.words(DisplayWidth.normalized(detail.debtor.name))
            if !wanted.isEmpty, wanted.allSatisfy({ word in name.contains { $0.hasPrefix(word) } }) { return true }
            if detail.accountID.hasPrefix(filter.text) { return true }
            return detail.invoices.contains { $0.id.hasPrefix(filter.text) }
        }
    }

    public var workbenchContext: WorkbenchContext
    public private(set) var entries: [Entry]
    /// Every page request, so tests can check that only visible rows are fetched.
    public private(set) var pageRequests: [(offset: Int, limit: Int)] = []
    /// The supervisor side: approvals, figures, the log and the decisions recorded
    /// (InMemoryDataSource+Supervisor.swift).
    public var supervision = InMemorySupervision()

    /// The operator's role for authority checks and approvals.
    public var role: Role
    public var policy: Policy
    /// The instant `now()` reports.
    public var clock: Date
    /// Each case's lifecycle state and log, built from its detail when first worked.
    private var cases: [String: (state: CaseState, events: [RecordedEvent])] = [:]
    /// Every event recorded through the workbench, in order, for tests.
    public private(set) var recorded: [(accountID: String, event: RecordedEvent)] = []

    public init(context: WorkbenchContext, entries: [Entry], role: Role = .supervisor, policy: Policy = .standard, clock: Date? = nil) {
        self.workbenchContext = context
        self.entries = entries
        self.role = role
        self.policy = policy
        self.clock = clock ?? Date(timeIntervalSince1970: TimeInterval(context.asOf.daysSinceEpoch * 86_400 + 15 * 3_600))
    }

    public func context() throws -> WorkbenchContext { workbenchContext }

    public func queueCount(filter: QueueFilter) throws -> Int {
        filter.isEmpty ? entries.count : entries.lazy.filter { $0.matches(filter) }.count
    }

    public func queuePage(filter: QueueFilter, offset: Int, limit: Int) throws -> [QueueRow] {
        pageRequests.append((offset, limit))
        if filter.isEmpty {
            guard offset < entries.count else { return [] }
            return entries[offset..<min(entries.count, offset + limit)].map(\.row)
        }
        return Array(entries.lazy.filter { $0.matches(filter) }.dropFirst(offset).prefix(limit).map(\.row))
    }

    public func accountDetail(accountID: String) throws -> AccountDetail? {
        entries.first { $0.detail.accountID == accountID }?.detail
    }

    public func queueReasons(accountID: String) throws -> [QueueReason] {
        entries.first { $0.detail.accountID == accountID }?.reasons ?? []
    }

    public func now() -> Date { clock }

    public func contactVerdict(accountID: String, at: Date) throws -> ContactVerdict {
        let (index, state, events) = try workedCase(accountID)
        let profile = ContactProfile(state: state, debtor: entries[index].detail.debtor, events: events)
        return ContactRulesEngine.evaluateCall(profile: profile, history: ContactHistory(events: events, accountID: accountID), at: at, policy: policy)
    }

    public func recordCall(accountID: String, outcome: CallOutcome, at: Date) throws -> RecordResult {
        let verdict = try contactVerdict(accountID: accountID, at: at)
        return try record(.callAttempted(outcome: outcome, verdict: verdict.decision, overrideReason: nil), accountID: accountID, at: at)
    }

    public func record(_ event: CaseEvent, accountID: String, at: Date) throws -> RecordResult {
        let (index, state, events) = try workedCase(accountID)
        let recordedEvent = RecordedEvent(at: at, actor: Actor(name: workbenchContext.operatorName, role: role), event: event)
        let transition: Transition
        do { transition = try Lifecycle.apply(recordedEvent, to: state, context: LifecycleContext(policy: policy)) }
        catch { throw RecordRefused(error.message) }
        cases[accountID] = (transition.state, events + [recordedEvent])
        recorded.append((accountID, recordedEvent))
        let next = Lifecycle.nextAction(for: transition.state, asOf: workbenchContext.asOf, policy: policy)
        var detail = entries[index].detail
        detail.status = transition.state.workbenchStatus
        detail.next = next.kind == "none" ? NextStep(action: next.text) : NextStep(action: next.text, on: next.on)
        if let entry = TimelineEntry(recorded: recordedEvent) { detail.timeline.insert(entry, at: 0) }
        entries[index].detail = detail
        return RecordResult(recorded: [event.summary], status: detail.status, next: detail.next, effects: transition.effects.map(\.summary))
    }

    public func offerInputs(accountID: String) throws -> OfferInputs? {
        guard let (_, state, events) = try? workedCase(accountID) else { return nil }
        _ = events
        return OfferInputs(balance: state.balance, debtorKind: state.debtorKind,
                           promiseRecord: PromiseRecord(kept: state.promisesKept, broken: state.promisesBroken), role: role, policy: policy)
    }

    /// The case behind an account: opened with its outstanding invoices, at its stage, with its
    /// cease and attorney flags.
    private func workedCase(_ accountID: String) throws -> (Int, CaseState, [RecordedEvent]) {
        guard let index = entries.firstIndex(where: { $0.detail.accountID == accountID }) else {
            throw RecordRefused("there is no account \(accountID)")
        }
        if let worked = cases[accountID] { return (index, worked.state, worked.events) }
        let detail = entries[index].detail
        let opened = CaseEvent.opened(accountID: accountID, debtorKind: detail.debtor.kind, currency: detail.balance.currency,
                                      on: detail.invoices.map(\.issuedOn).min() ?? workbenchContext.asOf)
        var state = try Lifecycle.start(opened)!
        let system = Actor.system
        var events = [RecordedEvent(at: clock, actor: system, event: opened)]
        for invoice in detail.invoices {
            let outstanding = (try? invoice.amount.subtracting(invoice.paid)) ?? invoice.amount
            guard outstanding.isPositive else { continue }
            let added = RecordedEvent(at: clock, actor: system, event: .invoiceAdded(invoiceID: invoice.id, amount: outstanding, due: invoice.dueOn))
            if let next = try? Lifecycle.apply(added, to: state, context: LifecycleContext(policy: policy)) {
                state = next.state
                events.append(added)
            }
        }
        state.stage = Stage(rawValue: detail.stage) ?? state.stage
        state.stageSince = workbenchContext.asOf.adding(days: -1)
        if detail.flags.contains(.ceased) { state.ceased = true }
        if detail.flags.contains(.attorney) { state.attorney = "counsel" }
        cases[accountID] = (state, events)
        return (index, state, events)
    }
}

extension InMemoryDataSource {
    /// The demo fixture: a small portfolio with a CJK debtor ("株式会社山田商事"), a name with a
    /// combining accent ("Cafe\u{301} Noir"), every flag, and enough accounts to scroll.
    /// `extra` adds plain generated accounts after the named ones.
    public static func demo(extra: Int = 36) -> InMemoryDataSource {
        let asOf = CivilDate(iso: "2026-11-23")!
        let context = WorkbenchContext(operatorName: "alice", database: "demo fixture (in memory)", asOf: asOf)
        let eur = try! Currency(code: "EUR")
        let gbp = try! Currency(code: "GBP")
        let jpy = try! Currency(code: "JPY")
        func day(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }
        func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
        func money(_ minor: Int64, _ currency: Currency) -> Money { Money(minorUnits: minor, currency: currency) }

        var entries: [Entry] = []

        let yamada = Debtor(name: "株式会社山田商事", kind: .business,
                            contacts: [Contact(name: "山田 太郎", phone: "+81 3-1234-5678", email: "yamada@example.jp")],
                            timeZone: "Asia/Tokyo", country: "JP")
        entries.append(Entry(
            detail: AccountDetail(
                accountID: "A-1001", debtor: yamada, assignee: "alice", balance: money(1_250_000, jpy), daysPastDue: 94,
                stage: "letter", status: "open", flags: [],
                invoices: [
                    Invoice(id: "INV-7001", accountID: "A-1001", issuedOn: day("2026-07-21"), dueOn: day("2026-08-21"), amount: money(750_000, jpy)),
                    Invoice(id: "INV-7002", accountID: "A-1001", issuedOn: day("2026-09-01"), dueOn: day("2026-10-01"), amount: money(500_000, jpy)),
                ],
                timeline: [
                    TimelineEntry(at: at("2026-11-20T09:15:00Z"), kind: .letter, summary: "final demand sent", actor: "system"),
                    TimelineEntry(at: at("2026-11-12T01:30:00Z"), kind: .call, summary: "no answer", actor: "alice"),
                    TimelineEntry(at: at("2026-11-05T02:00:00Z"), kind: .promise, summary: "promise of JPY 750,000 by 2026-11-10 broken", actor: "alice"),
                    TimelineEntry(at: at("2026-10-28T02:10:00Z"), kind: .call, summary: "conversation: will pay next week", actor: "alice"),
                    TimelineEntry(at: at("2026-10-20T00:00:00Z"), kind: .stage, summary: "stage reminder → call", actor: "system"),
                ],
                next: NextStep(action: "call", on: asOf)),
            reasons: [QueueReason("broken promise (2026-11-10)", weight: 400), QueueReason("94 days past due", weight: 94),
                      QueueReason("balance JPY 1,250,000", weight: 80), QueueReason("stage letter", weight: 30)]))

        let cafe = Debtor(name: "Cafe\u{301} Noir", kind: .business,
                          contacts: [Contact(name: "Hélène Dubois", phone: "+33 1 42 00 00 00", email: "compta@cafenoir.example")],
                          timeZone: "Europe/Paris", country: "FR")
        entries.append(Entry(
            detail: AccountDetail(
                accountID: "A-1002", debtor: cafe, assignee: "alice", balance: money(482_050, eur), daysPastDue: 61,
                stage: "call", status: "promised", flags: [.disputed],
                invoices: [
                    Invoice(id: "INV-8101", accountID: "A-1002", issuedOn: day("2026-08-24"), dueOn: day("2026-09-23"), amount: money(300_000, eur), disputed: true),
                    Invoice(id: "INV-8102", accountID: "A-1002", issuedOn: day("2026-09-20"), dueOn: day("2026-10-20"), amount: money(200_000, eur), paid: money(17_950, eur)),
                ],
                timeline: [
                    TimelineEntry(at: at("2026-11-21T14:00:00Z"), kind: .promise, summary: "promised EUR 1,820.50 by 2026-11-23", actor: "alice"),
                    TimelineEntry(at: at("2026-11-14T10:00:00Z"), kind: .dispute, summary: "INV-8101: goods were faulty", actor: "alice"),
                    TimelineEntry(at: at("2026-11-02T08:00:00Z"), kind: .payment, summary: "EUR 179.50 received", actor: "system"),
                ],
                next: NextStep(action: "promise due", on: asOf)),
            reasons: [QueueReason("promise due today", weight: 500), QueueReason("61 days past due", weight: 61),
                      QueueReason("balance EUR 4,820.50", weight: 48)]))

        let harbor = Debtor(name: "Harbor Freight Lines", kind: .business,
                            contacts: [Contact(name: "Dana Ortiz", phone: "+1 206 555 0142", email: "ap@harbor.example"),
                                       Contact(name: "Lee Park", phone: "+1 206 555 0199")],
                            timeZone: "America/Los_Angeles", country: "US", region: "WA")
        entries.append(Entry(
            detail: AccountDetail(
                accountID: "A-1003", debtor: harbor, assignee: "alice", balance: money(2_340_000, gbp), daysPastDue: 187,
                stage: "agency", status: "placed", flags: [.attorney],
                invoices: [Invoice(id: "INV-9001", accountID: "A-1003", issuedOn: day("2026-04-20"), dueOn: day("2026-05-20"), amount: money(2_340_000, gbp))],
                timeline: [
                    TimelineEntry(at: at("2026-11-01T12:00:00Z"), kind: .stage, summary: "placed with agency", actor: "bob"),
                    TimelineEntry(at: at("2026-10-15T16:45:00Z"), kind: .note, summary: "represented by counsel: Marsh & Co", actor: "alice"),
                ],
                next: NextStep(action: "agency report due", on: day("2026-12-01"))),
            reasons: [QueueReason("balance GBP 23,400.00", weight: 234), QueueReason("187 days past due", weight: 187)]))

        let miller = Debtor(name: "Jo Miller", kind: .consumer, contacts: [Contact(name: "Jo Miller", phone: "+1 512 555 0100")],
                            timeZone: "America/Chicago", country: "US", region: "TX")
        entries.append(Entry(
            detail: AccountDetail(
                accountID: "A-1004", debtor: miller, balance: money(91_999, eur), daysPastDue: 2210,
                stage: "letter", status: "ceased", flags: [.ceased, .timeBarred],
                invoices: [Invoice(id: "INV-1204", accountID: "A-1004", issuedOn: day("2020-09-01"), dueOn: day("2020-10-01"), amount: money(91_999, eur))],
                timeline: [TimelineEntry(at: at("2026-06-01T15:00:00Z"), kind: .note, summary: "cease request received by letter", actor: "alice")],
                next: NextStep(action: "no contact (ceased)")),
            reasons: [QueueReason("2210 days past due", weight: 20), QueueReason("ceased: letters only", weight: -100)]))

        let names = ["Northwind Traders", "Contoso Ltd", "Fabrikam GmbH", "Tailspin Toys", "Wide World Importers",
                     "Adventure Works", "Litware Inc", "Proseware SA", "Lucerne Publishing", "Margie's Travel",
                     "Trey Research", "Woodgrove Bank", "Alpine Ski House", "Coho Winery", "Fourth Coffee",
                     "Graphic Design Institute", "Humongous Insurance", "Blue Yonder Airlines"]
        let stages = ["reminder", "call", "call", "letter"]
        let statuses = ["open", "open", "promised", "onPlan", "open"]
        for i in 0..<extra {
            let id = "A-\(2001 + i)"
            let dpd = 120 - (i * 7) % 110
            let minor = Int64(1_000_000 - i * 21_737)
            let due = asOf.adding(days: -dpd)
            let debtor = Debtor(name: names[i % names.count] + (i >= names.count ? " \(i / names.count + 1)" : ""),
                                kind: .business, contacts: [Contact(name: "Accounts payable", email: "ap\(i)@example.com")],
                                timeZone: "Europe/London", country: "GB")
            entries.append(Entry(
                detail: AccountDetail(
                    accountID: id, debtor: debtor, balance: money(minor, eur), daysPastDue: dpd,
                    stage: stages[i % stages.count], status: statuses[i % statuses.count],
                    invoices: [Invoice(id: "INV-\(5001 + i)", accountID: id, issuedOn: due.adding(days: -30), dueOn: due, amount: money(minor, eur))],
                    timeline: [TimelineEntry(at: at("2026-11-16T10:00:00Z"), kind: .letter, summary: "reminder sent", actor: "system")],
                    next: NextStep(action: "call", on: asOf.adding(days: i % 5))),
                reasons: [QueueReason("\(dpd) days past due", weight: dpd)]))
        }
        return InMemoryDataSource(context: context, entries: entries)
    }
}
