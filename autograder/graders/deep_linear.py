"""Hidden checks for deep_linear.ipynb (D2L 3.1, exercises 3 and 6).

Every input is drawn from the check's `gen`. Layer sizes are drawn too; the checks of
compose_linear use distinct sizes (so a product in the wrong order cannot even be formed, and
the error is named) and equal sizes (so it can, and its value is named). Checks of side effects
and dtypes come after the value check of the same call, so they count only for a right answer.
"""

import pytest
import torch

from autograder.judging.checks import CheckFailed
from autograder.reference import deep_linear as ref
from autograder.wire.plain import StudentTensor

cell = pytest.mark.cell


def draw_sizes(gen, count, low=2, high=6, distinct=True):
    """`count` layer sizes in [low, high], all different when `distinct`."""
    if distinct:
        pool = torch.randperm(high - low + 1, generator=gen)[:count] + low
        return [int(v) for v in pool]
    return [int(v) for v in torch.randint(low, high + 1, (count,), generator=gen)]


def draw_layers(gen, d, h, o, dtype=torch.float32):
    """Weights and biases of Linear(d, h) then Linear(h, o), scaled like a default init."""
    W1 = torch.randn(h, d, generator=gen, dtype=torch.float64) / d**0.5
    W2 = torch.randn(o, h, generator=gen, dtype=torch.float64) / h**0.5
    b1 = torch.randn(h, generator=gen, dtype=torch.float64)
    b2 = torch.randn(o, generator=gen, dtype=torch.float64)
    return tuple(t.to(dtype) for t in (W1, b1, W2, b2))


def _named_shape_error(exc, W1, b1, W2, b2):
    """A shape error raised inside the student's code, named when a known mistake explains it."""
    text = str(exc)
    if "RuntimeError" not in text:
        return exc
    if "shapes cannot be multiplied" in text and W1.shape[1] != W2.shape[0]:
        return CheckFailed(f"{text.rstrip('.')}. This looks like {ref.WRONG_ORDER}.")
    if "must match the size" in text and b1.shape != b2.shape:
        return CheckFailed(
            f"{text.rstrip('.')}. This looks like {ref.BIAS_SUM} (b1 has {b1.shape[0]} entries, "
            f"b2 has {b2.shape[0]})."
        )
    return exc


def check_compose(student, expect, layers, what, probe=None):
    """Call compose_linear (or run `probe`), check both returned tensors; return the pair
    and the arguments as they were after the call."""
    W1, b1, W2, b2 = layers
    try:
        if probe is None:
            got, after = student.call("compose_linear", *layers, what=what, return_args=True)
        else:
            got, after = student.run(probe, what=what, W1=W1, b1=b1, W2=W2, b2=b2), None
    except CheckFailed as exc:
        raise _named_shape_error(exc, W1, b1, W2, b2) from None
    expect.that(
        isinstance(got, tuple | list) and len(got) == 2,
        f"{what} should return a pair (W, b), but it returned "
        f"{got.describe() if hasattr(got, 'describe') else type(got).__name__}.",
    )
    W, b = ref.compose_linear(W1, b1, W2, b2)
    expect.tensor(got[0], W, what=f"the weight W of {what}", mistakes=ref.weight_mistakes(W1, W2))
    expect.tensor(
        got[1], b, what=f"the bias b of {what}", mistakes=ref.bias_mistakes(W1, b1, W2, b2)
    )
    return got, after


def sizes_text(d, h, o):
    return f"Linear({d}, {h}) then Linear({h}, {o})"


@cell("compose_linear")
def test_compose_different_sizes(student, expect, gen):
    """compose_linear gives W2 @ W1 and W2 @ b1 + b2 for layers of different sizes"""
    d, h, o = draw_sizes(gen, 3)
    what = f"compose_linear for {sizes_text(d, h, o)}"
    check_compose(student, expect, draw_layers(gen, d, h, o), what)


@cell("compose_linear")
def test_compose_equal_sizes(student, expect, gen):
    """with equal sizes every product can be formed: only the right order is right"""
    (d,) = draw_sizes(gen, 1, 3, 6)
    what = f"compose_linear for {sizes_text(d, d, d)}"
    check_compose(student, expect, draw_layers(gen, d, d, d), what)


