"""Hidden checks for loaders.ipynb (D2L 3.3, exercises 1, 3 and 4).

`batch_sizes` is deterministic and compared exactly with torch's DataLoader on sizes drawn from
the check's `gen` (divisible and not, a batch larger than the data, batches of one).

The two classes are judged by behaviour, as the contract states it, on data arguments drawn
from `gen`: a probe builds the student's module in the student's kernel, passes over its
training loader twice (and over a second loader), reads the validation split and torch's
global random state, and sends back the plain tensors; every comparison is made here. Each
check first asks for the class's defining property (FreshData: the second pass holds none of
the first pass's examples; ReproducibleData: both passes and a second loader give the same
batches), so a stub or the kit's plain data module earns nothing.

Tolerances: labels are compared with noise 0, up to float32 rounding (atol 1e-4 on labels of
size below 20). The noise check draws 300 to 500 examples at noise sigma in [0.3, 1]; the
sample standard deviation of n Gaussian residuals has relative spread about 1/sqrt(2 n) < 4.1 %,
so the band of +-25 % is over 6 spreads wide, and a module that ignores `noise` (spread 0) or
uses it as a variance (sigma^2, at least 30 % below sigma for the sigma <= 0.7 drawn) is
outside it. The training check fits a LinearRegression(lr=0.1) for two epochs of 20 to 30
steps on noise 0.01, true parameters of size at most 4 (a start at most 8 away): with unit-
variance inputs and MSELoss (no 1/2) each step shrinks the error by about 1 - 2 * 0.1, and
0.8^40 < 2e-4, so a right module ends far inside the 0.1 allowed; the reference's runs over 20
seeds of this check end within 0.02 (tests/graders/test_loaders.py), while a module whose
labels are off the line or whose passes are empty ends far away.
"""

import pytest
import torch

from autograder.graders.loaders_parts import (
    ask,
    data_args,
    fresh,
    int_in,
    on_line,
    reproducible,
    rows_shared,
    same,
    stacked,
    state_kept,
    trains,
)
from autograder.judging.checks import CheckFailed, as_number, describe
from autograder.reference import loaders as ref

cell = pytest.mark.cell

# The noise check's band around `noise`: +-25 %, over 6 spreads of the sample standard deviation
# (derived in the module docstring; tests/graders/test_loaders.py measures under 15 %).
NOISE_RTOL = 0.25


# --- batch_sizes -------------------------------------------------------------------------


def _check_sizes(student, expect, n, batch_size, drop_last):
    what = f"batch_sizes({n}, {batch_size}, drop_last={drop_last})"
    got = student.call("batch_sizes", n, batch_size, drop_last=drop_last, what=what)
    right = ref.batch_sizes(n, batch_size, drop_last)
    if not isinstance(got, list | tuple):
        raise CheckFailed(f"{what} should return a list of ints, but it returned {describe(got)}.")
    sizes = [as_number(v, f"each size in {what}") for v in got]
    if any(v != int(v) for v in sizes):
        raise CheckFailed(f"{what} returned {sizes}; batch sizes are whole numbers.")
    sizes = [int(v) for v in sizes]
    if sizes != right:
        named = [
            m.name for m in ref.batch_sizes_mistakes(n, batch_size, drop_last) if m.value == sizes
        ]
        hint = f" This looks like {named[0]}." if named else ""
        raise CheckFailed(f"{what} returned {sizes}, expected {right}.{hint}")


@cell("batch_sizes")
def test_short_last_batch(student, expect, gen):
    """a batch size that does not divide n leaves a short last batch"""
    bs = int_in(gen, 3, 12)
    _check_sizes(student, expect, bs * int_in(gen, 2, 9) + int_in(gen, 1, bs - 1), bs, False)


@cell("batch_sizes")
def test_short_last_batch_dropped(student, expect, gen):
    """drop_last=True drops only the short last batch"""
    bs = int_in(gen, 3, 12)
    _check_sizes(student, expect, bs * int_in(gen, 2, 9) + int_in(gen, 1, bs - 1), bs, True)


