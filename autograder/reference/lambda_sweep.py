"""Reference answers for lambda_sweep (D2L 3.7, exercises 1 and 2), computed with the kit.

`sweep` is the right answer; `sweep_with_mistakes` also returns what each known mistake of the
exercise gives on the same data, so a grader can name the mistake a student's numbers match.
"""

from __future__ import annotations

import torch

import d2lkit
from autograder.judging.checks import Mistake

# A tiny version of the section's data set: many inputs, few examples. num_val is not a
# multiple of batch_size, so a loss averaged over batches differs from the whole-split loss.
DATA = {"num_train": 20, "num_val": 22, "num_inputs": 50, "batch_size": 5}
KEYS = ("lambd", "train_loss", "val_loss", "w_norm")

WARM_START = "one model reused across lambdas (a warm start from the previous lambda's weights)"
NO_RESEED = (
    "torch.manual_seed(seed) called once instead of before each lambda "
    "(each lambda starts from different weights and batches)"
)
VAL_ON_TRAIN = "validation loss measured on the training split"
PENALTY = "the penalty lambd * ||w||^2 / 2 included in the reported loss"
BATCH_MEAN = "the loss averaged over batches (e.g. trainer.history) instead of the whole split"
HALF = "a 1/2 in the loss (squared_loss) where the mean squared error is meant"
SQUARED_NORM = "the squared norm ||w||^2 reported where the norm ||w|| is meant"
L2_PENALTY = "l2_penalty(w) = ||w||^2 / 2 reported where the norm ||w|| is meant"


def make_data(seed: int) -> d2lkit.Data:
    return d2lkit.Data(**DATA, seed=seed)


def _mse(model, X, y) -> float:
    # WeightDecay's own loss is the mean squared error; the decay lives in the optimizer.
    with torch.no_grad():
        return model.loss(model(X), y).item()


def _model(lambd, lr):
    model = d2lkit.WeightDecay(wd=lambd, lr=lr)
    # In an instructor's notebook the live board would draw every fit; nobody sees it here.
    model.board.display = False
    return model


def _fit(model, data, max_epochs):
    trainer = d2lkit.Trainer(max_epochs=max_epochs)
    trainer.fit(model, data)
    return trainer


def _measure(model, trainer, data, lambd) -> tuple[dict, dict]:
    """The right row for one trained model, and what each row-level mistake reports."""
    X_train, y_train = data.tensors(train=True)
    X_val, y_val = data.tensors(train=False)
    w = model.get_w_b()[0]
    norm_sq = float((w**2).sum())
    row = {
        "lambd": lambd,
        "train_loss": _mse(model, X_train, y_train),
        "val_loss": _mse(model, X_val, y_val),
        "w_norm": norm_sq**0.5,
    }
    penalty = lambd * norm_sq / 2
    # Iterating a DataLoader draws a seed from the global RNG even without shuffling; fork it
    # so a sweep that is not reseeded per lambda sees the RNG exactly as a student's does.
    with torch.no_grad(), torch.random.fork_rng(devices=[]):
        val_batches = [model.loss(model(X), y).item() for X, y in data.val_dataloader()]
        half_train = d2lkit.squared_loss(model(X_train), y_train).item()
        half_val = d2lkit.squared_loss(model(X_val), y_val).item()
    mistakes = {
        "train_loss": {
            PENALTY: row["train_loss"] + penalty,
            BATCH_MEAN: trainer.history.train_loss[-1],
            HALF: half_train,
        },
        "val_loss": {
            VAL_ON_TRAIN: row["train_loss"],
            PENALTY: row["val_loss"] + penalty,
            BATCH_MEAN: sum(val_batches) / len(val_batches),
            HALF: half_val,
        },
        "w_norm": {SQUARED_NORM: norm_sq, L2_PENALTY: norm_sq / 2},
    }
    return row, mistakes


def sweep(data, lambdas, max_epochs=10, lr=0.01, seed=0) -> list[dict]:
    """One fresh, identically seeded WeightDecay model per lambda (a controlled experiment)."""
    return _sweep(data, lambdas, max_epochs, lr, seed)[0]


def _sweep(data, lambdas, max_epochs, lr, seed):
    rows, mistakes = [], []
    for lambd in lambdas:
        torch.manual_seed(seed)
        model = _model(lambd, lr)
        trainer = _fit(model, data, max_epochs)
        row, wrong = _measure(model, trainer, data, lambd)
        rows.append(row)
        mistakes.append(wrong)
    return rows, mistakes


def _warm_start(data, lambdas, max_epochs, lr, seed, reseed):
    """One model trained on, lambda after lambda, with or without reseeding in between."""
    torch.manual_seed(seed)
    model = _model(lambdas[0], lr)
    rows = []
    for lambd in lambdas:
        if reseed:
            torch.manual_seed(seed)
        model.wd = lambd
        trainer = _fit(model, data, max_epochs)
        rows.append(_measure(model, trainer, data, lambd)[0])
    return rows


def _seeded_once(data, lambdas, max_epochs, lr, seed):
    torch.manual_seed(seed)
    rows = []
    for lambd in lambdas:
        model = _model(lambd, lr)
        trainer = _fit(model, data, max_epochs)
        rows.append(_measure(model, trainer, data, lambd)[0])
    return rows


def column(rows, key) -> torch.Tensor:
    return torch.tensor([float(row[key]) for row in rows], dtype=torch.float64)


def run_mistakes(data, lambdas, max_epochs, lr, seed) -> dict[str, list[dict]]:
    """Whole sweeps done wrong: name -> rows."""
    return {
        WARM_START: _warm_start(data, lambdas, max_epochs, lr, seed, reseed=True),
        WARM_START + " ": _warm_start(data, lambdas, max_epochs, lr, seed, reseed=False),
        NO_RESEED: _seeded_once(data, lambdas, max_epochs, lr, seed),
    }


def sweep_with_mistakes(data, lambdas, max_epochs, lr, seed):
    """(right rows, {key: [Mistake(name, column over lambdas)]}) for train_loss, val_loss and
    w_norm."""
    rows, row_mistakes = _sweep(data, lambdas, max_epochs, lr, seed)
    runs = run_mistakes(data, lambdas, max_epochs, lr, seed)
    mistakes = {}
    for key in ("train_loss", "val_loss", "w_norm"):
        found = [
            Mistake(
                name.strip(),
                torch.tensor([m[key][name] for m in row_mistakes], dtype=torch.float64),
            )
            for name in row_mistakes[0][key]
        ]
        found += [Mistake(name.strip(), column(wrong, key)) for name, wrong in runs.items()]
        mistakes[key] = found
    return rows, mistakes


def best_lambda(results) -> float:
    """The lambda with the lowest validation loss; the first one on a tie."""
    best = min(range(len(results)), key=lambda i: results[i]["val_loss"])
    return results[best]["lambd"]
