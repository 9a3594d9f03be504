# Yunting: `make run` serves the platform with demo data; `make test` runs lint and the whole suite.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PG_URL    ?= postgres://postgres@127.0.0.1:5432/yunting
REDIS_URL_TEST ?= redis://127.0.0.1:6379/15
PYTEST_WORKERS ?= 2

.PHONY: run test bench lint assets venv clean-data messages loadtest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/uv pip install -q --python $(BIN)/python -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

assets/vendor/.done: package.json package-lock.json scripts/vendor_assets.sh
	bash scripts/vendor_assets.sh
	touch $@

assets: assets/vendor/.done

run: venv assets
	bash scripts/system_deps.sh run
	$(BIN)/yunting migrate --noinput -v0
	$(BIN)/yunting demo --quiet
	@echo
	@echo "云庭 Yunting → http://$(HOST):$(PORT)/  (log in with a demo account above)"
	$(BIN)/yunting serve --host $(HOST) --port $(PORT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0

test: venv assets
	bash scripts/system_deps.sh
	$(MAKE) --no-print-directory lint
	@echo "== SQLite leg (embedded defaults) =="
	env -u DATABASE_URL -u REDIS_URL $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider
	@if $(BIN)/python scripts/have_services.py; then \
	  echo "== PostgreSQL + Redis leg ($(PG_URL), $(REDIS_URL_TEST)) =="; \
	  DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_URL_TEST) $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider -m "not browser"; \
	else \
	  echo "PostgreSQL or Redis not reachable on 127.0.0.1: skipped the PostgreSQL leg"; \
	fi

bench: venv
	$(BIN)/python bench/run.py

messages: venv
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean-data:
	rm -rf var

# The load test of docs/PERFORMANCE.md (issue 18): PostgreSQL + Redis, `yunting serve --workers 4`, a seeded
# database of LOAD_CASES cases, locust headless for LOAD_DURATION. Locust (it pulls gevent) gets a venv of its
# own. `make loadtest LOAD_DURATION=2m LOAD_CASES=20000` for a short run; SEED=0 reuses the seeded database.
LOAD_VENV     ?= .venv-load
LOAD_USERS    ?= 200
LOAD_DURATION ?= 10m
LOAD_CASES    ?= 100000
LOAD_RAMP     ?= 1

$(LOAD_VENV)/bin/locust: pyproject.toml | $(BIN)/python
	$(PYTHON) -m venv $(LOAD_VENV)
	$(BIN)/uv pip install -q --python $(LOAD_VENV)/bin/python 'locust>=2.30'

loadtest: venv assets $(LOAD_VENV)/bin/locust
	bash scripts/system_deps.sh
	YUNTING_LOAD_CASES=$(LOAD_CASES) LOCUST=$(LOAD_VENV)/bin/locust RAMP=$(LOAD_RAMP) SEED=$(SEED) \
	  bash bench/locust/run.sh $(LOAD_USERS) $(LOAD_DURATION)
