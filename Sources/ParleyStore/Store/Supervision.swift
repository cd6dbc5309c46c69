import Foundation
import ParleyCore

/// Someone who works cases: a collector, or a supervisor who also approves, reassigns, holds,
/// writes off and reopens. Operators are never deleted: a retired operator keeps their row, since
/// the log names them.
public struct Operator: Hashable, Codable, Sendable {
    public var name: String
    public var role: Role
    public var active: Bool
    public var createdAt: Date
    public var createdBy: String
    public var retiredAt: Date?
    public var retiredBy: String?

    public init(name: String, role: Role, active: Bool = true, createdAt: Date, createdBy: String, retiredAt: Date? = nil, retiredBy: String? = nil) {
        self.name = name
        self.role = role
        self.active = active
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.retiredAt = retiredAt
        self.retiredBy = retiredBy
    }

    /// The operator as the lifecycle sees them.
    public var actor: Actor { Actor(name: name, role: role) }

    /// A name an operator can have: not empty, no spaces or control characters, at most 64
    /// characters, and not `system` (the daily run's name in the log).
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name != Actor.system.name
            && !name.unicodeScalars.contains { CharacterSet.whitespacesAndNewlines.contains($0) || CharacterSet.controlCharacters.contains($0) }
    }
}

/// Why the store refused an operator, or refused an operator an action.
public enum OperatorError: Error, Hashable, CustomStringConvertible, Sendable {
    case unknown(String)
    case retired(String, on: Date?, by: String?)
    case supervisorOnly(operator: String, action: String)
    case alreadyExists(String, Role)
    case invalidName(String)
    case lastSupervisor(String)
    case firstMustBeSupervisor(String)

    public var description: String {
        switch self {
        case .unknown(let name):
            return "there is no operator \"\(name)\" in this database; a supervisor adds one with `parley operators add \(name) --role collector` (or --role supervisor)"
        case .retired(let name, let on, let by):
            let when = on.map { " on \($0.formatted(.iso8601))" } ?? ""
            let who = by.map { " by \($0)" } ?? ""
            return "operator \"\(name)\" was retired\(when)\(who); a supervisor can add them again with `parley operators add \(name) --role collector`"
        case .supervisorOnly(let name, let action):
            return "only a supervisor can \(action); \(name) is a collector"
        case .alreadyExists(let name, let role):
            return "operator \"\(name)\" already exists, as a \(role.rawValue)"
        case .invalidName(let name):
            return "\"\(name)\" cannot be an operator's name: use letters, digits and punctuation, no spaces, at most 64 characters, and not \"system\""
        case .lastSupervisor(let name):
            return "\(name) is the last active supervisor; add another supervisor before retiring them"
        case .firstMustBeSupervisor(let name):
            return "the first operator of a database must be a supervisor, so \(name) cannot be added as a collector yet"
        }
    }
}

/// An offer beyond a collector's authority, waiting for a supervisor.
public struct PendingApprovalEntry: Hashable, Codable, Sendable {
    public var accountID: String
    public var debtorName: String
    public var assignee: String?
    public var balance: Money
    public var arrangement: Arrangement
    /// The limits of the collector's authority the offer goes beyond, in words.
    public var exceeds: [String]
    public var requestedBy: String
    /// When the request was recorded (the latest `approval-requested` event of the case).
    public var requestedAt: Date?

    public init(accountID: String, debtorName: String, assignee: String?, balance: Money, arrangement: Arrangement, exceeds: [String], requestedBy: String, requestedAt: Date?) {
        self.accountID = accountID
        self.debtorName = debtorName
        self.assignee = assignee
        self.balance = balance
        self.arrangement = arrangement
        self.exceeds = exceeds
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
    }
}

/// A filter over the event log. Every field narrows it; dates are days of the recording instant
/// (UTC), both ends included.
public struct AuditQuery: Hashable, Sendable {
    public var accountID: String?
    public var operatorName: String?
    /// An `EventKind` raw value (`promise-made`, `written-off`, ...).
    public var kind: String?
    public var from: CivilDate?
    public var to: CivilDate?
    public var limit: Int

    public init(accountID: String? = nil, operatorName: String? = nil, kind: String? = nil, from: CivilDate? = nil, to: CivilDate? = nil, limit: Int = 200) {
        self.accountID = accountID
        self.operatorName = operatorName
        self.kind = kind
        self.from = from
        self.to = to
        self.limit = limit
    }

    /// Whether an event passes the filter (the SQL of a store does the same).
    public func matches(_ event: StoredEvent) -> Bool {
        if let accountID, event.accountID != accountID { return false }
        if let operatorName, event.actor.name != operatorName { return false }
        if let kind, event.kind != kind { return false }
        let day = CivilDate(utcInstant: event.at)
        if let from, day < from { return false }
        if let to, day > to { return false }
        return true
    }
}

/// The figures of a period for a supervisor; Docs/figures.md defines each one.
public struct PeriodFigures: Hashable, Codable, Sendable {
    public struct Bucket: Hashable, Codable, Sendable {
        public var bucket: String
        public var invoices: Int
        /// Outstanding amounts per currency.
        public var amounts: [Money]
    }

    /// Of the balance in `from` at the start, the share in the next bucket at the end.
    public struct RollRate: Hashable, Codable, Sendable {
        public var from: String
        public var to: String
        public var startBalance: Money
        public var rolled: Money
        /// rolled ÷ startBalance, 4 decimals, half-up; left out when the start balance is zero.
        public var rate: Decimal?
    }

    public struct Recovery: Hashable, Codable, Sendable {
        public var balanceAtStart: Money
        public var collected: Money
        /// collected ÷ balanceAtStart, 4 decimals, half-up; left out when the balance is zero.
        public var rate: Decimal?
    }

    public struct Promises: Hashable, Codable, Sendable {
        public var made: Int
        public var kept: Int
        public var broken: Int
        /// kept ÷ (kept + broken), 4 decimals, half-up; left out when no promise was settled.
        public var keptRate: Decimal?
    }

    public struct Collector: Hashable, Codable, Sendable {
        public var name: String
        /// The operator's role, when the name is an operator of the database.
        public var role: Role?
        public var accountsWorked: Int
        public var rightPartyContacts: Int
        public var promises: Int
        /// Payments in the period on the cases now assigned to them, per currency.
        public var collected: [Money]
    }

    public var from: CivilDate
    public var to: CivilDate
    /// Cases in the store now, and how they stand now (the projection).
    public var cases: Int
    public var byStage: [String: Int]
    public var byStatus: [String: Int]
    public var agingAtStart: [Bucket]
    public var agingAtEnd: [Bucket]
    public var rollRates: [RollRate]
    public var promises: Promises
    public var recovery: [Recovery]
    public var collectors: [Collector]

    /// numerator ÷ denominator rounded half-up to 4 decimals; nil when the denominator is zero.
    public static func rate(_ numerator: Int64, _ denominator: Int64) -> Decimal? {
        guard denominator != 0 else { return nil }
        var exact = Decimal(numerator) / Decimal(denominator)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 4, .plain)
        return rounded
    }
}
