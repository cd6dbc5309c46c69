import Foundation

/// The contact rules: whether a call, a letter, a script line or a placement is allowed for an
/// account, with reasons in plain words. Pure functions of their inputs; time is passed in.
///
/// Calls (`evaluateCall`):
/// - Status rules block with no `nextAllowed`, for every kind of debtor: a cease request, a
///   dispute awaiting verification, an attorney representing the debtor.
/// - Consumers (Regulation F, 12 CFR 1006.14): calls only inside [08:00, 21:00) local time —
///   a call at 21:00:00 exactly is blocked (the rule calls "after 9 p.m." inconvenient; Parley
///   keeps to the safe side of the boundary), 07:59 is blocked, 08:00 allowed; at most 7
///   attempts within any 7 consecutive local days (`CallOutcome.notConnected` is not an attempt);
///   no call within 7 days of a telephone conversation, its day being day one (a conversation on
///   Monday blocks through Sunday). Days are the debtor's local calendar days.
/// - Businesses: hours and weekly attempts from `policy.contact.business*`; with
///   `consumerRulesForBusiness` the consumer rules apply as well (the narrower of each limit).
/// - Unknown time zone: every time-bound rule must allow the call in every zone of the region or
///   country (`CallTimeZones`); the verdict says the zone was unknown.
/// - Warnings: the window closes within 30 minutes; this call would be the last or the one
///   before the last attempt allowed in 7 days; the debt is time-barred.
public enum ContactRulesEngine {
    /// A call this close to the end of the window is warned.
    public static let windowClosingWarningMinutes = 30
    /// How far ahead `nextAllowed` is searched. The time-bound rules depend on calls already
    /// made, so they all free up within 8 days of the last one.
    static let searchDays = 16

    // MARK: - Calls

    public static func evaluateCall(profile: ContactProfile, history: ContactHistory, at: Date, policy: Policy) -> ContactVerdict {
        let status = statusFindings(profile)
        if !status.isEmpty { return ContactVerdict(findings: status, nextAllowed: nil) }

        let zones: CallZones
        switch resolveZones(profile) {
        case .resolved(let resolved): zones = resolved
        case .unresolvable(let finding): return ContactVerdict(findings: [finding], nextAllowed: nil)
        }
        let limits = CallLimits(profile: profile, policy: policy)
        let calls = history.calls(about: profile.accountID)
        let check = CallCheck(zones: zones, limits: limits, calls: calls)

        var findings = check.blocks(at: at)
        if let note = zones.unknownNote { findings.append(note) }
        if findings.contains(where: { $0.severity == .block }) {
            return ContactVerdict(findings: findings, nextAllowed: check.nextAllowed(after: at))
        }

        findings += check.warnings(at: at)
        let today = zones.localDay(of: at, in: zones.zones[0])
        if let barred = timeBarredWarning(profile: profile, asOf: today, policy: policy) { findings.append(barred) }
        return ContactVerdict(findings: findings)
    }

    static func statusFindings(_ profile: ContactProfile) -> [ComplianceFinding] {
        var findings: [ComplianceFinding] = []
        if profile.ceased {
            findings.append(.block(.ceased, "the debtor asked us to stop communicating: no calls"))
        }
        if profile.disputedUnverified {
            findings.append(.block(.disputeUnverified, "the debt is disputed and not yet verified: no collection until verification is recorded"))
        }
        if profile.attorneyRepresented {
            findings.append(.block(.attorneyRepresented, "the debtor is represented by an attorney: contact the attorney, not the debtor"))
        }
        return findings
    }

    // MARK: - Letters, script lines, placement

    /// Whether a letter of this kind may be sent. With `text`, the rendered letter is also
    /// checked for threats of legal action against a time-barred debt.
    ///
    /// After a cease request only `.ceaseConfirmation` (collection stops, or a named remedy may or
    /// will be used). While a dispute awaits verification: no demand letters (reminder, final
    /// demand, agency notice). A time-barred debt gets no final demand (a letter before action
    /// threatens suit) and no text that threatens legal action. Warnings: attorney representation
    /// (address the letter to the attorney), a demand letter to a consumer with no validation
    /// notice sent or inside the validation period, a time-barred debt.
    public static func mayLetter(kind: LetterKind, profile: ContactProfile, asOf: CivilDate, policy: Policy, text: String? = nil) -> ComplianceVerdict {
        var findings: [ComplianceFinding] = []
        if profile.ceased && !kind.allowedAfterCease {
            findings.append(.block(.ceased, "the debtor asked us to stop communicating: only a letter confirming that collection stops, or naming a remedy we may or will use, may be sent"))
        }
        if profile.disputedUnverified && kind.demandsPayment {
            findings.append(.block(.disputeUnverified, "the debt is disputed and not yet verified: no \(kind.rawValue) letter until verification is recorded"))
        }
        if let barDate = timeBarDate(profile: profile, policy: policy), asOf >= barDate {
            if kind == .finalDemand {
                findings.append(.block(.timeBarred, "the debt is time-barred since \(barDate.iso): a letter before action would threaten suit"))
            } else if let text, case let threats = legalThreats(in: text), !threats.isEmpty {
                findings.append(.block(.timeBarred, "the debt is time-barred since \(barDate.iso): the letter threatens legal action (\(quoted(threats)))"))
            } else {
                findings.append(.warning(.timeBarred, "the debt is time-barred since \(barDate.iso): do not threaten legal action"))
            }
        }
        if profile.attorneyRepresented {
            findings.append(.warning(.attorneyRepresented, "the debtor is represented by an attorney: address the letter to the attorney"))
        }
        if profile.kind == .consumer && kind.demandsPayment {
            if let sent = profile.validationNoticeSent {
                let period = ValidationPeriod(sentOn: sent, days: policy.contact.validationPeriodDays)
                if period.contains(asOf) {
                    findings.append(.warning(.validationPeriod, "the validation period runs until \(period.endsOn.iso): the letter must not overshadow the debtor's right to dispute"))
                }
            } else {
                findings.append(.warning(.validationNoticeMissing, "no validation notice has been sent to this consumer"))
            }
        }
        return ComplianceVerdict(findings: findings)
    }

