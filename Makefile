# The two commands of README.md: `make run` and `make test`. Everything else is on demand.
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# pytest workers: one a core of the 2-core machines we test on; the browser tests share one.
TEST_WORKERS ?= 2
STAMPS := .stamps
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

.PHONY: run test fuzz install lint messages makemessages translate-messages bench loadtest clean

run: install $(STAMPS)/apertium
	$(PY) manage.py migrate --no-input
	PORT=$(PORT) $(PY) manage.py seed_demo
	$(PY) manage.py ensure_admin
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install $(STAMPS)/test-deps $(STAMPS)/chromium $(STAMPS)/apertium
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# `make test` runs a small sample of the fuzz tests (Hypothesis profile `ci`); this runs them
# with the big profile, 10 000 and more generated requests to the public surface.
fuzz: install $(STAMPS)/test-deps
	$(PY) -m pytest tests/fuzz -p no:cacheprovider --hypothesis-profile=fuzz $(PYTEST_ARGS)

install: $(STAMPS)/python node_modules/.package-lock.json $(MESSAGES)

$(STAMPS)/python: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/test-deps: $(STAMPS)/python pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $@

$(STAMPS)/bench-deps: $(STAMPS)/python pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[bench]"
	@touch $@

$(STAMPS)/production-deps: $(STAMPS)/python pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[production]"
	@touch $@

# Debian's chromium drives the browser tests; Playwright's own browser download is not used.
$(STAMPS)/chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
		else echo "Install Debian's chromium (apt-get install chromium) for the browser tests." >&2; exit 1; fi; \
	fi
	@mkdir -p $(STAMPS) && touch $@

# Debian's Apertium, the localize editor's bokmål <-> nynorsk machine translation
# (portal/apertium.py). Not root and not installed: say how and go on; the portal runs without
# it (no machine-translate button) and its tests skip.
$(STAMPS)/apertium:
	@if command -v apertium >/dev/null && apertium -l | grep -qx "[[:space:]]*nob-nno_e"; then \
		mkdir -p $(STAMPS) && touch $@; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && apt-get install -y -qq apertium apertium-nno-nob && mkdir -p $(STAMPS) && touch $@; \
	else echo "Apertium is not installed, so the editor offers no machine translation and its tests skip: apt-get install apertium apertium-nno-nob (as root)." >&2; fi

# The load generator of `make loadtest`: Debian's wrk.
$(STAMPS)/wrk:
	@if ! command -v wrk >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; \
		else echo "Install Debian's wrk (apt-get install wrk) for the load test." >&2; exit 1; fi; \
	fi
	@mkdir -p $(STAMPS) && touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	msgfmt --check -o $@ $<

makemessages: $(STAMPS)/python
	$(PY) manage.py makemessages --locale nb --locale nn --no-obsolete --ignore 'node_modules/*' --ignore '.venv/*'

messages: $(MESSAGES)

# Untranslated locale/nn entries get the bokmål translation through Apertium, marked fuzzy for
# review (the tests refuse fuzzy entries, so none ships unread). Review them, then `make messages`.
translate-messages: $(STAMPS)/python $(STAMPS)/apertium
	$(PY) manage.py translate_messages

lint: $(STAMPS)/test-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

# Not part of `make test`: fills a throwaway database (never DATABASE_URL's own) and measures.
# Both in throwaway databases beside DATABASE_URL's; the enrolment bench needs PostgreSQL.
bench: install $(STAMPS)/bench-deps $(STAMPS)/apertium
	$(PY) manage.py bench_catalogue $(BENCH_ARGS)
	$(PY) manage.py bench_translation
	@case "$$DATABASE_URL" in \
		postgres*) $(PY) manage.py bench_enrolment $(BENCH_ENROLMENT_ARGS) ;; \
		*) echo "bench_enrolment skipped: it measures PostgreSQL's session lock; run make bench with DATABASE_URL=postgres://..." ;; \
	esac

# Not part of `make test` either: gunicorn with the production settings under wrk's load, on a
# throwaway `<name>_loadtest` database (without DATABASE_URL, the local PostgreSQL's
# `kompetanse_loadtest`) and Redis database 5. README: Load test.
loadtest: install $(STAMPS)/production-deps $(STAMPS)/bench-deps $(STAMPS)/wrk
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kompetanse}" \
		$(PY) manage.py loadtest $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) $(STAMPS) node_modules staticfiles
