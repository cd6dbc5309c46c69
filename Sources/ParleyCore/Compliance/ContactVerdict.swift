import Foundation

/// The contact rules' answer for one proposed contact (a call at a moment): allowed, allowed
/// with warnings, or blocked — with the reasons in plain words and, when blocked, the earliest
/// moment the next call would be allowed.
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

    public init(decision: Decision, reasons: [String] = [], nextAllowed: Date? = nil) {
        self.decision = decision
        self.reasons = reasons
        self.nextAllowed = nextAllowed
    }

    public static let allowed = ContactVerdict(decision: .allowed)
    public var isBlocked: Bool { decision == .blocked }
}
