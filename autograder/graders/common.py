"""Helpers shared by the hidden graders (not a grader: the runner collects one notebook's file).

The rule they serve: a check that is not about the value (side effects, purity, types) counts
only for a right value, so each such check first checks the value it accompanies.
"""

from autograder.judging.checks import CheckFailed, Mistake


def checked(check, got, expected, *, what, mistakes, **kwargs):
    """Run `check` (expect.tensor or expect.number); if it fails, run it again with the known
    mistakes, computed only now, so the message can name the one the answer matches.
    `mistakes` is a callable returning (name, value) pairs."""
    try:
        return check(got, expected, what=what, **kwargs)
    except CheckFailed:
        check(got, expected, what=what, mistakes=[Mistake(n, v) for n, v in mistakes()], **kwargs)
        raise


def prefixed(prefix: str, check, *args, **kwargs):
    """Run a check; if it fails, say first what the failure is a condition of."""
    try:
        return check(*args, **kwargs)
    except CheckFailed as exc:
        raise CheckFailed(f"{prefix} {exc}") from None
