# Guiyang Eco-Environment Public Portal — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
LOCALES := portal/locales
PORT ?= 8501

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(INSTALLED) catalogs ## Create the virtual environment and install the pinned dependencies

catalogs: $(INSTALLED) ## Compile the translation catalogs
	$(BIN)/pybabel compile -d $(LOCALES) -D messages

messages: $(INSTALLED) ## Extract new strings into the catalogs (then translate them)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k tr --no-location --sort-output --width=100 \
		--project="Guiyang Eco-Environment Portal" -o $(LOCALES)/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i $(LOCALES)/messages.pot -d $(LOCALES) -D messages
	-$(BIN)/python -m portal.kit.catalogs  # fills English from the source strings, lists what is untranslated

run: install ## Serve the portal on http://localhost:8501 (migrates; sample data into an empty database)
	$(BIN)/portal migrate
	$(BIN)/portal seed-demo --if-empty --size small
	$(BIN)/streamlit run portal/server.py --server.port $(PORT)

lint: $(INSTALLED) ## Ruff and the import-layer contracts
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: install lint ## Run the whole test suite (unit, app, e2e, PostgreSQL when configured)
	$(BIN)/pytest -m "not bench" tests

bench: install ## Run the benchmarks; prints JSON figures
	$(BIN)/pytest -m bench -s -q tests/bench

lock: ## Re-pin every dependency into requirements.lock from a fresh environment
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --upgrade pip
	.lockenv/bin/pip install --quiet ".[dev]"
	.lockenv/bin/pip freeze --exclude guiyang-eco-portal | sort > requirements.lock
	rm -rf .lockenv

clean: ## Remove the virtual environment, caches and the local database
	rm -rf $(VENV) .pytest_cache .ruff_cache var

.PHONY: help install catalogs messages run lint test bench lock clean
