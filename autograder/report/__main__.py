"""`python -m autograder.report [ASSIGNMENT ...]`: write the class report after autograding."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.config import CourseConfigError, load_course
from autograder.report import REPORT_DIR, ReportError, class_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.report",
        description="Write the class report (HTML page, figures, CSV) from the gradebook and "
        "the autograded notebooks.",
    )
    parser.add_argument(
        "assignments", nargs="*", help="assignments to report on (default: every graded one)"
    )
    parser.add_argument(
        "--course", type=Path, default=Path("."), help="the course directory (default: here)"
    )
    parser.add_argument(
        "--out", type=Path, help=f"where to write the report (default: <course>/{REPORT_DIR})"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")  # figures go to files, never to a screen
    try:
        page = class_report(load_course(args.course), args.assignments, args.out)
    except (ReportError, CourseConfigError) as exc:
        print(f"class report: {exc}", file=sys.stderr)
        return 2
    print(f"Class report: {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
