"""Comparisons that hidden graders make, with messages a student can act on.

Every failed check raises `CheckFailed` with one or two sentences: what was expected, what was
got (value, shape or dtype), and, when the wrong answer matches a known mistake computed on the
same inputs, the mistake's name. Tolerances come from course.toml through `Expect`.

There is one reading of "a number" (`as_number`) and one test of closeness (`Expect.close`)
for every grader: an honest answer passes whatever numeric type it comes in (a Python number,
a numpy scalar or 0-d array, a one-element tensor of any float or integer dtype), while forged
subclasses, which arrive as `StudentObject`, never do.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from autograder.config import Tolerance
from autograder.wire.plain import StudentArray, StudentObject, StudentTensor

FLOAT_DTYPES = ("torch.float16", "torch.bfloat16", "torch.float32", "torch.float64")
INT_DTYPES = ("torch.uint8", "torch.int8", "torch.int16", "torch.int32", "torch.int64")
# Tensors whose values are compared: floats, and integers (a count, a lambda like 3).
NUMBER_DTYPES = FLOAT_DTYPES + INT_DTYPES


class CheckFailed(AssertionError):
    """A hidden check did not pass; its message is shown to the student as it is."""


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer: `value` is what that mistake gives on the same inputs."""

    name: str
    value: Any


def describe(value: Any) -> str:
    """A short, student-readable account of a value."""
    if isinstance(value, StudentTensor | StudentArray | StudentObject):
        return value.describe()
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)}"
    if value is None:
        return "None"
    if isinstance(value, bool):
        return f"the bool {value}"
    if isinstance(value, int | float):
        return f"the number {value:.6g}"
    if isinstance(value, list | tuple | dict):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"a {type(value).__name__}"


def show(tensor: torch.Tensor, limit: int = 4) -> str:
    """The first few numbers of a tensor, for messages."""
    flat = tensor.detach().reshape(-1).to(torch.float64)
    head = ", ".join(f"{v:.5g}" for v in flat[:limit].tolist())
    more = ", ..." if flat.numel() > limit else ""
    return f"[{head}{more}]" if tensor.dim() > 0 else f"{flat.item():.6g}"


def _as_float64(value: Any) -> torch.Tensor | None:
    if isinstance(value, StudentTensor | StudentArray):
        return None if value.values is None else value.values.to(torch.float64)
    if isinstance(value, torch.Tensor):
        return value.detach().to(torch.float64)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return torch.tensor(float(value), dtype=torch.float64)
    return None


def as_number(got: Any, what: str) -> float:
    """`got` as a float, when it is one real number: a Python int or float, a numpy scalar or
    one-element array, or a one-element tensor of a float or integer dtype (booleans are not
    numbers here). Anything else fails, with a message saying what it is."""
    value = None
    if isinstance(got, int | float) and not isinstance(got, bool):
        value = float(got)
    elif isinstance(got, StudentTensor):
        if got.values is not None and got.values.numel() == 1 and got.dtype in NUMBER_DTYPES:
            value = float(got.values.reshape(-1)[0])
    elif isinstance(got, StudentArray) and got.values.numel() == 1 and got.dtype != "bool":
        value = float(got.values.reshape(-1)[0])
    if value is None:
        kind = "a single number" if isinstance(got, StudentTensor | StudentArray) else "a number"
        raise CheckFailed(f"{what} should be {kind}, but it is {describe(got)}.")
    return value


def as_truth(got: Any, what: str) -> bool:
    """`got` as a bool, when it is one truth value: a Python bool, a numpy bool scalar or
    one-element array, or a one-element torch.bool tensor. Anything else fails."""
    if isinstance(got, bool):
        return got
    if isinstance(got, StudentArray) and got.dtype == "bool" and got.values.numel() == 1:
        return bool(got.values.reshape(-1)[0])
    if (
        isinstance(got, StudentTensor)
        and got.dtype == "torch.bool"
        and got.values is not None
        and got.values.numel() == 1
    ):
        return bool(got.values.reshape(-1)[0])
    raise CheckFailed(f"{what} should be True or False, not {describe(got)}.")


