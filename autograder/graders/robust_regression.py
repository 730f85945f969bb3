"""Hidden checks for robust_regression.ipynb (D2L 3.4, exercise 8).

abs_loss is called directly on inputs from the check's `gen`; its gradient is read in the
student's kernel by a probe. outlier_errors is called by a probe that builds the data module
(batch order fixed by `shuffle_seed`) and the element-wise loss in the student's kernel, and
reports the answer and whether the caller's data came back unchanged. Expected values come from
autograder.reference.robust_regression on the same inputs.

Tolerance for outlier_errors: data, batch order and the seeded start are all fixed, so a right
answer has no randomness left; right answers differ by float rounding only. Measured over 40
problems of `_problem`, each with the squared and the absolute loss, the reference in float32
against the same training in float64 differs by at most 2e-7 relative, four orders of magnitude
inside the course's train_rtol of 2e-3. The problems keep the known mistakes outside that band
where the check can tell them apart (a bias 2 to 5 away from its start, weights 1 to 4 from
theirs, so that adding the bias error or squaring the norm shows); tests/graders/
test_robust_regression.py repeats the measurement on a few seeds.
"""

import pytest
import torch

import d2lkit
from autograder.graders.common import checked
from autograder.judging.checks import CheckFailed, describe
from autograder.reference import robust_regression as ref
from autograder.wire.plain import StudentTensor

cell = pytest.mark.cell

# The element-wise losses the probe hands to outlier_errors, by name (the same as LOSSES).
PROBE_ERRORS = """
import copy
import torch
import d2lkit

def _abs(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)).abs()

def _squared(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

def _smooth(y_hat, y):
    return torch.nn.functional.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), reduction="none")

loss_fn = {"abs": _abs, "squared": _squared, "smooth_l1": _smooth}[loss_name]
data = d2lkit.SyntheticRegressionData(**data_args)
X_before, y_before = data.X.clone(), data.y.clone()
# Live training boards would only slow the check down; off for this call alone.
_active = d2lkit.ProgressBoard.active
d2lkit.ProgressBoard.active = property(lambda self: False)
try:
    out = outlier_errors(loss_fn, data, **kwargs)
finally:
    d2lkit.ProgressBoard.active = _active
if isinstance(out, torch.Tensor):
    out = out.detach()
# Numbers keep their exact types: the grader reads them (numpy scalars included).
result = {
    "out": out,
    "data_same": torch.equal(data.X, X_before) and torch.equal(data.y, y_before),
}
"""

PROBE_GRAD = """
import torch
y_hat = y_hat_in.clone().requires_grad_(True)
out = abs_loss(y_hat, y_in)
grad, problem = None, None
if isinstance(out, torch.Tensor) and out.requires_grad:
    grad = torch.autograd.grad(out.sum(), y_hat, allow_unused=True)[0]
    if grad is None:
        problem = "no gradient reaches y_hat"
elif isinstance(out, torch.Tensor):
    problem = "the loss is detached from y_hat (requires_grad is False)"
result = {"out": out.detach() if isinstance(out, torch.Tensor) else out, "grad": grad,
          "problem": problem}
"""


# abs_loss ----------------------------------------------------------------------------------


def _residuals(n, gen, low=0.2, high=3.0):
    """Residuals of both signs and sizes low to high."""
    size = low + (high - low) * torch.rand(n, 1, generator=gen)
    return torch.where(torch.rand(n, 1, generator=gen) < 0.5, -size, size)


def _abs_what(y_hat, y):
    return f"abs_loss(y_hat, y) with y_hat of shape {tuple(y_hat.shape)} and y of shape " + str(
        tuple(y.shape)
    )


def _check_abs(student, expect, y_hat, y, **call):
    what = _abs_what(y_hat, y)
    answer = student.call("abs_loss", y_hat, y, what=what, **call)
    got = answer[0] if call.get("return_args") else answer
    checked(
        expect.tensor,
        got,
        ref.abs_loss(y_hat, y),
        what=what,
        mistakes=lambda: ref.abs_mistakes(y_hat, y),
    )
    return answer


@cell("abs_loss")
def test_absolute_values(student, expect, gen):
    """abs_loss is |y_hat - y| element by element for column y_hat and y"""
    n = int(torch.randint(4, 9, (), generator=gen))
    y = torch.randn(n, 1, generator=gen) * 3
    _check_abs(student, expect, y + _residuals(n, gen), y)


