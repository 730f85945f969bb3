"""The instructor's nbgrader pipeline, driven from Python: one place for the demo, the
end-to-end tests and the benchmark to copy a course, run the real nbgrader commands and read
the gradebook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from autograder.config import REPO_ROOT, load_course

COURSE_FILES = ("course.toml", "nbgrader_config.py")
COURSE_DIRS = ("source", "autograder")


class PipelineError(RuntimeError):
    """An nbgrader command failed; the message carries the end of its log."""


def copy_course(dest: Path, root: Path = REPO_ROOT) -> Path:
    """A fresh course directory at `dest` with the course's sources, settings and graders."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COURSE_FILES:
        shutil.copy2(root / name, dest / name)
    for name in COURSE_DIRS:
        shutil.copytree(
            root / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    return dest


def nbgrader_env() -> dict[str, str]:
    """nbgrader shells out to alembic: the venv's bin directory must come first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("MPLBACKEND", "Agg")
    env.pop("PYTHONPATH", None)  # the course directory itself is what nbgrader imports from
    return env


def nbgrader(course_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run one real nbgrader command in `course_dir`."""
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course_dir,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
    )
    if check and done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-25:])
        raise PipelineError(f"nbgrader {' '.join(args)} failed ({done.returncode}):\n{tail}")
    return done


def submit(course_dir: Path, student: str, assignment: str, notebook: str, content: object) -> Path:
    """Place one submitted notebook (a NotebookNode, or raw text/bytes as submitted)."""
    folder = course_dir / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{notebook}.ipynb"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content)
    else:
        nbformat.write(content, path)
    return path


def cell_scores(
    course_dir: Path, student: str, assignment: str, notebook: str, cell_type: str | None = None
) -> dict[str, tuple[float | None, float]]:
    """grade_id -> (automatic score, max score) of one student's notebook in the course's
    gradebook (course.toml db_url: SQLite by default, or PostgreSQL),
    for graded cells of `cell_type` ("code" or "markdown") or all. The automatic score is None
    for hand-graded answers; the dict is empty when there is no submission."""
    course = load_course(course_dir)
    with Gradebook(course.db_url, course.id) as gb:
        try:
            submission = gb.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            return {}
        return {
            g.name: (g.auto_score, g.max_score)
            for g in submission.grades
            if cell_type is None or g.cell_type == cell_type
        }
