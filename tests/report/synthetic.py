"""A synthetic class, built as report data directly: hundreds of students in milliseconds.

Two notebooks; every student's checks pass or fail at random (a seeded generator of its own),
failed checks name one of a pool of mistakes whose frequencies fall off, and a few students
hit a time limit, crash, hand in a broken file or miss a notebook. The builder returns the
truth the report must show, so the tests compare against it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from types import MappingProxyType

from autograder.config import Notebook
from autograder.report.cells import Check
from autograder.report.model import (
    BROKEN_FILE,
    CRASH,
    MISSING,
    TIME_LIMIT,
    CellResult,
    ClassResults,
    Issue,
    NotebookResult,
)

NOTEBOOKS = (
    Notebook("week1", "alpha", MappingProxyType({"a_values": 3.0, "a_model": 2.0, "a_why": 2.0})),
    Notebook("week1", "beta", MappingProxyType({"b_sweep": 4.0})),
)
WRITTEN = {"a_why"}
CHECKS = {"a_values": 4, "a_model": 3, "b_sweep": 5}
MISTAKES = tuple(f"mistake number {i} (a known one)" for i in range(25))
# A student id and a message that try to put HTML into the report.
HOSTILE_ID = '<b id="injected">s_evil</b>'
HOSTILE_MESSAGE = "raised ValueError: <script>window.__injected = true</script>"


@dataclass
class Truth:
    # (notebook, cell, mistake) -> the students whose checks found it
    mistakes: dict = field(default_factory=lambda: defaultdict(set))
    flagged: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    checks: int = 0  # rows the CSV must have


def build(students: int, seed: int = 0) -> tuple[ClassResults, Truth]:
    rng = random.Random(seed)
    weights = [1 / (k + 1) for k in range(len(MISTAKES))]
    truth = Truth(flagged={k: set() for k in (TIME_LIMIT, CRASH, BROKEN_FILE, MISSING)})
    ids = [f"s{i:03d}" for i in range(students - 1)] + [HOSTILE_ID]
    results = []
    for student in ids:
        for nb in NOTEBOOKS:
            issues = []
            roll = rng.random()
            kind = (
                MISSING
                if roll < 0.02
                else TIME_LIMIT
                if roll < 0.04
                else CRASH
                if roll < 0.05
                else BROKEN_FILE
                if roll < 0.06
                else None
            )
            if kind:
                issues.append(Issue(kind, f"{kind} in {nb.name}"))
                truth.flagged[kind].add((student, nb.name))
            cells = []
            for grade_id, points in nb.points.items():
                if grade_id in WRITTEN:
                    marked = rng.random() < 0.7
                    score = round(rng.uniform(0, points), 1) if marked else None
                    cells.append(CellResult(grade_id, False, score, points))
                    continue
                if kind == MISSING:
                    cells.append(CellResult(grade_id, True, 0.0, points))
                    continue
                skill = rng.random()
                checks = []
                for k in range(CHECKS[grade_id]):
                    passed = rng.random() < skill
                    message = ""
                    if not passed:
                        mistake = rng.choices(MISTAKES, weights)[0] if rng.random() < 0.6 else ""
                        message = f"check {k} got 1.0, expected 2.0."
                        if student == HOSTILE_ID:
                            message = HOSTILE_MESSAGE
                        if mistake:
                            message += f" This looks like {mistake}."
                            truth.mistakes[nb.name, grade_id, mistake].add(student)
                    checks.append(Check(f"{grade_id} check {k}", passed, message))
                truth.checks += len(checks)
                score = round(points * sum(c.passed for c in checks) / len(checks), 4)
                cells.append(CellResult(grade_id, True, score, points, tuple(checks)))
            results.append(
                NotebookResult(student, nb.assignment, nb.name, tuple(cells), tuple(issues))
            )
    return ClassResults("synthetic-course", NOTEBOOKS, tuple(results)), truth
