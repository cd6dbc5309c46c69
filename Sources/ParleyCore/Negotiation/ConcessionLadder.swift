/// One step of the ladder: an offer and the words a collector would use for it.
public struct ConcessionRung: Hashable, Sendable, Codable {
    /// 1 for the least concession.
    public var step: Int
    /// "full now", "full by 2026-12-07", "2 payments", "deposit + 3 monthly installments",
    /// "settle for 5% off".
    public var label: String
    public var offer: Offer
}

/// The offers to put to a debtor, from least concession to most, each within the role's
/// authority (`AuthorityCheck` finds nothing to approve in any of them).
///
/// Order, all payments starting on the as-of date:
/// 1. the full balance now;
/// 2. the full balance by `asOf + fullByDays` (14 by default);
/// 3. two payments: half now (the larger of half and the minimum deposit), the rest in a month;
/// 4. the role's minimum deposit now and then 2, 3, … monthly installments, up to the role's
///    maximum installments and while the last payment stays within its maximum plan days
///    (without a minimum deposit: 3, 4, … monthly installments from today, since two
///    installments are the two-payment rung);
/// 5. settlements at `discountStep`, 2 × `discountStep`, … and finally the role's maximum
///    discount, each payable within `settlementDays`.
///
/// Practice (seeds): start at two payments and concede more only when you must; a collector
/// walks the list top to bottom.
public enum ConcessionLadder {
    public static func offers(balance: Money, asOf: CivilDate, policy: Policy, role: Role,
                              fullByDays: Int = 14, settlementDays: Int = 14,
                              discountStep: Percent = Percent(5)) throws(NegotiationError) -> [ConcessionRung] {
        guard balance.isPositive else {
            throw .invalidTerm(term: "balance", value: balance.decimalString, reason: "nothing is owed, so there is nothing to offer")
        }
        guard discountStep.basisPoints > 0 else {
            throw .invalidTerm(term: "discount-step", value: discountStep.decimalString, reason: "must be more than 0%")
        }
        let limits = policy.limits(for: role)
        // The ladder is about concessions on the amount and the time, not on the debtor's
        // terms, so the debtor kind does not matter here.
        let builder = OfferBuilder(balance: balance, asOf: asOf, debtorKind: .business)
        var candidates: [(String, Offer)] = []

        candidates.append(("full now", try builder.paymentInFull()))
        let fullBy = asOf.adding(days: fullByDays)
        candidates.append(("full by \(fullBy.iso)", try builder.paymentInFull(by: fullBy)))

        let required = try checkedMoney { () throws(MoneyError) in try limits.minDeposit.of(balance) }
        let halves = try checkedMoney { () throws(MoneyError) in try balance.allocate(into: 2) }
        // allocate puts the odd minor unit on the last share; the first payment takes the larger one.
        let half = max(halves[1], required)
        if half < balance, let offer = try? builder.plan(deposit: half, installments: 1, every: .month, first: asOf) {
            candidates.append(("2 payments", offer))
        }

        if limits.maxInstallments >= 2 {
            let start = required.isPositive ? 2 : 3
            if start <= limits.maxInstallments {
                for n in start...limits.maxInstallments {
                    let offer: Offer
                    do {
                        offer = try builder.plan(deposit: required.isPositive ? required : nil, installments: n, every: .month, first: asOf)
                    } catch { break }
                    guard let last = offer.lastPaymentDate, asOf.days(until: last) <= limits.maxPlanDays else { break }
                    let label = required.isPositive ? "deposit + \(n) monthly installments" : "\(n) monthly installments"
                    candidates.append((label, offer))
                }
            }
        }

        let expires = asOf.adding(days: min(settlementDays, limits.maxPlanDays))
        var discounts: [Percent] = []
        var d = discountStep
        while d < limits.maxDiscount && d < .hundred {
            discounts.append(d)
            d = Percent(basisPoints: d.basisPoints + discountStep.basisPoints)
        }
        if limits.maxDiscount.basisPoints > 0 && limits.maxDiscount < .hundred { discounts.append(limits.maxDiscount) }
        for discount in discounts {
            guard let offer = try? builder.settlement(discount: discount, expires: expires) else { continue }
            candidates.append(("settle for \(discount) off", offer))
        }

        var rungs: [ConcessionRung] = []
        for (label, offer) in candidates {
            let check = try AuthorityCheck.check(offer, role: role, policy: policy, asOf: asOf)
            guard !check.needsApproval else { continue }
            rungs.append(ConcessionRung(step: rungs.count + 1, label: label, offer: offer))
        }
        return rungs
    }
}
