import Foundation
import ParleyCore

/// An offer beyond a collector's authority, as the approvals overlay lists it.
public struct ApprovalRow: Hashable, Sendable {
    public var accountID: String
    public var debtorName: String
    public var balance: Money
    /// The offer in one line: "settlement of EUR 600.00 (40% off)".
    public var offer: String
    /// The limits of the collector's authority it goes beyond, in words.
    public var exceeds: [String]
    public var requestedBy: String
    public var requestedAt: Date?

    public init(accountID: String, debtorName: String, balance: Money, offer: String, exceeds: [String], requestedBy: String, requestedAt: Date? = nil) {
        self.accountID = accountID
        self.debtorName = debtorName
        self.balance = balance
        self.offer = offer
        self.exceeds = exceeds
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
    }
}

/// One event of the log, as the audit overlay shows it. Read only.
public struct AuditRow: Hashable, Sendable {
    public var at: Date
    public var accountID: String
    public var seq: Int
    public var actor: String
    public var role: String
    /// The event's kind as the log names it (`promise-made`, `written-off`, ...).
    public var kind: String
    public var summary: String

    public init(at: Date, accountID: String, seq: Int, actor: String, role: String, kind: String, summary: String) {
        self.at = at
        self.accountID = accountID
        self.seq = seq
        self.actor = actor
        self.role = role
        self.kind = kind
        self.summary = summary
    }
}

/// A supervisor's decision on one case. Every one carries the reason the operator typed
/// (approving may leave it empty).
public enum ReviewDecision: Hashable, Sendable {
    case approve(reason: String)
    case reject(reason: String)
    case reassign(to: String, reason: String)
    case hold(reason: String)
    case release(reason: String)
    case writeOff(reason: String)
    case reopen(reason: String)

    /// What was done, for the status line: "Approved", "Reassigned to bob".
    public var verb: String {
        switch self {
        case .approve: return "Approved the offer on"
        case .reject: return "Rejected the offer on"
        case .reassign(let to, _): return "Reassigned to \(to):"
        case .hold: return "Put on hold:"
        case .release: return "Released from hold:"
        case .writeOff: return "Wrote off"
        case .reopen: return "Reopened"
        }
    }
}

/// Why a decision was not recorded: the lifecycle's or the store's refusal, in its own words.
public struct ReviewRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What the supervisor overlays read and record. The store adapts itself to it
/// (`StoreDataSource+Supervisor.swift`); tests use `InMemoryDataSource`. A data source that
/// does not adopt it leaves the overlays saying so. Roles are enforced behind it, by the
/// lifecycle and the store: a collector's decision comes back as a `ReviewRefusal`.
public protocol SupervisorDataSource: AnyObject {
    /// The offers waiting for a supervisor, oldest request first.
    func pendingApprovals() throws -> [ApprovalRow]
    /// The period's figures as text lines (Docs/figures.md), both days included.
    func figureLines(from: CivilDate, to: CivilDate) throws -> [String]
    /// The event log newest first, of one account or (nil) of all.
    func auditLog(accountID: String?, limit: Int) throws -> [AuditRow]
    /// Records a decision on a case; returns where the case is now ("now settling/accepted"). Throws a
    /// `ReviewRefusal` when the lifecycle or the store refuses it.
    func recordDecision(_ decision: ReviewDecision, accountID: String) throws -> String
}
