"""Hidden checks for kfold.ipynb (D2L 3.6, exercise 5).

Every input is drawn from the check's `gen`. The data have a bias of 2 to 5 in size, so a fit
through the origin is far off, and noise of 0.3 to 1, so the held-out errors are well away from
zero and relative tolerances mean something. The sizes are chosen so that each mistake the
check is about changes the value: uneven folds where torch.chunk cuts differently from
torch.tensor_split, and several folds so that training on all rows shows. The check that the
inputs are left alone first checks the value of the same call, so it counts only for a right
answer.
"""

import pytest
import torch

from autograder.reference import kfold as ref

cell = pytest.mark.cell


def _int(gen, low, high):
    """An integer in [low, high]."""
    return int(torch.randint(low, high + 1, (1,), generator=gen))


def draw_data(gen, n, d, dtype=torch.float32):
    """Linear data with a clear bias and Gaussian noise: X (n, d), y (n, 1)."""
    X = torch.randn(n, d, generator=gen, dtype=torch.float64)
    w = torch.randn(d, 1, generator=gen, dtype=torch.float64)
    sign = 1.0 if float(torch.rand((), generator=gen)) < 0.5 else -1.0
    b = sign * (2 + 3 * float(torch.rand((), generator=gen)))
    noise = 0.3 + 0.7 * float(torch.rand((), generator=gen))
    y = X @ w + b + noise * torch.randn(n, 1, generator=gen, dtype=torch.float64)
    return X.to(dtype), y.to(dtype)


def _features(d):
    return "1 feature" if d == 1 else f"{d} features"


def check_value(student, expect, X, y, k, what):
    """The student's kfold_error(X, y, k) against the reference; returns the args after the
    call, as the student's kernel holds them."""
    got, args = student.call("kfold_error", X, y, k, what=what, return_args=True)
    expect.number(
        got, ref.kfold_error(X, y, k), what=what, mistakes=ref.kfold_error_mistakes(X, y, k)
    )
    return args


def uneven(gen, k):
    """A row count that k does not divide and where torch.chunk gives other fold sizes than
    torch.tensor_split (the remainder is neither 0 nor k - 1), with 3 to 5 rows per fold."""
    rest = _int(gen, 1, k - 2)
    return k * _int(gen, 3, 5) + rest


@cell("kfold_error")
def test_even_folds(student, expect, gen):
    """kfold_error is right when k divides the number of rows"""
    k, d = _int(gen, 3, 6), _int(gen, 1, 3)
    n = k * _int(gen, 4, 7)
    X, y = draw_data(gen, n, d)
    check_value(student, expect, X, y, k, f"kfold_error(X, y, {k}) for {n} rows, {_features(d)}")


@cell("kfold_error")
def test_uneven_folds(student, expect, gen):
    """with uneven folds, the sizes are those of torch.tensor_split and each fold counts once"""
    k, d = _int(gen, 4, 6), _int(gen, 1, 3)
    n = uneven(gen, k)
    X, y = draw_data(gen, n, d)
    sizes = [len(f) for f in ref.contiguous_folds(n, k)]
    what = f"kfold_error(X, y, {k}) for {n} rows (folds of sizes {sizes}), {_features(d)}"
    check_value(student, expect, X, y, k, what)


@cell("kfold_error")
def test_two_folds_odd_rows(student, expect, gen):
    """k = 2 on an odd number of rows: the first fold is the larger one"""
    d = _int(gen, 1, 2)
    n = 2 * _int(gen, 4, 7) + 1
    X, y = draw_data(gen, n, d)
    check_value(student, expect, X, y, 2, f"kfold_error(X, y, 2) for {n} rows, {_features(d)}")


@cell("kfold_error")
def test_leave_one_out(student, expect, gen):
    """k = n: leave-one-out, every fold a single row"""
    n, d = _int(gen, 8, 12), _int(gen, 1, 2)
    X, y = draw_data(gen, n, d)
    check_value(student, expect, X, y, n, f"kfold_error(X, y, {n}) for {n} rows, {_features(d)}")


@cell("kfold_error")
def test_label_vector(student, expect, gen):
    """labels of shape (n,) give the same error as labels of shape (n, 1)"""
    k, d = _int(gen, 3, 5), _int(gen, 1, 3)
    n = k * _int(gen, 4, 6)
    X, y = draw_data(gen, n, d)
    what = f"kfold_error(X, y, {k}) for {n} rows with y of shape ({n},)"
    check_value(student, expect, X, y.reshape(-1), k, what)


@cell("kfold_error")
def test_float64_and_more_features(student, expect, gen):
    """float64 inputs and many features: the training parts barely outnumber the parameters"""
    k = _int(gen, 3, 4)
    n = uneven(gen, k) if k > 3 else 3 * _int(gen, 4, 5)
    train_rows = n - (n + k - 1) // k  # the smallest training part: all but the largest fold
    d = train_rows - 1 - _int(gen, 2, 3)
    X, y = draw_data(gen, n, d, dtype=torch.float64)
    what = f"kfold_error(X, y, {k}) for float64 data, {n} rows, {_features(d)}"
    check_value(student, expect, X, y, k, what)


@cell("kfold_error")
def test_inputs_unchanged(student, expect, gen):
    """kfold_error gives the right value and leaves X and y as they were"""
    k, d = _int(gen, 3, 5), _int(gen, 1, 3)
    n = k * _int(gen, 4, 6)
    X, y = draw_data(gen, n, d)
    what = f"kfold_error(X, y, {k}) for {n} rows, {_features(d)}"
    X_after, y_after, _ = check_value(student, expect, X, y, k, what)
    expect.unchanged(X, X_after, name="X", what=what)
    expect.unchanged(y, y_after, name="y", what=what)
