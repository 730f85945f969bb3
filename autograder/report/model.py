"""What the class report is made of: each student's graded notebooks, and the counts over them.

`gather` (autograder.report.gather) fills these from the gradebook and the autograded notebooks;
the tests build them directly. Everything else in the report is computed from them here, so
the page and the CSV show the same numbers.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from autograder.config import Notebook
from autograder.report.cells import Check

# Why a submission needs an instructor's look, in the order the report lists them.
TIME_LIMIT = "time limit"
CRASH = "crash"
BROKEN_FILE = "broken file"
MISSING = "missing notebook"
ISSUE_KINDS = (TIME_LIMIT, CRASH, BROKEN_FILE, MISSING)


@dataclass(frozen=True)
class CellResult:
    """One graded cell of one student's notebook."""

    grade_id: str
    autograded: bool  # a code cell with hidden checks; else a written answer marked by hand
    score: float | None  # the gradebook's score; None while a written answer is not marked
    max_score: float
    checks: tuple[Check, ...] = ()
    problem: str = ""  # why its checks did not run


@dataclass(frozen=True)
class Issue:
    kind: str  # one of ISSUE_KINDS
    detail: str


@dataclass(frozen=True)
class NotebookResult:
    """One student's graded notebook."""

    student: str
    assignment: str
    notebook: str
    cells: tuple[CellResult, ...]
    issues: tuple[Issue, ...] = ()

    @property
    def autograded_score(self) -> float:
        return sum(c.score or 0.0 for c in self.cells if c.autograded)


@dataclass(frozen=True)
class MistakeCount:
    """A named mistake and the students whose checks found it (in one graded cell)."""

    mistake: str
    assignment: str
    notebook: str
    grade_id: str
    students: tuple[str, ...]


@dataclass(frozen=True)
class Flagged:
    student: str
    assignment: str
    notebook: str
    detail: str


@dataclass(frozen=True)
class Distribution:
    """The scores of one graded cell, or the autograded points of one notebook."""

    label: str
    max_score: float
    scores: tuple[float, ...]
    pending: int = 0  # written answers not marked yet

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.scores) if self.scores else None

    @property
    def full_marks(self) -> int:
        return sum(s >= self.max_score - 1e-9 for s in self.scores)

    @property
    def zeros(self) -> int:
        return sum(s <= 1e-9 for s in self.scores)


@dataclass(frozen=True)
class ClassResults:
    course_id: str
    notebooks: tuple[Notebook, ...]  # the notebooks reported on, in course.toml's order
    results: tuple[NotebookResult, ...]
    # Students in the gradebook without a submission of an assignment: assignment -> students.
    absent: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def students(self) -> tuple[str, ...]:
        return tuple(sorted({r.student for r in self.results}))

    def of(self, notebook: Notebook) -> list[NotebookResult]:
        return [
            r
            for r in self.results
            if r.assignment == notebook.assignment and r.notebook == notebook.name
        ]

    def distributions(self, notebook: Notebook) -> list[Distribution]:
        """The notebook's autograded points first, then each graded cell's scores."""
        results = self.of(notebook)
        autograded = {c.grade_id for r in results for c in r.cells if c.autograded}
        out = [
            Distribution(
                "autograded points",
                sum(p for g, p in notebook.points.items() if g in autograded),
                tuple(r.autograded_score for r in results if MISSING not in _kinds(r)),
            )
        ]
        for grade_id, points in notebook.points.items():
            cells = [
                c
                for r in results
                if MISSING not in _kinds(r)
                for c in r.cells
                if c.grade_id == grade_id
            ]
            scores = tuple(c.score for c in cells if c.score is not None)
            out.append(Distribution(grade_id, points, scores, len(cells) - len(scores)))
        return out

    def mistakes(self) -> list[MistakeCount]:
        """Named mistakes, the most widespread first; each student counted once per cell."""
        found: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
        for r in self.results:
            for cell in r.cells:
                for check in cell.checks:
                    if check.mistake:
                        found[check.mistake, r.assignment, r.notebook, cell.grade_id].add(r.student)
        counts = [MistakeCount(*key, tuple(sorted(who))) for key, who in found.items()]
        order = {(nb.assignment, nb.name): i for i, nb in enumerate(self.notebooks)}
        counts.sort(
            key=lambda m: (-len(m.students), order.get((m.assignment, m.notebook), 0), m.mistake)
        )
        return counts

    def flagged(self, kind: str) -> list[Flagged]:
        """Submissions whose grading met `kind` (one of ISSUE_KINDS)."""
        return [
            Flagged(r.student, r.assignment, r.notebook, issue.detail)
            for r in sorted(self.results, key=lambda r: (r.student, r.assignment, r.notebook))
            for issue in r.issues
            if issue.kind == kind
        ]


def _kinds(result: NotebookResult) -> set[str]:
    return {i.kind for i in result.issues}
