/// The contractual late fee: a percentage of the balance with a minimum, charged once per
/// escalation level.
public enum LateFee {
    /// The fee for reaching `level`, or nil when this level has already been charged or nothing
    /// is owed. `level` is whatever the caller counts levels by (the lifecycle's stage, a number).
    ///
    /// fee = max(late fee % × balance rounded half-up, minimum in major units of the currency).
    public static func charge<Level: Hashable>(on balance: Money, level: Level, alreadyCharged: Set<Level>,
                                               fees: Policy.Fees) throws(NegotiationError) -> Money? {
        guard balance.isPositive, !alreadyCharged.contains(level) else { return nil }
        let percentage = try checkedMoney { () throws(MoneyError) in try fees.lateFee.of(balance) }
        let minimum = try checkedMoney { () throws(MoneyError) in
            try Money(minorUnits: fees.lateFeeMinimum, currency: balance.currency).multiplied(by: balance.currency.scale)
        }
        return max(percentage, minimum)
    }
}
