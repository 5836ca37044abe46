#!/usr/bin/env bash
# Fault suite (`make test-faults`): the debug server against failing LLM/TMDB fakes, and its
# Postgres restarted under mixed load (see crates/api/examples/fault_suite/main.rs).
#
# The suite restarts Postgres, so it runs a cluster of its own (.local/pg-faults on port
# 54349, stopped at exit) and never disturbs the development or test databases. Each run
# starts from a fresh database: migrate, the demo catalog, a slice of it embedded with the
# real model. Expects the built binaries (`cargo build -p seenemall` and
# `cargo build -p seen-api --example fault_suite`); `make test-faults` builds them.
#
# Env: SEENEMALL_BIN (default ${CARGO_TARGET_DIR:-target}/debug/seenemall),
#      FAULT_SUITE_BIN (default ${CARGO_TARGET_DIR:-target}/debug/examples/fault_suite),
#      FAULTS_OUTPUT_DIR (server log; default test-output/), FAULTS_PG_PORT (default 54349),
#      FAULTS_EMBED_ITEMS (default 300), EMBED_MODEL (default .local/models/all-MiniLM-L6-v2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="${SEENEMALL_BIN:-$TARGET/debug/seenemall}"
DRIVER="${FAULT_SUITE_BIN:-$TARGET/debug/examples/fault_suite}"
OUT="${FAULTS_OUTPUT_DIR:-$ROOT/test-output}"
MODEL="${EMBED_MODEL:-$ROOT/.local/models/all-MiniLM-L6-v2}"
ITEMS="${FAULTS_EMBED_ITEMS:-300}"
LOG="$OUT/faults-server.log"
PID_FILE="$OUT/faults-server.pid"

[ -x "$BIN" ] || { echo "no server binary at $BIN: run cargo build -p seenemall" >&2; exit 1; }
[ -x "$DRIVER" ] || { echo "no driver at $DRIVER: run cargo build -p seen-api --example fault_suite" >&2; exit 1; }
[ -f "$MODEL/model.safetensors" ] || { echo "no model in $MODEL: run make model" >&2; exit 1; }
mkdir -p "$OUT"

started=$SECONDS
phase() { printf '[faults] %s (%ss)\n' "$*" "$((SECONDS - started))"; }

# The suite's own cluster: local-db.sh would otherwise reuse a reachable DATABASE_URL.
unset DATABASE_URL
export SEENEMALL_PG_DIR=.local/pg-faults
export SEENEMALL_PG_PORT="${FAULTS_PG_PORT:-54349}"
export SEENEMALL_PG_DB=seenemall_faults
cleanup() {
  # The driver kills the server it started; this covers a driver that died first.
  if [ -f "$PID_FILE" ]; then
    kill "$(cat "$PID_FILE")" 2>/dev/null || true
    rm -f "$PID_FILE"
  fi
  scripts/local-db.sh stop || true
}
trap cleanup EXIT
eval "$(scripts/local-db.sh)"

# A fresh database every run.
source scripts/test-server.sh
own_database "$SEENEMALL_PG_DB" fresh
export EMBED_MODEL="$MODEL"
"$BIN" migrate
"$BIN" import catalog data/demo/catalog.jsonl.gz
"$BIN" embed --max-items "$ITEMS"
phase "database ready ($ITEMS titles embedded)"

status=0
"$DRIVER" --server "$BIN" --model "$MODEL" --log "$LOG" --pid-file "$PID_FILE" \
  -- scripts/local-db.sh restart || status=$?
phase "fault suite done (exit $status); server log in $LOG"
exit "$status"
