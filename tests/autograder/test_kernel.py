"""A student's kernel is confined and cannot take the grader down with it."""

import dataclasses
import os

import pytest
import torch

from autograder.config import REPO_ROOT, load_course
from autograder.judging.checks import CheckFailed
from autograder.judging.kernel_student import KernelStudent
from autograder.sandbox import confine
from autograder.sandbox.kernel import StudentKernel

pytestmark = pytest.mark.slow
confined = pytest.mark.skipif(confine.mode() == "limits", reason="bubblewrap is not installed")


@pytest.fixture(scope="module")
def limits():
    return dataclasses.replace(load_course().limits, cell_timeout=4, memory_mb=3072)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory, limits):
    submission = tmp_path_factory.mktemp("submission")
    (submission / "data.csv").write_text("1,2\n")
    kernel = StudentKernel(limits)
    kernel.start()
    kernel.load_submission(submission)
    yield kernel
    kernel.close()


def run(kernel, code):
    result = kernel.execute(code)
    text = "".join(o.get("text", "") for o in result.outputs if o.output_type == "stream")
    return result, text


def test_the_kernel_works_on_a_copy_of_the_submission_folder(kernel):
    result, text = run(kernel, "import os; print(sorted(os.listdir('.')))")
    assert result.status == "ok" and "data.csv" in text


@confined
def test_course_files_and_graders_do_not_exist_in_the_sandbox(kernel):
    paths = [REPO_ROOT / p for p in ("course.toml", "autograder", "source", "gradebook.db")]
    _, text = run(kernel, f"import os; print([os.path.exists(p) for p in {list(map(str, paths))}])")
    assert text.strip() == str([False] * len(paths))
    result, _ = run(kernel, "import autograder")
    assert result.status == "error" and "ModuleNotFoundError" in result.error


@confined
def test_the_installed_kit_is_read_only(kernel):
    target = confine.kit_location() / "injected.py"
    result, _ = run(kernel, f"open({str(target)!r}, 'w').write('x')")
    assert result.status == "error" and not target.exists()


@pytest.mark.skipif(confine.mode() != "root", reason="needs root to switch to nobody")
def test_the_kernel_runs_unprivileged_and_cannot_signal_the_grader(kernel):
    _, text = run(kernel, "import os; print(os.getuid())")
    assert text.strip() == str(confine.NOBODY)
    result, _ = run(kernel, f"import os, signal; os.kill({os.getpid()}, signal.SIGKILL)")
    assert result.status == "error"  # the grader is still here to read the error


def test_a_memory_bomb_fails_inside_the_kernel(kernel):
    result, _ = run(kernel, "block = bytearray(8 * 1024**3)")
    assert result.status in ("error", "died")
    if result.status == "died":
        kernel.restart()


@pytest.mark.skipif(confine.mode() != "root", reason="the process limit needs root")
def test_a_fork_bomb_hits_the_process_limit(kernel, limits):
    code = (
        "import os, time\nborn = 0\ntry:\n"
        "    for _ in range(10_000):\n"
        "        if os.fork() == 0:\n            time.sleep(20); os._exit(0)\n"
        "        born += 1\nexcept OSError:\n    pass\nprint(born)"
    )
    _, text = run(kernel, code)
    assert int(text.strip()) < limits.max_processes


def test_an_endless_loop_is_interrupted_and_the_kernel_survives(kernel):
    result, _ = run(kernel, "while True:\n    pass")
    assert result.status == "timeout" and kernel.alive
    assert run(kernel, "print(1 + 1)")[1].strip() == "2"


def test_exiting_the_process_is_seen_as_a_dead_kernel_and_restart_recovers(kernel):
    result, _ = run(kernel, "import os; os._exit(0)")
    assert result.status == "died" and not kernel.alive
    kernel.restart()
    assert run(kernel, "print('back')")[1].strip() == "back"


def test_huge_output_is_cut_to_the_limit(kernel, limits):
    result, text = run(kernel, "for i in range(3000):\n    print('spam' * 250, i)")
    assert result.status == "ok"
    assert len(text) <= limits.max_output_kb * 1024 + 200 and "output cut" in text


def test_a_question_to_the_kernel_returns_plain_data(kernel):
    run(kernel, "def double(x):\n    return 2 * x")
    got = KernelStudent(kernel, budget=10).call("double", torch.ones(3))
    assert torch.equal(got.values, torch.full((3,), 2.0, dtype=torch.float64))


def test_an_answer_that_kills_the_kernel_fails_its_check_and_marks_the_kernel_lost(kernel):
    run(kernel, "import os\ndef double(x):\n    os._exit(1)")
    student = KernelStudent(kernel, budget=10)
    with pytest.raises(CheckFailed, match="kernel stopped"):
        student.call("double", torch.ones(1))
    assert student.lost
    kernel.restart()


def test_checks_of_one_cell_share_one_time_budget(kernel):
    run(kernel, "def double(x):\n    while True:\n        pass")
    student = KernelStudent(kernel, budget=2)
    with pytest.raises(CheckFailed, match="was stopped"):
        student.call("double", torch.ones(1))
    with pytest.raises(CheckFailed, match="time limit for this cell's checks was used up"):
        student.call("double", torch.ones(1))
    assert kernel.alive
