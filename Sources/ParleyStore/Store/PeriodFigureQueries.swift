import Foundation
import ParleyCore

/// The period figures as SQL aggregations over invoices, payments, events and the projection,
/// written once for both databases (Docs/figures.md defines each figure; this is the one
/// implementation of those definitions). A backend runs `statements` and hands the rows to
/// `figures(rows:operators:)`.
struct PeriodFigureQueries {
    enum Dialect {
        case sqlite
        case postgres
    }

    let dialect: Dialect
    let from: CivilDate
    let to: CivilDate

    /// The statements, by name; every value they use is in the text (dates are `CivilDate.iso`,
    /// digits and dashes only, so they are written as literals).
    var statements: [(name: String, sql: String)] {
        [("stages", stagesSQL), ("aging", agingSQL), ("promises", promisesSQL), ("work", workSQL), ("collected", collectedSQL), ("collectedByAssignee", collectedByAssigneeSQL)]
    }

    /// Events that close a case's balance for the figures: a write-off, a settlement paid, an
    /// upheld dispute.
    static let closingEvents = """
        kind IN ('\(EventKind.writtenOff.rawValue)', '\(EventKind.settlementPaid.rawValue)')
        OR (kind = '\(EventKind.disputeResolved.rawValue)' AND payload LIKE '%"upheld"%')
        """

    /// Events that are bookkeeping rather than work on a case (left out of "accounts worked").
    static let bookkeepingKinds: [EventKind] = [.opened, .invoiceAdded, .paymentReceived, .tick, .escalated, .letterSent]

    private var fromLiteral: String { "'\(from.iso)'" }
    private var toLiteral: String { "'\(to.iso)'" }
    private var afterLiteral: String { "'\(to.adding(days: 1).iso)'" }

    private func daysPastDue(_ day: String) -> String {
        switch dialect {
        case .sqlite: return "CAST(julianday(\(day)) - julianday(due_on) AS INTEGER)"
        case .postgres: return "(CAST(\(day) AS date) - CAST(due_on AS date))"
        }
    }

    private func bucket(_ day: String) -> String {
        let days = daysPastDue(day)
        return """
            CASE WHEN \(days) < 1 THEN 0 WHEN \(days) <= 30 THEN 1 WHEN \(days) <= 60 THEN 2
                 WHEN \(days) <= 90 THEN 3 WHEN \(days) <= 120 THEN 4 ELSE 5 END
            """
    }

    private var least: String { dialect == .sqlite ? "MIN" : "LEAST" }
    private var greatest: String { dialect == .sqlite ? "MAX" : "GREATEST" }
    private func sum(_ expression: String) -> String { "CAST(COALESCE(SUM(\(expression)), 0) AS BIGINT)" }
    private var callOutcome: String {
        dialect == .sqlite ? "json_extract(payload, '$.callAttempted.outcome')" : "(CAST(payload AS jsonb) #>> '{callAttempted,outcome}')"
    }

    var stagesSQL: String { "SELECT stage, status, CAST(COUNT(*) AS BIGINT) AS n FROM cases GROUP BY stage, status" }

    /// Every invoice's outstanding amount at the opening of `from` (os) and at the close of `to`
    /// (oe), grouped by its bucket on each of those days.
    var agingSQL: String {
        """
        WITH paid AS (
            SELECT account_id,
                   \(sum("CASE WHEN paid_on < \(fromLiteral) THEN amount_minor ELSE 0 END")) AS ps,
                   \(sum("CASE WHEN paid_on <= \(toLiteral) THEN amount_minor ELSE 0 END")) AS pe
            FROM payments GROUP BY account_id
        ),
        closed AS (
            SELECT case_id, MIN(substr(at, 1, 10)) AS closed_on FROM events
            WHERE \(Self.closingEvents)
            GROUP BY case_id
        ),
        inv AS (
            SELECT account_id, issued_on, due_on, amount_minor, currency,
                   SUM(CASE WHEN issued_on < \(fromLiteral) THEN amount_minor ELSE 0 END)
                       OVER (PARTITION BY account_id ORDER BY due_on, id ROWS UNBOUNDED PRECEDING) AS cum_s,
                   SUM(CASE WHEN issued_on <= \(toLiteral) THEN amount_minor ELSE 0 END)
                       OVER (PARTITION BY account_id ORDER BY due_on, id ROWS UNBOUNDED PRECEDING) AS cum_e
            FROM invoices
        ),
        owed AS (
            SELECT inv.currency, inv.due_on,
                   CASE WHEN inv.issued_on < \(fromLiteral) AND (c.closed_on IS NULL OR c.closed_on >= \(fromLiteral))
                        THEN \(least)(inv.amount_minor, \(greatest)(0, inv.cum_s - COALESCE(p.ps, 0))) ELSE 0 END AS os,
                   CASE WHEN inv.issued_on <= \(toLiteral) AND (c.closed_on IS NULL OR c.closed_on > \(toLiteral))
                        THEN \(least)(inv.amount_minor, \(greatest)(0, inv.cum_e - COALESCE(p.pe, 0))) ELSE 0 END AS oe
            FROM inv
            LEFT JOIN paid p ON p.account_id = inv.account_id
            LEFT JOIN closed c ON c.case_id = inv.account_id
        ),
        bucketed AS (
            SELECT currency, CAST(\(bucket(fromLiteral)) AS BIGINT) AS bs, CAST(\(bucket(toLiteral)) AS BIGINT) AS be, os, oe
            FROM owed WHERE os > 0 OR oe > 0
        )
        SELECT currency, bs, be,
               \(sum("CASE WHEN os > 0 THEN 1 ELSE 0 END")) AS ns, \(sum("os")) AS ss,
               \(sum("CASE WHEN oe > 0 THEN 1 ELSE 0 END")) AS ne, \(sum("oe")) AS se,
               \(sum("CASE WHEN os > 0 THEN oe ELSE 0 END")) AS carried
        FROM bucketed
        GROUP BY currency, bs, be
        """
    }

