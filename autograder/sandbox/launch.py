"""Starting and ending one confined kernel process, and nothing more.

`launch` starts a Jupyter kernel whose command line is wrapped by the confine
(autograder.sandbox.confine), with a clean environment (one thread per numeric library), on
Unix sockets in a folder of its own, and connects a client to it whose sockets refuse
oversized messages and queue only a few. It either returns a ready kernel or raises
`KernelStartError` naming the cause (with what the sandbox printed), leaving nothing running.
`end` stops a kernel and everything it started.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import zmq
from jupyter_client import KernelManager

from autograder.config import Limits
from autograder.sandbox import confine
from autograder.sandbox.messages import MAX_MESSAGE_BYTES, MAX_QUEUED_MESSAGES

# Seconds allowed for a kernel to start, and for the limits-mode reaper to end its processes.
START_TIMEOUT = 60
REAP_GRACE = 5
# What is kept of a kernel's own stderr (bubblewrap's complaints, a crash before start).
STDERR_KEPT = 4096
# One thread per kernel, whatever the library: N kernels on N cores do not oversubscribe.
ONE_THREAD = {
    name: "1"
    for name in (
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "NUMEXPR_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS",
    )
}


class KernelStartError(RuntimeError):
    """A kernel could not be started; the message names the cause."""


@dataclass(frozen=True)
class Confinement:
    """Everything the confine needs to wrap one kernel's command."""

    layout: confine.Layout
    conn: Path
    readonly: list[Path]
    limits: Limits
    kind: str


class ConfinedKernelManager(KernelManager):
    """A KernelManager whose kernel command runs inside the confine."""

    confinement: Confinement

    def write_connection_file(self, **kwargs):
        super().write_connection_file(**kwargs)
        # The confined kernel runs as another user and must be able to read its sockets and key.
        confine.hand_over(self.confinement.kind, Path(self.connection_file))

    def format_kernel_cmd(self, extra_arguments=None):
        command = super().format_kernel_cmd(extra_arguments)
        c = self.confinement
        return confine.wrap(command, c.layout, c.conn, c.readonly, c.limits, c.kind)


class StderrTail:
    """Keeps the first bytes a kernel writes to its stderr and discards the rest, so that the
    pipe never fills (which would block the kernel) and nothing grows without bound."""

    def __init__(self, stream):
        self._kept = bytearray()
        self._thread = threading.Thread(target=self._drain, args=(stream,), daemon=True)
        self._thread.start()

    def _drain(self, stream) -> None:
        with contextlib.suppress(Exception), stream:
            while chunk := stream.read1(65536):
                if len(self._kept) < STDERR_KEPT:
                    self._kept += chunk[: STDERR_KEPT - len(self._kept)]

    def text(self, wait: float = 0.5) -> str:
        self._thread.join(wait)
        lines = bytes(self._kept).decode(errors="replace").strip().splitlines()
        return " / ".join(lines[-3:])[-600:]


def environment(home: Path) -> dict[str, str]:
    """The kernel's whole environment: nothing of the grader's is passed on."""
    venv_bin = str(Path(sys.executable).parent)
    return {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": "/tmp",
        "MPLCONFIGDIR": f"{home}/matplotlib",
        "IPYTHONDIR": f"{home}/ipython",
        "JUPYTER_CONFIG_DIR": f"{home}/jupyter",
        "JUPYTER_DATA_DIR": f"{home}/jupyter",
        "JUPYTER_RUNTIME_DIR": f"{home}/jupyter",
        # Graded runs draw no live training boards (figures a student makes still show).
        "MPLBACKEND": "agg",
        "D2LKIT_LIVE_PLOTS": "0",
        **ONE_THREAD,
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "LANG": "C.UTF-8",
    }


def launch(confinement: Confinement, cwd: Path):
    """Start a confined kernel and a client to it: (manager, client). Raises KernelStartError."""
    c = confinement
    c.conn.mkdir()
    confine.hand_over(c.kind, c.conn)
    # A fresh manager each time: a stopped manager has closed its messaging context.
    km = ConfinedKernelManager(
        connection_file=str(c.conn / "kernel.json"), transport="ipc", ip=str(c.conn / "kernel")
    )
    km.confinement = c
    # Interrupt by message: a signal would hit the sandbox's outer process, not the kernel.
    km.kernel_spec.interrupt_mode = "message"
    # Every socket to this kernel refuses a message past the cap (ZeroMQ drops the peer)
    # and queues only a few messages: a kernel cannot grow the grader's memory.
    km.context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
    km.context.setsockopt(zmq.RCVHWM, MAX_QUEUED_MESSAGES)
    stderr = kc = None
    try:
        km.start_kernel(
            cwd=str(cwd),
            env=environment(c.layout.home(c.kind)),
            extra_arguments=["--HistoryManager.hist_file=:memory:"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        stderr = StderrTail(km.provisioner.process.stderr)
        kc = km.client(context=km.context)
        kc.start_channels()
        kc.wait_for_ready(timeout=START_TIMEOUT)
        confine.take_back(c.kind, c.conn)
    except Exception as exc:
        said = stderr.text() if stderr is not None else ""
        end(km, kc, c.kind)
        cause = f"{type(exc).__name__}: {exc}" + (f"; it said: {said}" if said else "")
        raise KernelStartError(
            f"the grading kernel could not start in sandbox mode {c.kind!r} ({cause})"
        ) from exc
    return km, kc


def end(km: KernelManager | None, kc, kind: str) -> None:
    """Stop a kernel and everything it started; never raises."""
    if kc is not None:
        with contextlib.suppress(Exception):
            kc.stop_channels()
    if km is None:
        return
    if kind == "limits":
        _end_reaper(km)
    try:
        km.shutdown_kernel(now=True)
    except Exception:
        with contextlib.suppress(Exception):
            km.cleanup_resources()


def _end_reaper(km: KernelManager) -> None:
    """Limits mode: ask the reaper to end the kernel's whole process tree before the kernel's
    process group is killed (a kill would leave setsid daemons behind)."""
    process = getattr(km.provisioner, "process", None)
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        process.send_signal(signal.SIGTERM)
        process.wait(REAP_GRACE)
