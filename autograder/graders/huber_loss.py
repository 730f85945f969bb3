"""Hidden checks of huber_loss.ipynb (D2L 3.5, exercise 2).

Every input is drawn from the check's `gen` / `seed`, never from the notebook. Known mistakes
are computed (by autograder.reference.huber_loss) only when an answer is wrong, so a right
answer costs one call into the student's code and one reference computation.
"""

import math

import pytest
import torch

from autograder.judging.checks import FLOAT_DTYPES, CheckFailed, Mistake, describe, show
from autograder.reference import huber_loss as ref
from autograder.wire.plain import StudentTensor

cell = pytest.mark.cell


def checked(check, got, expected, *, what, mistakes, **kwargs):
    """Run `check` (expect.tensor or expect.number); if it fails, run it again with the known
    mistakes, computed only now, so the message can name the one the answer matches."""
    try:
        return check(got, expected, what=what, **kwargs)
    except CheckFailed:
        check(got, expected, what=what, mistakes=[Mistake(n, v) for n, v in mistakes()], **kwargs)
        raise


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


def check_huber(student, expect, y_hat, y, sigma=None, expected=None, hint=""):
    """Call the student's huber_loss (without sigma when it is None) and compare."""
    kwargs = {} if sigma is None else {"sigma": sigma}
    s = 1.0 if sigma is None else sigma
    what = f"huber_loss(y_hat, y{'' if sigma is None else f', sigma={sigma}'})"
    what += f" with y_hat of shape {tuple(y_hat.shape)} and y of shape {tuple(y.shape)}"
    got = student.call("huber_loss", y_hat, y, what=what, **kwargs)
    expected = ref.huber_loss(y_hat, y, s) if expected is None else expected
    try:
        checked(expect.tensor, got, expected, what=what, mistakes=lambda: ref.mistakes(y_hat, y, s))
    except CheckFailed as exc:
        raise CheckFailed(f"{exc} {hint}".strip()) from None


# huber_loss ---------------------------------------------------------------------------------


@cell("huber_loss_values")
def test_quadratic_zone(student, expect, gen):
    """huber_loss is r**2 / (2 sigma) where |r| <= sigma (sigma other than 1)"""
    sigma = draw_sigma(gen, 1.5, 2.5)
    n = int(torch.randint(5, 9, (), generator=gen))
    y = torch.randn(n, 1, generator=gen)
    y_hat = y + (torch.rand(n, 1, generator=gen) * 1.8 - 0.9) * sigma
    check_huber(student, expect, y_hat, y, sigma)


@cell("huber_loss_values")
def test_linear_zone(student, expect, gen):
    """huber_loss is |r| - sigma / 2 where |r| > sigma (sigma other than 1)"""
    sigma = draw_sigma(gen, 0.3, 0.8)
    n = int(torch.randint(5, 9, (), generator=gen))
    y = torch.randn(n, 1, generator=gen)
    y_hat = y + signs(n, gen) * sigma * (1.2 + 4 * torch.rand(n, 1, generator=gen))
    check_huber(student, expect, y_hat, y, sigma)


@cell("huber_loss_values")
def test_continuous_at_sigma(student, expect, gen):
    """huber_loss is continuous where |r| crosses sigma"""
    sigma = draw_sigma(gen, 0.5, 2.0)
    y = torch.randn(6, 1, generator=gen)
    # Just inside, at, and just outside the threshold, on both sides of zero.
    offsets = torch.tensor([[1 - 1e-3], [1.0], [1 + 1e-3], [-1 + 1e-3], [-1.0], [-1 - 1e-3]])
    hint = f"Near |r| = sigma both zones must give about sigma / 2 = {sigma / 2:.4g}."
    check_huber(student, expect, y + offsets * sigma, y, sigma, hint=hint)


