"""Hidden checks for noise_models.ipynb (D2L 3.1, exercises 5 and 8).

Every input is drawn from the check's `gen`. Checks of side effects, dtypes and gradients come
with (or after) the value check of the same answer, so they count only for a right answer.
"""

import pytest
import torch

from autograder.judging.checks import Mistake
from autograder.reference import noise_models as ref

cell = pytest.mark.cell


def draw_int(gen, low, high):
    return int(torch.randint(low, high + 1, (1,), generator=gen))


def draw_problem(gen, n, d, dtype=torch.float32, flat_y=False):
    """X, y, w, b of a linear model whose residuals are all clearly away from zero."""
    X = torch.randn(n, d, generator=gen, dtype=torch.float64)
    w = torch.randn(d, 1, generator=gen, dtype=torch.float64)
    b = torch.randn(1, generator=gen, dtype=torch.float64)
    signs = torch.randint(0, 2, (n, 1), generator=gen, dtype=torch.float64) * 2 - 1
    y = X @ w + b + signs * (0.2 + torch.rand(n, 1, generator=gen, dtype=torch.float64))
    if flat_y:
        y = y.reshape(-1)
    return tuple(t.to(dtype) for t in (X, y, w, b))


def draw_integer_problem(gen, n, d, exact):
    """Small integers throughout, so every residual is computed exactly; `exact` rows are
    fitted exactly (residual 0, where sign(0) = 0 matters)."""
    X = torch.randint(-3, 4, (n, d), generator=gen).float()
    w = torch.randint(-2, 3, (d, 1), generator=gen).float()
    b = torch.randint(-2, 3, (1,), generator=gen).float()
    offsets = torch.randint(1, 4, (n, 1), generator=gen).float()
    offsets *= torch.randint(0, 2, (n, 1), generator=gen).float() * 2 - 1
    offsets[torch.randperm(n, generator=gen)[:exact]] = 0.0
    return X, X @ w + b + offsets, w, b


def shapes(X, y):
    return f"X of shape {tuple(X.shape)} and y of shape {tuple(y.shape)}"


# laplace_nll -----------------------------------------------------------------------------------


def check_nll(student, expect, problem, what, as_tensor=False):
    got, after = student.call("laplace_nll", *problem, what=what, return_args=True)
    check = expect.tensor if as_tensor else expect.number
    expected = ref.laplace_nll(*problem)
    expect_value = expected if as_tensor else float(expected)
    check(got, expect_value, what=what, mistakes=ref.laplace_mistakes(*problem))
    return got, after


@cell("laplace_nll")
def test_nll_value(student, expect, gen):
    """laplace_nll is n log 2 plus the sum of the absolute residuals"""
    n, d = draw_int(gen, 5, 12), draw_int(gen, 2, 5)
    problem = draw_problem(gen, n, d)
    check_nll(student, expect, problem, f"laplace_nll(X, y, w, b) with {shapes(*problem[:2])}")


@cell("laplace_nll")
def test_nll_flat_labels(student, expect, gen):
    """a y of shape (n,) is reshaped to the prediction's (n, 1), not broadcast to (n, n)"""
    n, d = draw_int(gen, 5, 12), draw_int(gen, 2, 5)
    problem = draw_problem(gen, n, d, flat_y=True)
    check_nll(student, expect, problem, f"laplace_nll(X, y, w, b) with {shapes(*problem[:2])}")


@cell("laplace_nll")
def test_nll_zero_dim_float64(student, expect, gen):
    """laplace_nll returns a 0-d tensor, float64 for float64 inputs"""
    n, d = draw_int(gen, 5, 12), draw_int(gen, 2, 5)
    problem = draw_problem(gen, n, d, dtype=torch.float64)
    what = f"laplace_nll(X, y, w, b) with float64 {shapes(*problem[:2])}"
    got, _ = check_nll(student, expect, problem, what, as_tensor=True)
    expect.that(got.dtype == "torch.float64", f"{what} returned dtype {got.dtype}; keep float64.")


GRAD_PROBE = """
import torch
w = w_in.clone().requires_grad_(True)
nll = laplace_nll(X, y, w, b)
if not isinstance(nll, torch.Tensor):
    raise TypeError(f"laplace_nll returned a {type(nll).__name__}, which autograd cannot "
                    "differentiate; keep it a tensor (no .item() or float())")
nll.backward()
result = {"value": nll.detach(), "grad": w.grad}
"""