    /// Whether a script line or any other text may be said or sent: blocked when the debt is
    /// time-barred and the text threatens legal action.
    public static func mayUse(text: String, profile: ContactProfile, asOf: CivilDate, policy: Policy) -> ComplianceVerdict {
        guard let barDate = timeBarDate(profile: profile, policy: policy), asOf >= barDate else {
            return ComplianceVerdict(findings: [])
        }
        let threats = legalThreats(in: text)
        guard !threats.isEmpty else { return ComplianceVerdict(findings: []) }
        return ComplianceVerdict(findings: [.block(.timeBarred, "the debt is time-barred since \(barDate.iso): the text threatens legal action (\(quoted(threats)))")])
    }

    /// Whether the account may be placed with a collection agency on `asOf`. Blocked while a
    /// dispute awaits verification; for a consumer, blocked until a validation notice has been
    /// sent and its validation period has ended (`earliestDate`: the day after the period).
    /// Warnings: a cease request (the agency must honour it), a time-barred debt.
    public static func mayPlaceWithAgency(profile: ContactProfile, asOf: CivilDate, policy: Policy) -> ComplianceVerdict {
        var findings: [ComplianceFinding] = []
        var earliest: CivilDate?
        if profile.disputedUnverified {
            findings.append(.block(.disputeUnverified, "the debt is disputed and not yet verified: no placement until verification is recorded"))
        }
        if profile.kind == .consumer {
            if let period = validationPeriod(profile: profile, policy: policy) {
                if asOf <= period.endsOn {
                    findings.append(.block(.validationPeriod, "the validation period (notice sent \(period.sentOn.iso), assumed received \(period.assumedReceipt.iso)) runs until \(period.endsOn.iso): no placement before \(period.firstDayAfter.iso)"))
                    if !profile.disputedUnverified { earliest = period.firstDayAfter }
                }
            } else {
                findings.append(.block(.validationNoticeMissing, "no validation notice has been sent to this consumer: send one and wait out its validation period"))
            }
        }
        if profile.ceased {
            findings.append(.warning(.ceased, "the debtor asked us to stop communicating: the agency must honour the request"))
        }
        if let barred = timeBarredWarning(profile: profile, asOf: asOf, policy: policy) { findings.append(barred) }
        return ComplianceVerdict(findings: findings, earliestDate: earliest)
    }

    /// The consumer's validation period, when a notice has been sent.
    public static func validationPeriod(profile: ContactProfile, policy: Policy) -> ValidationPeriod? {
        profile.validationNoticeSent.map { ValidationPeriod(sentOn: $0, days: policy.contact.validationPeriodDays) }
    }

    // MARK: - Time-barred debts

    /// The day the limitation clock started: the later of the last payment and the oldest due date.
    public static func limitationStart(profile: ContactProfile) -> CivilDate? {
        [profile.lastPaymentDate, profile.oldestDueDate].compactMap { $0 }.max()
    }

    /// The first day the debt is time-barred: the limitation start plus the jurisdiction's years
    /// (`policy.limitationYears(country:region:)`). Nil when there is no start or no rule.
    public static func timeBarDate(profile: ContactProfile, policy: Policy) -> CivilDate? {
        guard let start = limitationStart(profile: profile),
              let years = policy.limitationYears(country: profile.country, region: profile.region) else { return nil }
        return start.adding(months: years * 12)
    }

    /// Whether the debt is time-barred on `asOf` (from the anniversary day on).
    public static func isTimeBarred(profile: ContactProfile, asOf: CivilDate, policy: Policy) -> Bool {
        guard let barDate = timeBarDate(profile: profile, policy: policy) else { return false }
        return asOf >= barDate
    }

    static func timeBarredWarning(profile: ContactProfile, asOf: CivilDate, policy: Policy) -> ComplianceFinding? {
        guard let barDate = timeBarDate(profile: profile, policy: policy), asOf >= barDate else { return nil }
        return .warning(.timeBarred, "the debt is time-barred since \(barDate.iso): do not threaten suit or legal action")
    }

    static func quoted(_ phrases: [String]) -> String {
        phrases.map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
