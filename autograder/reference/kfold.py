"""Reference answer for kfold (D2L 3.6, exercise 5): the K-fold cross-validation error of least
squares with a bias, and what each known mistake gives instead on the same inputs.

Everything is computed in float64, so the reference is the exact value that float32 answers
are compared against within the course's tolerances.
"""

from __future__ import annotations

import torch

import d2lkit as d2l
from autograder.judging.checks import Mistake

NO_BIAS = "a least-squares fit without the bias column (a line through the origin)"
POOLED = (
    "the mean over all held-out rows at once, where the mean of the per-fold errors is asked "
    "(they differ when the folds have different sizes)"
)
CHUNK = "folds cut by torch.chunk (sizes ceil(n/k), the last one smaller), not torch.tensor_split"
INTERLEAVED = "folds dealt round-robin (rows i, i+k, i+2k, ...) instead of contiguous blocks"
TRAIN_ON_ALL = "the held-out fold left in the training rows (every fit sees all the data)"
HALF = "the book's squared loss with its 1/2 where the mean squared error is asked"
SSE = "the sum of squared errors on each fold where their mean is asked"
BROADCAST = "a y of shape (n,) against predictions of shape (n, 1), broadcast to (n, n)"


def _with_bias(X: torch.Tensor) -> torch.Tensor:
    return torch.cat((X, torch.ones(X.shape[0], 1, dtype=X.dtype)), dim=1)


def fit_predict(X_train, y_train, X_test, *, bias=True):
    """Least-squares predictions on X_test from a fit on (X_train, y_train); y is (m, 1)."""
    A, B = (_with_bias(X_train), _with_bias(X_test)) if bias else (X_train, X_test)
    return B @ torch.linalg.lstsq(A, y_train).solution


def contiguous_folds(n: int, k: int) -> list[torch.Tensor]:
    return list(torch.tensor_split(torch.arange(n), k))


def _fold_errors(X, y, folds, *, bias=True, train_on_all=False, loss=d2l.mse_loss):
    """Per-fold losses and sizes; X float64 (n, d), y float64 (n, 1)."""
    n = X.shape[0]
    errors, sizes = [], []
    for held in folds:
        keep = torch.ones(n, dtype=torch.bool)
        if not train_on_all:
            keep[held] = False
        y_hat = fit_predict(X[keep], y[keep], X[held], bias=bias)
        errors.append(float(loss(y_hat, y[held])))
        sizes.append(len(held))
    return errors, sizes


def _as_columns(X, y):
    return X.detach().to(torch.float64), y.detach().to(torch.float64).reshape(-1, 1)


def kfold_error(X: torch.Tensor, y: torch.Tensor, k: int) -> float:
    """The mean over k contiguous folds of the held-out mean squared error of a least-squares
    fit with a bias on the other folds."""
    X, y = _as_columns(X, y)
    errors, _ = _fold_errors(X, y, contiguous_folds(X.shape[0], k))
    return sum(errors) / len(errors)


def heldout_error(X_train, y_train, X_test, y_test) -> float:
    """Mean squared error on a test set of the least-squares fit (with a bias) on all of the
    training set: the quantity a K-fold estimate tries to predict."""
    X_train, y_train = _as_columns(X_train, y_train)
    X_test, y_test = _as_columns(X_test, y_test)
    return float(d2l.mse_loss(fit_predict(X_train, y_train, X_test), y_test))


def _mean(values):
    return sum(values) / len(values)


def kfold_error_mistakes(X: torch.Tensor, y: torch.Tensor, k: int) -> list[Mistake]:
    X, y = _as_columns(X, y)
    n = X.shape[0]
    folds = contiguous_folds(n, k)
    errors, sizes = _fold_errors(X, y, folds)
    mistakes = [
        Mistake(NO_BIAS, _mean(_fold_errors(X, y, folds, bias=False)[0])),
        Mistake(TRAIN_ON_ALL, _mean(_fold_errors(X, y, folds, train_on_all=True)[0])),
        Mistake(HALF, _mean(errors) / 2),
        Mistake(SSE, _mean([e * s for e, s in zip(errors, sizes, strict=True)])),
        Mistake(POOLED, sum(e * s for e, s in zip(errors, sizes, strict=True)) / n),
    ]
    chunks = list(torch.chunk(torch.arange(n), k))
    if [len(c) for c in chunks] != sizes:
        mistakes.append(Mistake(CHUNK, _mean(_fold_errors(X, y, chunks)[0])))
    if k < n:
        dealt = [torch.arange(i, n, k) for i in range(k)]
        mistakes.append(Mistake(INTERLEAVED, _mean(_fold_errors(X, y, dealt)[0])))
    mistakes.append(Mistake(BROADCAST, _mean(_broadcast_errors(X, y, folds))))
    return mistakes


def _broadcast_errors(X, y, folds):
    """((n_i, 1) predictions - (n_i,) labels) ** 2 averaged over the (n_i, n_i) square."""
    n = X.shape[0]
    errors = []
    for held in folds:
        keep = torch.ones(n, dtype=torch.bool)
        keep[held] = False
        y_hat = fit_predict(X[keep], y[keep], X[held])
        errors.append(float(((y_hat - y[held].reshape(-1)) ** 2).mean()))
    return errors
