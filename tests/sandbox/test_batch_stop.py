"""Grading fails loudly, never into zeros: a machine where no grading kernel can start, or a
broken hidden grader, stops `nbgrader autograde` with the cause and a non-zero exit status,
and no grade is recorded."""

import pytest

from autograder.notebooks import answers, fill_release
from autograder.pipeline import cell_scores, copy_course, nbgrader, submit

pytestmark = pytest.mark.slow

ASSIGNMENT, NOTEBOOK = "linear_regression", "huber_loss"
STUDENTS = ("ada", "ben")


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory):
    course_dir = copy_course(tmp_path_factory.mktemp("stopped"))
    nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force")
    right = fill_release(ASSIGNMENT, NOTEBOOK, answers(ASSIGNMENT, NOTEBOOK))
    for student in STUDENTS:
        submit(course_dir, student, ASSIGNMENT, NOTEBOOK, right)
    return course_dir


@pytest.fixture
def changed(course_dir):
    """Change a file of the course for one test (the original comes back afterwards)."""
    saved = {}

    def change(relative: str, edit) -> None:
        path = course_dir / relative
        saved.setdefault(path, path.read_text())
        path.write_text(edit(path.read_text()))

    yield change
    for path, text in saved.items():
        path.write_text(text)


def starve(text: str) -> str:
    """course.toml with a memory limit too small for any kernel to start."""
    assert "\nmemory_mb = " in text
    lines = ["memory_mb = 16" if ln.startswith("memory_mb = ") else ln for ln in text.split("\n")]
    return "\n".join(lines)


def autograde_stops(course_dir, *expected: str) -> None:
    done = nbgrader(course_dir, "autograde", ASSIGNMENT, "--force", check=False)
    log = done.stdout + done.stderr
    assert done.returncode != 0
    for text in ("GradingStopped", "sandbox mode", *expected):
        assert text in log, (text, log[-3000:])
    for student in STUDENTS:
        scores = cell_scores(course_dir, student, ASSIGNMENT, NOTEBOOK)
        assert all(score is None for score, _ in scores.values()), (student, scores)
        assert not (course_dir / "autograded" / student / ASSIGNMENT).exists()


def test_a_kernel_that_cannot_start_stops_the_batch_with_its_cause(course_dir, changed):
    changed("course.toml", starve)
    autograde_stops(course_dir, "could not start")


def test_a_broken_grader_stops_the_batch_with_its_error(course_dir, changed):
    changed(f"autograder/graders/{NOTEBOOK}.py", lambda text: text + "\ndef broken(:\n")
    autograde_stops(course_dir, "are broken")
