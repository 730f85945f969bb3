"""One task: grade one student's submission of one assignment, on whichever worker runs it.

`grade_submission` is a plain function of plain data. It puts the submission into the
worker's private copy of the course (see worker.py) with a fresh throwaway SQLite gradebook,
runs the Autograde converter in this process with the course's own configuration
(lenient intake, rebuild from release, sandboxed kernel, hidden checks from outside), and
returns the autograded folder and the gradebook rows. The converter is the course's
`SafeAutograde` (nbgrader's Autograde with the course's intake copying a submission's other
files), the one `nbgrader autograde` runs with this course's configuration. A task writes
nothing the client owns, so a task lost with its worker can simply run again elsewhere.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import socket
import threading
import time
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.converters import NbGraderException
from nbgrader.coursedir import CourseDirectory

from autograder.batch.bundle import quiet_gradebook
from autograder.batch.records import (
    CommentRow,
    CourseBundle,
    GradeRow,
    GradingResult,
    OutputFile,
    Submission,
)
from autograder.batch.worker import COURSES, WorkerCourse, write_files
from autograder.steps.grading import GradingStopped
from autograder.steps.intake import NOTE_KEY
from autograder.steps.submission_files import SafeAutograde

# nbgrader's converter changes the working directory and environment variables of the whole
# process: one grading per process at a time, whatever the worker's thread count.
_ONE_AT_A_TIME = threading.Lock()
LOG_LIMIT = 20_000  # characters of the grading log kept in a result
GENERIC_FAILURE = "Please see"  # how NbGraderException's closing message begins


class _Record(logging.Handler):
    """Keeps one grading's log: the full text (debug timings included) and, for the
    instructor, one line per warning or error."""

    def __init__(self, student: str):
        super().__init__(logging.DEBUG)
        self.stream = io.StringIO()
        self.problems: list[str] = []
        self.setFormatter(logging.Formatter(f"%(levelname)s [{student}] %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.stream.write(self.format(record) + "\n")
        if record.levelno < logging.WARNING:
            return
        lines = [ln.strip() for ln in record.getMessage().splitlines() if ln.strip()]
        if not lines:
            return
        # A traceback's last line says what went wrong; its first says nothing.
        text = lines[-1] if lines[0].startswith("Traceback") else lines[0]
        if not text.startswith(NOISE):
            self.problems.append(text[:200])


# nbgrader's notices about replacing earlier output and its closing summary of a failure, and
# the sandbox's once-per-process notice: none of them is about the submission.
NOISE = (
    "Removing ",
    "Updating ",
    "Skipping ",
    "Please see",
    "There was an error processing",
    "student kernels run in sandbox mode",
)


def _task_log(student: str) -> tuple[logging.Logger, _Record]:
    """A logger of its own for one grading."""
    log = logging.getLogger(f"autograder.batch.task.{threading.get_ident()}")
    log.handlers.clear()
    log.propagate = False
    log.setLevel(logging.DEBUG)
    record = _Record(student)
    log.addHandler(record)
    return log, record


def _reset(course: WorkerCourse, submission: Submission) -> Path:
    """Empty submitted/ and autograded/, a fresh gradebook, this submission's files in place."""
    root = course.root
    for name in ("submitted", "autograded", "feedback"):
        shutil.rmtree(root / name, ignore_errors=True)
    shutil.copyfile(course.template_db, root / "gradebook.db")
    folder = root / "submitted" / submission.student / submission.assignment
    folder.mkdir(parents=True)
    write_files(folder, submission.files)
    return root / "autograded" / submission.student / submission.assignment


class _Autograde(SafeAutograde):
    """The course's converter, keeping the exception that stopped a notebook (nbgrader logs
    it and raises a summary that names none)."""

    failure: BaseException | None = None

    def convert_single_notebook(self, notebook_filename: str) -> None:
        try:
            super().convert_single_notebook(notebook_filename)
        except BaseException as exc:
            self.failure = exc
            raise


