"""Hidden checks for second_derivatives.ipynb (D2L 3.4, exercise 4).

The Hessian of the scratch model's loss is A^T A / n with A = [X 1], whatever w, b and y are;
the graders compare with that closed form (autograder.reference.second_derivatives), in float64,
with the course's element-wise tolerances. Every input is drawn from the check's `gen`. Probes run
the student's function on copies and send back its answer together with the inputs as they were
after the call (values, requires_grad flags, whether a .grad was left on them).
"""

import pytest
import torch

from autograder.judging.checks import CheckFailed, Mistake, show
from autograder.reference import second_derivatives as ref
from autograder.wire.plain import StudentTensor

cell = pytest.mark.cell

PROBE = """
import torch
inputs = [t.detach().clone() for t in inputs_in]
if as_parameters:
    # Like a model's own parameters: w and b are leaves that already require grad.
    for i in (2, 3):
        inputs[i].requires_grad_(True)
answer = FUNCTION(*inputs)
if isinstance(answer, torch.Tensor):
    answer = answer.detach()
result = {
    "answer": answer,
    "after": [t.detach().clone() for t in inputs],
    "requires_grad": [t.requires_grad for t in inputs],
    "has_grad": [t.grad is not None for t in inputs],
}
"""

TWICE_PROBE = """
import torch
inputs = [t.detach().clone() for t in inputs_in]
first = FUNCTION(*inputs)
if isinstance(first, torch.Tensor):
    first = first.detach().clone()  # a .grad returned as it is would change with the next call
second = FUNCTION(*inputs)
if isinstance(second, torch.Tensor):
    second = second.detach()
result = {"first": first, "second": second}
"""

NAMES = ("X", "y", "w", "b", "v")


def _problem(gen, d=None, flat_y=False, dtype=torch.float32):
    """X (n, d) with columns of different scales and non-zero means (so that every entry of
    the Hessian, the bias's included, differs from its neighbours), y, w (d, 1) and b (1,)."""
    d = d or int(torch.randint(2, 6, (), generator=gen))
    n = int(torch.randint(5, 13, (), generator=gen))
    scale = 0.5 + 2.5 * torch.rand(d, generator=gen)
    shift = torch.randn(d, generator=gen)
    X = torch.randn(n, d, generator=gen) * scale + shift
    y = torch.randn(n, generator=gen) * 2 if flat_y else torch.randn(n, 1, generator=gen) * 2
    w, b = torch.randn(d, 1, generator=gen), torch.randn(1, generator=gen)
    return [t.to(dtype) for t in (X, y, w, b)]


def _vector(gen, d, dtype=torch.float32):
    return torch.randn(d + 1, generator=gen).to(dtype)


def _describe_inputs(inputs):
    shapes = ", ".join(f"{name} {tuple(t.shape)}" for name, t in zip(NAMES, inputs, strict=False))
    return f"shapes {shapes}"


def _run(student, name, inputs, what, code=PROBE, as_parameters=False):
    """Run a probe of `name`; a failure that is a known autograd mistake says which one."""
    try:
        got = student.run(
            code.replace("FUNCTION", name),
            what=what,
            inputs_in=list(inputs),
            as_parameters=as_parameters,
        )
    except CheckFailed as exc:
        text = str(exc)
        if "does not require grad" in text or "does not have a grad_fn" in text:
            raise CheckFailed(f"{text} {ref.CREATE_GRAPH_HINT}") from None
        if "second time" in text:
            # PyTorch's own message runs to several sentences; its first clause says it all.
            short = text.split(" (or directly")[0].rstrip(".")
            raise CheckFailed(f"{short}. {ref.RETAIN_GRAPH_HINT}") from None
        raise
    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be inspected.")
    return got


def _matrix(expect, got, expected, what, mistakes=()):
    """expect.tensor for a matrix; when the first row is right, a failure also shows the first
    row that differs (the message's leading numbers come from the first row only)."""
    try:
        expect.tensor(got, expected, what=what, mistakes=mistakes)
    except CheckFailed as exc:
        values = got.values if isinstance(got, StudentTensor) else None
        if values is None or tuple(values.shape) != tuple(expected.shape):
            raise
        for i, (row, want) in enumerate(zip(values, expected.double(), strict=True)):
            if not expect.close(row, want):
                if i == 0:
                    raise  # the message already shows the first row
                raise CheckFailed(
                    f"{exc} Row {i + 1} is {show(row)}, expected {show(want)}."
                ) from None
        raise


def _hessian(student, expect, inputs, what, as_parameters=False):
    got = _run(student, "loss_hessian", inputs, what, as_parameters=as_parameters)
    _matrix(expect, got["answer"], ref.hessian(inputs[0]), what, ref.hessian_mistakes(*inputs))
    return got


def _hvp(student, expect, inputs, what):
    got = _run(student, "loss_hvp", inputs, what)
    expect.tensor(
        got["answer"],
        ref.hvp(inputs[0], inputs[4]),
        what=what,
        mistakes=ref.hvp_mistakes(*inputs),
    )
    return got


