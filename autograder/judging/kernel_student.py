"""`KernelStudent`: the `Student` the hidden graders question when grading for real.

Each question is a short request sent to the student's confined kernel
(autograder.sandbox.kernel), answered there by autograder.wire.kernel_side and read back here
as plain JSON.

One request, one reply: every request carries a fresh random nonce, only a reply with that
nonce counts, and a second reply to the same request fails the check (a thread of the
student's that publishes answers of its own cannot speak for the grader's helper). Nothing
after the request's end is read for it.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from autograder.judging.checks import CheckFailed
from autograder.judging.student import Student
from autograder.sandbox.kernel import ANSWER_MIME, StudentKernel
from autograder.wire import kernel_side

_HELPERS = Path(kernel_side.__file__).read_text()


class KernelStudent(Student):
    """Questions a student's code through its (confined) kernel."""

    def __init__(self, kernel: StudentKernel, budget: float):
        self.kernel = kernel
        # All questions about one graded cell share one time budget, so an endless loop in an
        # answer costs that cell's checks once, not once per check.
        self.budget = budget
        self.deadline = time.monotonic() + budget
        self.lost = False  # set when a question killed or hung the kernel

    def _exchange(self, request_text: str, what: str) -> str:
        # The helpers are sent with every question and live in a throwaway namespace, so a
        # student's code can neither depend on them nor have removed them.
        nonce = secrets.token_hex(16)
        code = (
            "def _d2lkit_answer():\n"
            "    helpers = {}\n"
            f"    exec(compile({_HELPERS!r}, '<grading helpers>', 'exec'), helpers)\n"
            "    from IPython.display import publish_display_data\n"
            "    reply = helpers['handle'](get_ipython().user_ns, " + repr(request_text) + ")\n"
            f"    answer = {{'nonce': {nonce!r}, 'reply': reply}}\n"
            f"    publish_display_data({{{ANSWER_MIME!r}: answer}})\n"
            "try:\n"
            "    _d2lkit_answer()\n"
            "finally:\n"
            "    del _d2lkit_answer\n"
        )
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise CheckFailed(
                f"{what} was not run: the {self.budget:g} s time limit for this cell's checks "
                "was used up."
            )
        run = self.kernel.execute(code, timeout=remaining, nonce=nonce)
        if run.status == "died":
            self.lost = True
            raise CheckFailed(f"while running {what}, {run.error}.")
        if run.status == "timeout":
            self.lost = not self.kernel.alive
            raise CheckFailed(f"{what} was stopped: {run.error}.")
        if run.answer_problem or len(run.answers) > 1:
            raise CheckFailed(
                f"the answer of {what} cannot be trusted: "
                f"{run.answer_problem or 'more than one reply came for one request'}."
            )
        if not run.answers:
            raise CheckFailed(f"{what} gave no answer ({run.error or 'nothing came back'}).")
        return run.answers[0]
