"""Hidden checks of huber_loss.ipynb (D2L 3.5, exercise 2).

Every input is drawn from the check's `gen` / `seed`, never from the notebook. Known mistakes
are computed (by autograder.reference.huber_loss) only when an answer is wrong, so a right
answer costs one call into the student's code and one reference computation.
"""

import math

import pytest
import torch

from autograder.graders.common import checked
from autograder.graders.huber_loss_parts import (
    FIT_HINT,
    PROBE_FIT,
    PROBE_IS_LINEAR_REGRESSION,
    PROBE_LOSS,
    check_error,
    draw_sigma,
    mixed_residuals,
    read_errors,
    signs,
)
from autograder.judging.checks import CheckFailed, as_number
from autograder.reference import huber_loss as ref

cell = pytest.mark.cell


def huber_what(y_hat, y, sigma):
    what = f"huber_loss(y_hat, y{'' if sigma is None else f', sigma={sigma}'})"
    return f"{what} with y_hat of shape {tuple(y_hat.shape)} and y of shape {tuple(y.shape)}"


def check_huber(student, expect, y_hat, y, sigma=None, expected=None, hint="", **call):
    """Call the student's huber_loss (without sigma when it is None) and compare; returns the
    answer and, with `return_args=True` in `call`, the arguments as the call left them."""
    kwargs = {} if sigma is None else {"sigma": sigma}
    s = 1.0 if sigma is None else sigma
    what = huber_what(y_hat, y, sigma)
    answer = student.call("huber_loss", y_hat, y, what=what, **kwargs, **call)
    got = answer[0] if call.get("return_args") else answer
    expected = ref.huber_loss(y_hat, y, s) if expected is None else expected
    try:
        checked(expect.tensor, got, expected, what=what, mistakes=lambda: ref.mistakes(y_hat, y, s))
    except CheckFailed as exc:
        raise CheckFailed(f"{exc} {hint}".strip()) from None
    return answer


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
def test_at_and_near_sigma(student, expect, gen):
    """at |r| = sigma exactly, just inside and just outside it, and at r = 0, both signs"""
    # Dyadic numbers, so that y_hat - y is exactly +-sigma in float32.
    sigma = int(torch.randint(4, 17, (), generator=gen)) / 8
    y = torch.randint(-16, 17, (9, 1), generator=gen).float() / 16
    steps = torch.tensor([[1.0], [-1.0], [1 - 1e-3], [-1 + 1e-3], [1 + 1e-3], [-1 - 1e-3]])
    y_hat = y + torch.cat([steps * sigma, torch.zeros(3, 1)])
    hint = f"At |r| = sigma both zones give sigma / 2 = {sigma / 2:.4g}; at r = 0 the loss is 0."
    check_huber(student, expect, y_hat, y, sigma, hint=hint)


@cell("huber_loss_values")
def test_flat_labels_are_reshaped(student, expect, gen):
    """y of shape (n,) is reshaped to y_hat's (n, 1), not broadcast"""
    sigma = draw_sigma(gen, 0.5, 2.0)
    n = int(torch.randint(4, 8, (), generator=gen))
    y = torch.randn(n, generator=gen)
    check_huber(student, expect, y.reshape(n, 1) + mixed_residuals(n, sigma, gen), y, sigma)


@cell("huber_loss_values")
def test_flat_predictions(student, expect, gen):
    """a 1-D y_hat of shape (n,) gives a loss of shape (n,), for y of shape (n,) or (n, 1)"""
    sigma = draw_sigma(gen, 0.5, 2.0)
    n = int(torch.randint(4, 8, (), generator=gen))
    y = torch.randn(n, generator=gen)
    y_hat = y + mixed_residuals(n, sigma, gen).reshape(n)
    check_huber(student, expect, y_hat, y, sigma)
    check_huber(student, expect, y_hat, y.reshape(n, 1), sigma)


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
    """huber_loss gives the right loss and leaves y_hat and y unchanged"""
    sigma = draw_sigma(gen, 0.5, 2.0)
    y = torch.randn(5, 1, generator=gen)
    y_hat = y + mixed_residuals(5, sigma, gen)
    _, (y_hat_after, y_after) = check_huber(student, expect, y_hat, y, sigma, return_args=True)
    what = huber_what(y_hat, y, sigma)
    expect.unchanged(y_hat, y_hat_after, name="y_hat", what=what)
    expect.unchanged(y, y_after, name="y", what=what)


@cell("huber_loss_values")
def test_predictions_that_require_grad(student, expect, gen):
    """on a y_hat that requires grad (a model's output) the loss is right and differentiable"""
    sigma = draw_sigma(gen, 0.5, 2.0)
    y = torch.randn(6, 1, generator=gen).double()
    y_hat = (y + mixed_residuals(6, sigma, gen)).requires_grad_(True)
    got, (y_hat_after, _) = check_huber(student, expect, y_hat, y, sigma, return_args=True)
    what = huber_what(y_hat, y, sigma)
    expect.that(
        got.requires_grad,
        f"{what} gave the right values, but detached from y_hat (requires_grad is False): "
        "no gradient can flow back to the model. Keep the computation in torch (no .item(), "
        ".detach(), .numpy() or torch.tensor(...) rebuilt from values).",
    )
    expect.unchanged(y_hat, y_hat_after, name="y_hat", what=what)


# HuberRegression ----------------------------------------------------------------------------


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
    """HuberRegression(lr, sigma) has the right loss, subclasses LinearRegression, keeps lr"""
    lr = round(0.01 + 0.2 * float(torch.rand((), generator=gen)), 3)
    sigma = draw_sigma(gen, 0.5, 2.0)
    y = torch.randn(6, 1, generator=gen)
    y_hat = y + mixed_residuals(6, sigma, gen)
    what = f"HuberRegression(lr={lr}, sigma={sigma})"
    got = student.run(PROBE_IS_LINEAR_REGRESSION, what=what, lr=lr, sigma=sigma, y_hat=y_hat, y=y)
    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be inspected.")
    checked(
        expect.number,
        got["loss"],
        float(ref.huber_loss(y_hat, y, sigma).mean()),
        what=f"{what}.loss(y_hat, y)",
        mistakes=lambda: ref.model_loss_mistakes(y_hat, y, sigma),
    )
    expect.that(
        got["subclass"] is True,
        "HuberRegression should subclass d2lkit.LinearRegression (class HuberRegression("
        "d2lkit.LinearRegression)).",
    )
    expect.number(got["lr"], lr, what=f"{what}.lr")


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


@cell("huber_experiment_result")
def test_errors_are_finite_numbers(student, expect):
    """err_huber and err_mse are right, and finite, non-negative numbers"""
    got = read_errors(student)
    for index, name in enumerate(("err_huber", "err_mse")):
        check_error(expect, got, index, name)
        value = as_number(got[name], name)
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
    """the Huber model recovers the weight better: err_huber < err_mse (both right)"""
    got = read_errors(student)
    err_huber = check_error(expect, got, 0, "err_huber")
    err_mse = check_error(expect, got, 1, "err_mse")
    expect.that(
        err_huber < err_mse,
        f"err_huber = {err_huber:.4g} is not below err_mse = {err_mse:.4g}; with outliers in the "
        "labels the Huber model should recover the weight better.",
    )
