"""Loss helpers: label shape alignment and the two squared losses of chapter 3."""

import torch
import torch.nn.functional as F

__all__ = ["align_target", "mse_loss", "squared_loss"]


def align_target(y_hat, y):
    """Return `y` shaped like `y_hat`, or raise if the two cannot describe the same examples.

    Labels often arrive as shape (n,) while a linear model predicts (n, 1); subtracting them
    would silently broadcast to (n, n). When the element counts agree we reshape `y`, which
    is what the book's code relies on; otherwise the batch and the model disagree.
    """
    if not isinstance(y_hat, torch.Tensor) or not isinstance(y, torch.Tensor):
        raise TypeError(
            "loss(y_hat, y) expects two tensors, got "
            f"{type(y_hat).__name__} and {type(y).__name__}; convert with torch.as_tensor"
        )
    if y.shape == y_hat.shape:
        return y
    if y.numel() == y_hat.numel():
        return y.reshape(y_hat.shape)
    raise ValueError(
        f"loss: y_hat has shape {tuple(y_hat.shape)} ({y_hat.numel()} elements) but y has shape "
        f"{tuple(y.shape)} ({y.numel()} elements); the model must make one prediction per label "
        "- check the model's output size and the batch's label column"
    )


def squared_loss(y_hat, y):
    """Mean of (y_hat - y)**2 / 2, the scratch model's loss (the 1/2 tidies the gradient)."""
    y = align_target(y_hat, y)
    return ((y_hat - y) ** 2 / 2).mean()


def mse_loss(y_hat, y):
    """Mean of (y_hat - y)**2, as nn.MSELoss(reduction='mean'); no 1/2."""
    return F.mse_loss(y_hat, align_target(y_hat, y))
