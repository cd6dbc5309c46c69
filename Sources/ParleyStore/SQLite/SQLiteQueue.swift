import BitCollections
import GRDB
import Synchronization
import ParleyCore

/// The queue as SQL over `cases`, independent of its size: the count from `queue_counts` (or,
/// filtered, from the debtor words' index), pages anchored at a key or at the end instead of an
/// OFFSET over everything in front, and the debtor filter as a prefix range on `debtor_words`.
struct SQLiteQueue {
    let query: QueueQuery
    /// The filter's words, lower-cased (nil without a filter).
    let words: [String]?
    let filter: String?
    /// Works out reasons and next action of each case read (they depend on the policy).
    let policy: Policy
    /// The store's last filter matches (`matchList`).
    let cache: HeldMatches
    /// The store's name index, when the workbench asked for one (`SQLiteCaseStore.prepareNameIndex`).
    var names: NameIndexHolder? = nil
    /// Starts a rebuild of the name index (called when a read finds it out of date).
    var rebuildNames: @Sendable () -> Void = {}

    /// Matches up to this many are fetched through the filter's indexes and sorted; past it the
    /// queue's order index is walked and each entry checked.
    /// Reading a match's priority costs about 10 µs, walking past a queue entry that does not
    /// match about 2 µs: measured at 200,000 cases, 5,567 matches took 58 ms read and sorted, a
    /// few ms walked; 146 matches 17 ms walked, a few ms read.
    static let sparseMatches = 2000

    init(_ query: QueueQuery, policy: Policy, cache: HeldMatches) {
        self.query = query
        self.policy = policy
        self.cache = cache
        let text = query.filter?.trimmingCharacters(in: .whitespaces) ?? ""
        filter = text.isEmpty ? nil : text
        words = filter.map(QueueMatch.words)
    }

    func page(_ db: Database) throws -> QueuePage {
        if let page = try pageFromNameIndex(db) { return page }
        if filter != nil, let list = try matchList(db) {
            // Few matches: held in queue order, the page is a slice of them.
            let rows = try rows(of: slice(of: list), db)
            return QueuePage(entries: try rows.map { try Rows.caseRecord($0, policy: policy) }, offset: query.offset,
                             total: query.countTotal ? list.count : -1,
                             keys: rows.map { QueueKey(priority: $0["priority"], accountID: $0["account_id"]) })
        }
        let total = query.countTotal ? try count(db) : -1
        let rows = try orderedPage(db)
        return QueuePage(entries: try rows.map { try Rows.caseRecord($0, policy: policy) }, offset: query.offset, total: total,
                         keys: rows.map { QueueKey(priority: $0["priority"], accountID: $0["account_id"]) })
    }

    // MARK: - A filter answered by the name index

    /// An invoice-id prefix matching more invoices' accounts than this is left to SQL.
    static let indexedInvoiceAccounts = 5000