@cell("huber_loss_values")
def test_flat_labels_are_reshaped(student, expect, gen):
    """y of shape (n,) is reshaped to y_hat's (n, 1), not broadcast"""
    sigma = draw_sigma(gen, 0.5, 2.0)
    n = int(torch.randint(4, 8, (), generator=gen))
    y = torch.randn(n, generator=gen)
    check_huber(student, expect, y.reshape(n, 1) + mixed_residuals(n, sigma, gen), y, sigma)


@cell("huber_loss_values")
def test_default_sigma_matches_smooth_l1(student, expect, gen):
    """with the default sigma = 1 it equals SmoothL1Loss(beta=1, reduction='none')"""
    n = int(torch.randint(6, 10, (), generator=gen))
    y = torch.randn(n, 1, generator=gen)
    y_hat = y + mixed_residuals(n, 1.0, gen)
    expected = torch.nn.SmoothL1Loss(beta=1.0, reduction="none")(y_hat, y)
    check_huber(student, expect, y_hat, y, expected=expected)


@cell("huber_loss_values")
def test_inputs_left_unchanged(student, expect, gen):
    """huber_loss leaves y_hat and y unchanged"""
    sigma = draw_sigma(gen, 0.5, 2.0)
    y = torch.randn(5, 1, generator=gen)
    y_hat = y + mixed_residuals(5, sigma, gen)
    _, (y_hat_after, y_after) = student.call(
        "huber_loss", y_hat, y, sigma=sigma, what="huber_loss(y_hat, y, sigma)", return_args=True
    )
    for name, before, after in (("y_hat", y_hat, y_hat_after), ("y", y, y_after)):
        now = show(after.values) if after.values is not None else "unreadable"
        expect.that(
            after.values is not None and torch.equal(after.values, before.double()),
            f"huber_loss changed its input {name} in place (it was {show(before)}, then {now}); "
            "compute the residual as a new tensor (r = y_hat - y) instead of with `-=`.",
        )


# HuberRegression ----------------------------------------------------------------------------

PROBE_LOSS = """
import torch
model = HuberRegression(**init)
result = model.loss(y_hat, y)
"""

