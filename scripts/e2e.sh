#!/usr/bin/env bash
# Browser end-to-end test: the real binary serving the real API and the built UI over the
# demo catalog (a slice of it embedded with the real model, to keep CI fast), driven by
# playwright-core in Debian's Chromium. Expects DATABASE_URL (see scripts/local-db.sh), the
# built UI (frontend/dist) and `chromium` (scripts/ensure-chromium.sh). `make test-e2e` does all.
#
# Env: SEENEMALL_BIN (default ${CARGO_TARGET_DIR:-target}/debug/seenemall),
#      E2E_OUTPUT_DIR (server log + screenshots; default test-output/),
#      E2E_PORT (default: a free port), E2E_DB (default seenemall_e2e, dropped and re-created),
#      E2E_EMBED_ITEMS (titles to embed, in catalog order; default 800: "Toy Story" (616),
#      "Toy Story 2" and plenty of family and animated titles are among them),
#      EMBED_MODEL (default .local/models/all-MiniLM-L6-v2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="${SEENEMALL_BIN:-${CARGO_TARGET_DIR:-target}/debug/seenemall}"
OUT="${E2E_OUTPUT_DIR:-$ROOT/test-output}"
E2E_ITEMS="${E2E_EMBED_ITEMS:-800}"
E2E_DB="${E2E_DB:-seenemall_e2e}"
MODEL="${EMBED_MODEL:-$ROOT/.local/models/all-MiniLM-L6-v2}"
mkdir -p "$OUT"
rm -f "$OUT"/e2e*.png

: "${DATABASE_URL:?DATABASE_URL must be set (eval \"\$(scripts/local-db.sh)\")}"
[ -f frontend/dist/index.html ] || { echo "frontend/dist is not built: run make frontend" >&2; exit 1; }
[ -f "$MODEL/model.safetensors" ] || { echo "no model in $MODEL: run make model" >&2; exit 1; }
[ -d frontend/node_modules/playwright-core ] || { echo "playwright-core missing: run make frontend-deps" >&2; exit 1; }
[ -x "$BIN" ] || cargo build -p seenemall

started=$SECONDS
phase() { printf '[e2e] %s (%ss)\n' "$*" "$((SECONDS - started))"; }

# A database of its own, so the e2e never touches the demo or the unit-test databases.
source scripts/test-server.sh
own_database "$E2E_DB" fresh
export EMBED_MODEL="$MODEL"

"$BIN" migrate
"$BIN" import catalog data/demo/catalog.jsonl.gz
phase "catalog imported"
"$BIN" embed --max-items "$E2E_ITEMS"
phase "embedded $E2E_ITEMS titles"

PORT="${E2E_PORT:-$(free_port)}"
serve "$OUT/e2e-server.log" /healthz UI_DIR=frontend/dist
phase "serving on port $PORT"

status=0
(cd frontend && E2E_BASE_URL="http://127.0.0.1:$PORT" E2E_OUTPUT_DIR="$OUT" node e2e/e2e.mjs) || status=$?
phase "browser test done (exit $status); screenshots and server log in $OUT"
if [ "$status" != 0 ]; then
  echo "--- last lines of $OUT/e2e-server.log" >&2
  tail -n 30 "$OUT/e2e-server.log" >&2
fi
exit "$status"
