"""release/ is what nbgrader makes of source/, and it gives nothing away."""

import json

import pytest

from autograder.config import REPO_ROOT, load_course
from autograder.pipeline import nbgrader

pytestmark = pytest.mark.slow


def release_notebooks():
    course = load_course()
    return [REPO_ROOT / "release" / nb.assignment / f"{nb.name}.ipynb" for nb in course.notebooks]


def test_committed_release_matches_a_fresh_generation_from_source(generated_course):
    for path in release_notebooks():
        fresh = generated_course / path.relative_to(REPO_ROOT)
        assert json.loads(path.read_text()) == json.loads(fresh.read_text()), (
            f"{path.relative_to(REPO_ROOT)} is out of date: run "
            "`nbgrader generate_assignment <assignment> --force` and commit release/"
        )


@pytest.mark.parametrize("path", release_notebooks(), ids=lambda p: p.stem)
def test_release_holds_no_solution_hidden_check_or_marking_scheme(path):
    text = path.read_text()
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "check_here", "autograder", "Marking"):
        assert secret not in text, secret


@pytest.mark.parametrize("path", release_notebooks(), ids=lambda p: p.stem)
def test_nbgrader_validate_reports_an_unfinished_notebook_without_crashing(path, tmp_path):
    done = nbgrader(tmp_path, "validate", str(path), check=False)
    output = done.stdout + done.stderr
    assert "VALIDATION FAILED" in output or "NotImplementedError" in output, output[-2000:]
    assert "Traceback (most recent call last)" not in done.stderr, done.stderr[-2000:]
