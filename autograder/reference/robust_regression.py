"""Reference answers for robust_regression.ipynb (D2L 3.4, exercise 8), computed with the kit.

`abs_loss` is the absolute loss element by element; `outlier_errors` plants one gross label
error in a copy of a d2lkit.SyntheticRegressionData, trains d2lkit.LinearRegressionScratch with
the mean of a given element-wise loss and returns the distance of the learnt weight from the
true one. The mistake functions compute, on the same inputs, what each known wrong answer
returns, so a grader can name the mistake an answer matches.
"""

from __future__ import annotations

import copy

import torch

import d2lkit

# Names of the known mistakes, as they read after "This looks like ...".
BROADCAST = "y of shape (n,) broadcast against y_hat of shape (n, 1) into an (n, n) matrix"
COLUMN = (
    "y reshaped to a column (n, 1) whatever y_hat's shape: against a 1-D y_hat of shape (n,) "
    "it broadcasts into an (n, n) matrix (reshape y to y_hat.shape)"
)
SQUARED = "the squared loss (y_hat - y)**2 / 2 where the absolute loss is asked"
REDUCED = "one number (the mean of |y_hat - y|) where one loss per element is asked"
REDUCED_SUM = "one number (the sum of |y_hat - y|) where one loss per element is asked"
BATCH_SWITCH = (
    "a loss that switches the whole batch between squared and absolute on a threshold of the "
    "summed residual (positive and negative residuals cancel in the sum; decide per element)"
)
SQRT_GRAD = (
    "|r| computed as sqrt(r**2): its gradient at r = 0 is NaN (0 / 0), which poisons training; "
    "use torch.abs"
)

LOSS_IGNORED = "loss_fn ignored: the model's own squared loss was trained"
LOSS_SUMMED = "the sum of loss_fn over the minibatch where its mean is asked"
NO_OUTLIER = "the outlier never planted: the clean data were trained on"
OUTLIER_ADDED = "outlier_value added to the label instead of replacing it"
WRONG_ROW = (
    "the outlier planted in row outlier_index of the validation split (the row after "
    "num_train) instead of the training split"
)
SQUARED_NORM = "the squared norm of the weight error where its norm is asked"
WITH_BIAS = "the error of weight and bias together where only the weight's is asked"
NORM_BROADCAST = (
    "w of shape (d, 1) minus data.w of shape (d,) broadcast into a (d, d) matrix before the "
    "norm (reshape one to the other's shape)"
)
IN_PLACE = (
    "the outlier written into the caller's data (its y changed); plant it in a copy, e.g. "
    "copy.deepcopy(data)"
)


def abs_loss(y_hat, y):
    """|y_hat - y| element by element, y reshaped to y_hat's shape."""
    return (y_hat - y.reshape(y_hat.shape)).abs()


def squared(y_hat, y):
    """(y_hat - y)**2 / 2 element by element: the scratch model's loss before its mean."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def smooth_l1(y_hat, y):
    """SmoothL1Loss(beta=1) element by element: a third element-wise loss for the graders."""
    return torch.nn.functional.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), reduction="none")


def abs_mistakes(y_hat, y) -> list[tuple[str, torch.Tensor]]:
    """(name, value) of each known abs_loss mistake on these inputs."""
    r = y_hat - y.reshape(y_hat.shape)
    # The batch switch first: where it applies its value is the squared loss's, and it is the
    # likelier cause of an answer that is right on other inputs.
    found = [(BATCH_SWITCH, r**2 / 2)] if abs(float(r.sum())) <= 1.0 else []
    found += [
        (SQUARED, r**2 / 2),
        (REDUCED, r.abs().mean()),
        (REDUCED_SUM, r.abs().sum()),
        (BROADCAST, (y_hat - y).abs()),
    ]
    if y_hat.dim() == 1:
        found.append((COLUMN, (y_hat - y.reshape(-1, 1)).abs()))
    return found


def quiet(model):
    """Switch the live training board off: graders want numbers, not figures."""
    board = getattr(model, "board", None)
    if board is not None:
        board.display = False
    return model


def _train(data, loss, lr, max_epochs, seed):
    """(w, b) after training LinearRegressionScratch with `loss(y_hat, y)` as its loss."""
    torch.manual_seed(seed)
    model = quiet(d2lkit.LinearRegressionScratch(data.w.numel(), lr))
    model.loss = loss
    d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
    return model.w.detach().clone(), model.b.detach().clone()


def planted(data, outlier_index, outlier_value, add=False, row_offset=0):
    """A copy of `data` whose training label `outlier_index` is `outlier_value`."""
    dirty = copy.deepcopy(data)
    row = outlier_index + row_offset
    if add:
        dirty.y[row] += outlier_value
    else:
        dirty.y[row] = outlier_value
    return dirty


def weight_error(w, data):
    return float(torch.linalg.norm(w.detach().reshape(-1) - data.w.reshape(-1)))


def outlier_errors(loss_fn, data, outlier_index, outlier_value, lr, max_epochs, seed=0):
    """||w - data.w|| after training on a copy of `data` with one label set to outlier_value."""
    dirty = planted(data, outlier_index, outlier_value)
    w, _ = _train(dirty, lambda y_hat, y: loss_fn(y_hat, y).mean(), lr, max_epochs, seed)
    return weight_error(w, data)


def outlier_mistakes(loss_fn, data, outlier_index, outlier_value, lr, max_epochs, seed=0):
    """(name, value) of what each known mistake of outlier_errors returns on these inputs."""
    dirty = planted(data, outlier_index, outlier_value)

    def mean_loss(y_hat, y):
        return loss_fn(y_hat, y).mean()

    w, b = _train(dirty, mean_loss, lr, max_epochs, seed)
    err = weight_error(w, data)
    true_w = data.w.reshape(-1)
    found = [
        (SQUARED_NORM, err**2),
        (WITH_BIAS, float(torch.linalg.norm(torch.cat([w.reshape(-1) - true_w, b - data.b])))),
        (NORM_BROADCAST, float(torch.linalg.norm(w - true_w))),
        (LOSS_IGNORED, weight_error(_train(dirty, squared_mean, lr, max_epochs, seed)[0], data)),
        (
            LOSS_SUMMED,
            weight_error(
                _train(dirty, lambda p, t: loss_fn(p, t).sum(), lr, max_epochs, seed)[0], data
            ),
        ),
        (NO_OUTLIER, weight_error(_train(data, mean_loss, lr, max_epochs, seed)[0], data)),
    ]
    for name, kwargs in (
        (OUTLIER_ADDED, {"add": True}),
        (WRONG_ROW, {"row_offset": data.num_train}),
    ):
        other = planted(data, outlier_index, outlier_value, **kwargs)
        found.append((name, weight_error(_train(other, mean_loss, lr, max_epochs, seed)[0], data)))
    return found


def squared_mean(y_hat, y):
    return squared(y_hat, y).mean()
