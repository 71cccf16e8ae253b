# duban: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: run test check install serve worker demo messages browser-test clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	@touch $(STAMP)

install: $(STAMP)

run: install
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m duban.run

test: install
	$(BIN)/python -m pytest -q -n 2 -m "not browser"

browser-test: install
	$(BIN)/python -m pytest -q -m browser

check: install
	$(BIN)/ruff check duban tests bench
	$(BIN)/ruff format --check duban tests bench
	$(BIN)/mypy duban
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m duban.core.lint_access

messages: install
	cd duban && ../$(BIN)/django-admin makemessages -l en --no-obsolete && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var/static
