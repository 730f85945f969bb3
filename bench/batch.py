"""Grading a class: serial `nbgrader autograde` against `python -m autograder grade`.

A synthetic class of 16 students (right answers, the demo's common mistakes, blank
notebooks, and three hostile ones: an endless loop, `os._exit`, a memory bomb) hands in one
assignment. Three identical copies of the course are graded, in one run: by `nbgrader
autograde` with this course's configuration (one process, one student after another), and by
the batch command with 1 and with 2 local workers. Each wall time includes everything the
instructor waits for (the cluster's start included). The script prints students per minute
for each, the ratios (targets: 2 workers / 1 worker >= 1.8, 2 workers / serial >= 2.5) and
the wall time projected for 300 students on 16 workers (one core each) from the measured CPU
cost per student.

Beside each wall time it prints how many cores the machine kept busy meanwhile (CPU time of
the whole machine, from /proc/stat, over the wall time) and the CPU seconds per student.
Those say what a ratio can reach here: a single grading process already keeps more than one
core busy (the next notebook's kernel starts while the current one is graded), so on a
2-core machine two workers can beat one by at most 2 / (the cores one worker keeps busy).

    .venv/bin/python bench/batch.py [--assignment linear_regression] [--quick]

`--quick` grades 4 students (right, mistakes, blank, os._exit) to show the script works.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder.config import load_course
from autograder.pipeline import copy_course, nbgrader, nbgrader_env
from tests.batch.classes import submit_class

FULL_CLASS = {
    **{f"right_{i:02d}": "right" for i in range(6)},
    **{f"mistakes_{i:02d}": "mistakes" for i in range(4)},
    **{f"blank_{i:02d}": "blank" for i in range(3)},
    "hostile_loops": "loops",
    "hostile_exits": "exits",
    "hostile_bomb": "bomb",
}
QUICK_CLASS = {
    "right_00": "right",
    "mistakes_00": "mistakes",
    "blank_00": "blank",
    "hostile_exits": "exits",
}
PROJECTED_CLASS, PROJECTED_WORKERS = 300, 16


def cpu_seconds() -> float | None:
    """CPU time the whole machine has spent busy so far (None where /proc/stat is missing)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(f) for f in fields]
    idle = ticks[3] + ticks[4]  # idle and waiting for I/O
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


def timed(command: list[str], course_dir: Path) -> tuple[float, float | None]:
    """Wall time of the command and the machine's busy CPU seconds meanwhile."""
    busy = cpu_seconds()
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=course_dir, env=nbgrader_env(), capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    after = cpu_seconds()
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-20:])
        raise SystemExit(f"{' '.join(command[2:])} failed ({done.returncode}):\n{tail}")
    return elapsed, (after - busy if busy is not None and after is not None else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="linear_regression")
    parser.add_argument("--quick", action="store_true", help="4 students, no endless loop")
    args = parser.parse_args()
    students = QUICK_CLASS if args.quick else FULL_CLASS
    n = len(students)
    with tempfile.TemporaryDirectory() as tmp:
        base = copy_course(Path(tmp) / "base")
        load_course(base).notebooks_of(args.assignment)  # a clear error for a wrong name
        nbgrader(base, "generate_assignment", args.assignment, "--force")
        submit_class(base, args.assignment, students)
        copies = {}
        for name in ("serial", "workers_1", "workers_2"):
            copies[name] = Path(tmp) / name
            shutil.copytree(base, copies[name], symlinks=True)
        python = sys.executable
        grade = [python, "-m", "autograder", "grade", args.assignment, "--workers"]
        runs = {
            "serial": timed(
                [python, "-m", "nbgrader", "autograde", args.assignment], copies["serial"]
            ),
            "workers_1": timed([*grade, "1"], copies["workers_1"]),
            "workers_2": timed([*grade, "2"], copies["workers_2"]),
        }
    walls = {name: wall for name, (wall, _) in runs.items()}
    print(f"class of {n} students, assignment {args.assignment}")
    for name, label in (
        ("serial", "nbgrader autograde (serial)"),
        ("workers_1", "autograder grade, 1 worker"),
        ("workers_2", "autograder grade, 2 workers"),
    ):
        wall, busy = runs[name]
        cores = f"  {busy / wall:4.2f} cores busy, {busy / n:5.1f} CPU s/student" if busy else ""
        print(f"  {label:<30} {wall:7.1f} s  {60 * n / wall:6.2f} students/minute{cores}")
    scaling = walls["workers_1"] / walls["workers_2"]
    print(f"ratio 2 workers / 1 worker:  {scaling:.2f} (target >= 1.8)")
    print(
        f"ratio 2 workers / serial:    {walls['serial'] / walls['workers_2']:.2f} (target >= 2.5)"
    )
    cores = len(os.sched_getaffinity(0))
    one_busy, two_busy = runs["workers_1"][1], runs["workers_2"][1]
    if one_busy and two_busy:
        print(
            f"  what this machine allows: {cores} cores / "
            f"{one_busy / walls['workers_1']:.2f} cores busy with 1 worker = "
            f"{cores * walls['workers_1'] / one_busy:.2f} for 2 workers / 1 worker"
        )
        # A saturated machine's cost per student, spread over one core per worker.
        per_student = two_busy / n
        basis = "CPU s per student with 2 workers, one core per worker"
    else:
        per_student = walls["workers_1"] / n
        basis = "s per student with 1 worker"
    projected = PROJECTED_CLASS * per_student / PROJECTED_WORKERS
    print(
        f"projected for {PROJECTED_CLASS} students on {PROJECTED_WORKERS} workers: "
        f"{projected / 60:.1f} min ({per_student:.1f} {basis})"
    )


if __name__ == "__main__":
    main()
