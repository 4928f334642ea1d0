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
# The interface's message catalogues (English is the source language). The .po files are in git;
# the .mo files the app reads are compiled from them at install, and again when a .po changes.
TRANSLATIONS := app/translations
CATALOGUES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
COMPILED_CATALOGUES := $(CATALOGUES:.po=.mo)
EXTRACT_OPTIONS := -F babel.cfg --ignore-dirs='.* __pycache__' -k _l -k lazy_gettext -c 'i18n:' \
	--add-location=file --project=cybermaturity \
	--header-comment='\# Messages of the cybermaturity interface: run `make translations` after changing any.'

.PHONY: demo test lint check-tests install system-deps translations clean help

help:
	@echo "make demo   install, migrate an SQLite database, load demo data and serve on http://127.0.0.1:5000"
	@echo "make test   install and run the whole suite (set TEST_DATABASE_URL for PostgreSQL)"
	@echo "make lint   ruff, mypy, import contracts and the questionnaire linter"
	@echo "make translations   extract the interface's messages and update every catalogue"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,production]'
	@touch $(STAMP)

install: system-deps $(STAMP) $(COMPILED_CATALOGUES)

%.mo: %.po | $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

# After adding or changing a message in app/ or templates/: new and changed messages arrive
# empty in each app/translations/<lang>/LC_MESSAGES/messages.po (tests/app/test_translations.py
# lists them); translate them there. Until then the pages show them in English.
translations: | $(STAMP)
	$(BIN)/pybabel extract $(EXTRACT_OPTIONS) -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --ignore-obsolete \
		--no-fuzzy-matching --ignore-pot-creation-date
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)

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

lint: $(STAMP) $(COMPILED_CATALOGUES)
	@$(MAKE) --no-print-directory system-deps PACKAGES="$(SYSTEM_PACKAGES) $(TEST_SYSTEM_PACKAGES)"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/mypy bench  # scripts, not a package: checked on their own
	$(BIN)/lint-imports
	$(BIN)/cybermaturity questionnaires lint

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