def _left_alone(expect, got, inputs, what):
    """After a right answer: every input has its values, no requires_grad and no .grad."""
    for index, (name, before) in enumerate(zip(NAMES, inputs, strict=False)):
        after = got["after"][index]
        same = isinstance(after, StudentTensor) and after.values is not None
        same = same and tuple(after.shape) == tuple(before.shape)
        expect.that(
            same and torch.equal(after.values.to(before.dtype), before),
            f"{what} changed the values of its argument {name} in place; leave it as it was.",
        )
        expect.that(
            not got["requires_grad"][index] and not got["has_grad"][index],
            f"{what} switched on requires_grad of the caller's {name} or left a .grad on it; "
            "differentiate a copy, e.g. w.detach().clone().requires_grad_(True).",
        )


# loss_hessian -------------------------------------------------------------------------------


@cell("loss_hessian")
def test_hessian_value(student, expect, gen):
    """loss_hessian is [X 1]^T [X 1] / n, in the order (w_1, ..., w_d, b)"""
    inputs = _problem(gen)
    _hessian(student, expect, inputs, f"loss_hessian(X, y, w, b) for {_describe_inputs(inputs)}")


@cell("loss_hessian")
def test_hessian_flat_labels(student, expect, gen):
    """labels of shape (n,) give the same Hessian"""
    inputs = _problem(gen, flat_y=True)
    what = f"loss_hessian(X, y, w, b) for {_describe_inputs(inputs)}"
    _hessian(student, expect, inputs, what)


@cell("loss_hessian")
def test_hessian_one_input(student, expect, gen):
    """with a single input (d = 1) the Hessian is 2 x 2"""
    inputs = _problem(gen, d=1)
    _hessian(student, expect, inputs, f"loss_hessian(X, y, w, b) for {_describe_inputs(inputs)}")


@cell("loss_hessian")
def test_hessian_float64(student, expect, gen):
    """float64 inputs work (the answer may be float32 or float64)"""
    inputs = _problem(gen, dtype=torch.float64)
    what = f"loss_hessian(X, y, w, b) for float64 inputs of {_describe_inputs(inputs)}"
    _hessian(student, expect, inputs, what)


@cell("loss_hessian")
def test_hessian_of_model_parameters(student, expect, gen):
    """w and b that already require grad (a model's parameters) give the same Hessian"""
    inputs = _problem(gen)
    what = "loss_hessian(X, y, w, b) for w and b with requires_grad=True"
    _hessian(student, expect, inputs, what, as_parameters=True)


@cell("loss_hessian")
def test_hessian_same_twice(student, expect, gen):
    """a second call on the same tensors gives the same Hessian (nothing accumulates)"""
    inputs = _problem(gen)
    what = "loss_hessian(X, y, w, b), called a second time on the same tensors,"
    got = _run(student, "loss_hessian", inputs, what, code=TWICE_PROBE)
    # Counts only for an answer that is right the first time.
    H = ref.hessian(inputs[0])
    _matrix(expect, got["first"], H, "loss_hessian(X, y, w, b)", ref.hessian_mistakes(*inputs))
    _matrix(expect, got["second"], H, what, [Mistake(ref.ACCUMULATED_CALLS, 2 * H)])


@cell("loss_hessian")
def test_hessian_leaves_inputs_alone(student, expect, gen):
    """a right Hessian that leaves X, y, w and b as they were (no requires_grad, no .grad)"""
    inputs = _problem(gen)
    what = "loss_hessian(X, y, w, b)"
    _left_alone(expect, _hessian(student, expect, inputs, what), inputs, what)


# loss_hvp ----------------------------------------------------------------------------------


@cell("loss_hvp")
def test_hvp_value(student, expect, gen):
    """loss_hvp is the Hessian times v, a vector of d + 1 numbers"""
    inputs = _problem(gen)
    inputs.append(_vector(gen, inputs[0].shape[1]))
    _hvp(student, expect, inputs, f"loss_hvp(X, y, w, b, v) for {_describe_inputs(inputs)}")


@cell("loss_hvp")
def test_hvp_basis_vector(student, expect, gen):
    """with v the unit vector of the bias, loss_hvp is the Hessian's last column"""
    inputs = _problem(gen, flat_y=True)
    d = inputs[0].shape[1]
    inputs.append(torch.zeros(d + 1))
    inputs[4][d] = 1.0
    what = f"loss_hvp(X, y, w, b, v) for v = e_b (the bias's unit vector), {d} inputs"
    _hvp(student, expect, inputs, what)


@cell("loss_hvp")
def test_hvp_float64(student, expect, gen):
    """float64 inputs work (the answer may be float32 or float64)"""
    inputs = _problem(gen, dtype=torch.float64)
    inputs.append(_vector(gen, inputs[0].shape[1], torch.float64))
    what = f"loss_hvp(X, y, w, b, v) for float64 inputs of {_describe_inputs(inputs)}"
    _hvp(student, expect, inputs, what)


@cell("loss_hvp")
def test_hvp_leaves_inputs_alone(student, expect, gen):
    """a right product that leaves X, y, w, b and v as they were (no requires_grad, no .grad)"""
    inputs = _problem(gen)
    inputs.append(_vector(gen, inputs[0].shape[1]))
    what = "loss_hvp(X, y, w, b, v)"
    _left_alone(expect, _hvp(student, expect, inputs, what), inputs, what)
