# cybermaturity: `make demo` to try it, `make test` to run every check. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the app needs: Pango for WeasyPrint, Noto fonts for every UN script, and
# HarfBuzz's subsetter (without it WeasyPrint embeds CJK fonts about fifty times slower).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk
# Only for the browser tests: Debian's Chromium, which Playwright drives.
TEST_SYSTEM_PACKAGES := chromium
PACKAGES ?= $(SYSTEM_PACKAGES)
DEMO_ENV := SESSION_COOKIE_SECURE=false
PYTEST_ARGS ?=

.PHONY: demo test lint check-tests install system-deps clean help

help:
	@echo "make demo   install, migrate an SQLite database, load demo data and serve on http://127.0.0.1:5000"
	@echo "make test   install and run the whole suite (set TEST_DATABASE_URL for PostgreSQL)"
	@echo "make lint   ruff, mypy, import contracts and the questionnaire linter"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,production]'
	@touch $(STAMP)

install: system-deps $(STAMP)

system-deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
		echo "Please install the equivalents of these Debian packages: $$missing"; exit 1; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "Installing system packages: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "Missing system packages. Run:"; echo "  sudo apt-get install -y $$missing"; exit 1; fi

demo: install
	$(DEMO_ENV) $(BIN)/cybermaturity db upgrade
	$(DEMO_ENV) $(BIN)/cybermaturity demo-data
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C to stop)"
	$(DEMO_ENV) $(BIN)/cybermaturity run --host 127.0.0.1 --port 5000

lint: $(STAMP)
	@$(MAKE) --no-print-directory system-deps PACKAGES="$(SYSTEM_PACKAGES) $(TEST_SYSTEM_PACKAGES)"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/cybermaturity questionnaires lint

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
