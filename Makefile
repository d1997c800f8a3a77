# make demo: a fresh clone to every sample contract in out/.  make test: the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint venv clean master

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/obc-builder generate samples/*.json --out out/

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check obc_builder tests templates benchmarks
	$(BIN)/mypy obc_builder

master: $(STAMP)
	$(BIN)/python templates/build_master.py

clean:
	rm -rf $(VENV) out build dist
