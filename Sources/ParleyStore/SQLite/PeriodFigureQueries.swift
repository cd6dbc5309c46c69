import Foundation
import GRDB
import ParleyCore

/// The period figures as SQL aggregations over invoices, payments, events and the projection
/// (Docs/figures.md defines each figure; this is the one implementation of those definitions).
struct PeriodFigureQueries {
    let db: Database
    let from: CivilDate
    let to: CivilDate

    /// Events that close a case's balance for the figures: a write-off, a settlement paid, an
    /// upheld dispute.
    static let closingEvents = """
        kind IN ('\(EventKind.writtenOff.rawValue)', '\(EventKind.settlementPaid.rawValue)')
        OR (kind = '\(EventKind.disputeResolved.rawValue)' AND payload LIKE '%"upheld"%')
        """

    /// Events that are bookkeeping rather than work on a case (left out of "accounts worked").
    static let bookkeepingKinds: [EventKind] = [.opened, .invoiceAdded, .paymentReceived, .tick, .escalated, .letterSent]

    static func bucketExpression(_ day: String) -> String {
        """
        CASE WHEN julianday(\(day)) - julianday(due_on) < 1 THEN 0
             WHEN julianday(\(day)) - julianday(due_on) <= 30 THEN 1
             WHEN julianday(\(day)) - julianday(due_on) <= 60 THEN 2
             WHEN julianday(\(day)) - julianday(due_on) <= 90 THEN 3
             WHEN julianday(\(day)) - julianday(due_on) <= 120 THEN 4
             ELSE 5 END
        """
    }

    /// `:from` and `:to` as days.
    var days: StatementArguments { ["from": from.iso, "to": to.iso] }
    /// `:from` and `:after` (the day after `to`), to compare with the log's instants.
    var instants: StatementArguments { ["from": from.iso, "after": to.adding(days: 1).iso] }

    func figures() throws -> PeriodFigures {
        var byStage: [String: Int] = [:]
        var byStatus: [String: Int] = [:]
        var cases = 0
        for row in try Row.fetchAll(db, sql: "SELECT stage, status, COUNT(*) AS n FROM cases GROUP BY stage, status") {
            let n: Int = row["n"]
            cases += n
            byStage[row["stage"], default: 0] += n
            byStatus[row["status"], default: 0] += n
        }
        let (agingAtStart, agingAtEnd, rollRates, balanceAtStart) = try aging()
        let collected = try sums(sql: "SELECT currency, SUM(amount_minor) AS total FROM payments WHERE paid_on >= :from AND paid_on <= :to GROUP BY currency")
        let currencies = Set(balanceAtStart.keys).union(collected.keys).sorted { $0.code < $1.code }
        let recovery = currencies.map { currency in
            let start = balanceAtStart[currency] ?? 0
            let got = collected[currency] ?? 0
            return PeriodFigures.Recovery(balanceAtStart: Money(minorUnits: start, currency: currency), collected: Money(minorUnits: got, currency: currency),
                                          rate: PeriodFigures.rate(got, start))
        }
        return PeriodFigures(from: from, to: to, cases: cases, byStage: byStage, byStatus: byStatus,
                             agingAtStart: agingAtStart, agingAtEnd: agingAtEnd, rollRates: rollRates,
                             promises: try promises(), recovery: recovery, collectors: try collectors())
    }

