"""The class report: after `nbgrader autograde`, one page for the instructor with score
histograms, the named mistakes ranked by how many students made them, the submissions whose
grading hit a time limit, a crash or a broken file, and a CSV of every check's result.

    python -m autograder.report [ASSIGNMENT ...] [--course DIR] [--out DIR]
"""

from __future__ import annotations

from pathlib import Path

from autograder.config import Course
from autograder.report.gather import ReportError, gather
from autograder.report.page import write_report

REPORT_DIR = "reports"  # inside the course directory, unless --out says otherwise


def class_report(course: Course, assignments=(), out_dir: Path | None = None) -> Path:
    """Gather the class's results and write the report; return the page's path."""
    results = gather(course, tuple(assignments))
    return write_report(results, out_dir or course.root / REPORT_DIR)


__all__ = ["REPORT_DIR", "ReportError", "class_report"]
