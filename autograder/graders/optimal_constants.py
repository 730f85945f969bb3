"""Hidden checks for optimal_constants.ipynb (D2L 3.1, exercises 1 and 2).

Every input is drawn from the check's `gen`. The data sit away from zero (a location of 2 to 6)
so that relative tolerances are meaningful and a constant 0 or 1 is never right by chance. Checks
of side effects and types come after the value check of the same call, so they count only for
a right answer.
"""

import math

import pytest
import torch

from autograder.judging.checks import CheckFailed, as_number
from autograder.reference import optimal_constants as ref

cell = pytest.mark.cell


def read_constant(got, what):
    """The student's constant, read by `as_number`, with a hint for the one wrong type students
    meet here: torch.median(x, dim=0) is a (values, indices) pair."""
    try:
        return as_number(got, what)
    except CheckFailed as exc:
        if "return_types" in str(getattr(got, "type_name", "")):
            raise CheckFailed(
                f"{exc} torch.median(x, dim=...) returns (values, indices); return the values only."
            ) from None
        raise


def unchanged(expect, after, before, name, what, hint=""):
    try:
        expect.unchanged(before, after, name=name, what=what)
    except CheckFailed as exc:
        raise CheckFailed(f"{exc}{hint}") from None


SORTED_VIEW = " Sorting x.numpy() in place sorts the tensor x too: they share memory."


def draw_data(gen, n, *, outliers=0, dtype=torch.float32):
    """n numbers around a location in [2, 6], spread 0.5 to 2, with `outliers` far above."""
    loc = 2 + 4 * float(torch.rand((), generator=gen))
    scale = 0.5 + 1.5 * float(torch.rand((), generator=gen))
    x = loc + scale * torch.randn(n, generator=gen, dtype=torch.float64)
    if outliers:
        x[torch.randperm(n, generator=gen)[:outliers]] += 20 + 30 * torch.rand(
            outliers, generator=gen, dtype=torch.float64
        )
    return x.to(dtype)


def skewed(gen, n):
    """Log-normal data shifted to start above a location in [2, 6]: a long right tail."""
    loc = 2 + 4 * float(torch.rand((), generator=gen))
    return loc + torch.randn(n, generator=gen).exp()


def with_ties(gen, n):
    """n draws, with repeats, from four random values (two decimals, so they print plainly)."""
    values = (draw_data(gen, 4) * 100).round() / 100
    return values[torch.randint(0, 4, (n,), generator=gen)]


