"""Faults lose nothing: a worker killed mid-task, a submission that kills its kernel, and one
whose grading raises, graded on an existing cluster through `--scheduler`.

The cluster is a real one started by the test: a `dask scheduler` and a `dask worker` with two
worker processes (one thread each), started like a cluster node that has the course's
environment installed (the venv, and the course's code on PYTHONPATH). While the batch runs,
the test kills the worker process that is grading a student; the scheduler hands the task to
the other worker.
"""

import os
import signal
import subprocess
import sys
import threading
import time

import nbformat
import pytest
from distributed import Client

from autograder.pipeline import nbgrader_env
from tests.batch.conftest import ASSIGNMENT, class_course, grade, gradebook_state

pytestmark = pytest.mark.slow

STUDENTS = {"ada": "right", "cy": "blank", "dee": "exits", "fay": "right"}


@pytest.fixture
def cluster(tmp_path, generated):
    """A scheduler and two worker processes, started from the class's course directory."""
    course_dir = class_course(generated, tmp_path / "course", STUDENTS)
    # eve's folder holds no notebook at all: nbgrader's converter raises for it
    (course_dir / "submitted" / "eve" / ASSIGNMENT).mkdir(parents=True)
    (course_dir / "submitted" / "eve" / ASSIGNMENT / "notes.txt").write_text("forgot it\n")
    scheduler_file = tmp_path / "scheduler.json"
    env = nbgrader_env()
    # A cluster node has the course's environment: the venv, and the course on PYTHONPATH.
    env["PYTHONPATH"] = str(course_dir)
    bin_dir = os.path.dirname(sys.executable)
    common = {"cwd": course_dir, "env": env, "stdout": subprocess.DEVNULL}
    scheduler = subprocess.Popen(
        [
            f"{bin_dir}/dask",
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(scheduler_file),
        ],
        stderr=subprocess.DEVNULL,
        **common,
    )
    while not scheduler_file.exists():
        time.sleep(0.2)
    worker = subprocess.Popen(
        [
            f"{bin_dir}/dask",
            "worker",
            "--scheduler-file",
            str(scheduler_file),
            "--nworkers",
            "2",
            "--nthreads",
            "1",
        ],
        stderr=subprocess.DEVNULL,
        **common,
    )
    client = Client(scheduler_file=str(scheduler_file), timeout="60s")
    client.wait_for_workers(2, timeout=120)
    try:
        yield course_dir, client
    finally:
        client.close()
        for process in (worker, scheduler):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def kill_a_busy_worker(address: str, killed: list[int]) -> None:
    """Once a worker has been grading a student for a few seconds, kill its process."""
    with Client(address, timeout="60s") as client:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            busy = [w for w, keys in client.processing().items() if keys]
            if busy:
                time.sleep(4)  # well into the grading: kernel started, cells running
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.2)


def test_a_killed_worker_and_crashing_submissions_lose_no_grade(cluster):
    course_dir, client = cluster
    killed: list[int] = []
    address = client.scheduler.address
    killer = threading.Thread(target=kill_a_busy_worker, args=(address, killed), daemon=True)
    killer.start()
    done = grade(course_dir, "--scheduler", address)
    killer.join(timeout=5)
    assert killed, "the test did not get to kill a worker: " + done.stdout + done.stderr[-3000:]
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]

    state = gradebook_state(course_dir)
    everyone = {*STUDENTS, "eve"}
    # one set of rows per student, whatever ran twice
    assert state["submissions"] == {(s, ASSIGNMENT): 1 for s in everyone}
    cells = {key[2:] for key in state["grades"] if key[0] == "ada"}
    for student in everyone:
        assert {key[2:] for key in state["grades"] if key[0] == student} == cells

    def score(student, notebook, cell):
        return state["grades"][(student, ASSIGNMENT, notebook, cell)][0]

    for student in ("ada", "fay"):
        for key, (auto, _, top, _) in state["grades"].items():
            if key[0] == student and auto is not None:
                assert auto == top, key
    # dee's first answer kills the kernel: that cell scores zero, the next notebook is intact
    assert score("dee", "huber_loss", "huber_loss_values") == 0
    assert score("dee", "gradient_access", "full_batch_grads") == 3
    # eve's grading raised: zero everywhere, the reason at the top of her notebooks
    assert all(v[0] == 0 for k, v in state["grades"].items() if k[0] == "eve")
    note = nbformat.read(
        course_dir / "autograded" / "eve" / ASSIGNMENT / "huber_loss.ipynb", as_version=4
    ).cells[0]
    assert "could not be graded" in note.source and "No notebooks" in note.source
    assert "ZERO" in done.stdout and "eve" in done.stdout
