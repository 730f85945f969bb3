"""Reference answers for frobenius (D2L 3.7, exercise 4): the squared Frobenius norm as a trace
and the gradient of the matrix L2 penalty, with what each known mistake gives instead."""

from __future__ import annotations

import torch

from autograder.judging.checks import Mistake

TRACE_X_X = "trace(X @ X) for trace(X.T @ X)"
NORM = "the norm ||X||_F where the squared norm ||X||_F^2 is meant"
ACCUMULATED = "gradients accumulated across calls because W.grad was not zeroed (or not fresh)"


def frobenius_sq(X: torch.Tensor) -> torch.Tensor:
    return torch.trace(X.T @ X)


def frobenius_sq_mistakes(X: torch.Tensor) -> list[Mistake]:
    mistakes = [
        Mistake(NORM, torch.linalg.matrix_norm(X)),
        Mistake("the sum of all entries of X^T X instead of its trace", (X.T @ X).sum()),
        Mistake("the trace of X where the trace of X^T X is meant", torch.trace(X)),
        Mistake("the entries of X summed without squaring them", X.sum()),
    ]
    if X.shape[0] == X.shape[1]:
        mistakes.insert(0, Mistake(TRACE_X_X, torch.trace(X @ X)))
    return mistakes


def penalty_grad(W: torch.Tensor) -> torch.Tensor:
    # d/dW of 0.5 * sum_ij W_ij^2 is W itself, entry by entry.
    return W.clone()


def penalty_grad_mistakes(W: torch.Tensor) -> list[Mistake]:
    return [
        Mistake("a missing 1/2 (the gradient of ||W||_F^2 is 2W)", 2 * W),
        Mistake("the penalty's sign flipped", -W),
        Mistake(
            "the gradient of the norm ||W||_F (W / ||W||_F) where the squared norm is meant",
            W / torch.linalg.matrix_norm(W),
        ),
        Mistake(
            "a gradient of ones: the derivative of the sum of W, not of its squares",
            torch.ones_like(W),
        ),
    ]
