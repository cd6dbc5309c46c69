import Foundation
import ParleyCore
import PostgresNIO

/// Operators, reassignment, approvals, the audit log and the period figures, in PostgreSQL.
extension PostgresCaseStore {
    /// The operators as this transaction sees them (the table is a few rows).
    func operatorRules(in tx: PostgresTransaction) async throws -> OperatorRules {
        OperatorRules(all: try await tx.rows("SELECT \(OperatorRules.columns) FROM operators ORDER BY name").map(OperatorRules.decode))
    }

    public func operators() async throws -> [Operator] {
        try await read { tx in try await self.operatorRules(in: tx).all }
    }

    @discardableResult
    public func addOperator(name: String, role: Role, by: Actor, at: Date) async throws -> Operator {
        let at = StoreCodec.timestamp(at)
        return try await transaction { tx in
            try await tx.execute("LOCK TABLE operators IN EXCLUSIVE MODE")
            if try await self.operatorRules(in: tx).checkAdd(name: name, role: role, by: by) != nil {
                try await tx.execute("""
                    UPDATE operators SET role = $1, active = TRUE, created_at = $2, created_by = $3, retired_at = NULL, retired_by = NULL
                    WHERE name = $4
                    """, [role.rawValue, at, by.name, name])
            } else {
                try await tx.execute("INSERT INTO operators (\(OperatorRules.columns)) VALUES ($1, $2, TRUE, $3, $4, NULL, NULL)",
                                     [name, role.rawValue, at, by.name])
            }
            guard let added = try await self.operatorRules(in: tx).find(name) else { throw OperatorError.unknown(name) }
            return added
        }
    }

    @discardableResult
    public func retireOperator(name: String, by: Actor, at: Date) async throws -> Operator {
        let at = StoreCodec.timestamp(at)
        return try await transaction { tx in
            try await tx.execute("LOCK TABLE operators IN EXCLUSIVE MODE")
            let acting = try await self.operatorRules(in: tx).checkRetire(name: name, by: by)
            try await tx.execute("UPDATE operators SET active = FALSE, retired_at = $1, retired_by = $2 WHERE name = $3", [at, acting.name, name])
            guard let retired = try await self.operatorRules(in: tx).find(name) else { throw OperatorError.unknown(name) }
            return retired
        }
    }

    public func reassignAll(from: String, to: String, filter: String?, reason: String, actor: Actor, at: Date) async throws -> [StoredEvent] {
        let at = StoreCodec.wholeSecond(at)
        return try await transaction { tx in
            let rules = try await self.operatorRules(in: tx)
            let acting = try rules.authorizeSupervisor(actor, action: "reassign cases")
            let event = CaseEvent.reassigned(to: to, reason: reason)
            try rules.checkEvent(event)
            var conditions = ["assignee = $1"]
            var values: [any SQLBindable] = [from]
            func bind(_ value: any SQLBindable) -> String {
                values.append(value)
                return "$\(values.count)"
            }
            if let condition = PostgresCaseStore.matchCondition(filter: filter, bind: bind) { conditions.append(condition) }
            let ids = try await tx.rows("SELECT account_id FROM cases WHERE \(conditions.joined(separator: " AND ")) ORDER BY account_id", values)
                .map { try $0.text("account_id") }
            guard !ids.isEmpty else { return [] }
            let (storage, session) = try await self.session(for: ids, in: tx)
            var written: [StoredEvent] = []
            for id in ids {
                written += try session.apply(event, accountID: id, actor: acting, at: at, day: CivilDate(utcInstant: at))
            }
            try session.writeProjections()
            let numbers = try await storage.flush(in: tx)
            return Self.numbered(written, numbers)
        }
    }

    public func pendingApprovals() async throws -> [PendingApprovalEntry] {
        try await read { tx in
            let rows = try await tx.rows("""
                SELECT c.account_id, c.debtor_name, c.assignee, c.balance_minor, c.currency,
                       (CAST(c.state AS jsonb) -> 'pendingApproval')::text AS pending,
                       (SELECT MAX(e.at) FROM events e WHERE e.case_id = c.account_id AND e.kind = $1) AS requested_at
                FROM cases c
                WHERE c.status NOT IN ('resolved', 'writtenOff') AND (CAST(c.state AS jsonb) -> 'pendingApproval') IS NOT NULL
                ORDER BY requested_at, c.account_id
                """, [EventKind.approvalRequested.rawValue])
            return try rows.map { row in
                let pending = try StoreCodec.decode(CaseState.PendingApproval.self, from: row.text("pending"))
                return PendingApprovalEntry(
                    accountID: try row.text("account_id"), debtorName: try row.text("debtor_name"), assignee: try row.optionalText("assignee"),
                    balance: Money(minorUnits: try row.integer("balance_minor"), currency: try Currency(code: row.text("currency"))),
                    arrangement: pending.arrangement, exceeds: pending.exceeds, requestedBy: pending.requestedBy,
                    requestedAt: try row.optionalText("requested_at").flatMap(StoreCodec.instant))
            }
        }
    }

    public func auditLog(_ query: AuditQuery) async throws -> [StoredEvent] {
        try await read { tx in
            var conditions: [String] = []
            var values: [any SQLBindable] = []
            func add(_ condition: String, _ value: String) {
                values.append(value)
                conditions.append(condition.replacingOccurrences(of: "?", with: "$\(values.count)"))
            }
            if let id = query.accountID { add("case_id = ?", id) }
            if let name = query.operatorName { add("actor = ?", name) }
            if let kind = query.kind { add("kind = ?", kind) }
            if let from = query.from { add("at >= ?", from.iso) }
            if let to = query.to { add("at < ?", to.adding(days: 1).iso) }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            values.append(max(0, query.limit))
            return try await tx.rows("SELECT \(RowDecoding.eventColumns) FROM events \(whereClause) ORDER BY at DESC, id DESC LIMIT $\(values.count)", values)
                .map(RowDecoding.storedEvent)
        }
    }

    public func figures(from: CivilDate, to: CivilDate) async throws -> PeriodFigures {
        try await read { tx in
            let queries = PeriodFigureQueries(dialect: .postgres, from: from, to: to)
            var rows: [String: [PostgresRandomAccessRow]] = [:]
            for (name, sql) in queries.statements { rows[name] = try await tx.rows(sql) }
            return try queries.figures(rows: rows, operators: try await self.operatorRules(in: tx).all)
        }
    }
}
