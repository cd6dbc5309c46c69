import GRDB
import ParleyCore

/// The SQLite schema, as versioned migrations. A migration once shipped is never edited: a change
/// is a new migration appended to the list.
enum Schema {
    /// Every case's debtor words, as the insert trigger makes them one case at a time: the lower-
    /// cased name split on spaces (an import into an empty store, which drops the trigger, runs
    /// it once at its end).
    static let fillDebtorWords = """
        INSERT OR IGNORE INTO debtor_words (word, account_id)
            WITH RECURSIVE split(word, account_id, rest) AS (
                SELECT '', account_id, lower(debtor_name) || ' ' FROM cases
                UNION ALL
                SELECT substr(rest, 1, instr(rest, ' ') - 1), account_id, substr(rest, instr(rest, ' ') + 1)
                FROM split WHERE rest <> ''
            )
            SELECT word, account_id FROM split WHERE word <> ''
        """

    /// `fillDebtorWords` as migration v5 ran it, when each word carried its case's queue flag
    /// (kept as it was: a migration once shipped is not edited).
    private static let fillDebtorWordsV5 = """
        INSERT OR IGNORE INTO debtor_words (word, account_id, in_queue)
            WITH RECURSIVE split(word, account_id, in_queue, rest) AS (
                SELECT '', account_id, in_queue, lower(debtor_name) || ' ' FROM cases
                UNION ALL
                SELECT substr(rest, 1, instr(rest, ' ') - 1), account_id, in_queue, substr(rest, instr(rest, ' ') + 1)
                FROM split WHERE rest <> ''
            )
            SELECT word, account_id, in_queue FROM split WHERE word <> ''
        """

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-portfolio-events-cases") { db in
            // The portfolio as imported: reference data for show, letters and the agency file.
            try db.execute(sql: """
                CREATE TABLE accounts (
                    id            TEXT PRIMARY KEY NOT NULL,
                    debtor_name   TEXT NOT NULL,
                    debtor_kind   TEXT NOT NULL CHECK (debtor_kind IN ('business', 'consumer')),
                    time_zone     TEXT,
                    country       TEXT NOT NULL,
                    region        TEXT,
                    currency      TEXT NOT NULL,
                    assignee      TEXT
                );
                CREATE INDEX accounts_by_debtor_name ON accounts(debtor_name COLLATE NOCASE);

                CREATE TABLE contacts (
                    id            INTEGER PRIMARY KEY AUTOINCREMENT,
                    account_id    TEXT NOT NULL REFERENCES accounts(id),
                    position      INTEGER NOT NULL,
                    name          TEXT NOT NULL,
                    phone         TEXT,
                    email         TEXT,
                    address       TEXT,
                    UNIQUE (account_id, position)
                );

                CREATE TABLE invoices (
                    id            TEXT PRIMARY KEY NOT NULL,
                    account_id    TEXT NOT NULL REFERENCES accounts(id),
                    issued_on     TEXT NOT NULL,
                    due_on        TEXT NOT NULL,
                    amount_minor  INTEGER NOT NULL,
                    currency      TEXT NOT NULL,
                    paid_minor    INTEGER NOT NULL DEFAULT 0,
                    disputed      INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX invoices_by_account ON invoices(account_id, due_on);

                CREATE TABLE payments (
                    id            TEXT PRIMARY KEY NOT NULL,
                    account_id    TEXT NOT NULL REFERENCES accounts(id),
                    invoice_id    TEXT REFERENCES invoices(id),
                    paid_on       TEXT NOT NULL,
                    amount_minor  INTEGER NOT NULL,
                    currency      TEXT NOT NULL
                );
                CREATE INDEX payments_by_account ON payments(account_id, paid_on);

                -- The record: one row per event, never changed, never removed.
                CREATE TABLE events (
                    id            INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id       TEXT NOT NULL REFERENCES accounts(id),
                    seq           INTEGER NOT NULL,
                    at            TEXT NOT NULL,
                    actor         TEXT NOT NULL,
                    actor_role    TEXT NOT NULL,
                    kind          TEXT NOT NULL,
                    payload       TEXT NOT NULL,
                    UNIQUE (case_id, seq)
                );
                CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
                CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

                -- The projection: one row per case, rewritten with the events that change it.
                CREATE TABLE cases (
                    account_id        TEXT PRIMARY KEY NOT NULL REFERENCES accounts(id),
                    debtor_name       TEXT NOT NULL,
                    stage             TEXT NOT NULL,
                    status            TEXT NOT NULL,
                    balance_minor     INTEGER NOT NULL,
                    currency          TEXT NOT NULL,
                    days_past_due     INTEGER NOT NULL,
                    next_action       TEXT,
                    next_action_on    TEXT,
                    priority          INTEGER NOT NULL,
                    priority_reasons  TEXT NOT NULL,
                    in_queue          INTEGER NOT NULL,
                    assignee          TEXT,
                    version           INTEGER NOT NULL,
                    as_of             TEXT NOT NULL,
                    state             TEXT NOT NULL
                );
                CREATE INDEX cases_queue_order ON cases(in_queue, priority DESC, account_id);
                CREATE INDEX cases_all_order ON cases(priority DESC, account_id);
                CREATE INDEX cases_by_status ON cases(status, stage);
                CREATE INDEX cases_by_debtor_name ON cases(debtor_name COLLATE NOCASE);
                CREATE INDEX events_by_kind ON events(kind);

                -- One row per completed daily run: a second run for the same date does nothing.
                CREATE TABLE runs (
                    as_of         TEXT PRIMARY KEY NOT NULL,
                    at            TEXT NOT NULL,
                    actor         TEXT NOT NULL,
                    summary       TEXT NOT NULL
                );

                -- Operators and their roles arrive with a later issue; the table is here so that
                -- events can name them from the start.
                CREATE TABLE operators (
                    name          TEXT PRIMARY KEY NOT NULL,
                    role          TEXT NOT NULL CHECK (role IN ('collector', 'supervisor'))
                );
                """)
        }
        migrator.registerMigration("v2-leases") { db in
            // Who is working which case: claim-next holds a case under a lease that expires.
            try db.execute(sql: """
                CREATE TABLE leases (
                    account_id    TEXT PRIMARY KEY NOT NULL REFERENCES accounts(id),
                    collector     TEXT NOT NULL,
                    claimed_at    TEXT NOT NULL,
                    expires_at    TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3-operators") { db in
            // Operators with their roles; a retired operator keeps their row (the log names them).
            try db.execute(sql: """
                ALTER TABLE operators ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
                ALTER TABLE operators ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
                ALTER TABLE operators ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
                ALTER TABLE operators ADD COLUMN retired_at TEXT;
                ALTER TABLE operators ADD COLUMN retired_by TEXT;
                CREATE INDEX cases_by_assignee ON cases(assignee);
                CREATE INDEX events_by_at ON events(at);
                """)
        }
        migrator.registerMigration("v4-run-inputs") { db in
            // What the daily run reads instead of every case's state: the day time alone next
            // makes something due on the case (NULL: never, only an event can), and the inputs of
            // its priority as plain numbers (days since 1970-01-01), so that one UPDATE brings
            // every case's priority to the run's date.
            // The table is made again, narrow: the state (about 1 KB of JSON, spilling to an
            // overflow page) moves to `case_states`, so that the run's UPDATE of the priorities
            // rewrites small rows (measured on 195,488 live cases, 132,252 changed: 2.6 s with the
            // state in the row, 1.0 s without), and the narrow columns come before the JSON ones.
            // The index of every case by priority (`cases_all_order`) is not made again: it only
            // served `parley queue --all`, which sorts instead, and the UPDATE kept it too (0.57 s
            // without it of the 1.0 s).
            try db.execute(sql: """
                CREATE TABLE case_states (
                    case_id            TEXT PRIMARY KEY NOT NULL REFERENCES accounts(id),
                    state              TEXT NOT NULL
                );
                INSERT INTO case_states (case_id, state) SELECT account_id, state FROM cases;
                CREATE TABLE cases_v4 (
                    account_id         TEXT PRIMARY KEY NOT NULL REFERENCES accounts(id),
                    debtor_name        TEXT NOT NULL,
                    stage              TEXT NOT NULL,
                    status             TEXT NOT NULL,
                    balance_minor      INTEGER NOT NULL,
                    currency           TEXT NOT NULL,
                    days_past_due      INTEGER NOT NULL,
                    priority           INTEGER NOT NULL,
                    in_queue           INTEGER NOT NULL,
                    assignee           TEXT,
                    version            INTEGER NOT NULL,
                    as_of              TEXT NOT NULL,
                    next_due_day       INTEGER,
                    oldest_due_day     INTEGER,
                    callback_day       INTEGER,
                    promise_due_day    INTEGER,
                    promise_left_minor INTEGER NOT NULL DEFAULT 0,
                    promises_broken    INTEGER NOT NULL DEFAULT 0,
                    last_contact_day   INTEGER,
                    next_action_on     TEXT,
                    next_action        TEXT,
                    priority_reasons   TEXT NOT NULL
                );
                INSERT INTO cases_v4 (account_id, debtor_name, stage, status, balance_minor, currency, days_past_due, priority,
                                      in_queue, assignee, version, as_of, next_action_on, next_action, priority_reasons)
                SELECT account_id, debtor_name, stage, status, balance_minor, currency, days_past_due, priority,
                       in_queue, assignee, version, as_of, next_action_on, next_action, priority_reasons FROM cases;
                DROP TABLE cases;
                ALTER TABLE cases_v4 RENAME TO cases;
                CREATE INDEX cases_queue_order ON cases(in_queue, priority DESC, account_id);
                CREATE INDEX cases_by_status ON cases(status, stage);
                CREATE INDEX cases_by_debtor_name ON cases(debtor_name COLLATE NOCASE);
                CREATE INDEX cases_by_assignee ON cases(assignee);
                CREATE INDEX cases_by_next_due ON cases(next_due_day) WHERE next_due_day IS NOT NULL;
                """)
            // Cases written before: their inputs from the state; a live case is looked at by the
            // next run (which writes its real next due day).
            let rows = try Row.fetchCursor(db, sql: "SELECT case_id AS account_id, state FROM case_states")
            while let row = try rows.next() {
                let id: String = row["account_id"]
                let state = try StoreCodec.decodeState(row["state"] as String)
                let p = PriorityInputs(state: state)
                try db.execute(sql: """
                    UPDATE cases SET next_due_day = ?, oldest_due_day = ?, callback_day = ?, promise_due_day = ?,
                        promise_left_minor = ?, promises_broken = ?, last_contact_day = ?
                    WHERE account_id = ?
                    """, arguments: [state.status.isClosed ? nil : Int(Int32.min), p.oldestDueDay, p.callbackDay, p.promiseDueDay,
                                     p.promiseLeftMinor, p.promisesBroken, p.lastContactDay, id])
            }
        }
        migrator.registerMigration("v5-queue-counts-and-names") { db in
            // The queue's size without a scan: a count per value of `in_queue`, kept by triggers.
            // The debtor filter without a scan: each lower-cased word of a case's debtor name
            // (split on spaces), matched by prefix on the word's index, kept by triggers too.
            let words = """
                WITH RECURSIVE split(word, rest) AS (
                    SELECT '', lower(NEW.debtor_name) || ' '
                    UNION ALL
                    SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> ''
                )
                SELECT word, NEW.account_id, NEW.in_queue FROM split WHERE word <> ''
                """
            try db.execute(sql: """
                CREATE TABLE queue_counts (
                    in_queue      INTEGER PRIMARY KEY NOT NULL,
                    n             INTEGER NOT NULL
                );
                INSERT INTO queue_counts (in_queue, n)
                    SELECT 0, (SELECT COUNT(*) FROM cases WHERE in_queue = 0)
                    UNION ALL SELECT 1, (SELECT COUNT(*) FROM cases WHERE in_queue = 1);
                CREATE TRIGGER cases_count_insert AFTER INSERT ON cases
                BEGIN UPDATE queue_counts SET n = n + 1 WHERE in_queue = NEW.in_queue; END;
                CREATE TRIGGER cases_count_delete AFTER DELETE ON cases
                BEGIN UPDATE queue_counts SET n = n - 1 WHERE in_queue = OLD.in_queue; END;
                CREATE TRIGGER cases_count_update AFTER UPDATE OF in_queue ON cases WHEN OLD.in_queue IS NOT NEW.in_queue
                BEGIN
                    UPDATE queue_counts SET n = n - 1 WHERE in_queue = OLD.in_queue;
                    UPDATE queue_counts SET n = n + 1 WHERE in_queue = NEW.in_queue;
                END;

                CREATE TABLE debtor_words (
                    word          TEXT NOT NULL,
                    account_id    TEXT NOT NULL,
                    in_queue      INTEGER NOT NULL,
                    PRIMARY KEY (word, account_id)
                ) WITHOUT ROWID;
                CREATE INDEX debtor_words_by_account ON debtor_words(account_id, word);
                \(fillDebtorWordsV5);
                CREATE TRIGGER cases_words_insert AFTER INSERT ON cases
                BEGIN INSERT OR IGNORE INTO debtor_words (word, account_id, in_queue) \(words); END;
                CREATE TRIGGER cases_words_delete AFTER DELETE ON cases
                BEGIN DELETE FROM debtor_words WHERE account_id = OLD.account_id; END;
                CREATE TRIGGER cases_words_rename AFTER UPDATE OF debtor_name ON cases WHEN OLD.debtor_name IS NOT NEW.debtor_name
                BEGIN
                    DELETE FROM debtor_words WHERE account_id = OLD.account_id;
                    INSERT OR IGNORE INTO debtor_words (word, account_id, in_queue) \(words);
                END;
                CREATE TRIGGER cases_words_in_queue AFTER UPDATE OF in_queue ON cases WHEN OLD.in_queue IS NOT NEW.in_queue
                BEGIN UPDATE debtor_words SET in_queue = NEW.in_queue WHERE account_id = NEW.account_id; END;
                """)
        }
        // The day's letters and placements, which `parley run` and `parley letters` write out,
        // found by an index on the day in the event, not by reading every letter or escalation
        // in the log: at 200,000 accounts ten days after the import, 0.22 s and 0.30 s for those
        // two scans, growing with every day's events.
        migrator.registerMigration("v6-deliveries-by-day") { db in
            try db.execute(sql: """
                CREATE INDEX events_letters_by_day ON events(json_extract(payload, '$.letterSent.on'))
                    WHERE kind = 'letter-sent';
                CREATE INDEX events_placed_by_day ON events(json_extract(payload, '$.placedWithAgency.on'))
                    WHERE kind = 'placed-with-agency';
                CREATE INDEX events_escalated_to_agency_by_day ON events(json_extract(payload, '$.escalated.on'))
                    WHERE kind = 'escalated' AND json_extract(payload, '$.escalated.to') = 'agency';
                """)
        }
        // Where each case's log ends, kept with its state: a case read for a write (above all by
        // the daily run, which reads every case due) no longer looks over its events for their
        // last sequence number and latest instant. Filled from the log for the cases there are.
        migrator.registerMigration("v7-case-log-position") { db in
            try db.execute(sql: """
                ALTER TABLE case_states ADD COLUMN seq INTEGER;
                ALTER TABLE case_states ADD COLUMN latest_at TEXT;
                UPDATE case_states SET
                    seq = (SELECT MAX(seq) FROM events WHERE case_id = case_states.case_id),
                    latest_at = (SELECT MAX(at) FROM events WHERE case_id = case_states.case_id);
                """)
        }
        // The log's table made again with `id INTEGER PRIMARY KEY`, not AUTOINCREMENT: the log
        // is never deleted from (its triggers refuse it), so the next id is the largest plus one
        // either way, and AUTOINCREMENT only added a write of `sqlite_sequence` to every event
        // (sqlite3 alone, 355,374 events appended to the log of 200,000 accounts: 1.85 s with
        // it, 1.50 s without). Its indexes and triggers are made again from their own text.
        migrator.registerMigration("v8-events-rowid") { db in
            let definitions = try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid
                """)
            try db.execute(sql: """
                CREATE TABLE events_v8 (
                    id            INTEGER PRIMARY KEY,
                    case_id       TEXT NOT NULL REFERENCES accounts(id),
                    seq           INTEGER NOT NULL,
                    at            TEXT NOT NULL,
                    actor         TEXT NOT NULL,
                    actor_role    TEXT NOT NULL,
                    kind          TEXT NOT NULL,
                    payload       TEXT NOT NULL,
                    UNIQUE (case_id, seq)
                );
                INSERT INTO events_v8 (id, case_id, seq, at, actor, actor_role, kind, payload)
                    SELECT id, case_id, seq, at, actor, actor_role, kind, payload FROM events ORDER BY id;
                DROP TABLE events;
                ALTER TABLE events_v8 RENAME TO events;
                DELETE FROM sqlite_sequence WHERE name IN ('events', 'events_v8');
                """)
            for sql in definitions { try db.execute(sql: sql) }
        }
        // Three indexes the run kept up on every step and no read needs: a catch-up day after a
        // large import paid for them on every case it stepped. `Docs/run-floor.sh` (sqlite3 alone,
        // 167,419 cases stepped at 200,000 accounts): the two events a case with their commit
        // 1.47–1.59 → 0.98 s without `events_by_kind` (every new entry lands in the middle of
        // its kind's run, splitting half-full pages); the case rows' UPDATE 1.23–1.35 → 0.49 s
        // without `cases_by_status` and `cases_by_next_due` (a stepped case moves in both).
        // What read through them: the run's due cases (now one scan of the narrow rows, 35–45 ms
        // at 200,000 cases, as long as the index's read on a catch-up day), the recalls of a
        // day and the closed cases of the period figures (each a partial index of its own, on
        // the few events it reads, which every other insert only tests the WHERE of). The audit
        // log's filter on a kind: a kind of work (anything but the bookkeeping the import and
        // the run write by the hundred thousand) through a partial index on the kind and the
        // instant; a bookkeeping kind, common, through `events_by_at`, newest first (0.03 s for
        // the latest letters at 200,000 accounts, 0.6 s for the oldest kind, the opened cases).
        migrator.registerMigration("v9-lean-run-indexes") { db in
            try db.execute(sql: """
                DROP INDEX cases_by_status;
                DROP INDEX cases_by_next_due;
                DROP INDEX events_by_kind;
                CREATE INDEX events_recalled ON events(case_id, seq) WHERE \(Schema.recalledEvents);
                CREATE INDEX events_closing ON events(case_id, at) WHERE \(PeriodFigureQueries.closingEvents);
                CREATE INDEX events_by_work_kind ON events(kind, at) WHERE \(Schema.workKinds);
                """)
        }
        // The contact rules' events of a case (its payments and validation notices: the last
        // of each is all `ContactProfile` takes from the log) found by a partial index of their
        // own, not by reading every event of the case to test its kind: on the fourth day after
        // an import at 200,000 accounts, when 123,771 cases may be placed with the agency, the
        // run's reads of them went through the log's (case_id, seq) index and then each of the
        // case's ten or so events in the table, 0.83 s of the run's stepping thread. An insert
        // tests the WHERE; only payments and validation notices add an entry.
        migrator.registerMigration("v10-contact-facts-index") { db in
            try db.execute(sql: "CREATE INDEX \(Schema.contactFactsIndex) ON events(case_id, seq) WHERE \(Schema.contactFactEvents)")
        }
        // The debtor words without their case's queue flag, and the queued cases' ids in a
        // partial index of their own: the flag was kept by a trigger that, for every case leaving
        // or joining the queue, looked up its words and rewrote each (on the fourth day after an
        // import at 200,000 accounts, 72,792 cases placed with the agency: sqlite3 alone, their
        // UPDATE took 0.61 s with that trigger, 0.40 s without it and with this index). The name
        // filter's SQL now asks the index whether a matching case is queued (`SQLiteQueue`: at
        // 200,000 cases, the count of a one-letter word prefix with 27,717 queued matches took
        // 29 ms against 21 ms with the flag in the word's row).
        migrator.registerMigration("v11-words-without-queue-flag") { db in
            let words = """
                WITH RECURSIVE split(word, rest) AS (
                    SELECT '', lower(NEW.debtor_name) || ' '
                    UNION ALL
                    SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> ''
                )
                SELECT word, NEW.account_id FROM split WHERE word <> ''
                """
            try db.execute(sql: """
                DROP TRIGGER cases_words_in_queue;
                DROP TRIGGER cases_words_insert;
                DROP TRIGGER cases_words_rename;
                ALTER TABLE debtor_words DROP COLUMN in_queue;
                CREATE TRIGGER cases_words_insert AFTER INSERT ON cases
                BEGIN INSERT OR IGNORE INTO debtor_words (word, account_id) \(words); END;
                CREATE TRIGGER cases_words_rename AFTER UPDATE OF debtor_name ON cases WHEN OLD.debtor_name IS NOT NEW.debtor_name
                BEGIN
                    DELETE FROM debtor_words WHERE account_id = OLD.account_id;
                    INSERT OR IGNORE INTO debtor_words (word, account_id) \(words);
                END;
                CREATE INDEX \(Schema.queuedIDsIndex) ON cases(account_id) WHERE in_queue = 1;
                """)
        }
        // The two indexes of debtor names, which no query reads since the name filter went
        // through the debtor words (`SQLiteQueue`, `QueueNameIndex`; no statement filters or
        // orders by a name, and none names either index): an import made each again at its
        // end, on the writer alone (0.18 and 0.17 s at 200,000 accounts, sqlite3 alone), and
        // a case's new name rewrote both. It changes no row, so GRDB need not check every
        // foreign key of the database after it (`.immediate`: 0.7 s at 200,000 accounts).
        migrator.registerMigration("v12-no-name-indexes", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: """
                DROP INDEX accounts_by_debtor_name;
                DROP INDEX cases_by_debtor_name;
                """)
        }
        // The next action, its day and the priority's reasons, which every read of a case works
        // out again from its state for the case's clock (`RowDecoding.caseRecord`) and no
        // statement reads: 177 of a row's 276 bytes at 200,000 accounts, written for every case
        // a run steps. sqlite3 alone, the first daily run's UPDATE of 167,000 rows of a new
        // database with its commit: 0.80–0.87 s with them, 0.60–0.66 s without. The rows of a
        // database from before keep their pages until a VACUUM. No key changes (`.immediate`).
        migrator.registerMigration("v13-no-derived-texts", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: """
                ALTER TABLE cases DROP COLUMN next_action;
                ALTER TABLE cases DROP COLUMN next_action_on;
                ALTER TABLE cases DROP COLUMN priority_reasons;
                """)
        }
        // What each invoice was paid, which is the sum of the payments that name it: every read of
        // an account reads its payments with its invoices and sums them (`RowDecoding.account`),
        // and no statement read the column otherwise. Kept in the row, it took an UPDATE of an
        // invoice for every payment written: at 200,000 accounts, 335,160 of them, 302 of the
        // 4,400 samples of the import's writer, which bounds the import (`perf record`). No key
        // changes (`.immediate`).
        migrator.registerMigration("v14-invoice-paid-from-payments", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: "ALTER TABLE invoices DROP COLUMN paid_minor")
        }
        return migrator
    }

    /// The index of the queued cases' ids, `v11-words-without-queue-flag`.
    static let queuedIDsIndex = "cases_queued_ids"

    /// The index of the events the contact rules read, `v10-contact-facts-index`.
    static let contactFactsIndex = "events_contact_facts"

    /// The events the contact rules read (`ContactProfile(state:debtor:events:)`: payments
    /// received and validation notices sent), as the partial index `events_contact_facts` and
    /// the queries through it name them. A letter's payload names its kind by the raw value
    /// (`{"letterSent":{"_0":"validation-notice","on":...}}`), which no other field of a letter
    /// can hold. Kept as migration v10 made the index (a migration once shipped is not edited).
    static let contactFactEvents = "(kind = 'payment-received' OR (kind = 'letter-sent' AND instr(payload, '\"validation-notice\"') > 0))"

    /// The recalls from the agency, as the query that reads them and its partial index name them
    /// (SQLite uses a partial index only for a query whose WHERE has the index's own terms).
    static let recalledEvents = "kind = '\(EventKind.recalled.rawValue)'"

    /// The kinds the import and the run write in bulk, which `events_by_work_kind` leaves out:
    /// the period figures' bookkeeping kinds as migration v9 made the index, kept here as they
    /// were then (a migration once shipped is never edited, and a query spelling out other
    /// terms than its index's would no longer be read through it).
    static let bulkKinds: [EventKind] = [.opened, .invoiceAdded, .paymentReceived, .tick, .escalated, .letterSent]

    /// The events that are work on a case, not bookkeeping, as a query on them and the partial
    /// index `events_by_work_kind` name them: one comparison each (a list after `NOT IN` would be
    /// made into a table for every single-row insert that tests it).
    static let workKinds = bulkKinds.map { "kind <> '\($0.rawValue)'" }.joined(separator: " AND ")
}