    var promisesSQL: String {
        """
        SELECT kind, CAST(COUNT(*) AS BIGINT) AS n FROM events
        WHERE kind IN ('\(EventKind.promiseMade.rawValue)', '\(EventKind.promiseKept.rawValue)', '\(EventKind.promiseBroken.rawValue)')
          AND at >= \(fromLiteral) AND at < \(afterLiteral)
        GROUP BY kind
        """
    }

    var workSQL: String {
        let bookkeeping = Self.bookkeepingKinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return """
            SELECT actor,
                   CAST(COUNT(DISTINCT CASE WHEN kind NOT IN (\(bookkeeping)) THEN case_id END) AS BIGINT) AS worked,
                   \(sum("""
                        CASE WHEN kind = '\(EventKind.rightPartyContact.rawValue)'
                               OR (kind = '\(EventKind.callAttempted.rawValue)' AND \(callOutcome) = '\(CallOutcome.conversation.rawValue)')
                             THEN 1 ELSE 0 END
                        """)) AS contacts,
                   \(sum("CASE WHEN kind = '\(EventKind.promiseMade.rawValue)' THEN 1 ELSE 0 END")) AS promises
            FROM events
            WHERE at >= \(fromLiteral) AND at < \(afterLiteral) AND actor <> '\(Actor.system.name)'
            GROUP BY actor
            """
    }

    var collectedSQL: String {
        "SELECT currency, \(sum("amount_minor")) AS total FROM payments WHERE paid_on >= \(fromLiteral) AND paid_on <= \(toLiteral) GROUP BY currency"
    }

    var collectedByAssigneeSQL: String {
        """
        SELECT c.assignee AS assignee, p.currency AS currency, \(sum("p.amount_minor")) AS total
        FROM payments p JOIN cases c ON c.account_id = p.account_id
        WHERE p.paid_on >= \(fromLiteral) AND p.paid_on <= \(toLiteral) AND c.assignee IS NOT NULL
        GROUP BY c.assignee, p.currency
        """
    }

    /// The figures from the rows of `statements` (by name) and the store's operators.
    func figures<R: StoreRow>(rows: [String: [R]], operators: [Operator]) throws -> PeriodFigures {
        var byStage: [String: Int] = [:]
        var byStatus: [String: Int] = [:]
        var cases = 0
        for row in rows["stages"] ?? [] {
            let n = Int(try row.integer("n"))
            cases += n
            byStage[try row.text("stage"), default: 0] += n
            byStatus[try row.text("status"), default: 0] += n
        }
        let (agingAtStart, agingAtEnd, rollRates, balanceAtStart) = try aging(rows["aging"] ?? [])

        var collected: [Currency: Int64] = [:]
        for row in rows["collected"] ?? [] { collected[try Currency(code: row.text("currency"))] = try row.integer("total") }
        let currencies = Set(balanceAtStart.keys).union(collected.keys).sorted { $0.code < $1.code }
        let recovery = currencies.map { currency in
            let start = balanceAtStart[currency] ?? 0
            let got = collected[currency] ?? 0
            return PeriodFigures.Recovery(balanceAtStart: Money(minorUnits: start, currency: currency), collected: Money(minorUnits: got, currency: currency),
                                          rate: PeriodFigures.rate(got, start))
        }

        var counts: [String: Int] = [:]
        for row in rows["promises"] ?? [] { counts[try row.text("kind")] = Int(try row.integer("n")) }
        let kept = counts[EventKind.promiseKept.rawValue] ?? 0
        let broken = counts[EventKind.promiseBroken.rawValue] ?? 0
        let promises = PeriodFigures.Promises(made: counts[EventKind.promiseMade.rawValue] ?? 0, kept: kept, broken: broken,
                                              keptRate: PeriodFigures.rate(Int64(kept), Int64(kept + broken)))

        return PeriodFigures(from: from, to: to, cases: cases, byStage: byStage, byStatus: byStatus,
                             agingAtStart: agingAtStart, agingAtEnd: agingAtEnd, rollRates: rollRates,
                             promises: promises, recovery: recovery,
                             collectors: try collectors(work: rows["work"] ?? [], collected: rows["collectedByAssignee"] ?? [], operators: operators))
    }