def draw_telling(gen, n, draw=skewed):
    """Data whose mean, unsorted middle entries and the constants 0 and 1 (a do-nothing
    answer's favourites) lie clearly outside the interval of medians, so that none of these
    wrong answers can land in it by chance."""
    for _ in range(200):
        x = draw(gen, n)
        low, high = ref.l1_interval(x)
        margin = 0.05 * (high - low) + 1e-3
        wrong = (float(x.mean()), float(x[n // 2]), float(x[(n - 1) // 2]), 0.0, 1.0)
        if all(v < low - margin or v > high + margin for v in wrong):
            return x
    # Each draw succeeds with probability above 1/6 for n >= 4: 200 failures do not happen.
    raise RuntimeError("could not draw telling data")


def draw_n(gen, low, high, parity=None):
    """A count in [low, high]; odd or even when asked."""
    n = int(torch.randint(low, high + 1, (1,), generator=gen))
    if parity is not None and n % 2 != parity:
        n += 1
    return n


def check_mean(student, expect, x, what):
    got, args = student.call("best_constant_l2", x, what=what, return_args=True)
    expect.number(
        read_constant(got, what),
        float(ref.best_constant_l2(x)),
        what=what,
        mistakes=ref.l2_mistakes(x),
    )
    return got, args


def check_median(student, expect, x, what):
    """The student's constant must be a median of x: any value from the lower to the upper of
    the two middle values (one value for an odd count)."""
    got, args = student.call("best_constant_l1", x, what=what, return_args=True)
    value = read_constant(got, what)
    low, high = ref.l1_interval(x)
    # Within the course's tolerance of the interval: close to the nearest of its points.
    if math.isfinite(value) and expect.close(value, min(max(value, low), high)):
        return got, args
    named = next(
        (
            f" This looks like {mistake.name}."
            for mistake in ref.l1_mistakes(x)
            if expect.close(value, float(mistake.value))
        ),
        "",
    )
    target = f"{low:.6g}" if low == high else f"any value from {low:.6g} to {high:.6g}"
    raise CheckFailed(f"{what} is {value:.6g}, expected {target} (a median of x).{named}")


# best_constant_l2 ------------------------------------------------------------------------------


@cell("best_constant_l2")
def test_l2_mean(student, expect, gen):
    """best_constant_l2(x) is the mean of x"""
    n = draw_n(gen, 4, 15)
    check_mean(student, expect, draw_data(gen, n), f"best_constant_l2(x) for {n} numbers")


@cell("best_constant_l2")
def test_l2_with_outliers(student, expect, gen):
    """with a few large values the mean moves towards them (the median would not)"""
    n = draw_n(gen, 9, 20)
    x = draw_data(gen, n, outliers=2)
    check_mean(student, expect, x, f"best_constant_l2(x) for {n} numbers, two of them large")


@cell("best_constant_l2")
def test_l2_single_and_many(student, expect, gen):
    """one number is its own best constant; a few hundred numbers work as well"""
    x = draw_data(gen, 1)
    check_mean(student, expect, x, "best_constant_l2(x) for a single number")
    n = draw_n(gen, 200, 400)
    check_mean(student, expect, draw_data(gen, n), f"best_constant_l2(x) for {n} numbers")


@cell("best_constant_l2")
def test_l2_zero_dim_tensor_float64(student, expect, gen):
    """best_constant_l2 returns a 0-d tensor, float64 for a float64 x"""
    n = draw_n(gen, 5, 12)
    x = draw_data(gen, n, dtype=torch.float64)
    what = f"best_constant_l2(x) for {n} float64 numbers"
    got, _ = check_mean(student, expect, x, what)
    expect.tensor(got, ref.best_constant_l2(x), what=what, mistakes=ref.l2_mistakes(x))
    expect.that(
        got.dtype == "torch.float64",
        f"{what} returned dtype {got.dtype}; keep x's dtype (float64 in, float64 out).",
    )


@cell("best_constant_l2")
def test_l2_input_unchanged(student, expect, gen):
    """best_constant_l2 gives the mean and leaves x unchanged"""
    n = draw_n(gen, 6, 14)
    x = draw_data(gen, n)
    what = f"best_constant_l2(x) for {n} numbers"
    _, args = check_mean(student, expect, x, what)
    unchanged(expect, args[0], x, "x", what)


# best_constant_l1 ------------------------------------------------------------------------------


@cell("best_constant_l1")
def test_l1_odd_count(student, expect, gen):
    """for an odd count the best constant is the middle value of the sorted x"""
    n = draw_n(gen, 5, 15, parity=1)
    check_median(
        student, expect, draw_telling(gen, n, draw_data), f"best_constant_l1(x) for {n} numbers"
    )


@cell("best_constant_l1")
def test_l1_even_count(student, expect, gen):
    """for an even count any value between the two middle values is right"""
    n = draw_n(gen, 4, 14, parity=0)
    check_median(student, expect, draw_telling(gen, n), f"best_constant_l1(x) for {n} numbers")


@cell("best_constant_l1")
def test_l1_with_outliers(student, expect, gen):
    """large values do not move the median: it depends on the order of x only"""
    n = draw_n(gen, 9, 21)
    x = draw_telling(gen, n, lambda g, k: draw_data(g, k, outliers=3))
    check_median(student, expect, x, f"best_constant_l1(x) for {n} numbers, three of them large")


@cell("best_constant_l1")
def test_l1_ties_and_tiny(student, expect, gen):
    """repeated values, a single number and a pair are handled"""
    n = draw_n(gen, 6, 12)
    ties = draw_telling(gen, n, with_ties)
    check_median(student, expect, ties, f"best_constant_l1(x) for {n} numbers with repeats")
    check_median(student, expect, draw_data(gen, 1), "best_constant_l1(x) for a single number")
    check_median(student, expect, draw_data(gen, 2), "best_constant_l1(x) for two numbers")


@cell("best_constant_l1")
def test_l1_zero_dim_tensor_float64(student, expect, gen):
    """best_constant_l1 returns a 0-d tensor, float64 for a float64 x"""
    n = draw_n(gen, 5, 13, parity=1)
    x = draw_telling(gen, n, draw_data).double()
    what = f"best_constant_l1(x) for {n} float64 numbers"
    got, _ = check_median(student, expect, x, what)
    expect.tensor(got, ref.best_constant_l1(x), what=what)
    expect.that(
        got.dtype == "torch.float64",
        f"{what} returned dtype {got.dtype}; keep x's dtype (float64 in, float64 out).",
    )


@cell("best_constant_l1")
def test_l1_input_unchanged(student, expect, gen):
    """best_constant_l1 gives a median and leaves x unchanged (not sorted in place)"""
    n = draw_n(gen, 6, 14)
    x = draw_telling(gen, n, draw_data)
    what = f"best_constant_l1(x) for {n} numbers"
    _, args = check_median(student, expect, x, what)
    unchanged(expect, args[0], x, "x", what, SORTED_VIEW)


# augment ---------------------------------------------------------------------------------------


def draw_matrix(gen, n, d, dtype=torch.float32):
    return (1 + torch.randn(n, d, generator=gen, dtype=torch.float64)).to(dtype)


def check_augment(student, expect, X, what):
    got, args = student.call("augment", X, what=what, return_args=True)
    values = expect.tensor(got, ref.augment(X), what=what, mistakes=ref.augment_mistakes(X))
    return got, values, args


@cell("augment")
def test_augment_values(student, expect, gen):
    """augment(X) is X with a last column of ones"""
    n, d = draw_n(gen, 3, 8), draw_n(gen, 2, 5)
    check_augment(student, expect, draw_matrix(gen, n, d), f"augment(X) for a {n} x {d} X")


@cell("augment")
def test_affine_is_linear(student, expect, gen):
    """augment(X) @ [w; b] equals X @ w + b for any w and b"""
    n, d = draw_n(gen, 4, 10), draw_n(gen, 2, 6)
    X = draw_matrix(gen, n, d)
    w, b = torch.randn(d, 1, generator=gen), torch.randn(1, generator=gen)
    what = f"augment(X) for a {n} x {d} X"
    _, values, _ = check_augment(student, expect, X, what)
    w_aug = torch.cat((w, b.reshape(1, 1))).double()
    expect.that(
        expect.close(values @ w_aug, (X @ w + b).double()),
        f"augment(X) @ [w; b] differs from X @ w + b for the {n} x {d} X.",
    )


@cell("augment")
def test_augment_edge_shapes(student, expect, gen):
    """a single example (one row) and a single feature (one column) work"""
    d = draw_n(gen, 2, 6)
    check_augment(student, expect, draw_matrix(gen, 1, d), f"augment(X) for a 1 x {d} X")
    n = draw_n(gen, 3, 9)
    check_augment(student, expect, draw_matrix(gen, n, 1), f"augment(X) for a {n} x 1 X")


@cell("augment")
def test_augment_float64(student, expect, gen):
    """augment keeps X's dtype: a float64 X gives a float64 result"""
    n, d = draw_n(gen, 3, 8), draw_n(gen, 2, 5)
    X = draw_matrix(gen, n, d, dtype=torch.float64)
    what = f"augment(X) for a float64 {n} x {d} X"
    got, _, _ = check_augment(student, expect, X, what)
    expect.that(
        got.dtype == "torch.float64",
        f"{what} returned dtype {got.dtype}; make the ones in X's dtype "
        "(torch.ones(..., dtype=X.dtype)) so that no precision is lost.",
    )


@cell("augment")
def test_augment_input_unchanged(student, expect, gen):
    """augment returns a new tensor and leaves X unchanged"""
    n, d = draw_n(gen, 3, 8), draw_n(gen, 2, 5)
    X = draw_matrix(gen, n, d)
    what = f"augment(X) for a {n} x {d} X"
    _, _, args = check_augment(student, expect, X, what)
    unchanged(expect, args[0], X, "X", what)
