"""`python -m autograder grade ASSIGNMENT [--student ID ...] [--workers N] [--scheduler ADDRESS]
[--force] [--logs DIR]`, run from the course root: see autograder.batch.cli."""

import sys

from autograder.batch.cli import main

# Local Dask workers are started as fresh interpreters that import this module again; only
# the instructor's own process runs the command.
if __name__ == "__main__":
    sys.exit(main())