PROBE_IS_LINEAR_REGRESSION = """
import d2lkit
model = HuberRegression(lr=lr, sigma=sigma)
result = {"subclass": isinstance(model, d2lkit.LinearRegression), "lr": model.lr}
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


def check_model_loss(student, expect, y_hat, y, sigma):
    init = {"lr": 0.1} if sigma is None else {"lr": 0.1, "sigma": sigma}
    s = 1.0 if sigma is None else sigma
    args = "lr=0.1" if sigma is None else f"lr=0.1, sigma={sigma}"
    what = f"HuberRegression({args}).loss(y_hat, y) with y of shape {tuple(y.shape)}"
    got = student.run(PROBE_LOSS, what=what, init=init, y_hat=y_hat, y=y)
    checked(
        expect.number,
        got,
        float(ref.huber_loss(y_hat, y, s).mean()),
        what=what,
        mistakes=lambda: ref.model_loss_mistakes(y_hat, y, s),
    )


@cell("huber_regression")
def test_is_a_linear_regression(student, expect, gen):
    """HuberRegression(lr, sigma) is a d2lkit.LinearRegression that keeps lr"""
    lr = round(0.01 + 0.2 * float(torch.rand((), generator=gen)), 3)
    sigma = draw_sigma(gen, 0.5, 2.0)
    got = student.run(
        PROBE_IS_LINEAR_REGRESSION,
        what=f"HuberRegression(lr={lr}, sigma={sigma})",
        lr=lr,
        sigma=sigma,
    )
    expect.that(
        isinstance(got, dict) and got.get("subclass") is True,
        "HuberRegression should subclass d2lkit.LinearRegression (class HuberRegression("
        "d2lkit.LinearRegression)).",
    )
    expect.number(got.get("lr"), lr, what=f"HuberRegression(lr={lr}, sigma={sigma}).lr")


@cell("huber_regression")
def test_loss_is_mean_huber(student, expect, gen):
    """loss(y_hat, y) is the mean of huber_loss (sigma other than 1)"""
    sigma = draw_sigma(gen, 0.3, 0.8)
    n = int(torch.randint(6, 10, (), generator=gen))
    y = torch.randn(n, 1, generator=gen)
    check_model_loss(student, expect, y + mixed_residuals(n, sigma, gen), y, sigma)


@cell("huber_regression")
def test_loss_with_flat_labels(student, expect, gen):
    """loss(y_hat, y) takes y of shape (n,) like y of shape (n, 1)"""
    sigma = draw_sigma(gen, 1.5, 2.5)
    n = int(torch.randint(6, 10, (), generator=gen))
    y = torch.randn(n, generator=gen)
    check_model_loss(student, expect, y.reshape(n, 1) + mixed_residuals(n, sigma, gen), y, sigma)


@cell("huber_regression")
def test_default_sigma_is_one(student, expect, gen):
    """HuberRegression(lr) uses sigma = 1 by default"""
    n = int(torch.randint(6, 10, (), generator=gen))
    y = torch.randn(n, 1, generator=gen)
    check_model_loss(student, expect, y + mixed_residuals(n, 1.0, gen), y, None)


@cell("huber_regression")
def test_short_training_run(student, expect, gen, seed):
    """a short seeded training run ends at the reference's weights"""
    setup = ref.fit_setup(gen, seed)
    what = f"the weight of HuberRegression(lr=0.1, sigma={setup['sigma']}) after 2 epochs"
    got = student.run(PROBE_FIT, what=what, **setup)
    w_ref, b_ref = ref.fit_run(**setup)

    def mistakes(index):
        return lambda: [(n, run[index]) for n, run in ref.fit_run_mistakes(**setup).items()]

    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be read (got {type(got).__name__}).")
    try:
        checked(expect.tensor, got["w"], w_ref, what=what, mistakes=mistakes(0), trained=True)
        what = what.replace("weight", "bias")
        checked(expect.tensor, got["b"], b_ref, what=what, mistakes=mistakes(1), trained=True)
    except CheckFailed as exc:
        if "This looks like" in str(exc):
            raise
        raise CheckFailed(f"{exc} {FIT_HINT}") from None


# The experiment -----------------------------------------------------------------------------

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


def as_float(value, name):
    """A float from a Python number or a one-element floating-point tensor."""
    one_number = (
        isinstance(value, StudentTensor)
        and value.values is not None
        and value.values.numel() == 1
        and value.dtype in FLOAT_DTYPES
    )
    if one_number:
        return float(value.values.reshape(-1)[0])
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise CheckFailed(
        f"{name} should be a number (a float or a one-element tensor), but it is {describe(value)}."
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
        checked(
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


@cell("huber_experiment_result")
def test_errors_are_finite_numbers(student, expect):
    """err_huber and err_mse are finite, non-negative numbers"""
    got = read_errors(student)
    for name in ("err_huber", "err_mse"):
        value = as_float(got[name], name)
        expect.that(
            math.isfinite(value) and value >= 0,
            f"{name} is {value}: the norm of a weight error is a finite number >= 0.",
        )


@cell("huber_experiment_result")
def test_err_huber_matches_setup(student, expect):
    """err_huber is the weight error of the Huber model trained as stated"""
    check_error(expect, read_errors(student), 0, "err_huber")


@cell("huber_experiment_result")
def test_err_mse_matches_setup(student, expect):
    """err_mse is the weight error of the squared-loss model trained as stated"""
    check_error(expect, read_errors(student), 1, "err_mse")


@cell("huber_experiment_result")
def test_huber_beats_squared_loss(student, expect):
    """the Huber model recovers the weight better: err_huber < err_mse"""
    got = read_errors(student)
    err_huber, err_mse = (as_float(got[name], name) for name in ("err_huber", "err_mse"))
    expect.that(
        err_huber < err_mse,
        f"err_huber = {err_huber:.4g} is not below err_mse = {err_mse:.4g}; with outliers in the "
        "labels the Huber model should recover the weight better.",
    )
