# The two promises of README.md: `make run` (portal with demo data) and `make test`.
# Each does its own set-up on a fresh machine: virtual environment, locked install, npm ci,
# translations, static files, migrations.

PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SIZE ?= small
# Test processes side by side (pytest-xdist): one per CPU; TEST_WORKERS=0 runs them in one.
TEST_WORKERS ?= auto
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test setup deps assets messages static migrate demo lint format browser office worker clean

run: setup demo  ## Set up, load the demo network and serve it on http://127.0.0.1:8000
	@echo "A new company or colleague: sign up at http://$(HOST):$(PORT)/accounts/signup/ (emails, such as the confirmation link, are printed here)."
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} PORTAL_STAFF_MFA_REQUIRED=$${PORTAL_STAFF_MFA_REQUIRED-0} \
	  PORTAL_SITE_URL=$${PORTAL_SITE_URL-http://$(HOST):$(PORT)} \
	  $(PY) manage.py runserver $(HOST):$(PORT)

test: setup browser office  ## Set up and run the whole test suite
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

setup: deps assets messages static migrate

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

deps: $(UV)  ## Install exactly what uv.lock says
	$(UV) sync --frozen --python $(PYTHON)

assets:  ## DKFDS from npm, as package-lock.json pins it
	npm ci --no-audit --no-fund --loglevel=error

messages:
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.venv-tools --ignore=node_modules -v0

static:
	$(PY) manage.py collectstatic --noinput -v0

migrate:
	$(PY) manage.py migrate --noinput -v0

demo:  ## The demo data and logins; seed_demo refuses to run with DEBUG off (see --force)
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(PY) manage.py seed_demo --size $(SIZE)

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

browser:  ## Debian's Chromium for the Playwright tests (Playwright cannot fetch its own here)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium (sudo apt-get install chromium) for the browser tests"; fi; }

office:  ## Debian's LibreOffice Calc, to print the funding report's workbook to PDF in the tests
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null; \
	  else echo "Install Debian's libreoffice-calc-nogui (sudo apt-get install libreoffice-calc-nogui) for the workbook's PDF test"; fi; }

worker:  ## A Celery worker and beat for a configured broker (REDIS_URL)
	$(VENV)/bin/celery -A network worker --beat --loglevel=INFO

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var
