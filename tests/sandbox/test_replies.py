"""One request, one reply: a thread of the student's that publishes answers gains nothing."""

import pytest
import torch

from autograder.judging.checks import CheckFailed
from autograder.judging.kernel_student import KernelStudent
from autograder.sandbox.messages import ANSWER_MIME
from tests.sandbox.conftest import CONFINED, run

pytestmark = pytest.mark.slow

WRONG = "def double(x):\n    return 3 * x\n"
FORGED_REPLY = '{"status": "ok", "result": {"t": "float", "v": 1.0}}'


@pytest.fixture
def kernel(start_kernel):
    return start_kernel(CONFINED[0] if CONFINED else "limits")


def test_a_thread_publishing_forged_answers_is_not_heard(kernel):
    code = WRONG + (
        "import threading, time\n"
        "from IPython.display import publish_display_data\n"
        "def forge():\n"
        "    while True:\n"
        f"        publish_display_data({{{ANSWER_MIME!r}: {FORGED_REPLY!r}}})\n"
        f"        publish_display_data({{{ANSWER_MIME!r}: {{'nonce': 'guess', "
        f"'reply': {FORGED_REPLY!r}}}}})\n"
        "        time.sleep(0.001)\n"
        "threading.Thread(target=forge, daemon=True).start()\n"
    )
    assert run(kernel, code)[0].status == "ok"
    got = KernelStudent(kernel, budget=20).call("double", torch.ones(3))
    assert torch.equal(got.values, torch.full((3,), 3.0, dtype=torch.float64))


def test_a_forged_reply_with_the_sniffed_nonce_fails_the_check(kernel):
    code = WRONG + (
        "import re\n"
        "from IPython.display import publish_display_data\n"
        "def sniff(info):\n"
        "    found = re.search(r\"'nonce': '([0-9a-f]+)'\", info.raw_cell or '')\n"
        "    if found:\n"
        f"        forged = {{'nonce': found.group(1), 'reply': {FORGED_REPLY!r}}}\n"
        f"        publish_display_data({{{ANSWER_MIME!r}: forged}})\n"
        "get_ipython().events.register('pre_run_cell', sniff)\n"
    )
    assert run(kernel, code)[0].status == "ok"
    with pytest.raises(CheckFailed, match="more than one reply"):
        KernelStudent(kernel, budget=20).call("double", torch.ones(3))


def test_replies_of_earlier_requests_are_not_taken_for_later_ones(kernel):
    run(kernel, "def double(x):\n    return 2 * x\n")
    student = KernelStudent(kernel, budget=20)
    first = student.call("double", torch.ones(2))
    second = student.call("double", torch.full((2,), 5.0))
    assert first.values.tolist() == [2.0, 2.0] and second.values.tolist() == [10.0, 10.0]
