"""Reference answers for second_derivatives (D2L 3.4, exercise 4), and its known mistakes.

For the scratch model y_hat = X w + b and its loss L = mean((y_hat - y)^2 / 2) over n examples,
write A = [X 1] (n x (d+1)) and theta = (w_1, ..., w_d, b). Then L is a quadratic in theta:

    grad L = A^T (A theta - y) / n,        Hessian = A^T A / n,

the same for every w, b and y. The graders compare students' autograd results with these closed
forms, in float64; `autograd_hessian` is the kit-based computation the notebook teaches.
"""

from __future__ import annotations

import torch

import d2lkit
from autograder.judging.checks import Mistake

SUMMED = "the Hessian of the summed loss where the loss is the mean (n times too big)"
NO_HALF = "the loss without its 1/2 (the mean squared error): twice the Hessian"
NO_BIAS = "the bias row and column left out (only the d x d block of the weights)"
BIAS_FIRST = "the bias placed first, (b, w_1, ..., w_d), where the order is (w_1, ..., w_d, b)"
ACCUMULATED = (
    "gradients accumulated: each row adds the rows before it, because .grad was not zeroed "
    "between backward calls"
)
ACCUMULATED_WITH_GRAD = (
    "gradients accumulated on top of the first derivative: .grad still held the gradient from "
    "loss.backward(create_graph=True) and was not zeroed between rows"
)
ACCUMULATED_CALLS = (
    "gradients accumulated across calls: the second call added to the .grad the first one left"
)
GRADIENT = "the gradient of the loss (first derivatives), not the Hessian times v"
HESSIAN = "the whole Hessian, where the product H v (a vector) is asked"
ELEMENTWISE = "the gradient multiplied by v entry by entry, not the derivative of (grad . v)"
CREATE_GRAPH_HINT = (
    "This looks like a missing create_graph=True: without it the first derivatives are plain "
    "numbers with no graph, so they cannot be differentiated again."
)
RETAIN_GRAPH_HINT = (
    "This looks like backward() called twice on one graph: the first call frees it. Keep it "
    "with retain_graph=True, or use torch.autograd.grad, which leaves .grad alone."
)


def augmented(X: torch.Tensor) -> torch.Tensor:
    """[X 1] in float64: one column per weight, then a column of ones for the bias."""
    X = X.double()
    return torch.cat([X, torch.ones(X.shape[0], 1, dtype=X.dtype)], dim=1)


def hessian(X: torch.Tensor) -> torch.Tensor:
    A = augmented(X)
    return A.T @ A / A.shape[0]


def gradient(X, y, w, b) -> torch.Tensor:
    """grad L at (w, b), as a flat (d+1,) vector in the order (w_1, ..., w_d, b)."""
    A = augmented(X)
    theta = torch.cat([w.double().reshape(-1), b.double().reshape(-1)])
    r = A @ theta - y.double().reshape(-1)
    return A.T @ r / A.shape[0]


def hvp(X, v) -> torch.Tensor:
    A = augmented(X)
    return A.T @ (A @ v.double().reshape(-1)) / A.shape[0]


def _bias_first(H: torch.Tensor) -> torch.Tensor:
    d = H.shape[0] - 1
    order = [d, *range(d)]
    return H[order][:, order]


def hessian_mistakes(X, y, w, b) -> list[Mistake]:
    H = hessian(X)
    n, d = X.shape
    rows = H.cumsum(dim=0)
    return [
        Mistake(SUMMED, n * H),
        Mistake(NO_HALF, 2 * H),
        Mistake(NO_BIAS, H[:d, :d]),
        Mistake(BIAS_FIRST, _bias_first(H)),
        Mistake(ACCUMULATED, rows),
        Mistake(ACCUMULATED_WITH_GRAD, rows + gradient(X, y, w, b)),
    ]


def hvp_mistakes(X, y, w, b, v) -> list[Mistake]:
    H, n = hessian(X), X.shape[0]
    v = v.double().reshape(-1)
    return [
        Mistake(GRADIENT, gradient(X, y, w, b)),
        Mistake(ELEMENTWISE, gradient(X, y, w, b) * v),
        Mistake(HESSIAN, H),
        Mistake(SUMMED, n * H @ v),
        Mistake(NO_HALF, 2 * H @ v),
        Mistake(BIAS_FIRST, _bias_first(H) @ v),
    ]


def autograd_hessian(X, y, w, b) -> torch.Tensor:
    """The Hessian by double backward through the kit's squared_loss (what the notebook
    teaches); agrees with `hessian` (tests/graders/test_second_derivatives.py)."""
    d = w.numel()
    theta = torch.cat([w.detach().reshape(-1), b.detach().reshape(-1)]).requires_grad_(True)
    loss = d2lkit.squared_loss(X @ theta[:d].reshape(-1, 1) + theta[d], y)
    (grad,) = torch.autograd.grad(loss, theta, create_graph=True)
    rows = [torch.autograd.grad(grad[i], theta, retain_graph=True)[0] for i in range(d + 1)]
    return torch.stack(rows)
