"""Reference answers for polynomial_fit (D2L 3.6, exercises 1 and 7), computed with the kit.

`fit_interpolating_poly` solves the Vandermonde system in float64; `poly_mistakes` gives what
the known wrong fits return on the same points. `learning_curve` trains one fresh
d2lkit.LinearRegression per fraction on the first rows of the training split; `curve_mistakes`
trains the ways students get it wrong, on the same data, so a grader can name the mistake a
student's numbers match. Data are described by a plain dict (the arguments of
d2lkit.SyntheticRegressionData with `shuffle_seed`), so that the grader's probe can build the
very same data module inside the student's kernel.
"""

from __future__ import annotations

import copy

import torch

import d2lkit
from autograder.judging.checks import Mistake

FLOAT32 = "a polynomial fitted in float32 (the Vandermonde system needs float64)"
HIGHEST_FIRST = "the coefficients in the order highest power first (as numpy.polyfit gives them)"
COLUMN = "a column of shape (n, 1) where a vector of n coefficients is asked"
TOO_FEW = "a polynomial of degree n - 2 (least squares with n - 1 coefficients)"
TOO_MANY = "a polynomial of degree n (n + 1 coefficients), one more than n points determine"

WARM_START = "one model reused across fractions (each fit starts where the last one ended)"
TRAIN_SPLIT = "the loss measured on the training examples instead of the validation split"
ALL_DATA = "every fit trained on all training examples (the fraction not applied)"
FLOOR = "n computed as int(f * num_train), which rounds down, instead of round(f * num_train)"
SHIFTED_VAL = (
    "num_train changed on a copy of the data, so the validation split moved to row n and took "
    "in the unused training rows"
)
SEEDED_ONCE = "torch.manual_seed(seed) called once before the loop instead of before each model"
GLOBAL_SHUFFLE = (
    "a training loader shuffled by torch's global generator instead of one seeded with "
    "data.shuffle_seed"
)


# Exercise 1: the interpolating polynomial --------------------------------------------------


def vandermonde(x: torch.Tensor, columns: int) -> torch.Tensor:
    """Rows 1, x_i, x_i^2, ...: `columns` powers, lowest first."""
    return torch.vander(x.reshape(-1), N=columns, increasing=True)


def fit_interpolating_poly(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """c_0, ..., c_{n-1} (float64) with sum_j c_j x_i^j = y_i for every i."""
    x, y = x.detach().double().reshape(-1), y.detach().double().reshape(-1)
    return torch.linalg.solve(vandermonde(x, len(x)), y)


def poly_eval(coefficients: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """The polynomial with these coefficients (lowest first) at x, by Horner's rule."""
    x = x.double()
    out = torch.zeros_like(x)
    for c in coefficients.double().flip(0):
        out = out * x + c
    return out


def poly_mistakes(x: torch.Tensor, y: torch.Tensor) -> list[Mistake]:
    right = fit_interpolating_poly(x, y)
    x32, y32 = x.detach().float().reshape(-1), y.detach().float().reshape(-1)
    x64, y64 = x32.double(), y32.double()
    n = len(x64)
    found = [
        Mistake(FLOAT32, torch.linalg.solve(vandermonde(x32, n), y32).double()),
        Mistake(HIGHEST_FIRST, right.flip(0)),
        Mistake(COLUMN, right.reshape(-1, 1)),
    ]
    if n > 1:
        low = torch.linalg.lstsq(vandermonde(x64, n - 1), y64.reshape(-1, 1)).solution
        found.append(Mistake(TOO_FEW, low.reshape(-1)))
    # The minimum-norm solution is the one a pseudo-inverse or lstsq gives for n + 1 columns.
    high = torch.linalg.pinv(vandermonde(x64, n + 1)) @ y64
    found.append(Mistake(TOO_MANY, high))
    return found


# Exercise 7: a learning curve --------------------------------------------------------------


def make_data(data: dict) -> d2lkit.SyntheticRegressionData:
    return d2lkit.SyntheticRegressionData(**data)


class FirstRows(d2lkit.DataModule):
    """The first `n` training rows of `data` (batches shuffled by `data.shuffle_seed`, unless
    `global_shuffle`), and all of its validation split."""

    def __init__(self, data, n, global_shuffle=False):
        # No save_hyperparameters: these are plain attributes, set directly.
        self.data, self.n, self.batch_size = data, n, data.batch_size
        self.shuffle_seed = None if global_shuffle else data.shuffle_seed

    def get_dataloader(self, train):
        if train:
            return self.get_tensorloader((self.data.X, self.data.y), True, slice(0, self.n))
        return self.data.val_dataloader()


def size_of(fraction: float, num_train: int) -> int:
    return round(fraction * num_train)


def _model(seed):
    if seed is not None:
        torch.manual_seed(seed)
    model = d2lkit.LinearRegression(lr=0.03)
    model.board.display = False  # nobody watches the reference train
    return model


def _loss(model, X, y) -> float:
    with torch.no_grad():
        return float(model.loss(model(X), y))


def _curve(
    data,
    fractions,
    max_epochs,
    seed,
    *,
    sizes=size_of,
    warm=False,
    once=False,
    measure_on_train=False,
    all_data=False,
    shift_val=False,
    global_shuffle=False,
):
    """The learning curve, or one of its known wrong versions (keyword flags)."""
    if once or warm:
        torch.manual_seed(seed)
    model = None
    rows = []
    for fraction in fractions:
        n = data.num_train if all_data else sizes(fraction, data.num_train)
        if model is None or not warm:
            model = _model(None if once or warm else seed)
        if shift_val:
            subset = copy.copy(data)
            subset.num_train = n
        else:
            subset = FirstRows(data, n, global_shuffle)
        d2lkit.Trainer(max_epochs=max_epochs).fit(model, subset)
        X, y = (subset if shift_val else data).tensors(train=measure_on_train)
        if measure_on_train:
            X, y = X[:n], y[:n]
        rows.append({"fraction": fraction, "n": n, "val_loss": _loss(model, X, y)})
    return rows


def learning_curve(data, fractions, max_epochs, seed=0) -> list[dict]:
    """One dict (fraction, n, val_loss) per fraction, each from a fresh model."""
    return _curve(data, fractions, max_epochs, seed)


def losses(rows: list[dict]) -> torch.Tensor:
    return torch.tensor([row["val_loss"] for row in rows], dtype=torch.float64)


def curve_mistakes(data, fractions, max_epochs, seed) -> list[Mistake]:
    """What each known mistake gives as the vector of validation losses."""
    ways = {
        WARM_START: {"warm": True},
        TRAIN_SPLIT: {"measure_on_train": True},
        ALL_DATA: {"all_data": True},
        FLOOR: {"sizes": lambda f, n: int(f * n)},
        SHIFTED_VAL: {"shift_val": True},
        SEEDED_ONCE: {"once": True},
        GLOBAL_SHUFFLE: {"global_shuffle": True},
    }
    return [
        Mistake(name, losses(_curve(data, fractions, max_epochs, seed, **flags)))
        for name, flags in ways.items()
    ]
