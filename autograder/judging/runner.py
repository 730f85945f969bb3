"""Run the hidden pytest graders of one graded cell and turn the outcome into a verdict.

Graders are ordinary pytest files, `autograder/graders/<notebook>.py`, whose tests carry
`@pytest.mark.cell("<grade_id>")`. They run in this process (never in the student's kernel),
get the student through the `student` fixture and the course's tolerances through `expect`.
The verdict is the share of the cell's checks that passed, with each failure's message.
"""

from __future__ import annotations

import contextlib
import io
import os
import zlib
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

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    def score(self, points: float) -> float:
        """Points earned: the share of checks passed, times the cell's points."""
        if self.problem or not self.outcomes:
            return 0.0
        return round(points * self.passed / self.total, 4)

    def report(self) -> str:
        """The feedback text a student reads under the graded cell."""
        lines = []
        if self.problem:
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


def check_seed(grading_seed: int, nodeid: str) -> int:
    """A stable per-check seed: the same inputs on every run, different for every check."""
    return zlib.crc32(f"{grading_seed}:{nodeid}".encode()) & 0x7FFFFFFF


class GradingPlugin:
    """Hands the student and the course to the graders and collects one cell's outcomes."""

    def __init__(self, course: Course, student: Student, cell_id: str, verdict: CellVerdict):
        self.course = course
        self._student = student
        self.cell_id = cell_id
        self.verdict = verdict

    @pytest.fixture
    def student(self) -> Student:
        return self._student

    @pytest.fixture
    def expect(self) -> Expect:
        return Expect(self.course.tolerance)

    @pytest.fixture
    def seed(self, request) -> int:
        return check_seed(self.course.grading_seed, request.node.nodeid.split("::")[-1])

    @pytest.fixture
    def gen(self, seed) -> torch.Generator:
        return torch.Generator().manual_seed(seed)

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

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        failed_setup = report.when == "setup" and report.failed
        if report.when == "call" or failed_setup:
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


def run_cell_checks(
    course: Course,
    notebook: str,
    cell_id: str,
    student: Student,
    graders_dir: Path = GRADERS_DIR,
) -> CellVerdict:
    """Run every hidden check of `cell_id` against `student`; never raises."""
    verdict = CellVerdict(cell_id)
    path = graders_dir / f"{notebook}.py"
    if not path.exists():
        verdict.problem = f"no hidden graders for notebook {notebook!r}"
        return verdict
    plugin = GradingPlugin(course, student, cell_id, verdict)
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
            verdict.problem = f"the hidden checks could not start: {sink.getvalue()[-500:]}"
    except BaseException as exc:  # a broken grader must not take the batch down
        verdict.problem = f"the hidden checks could not run ({type(exc).__name__}: {exc})"
    finally:
        if saved is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved
    if not verdict.outcomes and not verdict.problem:
        verdict.problem = f"no hidden checks are registered for cell {cell_id!r}"
    return verdict
