# Fabula: the two commands are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/fabula

.PHONY: run test test-sqlite test-postgres lint install messages bench bench-quick cluster clean

$(BIN)/fabula: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/fabula

## make run: a demo archive on SQLite at http://127.0.0.1:8000
run: install
	$(BIN)/fabula migrate --noinput
	$(BIN)/fabula demo
	DEBUG=1 $(BIN)/fabula runserver 127.0.0.1:8000

## make test: format, lint and type checks, then the whole suite on SQLite and on PostgreSQL
test: install lint test-sqlite test-postgres

## make lint: the formatter's check, ruff's rules and mypy (django-stubs) over the whole package
lint: install
	$(BIN)/ruff format --check fabula tests bench conftest.py
	$(BIN)/ruff check fabula tests bench conftest.py
	$(BIN)/mypy

test-sqlite: install
	$(BIN)/pytest

# The cluster tests start databases of their own: once, with the SQLite run, is enough.
test-postgres: install
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -m "not cluster"

## make messages: the interface's catalogues (fabula/locale) brought up to date with the sources
## (makemessages needs GNU gettext's xgettext), then compiled to the .mo files that are committed
## (polib: no msgfmt needed). Legacy eFiction pages stay English and are not read.
LOCALES := de es fr ar
messages: install
	$(BIN)/fabula makemessages $(addprefix -l ,$(LOCALES)) -d django --no-obsolete --add-location=file \
	  --ignore='tests/*' --ignore='*/tests/*' --ignore='bench/*' --ignore='docs/*' --ignore='var/*' \
	  --ignore='fabula/legacy/*' --ignore='fabula/templates/legacy/*' --ignore='fabula/test.py' \
	  --ignore='fabula/templates/formats/story.html'
	$(BIN)/python -m fabula.lib.catalogues

## make bench: every speed target in one table (bench/report.py, long); bench-quick: small, short
bench: install
	$(BIN)/python bench/report.py

bench-quick: install
	$(BIN)/python bench/report.py --quick

## make cluster: the whole site on loopback (bench/cluster.py): PostgreSQL primary + replica,
## PgBouncer, Redis, two web nodes, a worker and HAProxy; `bench/cluster.py stop` stops it
cluster: install
	$(BIN)/python bench/cluster.py start

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
