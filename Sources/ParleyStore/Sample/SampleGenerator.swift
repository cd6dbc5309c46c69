import Foundation
import ParleyCore

/// A synthetic portfolio in the CSV format `parley import` reads, the same bytes for the same
/// seed, size and anchor date: every account draws from its own SplitMix64 stream, and nothing
/// depends on the clock, Foundation's randomness or dictionary order.
///
/// Invoices are spread over every aging bucket relative to `anchor` (about 5 per account), a
/// quarter of them partly paid; some are disputed; some debtors have no known time zone.
/// With `history`, a few accounts also carry a scripted case history (promises kept, broken and
/// due, a plan, disputes, a cease request, an attorney, a placed account, a settlement) and
/// overdue accounts have reminder letters and call attempts.
public struct SampleGenerator: Sendable {
    public var seed: UInt64
    public var accountCount: Int
    public var anchor: CivilDate
    public var includeHistory: Bool
    /// The average number of invoices per account (1 to 2n−1 each, evenly); 5 by default.
    public var invoicesPerAccount: Int = 5

    public static let collectors = ["alice", "bob", "carmen", "dev"]

    public init(seed: UInt64, accounts: Int, anchor: CivilDate, history: Bool = false) {
        self.seed = seed
        self.accountCount = accounts
        self.anchor = anchor
        self.includeHistory = history
    }

    /// One generated account with everything that belongs to it.
    public struct GeneratedAccount: Sendable {
        public var account: ImportedAccount
        public var invoices: [Invoice]
        public var payments: [Payment]
        public var history: [HistoryEntry]
        /// Standard UTC offset of the debtor's zone, for writing history times.
        var utcOffset: Int
    }

    /// How many rows of each file were written, and where.
    public struct Summary: Sendable, Equatable {
        public var accounts = 0
        public var invoices = 0
        public var payments = 0
        public var history = 0
        public var files: [String] = []

        public init() {}
    }

    /// The scripted case histories, placed on accounts 3, 10, 17, … so they are spread through
    /// the queue.
    enum Scenario: CaseIterable {
        case promiseKept, promiseBroken, promiseDueSoon, plan, disputeOpen, disputeResolved,
             cease, attorney, placed, settlement, validationNotice
    }

    func scenario(for index: Int) -> Scenario? {
        guard includeHistory, index >= 3, (index - 3) % 7 == 0 else { return nil }
        let k = (index - 3) / 7
        return k < Scenario.allCases.count ? Scenario.allCases[k] : nil
    }

    var accountIDWidth: Int { max(4, String(accountCount).count) }

