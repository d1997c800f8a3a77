# make demo: a fresh clone to every sample contract in out/.  make test: the whole test suite, after
# .ci/install-tools has put in what pip cannot (LibreOffice, poppler, Node.js and the validators in package.json).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint venv tools clean master letterhead schemas errata

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# Checks every time (fast when all is there); installs what is missing, as root, and reruns npm ci when
# package-lock.json is newer than node_modules/.installed.
tools:
	.ci/install-tools

demo: $(STAMP)
	$(BIN)/obc-builder generate samples/*.json --out out/

test: $(STAMP) tools
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check obc_builder tests templates benchmarks samples
	$(BIN)/mypy obc_builder

# The JSON Schemas the samples name in "$schema" (a test keeps them current).
schemas: $(STAMP)
	for family in $$($(BIN)/python -c 'from obc_builder.families import FAMILY_NAMES; print(*FAMILY_NAMES)'); do \
	  $(BIN)/obc-builder schema $$family > samples/schemas/$$family.schema.json; done

# docs/errata.md, from the clause files' errata: front matter (a test keeps it current).
errata: $(STAMP)
	$(BIN)/python -m obc_builder.errata > docs/errata.md

master: $(STAMP)
	$(BIN)/python templates/build_master.py

# samples/letterhead/letterhead.docx: a district's own Word master, for --docx-template.
letterhead: $(STAMP)
	$(BIN)/python samples/letterhead/build_letterhead.py

clean:
	rm -rf $(VENV) out build dist node_modules
