import Foundation
import GRDB

/// What bounds an import into an empty SQLite store: a script for `sqlite3`'s shell that writes
/// the rows the import wrote into a new file, with the import's schema and its settings, and
/// nothing else. No CSV is read, no Swift runs, no value is checked or encoded: what it takes is
/// SQLite's own share of the import, the least the import could take on one writer.
///
/// It does what the import does to an empty store (`ImportSchema`): every table's rows inserted
/// in their order with the partial indexes kept, then the other indexes and the triggers made,
/// in `sqlite_master` order; one transaction with a rollback journal, synced at the commit
/// (`RollbackJournalSpell`), 16 KiB pages, the large transaction's page cache and statement
/// journals in memory (`writeLargeTransaction`); foreign keys unchecked, which only makes it
/// less. The rows are read from the imported file (in the system's cache by then), one
/// `INSERT … SELECT` a table; its `WHERE 1 ORDER BY rowid` keeps SQLite from copying the
/// records whole, which it does for a plain `SELECT *` into a table of the same shape.
public enum ImportFloor {
    /// The script, for `sqlite3 NEW-FILE`: `source` is the imported database, opened read-only
    /// to make it (and by the script).
    public static func script(copying source: String) throws -> String {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: source, configuration: configuration)
        let (pageSize, tables, definitions) = try queue.read { db in
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? SQLiteCaseStore.pageSize
            let tables = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master
                WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND sql IS NOT NULL ORDER BY rowid
                """).map { (name: $0["name"] as String, sql: $0["sql"] as String) }
            return (pageSize, tables, try ImportSchema.definitions(db))
        }
        let uri = "file:" + (source.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? source) + "?mode=ro"
        var lines = [
            "PRAGMA page_size = \(pageSize);",
            "PRAGMA cache_size = -\(SQLiteCaseStore.largeTransactionCacheKiB);",
            "PRAGMA temp_store = MEMORY;",
            "PRAGMA journal_mode = DELETE;",
            "PRAGMA synchronous = FULL;",
            "PRAGMA foreign_keys = OFF;",
        ]
        lines += tables.map { $0.sql + ";" }
        lines += definitions.filter(\.partial).map { $0.sql + ";" }
        lines.append("ATTACH \(uri.quotedSQL) AS source;")
        lines.append("BEGIN IMMEDIATE;")
        for table in tables {
            let name = table.name.quotedDatabaseIdentifier
            let order = table.sql.uppercased().contains("WITHOUT ROWID") ? "" : " ORDER BY rowid"
            lines.append("INSERT INTO main.\(name) SELECT * FROM source.\(name) WHERE 1\(order);")
        }
        lines += definitions.filter { !$0.partial }.map { $0.sql + ";" }
        lines.append("COMMIT;")
        return lines.joined(separator: "\n") + "\n"
    }
}

private extension String {
    /// An SQL string literal.
    var quotedSQL: String { "'" + replacingOccurrences(of: "'", with: "''") + "'" }
}