    static func padded(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Writes accounts.csv, invoices.csv, payments.csv (and history.csv with `history`) into
    /// `directory`, creating it if needed, streaming account by account.
    public func write(to directory: String) throws -> Summary {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func path(_ kind: ImportFileKind) -> String { (directory as NSString).appendingPathComponent(kind.fileName) }
        let accounts = try CSVWriter(path: path(.accounts))
        let invoices = try CSVWriter(path: path(.invoices))
        let payments = try CSVWriter(path: path(.payments))
        let history = includeHistory ? try CSVWriter(path: path(.history)) : nil
        accounts.row(ImportFileKind.accounts.canonicalColumns)
        invoices.row(ImportFileKind.invoices.canonicalColumns)
        payments.row(ImportFileKind.payments.canonicalColumns)
        history?.row(ImportFileKind.history.canonicalColumns)

        var summary = Summary()
        var counters = Counters()
        for index in 0..<accountCount {
            let generated = makeAccount(index, &counters)
            SampleGenerator.write(generated.account, to: accounts)
            for invoice in generated.invoices {
                invoices.row([invoice.id, invoice.accountID, invoice.issuedOn.iso, invoice.dueOn.iso,
                              invoice.amount.decimalString, invoice.amount.currency.code, invoice.disputed ? "true" : "false"])
            }
            for payment in generated.payments {
                payments.row([payment.id, payment.accountID, payment.invoiceID ?? "", payment.paidOn.iso, payment.amount.decimalString])
            }
            if let history {
                for entry in generated.history { SampleGenerator.write(entry, to: history) }
            }
            summary.accounts += 1
            summary.invoices += generated.invoices.count
            summary.payments += generated.payments.count
            summary.history += generated.history.count
        }
        try accounts.close()
        try invoices.close()
        try payments.close()
        try history?.close()
        summary.files = [accounts.path, invoices.path, payments.path] + (history.map { [$0.path] } ?? [])
        return summary
    }

    /// The whole portfolio in memory (tests, small portfolios).
    public func generate() -> [GeneratedAccount] {
        var counters = Counters()
        return (0..<accountCount).map { makeAccount($0, &counters) }
    }

    static func write(_ a: ImportedAccount, to out: CSVWriter) {
        let contact = a.debtor.contacts.first
        out.row([a.id, a.debtor.name, a.debtor.kind.rawValue, contact?.name ?? "", contact?.phone ?? "",
                 contact?.email ?? "", contact?.address ?? "", a.debtor.country, a.debtor.region ?? "",
                 a.debtor.timeZone ?? "", a.currency.code, a.assignee ?? ""])
    }

    static func write(_ h: HistoryEntry, to out: CSVWriter) {
        var amount = "", date = "", outcome = "", text = ""
        switch h.event {
        case .call(let o): outcome = o.rawValue
        case .promise(let m, let d): amount = m.decimalString; date = d.iso
        case .plan(let total, let n, let every, let first):
            amount = total.decimalString; date = first.iso; outcome = "\(n)x\(every.rawValue)"
        case .settlement(let m, let d): amount = m.decimalString; date = d.iso
        case .dispute(let reason): text = reason
        case .disputeResolved(let o): outcome = o.rawValue
        case .cease, .placed: break
        case .attorney(let name): text = name
        case .letter(let kind): outcome = kind.rawValue
        case .note(let note): text = note
        }
        out.row([h.accountID, h.atISO, h.actor, h.event.name, amount, date, outcome, text])
    }

    struct Counters {
        var invoice = 0
        var payment = 0
    }

    // MARK: Accounts

    static let locales = SampleLocale.all
    static let localeWeights = SampleLocale.all.map(\.weight)

    static func weighted(_ weights: [Int], _ rng: inout SplitMix64) -> Int {
        var roll = rng.below(weights.reduce(0, +))
        for (i, w) in weights.enumerated() {
            if roll < w { return i }
            roll -= w
        }
        return weights.count - 1
    }

    func makeAccount(_ index: Int, _ counters: inout Counters) -> GeneratedAccount {
        var rng = SplitMix64(seed: seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03) ^ 0x5EED)
        let scenario = scenario(for: index)
        let consumerOnly: Bool = [.cease, .attorney, .validationNotice].contains(scenario)
        let locale = consumerOnly ? SampleGenerator.locales[0] : SampleGenerator.locales[SampleGenerator.weighted(SampleGenerator.localeWeights, &rng)]
        let region = rng.pick(locale.regions)
        let kind: DebtorKind = consumerOnly ? .consumer : (rng.chance(60) ? .business : .consumer)
        let person = locale.personName(&rng)
        let name = kind == .business ? locale.businessName(&rng) : person
        let id = "A-" + SampleGenerator.padded(index + 1, accountIDWidth)
        let emailUser = kind == .business ? "accounts" : SampleGenerator.slug(person, fallback: "customer")
        let emailHost = kind == .business ? SampleGenerator.slug(name, fallback: id.lowercased()) + "." + locale.emailDomain : locale.emailDomain
        let contact = Contact(name: person, phone: locale.phone(&rng, region: region),
                              email: "\(emailUser)@\(emailHost)", address: locale.address(&rng, region: region))
        let unknownZone = scenario == nil && rng.chance(6)
        let debtor = Debtor(name: name, kind: kind, contacts: [contact], timeZone: unknownZone ? nil : region.zone,
                            country: locale.country, region: region.code)
        let currency = (try? Currency(code: locale.currency)) ?? .usd
        let assignee: String? = rng.chance(10) && scenario == nil ? nil : rng.pick(SampleGenerator.collectors)
        let account = ImportedAccount(id: id, debtor: debtor, currency: currency, assignee: assignee)

        var invoices: [Invoice] = []
        var payments: [Payment] = []
        let count = scenario == nil ? 1 + rng.below(max(1, 2 * invoicesPerAccount - 1)) : 2 + rng.below(3)
        let terms = kind == .business ? rng.pick([30, 30, 30, 45, 60, 14]) : rng.pick([14, 30])
        for n in 0..<count {
            var daysPastDue: Int
            if n == 0, let scenario {
                daysPastDue = scenario == .placed ? 150 + rng.below(30) : 35 + rng.below(40)
            } else {
                switch SampleGenerator.weighted([20, 20, 18, 14, 10, 18], &rng) {
                case 0: daysPastDue = -rng.below(terms)
                case 1: daysPastDue = rng.inRange(1...30)
                case 2: daysPastDue = rng.inRange(31...60)
                case 3: daysPastDue = rng.inRange(61...90)
                case 4: daysPastDue = rng.inRange(91...120)
                default: daysPastDue = rng.inRange(121...540)
                }
            }
            let due = anchor.adding(days: -daysPastDue)
            let issued = due.adding(days: -terms)
            let amount = Money(minorUnits: SampleGenerator.amount(kind: kind, currency: currency, &rng), currency: currency)
            var disputed = scenario == nil && daysPastDue > 0 && rng.chance(3)
            if n == 0, scenario == .disputeOpen { disputed = true }
            counters.invoice += 1
            let invoice = Invoice(id: "INV-" + SampleGenerator.padded(counters.invoice, 7), accountID: id,
                                  issuedOn: issued, dueOn: due, amount: amount, disputed: disputed)
            invoices.append(invoice)
            // Partial and full payments on invoices issued before the anchor; a scenario's
            // payments are only those its story tells, so promises read as kept or broken.
            let window = issued.days(until: anchor) - 1
            guard window > 0, scenario == nil else { continue }
            let roll = rng.below(100)
            if roll < 33 {
                let paid = roll < 8 ? amount.minorUnits : amount.minorUnits * Int64(rng.inRange(10...90)) / 100
                guard paid > 0 else { continue }
                counters.payment += 1
                payments.append(Payment(id: "P-" + SampleGenerator.padded(counters.payment, 7), accountID: id, invoiceID: invoice.id,
                                        paidOn: issued.adding(days: 1 + rng.below(window)), amount: Money(minorUnits: paid, currency: currency)))
            }
        }
        if scenario == nil, rng.chance(4) {
            counters.payment += 1
            let minor = Int64(rng.inRange(50...500)) * currency.scale * (currency.decimals == 0 ? 100 : 1)
            payments.append(Payment(id: "P-" + SampleGenerator.padded(counters.payment, 7), accountID: id, invoiceID: nil,
                                    paidOn: anchor.adding(days: -rng.inRange(1...60)), amount: Money(minorUnits: minor, currency: currency)))
        }

        var generated = GeneratedAccount(account: account, invoices: invoices, payments: payments, history: [],
                                         utcOffset: region.utcOffsetHours * 3600)
        if includeHistory {
            var history = SampleHistory(anchor: anchor, rng: rng, actor: assignee ?? "system", offset: generated.utcOffset)
            if let scenario {
                history.script(scenario, &generated, &counters)
            } else if index < 600 {
                history.routine(&generated)
            }
        }
        return generated
    }

