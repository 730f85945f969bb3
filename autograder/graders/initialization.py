"""Hidden checks for initialization.ipynb (D2L 3.4, exercise 1).

Each check draws a small regression problem and a starting point from its `gen`, builds the
data module inside the student's kernel (batch order fixed by `shuffle_seed`, as the course's
conventions ask), calls `train_from` there and reads back plain numbers: the answer, and the
caller's w0, b0 and data as they were after the call. The expected values come from the same
seeded run in autograder.reference.initialization.

Tolerance: with `shuffle_seed` fixed and w, b overwritten by w0, b0, a right answer has no
randomness left (`seed` only matters to the default draw, which is overwritten), so right
answers agree up to float32 rounding, far inside the course's training tolerance (relative
2e-3). The inputs keep known mistakes out of that band: starts 0.5 to 3 away from zero and from
the true line, one or two short epochs (so the start is not forgotten), lr never the default.
Measured over 40 seeds of `_problem` (tests/graders/test_initialization.py repeats it on 10):
the nearest known mistake's trained w is at least 1.2 % (6 x that tolerance) away from the
right w in some entry. A mistake in the weight's start can leave the bias or the losses alone
nearly unchanged for a rare input; the checks of those two are backed by the five others, which
all look at w.
"""

from dataclasses import replace

import pytest
import torch

from autograder.graders.common import checked
from autograder.judging.checks import CheckFailed, as_number, describe
from autograder.reference import initialization as ref
from autograder.wire.plain import StudentArray, StudentTensor

cell = pytest.mark.cell

# The answer travels as it is (numpy scalars included): `as_number` reads each loss in the
# grader.
PROBE = """
import torch
import d2lkit

data = d2lkit.SyntheticRegressionData(**data_args)
X_before, y_before = data.X.clone(), data.y.clone()
w0, b0 = w0_in.clone(), b0_in.clone()
# Live training boards would only slow the check down; off for this call alone.
_active = d2lkit.ProgressBoard.active
d2lkit.ProgressBoard.active = property(lambda self: False)
try:
    out = train_from(data, w0, b0, **kwargs)
finally:
    d2lkit.ProgressBoard.active = _active

result = {
    "out": out,
    "w0": w0.detach().clone(),
    "b0": b0.detach().clone(),
    "w0_requires_grad": w0.requires_grad,
    "b0_requires_grad": b0.requires_grad,
    "data_same": torch.equal(data.X, X_before) and torch.equal(data.y, y_before),
}
"""


def _uniform(gen, low, high):
    return round(low + (high - low) * float(torch.rand((), generator=gen)), 4)


def _away_from_zero(gen, shape):
    """Entries of size 0.5 to 3, either sign: far from 0 and from the default N(0, 0.01^2)
    draw, so that ignoring w0 or b0 changes the result well beyond the tolerance."""
    size = 0.5 + 2.5 * torch.rand(shape, generator=gen)
    return torch.where(torch.rand(shape, generator=gen) < 0.5, -size, size)


def _problem(gen, d=None, w0=None, b0=None):
    """Data arguments, w0 (d, 1), b0 (1,) and training arguments for one check."""
    d = d or int(torch.randint(1, 5, (), generator=gen))
    if w0 is None:
        w0 = _away_from_zero(gen, (d, 1))
    if b0 is None:
        b0 = _away_from_zero(gen, (1,))
    batch_size = int(torch.randint(4, 9, (), generator=gen))
    data = {
        # The true line lies 0.5 to 3 away from the start in every coordinate, so that every
        # parameter has to move, and a wrong rate, epoch count or start shows in each of them.
        "w": (w0.reshape(-1) + _away_from_zero(gen, (d,))).tolist(),
        "b": round(float(b0) + float(_away_from_zero(gen, ())), 4),
        "noise": 0.1,
        # A few short epochs: training must not forget where it started, or a wrong start
        # could end within the tolerance of the right one.
        "num_train": batch_size * int(torch.randint(3, 5, (), generator=gen)) + 3,
        # A whole number of validation batches: the history's per-epoch mean of batch losses is
        # then also the loss over the whole split, so either honest reading of it is right.
        "num_val": batch_size * int(torch.randint(1, 4, (), generator=gen)),
        "batch_size": batch_size,
        "seed": int(torch.randint(0, 2**31 - 1, (), generator=gen)),
        "shuffle_seed": int(torch.randint(0, 2**31 - 1, (), generator=gen)),
    }
    kwargs = {
        # Never the defaults 0.03 and 3, so that ignoring an argument shows.
        "lr": _uniform(gen, 0.05, 0.12),
        "max_epochs": int(torch.randint(1, 3, (), generator=gen)),
        "seed": int(torch.randint(0, 10_000, (), generator=gen)),
    }
    return data, w0, b0, kwargs


def _ask(student, data, w0, b0, kwargs):
    shown = "".join(f", {k}={v}" for k, v in kwargs.items())
    what = f"train_from(data, w0, b0{shown}) with w0 of shape {tuple(w0.shape)}"
    try:
        got = student.run(PROBE, what=what, data_args=data, w0_in=w0, b0_in=b0, kwargs=kwargs)
    except CheckFailed as exc:
        if "does not require grad" in str(exc):
            raise CheckFailed(
                f"{exc} The model's w and b are copies that do not require grad, so backward "
                "has nothing to differentiate; use w0.clone().requires_grad_(True)."
            ) from None
        raise
    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be inspected.")
    out = got["out"]
    if not isinstance(out, list | tuple) or len(out) != 3:
        raise CheckFailed(
            f"{what} should return three things (w, b, validation losses), but it returned "
            f"{describe(out)}."
        )
    return got, what


