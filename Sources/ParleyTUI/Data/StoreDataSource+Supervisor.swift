import Foundation
import ParleyCore
import ParleyStore

/// The store behind the supervisor overlays: approvals, figures, the audit log, and decisions
/// recorded as the operator of the workbench (the store enforces the role).
extension StoreDataSource: SupervisorDataSource {
    var reviewer: Actor { Actor(name: workbenchContext.operatorName, role: workbenchContext.role) }

    public func pendingApprovals() throws -> [ApprovalRow] {
        let store = self.store
        return try Blocking.run { try await store.pendingApprovals() }.map { entry in
            ApprovalRow(accountID: entry.accountID, debtorName: entry.debtorName, balance: entry.balance,
                        offer: entry.arrangement.summary, exceeds: entry.exceeds, requestedBy: entry.requestedBy,
                        requestedAt: entry.requestedAt)
        }
    }

    public func figureLines(from: CivilDate, to: CivilDate) throws -> [String] {
        let store = self.store
        return ReportText.lines(try Blocking.run { try await store.figures(from: from, to: to) })
    }

    public func auditLog(accountID: String?, limit: Int) throws -> [AuditRow] {
        let store = self.store, query = AuditQuery(accountID: accountID, limit: limit)
        return try Blocking.run { try await store.auditLog(query) }.map { event in
            AuditRow(at: event.at, accountID: event.accountID, seq: event.seq, actor: event.actor.name,
                     role: event.actor.role.rawValue, kind: event.kind, summary: event.event.summary)
        }
    }

    public func record(_ decision: ReviewDecision, accountID: String) throws -> String {
        let store = self.store, actor = reviewer, at = clock(), after = afterApproval
        let events: [CaseEvent]
        switch decision {
        case .approve(let reason): events = [.approvalGranted] + Self.note("approval", reason)
        case .reject(let reason): events = [.approvalDenied(reason: reason)]
        case .reassign(let to, let reason): events = [.reassigned(to: to, reason: reason)]
        case .hold(let reason): events = [.hold(reason: reason)]
        case .release(let reason): events = [.release] + Self.note("release", reason)
        case .writeOff(let reason): events = [.writtenOff(reason: reason)]
        case .reopen(let reason): events = [.reopened(reason: reason)]
        }
        do {
            let (record, agreement) = try Blocking.run { () async throws -> (CaseRecord, Bool) in
                var last: RecordOutcome?
                var agreement = false
                for event in events {
                    let outcome = try await store.record(event, accountID: accountID, actor: actor, at: at)
                    if outcome.effects.contains(where: { if case .produceAgreement = $0 { return true } else { return false } }) { agreement = true }
                    last = outcome
                }
                return (last!.record, agreement)
            }
            var line = "now \(record.stage.rawValue)/\(record.status.label)"
            if agreement, let after {
                let files = try Blocking.run { try await after(accountID) }
                if let file = files.first { line += "; agreement written to \(file)" }
            }
            return line
        } catch StoreError.refused(_, let refusal) {
            throw ReviewRefusal("refused: \(refusal.message)")
        } catch StoreError.unknownAccount(let id) {
            throw ReviewRefusal("there is no account \(id)")
        } catch let error as OperatorError {
            throw ReviewRefusal("refused: \(error.description)")
        } catch let error as StoreError {
            throw ReviewRefusal("not recorded: \(error.description)")
        }
    }

    private static func note(_ what: String, _ reason: String) -> [CaseEvent] {
        let text = reason.trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? [] : [.note("\(what): \(text)")]
    }
}