    /// The page from the in-memory name index, when there is a filter and the index is valid for
    /// the database as this transaction sees it; nil otherwise (SQL answers).
    private func pageFromNameIndex(_ db: Database) throws -> QueuePage? {
        guard let filter, let words, let names else { return nil }
        let stamp = try QueueNameIndex.Stamp.read(db)
        guard let index = names.index(for: stamp, rebuild: rebuildNames) else { return nil }
        let key = "\(query.includeAll ? "all" : "queue")\u{0}\(filter)"
        let matched: BitSet
        if let held = names.matched(key: key, stamp: stamp) {
            matched = held
        } else {
            let invoiceAccounts = try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT account_id FROM invoices WHERE id >= ? AND id < ? LIMIT \(Self.indexedInvoiceAccounts + 1)"),
                                                      arguments: [filter, QueueMatch.upperBound(filter)])
            guard invoiceAccounts.count <= Self.indexedInvoiceAccounts else { return nil }
            matched = index.matches(words: words, filter: filter, invoiceAccounts: invoiceAccounts, includeAll: query.includeAll)
            names.hold(matched, key: key, stamp: stamp)
        }
        let rows = try rows(of: ArraySlice(index.page(of: matched, query)), db)
        names.countServed()
        return QueuePage(entries: try rows.map { try Rows.caseRecord($0, policy: policy) }, offset: query.offset,
                         total: query.countTotal ? matched.count : -1,
                         keys: rows.map { QueueKey(priority: $0["priority"], accountID: $0["account_id"]) })
    }

    // MARK: - A filter's matches, held

    /// The matches of the filter in queue order when there are at most `sparseMatches` of them,
    /// read in one query and kept until the database changes (a count, then pages of the same
    /// filter, read it once); nil when there are more.
    private func matchList(_ db: Database) throws -> [QueueKey]? {
        let key = "\(query.includeAll ? "all" : "queue")\u{0}\(filter ?? "")"
        let version = try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
        let changes = db.totalChangesCount
        if let held = cache.held.withLock({ $0 }), held.key == key, held.version == version, held.changes == changes,
           held.connection == ObjectIdentifier(db) {
            return held.list
        }
        let (matched, arguments) = matches()
        // More than the limit: the queue's order is walked instead (counting them is cheaper
        // than reading each one's priority).
        let some = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM (\(matched) LIMIT \(Self.sparseMatches + 1))"), arguments: arguments) ?? 0
        guard some <= Self.sparseMatches else { return nil }
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT c.priority, c.account_id FROM (SELECT account_id AS matched FROM (\(matched)) LIMIT \(Self.sparseMatches + 1)) m
            CROSS JOIN cases c ON c.account_id = m.matched
            """), arguments: arguments)
        guard rows.count <= Self.sparseMatches else { return nil }
        let list = rows.map { QueueKey(priority: $0[0], accountID: $0[1]) }
            .sorted { $0.priority != $1.priority ? $0.priority > $1.priority : $0.accountID < $1.accountID }
        cache.held.withLock { $0 = Held(key: key, version: version, changes: changes, connection: ObjectIdentifier(db), list: list) }
        return list
    }

    /// The last match list read, with what it is valid for: the same filter on the same
    /// connection while neither another connection (`data_version`) nor this one wrote.
    struct Held {
        var key: String
        var version: Int
        var changes: Int
        var connection: ObjectIdentifier
        var list: [QueueKey]
    }


    /// The part of `list` the query's position, offset and limit select, in queue order.
    private func slice(of list: [QueueKey]) -> ArraySlice<QueueKey> {
        func before(_ a: QueueKey, _ b: QueueKey) -> Bool { a.priority != b.priority ? a.priority > b.priority : a.accountID < b.accountID }
        let limit = max(0, query.limit), offset = max(0, query.offset)
        switch query.position {
        case .top:
            let start = min(list.count, offset)
            return list[start..<min(list.count, start + limit)]
        case .after(let key):
            let first = Self.firstIndex(in: list) { before(key, $0) }
            let start = min(list.count, first + offset)
            return list[start..<min(list.count, start + limit)]
        case .before(let key):
            let end = max(0, Self.firstIndex(in: list) { !before($0, key) } - offset)
            return list[max(0, end - limit)..<end]
        case .end:
            let end = max(0, list.count - offset)
            return list[max(0, end - limit)..<end]
        }
    }

    /// The first index of the sorted `list` where `isAfter` holds (it holds from there on).
    static func firstIndex(in list: [QueueKey], where isAfter: (QueueKey) -> Bool) -> Int {
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if isAfter(list[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// The rows of `keys`, in their order.
    private func rows(of keys: ArraySlice<QueueKey>, _ db: Database) throws -> [Row] {
        guard !keys.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: keys.count).joined(separator: ", ")
        let rows = try Row.fetchAll(db, sql: "SELECT \(Rows.caseColumns) FROM cases c WHERE c.account_id IN (\(marks))",
                                    arguments: StatementArguments(keys.map(\.accountID)))
        let byID = Dictionary(rows.map { ($0["account_id"] as String, $0) }, uniquingKeysWith: { a, _ in a })
        return keys.compactMap { byID[$0.accountID] }
    }

    // MARK: - Count

    func count(_ db: Database) throws -> Int {
        guard filter != nil else {
            let sql = query.includeAll ? "SELECT COALESCE(SUM(n), 0) FROM queue_counts" : "SELECT COALESCE(SUM(n), 0) FROM queue_counts WHERE in_queue = 1"
            return try Int.fetchOne(db.cachedStatement(sql: sql)) ?? 0
        }
        let (sql, arguments) = matches()
        return try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM (\(sql))"), arguments: arguments) ?? 0
    }

    /// The account ids the filter matches (each once), from the indexes of the debtor words,
    /// the cases' and the invoices' ids.
    private func matches() -> (String, StatementArguments) {
        guard let filter, let words else { return ("SELECT account_id FROM cases", []) }
        // Whether a matching case is queued, from the partial index of the queued ids (one seek).
        let queued = query.includeAll ? "" : """
             AND EXISTS (SELECT 1 FROM cases q INDEXED BY \(Schema.queuedIDsIndex) WHERE q.account_id = w.account_id AND q.in_queue = 1)
            """
        var parts: [String] = []
        var arguments: StatementArguments = []
        if let first = words.first {
            var sql = "SELECT w.account_id FROM debtor_words w WHERE w.word >= ? AND w.word < ?\(queued)"
            arguments += [first, QueueMatch.upperBound(first)]
            for word in words.dropFirst() {
                sql += " AND EXISTS (SELECT 1 FROM debtor_words x WHERE x.account_id = w.account_id AND x.word >= ? AND x.word < ?)"
                arguments += [word, QueueMatch.upperBound(word)]
            }
            parts.append(sql)
        }
        // `+c.in_queue` keeps SQLite from walking the queue's index (an equality) instead of
        // seeking the id range (measured at 20,000 cases: 114 ms that way, 2 ms this way).
        let caseQueued = query.includeAll ? "" : " AND +c.in_queue = 1"
        parts.append("SELECT c.account_id FROM cases c WHERE c.account_id >= ? AND c.account_id < ?\(caseQueued)")
        parts.append("SELECT c.account_id FROM invoices i CROSS JOIN cases c ON c.account_id = i.account_id WHERE i.id >= ? AND i.id < ?\(caseQueued)")
        arguments += [filter, QueueMatch.upperBound(filter), filter, QueueMatch.upperBound(filter)]
        return (parts.joined(separator: " UNION "), arguments)
    }

    /// The same match as a condition on a row `c` of `cases`, each branch one index seek.
    private func matchCondition() -> (String, StatementArguments) {
        guard let filter, let words else { return ("1", []) }
        return Self.matchCondition(filter: filter, words: words)
    }

    /// The queue's filter as a condition on a row `c` of `cases` (what supervisors' bulk
    /// reassignment selects by, so that it moves exactly the cases the filtered queue shows);
    /// nil without a filter.
    static func matchCondition(filter text: String?) -> (String, StatementArguments)? {
        guard let filter = text?.trimmingCharacters(in: .whitespaces), !filter.isEmpty else { return nil }
        return matchCondition(filter: filter, words: QueueMatch.words(filter))
    }

    private static func matchCondition(filter: String, words: [String]) -> (String, StatementArguments) {
        var name: [String] = []
        var arguments: StatementArguments = []
        for word in words {
            name.append("EXISTS (SELECT 1 FROM debtor_words x WHERE x.account_id = c.account_id AND x.word >= ? AND x.word < ?)")
            arguments += [word, QueueMatch.upperBound(word)]
        }
        let nameCondition = name.isEmpty ? "0" : name.joined(separator: " AND ")
        arguments += [filter, QueueMatch.upperBound(filter), filter, QueueMatch.upperBound(filter)]
        // The invoices matching by id are looked up once (an `IN` list), not per row walked:
        // measured at 200,000 cases, a filter whose matches sit deep in the queue took 91 ms with
        // an `EXISTS` per row, 19 ms this way.
        return ("""
            ((\(nameCondition)) OR (c.account_id >= ? AND c.account_id < ?) \
            OR c.account_id IN (SELECT i.account_id FROM invoices i WHERE i.id >= ? AND i.id < ?))
            """, arguments)
    }

    // MARK: - Pages

    /// Where the page starts in the order it is read, and whether that order is the queue's reversed.
    private func anchor() -> (condition: String?, arguments: StatementArguments, reversed: Bool) {
        switch query.position {
        case .top:
            return (nil, [], false)
        case .after(let key):
            return ("c.priority <= ? AND (c.priority < ? OR c.account_id > ?)", [key.priority, key.priority, key.accountID], false)
        case .before(let key):
            return ("c.priority >= ? AND (c.priority > ? OR c.account_id < ?)", [key.priority, key.priority, key.accountID], true)
        case .end:
            return (nil, [], true)
        }
    }

    private func orderAndLimit(reversed: Bool) -> (String, StatementArguments) {
        let order = reversed ? "c.priority ASC, c.account_id DESC" : "c.priority DESC, c.account_id"
        return ("ORDER BY \(order) LIMIT ? OFFSET ?", [max(0, query.limit), max(0, query.offset)])
    }

    /// Walks the queue's order index from the anchor, checking each entry against the filter.
    private func orderedPage(_ db: Database) throws -> [Row] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if !query.includeAll { conditions.append("c.in_queue = 1") }
        let (match, matchArguments) = matchCondition()
        if filter != nil {
            conditions.append(match)
            arguments += matchArguments
        }
        let (anchorCondition, anchorArguments, reversed) = anchor()
        if let anchorCondition {
            conditions.append(anchorCondition)
            arguments += anchorArguments
        }
        let (order, orderArguments) = orderAndLimit(reversed: reversed)
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        // The keys first, then the rows of the page: the entries skipped or sorted carry no state
        // (`parley queue --all --offset 100000` at 200,000 cases: 6.8 s sorting whole rows).
        let keys = try Row.fetchAll(db.cachedStatement(sql: "SELECT c.priority, c.account_id FROM cases c \(whereClause) \(order)"),
                                    arguments: arguments + orderArguments).map { QueueKey(priority: $0[0], accountID: $0[1]) }
        return try rows(of: ArraySlice(reversed ? keys.reversed() : keys), db)
    }
}

/// Where a store keeps the last filter's matches between reads.
final class HeldMatches: Sendable {
    let held = Mutex<SQLiteQueue.Held?>(nil)
}
