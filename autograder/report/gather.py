"""Collecting the class's results after `nbgrader autograde`: scores from the gradebook
(nbgrader's Gradebook API, at the course's `db_url`), check by check results and grading
problems from the autograded notebooks on disk."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.engine import make_url

from autograder.config import Course
from autograder.report.cells import (
    graded_cells,
    intake_notes,
    is_crash,
    is_time_limit,
    stopped_cells,
)
from autograder.report.model import (
    BROKEN_FILE,
    CRASH,
    MISSING,
    TIME_LIMIT,
    CellResult,
    ClassResults,
    Issue,
    NotebookResult,
)

AUTOGRADED_DIR = "autograded"  # nbgrader's default, which this course keeps


class ReportError(RuntimeError):
    """The report cannot be made (no gradebook, an unknown or ungraded assignment)."""


def autograded_path(course: Course, student: str, assignment: str, notebook: str) -> Path:
    return course.root / AUTOGRADED_DIR / student / assignment / f"{notebook}.ipynb"


def _check_gradebook(db_url: str) -> None:
    # Opening a gradebook creates an empty one where none exists: refuse that instead.
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        raise ReportError(f"no gradebook at {url.database}: run `nbgrader autograde` first")


def issues_of(nb, cells: list[CellResult]) -> list[Issue]:
    """Time limits, crashes and a broken file, as grading recorded them in the notebook."""
    issues: list[Issue] = []
    notes, unreadable = intake_notes(nb)
    if notes or unreadable:
        issues.append(Issue(BROKEN_FILE, "; ".join(notes) or "the file could not be read"))
    reasons = [(r, "a cell of the student's code") for r in stopped_cells(nb)]
    for cell in cells:
        if cell.problem:
            reasons.append((cell.problem, cell.grade_id))
        reasons += [(c.message, cell.grade_id) for c in cell.checks if not c.passed]
    for kind, test in ((TIME_LIMIT, is_time_limit), (CRASH, is_crash)):
        hits = [f"{where}: {text}" for text, where in reasons if test(text)]
        if hits:
            more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
            issues.append(Issue(kind, hits[0] + more))
    return issues


def _score(grade, autograded: bool) -> float | None:
    """The gradebook's score, None while nobody (neither grading nor a person) has set it."""
    if grade is None:
        return 0.0 if autograded else None
    if grade.manual_score is None and grade.auto_score is None:
        return None
    return float(grade.score)


def _notebook_result(course: Course, gb: Gradebook, student: str, nb_conf) -> NotebookResult:
    assignment, name = nb_conf.assignment, nb_conf.name
    try:
        submitted = gb.find_submission_notebook(name, assignment, student)
        grades = {g.name: g for g in submitted.grades}
    except MissingEntry:
        grades = {}
    path = autograded_path(course, student, assignment, name)
    nb, issues = None, []
    if not path.is_file():
        issues.append(Issue(MISSING, "no autograded notebook: it was not submitted"))
    else:
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as exc:  # an autograded file is ours, but a disk can still fail
            issues.append(Issue(BROKEN_FILE, f"the autograded notebook cannot be read ({exc})"))
    parsed = {c.grade_id: c for c in graded_cells(nb)} if nb is not None else {}
    cells = []
    for grade_id, points in nb_conf.points.items():
        grade, found = grades.get(grade_id), parsed.get(grade_id)
        autograded = found is not None or (grade is not None and grade.cell_type == "code")
        cells.append(
            CellResult(
                grade_id,
                autograded,
                _score(grade, autograded),
                grade.max_score if grade is not None else points,
                found.checks if found else (),
                found.problem if found else "",
            )
        )
    if nb is not None:
        issues = issues_of(nb, cells)
    return NotebookResult(student, assignment, name, tuple(cells), tuple(issues))


def gather(course: Course, assignments: Sequence[str] = ()) -> ClassResults:
    """Every student's results on `assignments` (default: all the gradebook has graded)."""
    _check_gradebook(course.db_url)
    for assignment in assignments:
        course.notebooks_of(assignment)  # an unknown name fails here, with its own message
    results, absent = [], {}
    with Gradebook(course.db_url) as gb:
        graded = {a.name for a in gb.assignments}
        if assignments:
            missing = [a for a in assignments if a not in graded]
            if missing:
                raise ReportError(
                    f"the gradebook has no assignment {', '.join(missing)}: run "
                    "`nbgrader autograde` first"
                )
        else:
            assignments = [a for a in course.assignments if a in graded]
            if not assignments:
                raise ReportError("the gradebook holds no graded assignment yet")
        students = sorted(s.id for s in gb.students)
        for assignment in assignments:
            for student in students:
                try:
                    gb.find_submission(assignment, student)
                except MissingEntry:
                    absent.setdefault(assignment, []).append(student)
                    continue
                for nb_conf in course.notebooks_of(assignment):
                    results.append(_notebook_result(course, gb, student, nb_conf))
    notebooks = tuple(nb for nb in course.notebooks if nb.assignment in assignments)
    return ClassResults(
        course.id, notebooks, tuple(results), {a: tuple(s) for a, s in absent.items()}
    )
