"""Which sandbox runs is decided by the real command line; limits-only grading needs the
instructor's consent; a kernel that cannot start says why, quickly, and leaves nothing behind."""

import dataclasses
import logging
import stat
import tempfile
import time

import pytest

from autograder.config import load_course
from autograder.sandbox import confine
from autograder.sandbox.kernel import KernelStartError, StudentKernel
from autograder.sandbox.spare import SpareKernel
from autograder.steps.grading import GradeInSandbox, GradingStopped
from tests.sandbox.conftest import CONFINED, MODES, needs_bwrap, processes_with

# A bwrap that refuses one option, as older releases refuse --disable-userns, and otherwise
# runs the real one.
PICKY_BWRAP = """#!/bin/sh
for arg in "$@"; do
    if [ "$arg" = "{refused}" ]; then
        echo "bwrap: Unknown option {refused}" >&2
        exit 1
    fi
done
exec {real} "$@"
"""


@pytest.fixture
def picky_bwrap(tmp_path, monkeypatch):
    def install(refused: str) -> None:
        real = confine.shutil.which("bwrap")
        fake = tmp_path / "bin" / "bwrap"
        fake.parent.mkdir(exist_ok=True)
        fake.write_text(PICKY_BWRAP.format(refused=refused, real=real))
        fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
        monkeypatch.setenv("PATH", f"{fake.parent}:{confine.os.environ['PATH']}")

    return install


@needs_bwrap
def test_the_probe_runs_the_real_command_line_and_names_what_bwrap_refused(picky_bwrap):
    picky_bwrap("--disable-userns")
    failure = confine.probe("user")
    assert "--disable-userns" in failure


@needs_bwrap
def test_a_bwrap_that_refuses_an_option_of_every_mode_is_not_used(picky_bwrap):
    picky_bwrap("--unshare-net")
    kind, reason = confine._probed.__wrapped__()
    assert kind == "limits" and "--unshare-net" in reason


def test_limits_mode_is_refused_without_the_instructors_consent(monkeypatch):
    monkeypatch.delenv(confine.UNCONFINED_ENV, raising=False)
    with pytest.raises(confine.SandboxUnavailable, match="allow_unconfined"):
        confine.require_confinement("limits")
    confine.require_confinement("limits", allow_unconfined=True)
    monkeypatch.setenv(confine.UNCONFINED_ENV, "1")
    confine.require_confinement("limits")
    for kind in CONFINED:
        confine.require_confinement(kind)


def test_grading_refuses_limits_mode_unless_allowed_and_logs_the_protections(monkeypatch, caplog):
    monkeypatch.delenv(confine.UNCONFINED_ENV, raising=False)
    monkeypatch.setattr(confine, "mode", lambda: "limits")
    monkeypatch.setattr(GradeInSandbox, "_announced", False)
    step = GradeInSandbox()
    course = load_course()
    with caplog.at_level(logging.WARNING), pytest.raises(GradingStopped, match="refused"):
        step._check_sandbox(course)
    assert "NOT CONFINED" in caplog.text
    GradeInSandbox(allow_unconfined=True)._check_sandbox(course)
    caplog.clear()
    GradeInSandbox(allow_unconfined=True)._check_sandbox(course)
    assert "sandbox mode" not in caplog.text  # once per process


@pytest.mark.slow
@pytest.mark.parametrize("kind", MODES)
def test_a_kernel_that_cannot_start_says_why_quickly_and_leaves_nothing(limits, kind):
    # Too little memory for Python itself: the kernel dies at once, in every mode.
    starved = dataclasses.replace(limits, memory_mb=16)
    kernel = StudentKernel(starved, kind)
    started = time.monotonic()
    with pytest.raises(KernelStartError, match=f"mode '{kind}'"):
        kernel.start()
    assert time.monotonic() - started < 30
    assert kernel.km is None and not list(kernel.private_dir.glob("conn-*"))
    assert not processes_with(str(kernel.private_dir))
    kernel.close()
    assert not kernel.private_dir.exists()


@pytest.mark.slow
def test_a_spare_that_cannot_start_raises_on_take_and_leaks_no_folder(
    limits, tmp_path, monkeypatch
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the kernels' folders go
    starved = dataclasses.replace(limits, memory_mb=16)
    spare = SpareKernel()
    spare.prepare(starved)
    with pytest.raises(KernelStartError):
        spare.take(starved)
    spare.close()
    assert not list(tmp_path.glob("d2lkit-grader-*"))
