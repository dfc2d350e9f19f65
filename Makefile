# Roundtable developer and CI entry points.
#   make venv      create .venv (Python 3.11) and install requirements-dev.txt
#   make run       start the server on 0.0.0.0:5000 (default SQLite event)
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
STAMP       := $(VENV)/.installed
PYTEST_ARGS ?=
# Translation catalogues: each messages.po is compiled to the messages.mo beside it.
PO_FILES    := $(wildcard roundtable/translations/*/LC_MESSAGES/messages.po)
MO_FILES    := $(PO_FILES:.po=.mo)

CHROMIUM    := /usr/bin/chromium
# WeasyPrint (the outcome report's PDF) needs Pango; the tests read PDFs with poppler-utils.
DEBIAN_PKGS := chromium fonts-noto-core fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 \
               libharfbuzz-subset0 poppler-utils
DEBIAN_MISSING = $(shell for p in $(DEBIAN_PKGS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null \
                   | grep -q "ok installed" || echo $$p; done)
# sudo only when not already root.
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: venv run chromium test lint clean clean-all translations

venv: $(STAMP) $(MO_FILES)

translations: $(MO_FILES)

# (the app also compiles a missing or stale catalogue at start-up: roundtable/i18n.py)
%.mo: %.po | $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

# Create the venv only if it does not exist yet (order-only: an existing
# interpreter is never considered out of date).
$(VENV_PY):
	$(PYTHON) -m venv $(VENV)

# Re-install only when a requirements file is newer than the stamp.
$(STAMP): requirements.txt requirements-dev.txt | $(VENV_PY)
	$(VENV_PIP) install -r requirements-dev.txt
	touch $@

run: venv chromium
	$(VENV_PY) app.py

chromium:
	@missing="$(DEBIAN_MISSING)"; \
	if [ -z "$$missing" ]; then \
		echo "debian packages: present ($(CHROMIUM), Pango for PDFs, poppler-utils)"; \
	else \
		set -e; \
		echo "debian packages: installing $$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

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
