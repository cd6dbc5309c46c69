import Foundation
import GRDB
import ParleyCore

/// Operators, reassignment, approvals, the audit log and the period figures, in SQLite.
extension SQLiteCaseStore {
    public func operators() async throws -> [Operator] {
        try await read { db in try OperatorRows.all(db: db) }
    }

    @discardableResult
    public func addOperator(name: String, role: Role, by: Actor, at: Date) async throws -> Operator {
        let at = StoreCodec.wholeSecond(at)
        return try await write { db in
            if try OperatorRows.rules(db: db).checkAdd(name: name, role: role, by: by) != nil {
                try db.execute(sql: """
                    UPDATE operators SET role = ?, active = 1, created_at = ?, created_by = ?, retired_at = NULL, retired_by = NULL
                    WHERE name = ?
                    """, arguments: [role.rawValue, StoreCodec.timestamp(at), by.name, name])
            } else {
                try db.execute(sql: "INSERT INTO operators (\(OperatorRules.columns)) VALUES (?, ?, 1, ?, ?, NULL, NULL)",
                               arguments: [name, role.rawValue, StoreCodec.timestamp(at), by.name])
            }
            guard let added = try OperatorRows.find(name, db: db) else { throw OperatorError.unknown(name) }
            return added
        }
    }

    @discardableResult
    public func retireOperator(name: String, by: Actor, at: Date) async throws -> Operator {
        let at = StoreCodec.wholeSecond(at)
        return try await write { db in
            let acting = try OperatorRows.rules(db: db).checkRetire(name: name, by: by)
            try db.execute(sql: "UPDATE operators SET active = 0, retired_at = ?, retired_by = ? WHERE name = ?",
                           arguments: [StoreCodec.timestamp(at), acting.name, name])
            guard let retired = try OperatorRows.find(name, db: db) else { throw OperatorError.unknown(name) }
            return retired
        }
    }

    public func reassignAll(from: String, to: String, filter: String?, reason: String, actor: Actor, at: Date) async throws -> [StoredEvent] {
        let at = StoreCodec.wholeSecond(at)
        let policy = self.policy
        let context = self.context
        return try await write { db in
            let rules = try OperatorRows.rules(db: db)
            let acting = try rules.authorizeSupervisor(actor, action: "reassign cases")
            let event = CaseEvent.reassigned(to: to, reason: reason)
            try rules.checkEvent(event)
            var conditions = ["c.assignee = ?"]
            var arguments: StatementArguments = [from]
            if let (condition, values) = SQLiteQueue.matchCondition(filter: filter) {
                conditions.append(condition)
                arguments += values
            }
            let ids = try String.fetchAll(db, sql: "SELECT c.account_id FROM cases c WHERE \(conditions.joined(separator: " AND ")) ORDER BY c.account_id", arguments: arguments)
            let session = CaseSession(storage: SQLiteStorage(db: db), policy: policy, context: context)
            var written: [StoredEvent] = []
            for id in ids {
                written += try session.apply(event, accountID: id, actor: acting, at: at, day: CivilDate(utcInstant: at))
            }
            try session.writeProjections()
            TestHooks.pauseInsideTransactionIfAsked()
            return written
        }
    }

    public func pendingApprovals() async throws -> [PendingApprovalEntry] {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.account_id, c.debtor_name, c.assignee, c.balance_minor, c.currency,
                       json_extract(s.state, '$.pendingApproval') AS pending,
                       (SELECT MAX(e.at) FROM events e WHERE e.case_id = c.account_id AND e.kind = ?) AS requested_at
                FROM cases c JOIN case_states s ON s.case_id = c.account_id
                WHERE c.status NOT IN ('resolved', 'writtenOff') AND json_extract(s.state, '$.pendingApproval') IS NOT NULL
                ORDER BY requested_at, c.account_id
                """, arguments: [EventKind.approvalRequested.rawValue])
            return try rows.map { row in
                let pending = try StoreCodec.decode(CaseState.PendingApproval.self, from: row["pending"])
                let requestedAt: String? = row["requested_at"]
                return PendingApprovalEntry(
                    accountID: row["account_id"], debtorName: row["debtor_name"], assignee: row["assignee"],
                    balance: Money(minorUnits: row["balance_minor"], currency: try Currency(code: row["currency"])),
                    arrangement: pending.arrangement, exceeds: pending.exceeds, requestedBy: pending.requestedBy,
                    requestedAt: requestedAt.flatMap(StoreCodec.instant))
            }
        }
    }

    public func auditLog(_ query: AuditQuery) async throws -> [StoredEvent] {
        let (sql, arguments) = Self.auditSQL(query)
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Rows.storedEvent)
        }
    }

    /// The audit log's query for `query` and its arguments.
    static func auditSQL(_ query: AuditQuery) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let id = query.accountID { conditions.append("case_id = ?"); arguments += [id] }
        if let name = query.operatorName { conditions.append("actor = ?"); arguments += [name] }
        if let kind = query.kind {
            conditions.append("kind = ?")
            arguments += [kind]
            // Spelled out for a kind of work, so that SQLite reads it through its partial index
            // (at 200,000 accounts ten days after the import, a rare kind took 1.8 s read through
            // `events_by_at`).
            if !Schema.bulkKinds.contains(where: { $0.rawValue == kind }) { conditions.append(Schema.workKinds) }
        }
        if let from = query.from { conditions.append("at >= ?"); arguments += [from.iso] }
        if let to = query.to { conditions.append("at < ?"); arguments += [to.adding(days: 1).iso] }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return ("SELECT \(Rows.eventColumns) FROM events \(whereClause) ORDER BY at DESC, id DESC LIMIT ?", arguments + [max(0, query.limit)])
    }

    public func figures(from: CivilDate, to: CivilDate) async throws -> PeriodFigures {
        try await read { db in
            let queries = PeriodFigureQueries(dialect: .sqlite, from: from, to: to)
            var rows: [String: [Row]] = [:]
            for (name, sql) in queries.statements { rows[name] = try Row.fetchAll(db, sql: sql) }
            return try queries.figures(rows: rows, operators: try OperatorRows.all(db: db))
        }
    }
}
