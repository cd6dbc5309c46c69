import GRDB

/// An import into an empty SQLite store writes its rows without the secondary indexes and the
/// triggers, and makes them again at the end of the same transaction: `CREATE INDEX` sorts each
/// index once instead of inserting into it row by row, and the two triggers that fire on a new
/// case (its queue count, its debtor's words) are carried out by one statement each over all the
/// cases. DDL is transactional in SQLite: an error anywhere rolls the drops back with the rows.
///
/// Every index (but the partial ones, cheap to keep) and trigger is dropped and made again from
/// its own text in `sqlite_master`, in the order it had there, so the schema afterwards is the
/// one before (the same definitions; `.dump` prints the partial indexes first then); only when
/// every trigger is one this type knows the effect of on an insert into an empty store (a later
/// migration adding another makes the import keep them all).
///
/// An index whose table the import has finished writing may be made before the rest
/// (`makeIndexes(on:)`): the import into an empty store makes those of the accounts' debtor words
/// and of the invoices while its reading thread still reads the files, when the writer would
/// otherwise wait for it.
final class ImportSchema {
    struct Definition: Equatable {
        var type: String
        var name: String
        var sql: String
        /// A partial index (one with a WHERE clause).
        var partial = false
        /// The table it is on.
        var table = ""
    }

    /// What was dropped, in `sqlite_master` order.
    let dropped: [Definition]
    /// The indexes made again already (`makeIndexes(on:)`).
    private var made: Set<String> = []

    init(dropped: [Definition]) {
        self.dropped = dropped
    }

    /// The triggers of the schema and what each does when an import inserts cases into an empty
    /// store: the two that fire on an insert into `cases` are carried out by `restore`; the others
    /// fire only on an update or a delete (of a case, which an import writes once; of an event,
    /// which is never changed).
    static let knownTriggers: Set<String> = [
        "events_refuse_update", "events_refuse_delete",
        "cases_count_insert", "cases_count_delete", "cases_count_update",
        "cases_words_insert", "cases_words_delete", "cases_words_rename",
    ]

    // `events_by_at` is dropped and made again with the rest. Sessions 11 to 14 kept it up row
    // by row (an import's events are of a few hundred instants, each landing at the end of its
    // instant's run), when the writer waited for the reading thread and made it again at the
    // end on its own; since the writer bounds the import, its pages, touched all through the
    // log's writing, spilled from the cache and written again, cost more than one sort at the
    // end. The bench's import, the builds alternated, six pairs: 4.51–5.47 s kept, 4.34–4.77 s
    // made again; user time 7.9–8.5 → 7.1–7.9 s.

    /// Drops every index (but those of primary keys and UNIQUE constraints) and every trigger
    /// when the store holds no account, invoice, payment, event or case yet and every trigger is
    /// known; nil (nothing dropped) otherwise.
    static func dropIfEmpty(_ db: Database) throws -> ImportSchema? {
        let empty = try Bool.fetchOne(db, sql: """
            SELECT NOT (EXISTS (SELECT 1 FROM accounts) OR EXISTS (SELECT 1 FROM invoices) OR EXISTS (SELECT 1 FROM payments)
                OR EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM cases) OR EXISTS (SELECT 1 FROM debtor_words))
            """) ?? false
        guard empty else { return nil }
        // Partial indexes are kept: an insert costs them the test of their WHERE, most rows
        // (events that are not letters, placements or escalations to the agency) add no entry,
        // while making one again scans its whole table: at 200,000 accounts the three on the
        // log took 0.33 s each to make, one scan of the 1.55 million events each.
        let definitions = try definitions(db).filter { !$0.partial }
        guard definitions.filter({ $0.type == "trigger" }).allSatisfy({ knownTriggers.contains($0.name) }) else { return nil }
        for definition in definitions.reversed() {
            try db.execute(sql: "DROP \(definition.type == "trigger" ? "TRIGGER" : "INDEX") \(definition.name.quotedDatabaseIdentifier)")
        }
        return ImportSchema(dropped: definitions)
    }

    /// The indexes and triggers that have a definition, in `sqlite_master` order.
    static func definitions(_ db: Database) throws -> [Definition] {
        try Row.fetchAll(db, sql: """
            SELECT type, name, sql, tbl_name,
                   type = 'index' AND COALESCE((SELECT partial FROM pragma_index_list(m.tbl_name) p WHERE p.name = m.name), 0) AS partial
            FROM sqlite_master m WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid
            """).map { Definition(type: $0["type"], name: $0["name"], sql: $0["sql"], partial: $0["partial"], table: $0["tbl_name"]) }
    }

    /// Makes again the dropped indexes on `tables`, which the import has finished writing: no
    /// row of theirs is written after this. The import of the bench's portfolio made those of
    /// the debtor words and of the invoices in its last second, on the writer alone (0.25 and
    /// 0.35 s, sqlite3 alone), while its reading thread sat idle; made when their tables are
    /// whole, they take the time the writer spent waiting for the reading thread as it read
    /// the invoices and payments.
    func makeIndexes(on tables: Set<String>, _ db: Database) throws {
        for definition in dropped where definition.type == "index" && tables.contains(definition.table) && !made.contains(definition.name) {
            try db.execute(sql: definition.sql)
            made.insert(definition.name)
        }
    }

    /// Carries out what the insert triggers would have done for every case now in the store (all
    /// of them inserted by this import), then makes the indexes and triggers again. With
    /// `wordsWritten`, the import wrote the accounts' debtor words itself
    /// (`RowInserts.writeGatheredWords`), and they are not made again here.
    func restore(_ db: Database, wordsWritten: Bool = false) throws {
        let names = Set(dropped.map(\.name))
        if names.contains("cases_count_insert") {
            try db.execute(sql: "UPDATE queue_counts SET n = n + (SELECT COUNT(*) FROM cases c WHERE c.in_queue = queue_counts.in_queue)")
        }
        if names.contains("cases_words_insert"), !wordsWritten {
            try db.execute(sql: Schema.fillDebtorWords)
        }
        for definition in dropped where !made.contains(definition.name) {
            try db.execute(sql: definition.sql)
        }
    }
}
