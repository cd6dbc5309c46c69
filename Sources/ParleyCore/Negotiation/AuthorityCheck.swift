import Foundation

/// One authority limit an offer goes beyond, and by how much.
public struct ExceededLimit: Hashable, Sendable, Codable {
    public enum Limit: String, Codable, Sendable, CaseIterable {
        case maxDiscount, maxInstallments, maxPlanDays, minDeposit
    }
    public enum Unit: String, Codable, Sendable {
        case percent, installments, days
    }

    public var limit: Limit
    public var unit: Unit
    /// The role's limit, the offer's figure and the difference, as decimal strings in `unit`
    /// ("10", "15", "5"; percentages to two decimals).
    public var allowed: String
    public var offered: String
    public var excess: String
    /// For the percentage limits, the difference in money (extra discount, missing deposit).
    public var excessAmount: Money?
    /// For a collector: "discount 15% exceeds the collector's maximum of 10% by 5% (EUR 15.00)".
    public var message: String
}

/// Whether an offer is within a role's authority (policy `[authority.ROLE]`). Beyond it, the
/// offer needs a supervisor's approval; every limit it exceeds is listed.
///
/// - max discount: a settlement's discount in money against the role's percentage of the
///   balance (rounded half-up, as `Settlement(balance:discount:)` rounds it);
/// - max installments: a plan's installments, the deposit not counted;
/// - max plan days: days from the offer date (`asOf`) to the offer's last payment — for every
///   offer with dated payments (a promise, a settlement's expiry, a plan's last installment);
/// - min deposit: a plan's deposit against the role's percentage of the plan total.
public struct AuthorityCheck: Hashable, Sendable, Codable {
    public var role: Role
    public var exceeded: [ExceededLimit]
    /// Days from the offer date to the last payment, when the offer has dated payments.
    public var planDays: Int?

    public var needsApproval: Bool { !exceeded.isEmpty }

    private enum CodingKeys: String, CodingKey { case role, exceeded, planDays, needsApproval }

    public init(role: Role, exceeded: [ExceededLimit], planDays: Int?) {
        self.role = role
        self.exceeded = exceeded
        self.planDays = planDays
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        role = try c.decode(Role.self, forKey: .role)
        exceeded = try c.decode([ExceededLimit].self, forKey: .exceeded)
        planDays = try c.decodeIfPresent(Int.self, forKey: .planDays)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(role, forKey: .role)
        try c.encode(exceeded, forKey: .exceeded)
        try c.encodeIfPresent(planDays, forKey: .planDays)
        try c.encode(needsApproval, forKey: .needsApproval)
    }

    public static func check(_ offer: Offer, role: Role, policy: Policy, asOf: CivilDate) throws(NegotiationError) -> AuthorityCheck {
        let limits = policy.limits(for: role)
        let who = "the \(role.rawValue)'s"
        var exceeded: [ExceededLimit] = []

        switch offer {
        case .settlement(let s):
            let allowedDiscount = try checkedMoney { () throws(MoneyError) in try limits.maxDiscount.of(s.balance) }
            if s.discount > allowedDiscount {
                let offered = Exact.text(s.discountPercent)
                let allowed = Exact.text(Exact.fraction(limits.maxDiscount) * 100)
                let excess = Exact.text(s.discountPercent - Exact.fraction(limits.maxDiscount) * 100)
                let extra = try checkedMoney { () throws(MoneyError) in try s.discount.subtracting(allowedDiscount) }
                exceeded.append(ExceededLimit(
                    limit: .maxDiscount, unit: .percent, allowed: allowed, offered: offered, excess: excess, excessAmount: extra,
                    message: "discount \(offered)% exceeds \(who) maximum of \(allowed)% by \(excess)% (\(extra.formatted))"))
            }
        case .plan(let plan):
            let count = plan.request.installments
            if count > limits.maxInstallments {
                exceeded.append(ExceededLimit(
                    limit: .maxInstallments, unit: .installments, allowed: String(limits.maxInstallments),
                    offered: String(count), excess: String(count - limits.maxInstallments), excessAmount: nil,
                    message: "\(count) installments exceed \(who) maximum of \(limits.maxInstallments) by \(count - limits.maxInstallments)"))
            }
            let total = plan.request.total
            let required = try checkedMoney { () throws(MoneyError) in try limits.minDeposit.of(total) }
            let deposit = plan.request.deposit
            if deposit < required {
                let offeredPercent = Exact.minor(deposit) * 100 / Exact.minor(total)
                let allowedPercent = Exact.fraction(limits.minDeposit) * 100
                let missing = try checkedMoney { () throws(MoneyError) in try required.subtracting(deposit) }
                let offered = Exact.text(offeredPercent), allowed = Exact.text(allowedPercent)
                let excess = Exact.text(allowedPercent - offeredPercent)
                exceeded.append(ExceededLimit(
                    limit: .minDeposit, unit: .percent, allowed: allowed, offered: offered, excess: excess, excessAmount: missing,
                    message: "deposit \(offered)% (\(deposit.formatted)) is below \(who) minimum of \(allowed)% by \(excess)% (\(missing.formatted))"))
            }
        case .paymentInFull, .promise, .revisedTerms:
            break
        }

        let planDays = offer.lastPaymentDate.map { asOf.days(until: $0) }
        if let planDays, planDays > limits.maxPlanDays {
            let excess = planDays - limits.maxPlanDays
            exceeded.append(ExceededLimit(
                limit: .maxPlanDays, unit: .days, allowed: String(limits.maxPlanDays), offered: String(planDays),
                excess: String(excess), excessAmount: nil,
                message: "the last payment is \(planDays) days away, beyond \(who) maximum of \(limits.maxPlanDays) days by \(excess) days"))
        }
        return AuthorityCheck(role: role, exceeded: exceeded, planDays: planDays)
    }
}
