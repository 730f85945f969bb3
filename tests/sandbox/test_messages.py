"""The grader keeps a bounded amount of what a kernel publishes, and a malformed message makes a
failed cell, never an exception."""

import pytest

from autograder.sandbox.messages import (
    ANSWER_MIME,
    MAX_ANSWER_BYTES,
    MAX_OUTPUTS,
    OutputCollector,
)
from tests.sandbox.conftest import CONFINED, run

MALFORMED = [
    (None, {}),
    ("stream", "not a dict"),
    ("stream", {"name": 3, "text": "x"}),
    ("stream", {"name": "stdout", "text": ["x"]}),
    ("stream", {"name": "stdout"}),
    ("display_data", {"data": "text"}),
    ("display_data", {"data": {"text/plain": 5}}),
    ("display_data", {"data": {"text/plain": "x"}, "metadata": []}),
    ("execute_result", {"data": {"text/plain": "x"}, "execution_count": "1"}),
    ("error", {"ename": "E", "evalue": 1, "traceback": []}),
    ("error", {"ename": "E", "evalue": "v", "traceback": "line"}),
]


@pytest.mark.parametrize(("kind", "content"), MALFORMED)
def test_a_malformed_message_is_dropped_and_noted_never_raised(kind, content):
    collector = OutputCollector(1024)
    collector.add(kind, content)
    assert collector.outputs == [] and collector.malformed


def test_well_formed_outputs_are_kept():
    collector = OutputCollector(1024)
    collector.add("stream", {"name": "stdout", "text": "hello"})
    collector.add("display_data", {"data": {"image/png": "iVBOR", "application/x+json": {"a": 1}}})
    collector.add("error", {"ename": "ValueError", "evalue": "bad", "traceback": ["t"]})
    assert [o.output_type for o in collector.outputs] == ["stream", "display_data", "error"]
    assert collector.error == "ValueError: bad" and not collector.malformed


def test_outputs_are_capped_in_count_as_well_as_bytes():
    collector = OutputCollector(10**9)
    for _ in range(5 * MAX_OUTPUTS):
        collector.add("stream", {"name": "stdout", "text": "."})
    assert len(collector.outputs) == MAX_OUTPUTS + 1  # and the note saying so
    assert "output cut" in collector.outputs[-1].text


def answer(nonce, reply="{}"):
    return {"data": {ANSWER_MIME: {"nonce": nonce, "reply": reply}}}


def test_only_answers_with_the_requests_nonce_are_kept():
    collector = OutputCollector(1024, nonce="right")
    collector.add("display_data", answer("guessed", '{"forged": 1}'))
    collector.add("display_data", {"data": {ANSWER_MIME: '{"old style": 1}'}})
    collector.add("display_data", answer("right", '{"real": 1}'))
    assert collector.answers == ['{"real": 1}'] and not collector.answer_problem
    assert collector.outputs == []  # answers never become outputs


def test_a_second_reply_to_one_request_is_flagged():
    collector = OutputCollector(1024, nonce="n")
    for _ in range(1000):
        collector.add("display_data", answer("n"))
    assert len(collector.answers) == 2 and "more than one reply" in collector.answer_problem


def test_a_reply_past_the_byte_cap_is_flagged_not_kept():
    collector = OutputCollector(1024, nonce="n")
    collector.add("display_data", answer("n", "x" * (MAX_ANSWER_BYTES + 1)))
    assert collector.answers == [] and "larger than" in collector.answer_problem


@pytest.mark.slow
@pytest.mark.parametrize("kind", CONFINED[:1])
def test_a_loop_publishing_displays_keeps_the_grader_bounded(shared_kernel, kind):
    kernel = shared_kernel(kind)
    code = (
        "from IPython.display import display, HTML\n"
        f"for i in range({3 * MAX_OUTPUTS}):\n"
        "    display(HTML(f'<b>{i}</b>'))\n"
    )
    result = kernel.execute(code, timeout=120)
    # What a busy grader could not take in time was dropped by ZeroMQ; the rest is capped, and
    # the request's end still came through.
    assert result.status == "ok"
    assert len(result.outputs) <= MAX_OUTPUTS + 1
    assert run(kernel, "print('next')")[1].strip() == "next"


@pytest.mark.slow
@pytest.mark.parametrize("kind", CONFINED[:1])
def test_a_malformed_message_from_the_kernel_fails_the_cell(shared_kernel, kind):
    kernel = shared_kernel(kind)
    code = (
        "kernel = get_ipython().kernel\n"
        "parent = kernel.get_parent()\n"
        "kernel.session.send(kernel.iopub_socket, 'stream', {'name': 5, 'text': None}, parent)\n"
        "kernel.session.send(kernel.iopub_socket, 'display_data', {'data': [1]}, parent)\n"
        "print('after')\n"
    )
    result, text = run(kernel, code)
    assert result.status == "error" and "malformed" in result.error
    assert text.strip() == "after"
    assert run(kernel, "print('fine')")[0].status == "ok"
