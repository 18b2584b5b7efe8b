# Every target sets itself up: a fresh clone with only Python 3.11+ needs nothing else.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run test lint fmt check bench fuzz load clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create the venv and install the project (editable) with dev tools

DEMO ?= 1

# On the embedded database with no real election, `make run` shows a DEMO election night
# (endorse demo); DEMO=0, a DATABASE_URL or a real election in the database: a clean start.
run: $(STAMP) ## migrate and start API + dashboard + worker (a DEMO night on a fresh clone; DEMO=0: clean)
	$(BIN)/endorse db migrate
ifeq ($(DEMO),0)
	$(BIN)/endorse serve
else
	$(BIN)/endorse demo --or-serve
endif

test: $(STAMP) lint ## lint, then the whole suite against real PostgreSQL
	$(BIN)/pytest

lint: $(STAMP) ## ruff lint + format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP) ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: test ## lint + tests (types are checked by ruff's annotations rules and review)

FUZZ_EXAMPLES ?= 60

fuzz: $(STAMP) ## schemathesis on every API operation as each role, many cases (FUZZ_EXAMPLES=60)
	ENDORSE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/fuzz

load: $(STAMP) ## 200 readers on stats, races and events while a version lands every second for 60 s
	$(BIN)/python -m bench.load_readers

$(VENV)/.bench: $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	@touch $@

bench: $(VENV)/.bench ## run benchmarks, write docs/BENCHMARKS.md (QUICK=1: small sizes, < 2 min)
	BENCH_QUICK=$(QUICK) $(BIN)/python -m bench

clean: ## remove the venv and the local data directory
	rm -rf $(VENV) .endorse .ruff_cache
