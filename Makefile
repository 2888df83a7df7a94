# Two entry points for a fresh Debian/Ubuntu machine: `make render` and `make test`.
# Each installs only what is missing, so a second run goes straight to work.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
QUALITY ?= low
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system system-test render test test-explore lint doctor clean bench

setup: system $(STAMP)

system:
	@bash scripts/install-system.sh

system-test:
	@bash scripts/install-system.sh --test

$(STAMP): pyproject.toml
	@VENV=$(VENV) PYTHON=$(PYTHON) bash scripts/install-python.sh

render: setup
	$(BIN)/lecture render --all --quality $(QUALITY)
	$(BIN)/lecture contact-sheet --all --quality $(QUALITY)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# On every core: one worker renders the spoken lecture and runs what reads it, the others
# take the rest, a module at a time (tests/conftest.py). `$(BIN)/pytest` alone runs serially.
test: system-test lint
	$(BIN)/pytest -n auto --dist loadgroup

# The property tests with fresh random examples, 40 times as many (`make test` draws a fixed set).
test-explore: setup
	HYPOTHESIS_PROFILE=explore $(BIN)/pytest -m hypothesis tests/math_core

doctor: setup
	$(BIN)/lecture doctor

clean:
	rm -rf renders/low renders/medium renders/high renders/4k renders/media renders/index.html
