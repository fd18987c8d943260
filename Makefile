# Task-management REST API — developer commands. Run `make` or `make help` for the list.

CARGO       ?= cargo
# Extra arguments for `make test`, e.g. `make test NEXTEST_ARGS='-E "test(login)"'`.
NEXTEST_ARGS ?=
# Extra arguments for `make seed`, e.g. `make seed SEED_ARGS=--reset` or
# `make seed SEED_ARGS="--reset --users 1000 --projects-per-user 10 --tasks-per-project 100"`.
SEED_ARGS   ?=
# Starts a throw-away PostgreSQL server unless TEST_DATABASE_URL is already set.
TEST_PG     := bash scripts/test-postgres.sh
# `make bench` reads BENCH_* variables from the environment (see docs/benchmarks.md), e.g.
# `BENCH_DURATION=30 make bench`.

.DEFAULT_GOAL := help

.PHONY: help run seed build test contract lint fmt migrate clean-data bench bench-pg

help: ## Show this list of targets
	@echo "Usage: make <target>"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: ## Run the API server on http://127.0.0.1:8000 (Swagger UI at /api/docs)
	$(CARGO) run -p api

seed: ## Fill the database with demo data: log in as test@email.com / password (SEED_ARGS for more)
	$(CARGO) run -p api -- seed $(SEED_ARGS)

build: ## Build every crate in the workspace
	$(CARGO) build --workspace

test: ## Run all tests with nextest (installed if missing; starts a temporary PostgreSQL unless TEST_DATABASE_URL is set), then the contract check
	CARGO="$(CARGO)" bash scripts/ensure-nextest.sh
	$(TEST_PG) $(CARGO) nextest run --workspace --all-targets --no-fail-fast $(NEXTEST_ARGS)
	CARGO="$(CARGO)" bash scripts/contract-check.sh

contract: ## Check the OpenAPI document against the real server: validator, schemathesis fuzzer, client generator (ST_ARGS for more)
	CARGO="$(CARGO)" bash scripts/contract-check.sh

lint: ## Check formatting and run clippy with warnings denied
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt: ## Format all code
	$(CARGO) fmt --all

bench: ## Load benchmark on SQLite (release build, 1M seeded tasks, wrk); results in target/bench/
	CARGO="$(CARGO)" bash scripts/bench.sh

bench-pg: ## The same benchmark on a throw-away PostgreSQL (or on TEST_DATABASE_URL: it is emptied!)
	CARGO="$(CARGO)" $(TEST_PG) bash -c 'BENCH_DATABASE_URL="$$TEST_DATABASE_URL" exec bash scripts/bench.sh'

migrate: ## Apply pending database migrations
	$(CARGO) run -p api -- migrate up

clean-data: ## Delete the local data/ directory (default SQLite database)
	rm -rf data/
