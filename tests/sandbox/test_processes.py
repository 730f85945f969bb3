"""Nothing a student started outlives its kernel, in every sandbox mode this machine can run;
each kernel keeps to one torch thread, and its warm-up leaves no name behind."""

import uuid

import pytest

from autograder.sandbox.spare import WARM_UP
from tests.sandbox.conftest import MODES, processes_with, run, wait_until

pytestmark = pytest.mark.slow

# A plain child, and a daemon: double fork and a new session, as a student would hide a process.
SPAWN = """
import os, subprocess, sys
command = [sys.executable, "-c", "import time; time.sleep(600)", {token!r}]
child = subprocess.Popen(command, start_new_session=False)
pid = os.fork()
if pid == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, command)
    os._exit(0)
os.waitpid(pid, 0)
print("spawned")
"""


@pytest.mark.parametrize("how", ["stop", "exit"])
@pytest.mark.parametrize("kind", MODES)
def test_a_child_and_a_daemonised_grandchild_end_with_the_kernel(start_kernel, kind, how):
    kernel = start_kernel(kind)
    token = f"d2lkit-survivor-{uuid.uuid4().hex}"
    result, text = run(kernel, SPAWN.format(token=token))
    assert text.strip() == "spawned", result
    assert wait_until(lambda: len(processes_with(token)) == 2, timeout=5)
    if how == "stop":
        kernel.stop()
    else:  # the kernel itself exits; its processes must not be left behind either
        assert run(kernel, "import os; os._exit(0)")[0].status == "died"
    assert wait_until(lambda: not processes_with(token)), processes_with(token)
    kernel.stop()


@pytest.mark.parametrize("kind", MODES)
def test_the_kernel_uses_one_torch_thread(shared_kernel, kind):
    kernel = shared_kernel(kind)
    report = "import os, torch\nprint(torch.get_num_threads(), os.environ['OMP_NUM_THREADS'])"
    assert run(kernel, WARM_UP + report)[1].strip() == "1 1"


def test_the_warm_up_leaves_no_name_a_notebook_could_lean_on(start_kernel):
    kernel = start_kernel()
    assert run(kernel, WARM_UP)[0].status == "ok"
    names = "('torch', 'd2lkit', '_torch', '_kit', '_il', '_th')"
    result, text = run(kernel, f"print(sorted(n for n in {names} if n in dir()))")
    assert text.strip() == "[]", result
    assert run(kernel, "torch.zeros(1)")[0].status == "error"
