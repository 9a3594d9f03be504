# Yunting: `make run` serves the platform with demo data; `make test` runs lint and the whole suite.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PG_URL    ?= postgres://postgres@127.0.0.1:5432/yunting
REDIS_URL_TEST ?= redis://127.0.0.1:6379/15
PYTEST_WORKERS ?= 2

.PHONY: run test bench lint assets venv clean-data messages

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
