"""Hidden checks for learning_rate.ipynb (D2L 3.4 exercise 6, 3.5 exercises 1 and 4).

lr_sweep is called by a probe that builds the data module in the student's kernel (batch order
fixed by `shuffle_seed`); the answer and whether the data came back unchanged are read back.
LinearRegressionSum is probed for its loss and for a short training run; lr_for_sum is called
directly. Expected values come from autograder.reference.learning_rate on the same inputs.

Tolerance for lr_sweep: data, batch order and each seeded start are fixed, so right answers
differ by float rounding only (the course's train_rtol of 2e-3 applies). The learning rates
are drawn away from the divergence threshold (near 1 for these unit-variance inputs and small
batches): two in [0.01, 0.3], which always converge, and one in [3, 8], which always blows up
within the few epochs, usually to a huge but finite loss (so a test of finiteness alone misses
it). Over 30 problems every known mistake but one is at least 8 % away from the right losses
in some entry; seeding once before the loop (a different N(0, 0.01^2) start for the later
models) moves them by 0.02 % to 0.8 %, so it is caught on most inputs and harmless on others.
A whole number of validation batches: the mean of the trainer's per-batch validation losses is
then the loss over the whole split, so either honest reading is right.
"""

import math

import pytest
import torch

import d2lkit
from autograder.graders.common import checked
from autograder.judging.checks import CheckFailed, Mistake, as_number, as_truth, describe
from autograder.reference import learning_rate as ref

cell = pytest.mark.cell

PROBE_SWEEP = """
import torch
import d2lkit

data = d2lkit.SyntheticRegressionData(**data_args)
X_before, y_before = data.X.clone(), data.y.clone()
_active = d2lkit.ProgressBoard.active
d2lkit.ProgressBoard.active = property(lambda self: False)
try:
    out = lr_sweep(data, lrs, **kwargs)
finally:
    d2lkit.ProgressBoard.active = _active


def _plain(value):
    # Tensors travel detached; numbers and bools keep their exact types, read by the grader.
    return value.detach() if isinstance(value, torch.Tensor) else value


if isinstance(out, (list, tuple)):
    out = [{str(k): _plain(v) for k, v in row.items()} if isinstance(row, dict) else repr(row)[:80]
           for row in out]
else:
    out = repr(out)[:80]
result = {"out": out,
          "data_same": torch.equal(data.X, X_before) and torch.equal(data.y, y_before)}
"""

PROBE_SUM_LOSS = """
import d2lkit
model = LinearRegressionSum(lr=lr)
result = {"subclass": isinstance(model, d2lkit.LinearRegression), "lr": model.lr,
          "loss": model.loss(y_hat, y)}
"""

PROBE_SUM_FIT = """
import torch
import d2lkit
data = d2lkit.SyntheticRegressionData(**data_args)
torch.manual_seed(seed)
model = LinearRegressionSum(lr=lr)
if getattr(model, "board", None) is not None:
    model.board.display = False
d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
result = {"w": model.net.weight.detach().clone(), "b": model.net.bias.detach().clone()}
"""


def _u(gen, low, high, digits=4):
    return round(low + (high - low) * float(torch.rand((), generator=gen)), digits)


def _data(gen, partial=False):
    d = int(torch.randint(1, 4, (), generator=gen))
    batch_size = int(torch.randint(4, 9, (), generator=gen))
    num_train = batch_size * int(torch.randint(3, 6, (), generator=gen))
    if partial:
        num_train += int(torch.randint(1, batch_size, (), generator=gen))
    return {
        "w": [round(v, 3) for v in (torch.randn(d, generator=gen) * 2).tolist()],
        "b": _u(gen, -3.0, 3.0, 3),
        "noise": 0.1,
        "num_train": num_train,
        "num_val": batch_size * int(torch.randint(1, 4, (), generator=gen)),
        "batch_size": batch_size,
        "seed": int(torch.randint(0, 2**31 - 1, (), generator=gen)),
        "shuffle_seed": int(torch.randint(0, 2**31 - 1, (), generator=gen)),
    }


def _problem(gen):
    """Data arguments, learning rates (two stable, one diverging) and keyword arguments."""
    data = _data(gen)
    lrs = [_u(gen, 0.01, 0.05), _u(gen, 0.1, 0.3), _u(gen, 3.0, 8.0, 3)]
    kwargs = {
        "max_epochs": int(torch.randint(2, 4, (), generator=gen)),
        "seed": int(torch.randint(0, 10_000, (), generator=gen)),
    }
    return data, lrs, kwargs


