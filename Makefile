# The two commands a newcomer needs:
#   make run    the portal on http://127.0.0.1:8000 and its task worker (SQLite, demo data, demo users)
#   make test   the test suite (SQLite; PostgreSQL when DATABASE_URL is set)
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ENV := DJANGO_DEBUG=1

.PHONY: run test lint format bench install system-deps-run system-deps-test clean

run: system-deps-run $(VENV)/.installed
	@mkdir -p var
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo
	@echo "The portal runs at http://$(HOST):$(PORT)/ (admin at http://$(HOST):$(PORT)/admin/)."
	@echo "Sign in as admin, inspector, qa-manager or la-user; password: focused-visit-demo (local use only)."
	@echo "admin and qa-manager also set up an authenticator app; without one, get the code with"
	@echo "  DJANGO_DEBUG=1 $(PY) manage.py demo_code qa-manager"
	@echo
	@echo "The task worker runs beside it (printing for publication, e-mail): both stop with Ctrl+C."
	@echo
	$(DEMO_ENV) PORTAL_PYTHON=$(PY) PORTAL_ADDRESS=$(HOST):$(PORT) $(VENV)/bin/honcho start -f Procfile

test: system-deps-test $(VENV)/.installed
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: system-deps-test $(VENV)/.installed
	$(PY) bench/render.py
	$(PY) bench/pages.py

install: $(VENV)/.installed

system-deps-run:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || "$$(scripts/python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
