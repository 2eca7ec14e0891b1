# The README's two commands: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
KB := $(VENV)/bin/kb
EXAMPLE := examples/quebec-wg
# The test server never shares data or ports with the development one.
TEST_HOME := $(CURDIR)/.kb-test
TEST_BOLT := 17687
TEST_HTTP := 17474

# Starts the test Neo4j, stops it on exit, and sets the connection for the command after it.
WITH_TEST_NEO4J = export KB_HOME=$(TEST_HOME) KB_BOLT_PORT=$(TEST_BOLT) KB_HTTP_PORT=$(TEST_HTTP); \
	$(KB) server start; \
	trap '$(KB) server stop' EXIT; \
	NEO4J_URI=bolt://127.0.0.1:$(TEST_BOLT) NEO4J_USERNAME=neo4j NEO4J_DATABASE=neo4j \
	NEO4J_PASSWORD="$$(cat $(TEST_HOME)/password)"

.PHONY: install demo lint unit test fuzz faults stop clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[test,dev]"
	# roc-validator (the RO-Crate check of tests/integration/test_publish.py) pins rich < 14,
	# kb needs rich 15: the `crate-check` extra of pyproject.toml gets its own environment.
	$(PYTHON) -m venv $(VENV)/crate-check
	$(VENV)/crate-check/bin/pip install -q "roc-validator>=0.13" "rocrate>=0.16"
	touch $@

install: $(VENV)/.installed

## demo: start a local Neo4j, load the example case, show the analyses and write the view
demo: install
	$(KB) server start
	$(KB) init
	$(KB) import $(EXAMPLE)
	$(KB) import $(EXAMPLE)/qda/entretiens.qdpx
	@for cmd in "status" \
		"brokerage --group-by sector --top 10" \
		"brokerage --group-by sector --triangulated --top 5" \
		"centrality --top 10" \
		"evolution --by stage --group-by sector" \
		"legitimacy --from community --to public --source p-kdiallo" \
		"reforms broken-ties --reform bill-10 --window 15m" \
		"reforms brokerage-change --reform bill-10" \
		"reforms survival --reform bill-10" \
		"evidence coverage --types REPRESENTATION" \
		"evidence agreement --seed 1" \
		"evidence disagreements" \
		"consensus --by stage" \
		"why p-kdiallo p-lsimard"; do \
		echo; echo "\$$ kb $$cmd"; $(KB) $$cmd || exit 1; done
	@echo; echo "\$$ kb view --out out/case.html"; $(KB) view --out out/case.html
	@echo "The case over time, to open in a browser: $(CURDIR)/out/case.html"
	@echo
	@$(KB) server status | grep -E "browser_url|password_file"
	@echo "Neo4j keeps running; stop it with: $(KB) server stop"

## lint: ruff (lint and format) and mypy over the whole tree; no server
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

## unit: the tests that need no server (under a minute), with the coverage of the analyses
## and measures (the analyses run over tests/memory_reader.py)
unit: install
	$(VENV)/bin/pytest -m "not neo4j and not gephi and not r and not browser" \
		--cov=kb.analyses --cov=kb.measures --cov-report=term --cov-fail-under=85

## test: lint, then every test against a throwaway Neo4j (and Gephi, R, Chromium)
test: lint
	@set -euo pipefail; \
	$(WITH_TEST_NEO4J) \
	NEO4J_HTTP_URL=http://127.0.0.1:$(TEST_HTTP)/browser/ \
	$(VENV)/bin/pytest --durations=20

## fuzz: every command and option with hostile values, with a larger budget than the tests
##       (FUZZ_EXAMPLES command lines, at most FUZZ_SECONDS, a new seed each run unless
##       FUZZ_SEED is given; reproduce a failure with the seed it prints)
FUZZ_EXAMPLES ?= 600
FUZZ_SECONDS ?= 1800
fuzz: install
	@set -euo pipefail; \
	seed=$${FUZZ_SEED:-$$(date +%s)}; echo "fuzz seed: $$seed (FUZZ_SEED=$$seed make fuzz repeats this run)"; \
	$(WITH_TEST_NEO4J) \
	KB_FUZZ_SEED=$$seed KB_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) KB_FUZZ_SECONDS=$(FUZZ_SECONDS) \
	KB_FUZZ_SWEEP=1 KB_FUZZ_COLLECT=1 \
	$(VENV)/bin/pytest -m fuzz -s tests/fuzz

## faults: the fault suite with a larger budget (kill -9 during dump, load, backup, restore,
## import; `make test` runs it with KB_FAULT_TRIALS=1)
FAULT_TRIALS ?= 8
faults: install
	@set -euo pipefail; \
	$(WITH_TEST_NEO4J) \
	KB_FAULT_TRIALS=$(FAULT_TRIALS) $(VENV)/bin/pytest -m fault

## stop: stop the development Neo4j
stop: install
	$(KB) server stop

clean:
	-KB_HOME=$(TEST_HOME) $(KB) server stop
	rm -rf $(VENV) $(TEST_HOME) .mypy_cache .pytest_cache .ruff_cache