def _sweep_what(lrs, kwargs):
    shown = "".join(f", {k}={v}" for k, v in kwargs.items())
    return f"lr_sweep(data, lrs={lrs}{shown})"


def _check_sweep(student, expect, data, lrs, kwargs):
    what = _sweep_what(lrs, kwargs)
    got = student.run(PROBE_SWEEP, what=what, data_args=data, lrs=lrs, kwargs=kwargs)
    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be inspected.")
    out = got["out"]
    if not isinstance(out, list) or len(out) != len(lrs):
        raise CheckFailed(
            f"{what} should return a list of {len(lrs)} dicts, one per learning rate, but it "
            f"returned {describe(out)}."
        )
    made = d2lkit.SyntheticRegressionData(**data)
    expected = ref.lr_sweep(made, lrs, **kwargs)
    found = []

    def mistakes_at(i, key):
        if not found:
            found.extend(ref.sweep_mistakes(made, lrs, **kwargs))
        return [(name, sweep[i][key]) for name, sweep in found]

    for i, (row, right) in enumerate(zip(out, expected, strict=True)):
        at = f"the entry for lr={lrs[i]} of {what}"
        if not isinstance(row, dict) or not {"lr", "val_loss", "diverged"} <= set(row):
            raise CheckFailed(
                f"{at} should be a dict with keys 'lr', 'val_loss' and 'diverged', but it is "
                f"{describe(row)}."
            )
        expect.number(row["lr"], lrs[i], what=f"{at}: 'lr'")
        diverged = as_truth(row["diverged"], f"{at}: 'diverged'")
        if diverged != right["diverged"]:
            names = [n for n, v in mistakes_at(i, "diverged") if v == diverged]
            hint = f" This looks like {names[0]}." if names else ""
            raise CheckFailed(
                f"{at}: 'diverged' is {diverged}, expected {right['diverged']} (the loss over "
                f"the validation split went from before training to {right['val_loss']:.4g})."
                f"{hint}"
            )
        if not right["diverged"]:
            checked(
                expect.number,
                row["val_loss"],
                right["val_loss"],
                what=f"{at}: 'val_loss'",
                mistakes=lambda i=i: [
                    (n, v) for n, v in mistakes_at(i, "val_loss") if math.isfinite(v)
                ],
                trained=True,
            )
    return got, what


@cell("lr_sweep")
def test_sweep_from_small_to_diverging(student, expect, gen):
    """two stable rates and one that diverges, in increasing order"""
    _check_sweep(student, expect, *_problem(gen))


@cell("lr_sweep")
def test_sweep_in_decreasing_order(student, expect, gen):
    """the diverging rate first: each rate starts from its own fresh, seeded model"""
    data, lrs, kwargs = _problem(gen)
    _check_sweep(student, expect, data, lrs[::-1], kwargs)


@cell("lr_sweep")
def test_stable_rates_only(student, expect, gen):
    """several stable rates: every validation loss after training"""
    data, _, kwargs = _problem(gen)
    lrs = sorted({_u(gen, 0.005, 0.3) for _ in range(3)})
    _check_sweep(student, expect, data, lrs, kwargs)


@cell("lr_sweep")
def test_default_seed(student, expect, gen):
    """without a seed argument the models are built after torch.manual_seed(0)"""
    data, lrs, kwargs = _problem(gen)
    _check_sweep(student, expect, data, lrs, {"max_epochs": kwargs["max_epochs"]})


@cell("lr_sweep")
def test_data_left_unchanged(student, expect, gen):
    """a right sweep that leaves the caller's data module as it was"""
    data, lrs, kwargs = _problem(gen)
    got, what = _check_sweep(student, expect, data, lrs, kwargs)
    expect.that(got["data_same"] is True, f"{what} changed the data module's X or y.")


# LinearRegressionSum ------------------------------------------------------------------------


def _sum_loss(student, expect, y_hat, y, lr):
    what = f"LinearRegressionSum(lr={lr}).loss(y_hat, y) with y of shape {tuple(y.shape)}"
    got = student.run(PROBE_SUM_LOSS, what=what, lr=lr, y_hat=y_hat, y=y)
    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be inspected.")
    checked(
        expect.number,
        got["loss"],
        float(ref.sum_loss(y_hat, y)),
        what=what,
        mistakes=lambda: [(n, float(v)) for n, v in ref.sum_loss_mistakes(y_hat, y)],
    )
    return got


