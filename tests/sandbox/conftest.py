"""Shared setup for the sandbox tests: small limits, kernels in each reachable mode, and a
look at the host's processes from outside the sandbox."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest

from autograder.config import load_course
from autograder.sandbox import confine
from autograder.sandbox.kernel import StudentKernel


def reachable_modes() -> list[str]:
    """The sandbox modes this machine can run (limits mode always can)."""
    modes = []
    if os.geteuid() == 0 and not confine.probe("root"):
        modes.append("root")
    if not confine.probe("user"):
        modes.append("user")
    return [*modes, "limits"]


MODES = reachable_modes()
CONFINED = [m for m in MODES if m != "limits"]
needs_bwrap = pytest.mark.skipif(not CONFINED, reason="bubblewrap cannot run here")


@pytest.fixture(scope="session")
def limits():
    return dataclasses.replace(
        load_course().limits, cell_timeout=20, memory_mb=3072, scratch_mb=16, max_restarts=1
    )


@pytest.fixture
def start_kernel(limits):
    """Start a StudentKernel (mode, submission folder optional); all are closed at the end."""
    started: list[StudentKernel] = []

    def start(kind: str | None = None, submission: Path | None = None, **changes):
        kernel = StudentKernel(dataclasses.replace(limits, **changes), kind)
        started.append(kernel)
        kernel.start()
        if submission is not None:
            kernel.load_submission(submission)
        return kernel

    yield start
    for kernel in started:
        kernel.close()


@pytest.fixture(scope="session")
def shared_kernel(limits):
    """One kernel per mode for the whole session, for tests that leave it as they found it."""
    kernels: dict[str, StudentKernel] = {}

    def get(kind: str) -> StudentKernel:
        if kind not in kernels or not kernels[kind].alive:
            kernels[kind] = StudentKernel(limits, kind)
            kernels[kind].start()
        return kernels[kind]

    yield get
    for kernel in kernels.values():
        kernel.close()


def run(kernel: StudentKernel, code: str, **kwargs):
    """(execution, its stdout text)."""
    result = kernel.execute(code, **kwargs)
    text = "".join(o.get("text", "") for o in result.outputs if o.output_type == "stream")
    return result, text


def processes_with(token: str) -> list[int]:
    """Host PIDs of processes whose command line holds `token`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if token.encode() in cmdline:
            found.append(int(entry))
    return found


def wait_until(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()
