"""Hidden checks of gradient_access.ipynb (D2L 3.5, exercise 3).

Every input is drawn from the check's `gen` / `seed`. The probes build or train a
d2lkit.LinearRegression in the student's kernel and send back plain tensors: the student's
answer and the model's parameters and .grad before and after the call. The expected values
come from autograder.reference.gradient_access (closed forms, or the same seeded run).
"""

import pytest
import torch

from autograder.judging.checks import CheckFailed, Mistake, describe, show
from autograder.reference import gradient_access as ref

cell = pytest.mark.cell

# The model's state, read back after the student's function ran.
STATE = """
result = {
    "answer": answer,
    "weight": model.net.weight.detach().clone(),
    "bias": model.net.bias.detach().clone(),
    "weight_grad": model.net.weight.grad,
    "bias_grad": model.net.bias.grad,
}
"""

PROBE_TRAINED = (
    """
import torch, d2lkit
data = d2lkit.SyntheticRegressionData(w, b, noise=0.1, num_train=num_train, num_val=8,
                                      batch_size=batch_size, seed=data_seed)
torch.manual_seed(model_seed)
model = d2lkit.LinearRegression(lr=lr)
model.board.display = False  # no live figure while grading
d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
answer = get_grads(model)
"""
    + STATE
)

# A model with given parameters, and .grad set to old_grads (or left None).
MODEL_WITH = """
import torch, d2lkit
model = d2lkit.LinearRegression(lr=0.1)
model.board.display = False
with torch.no_grad():
    model(X)  # materialise the lazy layer, then set its parameters
    model.net.weight.copy_(W)
    model.net.bias.copy_(b)
if old_grads is not None:
    model.net.weight.grad, model.net.bias.grad = (g.clone() for g in old_grads)
"""

PROBE_BACKWARD = (
    MODEL_WITH
    + """
model.loss(model(X), y).backward()
answer = get_grads(model)
"""
    + STATE
)

PROBE_FULL_BATCH = (
    MODEL_WITH
    + """
answer = full_batch_grads(model, X, y)
"""
    + STATE
)


def pair(answer, what, only=(0, 1)):
    """The student's (weight gradient, bias gradient), or a failure that says what came back."""
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        raise CheckFailed(
            f"{what} should return a pair (weight gradient, bias gradient), but it returned "
            f"{describe(answer)}."
        )
    for index in only:
        name, value = ("weight", "bias")[index], answer[index]
        if value is None:
            raise CheckFailed(
                f"{what} returned None for the {name} gradient: no gradient was computed. "
                "A parameter's .grad stays None until a backward pass (or torch.autograd.grad) "
                "has run on the loss."
            )
    return answer


def check_grads(expect, got, expected, mistakes, what, trained=False, only=(0, 1)):
    """Compare the weight (index 0) and bias (index 1) gradients with the expected pair."""
    answer = pair(got["answer"], what, only)
    for index in only:
        name = ("weight", "bias")[index]
        expect.tensor(
            answer[index],
            expected[index],
            what=f"the {name} gradient of {what}",
            mistakes=[Mistake(n, v[index]) for n, v in mistakes.items()],
            trained=trained,
        )


def draw_model(gen, n=None):
    """A small problem: parameters W (1, d), b (1,), inputs X (n, d), labels y (n, 1)."""
    d = int(torch.randint(2, 5, (), generator=gen))
    n = n or int(torch.randint(5, 9, (), generator=gen))
    W = torch.randn(1, d, generator=gen)
    b = torch.randn(1, generator=gen)
    X = torch.randn(n, d, generator=gen)
    y = torch.randn(n, 1, generator=gen) * 2
    old_grads = (torch.randn(1, d, generator=gen), torch.randn(1, generator=gen))
    return W, b, X, y, old_grads


def unchanged(expect, before, after, message):
    same = after is not None and after.values is not None
    same = same and tuple(after.values.shape) == tuple(before.shape)
    expect.that(same and torch.equal(after.values, before.double()), message)


# get_grads ----------------------------------------------------------------------------------


def trained_setup(gen, seed):
    d = int(torch.randint(2, 5, (), generator=gen))
    return {
        "w": torch.randn(d, generator=gen) * 2,
        "b": round(float(torch.randn((), generator=gen)) * 2, 3),
        "num_train": 40,
        "batch_size": 8,
        "data_seed": seed % 10_000,
        "model_seed": seed % 9_973,
        "lr": 0.05,
        "max_epochs": 2,
    }


def check_after_training(student, expect, gen, seed, index):
    setup = trained_setup(gen, seed)
    what = "get_grads(model) after training"
    got = student.run(PROBE_TRAINED, what=what, **setup)
    grads, params = ref.trained_grads(**setup)
    mistakes = {ref.PARAMETERS: params, ref.FLATTENED: (grads[0].reshape(-1), grads[1])}
    check_grads(expect, got, grads, mistakes, what, trained=True, only=(index,))


@cell("get_grads")
def test_weight_gradient_after_training(student, expect, gen, seed):
    """get_grads returns the weight gradient that training left, shape (1, d)"""
    check_after_training(student, expect, gen, seed, 0)


