import Foundation
import GRDB
import ParleyCore

/// The `operators` table, and the check every write by an operator goes through.
enum OperatorRows {
    static let columns = "name, role, active, created_at, created_by, retired_at, retired_by"

    static func all(db: Database) throws -> [Operator] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM operators ORDER BY name").map(decode)
    }

    static func find(_ name: String, db: Database) throws -> Operator? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM operators WHERE name = ?"), arguments: [name]).map(decode)
    }

    static func isEmpty(db: Database) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM operators") == 0
    }

    static func decode(_ row: Row) throws -> Operator {
        let name: String = row["name"]
        guard let role = Role(rawValue: row["role"]) else {
            throw StoreError.corruptRow(table: "operators", key: name, reason: "unreadable role")
        }
        let createdAt: String = row["created_at"]
        let retiredAt: String? = row["retired_at"]
        return Operator(name: name, role: role, active: row["active"],
                        createdAt: StoreCodec.instant(createdAt) ?? Date(timeIntervalSince1970: 0), createdBy: row["created_by"],
                        retiredAt: retiredAt.flatMap(StoreCodec.instant), retiredBy: row["retired_by"])
    }

    /// The actor a write acts as. A store that keeps no operators takes the actor as given (a
    /// store used as a library, or made before operators were kept). Otherwise the name must be
    /// an active operator, who acts with the role the store keeps, whatever role the caller
    /// claimed: a collector cannot pass as a supervisor. The daily run and the import act as
    /// `system`, which is not checked here (they do not come through this gate).
    static func authorize(_ actor: Actor, db: Database) throws -> Actor {
        if try isEmpty(db: db) { return actor }
        guard let found = try find(actor.name, db: db) else { throw OperatorError.unknown(actor.name) }
        guard found.active else { throw OperatorError.retired(found.name, on: found.retiredAt, by: found.retiredBy) }
        return found.actor
    }

    /// `authorize`, plus the supervisor's standing an action needs.
    static func authorizeSupervisor(_ actor: Actor, action: String, db: Database) throws -> Actor {
        let acting = try authorize(actor, db: db)
        guard acting.isSupervisor else { throw OperatorError.supervisorOnly(operator: acting.name, action: action) }
        return acting
    }

    /// A case can be given only to an active operator (when the store keeps operators).
    static func checkAssignable(_ name: String, db: Database) throws {
        if try isEmpty(db: db) {
            guard Operator.isValidName(name) else { throw OperatorError.invalidName(name) }
            return
        }
        guard let found = try find(name, db: db) else { throw OperatorError.unknown(name) }
        guard found.active else { throw OperatorError.retired(found.name, on: found.retiredAt, by: found.retiredBy) }
    }

    /// Checks an event's own operator references (the collector a case is reassigned to).
    static func checkEvent(_ event: CaseEvent, db: Database) throws {
        if case .reassigned(let to, let reason) = event {
            try checkAssignable(to, db: db)
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw StoreError.reasonRequired("a reassignment") }
        }
    }
}
