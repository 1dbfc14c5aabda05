# Buurtsignaal. `make run` for the demo, `make test` for the suite. See README.md.
# Every target that starts Django names its settings module: without one, manage.py, wsgi and
# Celery fall back to backend.settings.production, which needs its environment.
PYTHON ?= python3
PORT ?= 8000
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install axe oidc-provider api-lint run test fuzz lint format check-deploy schema-check compose-check bench clean \
	faults faults-ci faults-pending bench-quick bench-smoke bench-profile bench-tools

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | .tools/bin/uv
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced  ## virtualenv from the lock file

# axe-core for the accessibility browser test (docs/adr/0038), from tests/browser's npm lock
# file. Without npm the test skips with a hint, except in CI (CI=true), where it fails.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/browser --no-audit --no-fund && touch $@; \
	elif [ -n "$${CI:-}" ]; then \
	  echo "axe: npm is missing; install Debian's nodejs and npm (apt-get install nodejs npm)"; exit 1; \
	else \
	  echo "axe: npm is missing, so the accessibility browser test will be skipped"; \
	fi

axe: $(AXE)  ## axe-core for tests/browser (npm ci from tests/browser/package-lock.json)

# The OpenID Provider the sign-in tests start (tests/oidc, docs/adr/0046): the certified
# oidc-provider from tests/oidc/provider's npm lock file. Without node the tests skip with a
# hint, except in CI (CI=true), where they fail.
OIDC_PROVIDER := tests/oidc/provider/node_modules/oidc-provider/package.json
$(OIDC_PROVIDER): tests/oidc/provider/package.json tests/oidc/provider/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/oidc/provider --no-audit --no-fund && touch $@; \
	elif [ -n "$${CI:-}" ]; then \
	  echo "oidc-provider: npm is missing; install Debian's nodejs and npm"; exit 1; \
	else \
	  echo "oidc-provider: npm is missing, so the sign-in tests against a provider will be skipped"; \
	fi

oidc-provider: $(OIDC_PROVIDER)  ## the test OpenID Provider (npm ci from tests/oidc/provider)

run: install  ## demo on SQLite with a real Celery worker over the filesystem transport
	PORT=$(PORT) DJANGO_SETTINGS_MODULE=backend.settings.demo scripts/run-demo

test: install axe oidc-provider  ## the suite against PostgreSQL and Redis at 127.0.0.1
	DJANGO_SETTINGS_MODULE=backend.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

# Fault scenarios (docs/reliability.md) start their own Redis, PostgreSQL, gunicorn, workers and
# beat on free loopback ports; `make test` leaves them out. Totals land in var/fault-totals.json.
FAULTS_SELECTION := faults and not pending_fix
faults-ci: install  ## the bounded fault scenarios, as CI runs them
	$(VENV)/bin/pytest -q -m "$(FAULTS_SELECTION)" tests/faults $(PYTEST_ARGS)

faults: install  ## long fault runs: FAULTS_SCALE (default 6) stretches traffic and faults, sweepers as in production
	FAULTS_SCALE=$${FAULTS_SCALE:-6} FAULTS_SWEEPERS=$${FAULTS_SWEEPERS:-production} \
	$(VENV)/bin/pytest -q -m "$(FAULTS_SELECTION)" tests/faults $(PYTEST_ARGS)

faults-pending: install  ## scenarios whose fixes land with issues 8 and 9 (fail until then)
	$(VENV)/bin/pytest -q -m "faults and pending_fix" tests/faults $(PYTEST_ARGS)

# The long fuzz run: schemathesis, every operation as every caller (docs/adr/0017). `make test`
# runs the same tests bounded (3 examples per mode, 6 coverage cases) with a fixed seed.
FUZZ_EXAMPLES ?= 200
FUZZ_COVERAGE ?= 1000
FUZZ_SEED ?= $(shell date +%s)
fuzz: install  ## schemathesis against our own schema, tens of minutes (FUZZ_EXAMPLES, FUZZ_SEED)
	DJANGO_SETTINGS_MODULE=backend.settings.test \
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_COVERAGE=$(FUZZ_COVERAGE) FUZZ_SEED=$(FUZZ_SEED) \
	$(VENV)/bin/pytest -q tests/fuzz $(PYTEST_ARGS)

