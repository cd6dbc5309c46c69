import BitCollections
import Foundation
import GRDB
import Synchronization

/// The queue's name filter answered in memory, for the workbench: every case's place in the
/// queue's order, and for every debtor word (as `debtor_words` holds it) the places of the cases
/// whose debtor name has it. A filter is then a union of posting lists per word and an
/// intersection across words, as bit sets over queue places: its count, top page, last page
/// and keyset pages come straight from the set in queue order.
///
/// Why not SQL: the word index answers *which* cases, but each match's place in the queue costs
/// a seek into `cases` (about 4-8 µs), and a common word has thousands of matches; walking the
/// queue's order instead checks a word per entry (about 5 µs). Measured at 200,000 cases on this
/// machine: "ltd" (9,965 queued matches) 35 ms to the frame, "gmbh" 13-35 ms, "James Garcia" 13-23
/// ms — the key to frame target is 5 ms. Held in memory (about 8 MiB at 200,000 cases, read in
/// about 0.3 s on a thread of its own) the same filters take well under a millisecond.
///
/// The index is valid for one state of the database, `Stamp`: every write that moves a case in
/// the queue, renames a debtor or adds one appends an event or a daily run row in the same
/// transaction, so the greatest event id and run row id name the state. A read that finds the
/// stamp moved answers through SQL and starts a rebuild.
final class QueueNameIndex: Sendable {
    struct Stamp: Equatable, Sendable {
        var event: Int64
        var run: Int64

        static func read(_ db: Database) throws -> Stamp {
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT (SELECT MAX(id) FROM events), (SELECT MAX(rowid) FROM runs)"))
            return Stamp(event: row?[0] ?? 0, run: row?[1] ?? 0)
        }
    }

    let stamp: Stamp
    /// Place → the case's key, in queue order (priority descending, then account id).
    let priorities: [Int]
    let accountIDs: [String]
    /// Places of the cases in the queue (`in_queue = 1`).
    let inQueue: BitSet
    /// The distinct debtor words in byte order, and the places of the cases that have each.
    let words: [[UInt8]]
    let postings: [[Int32]]
    /// Places ordered by account id (bytes), for an id prefix.
    let byID: [Int32]

    /// How long the read took.
    let readIn: Duration

    private init(stamp: Stamp, priorities: [Int], accountIDs: [String], inQueue: BitSet, words: [[UInt8]], postings: [[Int32]], byID: [Int32], readIn: Duration) {
        self.readIn = readIn
        self.stamp = stamp
        self.priorities = priorities
        self.accountIDs = accountIDs
        self.inQueue = inQueue
        self.words = words
        self.postings = postings
        self.byID = byID
    }

