"""Reference answers for noise_models (D2L 3.1, exercises 5 and 8): the negative
log-likelihood of a linear model under Laplace noise and one subgradient step on it, and the
Poisson negative log-likelihood on a log rate, with what each known mistake gives instead.

Shapes follow the scratch model of the book: X (n, d), w (d, 1), b (1,), y (n, 1) or (n,).
"""

from __future__ import annotations

import math

import torch

import d2lkit
from autograder.judging.checks import Mistake

NO_CONSTANT = "the likelihood without its constant n log 2"
MEAN = "the mean over the examples where the negative log-likelihood is a sum"
BROADCAST = (
    "y of shape (n,) broadcast against a prediction of shape (n, 1) to an (n, n) table "
    "(reshape y to (n, 1) first)"
)
GAUSSIAN = "squared residuals (Gaussian noise) where the Laplace likelihood has |y - Xw - b|"
STEP_MEAN = "the step on the mean of |y - Xw - b| instead of the sum (a factor 1/n)"
ASCENT = "a step uphill: the sign of the subgradient flipped"
L2_STEP = "the gradient of the squared error (the residual itself) where its sign is asked"
SIGN_ZERO = "sign(0) taken as +1 or -1: an example fitted exactly must not push"
BIAS_FROZEN = "the bias left as it was"
LOG_FACTORIAL = "log k! included; leave the constant out, as PoissonNLLLoss(full=False) does"
STIRLING = "the Stirling term of PoissonNLLLoss(full=True) included; full=False is asked"
RATE_INPUT = "the input used as the rate itself; it is the log of the rate"
POISSON_SUM = "the sum over the examples where the mean is asked"


def _residual(X, y, w, b):
    y_hat = d2lkit.matmul(X, w) + b
    return d2lkit.reshape(y, y_hat.shape) - y_hat


def laplace_nll(X, y, w, b) -> torch.Tensor:
    # -log prod_i exp(-|r_i|) / 2 = n log 2 + sum_i |r_i|.
    r = _residual(X, y, w, b)
    return X.shape[0] * math.log(2.0) + r.abs().sum()


def laplace_mistakes(X, y, w, b) -> list[Mistake]:
    n = X.shape[0]
    r = _residual(X, y, w, b)
    mistakes = [
        Mistake(NO_CONSTANT, r.abs().sum()),
        Mistake(MEAN, math.log(2.0) + r.abs().mean()),
        Mistake(MEAN, (n * math.log(2.0) + r.abs().sum()) / n),
        Mistake(
            "the absolute residuals averaged (L1Loss's default reduction='mean'), not summed",
            n * math.log(2.0) + r.abs().mean(),
        ),
        Mistake("the constant as log 2 once instead of n log 2", math.log(2.0) + r.abs().sum()),
        Mistake("the constant with the wrong sign (-n log 2)", -n * math.log(2.0) + r.abs().sum()),
        Mistake(GAUSSIAN, n * math.log(2.0) + (r**2).sum()),
        Mistake(GAUSSIAN, n * math.log(2.0) + (r**2).sum() / 2),
    ]
    y_hat = X @ w + b
    if y_hat.dim() == 2 and y.dim() == 1 and y_hat.shape[1] == 1:
        mistakes.insert(0, Mistake(BROADCAST, n * math.log(2.0) + (y - y_hat).abs().sum()))
    return mistakes


def lad_step(X, y, w, b, lr) -> tuple[torch.Tensor, torch.Tensor]:
    # d/dw sum_i |r_i| = -X^T sign(r), d/db = -sum_i sign(r_i), with sign(0) = 0.
    s = torch.sign(_residual(X, y, w, b))
    return w + lr * (X.T @ s).reshape(w.shape), b + lr * s.sum().reshape(b.shape)


def _step_with(X, w, b, lr, s):
    return w + lr * (X.T @ s).reshape(w.shape), b + lr * s.sum().reshape(b.shape)


def lad_mistakes(X, y, w, b, lr) -> list[tuple[str, tuple[torch.Tensor, torch.Tensor]]]:
    """(name, (w_new, b_new)) for each known mistake."""
    r = _residual(X, y, w, b)
    s = torch.sign(r)
    n = X.shape[0]
    right_w, _ = lad_step(X, y, w, b, lr)
    return [
        (STEP_MEAN, _step_with(X, w, b, lr / n, s)),
        (ASCENT, _step_with(X, w, b, -lr, s)),
        (L2_STEP, _step_with(X, w, b, lr, r)),
        (SIGN_ZERO, _step_with(X, w, b, lr, torch.where(r >= 0, 1.0, -1.0).to(r.dtype))),
        (SIGN_ZERO, _step_with(X, w, b, lr, torch.where(r > 0, 1.0, -1.0).to(r.dtype))),
        (BIAS_FROZEN, (right_w, b.clone())),
    ]


def poisson_nll(log_rate, k) -> torch.Tensor:
    return torch.nn.functional.poisson_nll_loss(log_rate, k.to(log_rate.dtype), log_input=True)


def poisson_mistakes(log_rate, k) -> list[Mistake]:
    k = k.to(log_rate.dtype)
    base = torch.exp(log_rate) - k * log_rate
    mistakes = [
        Mistake(LOG_FACTORIAL, (base + torch.lgamma(k + 1)).mean()),
        Mistake(
            STIRLING,
            torch.nn.functional.poisson_nll_loss(log_rate, k, log_input=True, full=True),
        ),
        Mistake(POISSON_SUM, base.sum()),
        Mistake("the sign flipped (the log-likelihood, not its negative)", -base.mean()),
        Mistake(
            "the arguments swapped: PoissonNLLLoss takes (log_rate, k), in that order",
            (torch.exp(k) - log_rate * k).mean(),
        ),
    ]
    if bool((log_rate > 0).all()):
        mistakes.append(Mistake(RATE_INPUT, (log_rate - k * torch.log(log_rate)).mean()))
    return mistakes
