/// A consumer's validation period (12 CFR 1006.34(b)(5)): from the day the validation notice is
/// sent until `days` (policy: 30) days after the consumer is assumed to receive it. Receipt is
/// assumed on the fifth day after sending, not counting Saturdays, Sundays and US legal public
/// holidays. The period's last day is not moved off a weekend or holiday.
public struct ValidationPeriod: Hashable, Sendable, Codable {
    public var sentOn: CivilDate
    public var assumedReceipt: CivilDate
    /// Last day of the period (inclusive).
    public var endsOn: CivilDate

    public init(sentOn: CivilDate, days: Int) {
        self.sentOn = sentOn
        var receipt = sentOn
        var counted = 0
        while counted < 5 {
            receipt = receipt.adding(days: 1)
            if USFederalHolidays.isBusinessDay(receipt) { counted += 1 }
        }
        self.assumedReceipt = receipt
        self.endsOn = receipt.adding(days: days)
    }

    /// Whether `date` is inside the period (from sending through its last day).
    public func contains(_ date: CivilDate) -> Bool { sentOn <= date && date <= endsOn }

    /// First day after the period.
    public var firstDayAfter: CivilDate { endsOn.adding(days: 1) }
}
