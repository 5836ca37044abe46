#!/usr/bin/env bash
# Load test of a running server (`make demo` in another shell first). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p seen-api --example load -- "${BENCH_BASE_URL:-http://127.0.0.1:8000}" "${BENCH_REQUESTS:-600}" "${BENCH_CONCURRENCY:-8}"
