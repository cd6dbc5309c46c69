import Foundation

/// An offer as the collector edits it in the offer builder: the kind and its terms, each field
/// as typed. `evaluate` turns it into the offer with its schedule, the authority verdict and the
/// recovery estimate — recomputed on every key, so a half-typed amount is an error to show,
/// never a crash.
public struct OfferDraft: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case plan
        case settlement
        case promise
        case full

        public var label: String {
            switch self {
            case .plan: return "payment plan"
            case .settlement: return "settlement"
            case .promise: return "promise to pay"
            case .full: return "payment in full"
            }
        }
    }

    /// The fields the builder edits, in the order the cursor visits them.
    public enum Field: String, Hashable, Sendable, CaseIterable {
        case kind, deposit, installments, frequency, first, discount, expires, amount, date

        public var label: String {
            switch self {
            case .kind: return "Offer"
            case .deposit: return "Deposit"
            case .installments: return "Payments"
            case .frequency: return "Every"
            case .first: return "First date"
            case .discount: return "Discount %"
            case .expires: return "Expires"
            case .amount: return "Amount"
            case .date: return "Date"
            }
        }
    }

    public var kind: Kind
    public var deposit: String
    public var installments: String
    public var frequency: PaymentFrequency
    public var first: String
    public var discount: String
    public var expires: String
    public var amount: String
    public var date: String

    public init(kind: Kind = .plan, deposit: String = "", installments: String = "2", frequency: PaymentFrequency = .month,
                first: String, discount: String = "0", expires: String, amount: String = "", date: String) {
        self.kind = kind
        self.deposit = deposit
        self.installments = installments
        self.frequency = frequency
        self.first = first
        self.discount = discount
        self.expires = expires
        self.amount = amount
        self.date = date
    }

    /// A fresh draft for an account: two monthly payments from next week, as practice advises.
    public static func start(balance: Money, asOf: CivilDate) -> OfferDraft {
        OfferDraft(kind: .plan, installments: "2", first: asOf.adding(days: 7).iso, expires: asOf.adding(days: 14).iso,
                   amount: balance.decimalString, date: asOf.adding(days: 7).iso)
    }

    /// A draft holding a rung of the concession ladder, to adjust by hand.
    public static func from(_ offer: Offer, balance: Money, asOf: CivilDate) -> OfferDraft {
        var d = start(balance: balance, asOf: asOf)
        switch offer {
        case .paymentInFull(let p):
            d.kind = .full
            d.date = p.date.iso
        case .promise(let p):
            d.kind = .promise
            d.amount = p.amount.decimalString
            d.date = p.date.iso
        case .plan(let plan):
            d.kind = .plan
            d.deposit = plan.request.deposit.isZero ? "" : plan.request.deposit.decimalString
            d.installments = String(plan.request.installments)
            d.frequency = plan.request.frequency
            d.first = (plan.request.deposit.isZero ? plan.request.first : (plan.request.depositDate ?? plan.request.first)).iso
        case .settlement(let s):
            d.kind = .settlement
            let bp = s.balance.minorUnits == 0 ? 0 : (s.balance.minorUnits - s.pay.minorUnits) * 10_000 / s.balance.minorUnits
            d.discount = Percent(basisPoints: bp).decimalString
            d.expires = (s.expires ?? asOf.adding(days: 14)).iso
        case .revisedTerms:
            break
        }
        return d
    }

    /// The fields that matter for the draft's kind.
    public var fields: [Field] {
        switch kind {
        case .plan: return [.kind, .deposit, .installments, .frequency, .first]
        case .settlement: return [.kind, .discount, .expires]
        case .promise: return [.kind, .amount, .date]
        case .full: return [.kind, .date]
        }
    }

    public func text(of field: Field) -> String {
        switch field {
        case .kind: return kind.label
        case .deposit: return deposit
        case .installments: return installments
        case .frequency: return frequency.rawValue
        case .first: return first
        case .discount: return discount
        case .expires: return expires
        case .amount: return amount
        case .date: return date
        }
    }

    public mutating func setText(_ text: String, of field: Field) {
        switch field {
        case .kind, .frequency: break
        case .deposit: deposit = text
        case .installments: installments = text
        case .first: first = text
        case .discount: discount = text
        case .expires: expires = text
        case .amount: amount = text
        case .date: date = text
        }
    }

    /// Cycles a choice field (kind, frequency) forwards or backwards.
    public mutating func cycle(_ field: Field, by step: Int) {
        func rotate<T: CaseIterable & Equatable>(_ value: T) -> T {
            let all = Array(T.allCases)
            let i = all.firstIndex(of: value)!
            return all[((i + step) % all.count + all.count) % all.count]
        }
        switch field {
        case .kind: kind = rotate(kind)
        case .frequency: frequency = rotate(frequency)
        default: break
        }
    }

    /// Builds the offer the draft describes, or says which field is wrong and why.
    public func offer(balance: Money, asOf: CivilDate, debtorKind: DebtorKind) throws(NegotiationError) -> Offer {
        let builder = OfferBuilder(balance: balance, asOf: asOf, debtorKind: debtorKind)
        func day(_ text: String, _ term: String) throws(NegotiationError) -> CivilDate {
            guard let d = CivilDate(iso: text) else { throw .invalidTerm(term: term, value: text, reason: "not a date like 2026-12-31") }
            return d
        }
        func money(_ text: String, _ term: String) throws(NegotiationError) -> Money {
            do { return try Money.parse(text, currency: balance.currency) }
            catch { throw .invalidTerm(term: term, value: text, reason: error.description) }
        }
        switch kind {
        case .full:
            return try builder.paymentInFull(by: try day(date, "date"))
        case .promise:
            return try builder.promise(amount: try money(amount, "amount"), on: try day(date, "date"))
        case .settlement:
            guard let pct = Percent(text: discount) else { throw .invalidTerm(term: "discount", value: discount, reason: "not a percentage such as 15 or 12.5") }
            return try builder.settlement(discount: pct, expires: try day(expires, "expires"))
        case .plan:
            guard let n = Int(installments.trimmingCharacters(in: .whitespaces)), n > 0 else {
                throw .invalidTerm(term: "installments", value: installments, reason: "must be a whole number of payments, 1 or more")
            }
            let dep = deposit.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try money(deposit, "deposit")
            let firstDay = try day(first, "first")
            if let dep, dep.isPositive {
                return try builder.plan(deposit: dep, depositDate: firstDay, installments: n, every: frequency, first: frequency.date(1, from: firstDay))
            }
            return try builder.plan(installments: n, every: frequency, first: firstDay)
        }
    }

    /// The offer with everything the builder pane shows.
    public func evaluate(balance: Money, asOf: CivilDate, debtorKind: DebtorKind, role: Role, policy: Policy, record: PromiseRecord) -> OfferEvaluation {
        do {
            let offer = try offer(balance: balance, asOf: asOf, debtorKind: debtorKind)
            let authority = try AuthorityCheck.check(offer, role: role, policy: policy, asOf: asOf)
            let recovery = try? RecoveryEstimate.compare(offer: offer, balance: balance, asOf: asOf, record: record, policy: policy)
            return OfferEvaluation(offer: offer, error: nil, authority: authority, recovery: recovery)
        } catch {
            return OfferEvaluation(offer: nil, error: error.description, authority: nil, recovery: nil)
        }
    }
}

/// A draft worked out: the offer and its schedule, or the error to show.
public struct OfferEvaluation: Hashable, Sendable {
    public var offer: Offer?
    public var error: String?
    public var authority: AuthorityCheck?
    public var recovery: RecoveryEstimate?

    public var payments: [ScheduledPayment] { offer?.payments() ?? [] }
    public var needsApproval: Bool { authority?.needsApproval ?? false }
}
