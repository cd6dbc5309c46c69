#!/usr/bin/env bash
# The floor under `parley import`, measured with sqlite3 itself (BENCHMARKS.md, "What bounds the
# misses"): the bench's portfolio inserted by SQLite's own engine into parley's schema — first the
# rows alone (accounts, contacts, invoices, payments, with their indexes), then the events the
# log holds at the least (an opening per account with its invoices, one per payment) — beside the bench's
# reference, sqlite3's `.import` of invoices.csv into a plain table. No Swift runs in the timed part.
#
# JOURNAL is the journal mode of the timed part: `delete` (the default), the rollback journal
# parley's import into an empty store takes since session 16 (RollbackJournalSpell, with
# synchronous FULL), or `wal`, what it took before and takes into a store with records or one
# another connection has open.
#
#   Docs/import-floor.sh [PARLEY_BINARY] [PORTFOLIO_DIR] [JOURNAL]
set -euo pipefail
parley=${1:-.build-release/release/parley}
portfolio=${2:-${XDG_CACHE_HOME:-$HOME/.cache}/parley/bench/portfolio-1-200000x5}
journal=${3:-delete}
case "$journal" in
  delete) synchronous=FULL ;;
  wal) synchronous=NORMAL ;;
  *) echo "import-floor.sh: JOURNAL must be delete or wal, not '$journal'" >&2; exit 2 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# An empty database with parley's schema (every migration).
"$parley" queue --db "$work/floor.sqlite" >/dev/null 2>&1 || true

TIMEFORMAT='real %R s'
echo "sqlite3 .import of invoices.csv into a plain table (the bench's reference):"
time sqlite3 "$work/plain.sqlite" <<SQL
.mode csv
.import $portfolio/invoices.csv invoices
SQL

echo "into parley's schema (rows, then events; journal mode $journal), each statement timed:"
sqlite3 "$work/floor.sqlite" <<SQL
.output /dev/null
PRAGMA journal_mode=$journal;
PRAGMA synchronous=$synchronous;

PRAGMA foreign_keys=ON;
PRAGMA cache_size=-131072;
ATTACH ':memory:' AS raw;
.mode csv
.import --schema raw $portfolio/accounts.csv a
.import --schema raw $portfolio/invoices.csv i
.import --schema raw $portfolio/payments.csv p
.output stdout
.timer on
BEGIN;
.print accounts
INSERT INTO accounts (id, debtor_name, debtor_kind, time_zone, country, region, currency, assignee)
  SELECT account_id, debtor_name, debtor_kind, time_zone, country, nullif(region, ''), currency, nullif(assignee, '') FROM raw.a;
.print contacts
INSERT INTO contacts (account_id, position, name, phone, email, address)
  SELECT account_id, 0, contact_name, phone, email, address FROM raw.a;
.print invoices
INSERT INTO invoices (id, account_id, issued_on, due_on, amount_minor, currency, disputed)
  SELECT invoice_id, account_id, issued_on, due_on, CAST(replace(amount, '.', '') AS INTEGER), currency, disputed = 'true' FROM raw.i;
.print payments
INSERT INTO payments (id, account_id, invoice_id, paid_on, amount_minor, currency)
  SELECT payment_id, account_id, nullif(invoice_id, ''), paid_on, CAST(replace(amount, '.', '') AS INTEGER), 'EUR' FROM raw.p;
.print commit
COMMIT;
BEGIN;
.print "events: opened, one per account, carrying the account's invoices as [id, due, amount, currency] (the log since session 13)"
INSERT INTO events (case_id, seq, at, actor, actor_role, kind, payload)
  SELECT a.account_id, 1, '2026-11-01T12:00:00Z', 'bench', 'supervisor', 'opened',
         '{"opened":{"accountID":"' || a.account_id || '","currency":"' || a.currency || '","debtorKind":"' || a.debtor_kind
         || '","invoices":' || coalesce(i.invoices, '[]') || ',"on":"2026-11-01"}}'
  FROM raw.a a LEFT JOIN (
    SELECT account_id, json_group_array(json_array(invoice_id, due_on, amount, currency)) AS invoices
    FROM raw.i GROUP BY account_id) i ON i.account_id = a.account_id;
.print "events: payment-received, one per payment"
INSERT INTO events (case_id, seq, at, actor, actor_role, kind, payload)
  SELECT account_id, 1 + row_number() OVER (PARTITION BY account_id ORDER BY paid_on), paid_on || 'T12:00:00Z', 'bench', 'supervisor', 'payment-received',
         '{"paymentReceived":{"amount":{"amount":"' || amount || '","currency":"EUR"},"on":"' || paid_on || '"}}' FROM raw.p;
.print commit
COMMIT;
SQL
