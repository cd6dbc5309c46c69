/// The rules a portfolio is collected by. Loaded from TOML (`Policy.load`), with the bundled
/// `Resources/default-policy.toml` as the base: a file only needs the keys it changes.
public struct Policy: Hashable, Sendable {
    public var escalation: Escalation
    public var promises: Promises
    public var installments: Installments
    public var authority: [Role: AuthorityLimits]
    public var agency: Agency
    public var fees: Fees
    public var interest: Interest
    public var contact: ContactRules
    /// Years after which a debt is time-barred, per jurisdiction: "US-CA", "US", "GB", "default".
    public var limitationYears: [String: Int]

    public struct Escalation: Hashable, Sendable {
        /// Days past due at which each stage begins.
        public var reminderDays: Int
        public var callDays: Int
        public var letterDays: Int
        public var agencyDays: Int
        /// Below this balance (major units of the account's currency) an account is not placed.
        public var agencyMinimumBalance: Int64
    }

    public struct Promises: Hashable, Sendable {
        /// Days after the promised date before a promise counts as broken.
        public var graceDays: Int
        /// Broken promises tolerated before a case escalates straight past further promises.
        public var brokenTolerated: Int
    }

    public struct Installments: Hashable, Sendable {
        public var graceDays: Int
    }

    public struct AuthorityLimits: Hashable, Sendable {
        public var maxDiscount: Percent
        public var maxInstallments: Int
        public var maxPlanDays: Int
        public var minDeposit: Percent
    }

    public struct Agency: Hashable, Sendable {
        public var contingencyFee: Percent
        /// Share of the balance an agency typically recovers.
        public var recoveryRate: Percent
        /// Value lost per month by an aged receivable (practice: up to 10%).
        public var monthlyDecay: Percent
    }

    public struct Fees: Hashable, Sendable {
        /// Contractual late fee charged once per escalation level.
        public var lateFee: Percent
        /// Minimum late fee in major units of the account's currency.
        public var lateFeeMinimum: Int64
    }

    public struct Interest: Hashable, Sendable {
        /// "none" or "uk-late-payment".
        public var regime: String
        /// Points over the reference rate (UK: 8%).
        public var margin: Percent
        /// Reference (base) rates in force from each date, oldest first.
        public var referenceRates: [ReferenceRate]
    }

    public struct ReferenceRate: Hashable, Sendable {
        public var from: CivilDate
        public var rate: Percent
    }

    public struct ContactRules: Hashable, Sendable {
        /// Local hours in which a business may be called: [start, end).
        public var businessStartHour: Int
        public var businessEndHour: Int
        public var businessMaxAttemptsPerWeek: Int
        /// Apply the consumer (Regulation F) rules to business accounts too.
        public var consumerRulesForBusiness: Bool
        /// Consumer call window, local time: [start, end] in minutes (08:00–21:00).
        public var consumerStartHour: Int
        public var consumerEndHour: Int
        public var consumerMaxAttemptsPerWeek: Int
        public var validationPeriodDays: Int
    }

    public init(escalation: Escalation, promises: Promises, installments: Installments, authority: [Role: AuthorityLimits], agency: Agency, fees: Fees, interest: Interest, contact: ContactRules, limitationYears: [String: Int]) {
        self.escalation = escalation
        self.promises = promises
        self.installments = installments
        self.authority = authority
        self.agency = agency
        self.fees = fees
        self.interest = interest
        self.contact = contact
        self.limitationYears = limitationYears
    }

    public func limits(for role: Role) -> AuthorityLimits {
        authority[role] ?? authority[.collector]!
    }

    /// Agency minimum in minor units of a currency.
    public func agencyMinimum(in currency: Currency) -> Money {
        Money(minorUnits: escalation.agencyMinimumBalance * currency.scale, currency: currency)
    }

    /// Years to the time bar for a country and region ("US", "CA" → "US-CA", then "US", then "default").
    public func limitationYears(country: String, region: String?) -> Int? {
        if let region, let y = limitationYears["\(country)-\(region)"] { return y }
        return limitationYears[country] ?? limitationYears["default"]
    }
}
