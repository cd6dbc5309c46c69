/// A payment the debtor is asked to make.
public struct ScheduledPayment: Hashable, Sendable, Codable {
    public var date: CivilDate
    public var amount: Money

    public init(date: CivilDate, amount: Money) {
        self.date = date
        self.amount = amount
    }
}

/// Everything a collector can put to a debtor. JSON: `{"kind": "plan", "plan": {...}}`, with
/// `kind` one of `paymentInFull`, `promise`, `plan`, `settlement`, `revisedTerms`.
public enum Offer: Hashable, Sendable {
    /// The whole balance by a date (today for "pay now").
    case paymentInFull(PromiseToPay)
    case promise(PromiseToPay)
    case plan(InstallmentPlan)
    case settlement(Settlement)
    case revisedTerms(RevisedTerms)

    public var kind: String {
        switch self {
        case .paymentInFull: return "paymentInFull"
        case .promise: return "promise"
        case .plan: return "plan"
        case .settlement: return "settlement"
        case .revisedTerms: return "revisedTerms"
        }
    }

    /// The payments the offer asks for, in date order (none for revised terms). A settlement
    /// without an expiry date has no date of its own; it is counted as paid on `undated`.
    public func payments(undated: CivilDate? = nil) -> [ScheduledPayment] {
        switch self {
        case .paymentInFull(let p), .promise(let p):
            return [ScheduledPayment(date: p.date, amount: p.amount)]
        case .plan(let plan):
            return plan.rows.map { ScheduledPayment(date: $0.date, amount: $0.payment) }.sorted { $0.date < $1.date }
        case .settlement(let s):
            return (s.expires ?? undated).map { [ScheduledPayment(date: $0, amount: s.pay)] } ?? []
        case .revisedTerms:
            return []
        }
    }

    /// The date of the last payment the offer asks for.
    public var lastPaymentDate: CivilDate? { payments().map(\.date).max() }
}

extension Offer: Codable {
    private enum CodingKeys: String, CodingKey { case kind, paymentInFull, promise, plan, settlement, revisedTerms }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "paymentInFull": self = .paymentInFull(try c.decode(PromiseToPay.self, forKey: .paymentInFull))
        case "promise": self = .promise(try c.decode(PromiseToPay.self, forKey: .promise))
        case "plan": self = .plan(try c.decode(InstallmentPlan.self, forKey: .plan))
        case "settlement": self = .settlement(try c.decode(Settlement.self, forKey: .settlement))
        case "revisedTerms": self = .revisedTerms(try c.decode(RevisedTerms.self, forKey: .revisedTerms))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown offer kind \"\(other)\"")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        switch self {
        case .paymentInFull(let p): try c.encode(p, forKey: .paymentInFull)
        case .promise(let p): try c.encode(p, forKey: .promise)
        case .plan(let p): try c.encode(p, forKey: .plan)
        case .settlement(let s): try c.encode(s, forKey: .settlement)
        case .revisedTerms(let t): try c.encode(t, forKey: .revisedTerms)
        }
    }
}

extension Offer {
    /// The lifecycle's record of the offer once the debtor agrees to it (the payload of
    /// `promiseMade`, `planAgreed`, `settlementAccepted`). A settlement needs an expiry date;
    /// revised terms change the invoices rather than start an arrangement, so both give nil
    /// where there is nothing to record.
    public var arrangement: Arrangement? {
        switch self {
        case .paymentInFull(let p), .promise(let p):
            return .promise(amount: p.amount, due: p.date)
        case .plan(let plan):
            return .plan(installments: plan.rows.map { Installment(due: $0.date, amount: $0.payment) })
        case .settlement(let s):
            return s.expires.map { .settlement(amount: s.pay, expires: $0) }
        case .revisedTerms:
            return nil
        }
    }
}
