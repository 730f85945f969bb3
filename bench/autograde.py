"""Autograding one full submission (five notebooks) against the floor.

The floor is what any notebook grader must pay: starting five Jupyter kernels that import torch
and the kit. The course's autograde does that too, plus nbgrader itself, the sandbox, the
students' cells and the hidden checks. Both are timed alternately in one run; the script
prints the median of each and their ratio (target: at most 1.5).

    .venv/bin/python bench/autograde.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jupyter_client import KernelManager

from autograder.config import load_course
from autograder.notebooks import answers, fill_release
from autograder.pipeline import copy_course, nbgrader, submit

STUDENT = "bench_student"


def floor_once(count: int) -> float:
    """Start `count` plain kernels one after another, each importing torch and the kit."""
    started = time.perf_counter()
    for _ in range(count):
        km = KernelManager()
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        kc.execute_interactive("import torch, d2lkit", timeout=120)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return time.perf_counter() - started


def autograde_once(course_dir: Path, assignments: tuple[str, ...]) -> float:
    started = time.perf_counter()
    for assignment in assignments:
        nbgrader(course_dir, "autograde", assignment, "--force")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        course_dir = copy_course(Path(tmp) / "course")
        course = load_course(course_dir)
        for assignment in course.assignments:
            nbgrader(course_dir, "generate_assignment", assignment, "--force")
        for nb in course.notebooks:
            right = fill_release(nb.assignment, nb.name, answers(nb.assignment, nb.name))
            submit(course_dir, STUDENT, nb.assignment, nb.name, right)
        floor_once(1)  # warm the file cache for both contenders
        floors, ours = [], []
        for _ in range(args.repeats):
            floors.append(floor_once(len(course.notebooks)))
            ours.append(autograde_once(course_dir, course.assignments))
    floor, autograde = statistics.median(floors), statistics.median(ours)
    print(f"floor, {len(course.notebooks)} kernels importing torch and d2lkit: {floor:.1f} s")
    print(
        f"nbgrader autograde, one full submission ({len(course.notebooks)} notebooks): "
        f"{autograde:.1f} s"
    )
    print(f"ratio autograde/floor: {autograde / floor:.2f} (median of {args.repeats})")


if __name__ == "__main__":
    main()
