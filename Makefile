# One entry point. `make run` serves the app; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_VERSION ?= 15
HOST ?= 127.0.0.1
PORT ?= 8050
SCALE ?= city
# pytest-xdist workers of `make test` (the machine has 2 cores); each test file runs in one
# worker, so module fixtures are built once and a background job finds its own app
TEST_WORKERS ?= 2

.PHONY: axe run test redis test-fast lint format bench bench-load bench-lighthouse seed-national \
	clean system-deps venv venv-dev lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# requirements.txt is the runtime lock, requirements-dev.txt the runtime + dev lock: both are
# compiled from pyproject.toml by `make lock`; never edit them by hand.
$(VENV)/.run-installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.run-installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip check
	touch $@

venv: $(VENV)/.run-installed
venv-dev: $(VENV)/.dev-installed

## run: create the venv, migrate and seed the embedded SQLite warehouse if empty, serve :8050
run: venv
	IOC_ENV=$${IOC_ENV:-development} $(BIN)/python -m ioc_app seed --if-empty --scale $(SCALE) \
		$$( [ -n "$$IOC_DEMO_PASSWORD" ] && echo --demo-users )
	IOC_ENV=$${IOC_ENV:-development} $(BIN)/python -m ioc_app serve --host $(HOST) --port $(PORT)

## system-deps: PostGIS, Chromium, npm (axe-core) and (when no server runs) PostgreSQL itself, from apt
system-deps:
	@need=""; \
	dpkg -s postgresql-$(PG_VERSION)-postgis-3 >/dev/null 2>&1 || need="$$need postgresql-$(PG_VERSION) postgresql-$(PG_VERSION)-postgis-3"; \
	command -v pg_virtualenv >/dev/null 2>&1 || need="$$need postgresql-common"; \
	command -v chromium >/dev/null 2>&1 || need="$$need chromium chromium-driver"; \
	command -v redis-server >/dev/null 2>&1 || need="$$need redis-server"; \
	command -v npm >/dev/null 2>&1 || need="$$need npm"; \
	if [ -n "$$need" ]; then \
		echo "installing:$$need"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$need >/dev/null; \
	fi

## axe: axe-core for the browser suite's accessibility checks (npm, pinned by
## tests/browser/package-lock.json; injected by the tests, never served by the app)
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund
	touch $@
axe: $(AXE)

## test: install what the tests need, provide PostgreSQL + PostGIS, run the whole suite
test: system-deps venv-dev redis $(AXE)
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		echo "using the PostgreSQL server on 127.0.0.1:5432"; \
		$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS); \
	else \
		echo "no PostgreSQL server running: using a throwaway pg_virtualenv cluster"; \
		pg_virtualenv -v $(PG_VERSION) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS); \
	fi

## redis: start a throwaway Redis on 127.0.0.1:6379 unless one answers (sessions, limits)
redis:
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no

## test-fast: the suite without browser and slow tests
test-fast: venv-dev
	$(BIN)/python -m pytest -m "not browser and not slow" $(PYTEST_ARGS)

## lint: ruff (rules and formatting), the import-linter contract of the layers
## (.importlinter) and deptry (declared vs imported dependencies)
lint: venv-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/deptry .

## lock: recompile both locks from pyproject.toml with pip-tools, keeping the current pins
## where they still fit; upgrade one package with LOCK_ARGS="--upgrade-package numpy"
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_ARGS)
lock: venv-dev
	$(PIP_COMPILE) --output-file requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.txt \
		--output-file requirements-dev.txt pyproject.toml

format: venv-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: every benchmark under bench/ (prints ratios against in-run baselines)
bench: venv-dev
	for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

## bench-load: the load test of issue 13 on PostgreSQL at national scale under gunicorn
## (QUICK=1: city scale on SQLite, 10 s; BENCH_ARGS="--worker-class sync gthread" compares)
bench-load: venv-dev
	$(BIN)/python bench/bench_load.py $(if $(QUICK),--quick) $(BENCH_ARGS)

## bench-lighthouse: Lighthouse (npm, pinned in bench/package-lock.json) on every page
bench-lighthouse: venv-dev
	$(BIN)/python bench/bench_lighthouse.py $(BENCH_ARGS)

seed-national: venv
	DATABASE_URL=$${DATABASE_URL:-sqlite:///instance/ioc-national.sqlite} \
		$(BIN)/python -m ioc_app seed --scale national --replace

clean:
	rm -rf $(VENV) instance/*.sqlite* .pytest_cache
