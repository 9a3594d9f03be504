#!/usr/bin/env bash
# The load test of docs/PERFORMANCE.md on one machine, in the layout of docs/DEPLOY.md: PostgreSQL, Redis,
# `yunting serve --workers $WORKERS --no-worker` (a connection pool of $DB_POOL per worker), `yunting worker`
# × $JOB_WORKERS, `yunting ledger sequence`, then locust headless. `make loadtest` runs it.
# Usage: bench/locust/run.sh [USERS] [DURATION] (defaults 200, 10m).
# Environment: LOAD_PG (postgres://postgres@127.0.0.1:5432/yunting_load), LOAD_REDIS (redis://127.0.0.1:6379/7),
# YUNTING_LOAD_CASES (100000), WORKERS (4), JOB_WORKERS (2), DB_POOL (8), RAMP (users started per second, 1),
# LOCUST (the locust binary), SEED=0 to reuse the seeded database.
set -euo pipefail
cd "$(dirname "$0")/../.."
USERS=${1:-200}; DURATION=${2:-10m}; WORKERS=${WORKERS:-4}; JOB_WORKERS=${JOB_WORKERS:-2}; DB_POOL=${DB_POOL:-8}
RAMP=${RAMP:-1}; LOCUST=${LOCUST:-.venv-load/bin/locust}; [ -x "$LOCUST" ] || LOCUST=.venv/bin/locust
export DATABASE_URL=${LOAD_PG:-postgres://postgres@127.0.0.1:5432/yunting_load}
export REDIS_URL=${LOAD_REDIS:-redis://127.0.0.1:6379/7}
export YUNTING_DATA_DIR=${YUNTING_DATA_DIR:-$PWD/var/load}
export YUNTING_DB_CONN_MAX_AGE=0             # ASGI: no connection left open per request thread
export YUNTING_LOGIN_FAILURE_LIMIT=100000   # 200 simulated people share 4 demo logins from one address
OUT=$YUNTING_DATA_DIR/report; mkdir -p "$OUT"
BIN=.venv/bin
if [ "${SEED:-1}" = "1" ]; then
  $BIN/python - <<PY
import psycopg
base, name = "$DATABASE_URL".rsplit("/", 1)
with psycopg.connect(base + "/postgres", autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'); c.execute(f'CREATE DATABASE "{name}"')
PY
  rm -rf "$YUNTING_DATA_DIR"; mkdir -p "$OUT"
  $BIN/python bench/locust/seed.py
  $BIN/python -c "from reportlab.pdfgen import canvas; c = canvas.Canvas('bench/locust/sample.pdf'); c.drawString(100, 750, 'Supplementary evidence'); c.save()"
fi
$BIN/yunting migrate --noinput -v0
pids=()
YUNTING_DB_POOL=$DB_POOL $BIN/yunting serve --host 127.0.0.1 --port 8765 --workers "$WORKERS" --no-worker \
  >"$OUT/serve.log" 2>&1 & pids+=($!)
for i in $(seq "$JOB_WORKERS"); do $BIN/yunting worker >"$OUT/worker$i.log" 2>&1 & pids+=($!); done
$BIN/yunting ledger sequence --every 0.25 >"$OUT/sequence.log" 2>&1 & pids+=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
# Wait for the web workers (on a loaded machine four Django imports take minutes); never run locust against a
# server that is not up: every request would be "connection refused", which measures nothing.
up=0; for _ in $(seq "${READY_WAIT:-600}"); do curl -fs -o /dev/null http://127.0.0.1:8765/login/ && { up=1; break; }; sleep 1; done
[ "$up" = 1 ] || { echo "the web workers did not answer within ${READY_WAIT:-600} s: see $OUT/serve.log" >&2; exit 1; }
read -r _ u0 n0 s0 i0 w0 q0 sq0 _ < /proc/stat
TIMEFORMAT="%U %S %R"  # locust's own CPU seconds (user, system) and the wall seconds: its share of the machine
{ time "$LOCUST" -f bench/locust/locustfile.py --host http://127.0.0.1:8765 --headless -u "$USERS" -r "$RAMP" \
    -t "$DURATION" --csv "$OUT/run" --only-summary >"$OUT/locust.txt" 2>&1 || true; } 2>"$OUT/locust.time"
read -r _ u1 n1 s1 i1 w1 q1 sq1 _ < /proc/stat
busy=$(( (u1 + n1 + s1 + q1 + sq1) - (u0 + n0 + s0 + q0 + sq0) )); idle=$(( (i1 + w1) - (i0 + w0) ))
echo "machine_busy_share=$(awk -v b=$busy -v i=$idle 'BEGIN {printf "%.2f", b / (b + i)}')" >"$OUT/cpu.txt"
echo "worker_restarts=$(grep -c 'died' "$OUT/serve.log" || true)" >>"$OUT/cpu.txt"
# background jobs count as errors too: a job worker that fails every job leaves the pages fast and the court stuck
echo "jobs_done=$(cat "$OUT"/worker*.log | grep -c 'Job OK' || true)" >>"$OUT/cpu.txt"
echo "jobs_failed=$(cat "$OUT"/worker*.log | grep -c 'exception raised while executing' || true)" >>"$OUT/cpu.txt"
echo "load_average=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/cpu.txt"
$BIN/python bench/locust/report.py "$OUT" "$USERS" "$DURATION" "$WORKERS"
