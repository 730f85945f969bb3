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
# Tests, graders and student kernels work on tiny tensors: one torch thread each is faster than
# several competing for two cores.
export OMP_NUM_THREADS := 1

.PHONY: install sandbox browser test lint format release demo bench clean wheel postgres grade-demo

install: $(STAMP) sandbox browser postgres

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

# The browser tests drive the OS's Chromium (never a downloaded one). Install it where we can;
# elsewhere those tests skip and say why.
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else \
	    echo "warning: /usr/bin/chromium not found; the browser tests will be skipped"; \
	  fi; }

# The kit as a wheel for students, built offline from this checkout: $(DIST)/d2lkit-<version>-py3-none-any.whl.
# Hand it out with release/ (README, "For students"). Only d2lkit/ is in it, never the graders.
DIST ?= dist
wheel: $(STAMP)
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir $(DIST) .
	@ls $(DIST)/d2lkit-*-py3-none-any.whl

# The gradebook can live on PostgreSQL (course.toml db_url); the tests start a throwaway server
# from the OS's initdb and pg_ctl. Install the server where we can; elsewhere those tests skip.
postgres:
	@{ command -v initdb && command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing postgresql for the gradebook tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null; \
	  else \
	    echo "warning: PostgreSQL (initdb, pg_ctl) not found; the PostgreSQL gradebook tests will be skipped"; \
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

# The demo class graded in parallel by `python -m autograder grade` (see README, instructors).
grade-demo: install
	$(BIN)/python -m autograder.batch.demo

bench: install
	$(BIN)/python bench/trainer.py
	$(BIN)/python bench/autograde.py
	$(BIN)/python bench/batch.py

clean:
	rm -rf .demo build dist
