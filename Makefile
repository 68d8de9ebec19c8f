# Two commands do everything on a fresh machine:
#   make serve   build the site and serve it on http://127.0.0.1:8000, rebuilding on changes
#                (another port: make serve PORT=8001)
#   make test    run the whole test suite (lint, unit, build and browser tests)
# Both create and fill their own virtual environment in .venv.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: serve build publish test prerequisites lint format schema bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# axe-core and the Nu HTML checker, for the accessibility and validity tests.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NODE_STAMP)

serve: $(STAMP)
	$(BIN)/kindred serve --port $(PORT)

build: $(STAMP)
	$(BIN)/pelican

publish: $(STAMP)
	$(BIN)/pelican -s publishconf.py

# Named first, so a machine without Java, Node or the venv module hears what to install
# before anything is downloaded.
prerequisites:
	@PYTHON=$(PYTHON) sh scripts/check-prerequisites

test: prerequisites $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n auto --dist loadfile

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: $(STAMP)
	$(BIN)/kindred schema -o schema/groups.schema.json
	$(BIN)/kindred schema --export -o schema/groups-json.schema.json

bench: $(STAMP)
	$(BIN)/python bench/bench_catalog.py

clean:
	rm -rf output .pytest_cache
