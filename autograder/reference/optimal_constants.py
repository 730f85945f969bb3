"""Reference answers for optimal_constants (D2L 3.1, exercises 1 and 2): the constants that
minimise the squared and the absolute error, and the augmented design matrix that turns an
affine model into a linear one, with what each known mistake gives instead."""

from __future__ import annotations

import torch

import d2lkit
from autograder.judging.checks import Mistake

MEDIAN = "the median where the squared error asks for the mean"
MEAN = "the mean, which minimises the squared error, not the absolute error"
UNSORTED_MIDDLE = "the middle entry of x as given, without sorting x first"
ONES_FIRST = "the column of ones put first, so that augment(X) @ [w; b] mixes up w and b"
ROW_OF_ONES = "a row of ones appended (n + 1 rows) where a column is asked"
ZEROS = "a column of zeros where a column of ones is asked"


def best_constant_l2(x: torch.Tensor) -> torch.Tensor:
    # d/db sum (x_i - b)^2 = -2 sum (x_i - b) = 0 gives b = mean(x).
    return d2lkit.reduce_mean(x)


def l2_mistakes(x: torch.Tensor) -> list[Mistake]:
    n = x.numel()
    mistakes = [
        Mistake(MEDIAN, torch.quantile(x.double(), 0.5)),
        Mistake(MEDIAN, torch.median(x)),
        Mistake("the sum of x where its mean is asked", x.sum()),
        Mistake("the mean of the squares x_i^2 instead of the mean of x", (x**2).mean()),
        Mistake(
            "the minimum squared error itself instead of the b that attains it",
            ((x - x.mean()) ** 2).sum(),
        ),
        Mistake("the variance of x instead of its mean", x.var(unbiased=False)),
    ]
    if n > 1:
        mistakes.append(Mistake("the sum divided by n - 1 instead of n", x.sum() / (n - 1)))
    return mistakes


def l1_interval(x: torch.Tensor) -> tuple[float, float]:
    """Every b in [low, high] minimises sum |x_i - b|: the two middle values of the sorted x
    (one and the same value for an odd count)."""
    s = torch.sort(x.double()).values
    n = s.numel()
    return float(s[(n - 1) // 2]), float(s[n // 2])


def best_constant_l1(x: torch.Tensor) -> torch.Tensor:
    # torch.median takes the lower middle value for an even count: one of the minimisers.
    return torch.median(x)


def absolute_error(x: torch.Tensor, b: float) -> float:
    return float((x.double() - b).abs().sum())


def l1_mistakes(x: torch.Tensor) -> list[Mistake]:
    n = x.numel()
    return [
        Mistake(MEAN, x.mean()),
        Mistake(UNSORTED_MIDDLE, x[n // 2]),
        Mistake(UNSORTED_MIDDLE, x[(n - 1) // 2]),
        Mistake("the mean of the absolute values |x_i|", x.abs().mean()),
        Mistake("the median of the absolute values |x_i|", torch.median(x.abs())),
        Mistake(
            "the minimum absolute error itself instead of the b that attains it",
            (x - torch.median(x)).abs().sum(),
        ),
    ]


def augment(X: torch.Tensor) -> torch.Tensor:
    # The ones go last, so the augmented weight is [w_1, ..., w_d, b].
    return d2lkit.concat((X, d2lkit.ones((X.shape[0], 1), dtype=X.dtype)), 1)


def augment_mistakes(X: torch.Tensor) -> list[Mistake]:
    ones_col = torch.ones(X.shape[0], 1, dtype=X.dtype)
    return [
        Mistake(ONES_FIRST, torch.cat((ones_col, X), 1)),
        Mistake(ROW_OF_ONES, torch.cat((X, torch.ones(1, X.shape[1], dtype=X.dtype)), 0)),
        Mistake(ZEROS, torch.cat((X, torch.zeros_like(ones_col)), 1)),
        Mistake("X returned without the column of ones", X),
        Mistake("X plus one, element by element, where a new column is asked", X + 1),
    ]
