# Quick start: `make demo` and `make test`. Both set up everything they need:
# system packages (scripts/system-deps.sh), a virtual environment in .venv/
# and the Python dependencies. A second run reinstalls nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast lint bench system clean

demo: $(STAMP) system
	$(BIN)/packager demo

test: $(STAMP) system
	$(BIN)/pytest -q -p no:cacheprovider
	$(BIN)/ruff check packager tests benchmarks
	$(BIN)/mypy

# Pure logic and small builds, under a minute: for the edit-test loop.
test-fast: $(STAMP) system
	$(BIN)/pytest -q -p no:cacheprovider -m "not slow and not watch"

lint: $(STAMP)
	$(BIN)/ruff check packager tests benchmarks
	$(BIN)/ruff format --check packager tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	./scripts/system-deps.sh --bench
	$(BIN)/python -m benchmarks

system:
	@./scripts/system-deps.sh

$(STAMP): pyproject.toml
	./scripts/system-deps.sh
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "packager needs Python >= 3.11 (found: $$($(PYTHON) --version))" >&2; exit 6; }
	$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: install python3-venv" >&2; exit 6; }
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info
