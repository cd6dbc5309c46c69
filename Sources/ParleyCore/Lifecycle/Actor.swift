/// What an operator may do: collectors work cases; supervisors also approve, write off, reopen,
/// hold and override.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    case collector
    case supervisor

    public static func < (a: Role, b: Role) -> Bool { a == .collector && b == .supervisor }
}

/// Who caused an event. Every event carries one; the system itself acts for time passing.
public struct Actor: Hashable, Codable, Sendable, CustomStringConvertible {
    public var name: String
    public var role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }

    /// The daily run and other automatic steps act with a supervisor's standing but are named
    /// "system" in the log.
    public static let system = Actor(name: "system", role: .supervisor)

    public var isSupervisor: Bool { role == .supervisor }
    public var description: String { "\(name) (\(role.rawValue))" }
}
