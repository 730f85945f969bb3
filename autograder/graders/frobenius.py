"""Hidden checks for frobenius.ipynb (D2L 3.7, exercise 4)."""

import pytest
import torch

from autograder.judging.checks import CheckFailed, Mistake
from autograder.reference import frobenius as ref
from autograder.wire.plain import StudentTensor

cell = pytest.mark.cell


def _matrix(gen, rows, cols):
    return torch.randn(rows, cols, generator=gen)


def _sizes(gen):
    """Two different sizes between 2 and 6."""
    m = int(torch.randint(2, 6, (1,), generator=gen))
    return m, m + 1 + int(torch.randint(0, 2, (1,), generator=gen))


def _named_shape_error(ask, X, where=""):
    """Run `ask()`; a shape error on a non-square X is the trace(X @ X) mistake: say so."""
    try:
        return ask()
    except CheckFailed as exc:
        text = str(exc)
        if X.shape[0] != X.shape[1] and "RuntimeError" in text and "shape" in text.lower():
            raise CheckFailed(
                f"{text} X @ X needs a square X; this looks like {ref.TRACE_X_X}{where}."
            ) from None
        raise


def _frobenius_call(student, X, what):
    return _named_shape_error(lambda: student.call("frobenius_sq", X, what=what), X)


def _grad_ask(student, W, ask):
    # The gradient is usually taken through the student's own frobenius_sq.
    return _named_shape_error(ask, W, " (in frobenius_sq)")


@cell("frobenius_sq")
def test_square_matrix(student, expect, gen):
    """frobenius_sq(X) is ||X||_F^2 for a square X"""
    m, _ = _sizes(gen)
    X = _matrix(gen, m, m)
    expect.number(
        _frobenius_call(student, X, f"frobenius_sq(X) for a {m} x {m} X"),
        float(ref.frobenius_sq(X)),
        what=f"frobenius_sq(X) for a {m} x {m} X",
        mistakes=ref.frobenius_sq_mistakes(X),
    )


@cell("frobenius_sq")
def test_non_square_matrices(student, expect, gen):
    """frobenius_sq works for non-square m x n matrices, tall and wide"""
    m, n = _sizes(gen)
    for X in (_matrix(gen, n, m), _matrix(gen, m, n)):
        what = f"frobenius_sq(X) for a {X.shape[0]} x {X.shape[1]} X"
        expect.number(
            _frobenius_call(student, X, what),
            float(ref.frobenius_sq(X)),
            what=what,
            mistakes=ref.frobenius_sq_mistakes(X),
        )


@cell("frobenius_sq")
def test_scalar_tensor_float64(student, expect, gen):
    """frobenius_sq returns a 0-d tensor, also for a float64 X"""
    m, n = _sizes(gen)
    X = _matrix(gen, n, m).double()
    what = f"frobenius_sq(X) for a float64 {n} x {m} X"
    expect.tensor(
        _frobenius_call(student, X, what),
        ref.frobenius_sq(X),
        what=what,
        mistakes=ref.frobenius_sq_mistakes(X),
    )


@cell("frobenius_sq")
def test_input_unchanged(student, expect, gen):
    """frobenius_sq gives the right value and leaves X unchanged"""
    m, n = _sizes(gen)
    X = _matrix(gen, m, n)
    what = f"frobenius_sq(X) for a {m} x {n} X"
    try:
        got, (after,) = student.call("frobenius_sq", X, what=what, return_args=True)
    except CheckFailed:
        raise CheckFailed(f"{what} failed, so it could not be checked for side effects.") from None
    # Leaving X alone is only worth a point in an answer that is otherwise right.
    expect.number(got, float(ref.frobenius_sq(X)), what=what, mistakes=ref.frobenius_sq_mistakes(X))
    expect.that(
        isinstance(after, StudentTensor) and torch.equal(after.values.float(), X),
        f"{what} changed X in place; compute the result without modifying X.",
    )