    /// Reads the index in one read transaction, from narrow indexes only (`cases_queue_order`,
    /// `debtor_words_by_account`), and gives the connection's page cache back afterwards: read
    /// through the `cases` table instead, the reader's cache held the whole table (144 MiB
    /// resident at 200,000 cases).
    static func build(_ db: Database) throws -> QueueNameIndex {
        let clock = ContinuousClock(), started = clock.now
        defer { db.releaseMemory() }
        let stamp = try Stamp.read(db)
        // The queue's part and the rest, each in its order from the index, merged.
        func keys(inQueue: Int) throws -> [(Int, String)] {
            var keys: [(Int, String)] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT priority, account_id FROM cases WHERE in_queue = ? ORDER BY priority DESC, account_id", arguments: [inQueue])
            while let row = try cursor.next() { keys.append((row[0], row[1])) }
            return keys
        }
        let queued = try keys(inQueue: 1), others = try keys(inQueue: 0)
        var priorities: [Int] = [], accountIDs: [String] = []
        priorities.reserveCapacity(queued.count + others.count)
        accountIDs.reserveCapacity(queued.count + others.count)
        var inQueue = BitSet(reservingCapacity: queued.count + others.count)
        var q = 0, o = 0
        while q < queued.count || o < others.count {
            let takeQueued: Bool
            if q == queued.count { takeQueued = false } else if o == others.count { takeQueued = true } else {
                let a = queued[q], b = others[o]
                takeQueued = a.0 != b.0 ? a.0 > b.0 : less(a.1.utf8, b.1.utf8)
            }
            let key = takeQueued ? queued[q] : others[o]
            if takeQueued { inQueue.insert(priorities.count); q += 1 } else { o += 1 }
            priorities.append(key.0)
            accountIDs.append(key.1)
        }
        let byID = (0..<Int32(accountIDs.count)).sorted { less(accountIDs[Int($0)].utf8, accountIDs[Int($1)].utf8) }

        // Each debtor word's places: the words by account, in account id order, walked beside `byID`.
        var wordSlot: [String: Int] = [:]
        var words: [String] = []
        var postings: [[Int32]] = []
        var j = 0
        let cursor = try Row.fetchCursor(db, sql: "SELECT account_id, word FROM debtor_words INDEXED BY debtor_words_by_account ORDER BY account_id, word")
        while let row = try cursor.next() {
            let id: String = row[0]
            while j < byID.count, less(accountIDs[Int(byID[j])].utf8, id.utf8) { j += 1 }
            guard j < byID.count, accountIDs[Int(byID[j])] == id else { continue }
            let word: String = row[1]
            let slot: Int
            if let known = wordSlot[word] { slot = known } else {
                slot = words.count
                wordSlot[word] = slot
                words.append(word)
                postings.append([])
            }
            postings[slot].append(byID[j])
        }
        let order = words.indices.sorted { less(words[$0].utf8, words[$1].utf8) }
        return QueueNameIndex(stamp: stamp, priorities: priorities, accountIDs: accountIDs, inQueue: inQueue,
                              words: order.map { Array(words[$0].utf8) }, postings: order.map { postings[$0].sorted() }, byID: byID,
                              readIn: clock.now - started)
    }

    static func less(_ a: some Sequence<UInt8>, _ b: some Sequence<UInt8>) -> Bool { a.lexicographicallyPrecedes(b) }

    /// The places the filter matches, as SQL's `SQLiteQueue.matches` does: the cases whose debtor
    /// words start with every word of the filter, or whose account id starts with the filter, or
    /// that hold an invoice whose id starts with it (`invoiceAccounts`: those cases' account ids).
    func matches(words filterWords: [String], filter: String, invoiceAccounts: [String], includeAll: Bool) -> BitSet {
        var named: BitSet?
        for word in filterWords {
            let prefix = Array(word.utf8)
            var set = BitSet()
            var i = lowerBound(prefix)
            while i < words.count, words[i].starts(with: prefix) {
                set.formUnion(postings[i].lazy.map { Int($0) })
                i += 1
            }
            if named == nil { named = set } else { named!.formIntersection(set) }
            if named?.isEmpty == true { break }
        }
        var result = named ?? BitSet()
        let idPrefix = Array(filter.utf8)
        var j = idLowerBound(idPrefix)
        while j < byID.count, accountIDs[Int(byID[j])].utf8.starts(with: idPrefix) {
            result.insert(Int(byID[j]))
            j += 1
        }
        for id in invoiceAccounts {
            if let place = place(ofAccount: id) { result.insert(place) }
        }
        if !includeAll { result.formIntersection(inQueue) }
        return result
    }

