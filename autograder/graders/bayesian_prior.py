"""Hidden checks for bayesian_prior.ipynb (D2L 3.7, exercise 6).

Every input is drawn from the check's `gen`. The penalty is drawn on the scale of X^T X (lambda
between 0.3 n and 3 n, X with unit-variance entries), so that it shrinks the weights visibly
and every known mistake (half or twice lambda, sigma / tau, the ratio upside down, lambda / n,
no penalty) moves the answer far beyond the tolerances. The checks that the inputs are left
alone first check the value of the same call, so they count only for a right answer.
"""

import math

import pytest
import torch

from autograder.reference import bayesian_prior as ref

cell = pytest.mark.cell


def _int(gen, low, high):
    """An integer in [low, high]."""
    return int(torch.randint(low, high + 1, (1,), generator=gen))


def _uniform(gen, low, high):
    return low + (high - low) * float(torch.rand((), generator=gen))


def draw_data(gen, n, d, dtype=torch.float32):
    """X (n, d) with standard normal entries and y (n, 1) linear in X plus noise."""
    X = torch.randn(n, d, generator=gen, dtype=torch.float64)
    w = 2 * torch.randn(d, 1, generator=gen, dtype=torch.float64)
    y = X @ w + 0.5 * torch.randn(n, 1, generator=gen, dtype=torch.float64)
    return X.to(dtype), y.to(dtype)


def draw_lambda(gen, n):
    """A penalty between 0.3 n and 3 n, log-uniform, rounded to 3 significant digits."""
    lambd = n * 10 ** _uniform(gen, -0.5, 0.5)
    return float(f"{lambd:.3g}")


def draw_sigma_tau(gen, n, *, wide=False):
    """sigma and tau (2 decimals) whose lambda = sigma^2 / tau^2 lies near draw_lambda's range;
    with `wide`, a prior wider than the noise (tau > sigma, lambda < 1)."""
    if wide:
        sigma = round(_uniform(gen, 0.2, 0.5), 2)
        return sigma, round(sigma * _uniform(gen, 1.5, 3.0), 2)
    tau = round(_uniform(gen, 0.2, 1.0), 2)
    return round(tau * math.sqrt(draw_lambda(gen, n)), 2), tau


def check_ridge(student, expect, X, y, lambd, what):
    got, args = student.call("ridge", X, y, lambd, what=what, return_args=True)
    expect.tensor(got, ref.ridge(X, y, lambd), what=what, mistakes=ref.ridge_mistakes(X, y, lambd))
    return args


def check_map(student, expect, X, y, sigma, tau, what):
    got, args = student.call("map_estimate", X, y, sigma, tau, what=what, return_args=True)
    expect.tensor(
        got,
        ref.map_estimate(X, y, sigma, tau),
        what=what,
        mistakes=ref.map_mistakes(X, y, sigma, tau),
    )
    return args


# ridge -----------------------------------------------------------------------------------------


@cell("ridge")
def test_ridge_values(student, expect, gen):
    """ridge(X, y, lambd) is (X^T X + lambd I)^-1 X^T y"""
    n, d = _int(gen, 8, 20), _int(gen, 2, 4)
    X, y = draw_data(gen, n, d)
    lambd = draw_lambda(gen, n)
    check_ridge(student, expect, X, y, lambd, f"ridge(X, y, {lambd}) for a {n} x {d} X")


@cell("ridge")
def test_ridge_more_features_than_examples(student, expect, gen):
    """with more features than examples the ridge system still has one solution"""
    n = _int(gen, 3, 5)
    d = n + _int(gen, 1, 3)
    X, y = draw_data(gen, n, d)
    lambd = draw_lambda(gen, n)
    check_ridge(student, expect, X, y, lambd, f"ridge(X, y, {lambd}) for a {n} x {d} X (d > n)")


@cell("ridge")
def test_ridge_label_vector_float64(student, expect, gen):
    """float64 inputs with y of shape (n,): the weight is still a (d, 1) column"""
    n, d = _int(gen, 8, 15), _int(gen, 2, 4)
    X, y = draw_data(gen, n, d, dtype=torch.float64)
    lambd = draw_lambda(gen, n)
    what = f"ridge(X, y, {lambd}) for a float64 {n} x {d} X and y of shape ({n},)"
    check_ridge(student, expect, X, y.reshape(-1), lambd, what)