    private func aging<R: StoreRow>(_ rows: [R]) throws -> ([PeriodFigures.Bucket], [PeriodFigures.Bucket], [PeriodFigures.RollRate], [Currency: Int64]) {
        let buckets = AgingBucket.allCases
        var startCount = [Int](repeating: 0, count: buckets.count)
        var endCount = [Int](repeating: 0, count: buckets.count)
        var startAmount = [[Currency: Int64]](repeating: [:], count: buckets.count)
        var endAmount = [[Currency: Int64]](repeating: [:], count: buckets.count)
        // roll[k][currency] = (balance in k at the start, of it what is in k+1 at the end)
        var roll = [[Currency: (Int64, Int64)]](repeating: [:], count: buckets.count - 1)
        var balanceAtStart: [Currency: Int64] = [:]
        for row in rows {
            let currency = try Currency(code: row.text("currency"))
            let bs = Int(try row.integer("bs")), be = Int(try row.integer("be"))
            guard buckets.indices.contains(bs), buckets.indices.contains(be) else {
                throw StoreError.corruptRow(table: "invoices", key: currency.code, reason: "an aging bucket out of range")
            }
            let ss = try row.integer("ss"), se = try row.integer("se"), carried = try row.integer("carried")
            startCount[bs] += Int(try row.integer("ns"))
            endCount[be] += Int(try row.integer("ne"))
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
        let atStart = buckets.indices.map { PeriodFigures.Bucket(bucket: buckets[$0].label, invoices: startCount[$0], amounts: Self.monies(startAmount[$0])) }
        let atEnd = buckets.indices.map { PeriodFigures.Bucket(bucket: buckets[$0].label, invoices: endCount[$0], amounts: Self.monies(endAmount[$0])) }
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

    private func collectors<R: StoreRow>(work: [R], collected rows: [R], operators: [Operator]) throws -> [PeriodFigures.Collector] {
        var figures: [String: PeriodFigures.Collector] = [:]
        func entry(_ name: String) -> PeriodFigures.Collector {
            figures[name] ?? PeriodFigures.Collector(name: name, role: nil, accountsWorked: 0, rightPartyContacts: 0, promises: 0, collected: [])
        }
        let collectorNames = Set(operators.filter { $0.active && $0.role == .collector }.map(\.name))
        for name in collectorNames { figures[name] = entry(name) }
        for row in work {
            let name = try row.text("actor")
            var e = entry(name)
            e.accountsWorked = Int(try row.integer("worked"))
            e.rightPartyContacts = Int(try row.integer("contacts"))
            e.promises = Int(try row.integer("promises"))
            figures[name] = e
        }
        var collected: [String: [Currency: Int64]] = [:]
        for row in rows {
            let name = try row.text("assignee")
            collected[name, default: [:]][try Currency(code: row.text("currency"))] = try row.integer("total")
            figures[name] = entry(name)
        }
        let roles = Dictionary(operators.map { ($0.name, $0.role) }, uniquingKeysWith: { a, _ in a })
        return figures.values.sorted { $0.name < $1.name }.map { e in
            var e = e
            e.role = roles[e.name]
            e.collected = Self.monies(collected[e.name] ?? [:])
            return e
        }.filter { e in
            // Someone who only kept the books (imported, recorded payments) is not listed,
            // unless they are a collector.
            collectorNames.contains(e.name) || e.accountsWorked > 0 || e.rightPartyContacts > 0 || e.promises > 0 || !e.collected.isEmpty
        }
    }

    static func monies(_ sums: [Currency: Int64]) -> [Money] {
        sums.sorted { $0.key.code < $1.key.code }.map { Money(minorUnits: $0.value, currency: $0.key) }
    }
}
