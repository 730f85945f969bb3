"""A student's Jupyter kernel, run in the sandbox, driven cell by cell from the grader.

`StudentKernel` starts the kernel confined (autograder.sandbox.confine), talks to it over Unix
sockets (the sandbox has no network), runs code with a time limit, keeps a bounded amount of
what the kernel publishes (autograder.sandbox.messages), and tells apart a finished cell, an
error, a timeout and a dead kernel, so a hostile or broken submission costs only its own points.
It knows nothing of grading: the hidden graders question it through
`autograder.judging.kernel_student.KernelStudent`.

A kernel that cannot start raises `KernelStartError`, naming the cause: nothing of the
submission has run at that point, so it is the grading machine's problem, never the student's.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import Limits
from autograder.sandbox import confine, launch
from autograder.sandbox.launch import START_TIMEOUT, KernelStartError
from autograder.sandbox.messages import ANSWER_MIME, OutputCollector

__all__ = [
    "ANSWER_MIME",
    "Execution",
    "KernelStartError",
    "StudentKernel",
    "SubmissionFilesError",
]

# Seconds allowed for a kernel to answer an interrupt before it is restarted; seconds of iopub
# silence after a request's reply before its end is taken as lost.
INTERRUPT_GRACE = 5
QUIET_GRACE = 3
# Run inside the kernel after it starts: the submission's files, staged read-only, are copied
# into its capped working folder (the kernel owns the copies; the host's disk is not written).
COPY_IN = """
def _d2lkit_copy_in(inbox):
    import os, shutil
    for name in os.listdir(inbox):
        source = os.path.join(inbox, name)
        if os.path.isdir(source) and not os.path.islink(source):
            shutil.copytree(source, name, symlinks=True, dirs_exist_ok=True,
                            copy_function=shutil.copy)
        else:
            shutil.copy(source, name, follow_symlinks=False)
try:
    _d2lkit_copy_in({inbox!r})
finally:
    del _d2lkit_copy_in
