# The two commands of the README: `make run` and `make test`. Both set up everything they need.
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export FLASK_APP := app.py

.PHONY: run test setup translations system-packages

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,postgres]"
	touch $@

setup: $(VENV)/.installed translations

translations: $(VENV)/.installed
	@if [ -d bop/translations ]; then $(VENV)/bin/pybabel -q compile --use-fuzzy -d bop/translations; fi

# Debian's Chromium drives the browser tests; poppler-utils renders PDFs to check them; the suite
# runs a second time on a throw-away cluster of Debian's PostgreSQL.
system-packages:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium poppler-utils postgresql >/dev/null; \
	fi

run: setup
	$(VENV)/bin/flask db upgrade
	$(VENV)/bin/flask bop demo --if-empty
	$(VENV)/bin/flask run --host 127.0.0.1 --port 5000

# The whole suite on SQLite, then again on PostgreSQL: a cluster of its own on 127.0.0.1:$(PG_TEST_PORT),
# stopped and removed whatever the tests did. Fails when either run fails.
PG_TEST_PORT ?= 18532

test: setup system-packages
	@echo "== the suite on SQLite"; \
	$(VENV)/bin/pytest; sqlite=$$?; \
	echo "== the suite on PostgreSQL (127.0.0.1:$(PG_TEST_PORT))"; \
	cluster=$$(mktemp -d); trap 'tests/pg-cluster.sh stop '$$cluster EXIT; trap 'exit 130' INT TERM; \
	if tests/pg-cluster.sh start $$cluster $(PG_TEST_PORT); then \
		BOP_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$(PG_TEST_PORT)/postgres \
		BOP_TEST_POSTGRES_LOG=$$cluster/log $(VENV)/bin/pytest; postgres=$$?; \
	else postgres=1; fi; \
	echo "== SQLite: exit $$sqlite, PostgreSQL: exit $$postgres"; \
	[ $$sqlite = 0 ] && [ $$postgres = 0 ]
