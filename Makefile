# Two entry points: `make demo` (the instructor's pipeline on bundled submissions) and
# `make test` (every test). Both build .venv through `make install` when it is missing.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed

# nbgrader shells out to alembic, so the venv's bin comes first on PATH for every recipe.
export PATH := $(BIN):$(PATH)
# The course directory's own packages (autograder/) import from the repository root.
export PYTHONPATH := $(CURDIR)
export MPLBACKEND := Agg
# Notebooks run by the tests train without live boards; nobody watches them.
export D2LKIT_LIVE_PLOTS := 0

.PHONY: install sandbox test lint format release demo bench clean

install: $(STAMP) sandbox

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Student kernels are graded inside bubblewrap. Install it where we can (root with apt);
# elsewhere the grader falls back to resource limits alone and says so.
sandbox:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing bubblewrap for the grading sandbox"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap) >/dev/null; \
	  else \
	    echo "warning: bubblewrap (bwrap) not found; grading runs with resource limits only (see README)"; \
	  fi; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install lint
	$(BIN)/python -m pytest -q

# Regenerate release/ from source/ (then commit it; a test fails when the two drift apart).
release: install
	cd $(CURDIR) && for a in $$($(BIN)/python -c "from autograder.config import load_course; print(*load_course().assignments)"); do \
	  $(BIN)/nbgrader generate_assignment $$a --force --log-level=WARN || exit 1; done

demo: install
	$(BIN)/python -m autograder.demo

bench: install
	$(BIN)/python bench/trainer.py
	$(BIN)/python bench/autograde.py

clean:
	rm -rf .demo build
