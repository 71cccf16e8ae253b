# duban: the two commands are `make run` and `make test` (README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The password `make run` gives the demo accounts when it seeds an empty database.
DEMO_PASSWORD ?= Duban@2026demo
STAMP  := $(VENV)/.installed

.PHONY: run test check install serve worker demo messages browser-test clean

# Re-installs whenever pyproject.toml changes (new dependency, new console script).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { \
	  $(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "duban 需要 Python 3.11 或更新版本: make PYTHON=python3.12 ...")' \
	  && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	@touch $(STAMP)

install: $(STAMP)

# Migrate, seed the demo county if the database is empty, run worker + gunicorn; Ctrl-C stops both.
run: install
	HOST=$(HOST) PORT=$(PORT) DEMO_PASSWORD='$(DEMO_PASSWORD)' $(BIN)/python -m duban.run

serve: install
	$(BIN)/duban serve --host $(HOST) --port $(PORT)

worker: install
	$(BIN)/duban worker

demo: install
	$(BIN)/duban migrate --noinput
	$(BIN)/duban demo --password '$(DEMO_PASSWORD)'

# The whole suite but the browser tests (those: make browser-test). DATABASE_URL=postgres://... runs it on PostgreSQL.
test: install
	$(BIN)/python -m pytest -q -n 2 -m "not browser"

# Playwright driving Debian's /usr/bin/chromium; skipped with a message when it is missing (fails when CI=true).
browser-test: install
	$(BIN)/python -m pytest -q -p no:xdist -m browser tests/browser

check: install
	$(BIN)/ruff check duban tests bench
	$(BIN)/ruff format --check duban tests bench
	$(BIN)/mypy duban
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m duban.core.lint_access

# Extract every app's Chinese msgids into duban/locale/en (tests, migrations and vendored JS left out),
# compile, then list what still needs an English translation (exits 1 until it is done: docs/i18n.md).
messages: install
	cd duban && ../$(BIN)/django-admin makemessages -l en --no-obsolete --add-location=file \
	  --ignore=tests --ignore=migrations --ignore=vendor \
	  && ../$(BIN)/django-admin compilemessages --ignore=tests
	$(BIN)/python -m duban.core.i18n

clean:
	rm -rf $(VENV) var/static