@cell("linear_regression_sum")
def test_loss_is_the_summed_squared_error(student, expect, gen):
    """loss(y_hat, y) is the sum of (y_hat - y)**2 over the minibatch"""
    n = int(torch.randint(3, 9, (), generator=gen))
    y = torch.randn(n, 1, generator=gen)
    _sum_loss(student, expect, y + torch.randn(n, 1, generator=gen), y, _u(gen, 0.01, 0.2))


@cell("linear_regression_sum")
def test_flat_labels_are_reshaped(student, expect, gen):
    """labels of shape (n,) are matched to predictions (n, 1), not broadcast"""
    n = int(torch.randint(3, 9, (), generator=gen))
    y = torch.randn(n, generator=gen)
    y_hat = y.reshape(n, 1) + torch.randn(n, 1, generator=gen)
    _sum_loss(student, expect, y_hat, y, _u(gen, 0.01, 0.2))


@cell("linear_regression_sum")
def test_is_a_linear_regression(student, expect, gen):
    """a right loss, in a subclass of d2lkit.LinearRegression that keeps lr"""
    lr = _u(gen, 0.01, 0.2)
    y = torch.randn(5, 1, generator=gen)
    got = _sum_loss(student, expect, y + torch.randn(5, 1, generator=gen), y, lr)
    expect.that(
        got["subclass"] is True,
        "LinearRegressionSum should subclass d2lkit.LinearRegression "
        "(class LinearRegressionSum(d2lkit.LinearRegression)).",
    )
    expect.number(got["lr"], lr, what=f"LinearRegressionSum(lr={lr}).lr")


@cell("linear_regression_sum")
def test_trains_like_the_reference(student, expect, gen):
    """a short seeded training run ends at the reference's weights"""
    data = _data(gen)
    lr = _u(gen, 0.002, 0.02)
    seed = int(torch.randint(0, 10_000, (), generator=gen))
    what = f"the weight of LinearRegressionSum(lr={lr}) after 2 epochs of training"
    got = student.run(PROBE_SUM_FIT, what=what, data_args=data, lr=lr, seed=seed, max_epochs=2)
    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be inspected.")
    made = d2lkit.SyntheticRegressionData(**data)
    w, _ = ref.trained_weights(ref.LinearRegressionSum, lr, made, 2, seed)
    mean_w, _ = ref.trained_weights(d2lkit.LinearRegression, lr, made, 2, seed)
    expect.tensor(got["w"], w, what=what, mistakes=[Mistake(ref.SUM_MEAN, mean_w)], trained=True)


# lr_for_sum -----------------------------------------------------------------------------------


def _check_lr(student, expect, lr, batch_size):
    what = f"lr_for_sum({lr}, {batch_size})"
    got = student.call("lr_for_sum", lr, batch_size, what=what)
    checked(
        expect.number,
        got,
        ref.lr_for_sum(lr, batch_size),
        what=what,
        mistakes=lambda: ref.lr_mistakes(lr, batch_size),
    )


@cell("lr_for_sum")
def test_rate_for_several_batch_sizes(student, expect, gen):
    """the rate for the summed loss, for batch sizes 2 to 256"""
    for _ in range(3):
        _check_lr(
            student, expect, _u(gen, 0.005, 0.5), int(torch.randint(2, 257, (), generator=gen))
        )


@cell("lr_for_sum")
def test_rate_steps_like_the_mean(student, expect, gen):
    """with lr_for_sum's rate, the summed model trains exactly like LinearRegression(lr)"""
    data = _data(gen)
    lr = _u(gen, 0.01, 0.1)
    what = f"lr_for_sum({lr}, {data['batch_size']})"
    got = as_number(student.call("lr_for_sum", lr, data["batch_size"], what=what), what)
    made = d2lkit.SyntheticRegressionData(**data)
    mean_w, _ = ref.trained_weights(d2lkit.LinearRegression, lr, made, 1, 0)
    if not got > 0:
        raise CheckFailed(f"{what} is {got}; a learning rate must be positive.")
    sum_w, _ = ref.trained_weights(ref.LinearRegressionSum, got, made, 1, 0)
    expect.that(
        expect.close(sum_w, mean_w, trained=True),
        f"LinearRegressionSum trained with {what} = {got:.6g} does not step like "
        f"LinearRegression(lr={lr}) on full batches of {data['batch_size']}: weights "
        f"{sum_w.reshape(-1).tolist()} against {mean_w.reshape(-1).tolist()}.",
    )
    _check_lr(student, expect, lr, data["batch_size"])
