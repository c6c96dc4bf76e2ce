# Two commands set everything up: `make run` and `make test`. Both use the virtual environment in .venv.
# `make` alone lists the targets.
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
# The apps mypy checks (the library apps; the domain apps lean on Django's dynamic attributes).
MYPY_PATHS := core reports imports
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)

# The languages with catalogues (English is the source language) and what makemessages leaves out: the virtualenv,
# the tests, generated files, vendored libraries and tools that are not part of the site (docs/languages.md).
LANGUAGES := fr es ar
MESSAGES_IGNORE := --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=test-artifacts --ignore=static/vendor \
	--ignore=scripts --ignore=docs --ignore=build

.DEFAULT_GOAL := help
.PHONY: help run test lint typecheck format lock messages serve-prod loadtest loadtest-mixed loadtest-bare benchmark clean

## help: list the targets with what each does
help:
	@awk '/^## [a-z-]+:/ { sub(/^## /, ""); name = $$0; sub(/:.*/, "", name); sub(/^[^:]*: */, ""); printf "  %-14s %s\n", name, $$0 }' $(MAKEFILE_LIST)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Install the pinned versions of the lock files; reinstall only when a lock file changes.
# The project itself has no package to install (`packages = []`): the code runs from the checkout.
$(VENV)/.installed-app: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-app

## run: install, migrate, load the demo data, create a local admin and serve on http://127.0.0.1:8000/
run: export DJANGO_DEBUG ?= true
run: $(VENV)/.installed-app
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	$(PY) manage.py load_demo_admissions
	$(PY) manage.py fill_coordinates
	$(PY) manage.py create_local_admin
	$(PY) manage.py runserver 127.0.0.1:8000

## test: install the dev tools, lint, type-check, check migrations and run the whole suite
test: export DJANGO_SECRET_KEY ?= insecure-key-for-tests-only
test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(MYPY_PATHS)
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

## messages: update the catalogues in locale/ from the code and templates, then compile them (needs GNU gettext)
messages: export DJANGO_SECRET_KEY ?= insecure-key-for-tests-only
messages: $(VENV)/.installed-app
	$(PY) manage.py makemessages $(addprefix -l ,$(LANGUAGES)) --add-location file $(MESSAGES_IGNORE)
	$(PY) manage.py makemessages -d djangojs $(addprefix -l ,$(LANGUAGES)) --add-location file $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages $(MESSAGES_IGNORE)

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

## loadtest-mixed: 50 readers on two gunicorn instances while a writer edits and imports for 5 minutes (needs Redis)
loadtest-mixed: $(VENV)/.installed-app
	scripts/loadtest_mixed.sh

## loadtest-bare: the cached public pages against a bare Django view of the same size, requests/s and ratio (needs wrk)
loadtest-bare: $(VENV)/.installed-app
	scripts/loadtest_bare.sh

## benchmark: time every page, report and main changelist of DATABASE_URL next to BASELINE_DATABASE_URL's
benchmark: export DJANGO_SECRET_KEY ?= insecure-key-for-benchmarks-only
benchmark: $(VENV)/.installed-app
	$(PY) manage.py benchmark_pages $(if $(BASELINE_DATABASE_URL),--baseline-database $(BASELINE_DATABASE_URL))

## lint: ruff's checks and format check, without running anything else
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## typecheck: mypy with the Django plugin on the library apps: core, reports, imports
typecheck: export DJANGO_SECRET_KEY ?= insecure-key-for-tests-only
typecheck: $(VENV)/.installed-dev
	$(VENV)/bin/mypy $(MYPY_PATHS)

## format: let ruff fix what it can and reformat the code
format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## lock: regenerate requirements.txt and requirements-dev.txt from pyproject.toml (UPGRADE=1 to take new releases)
lock: export CUSTOM_COMPILE_COMMAND = make lock
lock: $(VENV)/.installed-dev
	$(PIP_COMPILE) --output-file requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.txt --output-file requirements-dev.txt pyproject.toml

## clean: remove the virtual environment, the collected static files and the tool caches
clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