def _expected(data, w0, b0, kwargs):
    """The right (w, b, val_loss) and a function computing the known mistakes' answers: they
    take six more training runs, so they are computed only for an answer that failed."""
    full = {"lr": 0.03, "max_epochs": 3, "seed": 0, **kwargs}
    made = ref.make_data(data)
    found = {}

    def mistakes(key):
        if not found:
            found.update(ref.mistakes(made, w0, b0, **full))
        return [(m.name, m.value) for m in found[key]]

    return ref.train_from(made, w0, b0, **full), mistakes


def _entries(value):
    """A 1-D tensor or array as its entries, each a one-element value of the same kind."""
    return [replace(value, values=entry.reshape(()), shape=()) for entry in value.values]


def _losses(value, what, epochs):
    """The student's validation losses (a list of numbers, or a 1-D tensor or array), each read
    by `as_number`, as a float64 StudentTensor for expect.tensor."""
    one_d = isinstance(value, StudentTensor | StudentArray) and len(value.shape) == 1
    if one_d and value.values is not None:
        items = _entries(value)
    elif isinstance(value, list | tuple):
        items = list(value)
    elif isinstance(value, int | float | StudentTensor | StudentArray) and not isinstance(
        value, bool
    ):
        raise CheckFailed(
            f"the validation losses of {what} are {describe(value)}; expected a list of "
            f"{epochs} numbers, one per epoch. This looks like {ref.LAST_ONLY}."
        )
    else:
        raise CheckFailed(
            f"the validation losses of {what} should be a list of floats, one per epoch, but "
            f"they are {describe(value)}."
        )
    column = torch.tensor(
        [as_number(item, f"each validation loss of {what}") for item in items],
        dtype=torch.float64,
    )
    return StudentTensor(column, "torch.float64", tuple(column.shape), "cpu", False)


def _check_w(expect, got, what, expected, mistakes):
    checked(
        expect.tensor,
        got["out"][0],
        expected[0],
        what=f"the trained w of {what}",
        mistakes=lambda: mistakes("w"),
        trained=True,
    )


def _check_b(expect, got, what, expected, mistakes):
    checked(
        expect.tensor,
        got["out"][1],
        expected[1],
        what=f"the trained b of {what}",
        mistakes=lambda: mistakes("b"),
        trained=True,
    )


def _check_losses(expect, got, what, expected, mistakes):
    epochs = len(expected[2])
    checked(
        expect.tensor,
        _losses(got["out"][2], what, epochs),
        torch.tensor(expected[2], dtype=torch.float64),
        what=f"the validation losses (one per epoch) of {what}",
        mistakes=lambda: mistakes("val_loss"),
        trained=True,
    )


def _run(student, data, w0, b0, kwargs):
    got, what = _ask(student, data, w0, b0, kwargs)
    expected, mistakes = _expected(data, w0, b0, kwargs)
    return got, what, expected, mistakes


@cell("train_from")
def test_trained_weight(student, expect, gen):
    """the returned w is the weight after training from a copy of w0"""
    _check_w(expect, *_run(student, *_problem(gen)))


@cell("train_from")
def test_trained_bias(student, expect, gen):
    """the returned b is the bias after training from a copy of b0"""
    _check_b(expect, *_run(student, *_problem(gen)))


@cell("train_from")
def test_validation_losses(student, expect, gen):
    """the third result is the trainer's validation loss of every epoch"""
    _check_losses(expect, *_run(student, *_problem(gen)))


@cell("train_from")
def test_default_arguments(student, expect, gen):
    """the defaults are lr=0.03, max_epochs=3, seed=0"""
    data, w0, b0, _ = _problem(gen)
    got, what, expected, mistakes = _run(student, data, w0, b0, {})
    _check_w(expect, got, what, expected, mistakes)
    _check_losses(expect, got, what, expected, mistakes)


@cell("train_from")
def test_zero_start(student, expect, gen):
    """training from w0 = 0 and b0 = 0 works and reaches the reference's values"""
    d = int(torch.randint(2, 5, (), generator=gen))
    run = _run(student, *_problem(gen, d, torch.zeros(d, 1), torch.zeros(1)))
    _check_w(expect, *run)
    _check_b(expect, *run)


@cell("train_from")
def test_large_start(student, expect, gen):
    """training from w0 ~ N(0, 1000) (standard deviation about 31.6) reaches the reference"""
    d = int(torch.randint(2, 5, (), generator=gen))
    w0 = torch.randn(d, 1, generator=gen) * 1000**0.5
    run = _run(student, *_problem(gen, d, w0))
    _check_w(expect, *run)
    _check_losses(expect, *run)


@cell("train_from")
def test_inputs_left_unchanged(student, expect, gen):
    """a right answer that leaves the caller's w0, b0 and data as they were"""
    data, w0, b0, kwargs = _problem(gen)
    got, what, expected, mistakes = _run(student, data, w0, b0, kwargs)
    # Leaving the inputs alone counts only in an answer whose values are right.
    _check_w(expect, got, what, expected, mistakes)
    _check_b(expect, got, what, expected, mistakes)
    for name, before in (("w0", w0), ("b0", b0)):
        after = got[name]
        same = isinstance(after, StudentTensor) and after.values is not None
        same = same and tuple(after.shape) == tuple(before.shape)
        expect.that(
            same and torch.equal(after.values.float(), before),
            f"{what} changed the caller's {name} (it ends at {describe(after)} with other "
            f"values). This looks like {ref.IN_PLACE}; start the model from {name}.clone().",
        )
        expect.that(
            not got[f"{name}_requires_grad"],
            f"{what} switched on requires_grad of the caller's {name}; make the model's "
            f"parameter a copy, e.g. {name}.clone().requires_grad_(True).",
        )
    expect.that(
        got["data_same"] is True,
        f"{what} changed the data module's X or y; train on the data as they are given.",
    )