    /// Every invoice's outstanding amount at the opening of `from` and at the close of `to`,
    /// grouped by its bucket on each of those days.
    private func aging() throws -> ([PeriodFigures.Bucket], [PeriodFigures.Bucket], [PeriodFigures.RollRate], [Currency: Int64]) {
        let rows = try Row.fetchAll(db, sql: """
            WITH paid AS (
                SELECT account_id,
                       SUM(CASE WHEN paid_on < :from THEN amount_minor ELSE 0 END) AS ps,
                       SUM(CASE WHEN paid_on <= :to THEN amount_minor ELSE 0 END) AS pe
                FROM payments GROUP BY account_id
            ),
            closed AS (
                SELECT case_id, MIN(substr(at, 1, 10)) AS closed_on FROM events
                WHERE \(Self.closingEvents)
                GROUP BY case_id
            ),
            inv AS (
                SELECT account_id, issued_on, due_on, amount_minor, currency,
                       SUM(CASE WHEN issued_on < :from THEN amount_minor ELSE 0 END)
                           OVER (PARTITION BY account_id ORDER BY due_on, id ROWS UNBOUNDED PRECEDING) AS cum_s,
                       SUM(CASE WHEN issued_on <= :to THEN amount_minor ELSE 0 END)
                           OVER (PARTITION BY account_id ORDER BY due_on, id ROWS UNBOUNDED PRECEDING) AS cum_e
                FROM invoices
            ),
            owed AS (
                SELECT inv.currency, inv.due_on,
                       CASE WHEN inv.issued_on < :from AND (c.closed_on IS NULL OR c.closed_on >= :from)
                            THEN MIN(inv.amount_minor, MAX(0, inv.cum_s - COALESCE(p.ps, 0))) ELSE 0 END AS os,
                       CASE WHEN inv.issued_on <= :to AND (c.closed_on IS NULL OR c.closed_on > :to)
                            THEN MIN(inv.amount_minor, MAX(0, inv.cum_e - COALESCE(p.pe, 0))) ELSE 0 END AS oe
                FROM inv
                LEFT JOIN paid p ON p.account_id = inv.account_id
                LEFT JOIN closed c ON c.case_id = inv.account_id
            )
            SELECT currency,
                   \(Self.bucketExpression(":from")) AS bs,
                   \(Self.bucketExpression(":to")) AS be,
                   SUM(os > 0) AS ns, SUM(os) AS ss, SUM(oe > 0) AS ne, SUM(oe) AS se,
                   SUM(CASE WHEN os > 0 THEN oe ELSE 0 END) AS carried
            FROM owed WHERE os > 0 OR oe > 0
            GROUP BY currency, bs, be
            """, arguments: days)

        let buckets = AgingBucket.allCases
        var startCount = [Int](repeating: 0, count: buckets.count)
        var endCount = [Int](repeating: 0, count: buckets.count)
        var startAmount = [[Currency: Int64]](repeating: [:], count: buckets.count)
        var endAmount = [[Currency: Int64]](repeating: [:], count: buckets.count)
        // roll[k][currency] = (balance in k at the start, of it what is in k+1 at the end)
        var roll = [[Currency: (Int64, Int64)]](repeating: [:], count: buckets.count - 1)
        var balanceAtStart: [Currency: Int64] = [:]
        for row in rows {
            let currency = try Currency(code: row["currency"])
            let bs: Int = row["bs"], be: Int = row["be"]
            let ns: Int = row["ns"], ne: Int = row["ne"]
            let ss: Int64 = row["ss"], se: Int64 = row["se"], carried: Int64 = row["carried"]
            startCount[bs] += ns
            endCount[be] += ne
            if ss > 0 { startAmount[bs][currency, default: 0] += ss }
            if se > 0 { endAmount[be][currency, default: 0] += se }
            balanceAtStart[currency, default: 0] += ss
            if bs < buckets.count - 1, ss > 0 {
                var entry = roll[bs][currency] ?? (0, 0)
                entry.0 += ss
                if be == bs + 1 { entry.1 += carried }
                roll[bs][currency] = entry
            }
        }
        func monies(_ sums: [Currency: Int64]) -> [Money] {
            sums.sorted { $0.key.code < $1.key.code }.map { Money(minorUnits: $0.value, currency: $0.key) }
        }
        let atStart = buckets.indices.map { PeriodFigures.Bucket(bucket: buckets[$0].label, invoices: startCount[$0], amounts: monies(startAmount[$0])) }
        let atEnd = buckets.indices.map { PeriodFigures.Bucket(bucket: buckets[$0].label, invoices: endCount[$0], amounts: monies(endAmount[$0])) }
        var rates: [PeriodFigures.RollRate] = []
        for k in roll.indices {
            for (currency, (start, rolled)) in roll[k].sorted(by: { $0.key.code < $1.key.code }) {
                rates.append(PeriodFigures.RollRate(from: buckets[k].label, to: buckets[k + 1].label,
                                                    startBalance: Money(minorUnits: start, currency: currency),
                                                    rolled: Money(minorUnits: rolled, currency: currency),
                                                    rate: PeriodFigures.rate(rolled, start)))
            }
        }
        return (atStart, atEnd, rates, balanceAtStart)
    }

