#!/usr/bin/env bash
# Query-quality floor: serves the demo catalog (every title embedded with the real model, no
# LLM, no TMDB key) from a database of its own and runs `seenemall eval queries` over
# data/queries/queries.jsonl for a new user; fails when the deterministic path's overall
# NDCG@10 falls below QUERY_EVAL_FLOOR. `make test-queries` sets everything up.
#
# Env: SEENEMALL_BIN (default ${CARGO_TARGET_DIR:-target}/debug/seenemall),
#      QUERY_EVAL_DB (default seenemall_queries; kept between runs, so the ~5 min embedding
#      happens once per machine: `embed` only embeds titles without a vector),
#      QUERY_EVAL_FLOOR (default 0.41: measured 0.4504 on 2026-12-05, session 11, README "Query understanding"),
#      QUERY_EVAL_OUTPUT_DIR (server log + report; default test-output/queries),
#      EMBED_MODEL (default .local/models/all-MiniLM-L6-v2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="${SEENEMALL_BIN:-${CARGO_TARGET_DIR:-target}/debug/seenemall}"
DB="${QUERY_EVAL_DB:-seenemall_queries}"
FLOOR="${QUERY_EVAL_FLOOR:-0.41}"
OUT="${QUERY_EVAL_OUTPUT_DIR:-$ROOT/test-output/queries}"
MODEL="${EMBED_MODEL:-$ROOT/.local/models/all-MiniLM-L6-v2}"

: "${DATABASE_URL:?DATABASE_URL must be set (eval \"\$(scripts/local-db.sh)\")}"
[ -f "$MODEL/model.safetensors" ] || { echo "no model in $MODEL: run make model" >&2; exit 1; }
[ -x "$BIN" ] || cargo build -p seenemall
mkdir -p "$OUT"

started=$SECONDS
phase() { printf '[queries] %s (%ss)\n' "$*" "$((SECONDS - started))"; }

source scripts/test-server.sh
own_database "$DB" keep
export EMBED_MODEL="$MODEL"

"$BIN" migrate >/dev/null
"$BIN" import catalog data/demo/catalog.jsonl.gz >/dev/null
"$BIN" embed >/dev/null
phase "demo catalog imported and embedded"

PORT="$(free_port)"
serve "$OUT/server.log" /readyz -u OPENAI_API_KEY -u GEMINI_API_KEY -u TMDB_API_KEY -u API_TOKEN
# Requests before the in-memory catalog copy is loaded read Postgres (approximate HNSW, no
# offline "like X" linking, no full-text index): wait for the copy so every run scores the
# same path.
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/metrics" 2>/dev/null | grep -Eq '^seenemall_catalog_cache_titles [1-9]' && break
  sleep 0.5
done
phase "serving on port $PORT, catalog copy loaded"

"$BIN" eval queries data/queries/queries.jsonl --url "http://127.0.0.1:$PORT" --min-ndcg "$FLOOR" \
  | tee "$OUT/report.txt"
phase "query set above the floor $FLOOR"
