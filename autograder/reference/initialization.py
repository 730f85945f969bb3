"""Reference answers for initialization (D2L 3.4, exercise 1), computed with the kit.

`train_from` trains a d2lkit.LinearRegressionScratch from given starting weights; `mistakes`
trains the same model the ways students get it wrong, on the same data, so a grader can name
the mistake a student's numbers match. Data are described by a plain dict (`setting["data"]`,
the arguments of d2lkit.SyntheticRegressionData with `shuffle_seed`), so that the grader's
probe can build the very same data module inside the student's kernel.
"""

from __future__ import annotations

import torch

import d2lkit
from autograder.judging.checks import Mistake

B0_IGNORED = "b0 not used: the bias started at the model's default 0 instead of a copy of b0"
W0_IGNORED = "w0 not used: the weight started at the model's default N(0, 0.01^2) draw"
W_FROZEN = (
    "a copy of w0 that does not require grad, so the weight never trained (only b moved); "
    "use w0.clone().requires_grad_(True) or copy into the model's own w under torch.no_grad()"
)
UNTRAINED = "the starting values returned: the model was not trained (or its w, b were not read)"
W_UNMOVED = (
    "a weight that never left w0: either the model was not trained, or its w is a copy that "
    "does not require grad, so that only b trained"
)
LR_IGNORED = "the lr argument ignored (the default 0.03 used)"
EPOCHS_IGNORED = "the max_epochs argument ignored (the default 3 used)"
TRAIN_HISTORY = "the training losses (history.train_loss) where the validation losses are asked"
LAST_ONLY = "only the last epoch's validation loss where one loss per epoch is asked"
IN_PLACE = (
    "the caller's w0 or b0 trained in place (the model's parameter is the caller's tensor, not "
    "a copy)"
)


def make_data(data: dict) -> d2lkit.SyntheticRegressionData:
    return d2lkit.SyntheticRegressionData(**data)


def _fit(data, w_start, b_start, lr, max_epochs, seed, trainable=(True, True)):
    """Train a scratch model from (w_start, b_start); returns (w, b, train_loss, val_loss)."""
    torch.manual_seed(seed)
    model = d2lkit.LinearRegressionScratch(w_start.shape[0], lr)
    model.board.display = False  # nobody watches the reference train
    model.w = w_start.detach().clone().requires_grad_(trainable[0])
    model.b = b_start.detach().clone().requires_grad_(trainable[1])
    trainer = d2lkit.Trainer(max_epochs=max_epochs)
    trainer.fit(model, data)
    history = trainer.history
    return (
        model.w.detach().clone(),
        model.b.detach().clone(),
        list(history.train_loss),
        list(history.val_loss),
    )


def train_from(data, w0, b0, lr=0.03, max_epochs=3, seed=0):
    """(trained w, trained b, per-epoch validation losses), starting from copies of w0, b0."""
    w, b, _, val = _fit(data, w0, b0, lr, max_epochs, seed)
    return w, b, val


def default_start(num_inputs, seed):
    """The weight LinearRegressionScratch draws for itself after torch.manual_seed(seed)."""
    torch.manual_seed(seed)
    return d2lkit.LinearRegressionScratch(num_inputs, 0.03).w.detach().clone()


def mistakes(data, w0, b0, lr, max_epochs, seed) -> dict[str, list[Mistake]]:
    """{"w": [...], "b": [...], "val_loss": [...]}: what each known mistake returns."""
    d = w0.shape[0]
    runs = {
        B0_IGNORED: _fit(data, w0, torch.zeros(1), lr, max_epochs, seed),
        W0_IGNORED: _fit(data, default_start(d, seed), b0, lr, max_epochs, seed),
        W_FROZEN: _fit(data, w0, b0, lr, max_epochs, seed, trainable=(False, True)),
        LR_IGNORED: _fit(data, w0, b0, 0.03, max_epochs, seed),
        EPOCHS_IGNORED: _fit(data, w0, b0, lr, 3, seed),
    }
    found = {
        "w": [Mistake(W_UNMOVED, w0.clone())],
        "b": [Mistake(UNTRAINED, b0.clone())],
        "val_loss": [],
    }
    for name, (w, b, _, val) in runs.items():
        if name != W_FROZEN:  # its w is w0 itself: W_UNMOVED names both causes
            found["w"].append(Mistake(name, w))
        found["b"].append(Mistake(name, b))
        found["val_loss"].append(Mistake(name, torch.tensor(val, dtype=torch.float64)))
    _, _, train, val = _fit(data, w0, b0, lr, max_epochs, seed)
    found["val_loss"].append(Mistake(TRAIN_HISTORY, torch.tensor(train, dtype=torch.float64)))
    return found
