import Foundation
import GRDB
import ParleyCore

/// The `operators` table in SQLite.
enum OperatorRows {
    static func all(db: Database) throws -> [Operator] {
        try Row.fetchAll(db, sql: "SELECT \(OperatorRules.columns) FROM operators ORDER BY name").map(OperatorRules.decode)
    }

    /// The rules over the operators as this transaction sees them.
    static func rules(db: Database) throws -> OperatorRules {
        OperatorRules(all: try all(db: db))
    }

    static func find(_ name: String, db: Database) throws -> Operator? {
        try Row.fetchOne(db, sql: "SELECT \(OperatorRules.columns) FROM operators WHERE name = ?", arguments: [name]).map(OperatorRules.decode)
    }
}
