"""`GradeInSandbox`: nbgrader's execute step, replaced by confined execution and outside verdicts.

The student's cells run in a sandboxed kernel (autograder.sandbox.kernel). Graded test cells are not
run there at all: at their place in the notebook the hidden pytest graders question the
student's code from this process, and the cell's outputs become the verdict, written here:
the report as stdout and the points as the cell's result, which nbgrader's SaveAutoGrades
records. A cell that kills or hangs the kernel gets an error output; the kernel is restarted and
the cells before it are replayed, so later answers can still be graded.

Grading fails loudly, never into zeros: a kernel that cannot start (twice in a row, before any
of the submission ran), a grader at fault, or a machine where student code cannot be confined
and the instructor has not opted in (`--GradeInSandbox.allow_unconfined=True`, or
D2LKIT_ALLOW_UNCONFINED=1) raise `GradingStopped` out of the preprocessor: nbgrader records no
grade for the notebook, reports the error and exits non-zero. The first notebook graded in a
process logs, as a warning, which protections are in force.
"""

from __future__ import annotations

import importlib
import threading
import time
from pathlib import Path

from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Unicode

from autograder.config import Course, Limits, load_course
from autograder.judging.kernel_student import KernelStudent
from autograder.judging.runner import CellVerdict, run_cell_checks
from autograder.notebooks import is_graded_test, nbgrader_meta
from autograder.sandbox import confine
from autograder.sandbox.kernel import KernelStartError, StudentKernel
from autograder.sandbox.spare import SPARE
from autograder.steps.intake import NOTE_KEY


class GradingStopped(RuntimeError):
    """Grading cannot go on for reasons that are not the student's; no grade is recorded."""


def _note_output(text: str):
    return new_output("stream", name="stdout", text=f"[grader] {text}\n")


def _error_output(text: str):
    return new_output("error", ename="GradingStopped", evalue=text, traceback=[text])


class _Session:
    """A kernel plus the cells it has run, so that it can be rebuilt after a crash."""

    def __init__(self, limits: Limits):
        self.kernel: StudentKernel | None = None
        self.history: list[str] = []
        self.restarts_left = limits.max_restarts
        self.limits = limits
        self.broken = ""  # why the kernel cannot be used any more

    def start(self, submission: Path) -> None:
        try:
            self.kernel = SPARE.take(self.limits)
        except KernelStartError:
            try:  # once more, in case the machine was briefly short of something
                self.kernel = SPARE.take(self.limits)
            except KernelStartError as exc:
                raise GradingStopped(f"grading stopped: {exc}") from None
        try:
            self.kernel.load_submission(submission)
        except Exception as exc:
            self.broken = f"the submission's files could not be loaded ({exc})"
            return
        SPARE.prepare(self.limits)  # for the next notebook, while this one is graded

    def close(self) -> None:
        if self.kernel is not None:
            self.kernel.close()

    def recover(self) -> None:
        """Restart the kernel and replay the cells that ran before the failure."""
        while not self.broken:
            if self.restarts_left <= 0:
                self.broken = "the kernel failed too many times"
                return
            self.restarts_left -= 1
            try:
                self.kernel.restart()
            except Exception as exc:
                self.broken = f"the kernel could not be restarted ({type(exc).__name__}: {exc})"
                return
            replayed = all(self.kernel.execute(code).status != "died" for code in self.history)
            if replayed and self.kernel.alive:
                return


def _load_training_stack() -> None:
    # torch.optim imports its compiler stack on first use: seconds the reference answers
    # would otherwise spend while a student's kernel sits waiting. Load it alongside.
    importlib.import_module("torch._dynamo")


class GradeInSandbox(NbGraderPreprocessor):
    """Run the student's cells confined; grade each graded test cell from outside."""

    course_root = Unicode("", help="The course directory (holding course.toml).").tag(config=True)
    allow_unconfined = Bool(
        False,
        help=(
            "Grade even where bubblewrap cannot confine student code (limits-only mode): the "
            "kernel could then read the course files and use the network. Also set by "
            "D2LKIT_ALLOW_UNCONFINED=1."
        ),
    ).tag(config=True)

    _warming = None
    _announced = False  # the protections are logged once per process

    def _check_sandbox(self, course: Course) -> None:
        kind = confine.mode()
        if not GradeInSandbox._announced:
            GradeInSandbox._announced = True
            self.log.warning(
                "student kernels run in sandbox mode %r: %s",
                kind,
                confine.describe(kind, course.limits),
            )
        try:
            confine.require_confinement(kind, self.allow_unconfined)
        except confine.SandboxUnavailable as exc:
            raise GradingStopped(f"grading refused: {exc}") from None

    def preprocess(self, nb, resources):
        if GradeInSandbox._warming is None:
            GradeInSandbox._warming = threading.Thread(target=_load_training_stack, daemon=True)
            GradeInSandbox._warming.start()
        course = load_course(Path(self.course_root or ".").resolve())
        self._check_sandbox(course)
        info = resources["nbgrader"]
        submission = Path(resources["metadata"]["path"])
        unreadable = bool(nb.metadata.get(NOTE_KEY, {}).get("unreadable"))
        session = _Session(course.limits)
        if unreadable:
            session.broken = "the submitted file could not be read"
        else:
            started = time.monotonic()
            session.start(submission)
            self.log.debug("kernel ready after %.2f s", time.monotonic() - started)
        try:
            count = 0
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                count += 1
                cell.execution_count = count
                started = time.monotonic()
                if is_graded_test(cell):
                    self._grade(cell, course, info, session)
                else:
                    self._run(cell, session)
                name = nbgrader_meta(cell).get("grade_id", f"cell {count}")
                self.log.debug("%s took %.2f s", name, time.monotonic() - started)
        finally:
            session.close()
        return nb, resources

    def _run(self, cell, session: _Session) -> None:
        if session.broken:
            cell.outputs = [_note_output(f"not run: {session.broken}.")]
            return
        run = session.kernel.execute(cell.source)
        cell.outputs = run.outputs
        if run.status == "ok" or run.status == "error":
            session.history.append(cell.source)
            return
        cell.outputs.append(_error_output(f"This cell was stopped: {run.error}."))
        if not session.kernel.alive:
            self.log.warning("a cell stopped the kernel: %s", run.error)
            session.recover()

    def _grade(self, cell, course: Course, info: dict, session: _Session) -> None:
        grade_id = nbgrader_meta(cell)["grade_id"]
        points = course.points_of(info["assignment"], info["notebook"], grade_id)
        if session.broken:
            verdict = CellVerdict(grade_id, problem=f"{session.broken}.")
        else:
            student = KernelStudent(session.kernel, course.limits.cell_timeout)
            graders = course.root / "autograder" / "graders"
            verdict = run_cell_checks(
                course, info["notebook"], grade_id, student, graders, student_id=info["student"]
            )
            if verdict.grader_error:
                raise GradingStopped(
                    f"grading stopped: the hidden checks of {info['notebook']}/{grade_id} are "
                    f"broken ({verdict.grader_error})"
                )
            if verdict.problem:
                self.log.error("hidden checks of %s: %s", grade_id, verdict.problem)
            if student.lost or not session.kernel.alive:
                session.recover()
        score = verdict.score(points)
        result = new_output("execute_result", data={"text/plain": repr(score)})
        result.execution_count = cell.execution_count
        cell.outputs = [new_output("stream", name="stdout", text=verdict.report()), result]
