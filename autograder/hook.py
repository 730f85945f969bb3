"""The hidden-test hook of a graded cell, for instructors running the source notebooks.

Each graded test cell in source/ ends with a hidden block (stripped from release/) that calls
`check_here`. Run in the instructor's kernel (JupyterLab or CI's nbval), it grades the
notebook's own reference solution with the hidden checks and fails loudly if any check fails.
When students are graded, the block is not used: the autograder runs the same checks from
outside the student's kernel.
"""

from __future__ import annotations

from typing import Any

from autograder.config import load_course
from autograder.judging.runner import run_cell_checks
from autograder.judging.student import LocalStudent


def check_here(notebook: str, cell_id: str, namespace: dict[str, Any]) -> None:
    verdict = run_cell_checks(load_course(), notebook, cell_id, LocalStudent(namespace))
    print(verdict.report(), end="")
    if verdict.problem or verdict.passed != verdict.total:
        raise AssertionError(f"hidden checks of {cell_id!r} failed on the reference solution")
