"""Reference answers for learning_rate.ipynb (D2L 3.4 exercise 6, 3.5 exercises 1 and 4).

`lr_sweep` trains a fresh d2lkit.LinearRegressionScratch per learning rate and reports the loss
over the whole validation split and whether the run diverged; `LinearRegressionSum` is
d2lkit.LinearRegression with the summed squared error; `lr_for_sum` is the rate that makes it
step like the mean. The mistake functions compute what each known wrong answer returns on the
same inputs, so a grader can name the mistake an answer matches.
"""

from __future__ import annotations

import math

import torch

import d2lkit

# Names of the known mistakes, as they read after "This looks like ...".
WARM_START = "one model reused across the learning rates (each run starts where the last ended)"
SEED_ONCE = "torch.manual_seed(seed) called once before the loop instead of before each model"
TRAIN_SPLIT = "the loss measured on the training split where the validation split is asked"
NO_HALF = "the mean squared error without the model's 1/2 (the scratch model's loss has it)"
FINITE_ONLY = (
    "diverged set only for a non-finite loss: a run whose loss grew but stayed finite counts "
    "as diverged too (compare with the loss before training)"
)
SUM_MEAN = "the mean of the squared errors where their sum over the minibatch is asked"
SUM_HALF = "the squared errors halved, (y_hat - y)**2 / 2, where LinearRegression's has no 1/2"
BROADCAST = "y of shape (n,) broadcast against y_hat of shape (n, 1) into an (n, n) matrix"
LR_TIMES = "lr * batch_size where lr / batch_size is needed (the sum is batch_size times larger)"
LR_SAME = "lr unchanged: the summed loss's gradient is batch_size times the mean's"
LR_SQUARED = "lr / batch_size**2 where lr / batch_size is needed"
LR_HALF = "lr / (2 * batch_size): LinearRegression's loss has no 1/2 to make up for"


def quiet(model):
    """Switch the live training board off: graders want numbers, not figures."""
    board = getattr(model, "board", None)
    if board is not None:
        board.display = False
    return model


def split_loss(model, data, train=False):
    """The model's own loss over a whole split, as a float (inf or nan when it blew up)."""
    X, y = data.tensors(train=train)
    with torch.no_grad():
        return float(model.loss(model(X), y))


def _sweep(
    data,
    lrs,
    max_epochs,
    seed,
    *,
    warm=False,
    seed_once=False,
    train_split=False,
    measure=split_loss,
    finite_only=False,
):
    out, model = [], None
    if seed_once:
        torch.manual_seed(seed)
    for lr in lrs:
        if model is None or not warm:
            if not seed_once:
                torch.manual_seed(seed)
            model = quiet(d2lkit.LinearRegressionScratch(data.X.shape[1], lr))
        else:  # the warm-start mistake: the same model, its rate changed
            model.lr = lr
        before = measure(model, data, train_split)
        d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
        after = measure(model, data, train_split)
        diverged = not math.isfinite(after) or (not finite_only and after > before)
        out.append({"lr": lr, "val_loss": after, "diverged": diverged})
    return out


def lr_sweep(data, lrs, max_epochs, seed=0):
    """One dict per lr: lr, val_loss (whole validation split after training), diverged."""
    return _sweep(data, lrs, max_epochs, seed)


def _mse_no_half(model, data, train=False):
    return 2 * split_loss(model, data, train)


def sweep_mistakes(data, lrs, max_epochs, seed=0) -> list[tuple[str, list[dict]]]:
    """(name, the sweep that mistake returns) for every known mistake of lr_sweep."""
    return [
        (WARM_START, _sweep(data, lrs, max_epochs, seed, warm=True)),
        (SEED_ONCE, _sweep(data, lrs, max_epochs, seed, seed_once=True)),
        (TRAIN_SPLIT, _sweep(data, lrs, max_epochs, seed, train_split=True)),
        (NO_HALF, _sweep(data, lrs, max_epochs, seed, measure=_mse_no_half)),
        (FINITE_ONLY, _sweep(data, lrs, max_epochs, seed, finite_only=True)),
    ]


class LinearRegressionSum(d2lkit.LinearRegression):
    """LinearRegression whose loss is the squared error summed over the minibatch."""

    def loss(self, y_hat, y):
        return ((y_hat - y.reshape(y_hat.shape)) ** 2).sum()


def sum_loss(y_hat, y):
    return ((y_hat - y.reshape(y_hat.shape)) ** 2).sum()


def sum_loss_mistakes(y_hat, y) -> list[tuple[str, torch.Tensor]]:
    r = y_hat - y.reshape(y_hat.shape)
    return [
        (SUM_MEAN, (r**2).mean()),
        (SUM_HALF, (r**2 / 2).sum()),
        (BROADCAST, ((y_hat - y) ** 2).sum()),
    ]


def lr_for_sum(lr, batch_size):
    """Summing over a batch of B multiplies the gradient by B: divide the rate by B."""
    return lr / batch_size


def lr_mistakes(lr, batch_size) -> list[tuple[str, float]]:
    return [
        (LR_TIMES, lr * batch_size),
        (LR_SAME, lr),
        (LR_SQUARED, lr / batch_size**2),
        (LR_HALF, lr / (2 * batch_size)),
    ]


def trained_weights(model_class, lr, data, max_epochs, seed):
    """(weight, bias) of `model_class(lr)` built after torch.manual_seed(seed) and trained."""
    torch.manual_seed(seed)
    model = quiet(model_class(lr))
    d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
    return model.net.weight.detach().clone(), model.net.bias.detach().clone()
