"""A generated course with one small assignment, copied per test module, and the command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.config import load_course
from autograder.pipeline import copy_course, nbgrader, nbgrader_env
from tests.batch.classes import submit_class

ASSIGNMENT = "linear_regression"


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """The course with ASSIGNMENT generated (gradebook entries and release) and no student."""
    course_dir = copy_course(tmp_path_factory.mktemp("generated") / "course")
    nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force")
    return course_dir


def class_course(generated: Path, dest: Path, students: dict[str, str]) -> Path:
    """A copy of the generated course with these students' submissions (id -> kind)."""
    shutil.copytree(generated, dest, symlinks=True)
    submit_class(dest, ASSIGNMENT, students)
    return dest


def grade(course_dir: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """`python -m autograder grade ASSIGNMENT ...`, run from the course root as documented."""
    return subprocess.run(
        [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, *args],
        cwd=course_dir,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def gradebook_state(course_dir: Path) -> dict:
    """Everything autograding writes to the gradebook, keyed by student, notebook and cell."""
    course = load_course(course_dir)
    state: dict = {"submissions": {}, "grades": {}, "comments": {}, "penalties": {}}
    with Gradebook(course.db_url, course.id) as gb:
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                key = (sub.student.id, assignment.name)
                state["submissions"][key] = state["submissions"].get(key, 0) + 1
                for nb in sub.notebooks:
                    state["penalties"][(*key, nb.name)] = nb.late_submission_penalty
                    for g in nb.grades:
                        state["grades"][(*key, nb.name, g.name)] = (
                            g.auto_score,
                            g.manual_score,
                            g.max_score,
                            g.needs_manual_grade,
                        )
                    for c in nb.comments:
                        state["comments"][(*key, nb.name, c.name)] = c.auto_comment
    return state
