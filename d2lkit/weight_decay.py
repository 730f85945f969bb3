"""Weight decay (D2L 3.7): an L2 penalty in the loss, or decay inside the optimizer."""

import torch

from d2lkit.checks import check_non_negative
from d2lkit.linear import LinearRegression, LinearRegressionScratch

__all__ = ["WeightDecay", "WeightDecayScratch", "l2_penalty"]


def l2_penalty(w):
    """||w||^2 / 2; the 1/2 makes its gradient exactly w."""
    return (w**2).sum() / 2


class WeightDecayScratch(LinearRegressionScratch):
    """Scratch linear regression whose loss adds lambd * ||w||^2 / 2 (the bias is not penalised)."""

    def __init__(self, num_inputs, lambd, lr, sigma=0.01, generator=None):
        super().__init__(num_inputs, lr, sigma, generator)
        check_non_negative("lambd", lambd)
        self.save_hyperparameters(ignore=["generator"])

    def loss(self, y_hat, y):
        return super().loss(y_hat, y) + self.lambd * l2_penalty(self.w)


class WeightDecay(LinearRegression):
    """Concise linear regression with the optimizer's weight_decay on the weight only.

    torch.optim.SGD's weight_decay adds wd * w to the gradient, i.e. the gradient of
    wd * ||w||^2 / 2. The bias sits in its own parameter group with no decay: shrinking it
    toward zero would bias predictions without reducing model complexity.
    """

    def __init__(self, wd, lr, generator=None):
        super().__init__(lr, generator=generator)
        check_non_negative("wd", wd)
        self.save_hyperparameters(ignore=["generator"])

    def configure_optimizers(self):
        return torch.optim.SGD(
            [
                {"params": [self.net.weight], "weight_decay": self.wd},
                {"params": [self.net.bias], "weight_decay": 0.0},
            ],
            lr=self.lr,
        )