@cell("laplace_nll")
def test_nll_gradient(student, expect, gen):
    """autograd through laplace_nll gives the subgradient -X^T sign(y - Xw - b)"""
    n, d = draw_int(gen, 5, 12), draw_int(gen, 2, 5)
    problem = draw_problem(gen, n, d)
    X, y, w, b = problem
    what = "the gradient of laplace_nll(X, y, w, b) with respect to w"
    got = student.run(GRAD_PROBE, what=what, X=X, y=y, w_in=w, b=b)
    # The gradient earns its point only on top of the right value.
    expect.number(
        got["value"],
        float(ref.laplace_nll(*problem)),
        what=f"laplace_nll(X, y, w, b) with {shapes(X, y)}",
        mistakes=ref.laplace_mistakes(*problem),
    )
    s = torch.sign(y - X @ w - b)
    mistakes = [
        Mistake(ref.MEAN, -(X.T @ s) / n),
        Mistake(ref.GAUSSIAN, -2 * X.T @ (y - X @ w - b)),
    ]
    expect.tensor(got["grad"], -(X.T @ s), what=what, mistakes=mistakes)


@cell("laplace_nll")
def test_nll_inputs_unchanged(student, expect, gen):
    """laplace_nll gives the right value and leaves X, y, w and b unchanged"""
    n, d = draw_int(gen, 5, 12), draw_int(gen, 2, 5)
    problem = draw_problem(gen, n, d, flat_y=True)
    what = f"laplace_nll(X, y, w, b) with {shapes(*problem[:2])}"
    _, after = check_nll(student, expect, problem, what)
    for name, before, now in zip("Xywb", problem, after, strict=True):
        expect.unchanged(before, now, name=name, what=what)


# lad_step --------------------------------------------------------------------------------------


def check_step(student, expect, problem, lr, what):
    got, after = student.call("lad_step", *problem, lr, what=what, return_args=True)
    expect.that(
        isinstance(got, tuple | list) and len(got) == 2,
        f"{what} should return a pair (w_new, b_new), but it returned "
        f"{got.describe() if hasattr(got, 'describe') else type(got).__name__}.",
    )
    w_new, b_new = ref.lad_step(*problem, lr)
    mistakes = ref.lad_mistakes(*problem, lr)
    w_mistakes = [Mistake(name, value[0]) for name, value in mistakes if name != ref.BIAS_FROZEN]
    b_mistakes = [Mistake(name, value[1]) for name, value in mistakes]
    expect.tensor(got[0], w_new, what=f"w_new of {what}", mistakes=w_mistakes)
    expect.tensor(got[1], b_new, what=f"b_new of {what}", mistakes=b_mistakes)
    return got, after


def draw_lr(gen):
    return round(0.01 + 0.09 * float(torch.rand((), generator=gen)), 3)


@cell("lad_step")
def test_step_value(student, expect, gen):
    """one step moves w by lr X^T sign(r) and b by lr sum sign(r)"""
    n, d = draw_int(gen, 5, 12), draw_int(gen, 2, 5)
    problem, lr = draw_problem(gen, n, d), draw_lr(gen)
    check_step(student, expect, problem, lr, f"lad_step(X, y, w, b, lr={lr}) with n={n}, d={d}")


@cell("lad_step")
def test_step_sign_of_zero(student, expect, gen):
    """an example fitted exactly (residual 0) does not push: sign(0) = 0"""
    n, d = draw_int(gen, 6, 12), draw_int(gen, 2, 4)
    problem = draw_integer_problem(gen, n, d, exact=3)
    lr = draw_lr(gen)
    what = f"lad_step(X, y, w, b, lr={lr}) where 3 of {n} examples are fitted exactly"
    check_step(student, expect, problem, lr, what)


@cell("lad_step")
def test_step_flat_labels(student, expect, gen):
    """a y of shape (n,) gives the same step as (n, 1); w_new keeps w's shape (d, 1)"""
    n, d = draw_int(gen, 5, 12), draw_int(gen, 2, 5)
    problem, lr = draw_problem(gen, n, d, flat_y=True), draw_lr(gen)
    check_step(
        student, expect, problem, lr, f"lad_step(X, y, w, b, lr={lr}) with y of shape ({n},)"
    )


@cell("lad_step")
def test_step_float64(student, expect, gen):
    """float64 inputs give a float64 step"""
    n, d = draw_int(gen, 5, 12), draw_int(gen, 2, 5)
    problem, lr = draw_problem(gen, n, d, dtype=torch.float64), draw_lr(gen)
    what = f"lad_step(X, y, w, b, lr={lr}) with float64 inputs"
    got, _ = check_step(student, expect, problem, lr, what)
    expect.that(
        got[0].dtype == "torch.float64" and got[1].dtype == "torch.float64",
        f"{what} returned dtypes {got[0].dtype} and {got[1].dtype}; keep float64.",
    )


@cell("lad_step")
def test_step_inputs_unchanged(student, expect, gen):
    """lad_step returns new tensors and leaves X, y, w and b unchanged"""
    n, d = draw_int(gen, 5, 12), draw_int(gen, 2, 5)
    problem, lr = draw_problem(gen, n, d), draw_lr(gen)
    what = f"lad_step(X, y, w, b, lr={lr})"
    _, after = check_step(student, expect, problem, lr, what)
    for name, before, now in zip("Xywb", problem, after[:4], strict=True):
        expect.unchanged(before, now, name=name, what=what)


