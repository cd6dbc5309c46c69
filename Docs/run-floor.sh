#!/usr/bin/env bash
# The floor under the first daily runs after a large import, measured with sqlite3 itself
# (BENCHMARKS.md, "What bounds the misses"): on a copy of a bench database, what the run must write
# for N stepped cases at the least, by SQLite's own engine — two events a case (the step and its
# letter), each case's projection row and its state (the state rewritten at its own size) — in
# one transaction, each statement timed. No Swift runs.
#
#   Docs/run-floor.sh DATABASE [N]     (N defaults to 167419, the first day's stepped cases at 200k)
#
# Two variants show what a change of schema would gain, the copy changed before anything is timed:
#   STATE_BYTES=150 Docs/run-floor.sh DATABASE   every state cut to that many bytes (a compact
#                                                state's size), the copy vacuumed
#   NO_LOG_INDEXES=1 Docs/run-floor.sh DATABASE  the log without events_by_at (and events_by_kind, on a
#                                                database from before migration v9, which drops it)
set -euo pipefail
source_db=${1:?a parley database (parley bench --keep prints where it is)}
n=${2:-167419}
[[ ${STATE_BYTES:-0} =~ ^[0-9]+$ ]] || { echo "run-floor.sh: STATE_BYTES=$STATE_BYTES is not a number of bytes" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$source_db" "$work/run.sqlite"
if [[ -n ${STATE_BYTES:-} ]]; then
  sqlite3 "$work/run.sqlite" "PRAGMA journal_mode=DELETE; UPDATE case_states SET state = substr(state, 1, $STATE_BYTES); VACUUM; PRAGMA journal_mode=WAL;" >/dev/null
fi
if [[ -n ${NO_LOG_INDEXES:-} ]]; then
  sqlite3 "$work/run.sqlite" "DROP INDEX IF EXISTS events_by_kind; DROP INDEX events_by_at;"
fi
sqlite3 "$work/run.sqlite" <<SQL
.output /dev/null
PRAGMA journal_mode=WAL;
PRAGMA cache_size=-131072;
CREATE TEMP TABLE stepped AS SELECT account_id FROM cases ORDER BY account_id LIMIT $n;
.output stdout
.print "cases stepped: $n"
.timer on
BEGIN;
.print "events: the step, one per case"
INSERT INTO events (case_id, seq, at, actor, actor_role, kind, payload)
  SELECT s.account_id, 1000, '2026-11-02T06:00:00Z', 'system', 'supervisor', 'escalated',
         '{"on":"2026-11-02","to":"reminder"}' FROM stepped s;
.print "events: its letter, one per case"
INSERT INTO events (case_id, seq, at, actor, actor_role, kind, payload)
  SELECT s.account_id, 1001, '2026-11-02T06:00:00Z', 'system', 'supervisor', 'letter-sent',
         '{"kind":"reminder","on":"2026-11-02"}' FROM stepped s;
.print "projection rows"
UPDATE cases SET stage = 'reminder', version = version + 2, as_of = '2026-11-02', next_due_day = next_due_day + 1,
       days_past_due = days_past_due + 1
  WHERE account_id IN (SELECT account_id FROM stepped);
.print "states, each rewritten at its size"
UPDATE case_states SET state = state || '' WHERE case_id IN (SELECT account_id FROM stepped);
.print commit
COMMIT;
SQL
