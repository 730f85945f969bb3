"""Run the hidden pytest graders of one graded cell and turn the outcome into a verdict.

Graders are ordinary pytest files, `autograder/graders/<notebook>.py`, whose tests carry
`@pytest.mark.cell("<grade_id>")`. They run in this process (never in the student's kernel),
get the student through the `student` fixture and the course's tolerances through `expect`.
The verdict is the share of the cell's checks that passed, with each failure's message.

Hidden inputs are drawn from a seed per check that mixes the course's grading seed, the
student's id and the check's name: classmates get different inputs (one's feedback does not
give away another's expected values), a regrade of the same student gets the same ones.

A verdict tells two kinds of trouble apart: `problem`, the cell could not be graded, and
`grader_error`, the graders themselves are at fault (a syntax or collection error, a run that
ended interrupted, a cell without checks). A grader fault is never the student's: the grading
step should stop the batch rather than record the zeros.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import torch

from autograder.config import Course
from autograder.judging.checks import CheckFailed, Expect
from autograder.judging.student import Student

GRADERS_DIR = Path(__file__).resolve().parent.parent / "graders"


@dataclass(frozen=True)
class CheckOutcome:
    title: str
    passed: bool
    message: str = ""


@dataclass
class CellVerdict:
    """What the hidden checks of one graded cell found."""

    cell_id: str
    outcomes: list[CheckOutcome] = field(default_factory=list)
    problem: str = ""  # set when the checks could not run at all
    grader_error: str = ""  # set when the graders are at fault (never the student's doing)

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    def score(self, points: float) -> float:
        """Points earned: the share of checks passed, times the cell's points."""
        if self.problem or self.grader_error or not self.outcomes:
            return 0.0
        return round(points * self.passed / self.total, 4)

    def report(self) -> str:
        """The feedback text a student reads under the graded cell."""
        lines = []
        if self.grader_error:
            lines.append(f"Not graded: the hidden checks failed ({self.grader_error}).")
        elif self.problem:
            lines.append(f"Not graded: {self.problem}")
        for outcome in self.outcomes:
            mark = "PASS" if outcome.passed else "FAIL"
            line = f"[{mark}] {outcome.title}"
            if not outcome.passed and outcome.message:
                line += f"\n       {outcome.message}"
            lines.append(line)
        if self.outcomes:
            lines.append(f"Hidden checks passed: {self.passed} of {self.total}.")
        return "\n".join(lines) + "\n"


def check_seed(grading_seed: int, name: str, student_id: str = "") -> int:
    """A stable seed for the hidden inputs of check (or cell) `name`: the same on every run for
    one student, different for every check and every student."""
    text = f"{grading_seed}\x00{student_id}\x00{name}".encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:4], "big") & 0x7FFFFFFF


class GradingPlugin:
    """Hands the student and the course to the graders and collects one cell's outcomes."""

    def __init__(
        self,
        course: Course,
        student: Student,
        cell_id: str,
        verdict: CellVerdict,
        student_id: str = "",
    ):
        self.course = course
        self._student = student
        self.cell_id = cell_id
        self.verdict = verdict
        self.student_id = student_id
        self._memo: dict = {}

    @pytest.fixture
    def student(self) -> Student:
        return self._student

    @pytest.fixture
    def expect(self) -> Expect:
        return Expect(self.course.tolerance)

    @pytest.fixture
    def seed(self, request) -> int:
        name = request.node.nodeid.split("::")[-1]
        return check_seed(self.course.grading_seed, name, self.student_id)

    @pytest.fixture
    def gen(self, seed) -> torch.Generator:
        return torch.Generator().manual_seed(seed)

    @pytest.fixture
    def cell_seed(self) -> int:
        """One seed for every check of the cell, for checks that look at parts of one answer."""
        return check_seed(self.course.grading_seed, self.cell_id, self.student_id)

    @pytest.fixture
    def memo(self) -> dict:
        """A dict shared by the checks of this one cell run (one student, one cell), to ask a
        slow question once; it is gone when the run ends."""
        return self._memo

    def pytest_collection_modifyitems(self, config, items):
        keep, drop = [], []
        for item in items:
            marker = item.get_closest_marker("cell")
            (keep if marker and marker.args and marker.args[0] == self.cell_id else drop).append(
                item
            )
        if drop:
            config.hook.pytest_deselected(items=drop)
        items[:] = keep

    def pytest_keyboard_interrupt(self, excinfo):
        self._grader_fault(f"the run was interrupted ({excinfo.typename}: {excinfo.value})")

    def pytest_collectreport(self, report):
        if report.failed:
            self._grader_fault(f"a grader could not be collected: {_last_line(report)}")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if report.when == "setup" and report.failed:
            # Fixtures never call the student's code: a failing setup is the grader's fault.
            self._grader_fault(f"{item.name} could not be set up: {_last_line(report)}")
            return report
        if report.when == "call":
            doc = (getattr(item, "function", None).__doc__ or "").strip()
            title = doc.splitlines()[0] if doc else item.name.replace("_", " ")
            if report.passed:
                self.verdict.outcomes.append(CheckOutcome(title, True))
            else:
                exc = call.excinfo.value if call.excinfo else None
                if isinstance(exc, CheckFailed):
                    message = str(exc)
                else:
                    # A plain assert or an unexpected error inside the check.
                    message = f"the check could not be completed ({type(exc).__name__}: {exc})."
                self.verdict.outcomes.append(CheckOutcome(title, False, message))
        return report

    def _grader_fault(self, message: str) -> None:
        if not self.verdict.grader_error:
            self.verdict.grader_error = message[:1000]


