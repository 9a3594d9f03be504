#!/usr/bin/env bash
# The load test of docs/PERFORMANCE.md on one machine, in the layout of docs/DEPLOY.md: PostgreSQL, Redis,
# `yunting serve --workers $WORKERS --no-worker`, `yunting worker` × $JOB_WORKERS, `yunting ledger sequence`,
# then locust headless. Usage: bench/locust/run.sh [USERS] [DURATION] (defaults 200, 10m).
# Environment: LOAD_PG (postgres://postgres@127.0.0.1:5432/yunting_load), LOAD_REDIS (redis://127.0.0.1:6379/7),
# YUNTING_LOAD_CASES (100000), WORKERS (4), JOB_WORKERS (2), SEED=0 to reuse the seeded database.
set -euo pipefail
cd "$(dirname "$0")/../.."
USERS=${1:-200}; DURATION=${2:-10m}; WORKERS=${WORKERS:-4}; JOB_WORKERS=${JOB_WORKERS:-2}
export DATABASE_URL=${LOAD_PG:-postgres://postgres@127.0.0.1:5432/yunting_load}
export REDIS_URL=${LOAD_REDIS:-redis://127.0.0.1:6379/7}
export YUNTING_DATA_DIR=${YUNTING_DATA_DIR:-$PWD/var/load}
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
pids=()
$BIN/yunting serve --host 127.0.0.1 --port 8765 --workers "$WORKERS" --no-worker >"$OUT/serve.log" 2>&1 & pids+=($!)
for i in $(seq "$JOB_WORKERS"); do $BIN/yunting worker >"$OUT/worker$i.log" 2>&1 & pids+=($!); done
$BIN/yunting ledger sequence --every 1 >"$OUT/sequence.log" 2>&1 & pids+=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -fs -o /dev/null http://127.0.0.1:8765/login/ && break; sleep 1; done
( while sleep 5; do ps -o pcpu=,comm= -C locust,yunting,python,postgres | awk '{c[$2]+=$1} END {for (k in c) printf "%s=%.0f%% ", k, c[k]; print ""}'; done ) >"$OUT/cpu.log" 2>&1 & pids+=($!)
$BIN/locust -f bench/locust/locustfile.py --host http://127.0.0.1:8765 --headless -u "$USERS" -r 5 -t "$DURATION" \
  --csv "$OUT/run" --only-summary 2>&1 | tee "$OUT/locust.txt" | tail -40
echo "report: $OUT/run_stats.csv, CPU samples: $OUT/cpu.log"
