"""Synthetic classes for batch grading: who hands in what, built from the course's variants.

A student kind names a way of answering every notebook of an assignment: the reference
answer, the demo's known mistakes (where the demo has some), the blank release, or a hostile
answer put in the first answer cell of the first notebook (an endless loop, `os._exit`, a
memory bomb). The rest of a hostile submission is right, so what it costs shows cell by cell.
"""

from __future__ import annotations

from pathlib import Path

from autograder import demo
from autograder.config import load_course
from autograder.notebooks import answers, fill_release, read, release_path
from autograder.pipeline import submit

HOSTILE = {
    "loops": "while True:\n    pass\n",
    "exits": "import os\nos._exit(3)\n",
    "bomb": "hog = []\nwhile True:\n    hog.append(bytearray(256 * 1024 * 1024))\n",
}
KINDS = ("right", "mistakes", "blank", *HOSTILE)


def notebook_for(course_dir: Path, kind: str, assignment: str, notebook: str, first: bool):
    """What a student of `kind` hands in for one notebook (`first`: the assignment's first),
    filled into the release generated in `course_dir`."""
    if kind == "blank":
        return read(release_path(assignment, notebook, course_dir))
    variant = None
    if kind == "mistakes" and notebook in demo.MISTAKES:
        variant = demo.combined(demo.mistakes_of(notebook))
    filled = answers(assignment, notebook, variant)
    if kind in HOSTILE and first:
        cell = next(iter(filled))
        filled[cell] = HOSTILE[kind] + "\n" + filled[cell]
    return fill_release(assignment, notebook, filled, course_dir)


def submit_class(course_dir: Path, assignment: str, students: dict[str, str]) -> None:
    """Place every student's submission (student id -> kind) in submitted/."""
    notebooks = [nb.name for nb in load_course(course_dir).notebooks_of(assignment)]
    for student, kind in students.items():
        for i, notebook in enumerate(notebooks):
            content = notebook_for(course_dir, kind, assignment, notebook, first=i == 0)
            submit(course_dir, student, assignment, notebook, content)
