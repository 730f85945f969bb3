"""The grader's view of a student's code: ask it questions, get plain answers back.

`Student.call` calls a function the student defined; `Student.run` runs a short probe where the
student's names are in scope and returns the probe's `result`. Either way the answer crosses a
JSON boundary (kernel_side -> wire), so a grader only ever holds plain data. `LocalStudent`
answers from a namespace in this process (instructor checks and fast grader tests);
`autograder.judging.kernel_student.KernelStudent` answers from a sandboxed student kernel.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any

from autograder.judging.checks import CheckFailed
from autograder.wire import kernel_side
from autograder.wire.plain import WireError, from_plain, read_envelope


class Student(ABC):
    """Answers grading requests; subclasses decide where the student's code runs."""

    def call(
        self, name: str, /, *args: Any, what: str | None = None, return_args: bool = False, **kwargs
    ) -> Any:
        """Call the student's `name(*args, **kwargs)`. With `return_args`, also return the
        arguments as they were after the call, tensors with their requires_grad, .grad and
        whether the result shares their memory, so that the grader can judge side effects
        (see `Expect.unchanged`)."""
        what = what or f"{name}(...)"
        request = {
            "op": "call",
            "name": name,
            "args": kernel_side.encode(list(args)),
            "kwargs": kernel_side.encode(dict(kwargs)),
            "return_args": return_args,
        }
        envelope = self._answer(request, what)
        result = self._decode(envelope.get("result"), what)
        if return_args:
            return result, self._decode(envelope.get("args_after"), what)
        return result

    def run(self, code: str, /, *, what: str, **inputs: Any) -> Any:
        """Run `code` with the student's names and `inputs` in scope; return its `result`."""
        request = {"op": "run", "code": code, "inputs": kernel_side.encode(dict(inputs))}
        return self._decode(self._answer(request, what).get("result"), what)

    def _answer(self, request: dict[str, Any], what: str) -> dict[str, Any]:
        try:
            envelope = read_envelope(self._exchange(json.dumps(request), what))
        except WireError as exc:
            raise CheckFailed(f"the answer of {what} could not be read: {exc}.") from None
        status = envelope["status"]
        if status == "ok":
            return envelope
        if status == "missing":
            raise CheckFailed(
                f"`{envelope.get('name')}` is not defined. Run the cell that defines it and keep "
                "the name given in the exercise."
            )
        if status == "raised":
            kind = str(envelope.get("type", "an exception"))
            message = str(envelope.get("message", ""))[:500]
            if kind == "SystemExit":
                raise CheckFailed(f"{what} tried to exit the kernel (SystemExit {message}).")
            raise CheckFailed(f"{what} raised {kind}: {message}")
        raise CheckFailed(
            f"the answer of {what} could not be read: {str(envelope.get('message'))[:300]}"
        )

    @staticmethod
    def _decode(data: Any, what: str) -> Any:
        try:
            return from_plain(data)
        except WireError as exc:
            raise CheckFailed(f"the answer of {what} could not be read: {exc}.") from None

    @abstractmethod
    def _exchange(self, request_text: str, what: str) -> str:
        """Deliver one request to the student's code and return the reply envelope text."""


class LocalStudent(Student):
    """A student whose code lives in `namespace` in this very process."""

    def __init__(self, namespace: dict[str, Any]):
        self.namespace = namespace

    def _exchange(self, request_text: str, what: str) -> str:
        return kernel_side.handle(self.namespace, request_text)
