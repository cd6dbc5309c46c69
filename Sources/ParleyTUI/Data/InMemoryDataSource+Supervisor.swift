import Foundation
import ParleyCore

/// What an `InMemoryDataSource` keeps for the supervisor overlays. Like the store, it refuses a
/// collector's decisions (with the lifecycle's words) and records a supervisor's in its log.
public struct InMemorySupervision: Sendable {
    public var approvals: [ApprovalRow] = []
    public var figureLines: [String] = []
    /// Newest first, as the audit overlay shows it.
    public var log: [AuditRow] = []
    /// Every decision recorded, oldest first.
    public var decisions: [(decision: ReviewDecision, accountID: String)] = []
    /// The instant decisions are logged at.
    public var now = Date(timeIntervalSince1970: 1_795_435_200)

    public init() {}
}

extension InMemoryDataSource: SupervisorDataSource {
    public func pendingApprovals() throws -> [ApprovalRow] { supervision.approvals }

    public func figureLines(from: CivilDate, to: CivilDate) throws -> [String] { supervision.figureLines }

    public func auditLog(accountID: String?, limit: Int) throws -> [AuditRow] {
        Array(supervision.log.filter { accountID == nil || $0.accountID == accountID }.prefix(limit))
    }

    public func recordDecision(_ decision: ReviewDecision, accountID: String) throws -> String {
        let context = workbenchContext
        guard context.role == .supervisor else {
            throw ReviewRefusal("refused: only a supervisor may do that; \(context.operatorName) is a collector")
        }
        guard entries.contains(where: { $0.detail.accountID == accountID }) else { throw ReviewRefusal("there is no account \(accountID)") }
        let kind: String
        let status: String
        switch decision {
        case .approve:
            guard supervision.approvals.contains(where: { $0.accountID == accountID }) else {
                throw ReviewRefusal("refused: no offer is waiting for approval on \(accountID)")
            }
            supervision.approvals.removeAll { $0.accountID == accountID }
            kind = "approval-granted"; status = "settling"
        case .reject(let reason):
            supervision.approvals.removeAll { $0.accountID == accountID }
            kind = "approval-denied: \(reason)"; status = "open"
        case .reassign(let to, _): kind = "reassigned to \(to)"; status = "open"
        case .hold: kind = "hold"; status = "held"
        case .release: kind = "release"; status = "open"
        case .writeOff: kind = "written-off"; status = "written off"
        case .reopen: kind = "reopened"; status = "open"
        }
        supervision.decisions.append((decision, accountID))
        let seq = supervision.log.filter { $0.accountID == accountID }.count + 1
        supervision.log.insert(AuditRow(at: supervision.now, accountID: accountID, seq: seq, actor: context.operatorName,
                                        role: context.role.rawValue, kind: kind, summary: kind), at: 0)
        return "now \(status)"
    }
}
