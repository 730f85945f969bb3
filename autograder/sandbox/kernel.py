"""A student's Jupyter kernel, run in the sandbox, driven cell by cell from the grader.

`StudentKernel` starts the kernel confined (autograder.sandbox), runs code with a time limit,
keeps a bounded amount of output, and tells apart a finished cell, an error, a timeout and a
dead kernel, so a hostile or broken submission costs only its own points. It knows nothing
of grading: the hidden graders question it through `autograder.judging.student.KernelStudent`.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client import KernelManager
from nbformat.v4 import new_output

from autograder.config import Limits
from autograder.sandbox import confine

ANSWER_MIME = "application/vnd.d2lkit.answer+json"
# Seconds allowed for a kernel to start, and to answer an interrupt before it is restarted.
START_TIMEOUT = 60
INTERRUPT_GRACE = 5


class ConfinedKernelManager(KernelManager):
    """A KernelManager whose kernel command runs inside the confine."""

    workdir: Path
    readonly: list[Path]
    limits: Limits

    def write_connection_file(self, **kwargs):
        super().write_connection_file(**kwargs)
        # The confined kernel runs as another user and must be able to read its ports and key.
        confine.hand_over(Path(self.connection_file))

    def format_kernel_cmd(self, extra_arguments=None):
        command = super().format_kernel_cmd(extra_arguments)
        return confine.wrap(command, self.workdir, self.readonly, self.limits)


@dataclass
class Execution:
    """What running one piece of code did."""

    status: str  # "ok", "error", "timeout" (interrupted, kernel alive) or "died"
    outputs: list = field(default_factory=list)
    error: str = ""
    answers: list[str] = field(default_factory=list)  # grading replies, kept out of outputs

    @property
    def killed_kernel(self) -> bool:
        return self.status == "died"


class StudentKernel:
    """One confined kernel working in a private scratch copy of a submission folder."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.private_dir = Path(tempfile.mkdtemp(prefix="d2lkit-grader-"))
        self.workdir = self.private_dir / "work"
        (self.workdir / ".config").mkdir(parents=True)
        conn_dir = self.private_dir / "conn"
        conn_dir.mkdir()
        confine.prepare_workdir(self.workdir)
        self._conn_file = conn_dir / "kernel.json"
        self._readonly = [conn_dir]
        kit = confine.kit_location()
        if kit is not None:
            self._readonly.append(kit)
        self.km: ConfinedKernelManager | None = None
        self.kc = None

    def load_submission(self, submission_dir: Path) -> None:
        """Copy the submission's files (not its notebooks) into the kernel's working folder.
        The kernel only ever sees this copy, never the submission itself."""
        shutil.copytree(
            submission_dir,
            self.workdir,
            ignore=shutil.ignore_patterns("*.ipynb"),
            dirs_exist_ok=True,
        )
        confine.prepare_workdir(self.workdir)

    def _environment(self) -> dict[str, str]:
        venv_bin = str(Path(sys.executable).parent)
        home = str(self.workdir / ".config")
        return {
            "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
            "HOME": home,
            "MPLCONFIGDIR": home,
            "IPYTHONDIR": f"{home}/ipython",
            "JUPYTER_CONFIG_DIR": f"{home}/jupyter",
            "JUPYTER_DATA_DIR": f"{home}/jupyter",
            "JUPYTER_RUNTIME_DIR": f"{home}/jupyter",
            # Graded runs draw no live training boards (figures a student makes still show).
            "MPLBACKEND": "agg",
            "D2LKIT_LIVE_PLOTS": "0",
            "OMP_NUM_THREADS": "1",
            "PYTHONNOUSERSITE": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "LANG": "C.UTF-8",
        }

    def start(self, warm_up: str = "") -> None:
        # A fresh manager each time: a stopped manager has closed its messaging context.
        self.km = ConfinedKernelManager(connection_file=str(self._conn_file))
        self.km.workdir, self.km.readonly, self.km.limits = (
            self.workdir,
            self._readonly,
            self.limits,
        )
        # Interrupt by message: a signal would hit the sandbox's outer process, not the kernel.
        self.km.kernel_spec.interrupt_mode = "message"
        self.km.start_kernel(
            cwd=str(self.workdir),
            env=self._environment(),
            extra_arguments=["--HistoryManager.hist_file=:memory:"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=START_TIMEOUT)
        if warm_up:
            self.execute(warm_up, timeout=START_TIMEOUT)

    @property
    def alive(self) -> bool:
        return self.km is not None and self.km.has_kernel and self.km.is_alive()

    def restart(self) -> None:
        self.stop()
        self.start()

    def stop(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None and self.km.has_kernel:
            with contextlib.suppress(Exception):
                self.km.shutdown_kernel(now=True)
        self.km = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.private_dir, ignore_errors=True)

    def execute(self, code: str, timeout: float | None = None) -> Execution:
        """Run `code`; never raises for anything the code does."""
        timeout = timeout or self.limits.cell_timeout
        if not self.alive:
            return Execution("died", error="the kernel was not running")
        msg_id = self.kc.execute(code, store_history=False, allow_stdin=False, stop_on_error=False)
        collector = _OutputCollector(self.limits.max_output_kb * 1024)
        deadline = time.monotonic() + timeout
        interrupted = False
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
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content.get("execution_state") == "idle":
                break
            collector.add(kind, content)
        if interrupted:
            return Execution("timeout", collector.outputs, self._timeout_text(timeout))
        status = "error" if collector.error else "ok"
        return Execution(status, collector.outputs, collector.error, collector.answers)

    def _timeout_text(self, timeout: float) -> str:
        return f"it did not finish within the {timeout:g} s time limit and was stopped"

    def _death_text(self) -> str:
        return (
            "the kernel stopped (the code exited the process, was killed, or ran out of the "
            f"{self.limits.memory_mb} MiB memory limit)"
        )


class _OutputCollector:
    """Turns iopub messages into notebook outputs, keeping at most `limit` bytes."""

    def __init__(self, limit: int):
        self.limit, self.size, self.cut = limit, 0, False
        self.outputs: list = []
        self.error = ""
        self.answers: list[str] = []

    def add(self, kind: str, content: dict) -> None:
        if kind == "display_data" and ANSWER_MIME in content.get("data", {}):
            self.answers.append(str(content["data"][ANSWER_MIME]))
            return
        if kind == "error":
            self.error = f"{content.get('ename')}: {content.get('evalue')}"
        if kind not in ("stream", "display_data", "execute_result", "error"):
            return
        size = len(str(content))
        if self.size + size > self.limit:
            if not self.cut:
                self.cut = True
                note = f"\n[output cut: more than {self.limit // 1024} KiB]\n"
                self.outputs.append(new_output("stream", name="stdout", text=note))
            return
        self.size += size
        if kind == "stream":
            self.outputs.append(new_output("stream", name=content["name"], text=content["text"]))
        elif kind == "error":
            self.outputs.append(
                new_output(
                    "error",
                    ename=content.get("ename", ""),
                    evalue=content.get("evalue", ""),
                    traceback=content.get("traceback", []),
                )
            )
        else:
            output = new_output(
                kind, data=content.get("data", {}), metadata=content.get("metadata")
            )
            if kind == "execute_result":
                output.execution_count = content.get("execution_count")
            self.outputs.append(output)
