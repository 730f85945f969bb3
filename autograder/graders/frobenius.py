"""Hidden checks for frobenius.ipynb (D2L 3.7, exercise 4)."""

import pytest
import torch

from autograder.judging.checks import CheckFailed, Mistake
from autograder.reference import frobenius as ref

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
def test_rows_and_columns(student, expect, gen):
    """frobenius_sq works for a single row (1 x n) and a single column (m x 1)"""
    m, n = _sizes(gen)
    for X in (_matrix(gen, 1, n), _matrix(gen, m, 1)):
        what = f"frobenius_sq(X) for a {X.shape[0]} x {X.shape[1]} X"
        expect.number(
            _frobenius_call(student, X, what),
            float(ref.frobenius_sq(X)),
            what=what,
            mistakes=ref.frobenius_sq_mistakes(X),
        )


@cell("frobenius_sq")
def test_input_unchanged(student, expect, gen):
    """frobenius_sq gives the right value and leaves X unchanged"""
    m, n = _sizes(gen)
    X = _matrix(gen, m, n)
    what = f"frobenius_sq(X) for a {m} x {n} X"
    got, (after,) = _named_shape_error(
        lambda: student.call("frobenius_sq", X, what=what, return_args=True), X
    )
    # Leaving X alone is only worth a point in an answer that is otherwise right.
    expect.number(got, float(ref.frobenius_sq(X)), what=what, mistakes=ref.frobenius_sq_mistakes(X))
    expect.unchanged(X, after, name="X", what=what)


def _gradient(student, expect, W, what):
    """The student's gradient for W, checked against W; returns W as the call left it.
    Returning W itself (or a view of it) is no gradient: it fails here too."""
    got, (after,) = _grad_ask(
        student,
        W,
        lambda: student.call("matrix_l2_penalty_grad", W, what=what, return_args=True),
    )
    expect.tensor(got, ref.penalty_grad(W), what=what, mistakes=ref.penalty_grad_mistakes(W))
    expect.that(
        not after.shares_result,
        f"{what} returned W itself (or a view of it) instead of a gradient: compute it by "
        "autograd on a copy of W, e.g. W.detach().clone().requires_grad_(True).",
    )
    return after


@cell("matrix_l2_penalty_grad")
def test_gradient_is_w(student, expect, gen):
    """the gradient of 0.5 * ||W||_F^2 with respect to W is W"""
    m, n = _sizes(gen)
    _gradient(student, expect, _matrix(gen, m, n), f"matrix_l2_penalty_grad(W) for a {m} x {n} W")


@cell("matrix_l2_penalty_grad")
def test_square_row_and_column(student, expect, gen):
    """the gradient is right for a square W, a row (1 x n) and a column (m x 1)"""
    m, n = _sizes(gen)
    for rows, cols in ((m, m), (1, n), (m, 1)):
        what = f"matrix_l2_penalty_grad(W) for a {rows} x {cols} W"
        _gradient(student, expect, _matrix(gen, rows, cols), what)


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
    _gradient(student, expect, W, f"matrix_l2_penalty_grad(W) for a {n} x {m} W")
    what = "matrix_l2_penalty_grad(W), called a second time on the same W,"
    got = _grad_ask(
        student,
        W,
        lambda: student.run(TWICE_PROBE, what="matrix_l2_penalty_grad(W) called twice", W_in=W),
    )
    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be inspected.")
    mistakes = [Mistake(ref.ACCUMULATED, 2 * W)] if expect.close(got["first"], W) else []
    expect.tensor(got["second"], W, what=what, mistakes=mistakes)


@cell("matrix_l2_penalty_grad")
def test_w_unchanged(student, expect, gen):
    """the gradient is right and W is left as it was: same values, no requires_grad, no .grad"""
    m, n = _sizes(gen)
    W = _matrix(gen, m, n)
    after = _gradient(student, expect, W, f"matrix_l2_penalty_grad(W) for a {m} x {n} W")
    expect.unchanged(W, after, name="W", what="matrix_l2_penalty_grad(W)")


@cell("matrix_l2_penalty_grad")
def test_w_requiring_grad(student, expect, gen):
    """for a W that requires grad the gradient is right; W keeps requires_grad, gets no .grad"""
    m, n = _sizes(gen)
    W = _matrix(gen, m, n).requires_grad_(True)
    what = "matrix_l2_penalty_grad(W) for a W with requires_grad=True"
    after = _gradient(student, expect, W, what)
    expect.unchanged(W, after, name="W", what=what)
