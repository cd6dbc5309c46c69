import Foundation

extension Policy {
    /// The bundled default policy.
    public static let standard: Policy = {
        do { return try Policy.parse(Policy.defaultText, file: "default-policy.toml", base: nil) }
        catch { fatalError("the bundled default policy is invalid: \(error)") }
    }()

    static var defaultText: String {
        guard let url = Bundle.module.url(forResource: "default-policy", withExtension: "toml", subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("the bundled default-policy.toml is missing from the ParleyCore resources")
        }
        return text
    }

    /// Loads a policy file over the defaults; refuses it with the file, the key and the reason.
    public static func load(contentsOf path: String) throws(ConfigError) -> Policy {
        let doc = try TOMLSection.load(contentsOf: path)
        return try Policy.read(doc, base: .standard)
    }

    public static func parse(_ text: String, file: String, base: Policy? = .standard) throws(ConfigError) -> Policy {
        try read(try TOMLSection.parse(text, file: file), base: base)
    }

    static func read(_ doc: TOMLSection, base: Policy?) throws(ConfigError) -> Policy {
        try doc.rejectUnknownKeys(allowed: ["escalation", "promises", "installments", "authority", "agency", "fees", "interest", "contact", "limitation_years"])
        func need<T>(_ value: T?, _ section: TOMLSection?, _ key: String, _ fallback: T?) throws(ConfigError) -> T {
            if let value { return value }
            if let fallback { return fallback }
            throw (section ?? doc).error(key, "is required")
        }

        let e = try doc.section("escalation")
        try e?.rejectUnknownKeys(allowed: ["reminder_days", "call_days", "letter_days", "agency_days", "agency_minimum_balance"])
        let escalation = Escalation(
            reminderDays: try need(try e?.int("reminder_days", in: 0...3650), e, "reminder_days", base?.escalation.reminderDays),
            callDays: try need(try e?.int("call_days", in: 0...3650), e, "call_days", base?.escalation.callDays),
            letterDays: try need(try e?.int("letter_days", in: 0...3650), e, "letter_days", base?.escalation.letterDays),
            agencyDays: try need(try e?.int("agency_days", in: 0...3650), e, "agency_days", base?.escalation.agencyDays),
            agencyMinimumBalance: Int64(try need(try e?.int("agency_minimum_balance", in: 0...1_000_000_000), e, "agency_minimum_balance", base.map { Int($0.escalation.agencyMinimumBalance) })))
        let order = [escalation.reminderDays, escalation.callDays, escalation.letterDays, escalation.agencyDays]
        if order != order.sorted() {
            throw (e ?? doc).error(e == nil ? "escalation" : "agency_days", "stages must come in order: reminder_days ≤ call_days ≤ letter_days ≤ agency_days, found \(order.map(String.init).joined(separator: ", "))")
        }

        let p = try doc.section("promises")
        try p?.rejectUnknownKeys(allowed: ["grace_days", "broken_tolerated"])
        let promises = Promises(
            graceDays: try need(try p?.int("grace_days", in: 0...90), p, "grace_days", base?.promises.graceDays),
            brokenTolerated: try need(try p?.int("broken_tolerated", in: 0...100), p, "broken_tolerated", base?.promises.brokenTolerated))

        let i = try doc.section("installments")
        try i?.rejectUnknownKeys(allowed: ["grace_days"])
        let installments = Installments(graceDays: try need(try i?.int("grace_days", in: 0...90), i, "grace_days", base?.installments.graceDays))

        var authority = base?.authority ?? [:]
        if let a = try doc.section("authority") {
            try a.rejectUnknownKeys(allowed: Set(Role.allCases.map(\.rawValue)))
            for role in Role.allCases {
                guard let r = try a.section(role.rawValue) else { continue }
                try r.rejectUnknownKeys(allowed: ["max_discount_percent", "max_installments", "max_plan_days", "min_deposit_percent"])
                let old = authority[role]
                authority[role] = AuthorityLimits(
                    maxDiscount: try need(try r.percent("max_discount_percent", in: 0...100), r, "max_discount_percent", old?.maxDiscount),
                    maxInstallments: try need(try r.int("max_installments", in: 1...600), r, "max_installments", old?.maxInstallments),
                    maxPlanDays: try need(try r.int("max_plan_days", in: 1...36500), r, "max_plan_days", old?.maxPlanDays),
                    minDeposit: try need(try r.percent("min_deposit_percent", in: 0...100), r, "min_deposit_percent", old?.minDeposit))
            }
        }
        for role in Role.allCases where authority[role] == nil {
            throw doc.error("authority.\(role.rawValue)", "is required")
        }

        let g = try doc.section("agency")
        try g?.rejectUnknownKeys(allowed: ["contingency_fee_percent", "recovery_rate_percent", "monthly_decay_percent"])
        let agency = Agency(
            contingencyFee: try need(try g?.percent("contingency_fee_percent", in: 0...100), g, "contingency_fee_percent", base?.agency.contingencyFee),
            recoveryRate: try need(try g?.percent("recovery_rate_percent", in: 0...100), g, "recovery_rate_percent", base?.agency.recoveryRate),
            monthlyDecay: try need(try g?.percent("monthly_decay_percent", in: 0...100), g, "monthly_decay_percent", base?.agency.monthlyDecay))

        let f = try doc.section("fees")
        try f?.rejectUnknownKeys(allowed: ["late_fee_percent", "late_fee_minimum"])
        let fees = Fees(
            lateFee: try need(try f?.percent("late_fee_percent", in: 0...100), f, "late_fee_percent", base?.fees.lateFee),
            lateFeeMinimum: Int64(try need(try f?.int("late_fee_minimum", in: 0...1_000_000), f, "late_fee_minimum", base.map { Int($0.fees.lateFeeMinimum) })))

        let n = try doc.section("interest")
        try n?.rejectUnknownKeys(allowed: ["regime", "margin_percent", "reference_rates"])
        let regime = try need(try n?.string("regime"), n, "regime", base?.interest.regime)
        if !["none", "uk-late-payment"].contains(regime) {
            throw (n ?? doc).error("regime", "must be \"none\" or \"uk-late-payment\", found \"\(regime)\"")
        }
        var rates = base?.interest.referenceRates ?? []
        if let list = try n?.sections("reference_rates") {
            rates = []
            for entry in list {
                try entry.rejectUnknownKeys(allowed: ["from", "rate"])
                let from = try need(try entry.date("from"), entry, "from", nil)
                let rate = try need(try entry.percent("rate", in: 0...100), entry, "rate", nil)
                if let last = rates.last, last.from >= from {
                    throw entry.error("from", "reference rates must be in date order; \(from) does not come after \(last.from)")
                }
                rates.append(ReferenceRate(from: from, rate: rate))
            }
        }
        let interest = Interest(
            regime: regime,
            margin: try need(try n?.percent("margin_percent", in: 0...100), n, "margin_percent", base?.interest.margin),
            referenceRates: rates)

        let c = try doc.section("contact")
        try c?.rejectUnknownKeys(allowed: ["consumer_start_hour", "consumer_end_hour", "consumer_max_attempts_per_week", "validation_period_days", "business_start_hour", "business_end_hour", "business_max_attempts_per_week", "consumer_rules_for_business"])
        let contact = ContactRules(
            businessStartHour: try need(try c?.int("business_start_hour", in: 0...23), c, "business_start_hour", base?.contact.businessStartHour),
            businessEndHour: try need(try c?.int("business_end_hour", in: 1...24), c, "business_end_hour", base?.contact.businessEndHour),
            businessMaxAttemptsPerWeek: try need(try c?.int("business_max_attempts_per_week", in: 0...100), c, "business_max_attempts_per_week", base?.contact.businessMaxAttemptsPerWeek),
            consumerRulesForBusiness: try need(try c?.bool("consumer_rules_for_business"), c, "consumer_rules_for_business", base?.contact.consumerRulesForBusiness),
            consumerStartHour: try need(try c?.int("consumer_start_hour", in: 0...23), c, "consumer_start_hour", base?.contact.consumerStartHour),
            consumerEndHour: try need(try c?.int("consumer_end_hour", in: 1...24), c, "consumer_end_hour", base?.contact.consumerEndHour),
            consumerMaxAttemptsPerWeek: try need(try c?.int("consumer_max_attempts_per_week", in: 0...100), c, "consumer_max_attempts_per_week", base?.contact.consumerMaxAttemptsPerWeek),
            validationPeriodDays: try need(try c?.int("validation_period_days", in: 0...365), c, "validation_period_days", base?.contact.validationPeriodDays))
        if contact.businessStartHour >= contact.businessEndHour {
            throw (c ?? doc).error("business_end_hour", "must be after business_start_hour")
        }
        if contact.consumerStartHour >= contact.consumerEndHour {
            throw (c ?? doc).error("consumer_end_hour", "must be after consumer_start_hour")
        }

        var limitation = base?.limitationYears ?? [:]
        if let l = try doc.section("limitation_years") {
            for key in l.keys { limitation[key] = try l.int(key, in: 1...100) }
        }

        return Policy(escalation: escalation, promises: promises, installments: installments, authority: authority, agency: agency, fees: fees, interest: interest, contact: contact, limitationYears: limitation)
    }
}