    /// The first of `0..<count` where `isBefore` stops holding (it holds for a prefix of them).
    private static func partition(_ count: Int, isBefore: (Int) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if isBefore(mid) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The first word not before `prefix` in byte order.
    private func lowerBound(_ prefix: [UInt8]) -> Int {
        Self.partition(words.count) { Self.less(words[$0], prefix) }
    }

    /// The first position in `byID` whose account id is not before `prefix` in byte order.
    private func idLowerBound(_ prefix: [UInt8]) -> Int {
        Self.partition(byID.count) { Self.less(accountIDs[Int(byID[$0])].utf8, prefix) }
    }

    func place(ofAccount id: String) -> Int? {
        let j = idLowerBound(Array(id.utf8))
        guard j < byID.count, accountIDs[Int(byID[j])] == id else { return nil }
        return Int(byID[j])
    }

    /// The first place whose key comes after `key` in queue order.
    func firstPlace(after key: QueueKey) -> Int {
        Self.partition(priorities.count) {
            priorities[$0] != key.priority ? priorities[$0] > key.priority : !Self.less(key.accountID.utf8, accountIDs[$0].utf8)
        }
    }

    /// The first place whose key is not before `key` in queue order.
    func firstPlace(notBefore key: QueueKey) -> Int {
        Self.partition(priorities.count) {
            priorities[$0] != key.priority ? priorities[$0] > key.priority : Self.less(accountIDs[$0].utf8, key.accountID.utf8)
        }
    }

    /// The keys of the page `query` selects among `matched`, in queue order.
    func page(of matched: BitSet, _ query: QueueQuery) -> [QueueKey] {
        let limit = max(0, query.limit), offset = max(0, query.offset)
        guard limit > 0 else { return [] }
        var places: [Int] = []
        switch query.position {
        case .top, .after:
            let start: Int
            if case .after(let key) = query.position { start = firstPlace(after: key) } else { start = 0 }
            var skipped = 0
            for place in matched[members: start...] {
                if skipped < offset { skipped += 1; continue }
                places.append(place)
                if places.count == limit { break }
            }
        case .before, .end:
            let end: Int
            if case .before(let key) = query.position { end = firstPlace(notBefore: key) } else { end = priorities.count }
            var skipped = 0
            for place in matched[members: ..<end].reversed() {
                if skipped < offset { skipped += 1; continue }
                places.append(place)
                if places.count == limit { break }
            }
            places.reverse()
        }
        return places.map { QueueKey(priority: priorities[$0], accountID: accountIDs[$0]) }
    }
}

/// The store's name index: built on request (the workbench asks when it opens), rebuilt on a
/// thread of its own when a read finds the database changed.
final class NameIndexHolder: Sendable {
    private struct State {
        var index: QueueNameIndex?
        var wanted = false
        var building = false
        /// The last filter's matches (a count, then pages of the same filter, compute them once).
        var matched: (key: String, stamp: QueueNameIndex.Stamp, set: BitSet)?
    }
    private let state = Mutex(State())
    private let served = Atomic<Int>(0)

    /// How many filtered pages the index answered (diagnostics and tests).
    var pagesServed: Int { served.load(ordering: .relaxed) }

    func countServed() { served.add(1, ordering: .relaxed) }

    /// The index when it is valid for `stamp`; otherwise nil, and a rebuild is started if the
    /// index is wanted and none is under way.
    func index(for stamp: QueueNameIndex.Stamp, rebuild: @escaping @Sendable () -> Void) -> QueueNameIndex? {
        let (index, start) = state.withLock { s -> (QueueNameIndex?, Bool) in
            if let index = s.index, index.stamp == stamp { return (index, false) }
            guard s.wanted, !s.building else { return (nil, false) }
            s.building = true
            return (nil, true)
        }
        if start { rebuild() }
        return index
    }

    /// Marks the index wanted; true when the caller should start the first build.
    func want() -> Bool {
        state.withLock { s in
            guard !s.wanted else { return false }
            s.wanted = true
            s.building = true
            return true
        }
    }

    func finished(_ index: QueueNameIndex?) {
        state.withLock { s in
            if let index { s.index = index }
            s.building = false
        }
    }

    var current: QueueNameIndex? { state.withLock { $0.index } }

    func matched(key: String, stamp: QueueNameIndex.Stamp) -> BitSet? {
        state.withLock { s in
            guard let held = s.matched, held.key == key, held.stamp == stamp else { return nil }
            return held.set
        }
    }

    func hold(_ set: BitSet, key: String, stamp: QueueNameIndex.Stamp) {
        state.withLock { $0.matched = (key, stamp, set) }
    }
}
