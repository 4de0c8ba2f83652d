# Quick start: `make demo` and `make test`. Both set up everything they need:
# system packages (scripts/system-deps.sh), a virtual environment in .venv/
# and the Python dependencies. A second run reinstalls nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo install test test-fast lint bench system clean

demo: $(STAMP) system
	$(BIN)/packager demo

# A plain `packager` command for this user, offline: a link in ~/.local/bin to
# this checkout's .venv/bin/packager (it follows `git pull`; keep the checkout
# where it is, or run `make install` again after moving it).
USER_BIN ?= $(HOME)/.local/bin
install: $(STAMP) system
	@mkdir -p "$(USER_BIN)"
	@ln -sfn "$(abspath $(BIN))/packager" "$(USER_BIN)/packager"
	@echo "$(USER_BIN)/packager -> $(abspath $(BIN))/packager"
	@case ":$$PATH:" in \
		*":$(USER_BIN):"*) echo "现在可以在任何文件夹里直接输入 packager（now just type: packager）。";; \
		*) echo "还差一步：请运行 echo 'export PATH=\"$(USER_BIN):\$$PATH\"' >> ~/.bashrc，然后重新打开终端。"; \
		   echo "(one more step: add $(USER_BIN) to PATH as above, then open a new terminal)";; \
	esac

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
	@./scripts/web-test-deps.sh

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
