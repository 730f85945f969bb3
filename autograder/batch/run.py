"""A class graded on a Dask cluster: one task per submission, results recorded as they come.

By default the cluster is a LocalCluster of worker processes, one thread each, as many as
this machine has cores; given a scheduler address, the same tasks go to an existing cluster
unchanged. The course bundle is scattered to every worker once; each task carries one
submission. The client records each result as it arrives (writer.py), so stopping the batch
keeps everything recorded so far.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from distributed import Client, LocalCluster, as_completed

from autograder.batch.bundle import (
    BatchError,
    assignment_definition,
    check_name,
    find_students,
    make_bundle,
    read_submission,
)
from autograder.batch.ledger import fingerprint
from autograder.batch.progress import Outcome, Progress
from autograder.batch.records import GradingResult
from autograder.batch.tasks import grade_submission
from autograder.batch.worker import WarmWorker, load_nbgrader_config
from autograder.batch.writer import GradebookWriter
from autograder.config import Course, load_course

# Seconds to wait for an existing cluster to have a worker.
WORKER_WAIT = 120


@dataclass(frozen=True)
class BatchOptions:
    assignment: str
    students: tuple[str, ...] = ()  # empty: every student with a submission
    workers: int | None = None  # LocalCluster size; None: one per core
    scheduler: str | None = None  # an existing cluster's scheduler address
    force: bool = False  # grade again even what is unchanged


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _has_dashboard() -> bool:
    # The dashboard needs bokeh, which the course does not install; without it, none.
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def open_client(options: BatchOptions) -> Iterator[Client]:
    """A client of the cluster the options ask for; a LocalCluster is shut down afterwards."""
    if options.scheduler:
        try:
            client = Client(options.scheduler, timeout="30s")
        except OSError as exc:
            raise BatchError(f"cannot reach the scheduler {options.scheduler}: {exc}") from None
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT)
        except TimeoutError:
            client.close()
            raise BatchError(f"no worker joined {options.scheduler} in {WORKER_WAIT} s") from None
        with client:
            yield client
        return
    workers = options.workers or default_workers()
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        # A free port: 8787 may be taken by another cluster on this machine.
        dashboard_address=":0",
        # The bar and the summary tell what happened; the cluster's own warnings (a worker
        # restarted, a slow shutdown) would only break the bar's line.
        silence_logs=logging.ERROR,
    )
    with cluster, Client(cluster) as client:
        yield client


def _outcome(result: GradingResult, code_points: float) -> Outcome:
    if result.ok:
        score, top = result.points()
        problems = list(result.problems)
        return Outcome(result.student, "graded", score, top, result.seconds, problems, result.log)
    problems = [result.error or "grading failed", *result.problems]
    return Outcome(result.student, "zero", 0.0, code_points, result.seconds, problems, result.log)


class ClassGrading:
    """One batch: which submissions to grade, the tasks, and the recording of results."""

    def __init__(self, course_dir: Path, options: BatchOptions, err: TextIO = sys.stderr):
        self.course_dir = Path(course_dir).resolve()
        self.options = options
        self.err = err
        self.course: Course = load_course(self.course_dir)
        assignment = check_name("assignment", options.assignment)
        if assignment not in self.course.assignments:
            known = ", ".join(self.course.assignments)
            raise BatchError(f"course.toml has no assignment {assignment!r} (it has: {known})")
        self.definition = assignment_definition(self.course.db_url, self.course.id, assignment)
        self.bundle = make_bundle(self.course_dir, self.course, self.definition)
        self.outcomes: list[Outcome] = []

    def students(self) -> list[str]:
        found = find_students(self.course_dir, self.options.assignment)
        if not self.options.students:
            return found
        missing = [s for s in self.options.students if s not in found]
        if missing:
            raise BatchError(
                f"no submission of {self.options.assignment} for {', '.join(missing)} "
                f"(looked in submitted/<student>/{self.options.assignment}/)"
            )
        return [check_name("student", s) for s in dict.fromkeys(self.options.students)]

    def run(self, client: Client | None = None) -> list[Outcome]:
        """Grade; with `client`, on that cluster, else on the one the options name."""
        config = load_nbgrader_config(self.course_dir)
        with GradebookWriter(
            self.course_dir, self.course, self.definition, config, self.bundle.digest
        ) as writer:
            pending = self._pending(writer)
            if not pending:
                return self.outcomes
            if client is not None:
                self._grade(client, pending, writer)
            else:
                with open_client(self.options) as own:
                    self._grade(own, pending, writer)
        return self.outcomes

    def _pending(self, writer: GradebookWriter) -> list:
        in_gradebook = writer.graded_students()
        pending = []
        for student in self.students():
            submission = read_submission(
                self.course_dir, self.course, student, self.options.assignment
            )
            print_ = fingerprint(self.bundle.digest, submission.digest)
            current = writer.ledger.is_current(student, print_, student in in_gradebook)
            if current and not self.options.force:
                note = writer.ledger.note(student)
                self.outcomes.append(
                    Outcome(
                        student, "unchanged", note.get("score", 0.0), note.get("max_score", 0.0)
                    )
                )
            else:
                pending.append(submission)
        return pending

    def _grade(self, client: Client, pending: list, writer: GradebookWriter) -> None:
        try:
            client.register_plugin(WarmWorker(self.course.limits))
        except Exception as exc:
            raise BatchError(
                f"the workers cannot load the course's code ({exc}); start them in the "
                "course's environment, with the course directory on PYTHONPATH"
            ) from None
        workers = len(client.scheduler_info(n_workers=-1)["workers"])
        where = f"scheduler {client.scheduler.address}"
        if client.dashboard_link and _has_dashboard():
            where += f", dashboard {client.dashboard_link}"
        print(
            f"Grading {len(pending)} submission(s) of {self.options.assignment} on "
            f"{workers} worker(s) ({where}).",
            file=self.err,
            flush=True,
        )
        bundle = client.scatter(self.bundle, broadcast=True, hash=False)
        batch = uuid.uuid4().hex[:8]
        futures = [
            client.submit(
                grade_submission,
                bundle,
                submission,
                key=f"grade-{self.options.assignment}-{submission.student}-{batch}",
                pure=False,
            )
            for submission in pending
        ]
        code_points = writer.code_points()
        students = {f.key: s.student for f, s in zip(futures, pending, strict=True)}
        progress = Progress(len(futures), self.options.assignment, self.err)
        try:
            for future in as_completed(futures):
                student = students[future.key]
                outcome = self._record(future, student, writer, code_points)
                self.outcomes.append(outcome)
                progress.done(outcome)
                future.release()
        except BaseException:
            client.cancel(futures)
            raise
        finally:
            progress.close()

    def _record(self, future, student: str, writer: GradebookWriter, code_points: float):
        try:
            result = future.result()
        except Exception as exc:  # the task itself was lost (its workers kept dying)
            return Outcome(student, "lost", problems=[f"{type(exc).__name__}: {exc}"])
        if result.broken:
            return Outcome(
                student, "lost", seconds=result.seconds, problems=[result.error], log=result.log
            )
        try:
            writer.record(result)
        except Exception as exc:
            reason = f"could not be recorded ({type(exc).__name__}: {exc})"
            return Outcome(student, "lost", problems=[reason])
        return _outcome(result, code_points)
