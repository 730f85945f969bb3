"""Reference answers for deep_linear (D2L 3.1, exercises 3 and 6): two stacked linear layers
collapsed into one, and the quadratic features that make a linear model fit any quadratic,
with what each known mistake gives instead.

Layers follow `torch.nn.Linear`: a weight of shape (out_features, in_features), a bias of shape
(out_features,), and `layer(X) = X @ W.T + b` for a batch X of shape (n, in_features).
"""

from __future__ import annotations

import torch

import d2lkit
from autograder.judging.checks import Mistake

WRONG_ORDER = "the product in the wrong order (W1 @ W2 where the second layer acts last: W2 @ W1)"
TRANSPOSED = "the weight transposed: (in, out) as in X @ W, where nn.Linear keeps (out, in)"
BIAS_SUM = "the biases added as b1 + b2, without passing b1 through the second layer"
BIAS_NO_B1 = "the first layer's bias left out (b2 alone)"
BIAS_NO_B2 = "the second layer's bias left out (W2 @ b1 alone)"
NO_SQUARES = "the pairwise products without the squares x_i^2 (i < j only)"
DUPLICATES = "every ordered pair x_i x_j (i, j = 1..d): the cross products twice"
NO_INPUTS = "the products only, without the inputs x_1, ..., x_d themselves"
ONES = "a column of ones added: the bias belongs to the linear model, not to the features"
SQUARES_ONLY = "the squares x_i^2 without the cross products x_i x_j"


def compose_linear(W1, b1, W2, b2) -> tuple[torch.Tensor, torch.Tensor]:
    # X -> X W1^T + b1 -> (X W1^T + b1) W2^T + b2 = X (W2 W1)^T + (W2 b1 + b2).
    return d2lkit.matmul(W2, W1), d2lkit.matmul(W2, b1) + b2


def two_layers(X, W1, b1, W2, b2) -> torch.Tensor:
    """What the stack of the two layers computes on a batch X."""
    return (X @ W1.T + b1) @ W2.T + b2


def weight_mistakes(W1, W2) -> list[Mistake]:
    mistakes = [Mistake(TRANSPOSED, (W2 @ W1).T)]
    if W1.shape[1] == W2.shape[0]:
        mistakes.insert(0, Mistake(WRONG_ORDER, W1 @ W2))
        mistakes.append(Mistake(f"{WRONG_ORDER}, transposed", (W1 @ W2).T))
    return mistakes


def bias_mistakes(W1, b1, W2, b2) -> list[Mistake]:
    mistakes = [Mistake(BIAS_NO_B1, b2.clone()), Mistake(BIAS_NO_B2, W2 @ b1)]
    if b1.shape == b2.shape:
        mistakes.insert(0, Mistake(BIAS_SUM, b1 + b2))
    if W1.shape[1] == W2.shape[0]:
        mistakes.append(Mistake(f"{WRONG_ORDER} (in the bias: W1 @ b2 + b1)", W1 @ b2 + b1))
    return mistakes


def num_quadratic_features(d: int) -> int:
    return d + d * (d + 1) // 2


def quadratic_features(X: torch.Tensor) -> torch.Tensor:
    # Row-major upper triangle (i <= j): (1,1), (1,2), ..., (1,d), (2,2), ..., (d,d).
    i, j = torch.triu_indices(X.shape[1], X.shape[1])
    return d2lkit.concat((X, X[:, i] * X[:, j]), 1)


def feature_mistakes(X: torch.Tensor) -> list[Mistake]:
    d = X.shape[1]
    i, j = torch.triu_indices(d, d)
    ii, jj = torch.triu_indices(d, d, offset=1)
    all_i, all_j = torch.meshgrid(torch.arange(d), torch.arange(d), indexing="ij")
    all_pairs = X[:, all_i.reshape(-1)] * X[:, all_j.reshape(-1)]
    ones = torch.ones(X.shape[0], 1, dtype=X.dtype)
    products = X[:, i] * X[:, j]
    return [
        Mistake(NO_SQUARES, torch.cat((X, X[:, ii] * X[:, jj]), 1)),
        Mistake(DUPLICATES, torch.cat((X, all_pairs), 1)),
        Mistake(NO_INPUTS, products),
        Mistake(ONES, torch.cat((ones, X, products), 1)),
        Mistake(ONES, torch.cat((X, products, ones), 1)),
        Mistake(SQUARES_ONLY, torch.cat((X, X**2), 1)),
    ]


def fit_residual(features: torch.Tensor, y: torch.Tensor) -> float:
    """The largest residual of the least-squares fit of y on [features, 1], in float64."""
    F = features.double()
    A = torch.cat((F, torch.ones(F.shape[0], 1, dtype=torch.float64)), 1)
    coef = torch.linalg.lstsq(A, y.double(), driver="gelsd").solution
    return float((A @ coef - y.double()).abs().max())