    /// An amount in minor units: businesses owe more than consumers; yen have no minor unit.
    static func amount(kind: DebtorKind, currency: Currency, _ rng: inout SplitMix64) -> Int64 {
        let major: Int
        if kind == .business {
            switch rng.below(10) {
            case 0..<6: major = rng.inRange(100...2_000)
            case 6..<9: major = rng.inRange(2_000...15_000)
            default: major = rng.inRange(15_000...80_000)
            }
        } else {
            major = rng.chance(70) ? rng.inRange(20...800) : rng.inRange(800...5_000)
        }
        if currency.decimals == 0 { return Int64(major) * 100 }
        return Int64(major) * currency.scale + Int64(rng.below(Int(currency.scale)))
    }

    /// Lower-case ASCII letters of a name joined by dots ("Acme Supply Inc." → "acme.supply.inc").
    static func slug(_ text: String, fallback: String) -> String {
        var words: [String] = []
        var current = ""
        for scalar in text.folding(options: .diacriticInsensitive, locale: nil).unicodeScalars {
            if scalar.isASCII, let ch = Optional(Character(scalar)), ch.isLetter || ch.isNumber {
                current.append(ch.lowercased())
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.isEmpty ? fallback : words.joined(separator: ".")
    }
}

extension SampleGenerator {
    /// The date the demo portfolio in SampleData/ is written relative to.
    public static let demoAnchor = CivilDate(year: 2026, month: 11, day: 1)!

    /// The generator that wrote SampleData/: 220 accounts with case histories, anchored on
    /// 2026-11-01.
    public static let demo = SampleGenerator(seed: 20_261_101, accounts: 220, anchor: demoAnchor, history: true)
}
