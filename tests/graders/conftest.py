"""Shared setup for the grader tests."""

import dataclasses

import pytest

from autograder.config import load_course
from autograder.judging.runner import run_cell_checks
from autograder.judging.student import LocalStudent
from autograder.notebooks import run_namespace


@pytest.fixture
def verdicts_under_seed():
    """Grade a notebook's reference (or a variant) in-process under another grading seed:
    `grade(assignment, notebook, cells, grading_seed, variant=None) -> {cell: CellVerdict}`."""

    def grade(assignment, notebook, cells, grading_seed, variant=None):
        course = dataclasses.replace(load_course(), grading_seed=grading_seed)
        student = LocalStudent(run_namespace(assignment, notebook, variant))
        return {cell: run_cell_checks(course, notebook, cell, student) for cell in cells}

    return grade
