"""Reading what grading wrote into an autograded notebook.

Grading (autograder.steps.grading) leaves, under each graded test cell, the report of its hidden
checks as stdout ("[PASS] title" / "[FAIL] title" followed by an indented message, then "Hidden
checks passed: k of n.", or a first line "Not graded: reason") and the cell's points as its
result. A cell that stopped the kernel gets a "GradingStopped" error; intake leaves its notes
in the notebook's metadata. This module turns those back into data for the feedback page and
the class report. Everything read here may carry text the student's code chose (exception
messages, printed values): it is data, to be escaped wherever it is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from autograder.notebooks import is_graded_test, nbgrader_meta
from autograder.steps.intake import NOTE_KEY

STOPPED = "GradingStopped"  # the error name steps/grading.py gives a cell it had to stop

_MARK = re.compile(r"^\[(PASS|FAIL)\] (.*)$")
_TALLY = re.compile(r"^Hidden checks passed: \d+ of \d+\.$")
_NOT_GRADED = "Not graded: "
# The grader's hint comes last in a message; the text before it may quote the student's
# values or errors, so the last occurrence is the grader's own.
_MISTAKE = re.compile(r"This looks like (.+?)\.(?=\s|$)")
_TIME_LIMIT = re.compile(r"time limit")
_CRASH = re.compile(
    r"the kernel stopped|the kernel was not running|kernel failed too many times"
    r"|kernel could not be restarted|grading kernel could not start|hidden checks could not"
)


@dataclass(frozen=True)
class Check:
    """One hidden check of a graded cell, as its report shows it."""

    title: str
    passed: bool
    message: str = ""

    @property
    def mistake(self) -> str:
        """The known mistake the message names, or ""."""
        found = _MISTAKE.findall(self.message) if not self.passed else []
        return found[-1].strip() if found else ""


@dataclass(frozen=True)
class GradedCell:
    """A graded test cell of an autograded notebook: its checks and its points."""

    grade_id: str
    checks: tuple[Check, ...] = ()
    problem: str = ""  # why the checks did not run ("Not graded: ...")
    score: float | None = None  # from the cell's result; None when grading left none

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.checks)

    @property
    def mistakes(self) -> tuple[str, ...]:
        """Each named mistake once, in the order the checks found them."""
        return tuple(dict.fromkeys(c.mistake for c in self.checks if c.mistake))

    @property
    def hit_time_limit(self) -> bool:
        return any(_TIME_LIMIT.search(c.message) for c in self.checks if not c.passed)

    @property
    def crashed(self) -> bool:
        texts = [self.problem] + [c.message for c in self.checks if not c.passed]
        return any(_CRASH.search(t) for t in texts)


def output_text(outputs: list[Any], name: str = "stdout") -> str:
    """The joined text of a cell's stream outputs called `name`."""
    return "".join(
        _text(o.get("text", ""))
        for o in outputs
        if o.get("output_type") == "stream" and o.get("name") == name
    )


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return str(value)


def parse_report(text: str) -> tuple[tuple[Check, ...], str]:
    """(checks, problem) from the report text under a graded cell."""
    checks: list[Check] = []
    problem = ""
    title, passed, message = None, False, []

    def close() -> None:
        if title is not None:
            checks.append(Check(title, passed, " ".join(message)))

    for line in text.splitlines():
        mark = _MARK.match(line)
        if mark:
            close()
            title, passed, message = mark.group(2).strip(), mark.group(1) == "PASS", []
        elif _TALLY.match(line.strip()):
            close()
            title = None
        elif line.startswith(_NOT_GRADED) and title is None and not checks:
            problem = line[len(_NOT_GRADED) :].strip()
        elif title is not None and line.strip():
            message.append(line.strip())
        elif title is None and problem and line.strip():
            problem += " " + line.strip()
    close()
    return tuple(checks), problem


def cell_score(outputs: list[Any]) -> float | None:
    """The points grading wrote as the cell's result."""
    for output in outputs:
        if output.get("output_type") == "execute_result":
            try:
                return float(_text(output.get("data", {}).get("text/plain", "")))
            except ValueError:
                return None
    return None


def graded_cell(cell: Any) -> GradedCell:
    outputs = cell.get("outputs", [])
    checks, problem = parse_report(output_text(outputs))
    grade_id = str(nbgrader_meta(cell).get("grade_id", ""))
    return GradedCell(grade_id, checks, problem, cell_score(outputs))


def graded_cells(nb: Any) -> list[GradedCell]:
    """Every graded test cell of an autograded notebook, in order."""
    return [graded_cell(c) for c in nb.get("cells", []) if is_graded_test(c)]


def stopped_cells(nb: Any) -> list[str]:
    """Why grading had to stop cells of the student's own code (time limit, crash)."""
    reasons = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if output.get("output_type") == "error" and output.get("ename") == STOPPED:
                reasons.append(str(output.get("evalue", "")))
    return reasons


def intake_notes(nb: Any) -> tuple[list[str], bool]:
    """(notes, unreadable): what intake found wrong with the submitted file."""
    meta = nb.get("metadata", {}).get(NOTE_KEY, {})
    if not isinstance(meta, dict):
        return [], False
    notes = meta.get("notes", [])
    notes = [str(n) for n in notes] if isinstance(notes, list) else []
    return notes, bool(meta.get("unreadable"))


def is_time_limit(text: str) -> bool:
    return bool(_TIME_LIMIT.search(text))


def is_crash(text: str) -> bool:
    return bool(_CRASH.search(text))