@cell("batch_sizes")
def test_divisible(student, expect, gen):
    """when the batch size divides n, drop_last changes nothing"""
    bs, k = int_in(gen, 2, 12), int_in(gen, 2, 9)
    _check_sizes(student, expect, bs * k, bs, False)
    _check_sizes(student, expect, bs * k, bs, True)


@cell("batch_sizes")
def test_batch_larger_than_data(student, expect, gen):
    """n below the batch size: one short batch, or none with drop_last"""
    n = int_in(gen, 1, 20)
    bs = n + int_in(gen, 1, 20)
    _check_sizes(student, expect, n, bs, False)
    _check_sizes(student, expect, n, bs, True)


@cell("batch_sizes")
def test_batches_of_one_and_large_n(student, expect, gen):
    """batches of one, and the book's n = 1000 with a batch size drawn from 7 to 64"""
    _check_sizes(student, expect, int_in(gen, 2, 30), 1, gen.initial_seed() % 2 == 0)
    _check_sizes(student, expect, 1000, int_in(gen, 7, 64), True)
    _check_sizes(student, expect, 1000, int_in(gen, 7, 64), False)


# --- FreshData ---------------------------------------------------------------------------


@cell("fresh_data")
def test_fresh_examples_every_pass(student, expect, gen):
    """every pass over one training loader draws new examples"""
    args = data_args(gen)
    got, what = ask(student, gen, "FreshData", args)
    fresh(got, args, what)


@cell("fresh_data")
def test_fresh_labels_follow_the_line(student, expect, gen):
    """fresh examples of every pass, with labels X w + b (noise 0), in batches of the right size"""
    args = data_args(gen)
    got, what = ask(student, gen, "FreshData", args)
    fresh(got, args, what)
    for i, part in enumerate(got["passes"]):
        X, y, sizes = stacked(part, what)
        on_line(expect, X, y, args, what, "training")
        right = ref.batch_sizes(args["num_train"], args["batch_size"])
        expect.that(
            sizes == right,
            f"pass {i + 1} over the training loader of {what} had batches of sizes {sizes}, "
            f"expected {right}.",
        )


@cell("fresh_data")
def test_fresh_loader_has_a_length(student, expect, gen):
    """fresh passes, and len() of the training loader is the number of batches of one pass"""
    args = data_args(gen)
    got, what = ask(student, gen, "FreshData", args)
    fresh(got, args, what)
    right = len(ref.batch_sizes(args["num_train"], args["batch_size"]))
    if got["length"] is None:
        raise CheckFailed(
            f"len() of the training loader of {what} failed. This looks like {ref.NO_LEN}."
        )
    length = as_number(got["length"], f"len() of the training loader of {what}")
    expect.that(
        length == right, f"len() of the training loader of {what} is {length:g}, expected {right}."
    )


@cell("fresh_data")
def test_fresh_validation_split(student, expect, gen):
    """fresh training passes; the validation split holds num_val examples on the line"""
    args = data_args(gen)
    got, what = ask(student, gen, "FreshData", args)
    fresh(got, args, what)
    X, y, _ = stacked(got["val"], f"the validation loader of {what}")
    expect.that(
        X.shape[0] == args["num_val"],
        f"the validation loader of {what} holds {X.shape[0]} examples, expected num_val = "
        f"{args['num_val']}.",
    )
    on_line(expect, X, y, args, what, "validation")


@cell("fresh_data")
def test_fresh_noise_level(student, expect, gen):
    """fresh passes whose labels scatter around the line with standard deviation `noise`"""
    noise = round(0.3 + 0.4 * float(torch.rand((), generator=gen)), 3)
    args = data_args(gen, noise=noise, num_train=int_in(gen, 300, 500))
    got, what = ask(student, gen, "FreshData", args)
    fresh(got, args, what)
    X, y, _ = stacked(got["passes"][0], what)
    w = torch.tensor(args["w"], dtype=torch.float64).reshape(-1, 1)
    spread = (y - X @ w - args["b"]).std().item()
    hint = ""
    if spread < 0.05:
        hint = " This looks like the noise argument ignored."
    elif expect.close(spread, noise**2, rtol=NOISE_RTOL):
        hint = " This looks like noise used as a variance (the standard deviation is asked)."
    expect.that(
        expect.close(spread, noise, rtol=NOISE_RTOL),
        f"the labels of {what} scatter around the line with standard deviation {spread:.3g}, "
        f"expected about {noise:g}.{hint}",
    )


