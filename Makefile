# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: run test lint typecheck schema docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/stemwire run --raw raw --out output

SOURCES := stemwire flows extractors schemas tests
# mypy cannot follow setuptools' editable-install import hook that maps `stemwire.flows` to flows/,
# so it checks a view of the installed package made of links to the real folders.
VIEW := .typecheck/stemwire

lint: $(STAMP)
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

typecheck: $(STAMP)
	rm -rf .typecheck && mkdir -p $(VIEW)
	for f in stemwire/*.py stemwire/py.typed flows extractors schemas; do ln -s "$$PWD/$$f" $(VIEW)/; done
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest

schema: $(STAMP)
	$(BIN)/stemwire schema

docs: $(STAMP)
	$(BIN)/python -m stemwire.flows.cli_reference README.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .typecheck
