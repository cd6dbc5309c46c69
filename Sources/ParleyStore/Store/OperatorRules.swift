import Foundation
import ParleyCore

/// The operator checks every write goes through, the same for both databases: a backend reads
/// the `operators` table (a few rows) inside its transaction and asks these.
struct OperatorRules {
    static let columns = "name, role, active, created_at, created_by, retired_at, retired_by"

    /// Every operator, by name.
    let all: [Operator]

    static func decode(_ row: some StoreRow) throws -> Operator {
        let name = try row.text("name")
        guard let role = Role(rawValue: try row.text("role")) else {
            throw StoreError.corruptRow(table: "operators", key: name, reason: "unreadable role")
        }
        return Operator(name: name, role: role, active: try row.flag("active"),
                        createdAt: StoreCodec.instant(try row.text("created_at")) ?? Date(timeIntervalSince1970: 0), createdBy: try row.text("created_by"),
                        retiredAt: try row.optionalText("retired_at").flatMap(StoreCodec.instant), retiredBy: try row.optionalText("retired_by"))
    }

    func find(_ name: String) -> Operator? { all.first { $0.name == name } }

    /// The actor a write acts as. A store that keeps no operators takes the actor as given (a
    /// store used as a library, or made before operators were kept). Otherwise the name must be
    /// an active operator, who acts with the role the store keeps, whatever role the caller
    /// claimed: a collector cannot pass as a supervisor. The daily run and the import act as
    /// `system` and do not come through here.
    func authorize(_ actor: Actor) throws -> Actor {
        if all.isEmpty { return actor }
        guard let found = find(actor.name) else { throw OperatorError.unknown(actor.name) }
        guard found.active else { throw OperatorError.retired(found.name, on: found.retiredAt, by: found.retiredBy) }
        return found.actor
    }

    /// `authorize`, plus the supervisor's standing an action needs.
    func authorizeSupervisor(_ actor: Actor, action: String) throws -> Actor {
        let acting = try authorize(actor)
        guard acting.isSupervisor else { throw OperatorError.supervisorOnly(operator: acting.name, action: action) }
        return acting
    }

    /// A case can be given only to an active operator (when the store keeps operators).
    func checkAssignable(_ name: String) throws {
        if all.isEmpty {
            guard Operator.isValidName(name) else { throw OperatorError.invalidName(name) }
            return
        }
        guard let found = find(name) else { throw OperatorError.unknown(name) }
        guard found.active else { throw OperatorError.retired(found.name, on: found.retiredAt, by: found.retiredBy) }
    }

    /// Checks an event's own operator references (the collector a case is reassigned to).
    func checkEvent(_ event: CaseEvent) throws {
        if case .reassigned(let to, let reason) = event {
            try checkAssignable(to)
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw StoreError.reasonRequired("a reassignment") }
        }
    }

    /// Whether `by` may add `name` as `role`: the existing row, if the name is retired (to
    /// bring back), else nil for a new row.
    func checkAdd(name: String, role: Role, by: Actor) throws -> Operator? {
        guard Operator.isValidName(name) else { throw OperatorError.invalidName(name) }
        if all.isEmpty {
            guard role == .supervisor else { throw OperatorError.firstMustBeSupervisor(name) }
        } else {
            _ = try authorizeSupervisor(by, action: "add operators")
        }
        guard let existing = find(name) else { return nil }
        guard !existing.active else { throw OperatorError.alreadyExists(name, existing.role) }
        return existing
    }

    /// Whether `by` may retire `name`; returns the acting supervisor.
    func checkRetire(name: String, by: Actor) throws -> Actor {
        let acting = try authorizeSupervisor(by, action: "retire operators")
        guard let existing = find(name) else { throw OperatorError.unknown(name) }
        guard existing.active else { throw OperatorError.retired(name, on: existing.retiredAt, by: existing.retiredBy) }
        if existing.role == .supervisor, all.filter({ $0.active && $0.role == .supervisor }).count < 2 {
            throw OperatorError.lastSupervisor(name)
        }
        return acting
    }
}
