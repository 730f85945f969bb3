"""Hidden checks of gradient_access.ipynb (D2L 3.5, exercise 3).

Every input is drawn from the check's `gen` / `seed`. The probes build or train a
d2lkit.LinearRegression in the student's kernel and send back plain tensors: the student's
answer and the model's parameters and .grad before and after the call. The expected values
come from autograder.reference.gradient_access (closed forms, or the same seeded run).
"""

import pytest
import torch

from autograder.graders.gradient_access_parts import (
    MODEL_WITH,
    PROBE_BACKWARD,
    PROBE_FULL_BATCH,
    PROBE_TRAINED,
    STATE,
    draw_model,
    trained_setup,
)
from autograder.judging.checks import CheckFailed, Mistake, describe, show
from autograder.reference import gradient_access as ref
from autograder.wire.plain import StudentTensor

cell = pytest.mark.cell


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


def unchanged(expect, before, after, message):
    same = isinstance(after, StudentTensor) and after.values is not None
    same = same and tuple(after.values.shape) == tuple(before.shape)
    expect.that(same and torch.equal(after.values, before.double()), message)


def still_trainable(expect, got, what):
    """The parameters still require grad after the call (no requires_grad_(False) left)."""
    for name in ("weight", "bias"):
        expect.that(
            got.get(f"{name}_requires_grad") is True,
            f"{what} switched requires_grad off on the model's {name}: training could no longer "
            "update it. Leave the parameters' flags as they were.",
        )


# get_grads ----------------------------------------------------------------------------------


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
    """get_grads returns the .grad the model holds and changes neither it nor the parameters"""
    W, b, X, y, old_grads = draw_model(gen)
    what = "get_grads(model) on a model holding gradients"
    got = student.run(
        MODEL_WITH + "answer = get_grads(model)\n" + STATE,
        what=what,
        W=W,
        b=b,
        X=X,
        y=y,
        old_grads=old_grads,
    )
    check_grads(expect, got, old_grads, {ref.PARAMETERS: (W, b)}, what)
    still_trainable(expect, got, what)
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
    """full_batch_grads gives the right gradients and leaves the model's own .grad as it was"""
    W, b, X, y, old_grads = draw_model(gen)
    got, what = run_full_batch(student, W, b, X, y, old_grads)
    mistakes = ref.full_batch_mistakes(W, b, X, y, old_grads)
    check_grads(expect, got, ref.mse_grads(W, b, X, y), mistakes, what)
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
    """the gradients are right and the parameters and their requires_grad are unchanged"""
    W, b, X, y, old_grads = draw_model(gen)
    got, what = run_full_batch(student, W, b, X, y, old_grads)
    mistakes = ref.full_batch_mistakes(W, b, X, y, old_grads)
    check_grads(expect, got, ref.mse_grads(W, b, X, y), mistakes, what)
    still_trainable(expect, got, what)
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
    """on a model whose .grad is None it returns the gradients and leaves .grad None"""
    W, b, X, y, _ = draw_model(gen)
    got, what = run_full_batch(student, W, b, X, y, None)
    mistakes = ref.full_batch_mistakes(W, b, X, y)
    check_grads(expect, got, ref.mse_grads(W, b, X, y), mistakes, what)
    for name in ("weight", "bias"):
        expect.that(
            got[f"{name}_grad"] is None,
            f"{what} filled the model's {name} .grad, which was None before the call "
            "(backward() on the model's own parameters). Use torch.autograd.grad, or set "
            ".grad back to what it was.",
        )


@cell("full_batch_grads")
def test_one_feature_and_square_inputs(student, expect, gen):
    """with one input feature (d = 1), and with as many examples as features (n = d)"""
    for n, d in ((int(torch.randint(3, 7, (), generator=gen)), 1), (3, 3)):
        W, b, X, y, old_grads = draw_model(gen, n=n, d=d)
        got, what = run_full_batch(student, W, b, X, y, old_grads)
        mistakes = ref.full_batch_mistakes(W, b, X, y, old_grads)
        check_grads(expect, got, ref.mse_grads(W, b, X, y), mistakes, what)