@cell("abs_loss")
def test_flat_labels_are_reshaped(student, expect, gen):
    """y of shape (n,) is reshaped to y_hat's (n, 1), not broadcast"""
    n = int(torch.randint(3, 8, (), generator=gen))
    y = torch.randn(n, generator=gen) * 3
    _check_abs(student, expect, y.reshape(n, 1) + _residuals(n, gen), y)


@cell("abs_loss")
def test_flat_predictions(student, expect, gen):
    """a 1-D y_hat of shape (n,) gives losses of shape (n,), for y of shape (n,) or (n, 1)"""
    n = int(torch.randint(3, 8, (), generator=gen))
    y = torch.randn(n, generator=gen) * 3
    y_hat = y + _residuals(n, gen).reshape(n)
    _check_abs(student, expect, y_hat, y)
    _check_abs(student, expect, y_hat, y.reshape(n, 1))


@cell("abs_loss")
def test_large_residuals_that_cancel(student, expect, gen):
    """large residuals of both signs whose sum is zero: every element is still |r|"""
    k = int(torch.randint(2, 5, (), generator=gen))
    half = _residuals(k, gen, 1.5, 6.0)
    # Dyadic values, so that the residuals sum to zero exactly in float32.
    half = torch.round(half * 8) / 8
    r = torch.cat([half, -half])[torch.randperm(2 * k, generator=gen)]
    y = torch.round(torch.randn(2 * k, 1, generator=gen) * 16) / 8
    _check_abs(student, expect, y + r, y)


@cell("abs_loss")
def test_float64_inputs(student, expect, gen):
    """float64 predictions and labels give the float64 absolute loss"""
    n = int(torch.randint(4, 9, (), generator=gen))
    y = torch.randn(n, 1, generator=gen, dtype=torch.float64) * 3
    _check_abs(student, expect, y + _residuals(n, gen).double() * 1e-3, y)


@cell("abs_loss")
def test_gradient_is_the_sign(student, expect, gen):
    """the loss is differentiable: its gradient is sign(r), and in [-1, 1] where r = 0"""
    n = int(torch.randint(4, 8, (), generator=gen))
    y = torch.round(torch.randn(n, 1, generator=gen) * 16) / 8
    r = _residuals(n, gen)
    r[int(torch.randint(0, n, (), generator=gen))] = 0.0  # a residual exactly 0
    y_hat = y + r
    what = _abs_what(y_hat, y)
    got = student.run(PROBE_GRAD, what=what, y_hat_in=y_hat, y_in=y)
    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be inspected.")
    expected = ref.abs_loss(y_hat, y)
    checked(
        expect.tensor,
        got["out"],
        expected,
        what=what,
        mistakes=lambda: ref.abs_mistakes(y_hat, y),
    )
    expect.that(got["problem"] is None, f"{what} gave the right values, but {got['problem']}.")
    grad = got["grad"]
    ok = isinstance(grad, StudentTensor) and grad.values is not None
    ok = ok and tuple(grad.shape) == tuple(y_hat.shape)
    values = grad.values.double() if ok else None
    finite = ok and bool(torch.isfinite(values).all())
    expect.that(
        finite,
        f"the gradient of {what} with respect to y_hat is {describe(grad)}, with values "
        f"{values.reshape(-1).tolist() if ok else '?'} at r = {r.reshape(-1).tolist()}. "
        + (f"This looks like {ref.SQRT_GRAD}." if ok else ""),
    )
    sign = torch.sign(r).double()
    nonzero = r != 0
    right = torch.equal(values[nonzero], sign[nonzero]) and bool(
        (values[~nonzero].abs() <= 1).all()
    )
    expect.that(
        right,
        f"the gradient of {what} with respect to y_hat should be sign(y_hat - y) (any value in "
        f"[-1, 1] where y_hat = y): expected {sign.reshape(-1).tolist()}, got "
        f"{values.reshape(-1).tolist()}.",
    )


@cell("abs_loss")
def test_inputs_left_unchanged(student, expect, gen):
    """abs_loss gives the right loss and leaves y_hat and y unchanged"""
    n = int(torch.randint(3, 7, (), generator=gen))
    y = torch.randn(n, 1, generator=gen)
    y_hat = y + _residuals(n, gen)
    _, (y_hat_after, y_after) = _check_abs(student, expect, y_hat, y, return_args=True)
    what = _abs_what(y_hat, y)
    expect.unchanged(y_hat, y_hat_after, name="y_hat", what=what)
    expect.unchanged(y, y_after, name="y", what=what)


# outlier_errors ----------------------------------------------------------------------------