@cell("compose_linear")
def test_compose_equals_the_stack(student, expect, gen):
    """the single layer computes what the two layers compute, also through a narrow middle"""
    d, o = draw_sizes(gen, 2, 3, 6)
    h = 1 if d > 3 else 2
    layers = draw_layers(gen, d, h, o)
    what = f"compose_linear for {sizes_text(d, h, o)}"
    got, _ = check_compose(student, expect, layers, what)
    X = torch.randn(int(torch.randint(3, 9, (1,), generator=gen)), d, generator=gen)
    one = X.double() @ got[0].values.T + got[1].values
    stack = ref.two_layers(X, *layers).double()
    expect.that(
        expect.close(one, stack),
        f"X @ W.T + b with the result of {what} differs from the two layers applied in turn.",
    )


@cell("compose_linear")
def test_compose_float64(student, expect, gen):
    """float64 layers give a float64 W and b"""
    d, h, o = draw_sizes(gen, 3)
    what = f"compose_linear for float64 {sizes_text(d, h, o)}"
    got, _ = check_compose(student, expect, draw_layers(gen, d, h, o, torch.float64), what)
    expect.that(
        got[0].dtype == "torch.float64" and got[1].dtype == "torch.float64",
        f"{what} returned dtypes {got[0].dtype} and {got[1].dtype}; keep float64.",
    )


LINEAR_PROBE = """
import torch
first = torch.nn.Linear(W1.shape[1], W1.shape[0])
second = torch.nn.Linear(W2.shape[1], W2.shape[0])
with torch.no_grad():
    first.weight.copy_(W1)
    first.bias.copy_(b1)
    second.weight.copy_(W2)
    second.bias.copy_(b2)
out = compose_linear(first.weight, first.bias, second.weight, second.bias)
if isinstance(out, (tuple, list)):
    out = type(out)(v.detach() if isinstance(v, torch.Tensor) else v for v in out)
result = out
"""


@cell("compose_linear")
def test_compose_nn_linear_parameters(student, expect, gen):
    """it works on the parameters of real nn.Linear layers (which require grad)"""
    d, h, o = draw_sizes(gen, 3)
    what = f"compose_linear on the parameters of nn.{sizes_text(d, h, o)}"
    check_compose(student, expect, draw_layers(gen, d, h, o), what, probe=LINEAR_PROBE)


@cell("compose_linear")
def test_compose_inputs_unchanged(student, expect, gen):
    """compose_linear gives the right layer and leaves its four arguments unchanged"""
    d, h, o = draw_sizes(gen, 3)
    layers = draw_layers(gen, d, h, o)
    what = f"compose_linear for {sizes_text(d, h, o)}"
    _, after = check_compose(student, expect, layers, what)
    for name, before, now in zip(("W1", "b1", "W2", "b2"), layers, after, strict=True):
        expect.unchanged(before, now, name=name, what=what)


# quadratic_features ----------------------------------------------------------------------------


# "Fits exactly", for float32 features: the best fit's largest residual is at most this share
# of the quadratic's largest value. float32 features carry relative rounding of about 1e-7; a
# missing term leaves an error of the size of its coefficient (order 1).
FIT_SHARE = 1e-4


def draw_inputs(gen, n, d, dtype=torch.float32):
    return torch.randn(n, d, generator=gen, dtype=torch.float64).to(dtype)


ORDER = (
    "put the inputs first, then x_i * x_j for i <= j row by row: (1,1), (1,2), ..., (1,d), "
    "(2,2), ..., (d,d)"
)


def _same_columns(expect, values, expected):
    """Whether the columns of `values` are those of `expected` in some other order."""
    if values.shape != expected.shape:
        return False
    left = list(range(expected.shape[1]))
    for col in values.T:
        match = next((k for k in left if expect.close(col, expected[:, k])), None)
        if match is None:
            return False
        left.remove(match)
    return True


