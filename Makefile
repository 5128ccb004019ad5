# newsdesk tasks. `make demo` sets everything up and briefs the demo corpus;
# `make test` runs the tests. Both start from a fresh clone.

VENV     := .venv
BIN      := $(VENV)/bin
PYTHON   ?= python3
DB       ?= newsdesk.db
DEMO     := data/demo/whitehouse-indopacific.jsonl data/demo/wikinews-2004.jsonl data/demo/quasi-alliance-page.txt
SAMPLE   := data/demo/quasi-alliance-page.txt

.PHONY: install demo test lint bench clean

$(BIN)/newsdesk: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/newsdesk

# The Wikinews file holds three empty stubs: ingest names them and exits 1,
# which the demo accepts; any other failure stops it.
demo: install
	$(BIN)/newsdesk ingest --db $(DB) $(DEMO) || test $$? -eq 1
	$(BIN)/newsdesk brief $(SAMPLE)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/takeaways.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache .mypy_cache .ruff_cache
