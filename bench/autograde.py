"""Autograding one full submission (five notebooks) against the floor.

The floor is what any notebook grader must pay: starting five Jupyter kernels that import torch
and the kit. Grading does that too, plus nbgrader, the sandbox, the students' cells and the
hidden checks. Two ways of grading are timed against it, alternately in one run:
`nbgrader autograde` started afresh (a process per assignment), and a warm batch worker
(`python -m autograder grade` on a one-worker cluster that has graded before, so nbgrader,
torch and the graders are imported and a spare kernel waits). The script prints the median of
each and the ratios to the floor (target for the warm worker: at most 1.5), then where the
warm worker's time went, read off its grading logs: waiting for a kernel (the spare was not
ready yet), running the notebooks' cells (the students' code and the hidden checks), and the
rest (nbgrader's steps, the gradebook, Dask).

    .venv/bin/python bench/autograde.py [--repeats 3] [--quick]

`--quick` times one assignment once, to show the script works.
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from distributed import Client, LocalCluster
from jupyter_client import KernelManager

from autograder.batch.run import BatchOptions, ClassGrading
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


def seconds_logged(log: str, pattern: str) -> float:
    return sum(float(found) for found in re.findall(pattern, log))


def warm_worker_once(
    client: Client, course_dir: Path, assignments: tuple[str, ...]
) -> tuple[float, dict[str, float]]:
    """The batch command's work for one student, on a worker that is already warm: the wall
    time, and how it divides (from the debug timings in the gradings' logs)."""
    started, in_tasks, log = time.perf_counter(), 0.0, ""
    for assignment in assignments:
        options = BatchOptions(assignment, (STUDENT,), force=True)
        outcomes = ClassGrading(course_dir, options, err=io.StringIO()).run(client=client)
        if [o.status for o in outcomes] != ["graded"]:
            raise SystemExit(f"grading {assignment} failed: {outcomes}")
        in_tasks += outcomes[0].seconds
        log += outcomes[0].log
    wall = time.perf_counter() - started
    parts = {
        "waiting for a kernel": seconds_logged(log, r"kernel ready after ([\d.]+) s"),
        "running cells and hidden checks": seconds_logged(log, r" took ([\d.]+) s"),
    }
    parts["the rest, in the worker's tasks"] = in_tasks - sum(parts.values())
    parts["outside the tasks (client, Dask)"] = wall - in_tasks
    return wall, parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one assignment, once")
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    with tempfile.TemporaryDirectory() as tmp:
        course_dir = copy_course(Path(tmp) / "course")
        course = load_course(course_dir)
        assignments = course.assignments[:1] if args.quick else course.assignments
        notebooks = [nb for a in assignments for nb in course.notebooks_of(a)]
        for assignment in assignments:
            nbgrader(course_dir, "generate_assignment", assignment, "--force")
        for nb in notebooks:
            right = fill_release(nb.assignment, nb.name, answers(nb.assignment, nb.name))
            submit(course_dir, STUDENT, nb.assignment, nb.name, right)
        # Workers import the course's own copy of the autograder, as on a cluster node.
        sys.path.insert(0, str(course_dir))
        cluster = LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None)
        with cluster, Client(cluster) as client:
            warm_worker_once(client, course_dir, assignments)  # the worker's first student
            floor_once(1)  # warm the file cache for every contender
            floors, cold, warm, breakdowns = [], [], [], []
            for _ in range(repeats):
                floors.append(floor_once(len(notebooks)))
                cold.append(autograde_once(course_dir, assignments))
                wall, parts = warm_worker_once(client, course_dir, assignments)
                warm.append(wall)
                breakdowns.append(parts)
    floor = statistics.median(floors)
    autograde, worker = statistics.median(cold), statistics.median(warm)
    print(f"floor, {len(notebooks)} kernels importing torch and d2lkit: {floor:.1f} s")
    print(f"nbgrader autograde, one submission ({len(notebooks)} notebooks): {autograde:.1f} s")
    print(f"warm batch worker, the same submission: {worker:.1f} s")
    print(f"ratio autograde/floor: {autograde / floor:.2f} (median of {repeats})")
    print(f"ratio warm worker/floor: {worker / floor:.2f} (target <= 1.5)")
    print("where the warm worker's time went (median of each part):")
    for part in breakdowns[0]:
        print(f"  {part:<36} {statistics.median(b[part] for b in breakdowns):6.1f} s")


if __name__ == "__main__":
    main()
