# Allmende — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install run serve test test-fast e2e lint format messages demo clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Development server: SQLite, in-memory channel layer, daphne plus the task worker.
# `make run HOST=0.0.0.0 PORT=8001`: links in mails, exports and on the console follow.
run: export DEBUG = 1
run: export BASE_URL ?= http://$(HOST):$(PORT)
run: $(STAMP)
	$(PY) manage.py migrate --noinput -v 0
	@echo "Database ready (migrations applied)."
	$(PY) manage.py demo_content
	@echo "Allmende is starting on $(BASE_URL)/ (Ctrl+C stops server and worker)"
	@$(PY) manage.py db_worker --interval 0.5 & worker=$$!; \
	trap 'trap - INT TERM; kill $$worker 2>/dev/null; wait $$worker 2>/dev/null; exit 0' INT TERM; \
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) config.asgi:application & server=$$!; \
	wait $$server; kill $$worker 2>/dev/null; wait $$worker 2>/dev/null; true

# Every core (pytest-xdist), skip reasons printed. The browser tests run after the others,
# in a run of their own, whole files per worker (tests/conftest.py says why). PYTEST_ARGS
# replaces all of that with a single run of your own (CI passes its own).
test: $(STAMP)
ifeq ($(strip $(PYTEST_ARGS)),)
	$(PY) -m pytest -n auto -rs -m "not e2e"
	$(PY) -m pytest -n auto --dist loadfile -rs -m e2e
else
	$(PY) -m pytest $(PYTEST_ARGS)
endif

test-fast: $(STAMP)
	$(PY) -m pytest -n auto -rs -m "not e2e" $(PYTEST_ARGS)

e2e: $(STAMP)
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy participation cooperative
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m tests.i18n_check
	$(PY) -m tests.import_graph

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the German catalogue (needs GNU gettext), then compile it.
messages: $(STAMP)
	$(PY) manage.py makemessages -l de --no-location --no-obsolete --ignore=.venv --ignore=tests --ignore=bench --ignore=var --ignore=docs --ignore=node_modules
	$(PY) manage.py compilemessages -l de --ignore=.venv

clean:
	rm -rf $(VENV) var db.sqlite3
