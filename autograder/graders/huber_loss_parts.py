"""Inputs, probes and the experiment's reading for the huber_loss graders (kept apart so that
the grader file reads as its list of checks). Not a grader: the runner collects only
`huber_loss.py`."""

import torch

from autograder.graders.common import checked
from autograder.judging.checks import CheckFailed
from autograder.reference import huber_loss as ref


def draw_sigma(gen, low, high):
    """A threshold in [low, high), rounded so messages show it plainly."""
    return round(low + (high - low) * float(torch.rand((), generator=gen)), 3)


def signs(n, gen):
    return torch.randint(0, 2, (n, 1), generator=gen).float() * 2 - 1


def mixed_residuals(n, sigma, gen):
    """Residuals on both sides of sigma: half inside the quadratic zone, half well outside."""
    inside = (torch.rand(n // 2, 1, generator=gen) * 1.8 - 0.9) * sigma
    outside = signs(n - n // 2, gen) * sigma * (1.2 + 3 * torch.rand(n - n // 2, 1, generator=gen))
    return torch.cat([inside, outside])[torch.randperm(n, generator=gen)]


PROBE_LOSS = """
import torch
model = HuberRegression(**init)
result = model.loss(y_hat, y)
"""

PROBE_IS_LINEAR_REGRESSION = """
import d2lkit
model = HuberRegression(lr=lr, sigma=sigma)
result = {"subclass": isinstance(model, d2lkit.LinearRegression), "lr": model.lr,
          "loss": model.loss(y_hat, y)}
"""

PROBE_FIT = """
import torch, d2lkit
data = d2lkit.OutlierRegressionData(w, b, seed=data_seed, **data_kwargs)
torch.manual_seed(model_seed)
model = HuberRegression(lr=lr, sigma=sigma)
if getattr(model, "board", None) is not None:
    model.board.display = False  # no live figure while grading
d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
result = {"w": model.net.weight.detach().clone(), "b": model.net.bias.detach().clone()}
"""


PROBE_ERRORS = """
result = {name: globals().get(name, "undefined") for name in ("err_huber", "err_mse")}
"""

SETUP_HINT = (
    "Follow the stated setup exactly: torch.manual_seed(0) right before building each model, "
    "lr=0.1, sigma=1.0, a d2lkit.Trainer(max_epochs=5), the `data` given above, and a "
    "HuberRegression that builds on d2lkit.LinearRegression and changes only the loss."
)
FIT_HINT = (
    "A HuberRegression that builds on d2lkit.LinearRegression (same layer, initialisation and "
    "optimiser) and changes only the loss ends where the reference does."
)


def read_errors(student):
    got = student.run(PROBE_ERRORS, what="the experiment's err_huber and err_mse")
    if not isinstance(got, dict):
        raise CheckFailed("err_huber and err_mse could not be read.")
    for name in ("err_huber", "err_mse"):
        if got.get(name) == "undefined":
            raise CheckFailed(f"{name} is not defined: run the experiment cell, keeping the name.")
    return got


def check_error(expect, got, index, name):
    expected = ref.experiment()[index]
    try:
        return checked(
            expect.number,
            got[name],
            expected,
            what=name,
            mistakes=lambda: [
                (m[0], m[1 + index]) for m in ref.experiment_mistakes() if m[1 + index] is not None
            ],
            trained=True,
        )
    except CheckFailed as exc:
        if "This looks like" in str(exc):
            raise
        raise CheckFailed(f"{exc} {SETUP_HINT}") from None