def check_features(student, expect, X, what):
    got, after = student.call("quadratic_features", X, what=what, return_args=True)
    expected = ref.quadratic_features(X)
    try:
        expect.tensor(got, expected, what=what, mistakes=ref.feature_mistakes(X))
    except CheckFailed:
        permuted = (
            isinstance(got, StudentTensor)
            and got.values is not None
            and _same_columns(expect, got.values.double(), expected.double())
        )
        if permuted:
            raise CheckFailed(f"{what} has the right columns in another order; {ORDER}.") from None
        raise
    return got, after


@cell("quadratic_features")
def test_features_values(student, expect, gen):
    """the inputs, then every product x_i x_j with i <= j, in the stated order"""
    d = draw_sizes(gen, 1, 2, 4)[0]
    n = int(torch.randint(3, 9, (1,), generator=gen))
    check_features(student, expect, draw_inputs(gen, n, d), f"quadratic_features(X) for {n} x {d}")


@cell("quadratic_features")
def test_features_edge_shapes(student, expect, gen):
    """one input gives [x, x^2]; one row and five inputs work too"""
    n = int(torch.randint(3, 9, (1,), generator=gen))
    check_features(student, expect, draw_inputs(gen, n, 1), f"quadratic_features(X) for {n} x 1")
    check_features(student, expect, draw_inputs(gen, 1, 5), "quadratic_features(X) for 1 x 5")


@cell("quadratic_features")
def test_features_fit_any_quadratic(student, expect, gen):
    """a linear model on the features fits a random quadratic exactly, with no spare column"""
    d = draw_sizes(gen, 1, 2, 4)[0]
    p = ref.num_quadratic_features(d)
    n = 3 * p
    X = draw_inputs(gen, n, d)
    Xd = X.double()
    i, j = torch.triu_indices(d, d)
    coef = torch.randn(d + len(i) + 1, generator=gen, dtype=torch.float64)
    y = coef[0] + Xd @ coef[1 : d + 1] + (Xd[:, i] * Xd[:, j]) @ coef[d + 1 :]
    what = f"quadratic_features(X) for {n} x {d}"
    got = student.call("quadratic_features", X, what=what)
    if not isinstance(got, StudentTensor) or got.values is None or got.values.dim() != 2:
        kind = got.describe() if hasattr(got, "describe") else type(got).__name__
        raise CheckFailed(f"{what} should return an n x p tensor, but it returned {kind}.")
    F = got.values.double()
    counts = {d + d * (d - 1) // 2: ref.NO_SQUARES, d + d * d: ref.DUPLICATES, p + 1: ref.ONES}
    if F.shape != (n, p):
        named = f" This looks like {counts[F.shape[1]]}." if F.shape[1] in counts else ""
        raise CheckFailed(f"{what} has shape {tuple(F.shape)}, expected ({n}, {p}).{named}")
    A = torch.cat((F, torch.ones(n, 1, dtype=torch.float64)), 1)
    expect.that(
        int(torch.linalg.matrix_rank(A)) == p + 1,
        f"the columns of {what}, with a constant, are linearly dependent: some feature repeats "
        "another (or the constant), so some quadratic term is missing.",
    )
    scale = float(y.abs().max())
    residual = ref.fit_residual(F, y)
    expect.that(
        expect.close(residual, 0.0, atol=FIT_SHARE * scale),
        f"a linear model on {what} cannot fit a random quadratic: the best fit is off by "
        f"{residual:.3g} (the quadratic reaches {scale:.3g}). Some products x_i x_j are missing.",
    )


@cell("quadratic_features")
def test_features_float64(student, expect, gen):
    """a float64 X gives float64 features"""
    d = draw_sizes(gen, 1, 3, 4)[0]
    what = f"quadratic_features(X) for a float64 6 x {d} X"
    got, _ = check_features(student, expect, draw_inputs(gen, 6, d, torch.float64), what)
    expect.that(got.dtype == "torch.float64", f"{what} returned dtype {got.dtype}; keep X's dtype.")


@cell("quadratic_features")
def test_features_input_unchanged(student, expect, gen):
    """quadratic_features gives the right features and leaves X unchanged"""
    d = draw_sizes(gen, 1, 3, 4)[0]
    X = draw_inputs(gen, 5, d)
    what = f"quadratic_features(X) for 5 x {d}"
    _, after = check_features(student, expect, X, what)
    expect.unchanged(X, after[0], name="X", what=what)