    private func promises() throws -> PeriodFigures.Promises {
        var counts: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT kind, COUNT(*) AS n FROM events
            WHERE kind IN (?, ?, ?) AND at >= ? AND at < ?
            GROUP BY kind
            """, arguments: [EventKind.promiseMade.rawValue, EventKind.promiseKept.rawValue, EventKind.promiseBroken.rawValue, from.iso, to.adding(days: 1).iso]) {
            counts[row["kind"]] = row["n"]
        }
        let kept = counts[EventKind.promiseKept.rawValue] ?? 0
        let broken = counts[EventKind.promiseBroken.rawValue] ?? 0
        return PeriodFigures.Promises(made: counts[EventKind.promiseMade.rawValue] ?? 0, kept: kept, broken: broken,
                                      keptRate: PeriodFigures.rate(Int64(kept), Int64(kept + broken)))
    }

    private func collectors() throws -> [PeriodFigures.Collector] {
        var figures: [String: PeriodFigures.Collector] = [:]
        func entry(_ name: String) -> PeriodFigures.Collector {
            figures[name] ?? PeriodFigures.Collector(name: name, role: nil, accountsWorked: 0, rightPartyContacts: 0, promises: 0, collected: [])
        }
        let operators = try OperatorRows.all(db: db)
        for op in operators where op.active && op.role == .collector { figures[op.name] = entry(op.name) }

        let bookkeeping = Self.bookkeepingKinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        for row in try Row.fetchAll(db, sql: """
            SELECT actor,
                   COUNT(DISTINCT CASE WHEN kind NOT IN (\(bookkeeping)) THEN case_id END) AS worked,
                   SUM(kind = '\(EventKind.rightPartyContact.rawValue)'
                       OR (kind = '\(EventKind.callAttempted.rawValue)' AND json_extract(payload, '$.callAttempted.outcome') = '\(CallOutcome.conversation.rawValue)')) AS contacts,
                   SUM(kind = '\(EventKind.promiseMade.rawValue)') AS promises
            FROM events
            WHERE at >= :from AND at < :after AND actor <> '\(Actor.system.name)'
            GROUP BY actor
            """, arguments: instants) {
            let name: String = row["actor"]
            var e = entry(name)
            e.accountsWorked = row["worked"]
            e.rightPartyContacts = row["contacts"]
            e.promises = row["promises"]
            figures[name] = e
        }
        var collected: [String: [Currency: Int64]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT c.assignee AS assignee, p.currency AS currency, SUM(p.amount_minor) AS total
            FROM payments p JOIN cases c ON c.account_id = p.account_id
            WHERE p.paid_on >= :from AND p.paid_on <= :to AND c.assignee IS NOT NULL
            GROUP BY c.assignee, p.currency
            """, arguments: days) {
            let name: String = row["assignee"]
            collected[name, default: [:]][try Currency(code: row["currency"])] = row["total"]
            figures[name] = entry(name)
        }
        let roles = Dictionary(operators.map { ($0.name, $0.role) }, uniquingKeysWith: { a, _ in a })
        let collectorNames = Set(operators.filter { $0.active && $0.role == .collector }.map(\.name))
        return figures.values.sorted { $0.name < $1.name }.map { e in
            var e = e
            e.role = roles[e.name]
            e.collected = (collected[e.name] ?? [:]).sorted { $0.key.code < $1.key.code }.map { Money(minorUnits: $0.value, currency: $0.key) }
            return e
        }.filter { e in
            // Someone who only kept the books (imported, recorded payments) is not listed,
            // unless they are a collector.
            collectorNames.contains(e.name) || e.accountsWorked > 0 || e.rightPartyContacts > 0 || e.promises > 0 || !e.collected.isEmpty
        }
    }

    private func sums(sql: String) throws -> [Currency: Int64] {
        var result: [Currency: Int64] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: days) {
            result[try Currency(code: row["currency"])] = row["total"]
        }
        return result
    }
}
