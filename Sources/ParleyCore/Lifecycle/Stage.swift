/// The escalation ladder a case climbs as it ages: reminder → call → letter → agency.
public enum Stage: String, Codable, Sendable, CaseIterable, Comparable {
    case reminder
    case call
    case letter
    case agency

    public var next: Stage? {
        switch self {
        case .reminder: return .call
        case .call: return .letter
        case .letter: return .agency
        case .agency: return nil
        }
    }

    public static func < (a: Stage, b: Stage) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

    /// Days past due at which the policy starts this stage.
    public func threshold(in policy: Policy) -> Int {
        switch self {
        case .reminder: return policy.escalation.reminderDays
        case .call: return policy.escalation.callDays
        case .letter: return policy.escalation.letterDays
        case .agency: return policy.escalation.agencyDays
        }
    }
}

/// Where a case stands, apart from its stage.
public enum Status: String, Codable, Sendable, CaseIterable {
    case open
    case promised
    case onPlan
    case settling
    case disputed
    case ceased
    /// Hardship, bankruptcy or a supervisor's hold.
    case paused
    /// With a collection agency.
    case placed
    /// Paid or settled.
    case resolved
    case writtenOff

    public var isClosed: Bool { self == .resolved || self == .writtenOff }

    /// Words for a collector: "on a plan", "written off".
    public var label: String {
        switch self {
        case .open: return "open"
        case .promised: return "promised"
        case .onPlan: return "on a plan"
        case .settling: return "settling"
        case .disputed: return "disputed"
        case .ceased: return "ceased"
        case .paused: return "on hold"
        case .placed: return "with agency"
        case .resolved: return "resolved"
        case .writtenOff: return "written off"
        }
    }
}
