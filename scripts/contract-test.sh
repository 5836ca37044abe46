#!/usr/bin/env bash
# Contract test: schemathesis (pinned in scripts/contract/requirements.txt) generates requests
# from the served /openapi.json, valid and invalid, for every operation, and checks every answer
# against the document with all of its checks (no 5xx, documented status codes, content types
# and headers, response bodies matching their schemas, schema-valid input accepted, invalid
# input refused). The server is the real debug binary over its own database: the demo catalog,
# a slice of it embedded with the real model. `make test-contract` sets everything up.
#
# Env: SEENEMALL_BIN (default ${CARGO_TARGET_DIR:-target}/debug/seenemall),
#      SCHEMATHESIS (default .local/contract-venv/bin/st),
#      CONTRACT_OUTPUT_DIR (server log + schemathesis report; default test-output/contract),
#      CONTRACT_PORT (default: a free port), CONTRACT_DB (default seenemall_contract, dropped
#      and re-created), CONTRACT_EMBED_ITEMS (titles to embed; default 300),
#      CONTRACT_EXAMPLES (generated cases per operation and phase; default 60),
#      CONTRACT_SEED (default 20240611), EMBED_MODEL (default .local/models/all-MiniLM-L6-v2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="${SEENEMALL_BIN:-${CARGO_TARGET_DIR:-target}/debug/seenemall}"
ST="${SCHEMATHESIS:-$ROOT/.local/contract-venv/bin/st}"
OUT="${CONTRACT_OUTPUT_DIR:-$ROOT/test-output/contract}"
DB="${CONTRACT_DB:-seenemall_contract}"
ITEMS="${CONTRACT_EMBED_ITEMS:-300}"
EXAMPLES="${CONTRACT_EXAMPLES:-60}"
SEED="${CONTRACT_SEED:-20240611}"
MODEL="${EMBED_MODEL:-$ROOT/.local/models/all-MiniLM-L6-v2}"

: "${DATABASE_URL:?DATABASE_URL must be set (eval \"\$(scripts/local-db.sh)\")}"
[ -x "$ST" ] || { echo "no schemathesis at $ST: run make test-contract" >&2; exit 1; }
[ -f "$MODEL/model.safetensors" ] || { echo "no model in $MODEL: run make model" >&2; exit 1; }
[ -x "$BIN" ] || cargo build -p seenemall
mkdir -p "$OUT"
rm -rf "$OUT/report"

started=$SECONDS
phase() { printf '[contract] %s (%ss)\n' "$*" "$((SECONDS - started))"; }

# A database of its own, so the run never touches the demo, the e2e or the unit-test databases.
source scripts/test-server.sh
own_database "$DB" fresh
export EMBED_MODEL="$MODEL"

"$BIN" migrate >/dev/null
"$BIN" import catalog data/demo/catalog.jsonl.gz >/dev/null
"$BIN" embed --max-items "$ITEMS" >/dev/null
phase "catalog imported, $ITEMS titles embedded"

PORT="${CONTRACT_PORT:-$(free_port)}"
# No LLM, TMDB or API token: the run exercises the handlers, not outside services.
serve "$OUT/server.log" /readyz -u OPENAI_API_KEY -u GEMINI_API_KEY -u TMDB_API_KEY -u API_TOKEN
phase "serving on port $PORT"

status=0
# One worker: a ranking in flight makes a second one a 429, which is allowed but tests less.
# Redirects are not followed: a 307 to a streaming service is the answer under test.
"$ST" --config-file scripts/contract/schemathesis.toml run "http://127.0.0.1:$PORT/openapi.json" \
  --checks all --seed "$SEED" --max-examples "$EXAMPLES" --workers 1 --max-redirects 0 \
  --generation-database none --no-color \
  --report junit --report-dir "$OUT/report" || status=$?
phase "schemathesis done (exit $status); server log and report in $OUT"
if [ "$status" != 0 ]; then
  echo "--- last lines of $OUT/server.log" >&2
  tail -n 30 "$OUT/server.log" >&2
fi
exit "$status"
