# Every target sets up what it needs, so each one works on a fresh clone.
#   make run     demo organisation on http://127.0.0.1:8000 (prints how to log in)
#   make test    everything CI checks: lint, types, SQLite, PostgreSQL, browser tests
#   make lint    ruff, formatting, mypy, import-linter contracts
#   make fmt     format and auto-fix
#   make bench   print the benchmark ratios
#   make docs    regenerate the CLI reference from the commands' --help

SHELL := /bin/bash
.DEFAULT_GOAL := help
# Prerequisites run left to right: system packages before the virtualenv before the tests.
.NOTPARALLEL:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
QUARTERDECK := $(BIN)/quarterdeck
DATA := $(CURDIR)/.data
DB_URL := sqlite:///$(DATA)/quarterdeck.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test lint fmt bench docs venv system-packages clean

help:
	@echo "make run | test | lint | fmt | bench | docs | clean"

# Reinstall only when the declared dependencies or their pins change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

venv: $(STAMP)

system-packages:
	scripts/system-packages

run: venv
	mkdir -p $(DATA)
	$(QUARTERDECK) --db "$(DB_URL)" init
	QUARTERDECK_HOST=$(HOST) QUARTERDECK_PORT=$(PORT) $(QUARTERDECK) --db "$(DB_URL)" demo
	$(QUARTERDECK) --db "$(DB_URL)" serve --host $(HOST) --port $(PORT)

test: system-packages venv
	scripts/test-all

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: venv
	@for script in benchmarks/*.py; do \
		echo "== $$script"; \
		$(BIN)/python "$$script" || exit 1; \
	done

docs: venv
	$(BIN)/python scripts/gen-cli-reference

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache .import_linter_cache test-artifacts
