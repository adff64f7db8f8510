# Thin entry points; the logic lives in scripts/. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
BENCH_RUNTIME := bench/.venv-runtime
BENCH_KODEXA  := bench/.venv-kodexa

.DEFAULT_GOAL := help
.PHONY: help demo test generate check-generated lint typecheck unit contract node sandbox faults diff vendor bench clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): requirements/dev.txt requirements/bench.txt pyproject.toml generated/kodexa-platform-client/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt -r requirements/bench.txt
	$(BIN)/python -m pip install --quiet --no-deps -e ./generated/kodexa-platform-client -e '.[sandbox]'
	touch $@

# Pinned Node.js tools (Spectral, Prism). --ignore-scripts: the only install script in the
# tree is a telemetry postinstall; neither tool needs it.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

node: $(NODE_STAMP) ## install the pinned Node.js tools from package-lock.json

demo: $(STAMP) ## regenerate the client, start the sandbox and run the quickstart against it
	$(BIN)/python scripts/generate.py
	$(BIN)/python scripts/demo.py

test: $(STAMP) lint typecheck check-generated unit contract ## everything CI runs

generate: $(STAMP) ## regenerate generated/ from openapi.yaml
	$(BIN)/python scripts/generate.py

check-generated: $(STAMP) ## fail if generated/ has drifted from openapi.yaml
	$(BIN)/python scripts/generate.py --check

lint: $(STAMP) $(NODE_STAMP) ## validate and lint the spec, lint and format-check the code
	$(BIN)/openapi-spec-validator openapi.yaml
	node_modules/.bin/spectral lint openapi.yaml --ruleset .spectral.yaml --fail-severity=warn
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP) ## mypy --strict over the wrapper and the generated client
	$(BIN)/mypy

unit: $(STAMP) $(NODE_STAMP) ## the pytest suite (with Prism mock tests), with branch coverage
	$(BIN)/pytest --cov --cov-branch --cov-fail-under=90

faults: $(STAMP) ## 2,000 seeded sync + async operations, concurrent writers, through a failing sandbox
	$(BIN)/python scripts/faults.py --ops 2000

contract: $(STAMP) $(NODE_STAMP) ## Prism proxy between the clients and the sandbox, then Schemathesis
	$(BIN)/python scripts/contract.py
	$(BIN)/python scripts/fuzz.py

diff: $(STAMP) ## API changes since the last release (BASE=<ref>), the bump they need, a CHANGELOG entry
	$(BIN)/python scripts/diff.py $(if $(BASE),--base $(BASE))

vendor: $(STAMP) ## copy the client into another project: make vendor INTO=dir PACKAGE=name [WRAPPER=1]
	$(BIN)/python scripts/vendor.py --into "$(INTO)" --package "$(PACKAGE)" $(if $(WRAPPER),--with-wrapper)

# The client with runtime dependencies only, as a user installs it: the import-time figure.
$(BENCH_RUNTIME)/.installed: requirements/bench-runtime.txt pyproject.toml generated/kodexa-platform-client/pyproject.toml
	rm -rf $(BENCH_RUNTIME)
	$(BIN)/python -m venv $(BENCH_RUNTIME)
	$(BENCH_RUNTIME)/bin/python -m pip install --quiet -c requirements/bench-runtime.txt -e ./generated/kodexa-platform-client -e .
	touch $@

# The official kodexa SDK in an environment of its own, for the comparison figure.
$(BENCH_KODEXA)/.installed: requirements/bench-kodexa.txt
	rm -rf $(BENCH_KODEXA)
	$(BIN)/python -m venv $(BENCH_KODEXA)
	$(BENCH_KODEXA)/bin/python -m pip install --quiet -r requirements/bench-kodexa.txt
	touch $@

bench: $(STAMP) $(BENCH_RUNTIME)/.installed $(BENCH_KODEXA)/.installed ## side-by-side benchmarks (~5 min); writes bench/results.json
	$(BIN)/python -m bench.run

sandbox: $(STAMP) ## run the sandbox in the foreground on port 8765
	$(BIN)/kodexa-sandbox --port 8765

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) $(BENCH_RUNTIME) $(BENCH_KODEXA) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis .coverage dist build