def _last_line(report) -> str:
    """The line of a failure report that says what went wrong (pytest marks it with `E`)."""
    lines = [line.strip() for line in str(report.longrepr or "").splitlines() if line.strip()]
    errors = [line.removeprefix("E").strip() for line in lines if line.startswith("E ")]
    return (errors or lines or ["no details"])[-1][:500]


def run_cell_checks(
    course: Course,
    notebook: str,
    cell_id: str,
    student: Student,
    graders_dir: Path = GRADERS_DIR,
    student_id: str = "",
) -> CellVerdict:
    """Run every hidden check of `cell_id` against `student`, on hidden inputs drawn for
    `student_id` (nbgrader's student id); never raises. Grader faults are marked on the
    verdict's `grader_error` (and `problem`), never scored as the student's failures."""
    verdict = CellVerdict(cell_id)
    path = graders_dir / f"{notebook}.py"
    if not path.exists():
        return _faulty(verdict, f"no hidden graders for notebook {notebook!r}")
    plugin = GradingPlugin(course, student, cell_id, verdict, student_id)
    args = [
        str(path),
        "-c",
        str(GRADERS_DIR / "pytest.ini"),
        "--rootdir",
        str(graders_dir),
        "-p",
        "no:cacheprovider",
        "-p",
        "no:terminal",
        "-p",
        "no:logging",
        # These two end every session with rounds of gc.collect(): most of a cell's time.
        "-p",
        "no:unraisableexception",
        "-p",
        "no:threadexception",
        "--capture=no",
        "--assert=plain",  # no import hook: heavy torch imports inside checks stay fast
    ]
    saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # graders need no third-party plugins
    try:
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            status = pytest.main(args, plugins=[plugin])
        if status in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR):
            plugin._grader_fault(f"the hidden checks could not start: {sink.getvalue()[-500:]}")
        elif status == pytest.ExitCode.INTERRUPTED:
            # A collection error, pytest.exit() or KeyboardInterrupt: whatever ran is partial.
            plugin._grader_fault(f"the run was interrupted: {_tail(sink.getvalue())}")
        elif status == pytest.ExitCode.NO_TESTS_COLLECTED and not verdict.grader_error:
            plugin._grader_fault(f"no hidden checks are registered for cell {cell_id!r}")
    except BaseException as exc:  # a broken grader must not take the batch down
        plugin._grader_fault(f"the hidden checks could not run ({type(exc).__name__}: {exc})")
    finally:
        if saved is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved
    if not verdict.outcomes and not verdict.grader_error:
        plugin._grader_fault(f"no hidden checks are registered for cell {cell_id!r}")
    if verdict.grader_error:
        return _faulty(verdict, verdict.grader_error)
    return verdict


def _faulty(verdict: CellVerdict, message: str) -> CellVerdict:
    """Mark a grader fault; `problem` is set too, so that older callers do not score it."""
    verdict.grader_error = verdict.grader_error or message
    verdict.problem = verdict.problem or f"the hidden checks failed ({verdict.grader_error})"
    return verdict


def _tail(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return " / ".join(lines[-3:])[-500:] if lines else "no details"