lint: install  ## ruff, and the app graph's import-linter contracts (.importlinter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .

check-deploy: install  ## production settings pass Django's deployment checks
	DJANGO_SETTINGS_MODULE=backend.settings.production DJANGO_SECRET_KEY=$$($(VENV)/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DJANGO_ALLOWED_HOSTS=buurtsignaal.example PUSH_GATEWAY=console \
	EMAIL_URL=smtp+tls://buurtsignaal:secret@smtp.example.org:587 DEFAULT_FROM_EMAIL='Buurtsignaal <noreply@buurtsignaal.example>' \
	FIELD_ENCRYPTION_KEYS=$$($(VENV)/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	$(VENV)/bin/python manage.py check --deploy --fail-level WARNING

schema-check: install  ## the OpenAPI schema generates without warnings
	DJANGO_SETTINGS_MODULE=backend.settings.test $(VENV)/bin/python manage.py spectacular --fail-on-warn --validate --file /dev/null

# The NL API Design Rules (docs/adr/0043): Logius' Spectral ruleset on the generated document,
# @stoplight/spectral-cli from tests/api's npm lock file (install scripts off). Prints every
# finding and the totals (var/api-lint-totals.json); fails on an error or an unexplained warning.
SPECTRAL := tests/api/node_modules/.bin/spectral
$(SPECTRAL): tests/api/package.json tests/api/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "api-lint: npm is missing; install Debian's nodejs and npm (apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix tests/api --no-audit --no-fund --ignore-scripts && touch $@

api-lint: install $(SPECTRAL)  ## NL API Design Rules (Spectral) on the OpenAPI document: 0 errors, totals printed
	DJANGO_SETTINGS_MODULE=backend.settings.test $(VENV)/bin/python scripts/api-lint

compose-check:  ## validate docker-compose.yml without a Docker engine
	EMAIL_URL=$${EMAIL_URL:-smtp+tls://user:password@smtp.example.org:587} docker-compose -f docker-compose.yml config -q

# Load harness (docs/performance.md, docs/adr/0021): its own gunicorn and Celery workers
# (backend.settings.bench), its own databases buurtsignaal_bench* on the PostgreSQL at
# 127.0.0.1 (BENCH_ADMIN_DATABASE_URL) and its own Redis database (BENCH_REDIS_URL, default db 9),
# wrk and pgbench on loopback. Results in bench/results/latest.{json,md}; the <mode>.md summaries
# are committed, the rest is gitignored (docs/adr/0042). CI runs bench-smoke.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
bench-tools:  ## wrk (Debian package) and pgbench, installed when missing
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "bench: installing the Debian package wrk (the load generator, docs/adr/0021)"; \
	  $(SUDO) apt-get install -y -qq wrk >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null; } || \
	  { echo "bench: could not install wrk; install the Debian package wrk and run again"; exit 1; }; }
	@command -v pgbench >/dev/null 2>&1 || { \
	  echo "bench: installing pgbench (Debian package postgresql-client)"; \
	  $(SUDO) apt-get install -y -qq postgresql-client >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql-client >/dev/null; } || \
	  { echo "bench: could not install pgbench; install postgresql-client and run again"; exit 1; }; }

bench: install bench-tools  ## about 10 minutes: 10k and 1M signals (the 1M template is built once, then cached)
	$(VENV)/bin/python -m bench full

bench-quick: install bench-tools  ## about a minute: 10k signals only
	$(VENV)/bin/python -m bench quick

# CI: the whole harness once at 1,000 signals, one short round (var/bench/smoke.{json,md});
# fails when the harness cannot build, start or measure. About 2 minutes on an idle machine;
# cut off (and cleaned up: the harness stops its servers on SIGTERM) after 300 s.
bench-smoke: install bench-tools  ## about 2 minutes: does the harness still run?
	timeout --kill-after=20 300 $(VENV)/bin/python -m bench smoke

bench-profile: install bench-tools  ## py-spy profiles of intake, GET /me and signal detail
	$(VENV)/bin/python -m bench profile

clean:
	rm -rf var staticfiles