@cell("matrix_l2_penalty_grad")
def test_gradient_is_w(student, expect, gen):
    """the gradient of 0.5 * ||W||_F^2 with respect to W is W"""
    m, n = _sizes(gen)
    W = _matrix(gen, m, n)
    what = f"matrix_l2_penalty_grad(W) for a {m} x {n} W"
    expect.tensor(
        _grad_ask(student, W, lambda: student.call("matrix_l2_penalty_grad", W, what=what)),
        ref.penalty_grad(W),
        what=what,
        mistakes=ref.penalty_grad_mistakes(W),
    )


TWICE_PROBE = """
import torch
W = W_in.clone()
first = matrix_l2_penalty_grad(W)
if isinstance(first, torch.Tensor):
    first = first.detach().clone()  # a W.grad returned as is would change with the next call
second = matrix_l2_penalty_grad(W)
if isinstance(second, torch.Tensor):
    second = second.detach()
result = {"first": first, "second": second}
"""


@cell("matrix_l2_penalty_grad")
def test_same_answer_twice(student, expect, gen):
    """a second call on the same W gives the same gradient (nothing accumulates)"""
    m, n = _sizes(gen)
    W = _matrix(gen, n, m)
    what = "matrix_l2_penalty_grad(W), called a second time on the same W,"
    got = _grad_ask(
        student,
        W,
        lambda: student.run(TWICE_PROBE, what="matrix_l2_penalty_grad(W) called twice", W_in=W),
    )
    first = got.get("first") if isinstance(got, dict) else None
    first_right = (
        isinstance(first, StudentTensor)
        and first.values is not None
        and first.shape == W.shape
        and bool(torch.allclose(first.values.float(), W, rtol=1e-4, atol=1e-6))
    )
    mistakes = [Mistake(ref.ACCUMULATED, 2 * W)] if first_right else []
    expect.tensor(
        got.get("second") if isinstance(got, dict) else got, W, what=what, mistakes=mistakes
    )


UNCHANGED_PROBE = """
import torch
W = W_in.clone()
matrix_l2_penalty_grad(W)
result = {"values": W.detach().clone(), "requires_grad": W.requires_grad,
          "has_grad": W.grad is not None}
"""


@cell("matrix_l2_penalty_grad")
def test_w_unchanged(student, expect, gen):
    """the W passed in is left as it was: same values, no requires_grad, no .grad"""
    m, n = _sizes(gen)
    W = _matrix(gen, m, n)
    got = _grad_ask(
        student, W, lambda: student.run(UNCHANGED_PROBE, what="matrix_l2_penalty_grad(W)", W_in=W)
    )
    expect.that(
        isinstance(got, dict) and torch.equal(got["values"].values.float(), W),
        "matrix_l2_penalty_grad(W) changed the values of W in place; leave W as it was.",
    )
    expect.that(
        not got["requires_grad"] and not got["has_grad"],
        "matrix_l2_penalty_grad(W) switched on requires_grad of the caller's W or left a .grad "
        "on it; differentiate a copy instead, e.g. W.detach().clone().requires_grad_(True).",
    )


LEAF_PROBE = """
import torch
W = W_in.clone().requires_grad_(True)
result = matrix_l2_penalty_grad(W)
if isinstance(result, torch.Tensor):
    result = result.detach()
"""


@cell("matrix_l2_penalty_grad")
def test_w_requiring_grad(student, expect, gen):
    """it also works for a W that already requires grad (a model's weight)"""
    m, n = _sizes(gen)
    W = _matrix(gen, m, n)
    what = "matrix_l2_penalty_grad(W) for a W with requires_grad=True"
    expect.tensor(
        _grad_ask(student, W, lambda: student.run(LEAF_PROBE, what=what, W_in=W)),
        ref.penalty_grad(W),
        what=what,
        mistakes=ref.penalty_grad_mistakes(W),
    )
