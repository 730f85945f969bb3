"""The worker side's lasting state: the course written out once, and a warm start.

A Dask worker process grades many students one after another. `CourseCache` writes each
course bundle it receives into a private folder once (with a template of the throwaway
gradebook and nbgrader's configuration loaded), so a task only adds one submission. `WarmWorker`
imports nbgrader, torch and the grading steps when the worker starts and starts a spare
student kernel, so the first student does not pay for them.
"""

from __future__ import annotations

import atexit
import copy
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from distributed.diagnostics.plugin import WorkerPlugin
from nbgrader.api import Gradebook
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

import autograder
from autograder.batch.bundle import BatchError, package_digest
from autograder.batch.records import CourseBundle
from autograder.config import Limits

TEMPLATE_DB = "template.db"


@dataclass(frozen=True)
class WorkerCourse:
    """A bundle written out on this worker: the course root and what each task copies."""

    root: Path
    template_db: Path
    config: Config

    def fresh_config(self) -> Config:
        return copy.deepcopy(self.config)


def safe_relative(path: str) -> PurePosixPath:
    """A relative path that stays inside the folder it is joined to."""
    rel = PurePosixPath(path)
    if rel.is_absolute() or not rel.parts or ".." in rel.parts:
        raise BatchError(f"refusing the file name {path!r}")
    return rel


def write_files(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        target = root.joinpath(*safe_relative(name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def build_gradebook(path: Path, bundle: CourseBundle, blank: Path) -> None:
    """A gradebook holding only the assignment's definition, as generate_assignment left it,
    made from a copy of `blank` (an empty gradebook of the same course)."""
    shutil.copyfile(blank, path)
    definition = bundle.assignment
    with Gradebook(f"sqlite:///{path}", bundle.course_id) as gb:
        extra = {"duedate": definition.duedate} if definition.duedate else {}
        gb.update_or_create_assignment(definition.name, **extra)
        for notebook in definition.notebooks:
            gb.update_or_create_notebook(notebook, definition.name)
        for cell in definition.cells:
            where = (cell.name, cell.notebook, definition.name)
            if cell.kind == "grade":
                gb.update_or_create_grade_cell(
                    *where, max_score=cell.max_score, cell_type=cell.cell_type
                )
            elif cell.kind == "solution":
                gb.update_or_create_solution_cell(*where)
            elif cell.kind == "task":
                gb.update_or_create_task_cell(
                    *where, max_score=cell.max_score, cell_type=cell.cell_type
                )
            else:
                gb.update_or_create_source_cell(
                    *where,
                    cell_type=cell.cell_type,
                    locked=cell.locked,
                    source=cell.source,
                    checksum=cell.checksum,
                )


def load_nbgrader_config(root: Path) -> Config:
    """The course's nbgrader_config.py, as nbgrader would load it from `root`."""
    saved = list(sys.path)
    try:
        return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    finally:
        sys.path[:] = saved  # the file puts its own folder on sys.path; keep it from piling up


class CourseCache:
    """Bundles written out in this process, by digest. One per worker process: tasks run one
    at a time there (see tasks.py), so it needs no lock of its own."""

    def __init__(self) -> None:
        self._courses: dict[str, WorkerCourse] = {}
        self._blanks: dict[str, Path] = {}  # course id -> an empty gradebook
        self._code_digest: str | None = None
        self._package = Path(autograder.__file__).resolve().parent

    def get(self, bundle: CourseBundle) -> WorkerCourse:
        found = self._courses.get(bundle.digest)
        if found is not None:
            return found
        self._check_code(bundle)
        self.clear()
        base = Path(tempfile.mkdtemp(prefix="d2lkit-batch-"))
        root = base / "course"
        write_files(root, bundle.files)
        # The graders are run from the package this process imported (pytest refuses a
        # second copy of a module it has loaded), which the check above proved the same.
        (root / "autograder").symlink_to(self._package, target_is_directory=True)
        template = base / TEMPLATE_DB
        build_gradebook(template, bundle, self._blank(bundle.course_id))
        course = WorkerCourse(root, template, load_nbgrader_config(root))
        self._courses[bundle.digest] = course
        return course

    def _blank(self, course_id: str) -> Path:
        """An empty gradebook, made once per process. nbgrader stamps every new gradebook with
        its schema version by running `alembic heads` in a subprocess, seconds each time; a
        copy of a stamped one needs none."""
        found = self._blanks.get(course_id)
        if found is None or not found.exists():
            found = Path(tempfile.mkdtemp(prefix="d2lkit-blank-")) / "gradebook.db"
            Gradebook(f"sqlite:///{found}", course_id).close()
            self._blanks[course_id] = found
        return found

    def _check_code(self, bundle: CourseBundle) -> None:
        if self._code_digest is None:
            self._code_digest = package_digest(self._package)
        if self._code_digest != bundle.code_digest:
            raise BatchError(
                "this worker runs a different version of the autograder package than the "
                f"course being graded (worker at {self._package}); install "
                "the course's version on every worker"
            )

    def clear(self) -> None:
        """Forget earlier bundles: their folders, and grader modules imported from them (the
        next bundle's graders have the same module names at another path)."""
        for course in self._courses.values():
            prefix = str(course.root)
            stale = [
                name
                for name, module in sys.modules.items()
                if str(getattr(module, "__file__", None) or "").startswith(prefix)
            ]
            for name in stale:
                del sys.modules[name]
            shutil.rmtree(course.root.parent, ignore_errors=True)
        self._courses.clear()

    def close(self) -> None:
        """Forget everything written in this process, the empty gradebooks included."""
        self.clear()
        for blank in self._blanks.values():
            shutil.rmtree(blank.parent, ignore_errors=True)
        self._blanks.clear()


# The courses written out in this worker process, shared by its tasks (which run one at a time).
COURSES = CourseCache()
atexit.register(COURSES.close)


def warm_up(limits: Limits) -> None:
    """Import what grading imports and start a spare kernel; one torch thread per worker."""
    import torch

    torch.set_num_threads(1)
    import nbgrader.converters  # noqa: F401

    from autograder.sandbox.spare import SPARE
    from autograder.steps import grading  # noqa: F401

    SPARE.prepare(limits)


class WarmWorker(WorkerPlugin):
    """Registered on every worker of a batch, including workers that join later."""

    name = "d2lkit-warm-worker"
    # Registered again by every run: workers of an existing cluster stay warm in between.
    idempotent = True

    def __init__(self, limits: Limits):
        self.limits = limits

    def setup(self, worker) -> None:
        # In a thread: the worker's event loop must keep answering the scheduler meanwhile.
        threading.Thread(target=warm_up, args=(self.limits,), daemon=True).start()

    def teardown(self, worker) -> None:
        from autograder.sandbox.spare import SPARE

        SPARE.close()
        COURSES.close()
