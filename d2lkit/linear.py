"""Linear regression, from scratch (D2L 3.4) and with PyTorch's layers (D2L 3.5)."""

import torch
from torch import nn

from d2lkit.checks import check_non_negative, check_positive, check_positive_int
from d2lkit.losses import mse_loss, squared_loss
from d2lkit.module import Module
from d2lkit.optim import SGD

__all__ = ["LinearRegression", "LinearRegressionScratch", "init_normal_on_first_call"]


class LinearRegressionScratch(Module):
    """y_hat = X w + b with w ~ N(0, sigma^2), b = 0, trained by the scratch SGD."""

    def __init__(self, num_inputs, lr, sigma=0.01, generator=None):
        super().__init__()
        check_positive_int("num_inputs", num_inputs)
        check_positive("lr", lr)
        check_non_negative("sigma", sigma)
        self.save_hyperparameters(ignore=["generator"])
        # Plain tensors, as in the book: students read and update model.w and model.b directly.
        self.w = torch.normal(0, sigma, (num_inputs, 1), generator=generator, requires_grad=True)
        self.b = torch.zeros(1, requires_grad=True)

    def forward(self, X):
        return torch.matmul(X, self.w) + self.b

    def loss(self, y_hat, y):
        return squared_loss(y_hat, y)

    def configure_optimizers(self):
        return SGD([self.w, self.b], self.lr)


def init_normal_on_first_call(net, std=0.01, generator=None):
    """Give a lazy layer weight ~ N(0, std^2) and bias 0 once its parameters exist.

    A lazy layer's parameters are created, and reset with PyTorch's default init, by its own
    forward pre-hook on the first call; initialising before that is overwritten. This hook is
    registered after that one, so it runs right after materialisation, once, then removes
    itself.
    """
    handle = None

    def hook(module, args):
        if nn.parameter.is_lazy(module.weight):
            return  # not materialised yet; try again on the next call
        with torch.no_grad():
            module.weight.normal_(0.0, std, generator=generator)
            if module.bias is not None:
                module.bias.zero_()
        handle.remove()

    handle = net.register_forward_pre_hook(hook)
    return handle


class LinearRegression(Module):
    """One LazyLinear output unit, mean squared error loss, torch.optim.SGD."""

    def __init__(self, lr, generator=None):
        super().__init__()
        check_positive("lr", lr)
        self.save_hyperparameters(ignore=["generator"])
        self.net = nn.LazyLinear(1)
        init_normal_on_first_call(self.net, 0.01, generator)

    def forward(self, X):
        return self.net(X)

    def loss(self, y_hat, y):
        return mse_loss(y_hat, y)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), self.lr)

    def get_w_b(self):
        """(weight, bias) data, shapes (1, d) and (1,)."""
        if nn.parameter.is_lazy(self.net.weight):
            raise RuntimeError(
                "get_w_b(): the LazyLinear layer has no weights until it sees data; train the "
                "model or call model(X) once first"
            )
        return self.net.weight.data, self.net.bias.data
