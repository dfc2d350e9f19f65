# Roundtable developer and CI entry points.
#   make venv      create .venv (Python 3.11) and install requirements-dev.lock (app + tests)
#   make run       install requirements.lock only (no test packages), then start the server on
#                  0.0.0.0:5000 (default SQLite event)
#   make lock      re-make requirements.lock / requirements-dev.lock (scripts/lock.sh)
#   make chromium  install the Debian packages if missing: chromium (browser tests), WeasyPrint's
#                  libraries (Pango, HarfBuzz, fonts: the report's PDF), poppler-utils (PDF tests)
#   make test      ruff + pytest (pass extra pytest args via PYTEST_ARGS=...)
#   make lint      ruff only
#   make translations  compile roundtable/translations/*/LC_MESSAGES/messages.po (make venv does it)
#   make clean     remove .venv and caches (keeps instance/ data)
#   make clean-all clean, and also remove instance/ data

SHELL := /bin/bash

PYTHON      ?= python3
VENV        := .venv
VENV_PY     := $(VENV)/bin/python
VENV_PIP    := $(VENV)/bin/pip
STAMP       := $(VENV)/.installed-dev
APP_STAMP   := $(VENV)/.installed-app
# Every package, transitive ones too, pinned with its hashes: pip refuses anything else.
PIP_INSTALL := $(VENV_PIP) install --require-hashes
PYTEST_ARGS ?=
# Translation catalogues: each messages.po is compiled to the messages.mo beside it.
PO_FILES    := $(wildcard roundtable/translations/*/LC_MESSAGES/messages.po)
MO_FILES    := $(PO_FILES:.po=.mo)

CHROMIUM    := /usr/bin/chromium
# WeasyPrint (the outcome report's PDF) needs Pango; the tests read PDFs with poppler-utils.
# What `make run` needs: WeasyPrint's libraries (Pango, HarfBuzz) and fonts for the report's PDF.
RUN_PKGS    := fonts-noto-core fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# What the tests need on top: chromium (browser tests) and poppler-utils (reading PDFs).
DEBIAN_PKGS := chromium poppler-utils $(RUN_PKGS)
# missing_of LIST: the Debian packages of LIST that are not installed.
missing_of   = $(shell for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null \
                   | grep -q "ok installed" || echo $$p; done)
# sudo only when not already root.
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: venv app-venv run pango chromium test lint lock clean clean-all translations

venv: $(STAMP) $(MO_FILES)

translations: $(MO_FILES)

# (the app also compiles a missing or stale catalogue at start-up: roundtable/i18n.py)
%.mo: %.po | $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

# Create the venv only if it does not exist yet (order-only: an existing
# interpreter is never considered out of date).
$(VENV_PY):
	$(PYTHON) -m venv $(VENV)

# Re-install only when a lock file is newer than its stamp.
$(APP_STAMP): requirements.lock | $(VENV_PY)
	$(PIP_INSTALL) -r requirements.lock
	touch $@

$(STAMP): requirements.lock requirements-dev.lock | $(VENV_PY)
	$(PIP_INSTALL) -r requirements-dev.lock
	touch $@ $(APP_STAMP)

app-venv: $(APP_STAMP)

# The app compiles its translation catalogues at start-up (roundtable/i18n.py); the report's PDF
# needs Pango, so `run` installs the Debian libraries too (not the test packages).
run: app-venv pango
	$(VENV_PY) app.py

lock: | $(VENV_PY)
	PYTHON=$(VENV_PY) scripts/lock.sh

# apt_install LIST: install what of LIST is missing (apt-get only when something is).
define apt_install
	@missing="$(call missing_of,$(1))"; \
	if [ -z "$$missing" ]; then \
		echo "debian packages: present ($(1))"; \
	else \
		set -e; \
		echo "debian packages: installing $$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi
endef

pango:
	$(call apt_install,$(RUN_PKGS))

chromium:
	$(call apt_install,$(DEBIAN_PKGS))

test: venv chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts
	find . -path ./instance -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

clean-all: clean
	rm -rf instance
