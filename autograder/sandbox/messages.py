"""What the grader keeps of a kernel's iopub messages, trusting none of them.

A kernel runs student code, and student code can publish anything on iopub: endless displays,
huge messages, messages with missing fields or fields of the wrong type, answers that claim to
come from the grader's helper. This module turns the messages of one execution into notebook
outputs and grading answers, with every kept quantity capped (outputs by bytes and count,
answers by bytes and count) before it is stored, and every message checked for shape first: a
malformed one is dropped and marks the execution as failed, it never raises.

Grading answers are display messages of type ANSWER_MIME carrying a nonce; only answers with
the nonce of the current request are kept, at most two (a second one means someone other than
the grader's helper spoke, which the caller must treat as a failure).
"""

from __future__ import annotations

from typing import Any

from nbformat.v4 import new_output

ANSWER_MIME = "application/vnd.d2lkit.answer+json"
# Per execution: outputs kept (the byte cap is Limits.max_output_kb), bytes of answers kept.
MAX_OUTPUTS = 2000
MAX_ANSWER_BYTES = 4 * 1024 * 1024
# Per message, enforced by ZeroMQ before the message reaches Python (the peer is disconnected),
# and the number of messages ZeroMQ queues for the grader: together they bound what a kernel
# can make the grader hold while it is busy judging (about 320 MiB at worst). Past the queue,
# ZeroMQ drops what a flooding kernel publishes; the grader still sees the request's end.
MAX_MESSAGE_BYTES = MAX_ANSWER_BYTES + 1024 * 1024
MAX_QUEUED_MESSAGES = 64
OUTPUT_KINDS = ("stream", "display_data", "execute_result", "error")


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _mime_bundle_ok(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    for key, value in data.items():
        if not isinstance(key, str):
            return False
        # nbformat: JSON types may hold any JSON; every other type is text (or lines of text).
        if not (key.endswith("json") or isinstance(value, str) or _is_str_list(value)):
            return False
    return True


def well_formed(kind: str, content: dict) -> bool:
    """Whether an output message has the fields nbformat needs, of the right types."""
    if kind == "stream":
        return content.get("name") in ("stdout", "stderr") and isinstance(content.get("text"), str)
    if kind == "error":
        return (
            isinstance(content.get("ename"), str)
            and isinstance(content.get("evalue"), str)
            and _is_str_list(content.get("traceback", []))
        )
    if not _mime_bundle_ok(content.get("data")):
        return False
    if not isinstance(content.get("metadata", {}), dict):
        return False
    count = content.get("execution_count")
    return kind != "execute_result" or count is None or type(count) is int


class OutputCollector:
    """Turns one execution's iopub messages into outputs and answers, within caps."""

    def __init__(self, limit: int, nonce: str | None = None):
        self.limit, self.size, self.cut = limit, 0, False
        self.nonce = nonce
        self.outputs: list = []
        self.error = ""
        self.malformed = ""  # what was wrong with the first malformed message
        self.answers: list[str] = []
        self.answer_bytes = 0
        self.answer_problem = ""  # set when answers were dropped: the reply cannot be trusted

    def add(self, kind: Any, content: Any) -> None:
        """Take one message of this execution (its type and content, as received)."""
        if not isinstance(kind, str) or not isinstance(content, dict):
            self.reject("a message without a type or content")
            return
        data = content.get("data")
        if kind == "display_data" and isinstance(data, dict) and ANSWER_MIME in data:
            self._answer(data[ANSWER_MIME])
            return
        if kind not in OUTPUT_KINDS:
            return  # status, clear_output, comms...: nothing is kept
        if not well_formed(kind, content):
            self.reject(f"a malformed {kind} message")
            return
        if kind == "error":
            self.error = f"{content['ename']}: {content['evalue']}"[:2000]
        size = len(str(content))
        if self.cut or self.size + size > self.limit or len(self.outputs) >= MAX_OUTPUTS:
            if not self.cut:
                self.cut = True
                note = (
                    f"\n[output cut: more than {self.limit // 1024} KiB or {MAX_OUTPUTS} outputs]\n"
                )
                self.outputs.append(new_output("stream", name="stdout", text=note))
            return
        try:
            output = _output(kind, content)
        except Exception:  # nbformat refused it: a shape this check did not foresee
            self.reject(f"a malformed {kind} message")
            return
        self.size += size
        self.outputs.append(output)

    def reject(self, what: str) -> None:
        """Note a message that could not be used; the execution counts as failed."""
        if not self.malformed:
            self.malformed = f"the kernel sent {what}, which was dropped"

    def _answer(self, value: Any) -> None:
        if not (
            isinstance(value, dict)
            and isinstance(value.get("nonce"), str)
            and isinstance(value.get("reply"), str)
        ):
            return  # not the grader's helper speaking: ignored
        if self.nonce is None or value["nonce"] != self.nonce:
            return  # a stale or guessed answer, for no request of this execution
        if self.answers and not self.answer_problem:
            self.answer_problem = "more than one reply came for one request"
        size = len(value["reply"])
        if self.answer_bytes + size > MAX_ANSWER_BYTES:
            self.answer_problem = self.answer_problem or (
                f"the reply was larger than {MAX_ANSWER_BYTES // (1024 * 1024)} MiB"
            )
            return
        if len(self.answers) < 2:
            self.answer_bytes += size
            self.answers.append(value["reply"])


def _output(kind: str, content: dict):
    if kind == "stream":
        return new_output("stream", name=content["name"], text=content["text"])
    if kind == "error":
        return new_output(
            "error",
            ename=content["ename"],
            evalue=content["evalue"],
            traceback=content.get("traceback", []),
        )
    output = new_output(kind, data=content["data"], metadata=content.get("metadata") or {})
    if kind == "execute_result":
        output.execution_count = content.get("execution_count")
    return output
