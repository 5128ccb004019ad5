# newsdesk tasks. `make demo` sets everything up and briefs the demo corpus;
# `make test` runs the tests. Both start from a fresh clone.

VENV     := .venv
BIN      := $(VENV)/bin
PYTHON   ?= python3
DB       ?= newsdesk.db
DEMO     := data/demo/whitehouse-indopacific.jsonl data/demo/wikinews-2004.jsonl data/demo/quasi-alliance-page.txt
SAMPLE   := data/demo/quasi-alliance-page.txt
HOST     ?= 127.0.0.1
PORT     ?= 8000

.PHONY: install demo serve test lint docs bench bench-web reliability clean

$(BIN)/newsdesk: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/newsdesk

# Any failed item stops it. It then serves the site when run from a terminal; elsewhere it says how.
demo: install
	$(BIN)/newsdesk ingest --db $(DB) $(DEMO)
	$(BIN)/newsdesk brief $(SAMPLE)
	@id=$$($(BIN)/newsdesk brief --json $(SAMPLE) | $(BIN)/python -c 'import json,sys; print(json.load(sys.stdin)["id"])') \
		&& test -n "$$id" && echo "Sample page: http://$(HOST):$(PORT)/articles/$$id"
	@if [ -t 0 ]; then $(MAKE) --no-print-directory serve; else echo "Serve it with: make serve"; fi

serve: install
	$(BIN)/newsdesk serve --db $(DB) --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

docs: install
	$(BIN)/typer newsdesk.cli utils docs --name newsdesk --output docs/cli.md

bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/takeaways.py
	$(BIN)/python bench/entities.py
	$(BIN)/python bench/events.py
	$(BIN)/python bench/pipeline.py

bench-web: install
	$(BIN)/python bench/web.py

# Fuzzing, kill -9, XSS and load checks; rewrites the README's Reliability table.
reliability: install
	$(BIN)/python bench/reliability.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache .mypy_cache .ruff_cache
