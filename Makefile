# Roundtable developer and CI entry points.
#   make venv      create .venv (Python 3.11) and install requirements-dev.lock (app + tests)
#   make run       install requirements.lock only (no test packages), then start the server on
#                  0.0.0.0:5000 (default SQLite event)
#   make lock      re-make requirements.lock / requirements-dev.lock (scripts/lock.sh)
#   make chromium  install Debian's chromium (for browser tests) if missing
#   make test      ruff + pytest (pass extra pytest args via PYTEST_ARGS=...)
#   make lint      ruff only
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

CHROMIUM    := /usr/bin/chromium
# sudo only when not already root.
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: venv app-venv run chromium test lint lock clean clean-all

venv: $(STAMP)

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

run: app-venv
	$(VENV_PY) app.py

lock: | $(VENV_PY)
	PYTHON=$(VENV_PY) scripts/lock.sh

chromium:
	@if [ -x $(CHROMIUM) ]; then \
		echo "chromium: $(CHROMIUM) present"; \
	else \
		set -e; \
		echo "chromium: installing Debian's chromium and fonts-noto-core"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-core; \
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
