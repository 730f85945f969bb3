"""The plain data that travels between the client and the workers.

Everything here is made of strings, numbers and bytes, so a task pickles small and means the
same on any machine: no paths of the course's disk, no database handles.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CellDefinition:
    """One cell nbgrader recorded for an assignment at release time (kind: grade, solution,
    task or source)."""

    kind: str
    notebook: str
    name: str
    cell_type: str = "code"
    max_score: float | None = None
    locked: bool = False
    source: str | None = None
    checksum: str | None = None


@dataclass(frozen=True)
class AssignmentDefinition:
    """What the course gradebook knows of an assignment before anyone submits."""

    name: str
    duedate: str | None
    notebooks: tuple[str, ...]
    cells: tuple[CellDefinition, ...]

    def graded_cells(self, notebook: str) -> list[CellDefinition]:
        return [c for c in self.cells if c.notebook == notebook and c.kind in ("grade", "task")]


@dataclass(frozen=True)
class CourseBundle:
    """The course as a worker needs it, sent once to every worker: release notebooks,
    course.toml and nbgrader_config.py (path -> bytes), and the assignment's definition for
    the worker's throwaway gradebook. The autograder package (graders included) is code: each
    worker has it installed, and must have the same version (`code_digest`)."""

    course_id: str
    assignment: AssignmentDefinition
    files: dict[str, bytes]
    # sha256 of everything here: a worker materialises each bundle once, and a submission
    # graded under another bundle (changed graders, release or settings) is graded again.
    digest: str
    # sha256 of the autograder package's Python files, which a worker must run the same of.
    code_digest: str


@dataclass(frozen=True)
class Submission:
    """One student's submission of one assignment: submitted/<student>/<assignment>/."""

    student: str
    assignment: str
    files: dict[str, bytes]
    digest: str
    # Files left behind on the client (links, too large, too many), with the reason.
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class GradeRow:
    notebook: str
    name: str
    cell_type: str
    max_score: float
    auto_score: float | None
    needs_manual_grade: bool


@dataclass(frozen=True)
class CommentRow:
    notebook: str
    name: str
    auto_comment: str | None


@dataclass(frozen=True)
class OutputFile:
    """A file of the autograded folder, relative to autograded/<student>/<assignment>/."""

    path: str
    mode: int
    data: bytes


@dataclass
class GradingResult:
    """What grading one submission produced. `ok` is False when the grading raised; `error`
    then says why, and the writer records a zero with that reason, unless `broken`: the fault
    is the course's or the worker's (sandbox refused, graders broken, different code), and no
    grade is recorded at all."""

    student: str
    assignment: str
    digest: str
    ok: bool
    error: str = ""
    broken: bool = False
    timestamp: str | None = None
    submitted: tuple[str, ...] = ()  # notebooks present in the submission
    grades: tuple[GradeRow, ...] = ()
    comments: tuple[CommentRow, ...] = ()
    files: tuple[OutputFile, ...] = ()
    problems: tuple[str, ...] = ()
    seconds: float = 0.0
    worker: str = ""
    log: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    def points(self) -> tuple[float, float]:
        """(score, max) over the autograded (code) cells."""
        code = [g for g in self.grades if g.cell_type == "code"]
        return sum(g.auto_score or 0.0 for g in code), sum(g.max_score for g in code)