def _away(gen, shape, low, high):
    size = low + (high - low) * torch.rand(shape, generator=gen)
    return torch.where(torch.rand(shape, generator=gen) < 0.5, -size, size)


def _problem(gen, outlier_size=(50.0, 500.0)):
    """Data arguments and keyword arguments of outlier_errors for one check."""
    d = int(torch.randint(2, 5, (), generator=gen))
    batch_size = int(torch.randint(4, 9, (), generator=gen))
    num_train = batch_size * int(torch.randint(3, 6, (), generator=gen))
    num_train += int(torch.randint(0, batch_size, (), generator=gen))  # often a partial batch
    num_val = int(torch.randint(8, 17, (), generator=gen))
    data = {
        # The model starts near 0: weights 1 to 4 and a bias 2 to 5 away from it, so that each
        # error term is large next to the tolerance.
        "w": [round(v, 4) for v in _away(gen, (d,), 1.0, 4.0).tolist()],
        "b": round(float(_away(gen, (), 2.0, 5.0)), 4),
        "noise": 0.1,
        "num_train": num_train,
        "num_val": num_val,
        "batch_size": batch_size,
        "seed": int(torch.randint(0, 2**31 - 1, (), generator=gen)),
        "shuffle_seed": int(torch.randint(0, 2**31 - 1, (), generator=gen)),
    }
    kwargs = {
        # Below num_val as well, so that the same row of the validation split exists.
        "outlier_index": int(torch.randint(0, min(num_train, num_val), (), generator=gen)),
        "outlier_value": round(float(_away(gen, (), *outlier_size)), 2),
        "lr": round(0.02 + 0.08 * float(torch.rand((), generator=gen)), 4),
        "max_epochs": int(torch.randint(2, 5, (), generator=gen)),
        "seed": int(torch.randint(0, 10_000, (), generator=gen)),
    }
    return data, kwargs


LOSSES = {"abs": ref.abs_loss, "squared": ref.squared, "smooth_l1": ref.smooth_l1}


def _ask(student, loss_name, data, kwargs):
    shown = "".join(f", {k}={v}" for k, v in kwargs.items())
    what = (
        f"outlier_errors(loss_fn, data{shown}) with the {loss_name.replace('_', ' ')} loss and "
        f"{len(data['w'])} inputs"
    )
    got = student.run(PROBE_ERRORS, what=what, loss_name=loss_name, data_args=data, kwargs=kwargs)
    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be inspected.")
    return got, what


def _check_error(student, expect, loss_name, data, kwargs):
    got, what = _ask(student, loss_name, data, kwargs)
    made = d2lkit.SyntheticRegressionData(**data)
    loss_fn = LOSSES[loss_name]
    checked(
        expect.number,
        got["out"],
        ref.outlier_errors(loss_fn, made, **kwargs),
        what=what,
        mistakes=lambda: ref.outlier_mistakes(loss_fn, made, **kwargs),
        trained=True,
    )
    return got, what


@cell("outlier_errors")
def test_squared_loss_with_outlier(student, expect, gen):
    """with the squared loss, the weight error after training on the planted outlier"""
    _check_error(student, expect, "squared", *_problem(gen))


@cell("outlier_errors")
def test_absolute_loss_with_outlier(student, expect, gen):
    """with the absolute loss, the weight error after training on the planted outlier"""
    _check_error(student, expect, "abs", *_problem(gen))


@cell("outlier_errors")
def test_any_element_loss(student, expect, gen):
    """the mean of whatever element-wise loss is given is trained (here smooth L1)"""
    _check_error(student, expect, "smooth_l1", *_problem(gen))


@cell("outlier_errors")
def test_outlier_replaces_the_label(student, expect, gen):
    """a moderate outlier value replaces the label (it is not added to it)"""
    data, kwargs = _problem(gen, outlier_size=(4.0, 12.0))
    # On the row whose clean label is largest, so that replacing and adding differ clearly.
    labels = d2lkit.SyntheticRegressionData(**data).y.reshape(-1)
    rows = min(data["num_train"], data["num_val"])
    kwargs["outlier_index"] = int(labels[:rows].abs().argmax())
    _check_error(student, expect, "squared", data, kwargs)


@cell("outlier_errors")
def test_data_left_unchanged(student, expect, gen):
    """a right weight error, and the caller's data module keeps its labels"""
    got, what = _check_error(student, expect, "squared", *_problem(gen))
    expect.that(got["data_same"] is True, f"{what} changed the caller's data: {ref.IN_PLACE}.")
