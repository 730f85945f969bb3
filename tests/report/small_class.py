"""A small class graded for real: nbgrader autograde and generate_feedback on one notebook.

Students of `gradient_access` (assignment linear_regression, whose other notebook nobody
hands in): a right answer, the demo's known mistakes, a file that is not JSON, code that
kills its kernel and loops forever, and code that puts HTML and script in what it prints,
displays and raises. The time limit is lowered in the course copy so that the endless loop
costs seconds. Shared by the report tests and the browser tests.
"""

from __future__ import annotations

import re
from pathlib import Path

from autograder import demo
from autograder.notebooks import answers, fill_release
from autograder.pipeline import copy_course, nbgrader, submit

ASSIGNMENT, NOTEBOOK = "linear_regression", "gradient_access"
CELL_TIMEOUT = 8  # seconds, in the copy's course.toml
# What a hostile answer tries to run in a browser; a browser test checks it never gets set.
FLAG = "__studentScriptRan"
SCRIPT = f"<script>window.{FLAG} = true</script>"
IMG = f'<img src="x" onerror="window.{FLAG} = true">'
LONG_WORD = "W" * 400  # one word far wider than any page

HOSTILE = {
    "get_grads_impl": """
import os

def get_grads(model):
    os._exit(1)
""",
    "full_batch_grads_impl": """
def full_batch_grads(model, X, y):
    while True:
        pass
""",
}
HTML_ANSWERS = {
    "get_grads_impl": f"""
from IPython.display import HTML, display

print({SCRIPT!r})
display(HTML({(SCRIPT + IMG + '<b id="student-html">bold</b>')!r}))

def get_grads(model):
    raise ValueError({(IMG + SCRIPT + " " + LONG_WORD)!r})
""",
}

STUDENTS = ("ada_right", "ben_mistakes", "dee_broken", "eve_hostile", "fay_html")


def submission(student: str):
    if student == "dee_broken":
        return b"{this is not a notebook"
    if student in ("ada_right", "ben_mistakes"):
        return demo.submission(student, ASSIGNMENT, NOTEBOOK)
    cells = HOSTILE if student == "eve_hostile" else HTML_ANSWERS
    filled = answers(ASSIGNMENT, NOTEBOOK)
    filled.update(cells)
    return fill_release(ASSIGNMENT, NOTEBOOK, filled)


def grade_small_class(course_dir: Path, students: tuple[str, ...] = STUDENTS) -> Path:
    """Copy the course to `course_dir`, grade `students` and write their feedback."""
    copy_course(course_dir)
    toml = course_dir / "course.toml"
    text, count = re.subn(
        r"(?m)^cell_timeout = \d+", f"cell_timeout = {CELL_TIMEOUT}", toml.read_text()
    )
    assert count == 1, "course.toml has no cell_timeout to lower"
    toml.write_text(text)
    nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force")
    for student in students:
        submit(course_dir, student, ASSIGNMENT, NOTEBOOK, submission(student))
    nbgrader(course_dir, "autograde", ASSIGNMENT, "--force")
    nbgrader(course_dir, "generate_feedback", ASSIGNMENT, "--force")
    return course_dir


def feedback_page(course_dir: Path, student: str) -> Path:
    return course_dir / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html"
