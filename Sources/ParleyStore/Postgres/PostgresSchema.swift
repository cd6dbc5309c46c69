/// The PostgreSQL schema: the same tables and columns as SQLite's, as versioned migrations
/// recorded in `schema_migrations`. A migration once shipped is never edited: a change is a new
/// migration appended to the list. Each is a list of single statements (the extended protocol
/// runs one statement per query). Identifiers are `COLLATE "C"` so that they sort and match by
/// prefix byte for byte, as in SQLite.
enum PostgresSchema {
    static let migrations: [(name: String, statements: [String])] = [
        ("v1-portfolio-events-cases", [
            """
            CREATE TABLE accounts (
                id            TEXT COLLATE "C" PRIMARY KEY,
                debtor_name   TEXT NOT NULL,
                debtor_kind   TEXT NOT NULL CHECK (debtor_kind IN ('business', 'consumer')),
                time_zone     TEXT,
                country       TEXT NOT NULL,
                region        TEXT,
                currency      TEXT NOT NULL,
                assignee      TEXT
            )
            """,
            """
            CREATE TABLE contacts (
                id            BIGSERIAL PRIMARY KEY,
                account_id    TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
                position      BIGINT NOT NULL,
                name          TEXT NOT NULL,
                phone         TEXT,
                email         TEXT,
                address       TEXT,
                UNIQUE (account_id, position)
            )
            """,
            """
            CREATE TABLE invoices (
                id            TEXT COLLATE "C" PRIMARY KEY,
                account_id    TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
                issued_on     TEXT NOT NULL,
                due_on        TEXT NOT NULL,
                amount_minor  BIGINT NOT NULL,
                currency      TEXT NOT NULL,
                paid_minor    BIGINT NOT NULL DEFAULT 0,
                disputed      BOOLEAN NOT NULL DEFAULT false
            )
            """,
            "CREATE INDEX invoices_by_account ON invoices(account_id, due_on)",
            """
            CREATE TABLE payments (
                id            TEXT COLLATE "C" PRIMARY KEY,
                account_id    TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
                invoice_id    TEXT COLLATE "C" REFERENCES invoices(id),
                paid_on       TEXT NOT NULL,
                amount_minor  BIGINT NOT NULL,
                currency      TEXT NOT NULL
            )
            """,
            "CREATE INDEX payments_by_account ON payments(account_id, paid_on)",
            """
            CREATE TABLE events (
                id            BIGSERIAL PRIMARY KEY,
                case_id       TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
                seq           BIGINT NOT NULL,
                at            TEXT NOT NULL,
                actor         TEXT NOT NULL,
                actor_role    TEXT NOT NULL,
                kind          TEXT NOT NULL,
                payload       TEXT NOT NULL,
                UNIQUE (case_id, seq)
            )
            """,
            "CREATE INDEX events_by_kind ON events(kind)",
            """
            CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the event log is append-only';
            END
            $$
            """,
            "CREATE TRIGGER events_refuse_update_delete BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION events_refuse_change()",
            "CREATE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change()",
            "REVOKE UPDATE, DELETE, TRUNCATE ON events FROM PUBLIC",
            """
            CREATE TABLE cases (
                account_id        TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts(id),
                debtor_name       TEXT NOT NULL,
                stage             TEXT NOT NULL,
                status            TEXT NOT NULL,
                balance_minor     BIGINT NOT NULL,
                currency          TEXT NOT NULL,
                days_past_due     BIGINT NOT NULL,
                next_action       TEXT,
                next_action_on    TEXT,
                priority          BIGINT NOT NULL,
                priority_reasons  TEXT NOT NULL,
                in_queue          BOOLEAN NOT NULL,
                assignee          TEXT,
                version           BIGINT NOT NULL,
                as_of             TEXT NOT NULL,
                state             TEXT NOT NULL
            )
            """,
            "CREATE INDEX cases_queue_order ON cases(in_queue, priority DESC, account_id)",
            "CREATE INDEX cases_all_order ON cases(priority DESC, account_id)",
            "CREATE INDEX cases_by_status ON cases(status, stage)",
            """
            CREATE TABLE runs (
                as_of         TEXT PRIMARY KEY,
                at            TEXT NOT NULL,
                actor         TEXT NOT NULL,
                summary       TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE operators (
                name          TEXT PRIMARY KEY,
                role          TEXT NOT NULL CHECK (role IN ('collector', 'supervisor'))
            )
            """,
        ]),
        ("v2-leases", [
            """
            CREATE TABLE leases (
                account_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts(id),
                collector     TEXT NOT NULL,
                claimed_at    TEXT NOT NULL,
                expires_at    TEXT NOT NULL
            )
            """,
        ]),
        ("v3-operators", [
            "ALTER TABLE operators ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE",
            "ALTER TABLE operators ADD COLUMN created_at TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE operators ADD COLUMN created_by TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE operators ADD COLUMN retired_at TEXT",
            "ALTER TABLE operators ADD COLUMN retired_by TEXT",
            "CREATE INDEX cases_by_assignee ON cases(assignee)",
            "CREATE INDEX events_by_at ON events(at)",
        ]),
        // The daily run steps only the cases whose day has come (as SQLite's since its v4): the
        // first day time alone can make something due on a case, and the narrow inputs of its
        // priority, from which the run brings every other live case's priority to the date
        // without reading its state. A row written before this migration (or by a rebuild) has
        // `next_due_known` false: the next run steps it and writes them.
        ("v4-run-due-cases", [
            "ALTER TABLE cases ADD COLUMN oldest_due_day BIGINT",
            "ALTER TABLE cases ADD COLUMN callback_day BIGINT",
            "ALTER TABLE cases ADD COLUMN promise_due_day BIGINT",
            "ALTER TABLE cases ADD COLUMN promise_left_minor BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE cases ADD COLUMN promises_broken BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE cases ADD COLUMN last_contact_day BIGINT",
            "ALTER TABLE cases ADD COLUMN next_due_day BIGINT",
            "ALTER TABLE cases ADD COLUMN next_due_known BOOLEAN NOT NULL DEFAULT FALSE",
            "CREATE INDEX cases_due ON cases(next_due_day) WHERE status NOT IN ('resolved', 'writtenOff')",
            "CREATE INDEX cases_due_unknown ON cases(account_id) WHERE NOT next_due_known AND status NOT IN ('resolved', 'writtenOff')",
            // The letters of a day (`parley run`, `parley letters`) found by their day, not by
            // reading every letter event's payload.
            "CREATE INDEX events_letters_by_day ON events ((payload::jsonb #>> '{letterSent,on}')) WHERE kind = 'letter-sent'",
        ]),
        // The next action, its day and the priority's reasons, which every read works out again
        // from the state (`RowDecoding.caseRecord`) and no statement reads; as SQLite's
        // `v13-no-derived-texts`.
        ("v5-no-derived-texts", [
            "ALTER TABLE cases DROP COLUMN next_action, DROP COLUMN next_action_on, DROP COLUMN priority_reasons",
        ]),
        // What each invoice was paid, which every read sums from its payments; as SQLite's
        // `v14-invoice-paid-from-payments`.
        ("v6-invoice-paid-from-payments", [
            "ALTER TABLE invoices DROP COLUMN paid_minor",
        ]),
    ]
}