"""


class SubmissionFilesError(RuntimeError):
    """The submission's files could not be put into the kernel's working folder."""


@dataclass
class Execution:
    """What running one piece of code did."""

    status: str  # "ok", "error", "timeout" (interrupted, kernel alive) or "died"
    outputs: list = field(default_factory=list)
    error: str = ""
    # Grading replies that carried the request's nonce, kept out of outputs (at most two), and
    # why they cannot be trusted if so (a second reply, a reply too large).
    answers: list[str] = field(default_factory=list)
    answer_problem: str = ""

    @property
    def killed_kernel(self) -> bool:
        return self.status == "died"


class StudentKernel:
    """One confined kernel working in a private scratch copy of a submission folder.

    The submission's files are staged on the host in `workdir`, which the sandbox shows
    read-only; the kernel copies them into its own working folder (a capped tmpfs at the same
    path) when they are loaded and again after every restart. `kind` is the sandbox mode
    ("root", "user", "limits"); by default the one this machine supports (confine.mode()).
    Tests force a mode with it."""

    def __init__(self, limits: Limits, kind: str | None = None):
        self.limits = limits
        self.kind = kind or confine.mode()
        if self.kind not in confine.MODES:
            raise ValueError(f"unknown sandbox mode {self.kind!r}; one of {confine.MODES}")
        self.private_dir = Path(tempfile.mkdtemp(prefix="d2lkit-grader-"))
        self.layout = confine.Layout(self.private_dir)
        self.workdir = self.layout.workdir
        self.workdir.mkdir()
        if self.kind == "limits":
            self.layout.home(self.kind).mkdir()
            confine.hand_over(self.kind, self.layout.home(self.kind))
        confine.hand_over(self.kind, self.workdir)
        self._readonly: list[Path] = []
        kit = confine.kit_location()
        if kit is not None:
            self._readonly.append(kit)
        self._starts = 0
        self._conn: Path | None = None
        self._loaded = False  # whether the submission's files belong in the working folder
        self.km = None
        self.kc = None

    def load_submission(self, submission_dir: Path) -> None:
        """Copy the submission's files (not its notebooks) into the kernel's working folder.
        The kernel only ever sees this copy, never the submission itself.

        The folder is the student's. The intake (autograder.steps.submission_files) has let
        only plain files within the course's caps into it; here, as a second line, nothing but
        folders and plain files with a single link is copied, and no link is followed."""

        def not_plain(folder: str, names: list[str]) -> set[str]:
            skipped = set()
            for name in names:
                info = Path(folder, name).lstat()
                plain = stat.S_ISREG(info.st_mode) and info.st_nlink == 1
                if not (stat.S_ISDIR(info.st_mode) or (plain and not name.endswith(".ipynb"))):
                    skipped.add(name)
            return skipped

        shutil.copytree(
            submission_dir, self.workdir, symlinks=True, ignore=not_plain, dirs_exist_ok=True
        )
        confine.prepare_workdir(self.workdir)
        self._copy_in()

    def _copy_in(self) -> None:
        """In the sandbox, copy the staged files into the kernel's own working folder (in
        limits mode the working folder is the staging folder itself)."""
        self._loaded = True
        if self.kind == "limits" or not self.alive:
            return  # a kernel started later copies them in as it starts
        run = self.execute(COPY_IN.format(inbox=str(self.layout.inbox)), timeout=START_TIMEOUT)
        if run.status != "ok":
            raise SubmissionFilesError(
                "the submission's files could not be copied into the kernel's working folder "
                f"({run.error or run.status}; it holds at most {self.limits.scratch_mb} MiB)"
            )

    def start(self, warm_up: str = "") -> None:
        """Start the kernel; then copy in the submission's files if they were loaded, and run
        `warm_up`. Raises KernelStartError (the kernel is stopped, nothing is left running) or
        SubmissionFilesError."""
        self._launch()
        if self._loaded:
            self._copy_in()
        if warm_up:
            self.execute(warm_up, timeout=START_TIMEOUT)

    def _launch(self) -> None:
        self._conn = self.layout.conn(self._starts)
        self._starts += 1
        confinement = launch.Confinement(
            self.layout, self._conn, self._readonly, self.limits, self.kind
        )
        try:
            self.km, self.kc = launch.launch(confinement, self.workdir)
        except KernelStartError:
            self.stop()  # removes the socket folder; the process is already gone
            raise

    @property
    def alive(self) -> bool:
        return self.km is not None and self.km.has_kernel and self.km.is_alive()

    def restart(self) -> None:
        self.stop()
        self.start()

    def stop(self) -> None:
        """Stop the kernel and everything it started; never raises."""
        km, kc, self.km, self.kc = self.km, self.kc, None, None
        launch.end(km, kc, self.kind)
        if self._conn is not None:
            with contextlib.suppress(OSError):
                os.chmod(self._conn, 0o755)  # ours again, to remove it
            shutil.rmtree(self._conn, ignore_errors=True)
            self._conn = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.private_dir, ignore_errors=True)

    def execute(
        self, code: str, timeout: float | None = None, nonce: str | None = None
    ) -> Execution:
        """Run `code`; never raises for anything the code (or the kernel) does. Grading replies
        are kept only when they carry `nonce`."""
        timeout = timeout or self.limits.cell_timeout
        if not self.alive:
            return Execution("died", error="the kernel was not running")
        try:
            self._drain_shell()
            msg_id = self.kc.execute(
                code, store_history=False, allow_stdin=False, stop_on_error=False
            )
        except Exception as exc:
            return Execution("died", error=f"the kernel could not be reached ({exc})")
        collector = OutputCollector(self.limits.max_output_kb * 1024, nonce)
        deadline = time.monotonic() + timeout
        interrupted = replied = False
        last_heard = time.monotonic()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if interrupted:  # the interrupt was ignored: the kernel is stuck
                    self.stop()
                    return Execution("timeout", collector.outputs, self._timeout_text(timeout))
                interrupted = True
                with contextlib.suppress(Exception):
                    self.km.interrupt_kernel()
                deadline = time.monotonic() + INTERRUPT_GRACE
                continue
            try:
                msg = self.kc.get_iopub_msg(timeout=min(remaining, 0.5))
            except queue.Empty:
                if not self.alive:
                    return Execution("died", collector.outputs, self._death_text())
                replied = replied or self._replied(msg_id)
                if replied and time.monotonic() - last_heard > QUIET_GRACE:
                    # Answered on the shell channel, and iopub quiet since: the end of the
                    # request was dropped (a kernel flooding iopub past the queue's cap).
                    break
                continue
            except Exception as exc:  # not signed, not JSON, not a message at all
                collector.reject(f"an unreadable message ({type(exc).__name__})")
                continue
            last_heard = time.monotonic()
            parent = msg.get("parent_header") if isinstance(msg, dict) else None
            if not isinstance(parent, dict) or parent.get("msg_id") != msg_id:
                continue
            kind, content = msg.get("msg_type"), msg.get("content")
            if kind == "status" and isinstance(content, dict):
                if content.get("execution_state") == "idle":
                    break
                continue
            collector.add(kind, content)
        if interrupted:
            return Execution("timeout", collector.outputs, self._timeout_text(timeout))
        error = collector.error or collector.malformed
        status = "error" if error else "ok"
        return Execution(
            status, collector.outputs, error, collector.answers, collector.answer_problem
        )

    def _drain_shell(self, msg_id: str = "", most: int = 1000) -> bool:
        """Read off the shell channel's replies (iopub says when a request is done, so they
        would only pile up); whether one of them answered request `msg_id`."""
        channel, replied = self.kc.shell_channel, False
        for _ in range(most):
            if not channel.msg_ready():
                break
            with contextlib.suppress(Exception):
                parent = channel.get_msg(timeout=0).get("parent_header")
                replied = replied or (isinstance(parent, dict) and parent.get("msg_id") == msg_id)
        return replied

    def _replied(self, msg_id: str) -> bool:
        try:
            return self._drain_shell(msg_id)
        except Exception:
            return False

    def _timeout_text(self, timeout: float) -> str:
        return f"it did not finish within the {timeout:g} s time limit and was stopped"

    def _death_text(self) -> str:
        return (
            "the kernel stopped (the code exited the process, was killed, or ran out of the "
            f"{self.limits.memory_mb} MiB memory limit)"
        )
