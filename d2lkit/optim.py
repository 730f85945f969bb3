"""Minibatch stochastic gradient descent written from scratch (D2L 3.4)."""

import torch

from d2lkit.checks import check_positive
from d2lkit.hyperparameters import HyperParameters

__all__ = ["SGD"]


class SGD(HyperParameters):
    """Update each parameter by -lr * grad; gradients are the minibatch mean from the loss."""

    def __init__(self, params, lr):
        check_positive("lr", lr)
        self.save_hyperparameters()
        # A generator such as model.parameters() would be empty after the first step.
        self.params = list(params)
        for p in self.params:
            if not isinstance(p, torch.Tensor):
                raise TypeError(f"SGD params must be tensors, got {type(p).__name__}")

    @torch.no_grad()
    def step(self):
        # no_grad: the update itself must not be recorded by autograd (and in-place updates
        # of leaves that require grad are only allowed outside it).
        for param in self.params:
            if param.grad is not None:
                param -= self.lr * param.grad

    def zero_grad(self):
        # Gradients accumulate across backward calls, so each step must start from zero.
        for param in self.params:
            if param.grad is not None:
                param.grad.zero_()
