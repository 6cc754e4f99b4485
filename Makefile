# The two commands of the README: `make run` and `make test`. Both set up everything they need.
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export FLASK_APP := app.py

.PHONY: run test setup translations system-packages js-packages lock production-check

# Every install takes the exact versions (and hashes) of requirements.lock, then BOP itself.
$(VENV)/.installed: pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@$(PY) -m pip check >/dev/null || { $(PY) -m pip check; echo "requirements.lock misses a dependency of pyproject.toml: run make lock"; exit 1; }
	touch $@

# After changing the dependencies in pyproject.toml, or to move to today's releases: `make lock`.
UV_VERSION ?= 0.13.9
lock:
	[ -x $(VENV)/bin/uv ] || { python3 -m venv $(VENV) && $(PY) -m pip install --quiet uv==$(UV_VERSION); }
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --extra postgres --generate-hashes --universal \
		--python-version 3.11 --upgrade --quiet --custom-compile-command "make lock" -o requirements.lock

setup: $(VENV)/.installed translations

translations: $(VENV)/.installed
	@if [ -d bop/translations ]; then $(VENV)/bin/pybabel -q compile --use-fuzzy -d bop/translations; fi

# Debian's Chromium drives the browser tests; poppler-utils renders PDFs to check them; Node.js
# runs Mozilla's ical.js on the calendar feed; the suite runs a second time on a throw-away cluster
# of Debian's PostgreSQL.
system-packages:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null || ! command -v npm >/dev/null \
			|| ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium poppler-utils postgresql \
			$$(command -v npm >/dev/null || echo nodejs npm) >/dev/null; \
	fi

# The local demo's secret key: random, written once, readable only by its owner. Production sets
# BOP_SECRET_KEY instead (see the README); without a real key the app refuses to start.
instance/secret_key:
	@mkdir -p instance
	@umask 077 && python3 -c 'import secrets; print(secrets.token_hex(32))' > $@.tmp && mv $@.tmp $@
	@echo "Created a random secret key for the local demo in $@"

# ical.js for tests/test_ical_js.py and axe-core for tests/test_axe_browser.py, exactly as
# tests/js/package-lock.json pins them; installed again when the lockfile is newer than the install.
js-packages: system-packages
	@if [ ! -f tests/js/node_modules/.package-lock.json ] \
			|| [ tests/js/package-lock.json -nt tests/js/node_modules/.package-lock.json ]; then \
		npm ci --prefix tests/js --no-audit --no-fund --silent; fi

run: setup instance/secret_key
	$(VENV)/bin/flask db upgrade
	$(VENV)/bin/flask bop demo --if-empty
	$(VENV)/bin/flask run --host 127.0.0.1 --port 5000

# The whole suite on SQLite, then again on PostgreSQL: a cluster of its own on 127.0.0.1:$(PG_TEST_PORT),
# stopped and removed whatever the tests did. Fails when either run fails.
PG_TEST_PORT ?= 18532

test: setup system-packages js-packages
	$(VENV)/bin/ruff check bop tests bench
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

# The README's "Running in production", run as it stands against a throw-away PostgreSQL and Redis.
production-check:
	$(SUDO) bin/production-check