@cell("ridge")
def test_ridge_small_and_large_penalty(student, expect, gen):
    """a penalty much smaller and one much larger than X^T X"""
    n, d = _int(gen, 8, 15), _int(gen, 2, 3)
    X, y = draw_data(gen, n, d)
    for lambd in (round(_uniform(gen, 0.05, 0.2), 3), round(n * _uniform(gen, 20, 50), 1)):
        check_ridge(student, expect, X, y, lambd, f"ridge(X, y, {lambd}) for a {n} x {d} X")


@cell("ridge")
def test_ridge_inputs_unchanged(student, expect, gen):
    """ridge gives the right weight and leaves X and y as they were"""
    n, d = _int(gen, 6, 12), _int(gen, 2, 3)
    X, y = draw_data(gen, n, d)
    y = y.reshape(-1)
    lambd = draw_lambda(gen, n)
    what = f"ridge(X, y, {lambd}) for a {n} x {d} X and y of shape ({n},)"
    X_after, y_after, _ = check_ridge(student, expect, X, y, lambd, what)
    expect.unchanged(X, X_after, name="X", what=what)
    expect.unchanged(y, y_after, name="y", what=what)


# map_estimate ----------------------------------------------------------------------------------


@cell("map_estimate")
def test_map_noisy_data_narrow_prior(student, expect, gen):
    """map_estimate is ridge with lambda = sigma^2 / tau^2, for sigma > tau"""
    n, d = _int(gen, 8, 20), _int(gen, 2, 4)
    X, y = draw_data(gen, n, d)
    sigma, tau = draw_sigma_tau(gen, n)
    what = f"map_estimate(X, y, sigma={sigma}, tau={tau}) for a {n} x {d} X"
    check_map(student, expect, X, y, sigma, tau, what)


@cell("map_estimate")
def test_map_wide_prior(student, expect, gen):
    """a prior wider than the noise (tau > sigma): lambda below 1, close to least squares"""
    n, d = _int(gen, 5, 10), _int(gen, 2, 4)
    X, y = draw_data(gen, n, d)
    sigma, tau = draw_sigma_tau(gen, n, wide=True)
    what = f"map_estimate(X, y, sigma={sigma}, tau={tau}) for a {n} x {d} X"
    check_map(student, expect, X, y, sigma, tau, what)


@cell("map_estimate")
def test_map_more_features_than_examples(student, expect, gen):
    """with more features than examples the MAP weight is still unique"""
    n = _int(gen, 3, 5)
    d = n + _int(gen, 1, 3)
    X, y = draw_data(gen, n, d)
    sigma, tau = draw_sigma_tau(gen, n)
    what = f"map_estimate(X, y, sigma={sigma}, tau={tau}) for a {n} x {d} X (d > n)"
    check_map(student, expect, X, y, sigma, tau, what)


@cell("map_estimate")
def test_map_label_vector_float64(student, expect, gen):
    """float64 inputs with y of shape (n,): a (d, 1) column"""
    n, d = _int(gen, 8, 15), _int(gen, 2, 4)
    X, y = draw_data(gen, n, d, dtype=torch.float64)
    sigma, tau = draw_sigma_tau(gen, n)
    what = f"map_estimate(X, y, sigma={sigma}, tau={tau}) for float64 X and y of shape ({n},)"
    check_map(student, expect, X, y.reshape(-1), sigma, tau, what)


@cell("map_estimate")
def test_map_inputs_unchanged(student, expect, gen):
    """map_estimate gives the right weight and leaves X and y as they were"""
    n, d = _int(gen, 6, 12), _int(gen, 2, 3)
    X, y = draw_data(gen, n, d)
    y = y.reshape(-1)  # a label vector: reshaping it in place would show
    sigma, tau = draw_sigma_tau(gen, n)
    what = f"map_estimate(X, y, sigma={sigma}, tau={tau}) for a {n} x {d} X and y of shape ({n},)"
    X_after, y_after, _, _ = check_map(student, expect, X, y, sigma, tau, what)
    expect.unchanged(X, X_after, name="X", what=what)
    expect.unchanged(y, y_after, name="y", what=what)
