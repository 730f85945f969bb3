"""Typed access to course.toml, the one place for course settings.

Every other part of the course (nbgrader_config.py, the graders, the demo, the tests) reads the
settings through `load_course`, so a default or a key name lives here and nowhere else.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

COURSE_FILE = "course.toml"
REPO_ROOT = Path(__file__).resolve().parent.parent


class CourseConfigError(ValueError):
    """course.toml is missing, malformed, or has unknown or missing keys."""


@dataclass(frozen=True)
class Limits:
    """What a student's kernel may use while it is graded."""

    cell_timeout: int = 90
    memory_mb: int = 6144
    max_processes: int = 128
    max_file_mb: int = 64
    max_output_kb: int = 256
    max_restarts: int = 3
    # Size cap of each writable scratch area of a kernel (its working folder, /tmp), MiB.
    scratch_mb: int = 512


@dataclass(frozen=True)
class Intake:
    """What a submission folder may hold; everything in it is the student's, untrusted."""

    max_files: int = 100
    max_file_mb: int = 20
    max_total_mb: int = 100


@dataclass(frozen=True)
class Tolerance:
    """Closeness for comparing a student's numbers with the reference (see torch.isclose)."""

    rtol: float = 1e-4
    atol: float = 1e-6
    train_rtol: float = 2e-3
    train_atol: float = 1e-5


@dataclass(frozen=True)
class Notebook:
    assignment: str
    name: str
    # grade_id -> points, in the order course.toml lists them
    points: MappingProxyType[str, float]

    @property
    def total_points(self) -> float:
        return sum(self.points.values())


@dataclass(frozen=True)
class Course:
    root: Path
    id: str
    grading_seed: int
    limits: Limits
    intake: Intake
    tolerance: Tolerance
    notebooks: tuple[Notebook, ...]
    # SQLAlchemy URL of the gradebook; empty means nbgrader's SQLite file in the course root.
    db_url_setting: str = ""

    @property
    def db_url(self) -> str:
        """The gradebook every tool of this course reads and writes."""
        return self.db_url_setting or f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def assignments(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(nb.assignment for nb in self.notebooks))

    def notebooks_of(self, assignment: str) -> tuple[Notebook, ...]:
        found = tuple(nb for nb in self.notebooks if nb.assignment == assignment)
        if not found:
            raise CourseConfigError(f"course.toml has no assignment {assignment!r}")
        return found

    def notebook(self, assignment: str, name: str) -> Notebook:
        for nb in self.notebooks:
            if nb.assignment == assignment and nb.name == name:
                return nb
        raise CourseConfigError(f"course.toml has no notebook {assignment}/{name}")

    def points_of(self, assignment: str, name: str, grade_id: str) -> float:
        points = self.notebook(assignment, name).points
        if grade_id not in points:
            raise CourseConfigError(
                f"graded cell {grade_id!r} of {assignment}/{name} has no points in course.toml"
            )
        return points[grade_id]


def _section(data: dict[str, Any], name: str, cls: type) -> Any:
    """Build a settings dataclass from a table, refusing unknown keys and wrong types."""
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise CourseConfigError(f"[{name}] must be a table")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise CourseConfigError(
            f"unknown key(s) in [{name}]: {', '.join(unknown)}; known: {', '.join(known)}"
        )
    values = {}
    for key, value in table.items():
        default = getattr(cls, key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CourseConfigError(f"[{name}] {key} must be a number, got {value!r}")
        if value <= 0:
            raise CourseConfigError(f"[{name}] {key} must be positive, got {value!r}")
        values[key] = type(default)(value)
    return cls(**values)


def parse_course(data: dict[str, Any], root: Path) -> Course:
    """Check the structure of a parsed course.toml and turn it into a `Course`."""
    unknown = sorted(set(data) - {"course", "limits", "intake", "tolerance", "assignments"})
    if unknown:
        raise CourseConfigError(f"unknown table(s) in course.toml: {', '.join(unknown)}")
    course = data.get("course")
    if not isinstance(course, dict):
        raise CourseConfigError("course.toml needs a [course] table with id and grading_seed")
    missing = [k for k in ("id", "grading_seed") if k not in course]
    if missing:
        raise CourseConfigError(f"[course] is missing {', '.join(missing)}")
    extra = sorted(set(course) - {"id", "grading_seed", "db_url"})
    if extra:
        raise CourseConfigError(f"unknown key(s) in [course]: {', '.join(extra)}")
    if not isinstance(course["grading_seed"], int) or isinstance(course["grading_seed"], bool):
        raise CourseConfigError("[course] grading_seed must be an integer")
    db_url = course.get("db_url", "")
    if not isinstance(db_url, str):
        raise CourseConfigError("[course] db_url must be a string (an SQLAlchemy URL)")

    notebooks = []
    assignments = data.get("assignments")
    if not isinstance(assignments, dict) or not assignments:
        raise CourseConfigError("course.toml needs at least one [assignments.<name>.<notebook>]")
    for assignment, nbs in assignments.items():
        if not isinstance(nbs, dict) or not nbs:
            raise CourseConfigError(f"[assignments.{assignment}] lists no notebooks")
        for name, points in nbs.items():
            where = f"[assignments.{assignment}.{name}]"
            if not isinstance(points, dict) or not points:
                raise CourseConfigError(f"{where} must map graded cell ids to points")
            for grade_id, value in points.items():
                if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                    raise CourseConfigError(
                        f"{where} {grade_id} must be a positive number of points, got {value!r}"
                    )
            frozen = MappingProxyType({k: float(v) for k, v in points.items()})
            notebooks.append(Notebook(assignment, name, frozen))

    return Course(
        root=root,
        id=str(course["id"]),
        grading_seed=course["grading_seed"],
        limits=_section(data, "limits", Limits),
        intake=_section(data, "intake", Intake),
        tolerance=_section(data, "tolerance", Tolerance),
        notebooks=tuple(notebooks),
        db_url_setting=db_url,
    )


@cache
def load_course(root: Path | str = REPO_ROOT) -> Course:
    """Read `<root>/course.toml`. Cached: the file is read once per process."""
    root = Path(root).resolve()
    path = root / COURSE_FILE
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise CourseConfigError(f"no {COURSE_FILE} in {root}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CourseConfigError(f"{path} is not valid TOML: {exc}") from None
    return parse_course(data, root)
