"""The class report's CSV: one row per hidden check per student, for further analysis.

Columns: student, assignment, notebook, cell, check, passed (1 or 0), mistake (the named
mistake, if any), message. A cell whose checks did not run gives one row with check
"(not graded)" and the reason; a notebook that was not submitted gives none.
"""

from __future__ import annotations

import csv
from pathlib import Path

from autograder.report.model import ClassResults

COLUMNS = ("student", "assignment", "notebook", "cell", "check", "passed", "mistake", "message")
NOT_GRADED = "(not graded)"


def safe(text: str) -> str:
    """A field a spreadsheet shows as text: messages and ids can come from a student, and a
    leading = + - @ would make a spreadsheet evaluate them as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_checks_csv(results: ClassResults, path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        for r in sorted(results.results, key=lambda r: (r.student, r.assignment, r.notebook)):
            where = [safe(r.student), r.assignment, r.notebook]
            for cell in r.cells:
                if cell.problem:
                    out.writerow([*where, cell.grade_id, NOT_GRADED, 0, "", safe(cell.problem)])
                for check in cell.checks:
                    out.writerow(
                        [
                            *where,
                            cell.grade_id,
                            safe(check.title),
                            int(check.passed),
                            safe(check.mistake),
                            safe(check.message),
                        ]
                    )
    return path
