# Two commands set everything up: `make run` and `make test`. Both use the virtual environment in .venv.
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: run test lint format serve-prod loadtest benchmark clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed-app: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet ".[dev]"
	touch $@ $(VENV)/.installed-app

## run: install, migrate, load the demo data, create a local admin and serve on http://127.0.0.1:8000/
run: export DJANGO_DEBUG ?= true
run: $(VENV)/.installed-app
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	$(PY) manage.py fill_coordinates
	$(PY) manage.py create_local_admin
	$(PY) manage.py runserver 127.0.0.1:8000

## test: install the dev tools, lint, check migrations and run the whole suite
test: export DJANGO_SECRET_KEY ?= insecure-key-for-tests-only
test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

## serve-prod: as in production (no DEBUG, collected static files, gunicorn) on http://127.0.0.1:8000/ over plain HTTP
serve-prod: export DJANGO_DEBUG = false
serve-prod: export DJANGO_SECURE_SSL_REDIRECT ?= false
serve-prod: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve-prod: export DJANGO_SECRET_KEY ?= $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')
serve-prod: $(VENV)/.installed-app
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi

## loadtest: 50 clients for 2 minutes on the public pages of DATABASE_URL, against gunicorn on 127.0.0.1 (needs wrk)
loadtest: $(VENV)/.installed-app
	scripts/loadtest.sh

## benchmark: time every page, report and main changelist of DATABASE_URL next to BASELINE_DATABASE_URL's
benchmark: export DJANGO_SECRET_KEY ?= insecure-key-for-benchmarks-only
benchmark: $(VENV)/.installed-app
	$(PY) manage.py benchmark_pages $(if $(BASELINE_DATABASE_URL),--baseline-database $(BASELINE_DATABASE_URL))

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
