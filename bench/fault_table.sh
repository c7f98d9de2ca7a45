#!/usr/bin/env bash
# The issue-15 closing table at full size: the fault suite (tests/faults) against the real daemon, real
# Dovecot, a real SMTP sink and PostgreSQL/SQLite, with sizes from the environment. Each test prints its
# counts (letters, entries, replies, filed). CI runs the same tests at their small default sizes.
#
#   nice -n 10 bash bench/fault_table.sh            # SIGKILL x20 over 500 letters, the rest with 100 letters
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BASE=${BASE:-$(mktemp -d /tmp/fault-table-XXXX)}
mkdir -p "$BASE"
status=0
echo "== SIGKILL x${KILLS:-20} over ${KILL_LETTERS:-500} letters"
GATEWAY_FAULT_LETTERS=$(( ${KILL_LETTERS:-500} / 2 )) GATEWAY_FAULT_KILLS=${KILLS:-20} \
  "$PY" -m pytest -q -s -p no:cacheprovider -o timeout=0 --basetemp="$BASE/kill" tests/faults -k sigkill --durations=0 || status=1
echo "== the other scenarios, ${LETTERS:-100} letters, IMAP and database down ${DOWN:-60} s"
GATEWAY_FAULT_LETTERS=${LETTERS:-100} GATEWAY_FAULT_IMAP_DOWN=${DOWN:-60} GATEWAY_FAULT_DB_DOWN=${DOWN:-60} \
  "$PY" -m pytest -q -s -p no:cacheprovider -o timeout=0 --basetemp="$BASE/rest" tests/faults -k "not sigkill" --durations=0 || status=1
exit $status
