import Foundation

/// The contact rules' answer for one proposed contact (a call at a moment): allowed, allowed
/// with warnings, or blocked — with the reasons in plain words and, when blocked, the earliest
/// moment the next call would be allowed.
///
/// JSON: `{"decision": "allowed"|"warned"|"blocked", "reasons": ["..."], "findings":
/// [{"rule": "call-hours", "severity": "block"|"warning", "message": "..."}],
/// "nextAllowed": "2026-03-09T12:00:00Z"}` (`nextAllowed` absent when not blocked or when only
/// a change of status would allow a call). `reasons` are the findings' messages in order.
public struct ContactVerdict: Hashable, Sendable, Codable {
    public enum Decision: String, Hashable, Sendable, Codable {
        case allowed
        case warned
        case blocked
    }

    public var decision: Decision
    public var reasons: [String]
    /// Earliest instant a call would be allowed (nil when allowed now or never without a change
    /// of status, such as a cease request).
    public var nextAllowed: Date?
    /// The rule behind each reason, with its severity (same order as `reasons`).
    public var findings: [ComplianceFinding]

    public init(decision: Decision, reasons: [String] = [], nextAllowed: Date? = nil) {
        self.decision = decision
        self.reasons = reasons
        self.nextAllowed = nextAllowed
        self.findings = []
    }

    /// A verdict decided by its findings: blocked when one blocks, warned when one warns.
    /// Blocking findings come first.
    public init(findings: [ComplianceFinding], nextAllowed: Date? = nil) {
        let ordered = findings.filter { $0.severity == .block } + findings.filter { $0.severity == .warning }
        self.decision = Decision(findings: ordered)
        self.findings = ordered
        self.reasons = ordered.map(\.message)
        self.nextAllowed = decision == .blocked ? nextAllowed : nil
    }

    public static let allowed = ContactVerdict(decision: .allowed)
    public var isBlocked: Bool { decision == .blocked }

    /// The rules that block the call.
    public var blockingRules: [ComplianceRule] { findings.filter { $0.severity == .block }.map(\.rule) }

    enum CodingKeys: String, CodingKey {
        case decision, reasons, nextAllowed, findings
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        decision = try c.decode(Decision.self, forKey: .decision)
        reasons = try c.decodeIfPresent([String].self, forKey: .reasons) ?? []
        nextAllowed = try c.decodeIfPresent(Date.self, forKey: .nextAllowed)
        findings = try c.decodeIfPresent([ComplianceFinding].self, forKey: .findings) ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(decision, forKey: .decision)
        try c.encode(reasons, forKey: .reasons)
        try c.encodeIfPresent(nextAllowed, forKey: .nextAllowed)
        try c.encode(findings, forKey: .findings)
    }
}