@cell("fresh_data")
def test_fresh_data_trains(student, expect, gen):
    """the trainer fits a LinearRegression on FreshData and finds the true line"""
    args = data_args(gen, noise=0.01, num_train=None, batch_size=16)
    args["num_train"] = 16 * int_in(gen, 20, 30)
    got, what = ask(student, gen, "FreshData", args)
    fresh(got, args, what)
    trains(student, expect, "FreshData", args, what)


# --- ReproducibleData ----------------------------------------------------------------------


@cell("reproducible_data")
def test_same_batches_every_pass(student, expect, gen):
    """two passes over one loader and a second loader give the same batches"""
    args = data_args(gen, noise=0.1, seed=True)
    got, what = ask(student, gen, "ReproducibleData", args)
    reproducible(got, what)


@cell("reproducible_data")
def test_global_random_state_untouched(student, expect, gen):
    """the same batches every pass, and torch's global random state as it was"""
    args = data_args(gen, noise=0.1, seed=True)
    got, what = ask(student, gen, "ReproducibleData", args)
    reproducible(got, what)
    state_kept(got, what)


@cell("reproducible_data")
def test_same_seed_same_data(student, expect, gen):
    """same batches every pass; a second module with the same seed gives the same batches, and
    one with another seed other examples"""
    args = data_args(gen, noise=0.1, seed=True)
    got, what = ask(student, gen, "ReproducibleData", args, twin=True)
    X, y = reproducible(got, what)
    X2, y2, _ = stacked(got["twin"], what)
    expect.that(
        same(X, X2) and same(y, y2),
        f"two modules built as {what} gave different batches; the seed alone should fix the "
        f"data and their order. This looks like {ref.GLOBAL_DRAWS}.",
    )
    other_args = {**args, "seed": args["seed"] + 1}
    other, _ = ask(student, gen, "ReproducibleData", other_args)
    X3, _ = reproducible(other, what)
    expect.that(
        rows_shared(X3, X) == 0,
        f"changing the seed of {what} to {other_args['seed']} kept the same examples; the "
        "data should be drawn from a generator seeded with `seed`.",
    )


@cell("reproducible_data")
def test_reproducible_labels_and_batches(student, expect, gen):
    """same batches every pass, labels on the line (noise 0), batch sizes and len() right"""
    args = data_args(gen, seed=True)
    got, what = ask(student, gen, "ReproducibleData", args)
    X, y = reproducible(got, what)
    on_line(expect, X, y, args, what, "training")
    _, _, sizes = stacked(got["passes"][0], what)
    right = ref.batch_sizes(args["num_train"], args["batch_size"])
    expect.that(
        sizes == right, f"the training batches of {what} have sizes {sizes}, expected {right}."
    )
    length = got["length"]
    expect.that(
        length is not None and as_number(length, "len() of the loader") == len(right),
        f"len() of the training loader of {what} is {describe(length)}, expected {len(right)}.",
    )


@cell("reproducible_data")
def test_reproducible_validation_split(student, expect, gen):
    """same batches every pass; the validation split holds num_val examples on the line"""
    args = data_args(gen, seed=True)
    got, what = ask(student, gen, "ReproducibleData", args)
    X_train, _ = reproducible(got, what)
    X, y, _ = stacked(got["val"], f"the validation loader of {what}")
    expect.that(
        X.shape[0] == args["num_val"] and rows_shared(X, X_train) == 0,
        f"the validation loader of {what} holds {X.shape[0]} examples, expected num_val = "
        f"{args['num_val']} examples apart from the training ones.",
    )
    on_line(expect, X, y, args, what, "validation")


@cell("reproducible_data")
def test_reproducible_data_trains(student, expect, gen):
    """the trainer fits a LinearRegression on ReproducibleData and finds the true line"""
    args = data_args(gen, noise=0.01, batch_size=16, seed=True)
    args["num_train"] = 16 * int_in(gen, 20, 30)
    got, what = ask(student, gen, "ReproducibleData", args)
    reproducible(got, what)
    trains(student, expect, "ReproducibleData", args, what)