class Expect:
    """Checks bound to the course's tolerances (one instance per grading run)."""

    def __init__(self, tolerance: Tolerance):
        self.tolerance = tolerance

    def close(
        self,
        got: Any,
        expected: Any,
        trained: bool = False,
        *,
        rtol: float | None = None,
        atol: float | None = None,
    ) -> bool:
        """Whether two values (tensors, student tensors or arrays, numbers) have the same shape
        and agree within the course's tolerances (`trained`: those for training results).

        `rtol` / `atol` replace the course's value for this one comparison; they are only for a
        tolerance that an exercise states as part of its contract ("within 1 %", "relatively"),
        given by the grader as a named constant that cites it."""
        got_t, expected_t = _as_float64(got), _as_float64(expected)
        if got_t is None or expected_t is None:
            return False
        return self._close(got_t, expected_t, trained, rtol=rtol, atol=atol)

    def _close(
        self,
        got: torch.Tensor,
        expected: torch.Tensor,
        trained: bool,
        *,
        rtol: float | None = None,
        atol: float | None = None,
    ) -> bool:
        if rtol is None:
            rtol = self.tolerance.train_rtol if trained else self.tolerance.rtol
        if atol is None:
            atol = self.tolerance.train_atol if trained else self.tolerance.atol
        if got.shape != expected.shape:
            return False
        return bool(torch.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=False).all())

    def _matching_mistake(self, got: torch.Tensor, mistakes: Sequence[Mistake], trained: bool):
        for mistake in mistakes:
            candidate = _as_float64(mistake.value)
            if candidate is not None and self._close(got, candidate, trained):
                return mistake
        return None

    def tensor(
        self,
        got: Any,
        expected: torch.Tensor,
        *,
        what: str,
        mistakes: Sequence[Mistake] = (),
        trained: bool = False,
    ) -> torch.Tensor:
        """`got` must be a CPU torch.Tensor (any float or integer dtype) of `expected`'s shape
        and values. Returns the student's values as float64 for further checks."""
        expected = expected.detach().to(torch.float64)
        if not isinstance(got, StudentTensor):
            raise CheckFailed(
                f"{what} should return a torch.Tensor, but it returned {describe(got)}."
            )
        if got.type_name not in ("torch.Tensor", "torch.nn.parameter.Parameter"):
            raise CheckFailed(
                f"{what} should return a plain torch.Tensor, but it returned a {got.type_name}."
            )
        if got.device != "cpu" or got.values is None:
            raise CheckFailed(
                f"{what} returned a tensor on device {got.device!r}; return it on the CPU."
            )
        if got.dtype not in NUMBER_DTYPES:
            raise CheckFailed(
                f"{what} returned a tensor of dtype {got.dtype}; expected floating point "
                "(float32 or float64)."
            )
        values = got.values.to(torch.float64)
        if tuple(values.shape) != tuple(expected.shape):
            mistake = self._matching_mistake(values, mistakes, trained)
            hint = f" This looks like {mistake.name}." if mistake else ""
            raise CheckFailed(
                f"{what} has shape {tuple(values.shape)}, expected {tuple(expected.shape)}.{hint}"
            )
        bad = ~torch.isfinite(values) & torch.isfinite(expected)
        if bool(bad.any()):
            kind = "NaN" if bool(torch.isnan(values[bad]).any()) else "infinite values"
            raise CheckFailed(f"{what} contains {kind} where a finite number was expected.")
        if not self._close(values, expected, trained):
            mistake = self._matching_mistake(values, mistakes, trained)
            diff = (values - expected).abs()
            where = int(torch.nan_to_num(diff, nan=math.inf).reshape(-1).argmax())
            got_v = values.reshape(-1)[where].item()
            exp_v = expected.reshape(-1)[where].item()
            if mistake:
                raise CheckFailed(
                    f"{what} gave {show(values)}, expected {show(expected)}. "
                    f"This looks like {mistake.name}."
                )
            raise CheckFailed(
                f"{what} gave {show(values)}, expected {show(expected)} "
                f"(largest difference at element {where}: got {got_v:.6g}, expected {exp_v:.6g})."
            )
        return values

    def number(
        self,
        got: Any,
        expected: float,
        *,
        what: str,
        mistakes: Sequence[Mistake] = (),
        trained: bool = False,
    ) -> float:
        """`got` must be a real number (see `as_number`) close to `expected`."""
        value = as_number(got, what)
        if math.isnan(value) or (math.isinf(value) and math.isfinite(expected)):
            raise CheckFailed(f"{what} is {value}, expected {expected:.6g}.")
        got_t = torch.tensor(value, dtype=torch.float64)
        if not self._close(got_t, torch.tensor(float(expected), dtype=torch.float64), trained):
            mistake = self._matching_mistake(got_t, mistakes, trained)
            hint = f" This looks like {mistake.name}." if mistake else ""
            raise CheckFailed(f"{what} is {value:.6g}, expected {expected:.6g}.{hint}")
        return value

    def unchanged(self, before: torch.Tensor, after: Any, *, name: str, what: str) -> None:
        """`after`, an argument read back after the call (`Student.call(..., return_args=True)`),
        must be as the grader sent it: same values and shape, same requires_grad, no .grad.
        The grader compares; the student's kernel only reported what it holds."""
        if not isinstance(after, StudentTensor) or after.values is None:
            raise CheckFailed(f"{what} replaced its argument {name} by {describe(after)}.")
        wanted_grad = before.requires_grad
        before = before.detach()
        same = tuple(after.values.shape) == tuple(before.shape)
        if not (same and torch.equal(after.values.to(torch.float64), before.double())):
            now = show(after.values)
            raise CheckFailed(
                f"{what} changed its argument {name} in place (it was {show(before)}, then "
                f"{now}); compute a new tensor and leave the caller's {name} as it was."
            )
        if after.requires_grad != wanted_grad:
            switched = "on" if after.requires_grad else "off"
            raise CheckFailed(
                f"{what} switched requires_grad {switched} on the caller's {name}; work on a "
                f"copy (e.g. {name}.detach().clone()) and leave the caller's tensor as it was."
            )
        if after.grad is not None:
            raise CheckFailed(
                f"{what} left a .grad on the caller's {name}, which had none (backward() on "
                f"the caller's tensor); use torch.autograd.grad or a copy of {name}."
            )

    @staticmethod
    def that(condition: bool, message: str) -> None:
        """A plain yes/no check with the student-facing message to show when it fails."""
        if not condition:
            raise CheckFailed(message)