# poisson_nll -----------------------------------------------------------------------------------


def draw_counts(gen, n, low=-1.0, high=2.0, dtype=torch.float32):
    """Log rates in [low, high] and counts drawn from those rates, with a 0 and a count >= 2
    (where log k! and the Stirling term are not zero)."""
    log_rate = low + (high - low) * torch.rand(n, generator=gen, dtype=torch.float64)
    k = torch.poisson(log_rate.exp(), generator=gen)
    k[0], k[1] = 0.0, 2.0 + k[1]
    return log_rate.to(dtype), k.to(dtype)


def check_poisson(student, expect, log_rate, k, what, as_tensor=False):
    got, after = student.call("poisson_nll", log_rate, k, what=what, return_args=True)
    expected = ref.poisson_nll(log_rate, k)
    if as_tensor:
        expect.tensor(got, expected, what=what, mistakes=ref.poisson_mistakes(log_rate, k))
    else:
        expect.number(got, float(expected), what=what, mistakes=ref.poisson_mistakes(log_rate, k))
    return got, after


@cell("poisson_nll")
def test_poisson_value(student, expect, gen):
    """poisson_nll is the mean of exp(log_rate) - k * log_rate"""
    n = draw_int(gen, 6, 15)
    log_rate, k = draw_counts(gen, n)
    check_poisson(student, expect, log_rate, k, f"poisson_nll(log_rate, k) for {n} counts")


@cell("poisson_nll")
def test_poisson_integer_counts(student, expect, gen):
    """counts given as an int64 tensor work too"""
    n = draw_int(gen, 6, 15)
    log_rate, k = draw_counts(gen, n)
    what = f"poisson_nll(log_rate, k) for {n} counts of dtype int64"
    check_poisson(student, expect, log_rate, k.long(), what)


@cell("poisson_nll")
def test_poisson_positive_log_rates(student, expect, gen):
    """large rates (all log rates above 0.5) are handled as log rates, not as rates"""
    n = draw_int(gen, 6, 15)
    log_rate, k = draw_counts(gen, n, 0.5, 2.5)
    check_poisson(student, expect, log_rate, k, f"poisson_nll(log_rate, k) for {n} large rates")


@cell("poisson_nll")
def test_poisson_column_float64(student, expect, gen):
    """a float64 column (n, 1) gives a float64 0-d tensor"""
    n = draw_int(gen, 6, 15)
    log_rate, k = draw_counts(gen, n, dtype=torch.float64)
    log_rate, k = log_rate.reshape(-1, 1), k.reshape(-1, 1)
    what = f"poisson_nll(log_rate, k) for float64 columns of shape ({n}, 1)"
    got, _ = check_poisson(student, expect, log_rate, k, what, as_tensor=True)
    expect.that(got.dtype == "torch.float64", f"{what} returned dtype {got.dtype}; keep float64.")


POISSON_GRAD_PROBE = """
import torch
log_rate = log_rate_in.clone().requires_grad_(True)
loss = poisson_nll(log_rate, k)
if not isinstance(loss, torch.Tensor):
    raise TypeError(f"poisson_nll returned a {type(loss).__name__}, which autograd cannot "
                    "differentiate; keep it a tensor")
loss.backward()
result = {"value": loss.detach(), "grad": log_rate.grad}
"""


@cell("poisson_nll")
def test_poisson_gradient(student, expect, gen):
    """autograd through poisson_nll gives (exp(log_rate) - k) / n"""
    n = draw_int(gen, 6, 15)
    log_rate, k = draw_counts(gen, n)
    what = "the gradient of poisson_nll(log_rate, k) with respect to log_rate"
    got = student.run(POISSON_GRAD_PROBE, what=what, log_rate_in=log_rate, k=k)
    # The gradient earns its point only on top of the right value.
    expect.number(
        got["value"],
        float(ref.poisson_nll(log_rate, k)),
        what=f"poisson_nll(log_rate, k) for {n} counts",
        mistakes=ref.poisson_mistakes(log_rate, k),
    )
    expect.tensor(
        got["grad"],
        (log_rate.exp() - k) / n,
        what=what,
        mistakes=[Mistake(ref.POISSON_SUM, log_rate.exp() - k)],
    )


@cell("poisson_nll")
def test_poisson_inputs_unchanged(student, expect, gen):
    """poisson_nll gives the right value and leaves log_rate and k unchanged"""
    n = draw_int(gen, 6, 15)
    log_rate, k = draw_counts(gen, n)
    what = f"poisson_nll(log_rate, k) for {n} counts"
    _, after = check_poisson(student, expect, log_rate, k, what)
    for name, before, now in zip(("log_rate", "k"), (log_rate, k), after, strict=True):
        expect.unchanged(before, now, name=name, what=what)
