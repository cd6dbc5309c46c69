/// Which contact rule produced a finding. Raw values are stable: they appear in JSON output
/// (`parley can-call --format json`) and scripts may match on them.
public enum ComplianceRule: String, Hashable, Sendable, Codable, CaseIterable {
    /// The debtor asked that communication stop (cease).
    case ceased = "ceased"
    /// A dispute is open and verification has not been recorded.
    case disputeUnverified = "dispute-unverified"
    /// The debtor is represented by an attorney: no direct contact.
    case attorneyRepresented = "attorney-represented"
    /// The call falls outside the allowed local hours (or close to their end: a warning).
    case callHours = "call-hours"
    /// The debtor's time zone is not recorded; the hours were checked against every zone of the
    /// country or region.
    case timeZoneUnknown = "time-zone-unknown"
    /// Too many call attempts within 7 consecutive days (or close to the limit: a warning).
    case attemptFrequency = "attempt-frequency"
    /// A telephone conversation took place within the last 7 days (its day being day one).
    case conversationWait = "conversation-wait"
    /// The debt is time-barred: nothing may threaten legal action.
    case timeBarred = "time-barred"
    /// The consumer's validation period has not ended.
    case validationPeriod = "validation-period"
    /// No validation notice has been sent to a consumer.
    case validationNoticeMissing = "validation-notice-missing"
}

/// One rule's say about a proposed contact: it blocks it, or it allows it with a warning.
public struct ComplianceFinding: Hashable, Sendable, Codable {
    public enum Severity: String, Hashable, Sendable, Codable {
        case block
        case warning
    }

    public var rule: ComplianceRule
    public var severity: Severity
    /// Plain words for the collector.
    public var message: String

    public init(rule: ComplianceRule, severity: Severity, message: String) {
        self.rule = rule
        self.severity = severity
        self.message = message
    }

    static func block(_ rule: ComplianceRule, _ message: String) -> ComplianceFinding {
        ComplianceFinding(rule: rule, severity: .block, message: message)
    }

    static func warning(_ rule: ComplianceRule, _ message: String) -> ComplianceFinding {
        ComplianceFinding(rule: rule, severity: .warning, message: message)
    }
}

extension ContactVerdict.Decision {
    /// Blocked when any finding blocks, warned when any warns, allowed otherwise.
    init(findings: [ComplianceFinding]) {
        if findings.contains(where: { $0.severity == .block }) {
            self = .blocked
        } else if findings.isEmpty {
            self = .allowed
        } else {
            self = .warned
        }
    }
}

/// The rules' answer for a contact that is not a call at a moment: a letter, a script line, a
/// placement with an agency. Day-based, so the earliest permitted day is a `CivilDate`.
///
/// JSON: `{"decision": "blocked", "reasons": [...], "findings": [{"rule", "severity",
/// "message"}], "earliestDate": "2027-01-01"}` (`earliestDate` absent when allowed now or
/// when only a change of status would allow it).
public struct ComplianceVerdict: Hashable, Sendable, Codable {
    public var decision: ContactVerdict.Decision
    /// The findings' messages, blocking ones first.
    public var reasons: [String]
    public var findings: [ComplianceFinding]
    /// First day the action would be allowed, when only time stands in the way.
    public var earliestDate: CivilDate?

    public init(findings: [ComplianceFinding], earliestDate: CivilDate? = nil) {
        let ordered = findings.filter { $0.severity == .block } + findings.filter { $0.severity == .warning }
        self.decision = ContactVerdict.Decision(findings: ordered)
        self.findings = ordered
        self.reasons = ordered.map(\.message)
        self.earliestDate = decision == .blocked ? earliestDate : nil
    }

    public var isBlocked: Bool { decision == .blocked }
    public var isAllowed: Bool { decision != .blocked }
}
