import Foundation
import ParleyCore
import ParleyStore

/// The store behind the supervisor overlays: approvals, figures, the audit log, and decisions
/// recorded as the operator of the workbench (the store enforces the role).
extension StoreDataSource: SupervisorDataSource {
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

    public func recordDecision(_ decision: ReviewDecision, accountID: String) throws -> String {
        let store = self.store, actor = self.actor, at = clock(), base = lettersBase
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
            let (record, files) = try Blocking.run { () async throws -> (CaseRecord, [String]) in
                var last: RecordOutcome?
                var agreement = false
                for event in events {
                    let outcome = try await store.record(event, accountID: accountID, actor: actor, at: at)
                    if outcome.effects.contains(where: { if case .produceAgreement = $0 { return true } else { return false } }) { agreement = true }
                    last = outcome
                }
                // The agreement letter, as `parley approve` writes it.
                let files = agreement ? try await LetterFiles.write(store, on: CivilDate(utcInstant: at), base: base, templates: nil, accountID: accountID) : []
                return (last!.record, files)
            }
            var line = "now \(record.stage.rawValue)/\(record.status.label)"
            if let file = files.last(where: { $0.contains("agreement") }) ?? files.last { line += "; agreement written to \(file)" }
            return line
        } catch StoreError.refused(_, let refusal) {
            throw ReviewRefusal("refused: \(refusal.message)")
        } catch StoreError.unknownAccount(let id) {
            throw ReviewRefusal("there is no account \(id)")
        } catch let error as OperatorError {
            throw ReviewRefusal("refused: \(error.description)")
        } catch let error as StoreError {
            throw ReviewRefusal("not recorded: \(failureText(error))")
        }
    }

    private static func note(_ what: String, _ reason: String) -> [CaseEvent] {
        let text = reason.trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? [] : [.note("\(what): \(text)")]
    }
}
