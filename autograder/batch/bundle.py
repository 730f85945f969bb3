"""What the client reads from the course's disk and sends to the workers.

The course bundle (release notebooks, graders, settings, the assignment's definition from the
gradebook) is built once per batch; each submission is read as bytes. Workers never open the
course's folders, so they need not share its disk.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import os
import re
import stat
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from autograder.batch.records import (
    AssignmentDefinition,
    CellDefinition,
    CourseBundle,
    Submission,
)
from autograder.config import Course
from autograder.steps.submission_files import MIB, read_folder

COURSE_FILES = ("course.toml", "nbgrader_config.py")
# nbgrader's default CourseDirectory.ignore: never part of a submission or a release.
IGNORED = (".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback")
# A student id or assignment name becomes a folder name on the workers.
SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$")


class BatchError(RuntimeError):
    """The batch cannot start: the message says what to fix."""


def check_name(kind: str, name: str) -> str:
    if not SAFE_NAME.match(name) or name in (".", ".."):
        raise BatchError(f"{kind} {name!r} is not a plain folder name")
    return name


def _ignored(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in IGNORED)


def _walk(top: Path) -> Iterable[tuple[str, Path]]:
    """(relative path, path) of the regular files under `top`, links never followed."""
    for folder, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not _ignored(d))
        for name in sorted(files):
            path = Path(folder) / name
            if not _ignored(name):
                yield path.relative_to(top).as_posix(), path


def digest_of(files: dict[str, bytes], *extra: str) -> str:
    sha = hashlib.sha256()
    for part in extra:
        sha.update(part.encode() + b"\0")
    for name in sorted(files):
        data = files[name]
        sha.update(f"{name}\0{len(data)}\0".encode())
        sha.update(data)
    return sha.hexdigest()


def package_digest(package_dir: Path) -> str:
    """sha256 of a package's Python files, by relative path."""
    files = {
        rel: path.read_bytes()
        for rel, path in _walk(package_dir)
        if rel.endswith(".py") and path.is_file() and not path.is_symlink()
    }
    return digest_of(files)


@contextlib.contextmanager
def quiet_gradebook() -> Iterator[None]:
    """nbgrader's gradebook code trips SQLAlchemy warnings about its own session use on every
    new submission; they say nothing about the grading."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        yield


def assignment_definition(db_url: str, course_id: str, assignment: str) -> AssignmentDefinition:
    """The assignment as `nbgrader generate_assignment` recorded it in the course gradebook."""
    with Gradebook(db_url, course_id) as gb:
        try:
            found = gb.find_assignment(assignment)
        except MissingEntry:
            raise BatchError(
                f"the gradebook has no assignment {assignment!r}: run "
                f"`nbgrader generate_assignment {assignment}` first"
            ) from None
        cells: list[CellDefinition] = []
        for nb in found.notebooks:
            for c in nb.grade_cells:
                cells.append(CellDefinition("grade", nb.name, c.name, c.cell_type, c.max_score))
            for c in nb.solution_cells:
                cells.append(CellDefinition("solution", nb.name, c.name))
            for c in nb.task_cells:
                cells.append(CellDefinition("task", nb.name, c.name, c.cell_type, c.max_score))
            for c in nb.source_cells:
                cells.append(
                    CellDefinition(
                        "source", nb.name, c.name, c.cell_type, None, c.locked, c.source, c.checksum
                    )
                )
        duedate = found.duedate.isoformat() if found.duedate else None
        notebooks = tuple(nb.name for nb in found.notebooks)
    if not notebooks:
        raise BatchError(f"assignment {assignment!r} has no notebooks in the gradebook")
    return AssignmentDefinition(assignment, duedate, notebooks, tuple(cells))


def make_bundle(course_dir: Path, course: Course, definition: AssignmentDefinition) -> CourseBundle:
    """Everything a worker needs to grade submissions of one assignment."""
    assignment = definition.name
    files: dict[str, bytes] = {}
    for name in COURSE_FILES:
        files[name] = (course_dir / name).read_bytes()
    for rel, path in _walk(course_dir / "release" / assignment):
        files[f"release/{assignment}/{rel}"] = path.read_bytes()
    # nbgrader autograde copies an assignment's non-notebook source files (data) beside the
    # graded notebooks; the worker needs them to do the same.
    source = course_dir / "source" / assignment
    if source.is_dir():
        for rel, path in _walk(source):
            if not rel.endswith(".ipynb"):
                files[f"source/{assignment}/{rel}"] = path.read_bytes()
    missing = [n for n in definition.notebooks if f"release/{assignment}/{n}.ipynb" not in files]
    if missing:
        raise BatchError(f"release/{assignment}/ lacks {', '.join(missing)}: regenerate it")
    code = package_digest(course_dir / "autograder")
    digest = digest_of(files, course.id, repr(definition), code)
    return CourseBundle(course.id, definition, files, digest, code)


def find_students(course_dir: Path, assignment: str) -> list[str]:
    """Students with a folder submitted/<student>/<assignment>/, as nbgrader finds them."""
    root = course_dir / "submitted"
    if not root.is_dir():
        return []
    return sorted(
        p.name
        for p in root.iterdir()
        if not p.name.startswith(".") and (p / assignment).is_dir() and SAFE_NAME.match(p.name)
    )


def _read_plain(path: Path, max_bytes: int) -> bytes | None:
    """A plain file's bytes, never through a link, never blocking on a FIFO or device."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        return handle.read(max_bytes + 1)[:max_bytes]


def read_submission(course_dir: Path, course: Course, student: str, assignment: str) -> Submission:
    """The submission's files as bytes: its notebooks, and the other files the course's intake
    accepts (see autograder.steps.submission_files), so that a student cannot make the client
    ship links, devices or gigabytes. What is left behind is listed in `skipped`."""
    top = course_dir / "submitted" / check_name("student", student) / assignment
    intake = course.intake
    notebooks = [nb.name for nb in course.notebooks_of(assignment)]
    found = read_folder(top, intake, notebooks, IGNORED)
    files: dict[str, bytes] = {}
    skipped = list(found.notes)
    for name in notebooks:
        path = top / f"{name}.ipynb"
        if os.path.lexists(path):
            data = _read_plain(path, intake.max_total_mb * MIB)
            if data is None:
                skipped.append(f"the notebook {name}.ipynb is not a plain file within the limits")
            else:
                files[f"{name}.ipynb"] = data
    for rel in found.accepted:
        data = _read_plain(top / rel, intake.max_file_mb * MIB)
        if data is None:
            skipped.append(f"the file {rel!r} changed while it was read and was not sent")
        else:
            files[rel] = data
    return Submission(student, assignment, files, digest_of(files), tuple(skipped))
