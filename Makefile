# Two entry points for a fresh machine: `make demo` serves the example app, `make test` runs
# every check. Both create .venv and install what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# What the demo needs: pagemill and its runtime dependencies, none of the test tools.
RUNTIME := $(VENV)/.runtime
EXAMPLE := examples/bookshelf
PORT ?= 3000

.PHONY: demo test lint bench fuzz soak docs docs-serve

# --no-compile: Python compiles what it imports anyway; compiling every installed file up
# front was 16 of the 26 s a fresh install took here.
$(RUNTIME): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-compile -e .
	touch $(RUNTIME)

$(INSTALLED): $(RUNTIME)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

# PORT=8000 make demo serves elsewhere.
demo: $(RUNTIME)
	$(BIN)/pagemill build $(EXAMPLE)
	$(BIN)/pagemill start $(EXAMPLE) --port $(PORT)

lint: $(INSTALLED)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src tests/type_check

test: lint
	$(BIN)/pytest

# The documentation site, built strictly (a warning or a broken link fails) into site/.
# `make test` runs the same strict build (tests/test_docs.py), and every sample in docs/.
docs: $(INSTALLED)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

docs-serve: $(INSTALLED)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(or $(DOCS_PORT),8000)

bench: $(INSTALLED)
	$(BIN)/python bench/html_render.py
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/nextjs.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/cache.py
	$(BIN)/python bench/hit_floor.py
	$(BIN)/python bench/cache_store.py

# The fuzz suite at 20,000 requests (the default run inside `make test` sends 3,000).
fuzz: $(INSTALLED)
	PAGEMILL_FUZZ_COUNT=20000 $(BIN)/pytest tests/fuzz -q

# Ten minutes of saturation load on the example app, watching memory and errors.
soak: $(INSTALLED)
	$(BIN)/python bench/soak.py --seconds 600