def _run_autograde(
    course: WorkerCourse, submission: Submission, log: logging.Logger
) -> tuple[str, BaseException | None]:
    """Autograde in this process; returns the error text and exception when grading failed."""
    config = course.fresh_config()
    config.CourseDirectory.root = str(course.root)
    config.CourseDirectory.db_url = f"sqlite:///{course.root / 'gradebook.db'}"
    config.CourseDirectory.assignment_id = submission.assignment
    config.CourseDirectory.student_id = submission.student
    coursedir = CourseDirectory(config=config, log=log)
    converter = _Autograde(coursedir=coursedir, config=config, log=log)
    cwd = os.getcwd()
    try:
        with quiet_gradebook():
            converter.start()
    except NbGraderException as exc:
        failure = converter.failure
        text = f"{type(failure).__name__}: {failure}" if failure is not None else str(exc)
        return text, failure
    finally:
        os.chdir(cwd)
    return "", None


def _rows(course: WorkerCourse, bundle: CourseBundle, submission: Submission):
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}", bundle.course_id) as gb:
        found = gb.find_submission(submission.assignment, submission.student)
        timestamp = found.timestamp.isoformat() if found.timestamp else None
        grades, comments = [], []
        for nb in found.notebooks:
            name = nb.name
            for g in nb.grades:
                grades.append(
                    GradeRow(
                        name,
                        g.name,
                        g.cell_type,
                        float(g.max_score),
                        g.auto_score,
                        bool(g.needs_manual_grade),
                    )
                )
            for c in nb.comments:
                comments.append(CommentRow(name, c.name, c.auto_comment))
    return timestamp, tuple(grades), tuple(comments)


def _outputs(folder: Path) -> tuple[tuple[OutputFile, ...], list[str]]:
    """The autograded folder as files, and the intake notes left in its notebooks."""
    files, notes = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        data = path.read_bytes()
        files.append(OutputFile(path.relative_to(folder).as_posix(), path.stat().st_mode, data))
        if path.suffix == ".ipynb" and path.parent == folder:
            try:
                meta = json.loads(data).get("metadata", {}).get(NOTE_KEY, {})
            except ValueError:
                continue
            notes += [f"{path.stem}: {note}" for note in meta.get("notes", [])]
    return tuple(files), notes


def grade_submission(bundle: CourseBundle, submission: Submission) -> GradingResult:
    """Grade one submission; never raises for anything the submission or grading does."""
    started = time.monotonic()
    result = GradingResult(
        submission.student,
        submission.assignment,
        submission.digest,
        ok=False,
        worker=f"{socket.gethostname()}:{os.getpid()}",
        submitted=tuple(
            sorted(
                n[: -len(".ipynb")]
                for n in submission.files
                if n.endswith(".ipynb") and "/" not in n
            )
        ),
    )
    with _ONE_AT_A_TIME:
        log, record = _task_log(submission.student)
        try:
            course = COURSES.get(bundle)
        except BaseException as exc:  # the course itself cannot be graded on this worker
            result.broken, result.error = True, f"{type(exc).__name__}: {exc}"
            log.removeHandler(record)
            result.seconds = time.monotonic() - started
            return result
        try:
            folder = _reset(course, submission)
            ready = time.monotonic()
            error, failure = _run_autograde(course, submission, log)
            graded = time.monotonic()
            if error:
                result.error = error
                # Refused by the sandbox or stopped by broken graders: the course's fault,
                # not the submission's, so no grade is recorded.
                result.broken = isinstance(failure, GradingStopped)
            else:
                result.timestamp, result.grades, result.comments = _rows(course, bundle, submission)
                result.files, notes = _outputs(folder)
                result.problems += tuple(notes)
                result.ok = True
            result.timings = {"setup": ready - started, "autograde": graded - ready}
        except BaseException as exc:  # a broken grading must come back as a result, not a crash
            result.ok, result.error = False, f"{type(exc).__name__}: {exc}"
            log.debug("grading failed", exc_info=True)
        finally:
            log.removeHandler(record)
    if not result.ok and record.problems and result.error.startswith(GENERIC_FAILURE):
        # The converter logs the cause and then raises a message that names none.
        result.error = record.problems[-1]
    skipped = tuple(f"left out {s}" for s in submission.skipped)
    result.problems = tuple(dict.fromkeys([*skipped, *record.problems, *result.problems]))
    result.log = record.stream.getvalue()[-LOG_LIMIT:]
    result.seconds = time.monotonic() - started
    return result