@cell("get_grads")
def test_bias_gradient_after_training(student, expect, gen, seed):
    """get_grads returns the bias gradient that training left, shape (1,)"""
    check_after_training(student, expect, gen, seed, 1)


@cell("get_grads")
def test_gradients_of_one_backward_pass(student, expect, gen):
    """after one backward pass by hand, get_grads returns dL/dW and dL/db"""
    W, b, X, y, _ = draw_model(gen)
    what = "get_grads(model) after model.loss(model(X), y).backward()"
    got = student.run(PROBE_BACKWARD, what=what, W=W, b=b, X=X, y=y, old_grads=None)
    mistakes = ref.full_batch_mistakes(W, b, X, y)
    check_grads(expect, got, ref.mse_grads(W, b, X, y), mistakes, what)


@cell("get_grads")
def test_model_left_unchanged(student, expect, gen):
    """get_grads changes neither the parameters nor their gradients"""
    W, b, X, y, old_grads = draw_model(gen)
    got = student.run(
        MODEL_WITH + "answer = get_grads(model)\n" + STATE,
        what="get_grads(model)",
        W=W,
        b=b,
        X=X,
        y=y,
        old_grads=old_grads,
    )
    for name, before in (("weight", W), ("bias", b)):
        unchanged(expect, before, got[name], f"get_grads changed the model's {name}.")
    for name, before in zip(("weight", "bias"), old_grads, strict=True):
        unchanged(
            expect,
            before,
            got[f"{name}_grad"],
            f"get_grads changed the model's {name} .grad (zeroed, replaced or set to None); "
            "it should only read it.",
        )


# full_batch_grads ---------------------------------------------------------------------------


def run_full_batch(student, W, b, X, y, old_grads):
    what = f"full_batch_grads(model, X, y) with X of shape {tuple(X.shape)}"
    what += f" and y of shape {tuple(y.shape)}"
    got = student.run(PROBE_FULL_BATCH, what=what, W=W, b=b, X=X, y=y, old_grads=old_grads)
    return got, what


def check_full_batch(student, expect, gen, index):
    W, b, X, y, old_grads = draw_model(gen)
    got, what = run_full_batch(student, W, b, X, y, old_grads)
    mistakes = ref.full_batch_mistakes(W, b, X, y, old_grads)
    check_grads(expect, got, ref.mse_grads(W, b, X, y), mistakes, what, only=(index,))


@cell("full_batch_grads")
def test_weight_gradient_is_mse_gradient(student, expect, gen):
    """the weight gradient is 2/n r^T X, whatever .grad the model held before"""
    check_full_batch(student, expect, gen, 0)


@cell("full_batch_grads")
def test_bias_gradient_is_mse_gradient(student, expect, gen):
    """the bias gradient is 2/n sum(r), whatever .grad the model held before"""
    check_full_batch(student, expect, gen, 1)


@cell("full_batch_grads")
def test_model_grad_left_as_it_was(student, expect, gen):
    """full_batch_grads leaves the model's own .grad as it was"""
    W, b, X, y, old_grads = draw_model(gen)
    got, _ = run_full_batch(student, W, b, X, y, old_grads)
    for name, before in zip(("weight", "bias"), old_grads, strict=True):
        after = got[f"{name}_grad"]
        now = "None" if after is None else describe(after)
        if after is not None and after.values is not None:
            now = show(after.values)
        unchanged(
            expect,
            before,
            after,
            f"full_batch_grads changed the model's own {name} .grad (it was {show(before)}, "
            f"now {now}): the new gradient was accumulated into it, or it was zeroed or "
            "cleared. Compute the gradients apart from it, e.g. with torch.autograd.grad, or "
            "save and restore it.",
        )


@cell("full_batch_grads")
def test_parameters_left_unchanged(student, expect, gen):
    """full_batch_grads leaves the model's parameters unchanged"""
    W, b, X, y, old_grads = draw_model(gen)
    got, _ = run_full_batch(student, W, b, X, y, old_grads)
    for name, before in (("weight", W), ("bias", b)):
        unchanged(
            expect,
            before,
            got[name],
            f"full_batch_grads changed the model's {name}; it should only compute gradients "
            "(no optimiser step).",
        )


@cell("full_batch_grads")
def test_flat_labels(student, expect, gen):
    """y of shape (n,) gives the same gradients as y of shape (n, 1)"""
    W, b, X, y, old_grads = draw_model(gen)
    y = y.reshape(-1)
    got, what = run_full_batch(student, W, b, X, y, old_grads)
    mistakes = ref.full_batch_mistakes(W, b, X, y, old_grads)
    check_grads(expect, got, ref.mse_grads(W, b, X, y), mistakes, what)


@cell("full_batch_grads")
def test_fresh_model_without_grad(student, expect, gen):
    """on a model that never ran backward (.grad is None) it still returns the gradients"""
    W, b, X, y, _ = draw_model(gen)
    got, what = run_full_batch(student, W, b, X, y, None)
    mistakes = ref.full_batch_mistakes(W, b, X, y)
    check_grads(expect, got, ref.mse_grads(W, b, X, y), mistakes, what)
