"""`python -m autograder grade ASSIGNMENT`: grade every submission of an assignment in parallel.

Exit status: 0 when every submission has a grade (a zero for a submission whose grading
failed included), 1 when some submission got no grade (its task was lost, or recording it
failed), 2 when the batch could not start (bad arguments, course or cluster), 130 when
interrupted (every grade recorded until then stays).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from autograder.batch.bundle import BatchError
from autograder.batch.progress import Outcome, summary
from autograder.batch.run import BatchOptions, ClassGrading
from autograder.config import CourseConfigError

OK, UNGRADED, CANNOT_START, INTERRUPTED = 0, 1, 2, 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="the assignment to grade, as in course.toml")
    parser.add_argument(
        "--student",
        action="append",
        default=[],
        metavar="ID",
        help="grade only this student (repeat for several); default: every submission",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="worker processes of the local cluster (default: one per core)",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="use an existing Dask cluster, e.g. tcp://host:8786, instead of a local one",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="grade again submissions that are unchanged since they were last graded",
    )
    parser.add_argument(
        "--logs",
        type=Path,
        default=None,
        metavar="DIR",
        help=(
            "write each grading's log, with the time every cell and kernel start took, to "
            "DIR/ASSIGNMENT/STUDENT.log"
        ),
    )
    parser.add_argument(
        "--course",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the course directory (default: the current one)",
    )


def write_logs(outcomes: list[Outcome], folder: Path, assignment: str) -> None:
    """One file per student graded in this run (students left unchanged have none)."""
    target = folder / assignment
    written = 0
    for outcome in outcomes:
        if outcome.log:
            target.mkdir(parents=True, exist_ok=True)
            (target / f"{outcome.student}.log").write_text(outcome.log)
            written += 1
    if written:
        print(f"Grading logs: {target}/", file=sys.stderr)


def grade(args: argparse.Namespace) -> int:
    if args.workers is not None and args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return CANNOT_START
    if args.workers is not None and args.scheduler:
        print(
            "error: --workers sizes a local cluster; with --scheduler it has no effect",
            file=sys.stderr,
        )
        return CANNOT_START
    options = BatchOptions(
        args.assignment, tuple(args.student), args.workers, args.scheduler, args.force
    )
    started = time.monotonic()
    batch = None
    try:
        batch = ClassGrading(args.course, options)
        outcomes = batch.run()
    except (BatchError, CourseConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return CANNOT_START
    except KeyboardInterrupt:
        outcomes = batch.outcomes if batch is not None else []
        interrupted = True
    else:
        interrupted = False
    if args.logs is not None:
        write_logs(outcomes, args.logs, options.assignment)
    summary(outcomes, time.monotonic() - started)
    if interrupted:
        print("Interrupted: the grades listed above are recorded; run again to grade the rest.")
        return INTERRUPTED
    return OK if all(o.has_grade for o in outcomes) else UNGRADED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add_arguments(commands.add_parser("grade", help="grade a class in parallel"))
    args = parser.parse_args(argv)
    return grade(args)
