"""Reference answers for bayesian_prior (D2L 3.7, exercise 6): ridge regression in closed form
and the MAP weight under a Gaussian prior, with what each known mistake gives instead.

Computed in float64 from the inputs as given; the float32 answers are compared with the
course's tolerances.
"""

from __future__ import annotations

import contextlib

import torch

from autograder.judging.checks import Mistake

SIGMA_OVER_TAU = "lambda = sigma / tau where it is sigma^2 / tau^2"
INVERTED = "lambda = tau^2 / sigma^2 (the ratio upside down)"
NO_PRIOR = "no penalty at all: ordinary least squares, as if the prior were flat"
EVERY_ENTRY = "lambda added to every entry of X^T X (a scalar broadcast) instead of its diagonal"
HALF = "half the lambda (the 1/2 of the log-densities kept on one term only)"
DOUBLE = "twice the lambda (the 1/2 of the log-densities dropped from one term only)"
PER_EXAMPLE = "lambda divided by n (the mean-loss convention) in the sum-of-squares formula"
SIGN = "the penalty's sign flipped: (X^T X - lambda I)"


def _columns(X, y):
    return X.detach().to(torch.float64), y.detach().to(torch.float64).reshape(-1, 1)


def _solve(X, y, lambd, *, every_entry=False, sign=1.0):
    X, y = _columns(X, y)
    gram = X.T @ X
    shift = lambd * (
        torch.ones_like(gram) if every_entry else torch.eye(gram.shape[0], dtype=gram.dtype)
    )
    return torch.linalg.solve(gram + sign * shift, X.T @ y)


def ridge(X: torch.Tensor, y: torch.Tensor, lambd: float) -> torch.Tensor:
    """argmin_w ||y - X w||^2 + lambd ||w||^2, shape (d, 1)."""
    return _solve(X, y, float(lambd))


def prior_lambda(sigma: float, tau: float) -> float:
    """The ridge lambda (sum-of-squares convention) of noise sigma and prior N(0, tau^2 I)."""
    return float(sigma) ** 2 / float(tau) ** 2


def map_estimate(X: torch.Tensor, y: torch.Tensor, sigma: float, tau: float) -> torch.Tensor:
    """The MAP weight: the maximiser of the log-likelihood plus the log-prior, shape (d, 1)."""
    return ridge(X, y, prior_lambda(sigma, tau))


def _maybe(mistakes, name, solve):
    """Add a mistake unless its system is singular (then no answer can equal it anyway)."""
    with contextlib.suppress(RuntimeError):
        mistakes.append(Mistake(name, solve()))


def ridge_mistakes(X, y, lambd) -> list[Mistake]:
    lambd = float(lambd)
    mistakes: list[Mistake] = []
    _maybe(mistakes, EVERY_ENTRY, lambda: _solve(X, y, lambd, every_entry=True))
    _maybe(mistakes, HALF, lambda: _solve(X, y, lambd / 2))
    _maybe(mistakes, DOUBLE, lambda: _solve(X, y, 2 * lambd))
    _maybe(mistakes, SIGN, lambda: _solve(X, y, lambd, sign=-1.0))
    _maybe(mistakes, NO_PRIOR, lambda: _solve(X, y, 0.0))
    return mistakes


def map_mistakes(X, y, sigma, tau) -> list[Mistake]:
    sigma, tau = float(sigma), float(tau)
    lambd, n = prior_lambda(sigma, tau), X.shape[0]
    mistakes: list[Mistake] = []
    _maybe(mistakes, SIGMA_OVER_TAU, lambda: _solve(X, y, sigma / tau))
    _maybe(mistakes, INVERTED, lambda: _solve(X, y, tau**2 / sigma**2))
    _maybe(mistakes, PER_EXAMPLE, lambda: _solve(X, y, lambd / n))
    return mistakes + ridge_mistakes(X, y, lambd)
