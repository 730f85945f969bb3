"""Hidden checks for l1_update.ipynb (D2L 3.7, exercise 3)."""

import pytest
import torch

from autograder.judging.checks import CheckFailed, Mistake
from autograder.reference import l1_update as ref
from autograder.wire.plain import StudentTensor

cell = pytest.mark.cell


def _weights(gen, *shape, zeros=0):
    """Random weights away from 0 (so sign(w) is unambiguous), with `zeros` exact zeros."""
    w = torch.randn(*shape, generator=gen)
    w = w + 0.1 * torch.sign(w)
    flat = w.reshape(-1)
    flat[torch.randperm(flat.numel(), generator=gen)[:zeros]] = 0.0
    return w


def _scalar(gen, low, high):
    return round(low + (high - low) * float(torch.rand(1, generator=gen)), 4)


@cell("l1_penalty")
def test_penalty_value(student, expect, gen):
    """l1_penalty(w) is the sum of |w_i|"""
    w = _weights(gen, int(torch.randint(4, 9, (1,), generator=gen)), 1)
    expect.number(
        student.call("l1_penalty", w, what="l1_penalty(w)"),
        float(ref.l1_penalty(w)),
        what=f"l1_penalty(w) for a w of shape {tuple(w.shape)}",
        mistakes=ref.penalty_mistakes(w),
    )


@cell("l1_penalty")
def test_penalty_is_scalar_tensor(student, expect, gen):
    """l1_penalty returns a scalar (0-d) tensor, also for a matrix of weights"""
    w = _weights(gen, 3, 4, zeros=2)
    expect.tensor(
        student.call("l1_penalty", w, what="l1_penalty(W)"),
        ref.l1_penalty(w),
        what="l1_penalty(W) for a W of shape (3, 4)",
        mistakes=ref.penalty_mistakes(w),
    )


@cell("l1_penalty")
def test_penalty_of_rows_and_columns(student, expect, gen):
    """l1_penalty works for a row (1, d) and a column (d, 1) of weights"""
    d = int(torch.randint(3, 7, (1,), generator=gen))
    for shape in ((1, d), (d, 1)):
        w = _weights(gen, *shape, zeros=1)
        what = f"l1_penalty(w) for a w of shape {shape}"
        expect.number(
            student.call("l1_penalty", w, what=what),
            float(ref.l1_penalty(w)),
            what=what,
            mistakes=ref.penalty_mistakes(w),
        )


GRAD_PROBE = """
w = w_in.clone().requires_grad_(True)
penalty = l1_penalty(w)
if not isinstance(penalty, torch.Tensor):
    raise TypeError(f"l1_penalty returned a {type(penalty).__name__}, not a tensor autograd can "
                    "differentiate; keep it a tensor (no .item() or float())")
penalty.backward()
result = w.grad
"""


@cell("l1_penalty")
def test_penalty_differentiable(student, expect, gen):
    """autograd can differentiate l1_penalty: its gradient is sign(w)"""
    w = _weights(gen, 6, 1, zeros=1)
    expect.tensor(
        student.run("import torch\n" + GRAD_PROBE, what="l1_penalty(w).backward()", w_in=w),
        torch.sign(w),
        what="the gradient of l1_penalty(w) with respect to w",
    )


def _update_inputs(gen, zeros=0, shape=(6, 1)):
    w = _weights(gen, *shape, zeros=zeros)
    grad = torch.randn(*shape, generator=gen)
    return w, grad, _scalar(gen, 0.01, 0.2), _scalar(gen, 1.5, 3.0)


@cell("l1_sgd_update")
def test_update_value(student, expect, gen):
    """one step is w - lr * (grad + lambd * sign(w))"""
    w, grad, lr, lambd = _update_inputs(gen)
    what = f"l1_sgd_update(w, grad, lr={lr}, lambd={lambd})"
    expect.tensor(
        student.call("l1_sgd_update", w, grad, lr, lambd, what=what),
        ref.l1_sgd_update(w, grad, lr, lambd),
        what=what,
        mistakes=ref.update_mistakes(w, grad, lr, lambd),
    )


@cell("l1_sgd_update")
def test_zero_weights(student, expect, gen):
    """sign(0) = 0: a zero weight moves with its gradient only"""
    w, grad, lr, lambd = _update_inputs(gen, zeros=3)
    what = f"l1_sgd_update(w, grad, lr={lr}, lambd={lambd}) with some w_i = 0"
    got = student.call("l1_sgd_update", w, grad, lr, lambd, what=what)
    if isinstance(got, StudentTensor) and got.values is not None and got.shape == w.shape:
        nan_at_zero = torch.isnan(got.values.double()) & (w == 0)
        if bool(nan_at_zero.any()):
            raise CheckFailed(
                f"{what} gives NaN where w_i = 0. This looks like sign(w) computed as w / |w|, "
                "which is 0/0 at w = 0; torch.sign(0) is 0."
            )
    expect.tensor(
        got,
        ref.l1_sgd_update(w, grad, lr, lambd),
        what=what,
        mistakes=ref.update_mistakes(w, grad, lr, lambd),
    )


def _check_update(student, expect, w, grad, lr, lambd, what, **call):
    try:
        answer = student.call("l1_sgd_update", w, grad, lr, lambd, what=what, **call)
        got = answer[0] if call else answer
        expect.tensor(
            got,
            ref.l1_sgd_update(w, grad, lr, lambd),
            what=what,
            mistakes=ref.update_mistakes(w, grad, lr, lambd),
        )
    except CheckFailed as exc:
        if "ambiguous" in str(exc):
            raise CheckFailed(f"{exc} This looks like {ref.ROW_LOOP}.") from None
        raise
    return answer


@cell("l1_sgd_update")
def test_inputs_unchanged(student, expect, gen):
    """l1_sgd_update returns the right new tensor and leaves w and grad unchanged"""
    w, grad, lr, lambd = _update_inputs(gen, zeros=1)
    what = f"l1_sgd_update(w, grad, lr={lr}, lambd={lambd})"
    _, after = _check_update(student, expect, w, grad, lr, lambd, what, return_args=True)
    expect.unchanged(w, after[0], name="w", what=what)
    expect.unchanged(grad, after[1], name="grad", what=what)
    expect.that(
        not after[0].shares_result,
        f"{what} returned w itself (or a view of it), not a new tensor; the caller's w would "
        "change along with the result.",
    )


@cell("l1_sgd_update")
def test_rows_and_matrices(student, expect, gen):
    """l1_sgd_update works for a row (1, d) and a matrix of weights, and keeps their shape"""
    d = int(torch.randint(3, 6, (1,), generator=gen))
    for shape in ((1, d), (d - 1, d)):
        w, grad, lr, lambd = _update_inputs(gen, zeros=1, shape=shape)
        what = f"l1_sgd_update(w, grad, lr={lr}, lambd={lambd}) for a w of shape {shape}"
        _check_update(student, expect, w, grad, lr, lambd, what)


@cell("l1_sgd_update")
def test_update_1d_float64(student, expect, gen):
    """l1_sgd_update works for a 1-D float64 w and keeps its shape"""
    w, grad, lr, lambd = _update_inputs(gen, zeros=1, shape=(5,))
    w, grad = w.double(), grad.double()
    what = "l1_sgd_update(w, grad, lr, lambd) for a float64 w of shape (5,)"
    expect.tensor(
        student.call("l1_sgd_update", w, grad, lr, lambd, what=what),
        ref.l1_sgd_update(w, grad, lr, lambd),
        what=what,
        mistakes=ref.update_mistakes(w, grad, lr, lambd),
    )


LOSS_PROBE = """
import torch
model = WeightDecayL1(num_inputs, lambd, lr)
with torch.no_grad():
    model.w.copy_(w)
    model.b.copy_(b)
result = model.loss(model(X), y)
if isinstance(result, torch.Tensor):
    result = result.detach()
"""


def _check_model_loss(student, expect, gen):
    d, n = int(torch.randint(3, 7, (1,), generator=gen)), 8
    w, b = _weights(gen, d, 1, zeros=1), torch.randn(1, generator=gen) + 1.0
    X, y = torch.randn(n, d, generator=gen), torch.randn(n, 1, generator=gen)
    lambd = _scalar(gen, 1.5, 3.0)
    expect.number(
        student.run(
            LOSS_PROBE,
            what=f"WeightDecayL1({d}, lambd={lambd}, lr=0.1).loss(model(X), y)",
            num_inputs=d,
            lambd=lambd,
            lr=0.1,
            w=w,
            b=b,
            X=X,
            y=y,
        ),
        float(ref.model_loss(w, b, X, y, lambd)),
        what="the loss of a WeightDecayL1 with known w and b",
        mistakes=ref.loss_mistakes(w, b, X, y, lambd),
    )


@cell("weight_decay_l1")
def test_loss_adds_l1_penalty(student, expect, gen):
    """the loss is the base loss plus lambd * l1_penalty(w)"""
    _check_model_loss(student, expect, gen)


INIT_PROBE = """
import torch
torch.manual_seed(seed)
model = WeightDecayL1(num_inputs, lambd, lr, sigma=sigma)
result = {"w": model.w.detach(), "lr": model.lr}
"""


@cell("weight_decay_l1")
def test_base_class_initialisation(student, expect, gen, seed):
    """the loss is right and num_inputs, lr, sigma are passed on to LinearRegressionScratch"""
    _check_model_loss(student, expect, gen)
    d, lr, sigma = int(torch.randint(3, 7, (1,), generator=gen)), _scalar(gen, 0.01, 0.1), 0.5
    what = f"WeightDecayL1({d}, lambd=1.0, lr={lr}, sigma={sigma})"
    got = student.run(INIT_PROBE, what=what, num_inputs=d, lambd=1.0, lr=lr, sigma=sigma, seed=seed)
    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be inspected.")
    expect.tensor(
        got["w"],
        ref.initial_weights(d, lr, sigma, seed),
        what=f"the initial w of {what} after torch.manual_seed",
        mistakes=[
            Mistake("sigma not passed on to the base class", ref.initial_weights(d, lr, 0.01, seed))
        ],
    )
    expect.number(got["lr"], lr, what=f"model.lr of {what}")


TRAIN_PROBE = """
import torch
import d2lkit
data = d2lkit.SyntheticRegressionData(**setting["data"])
torch.manual_seed(setting["seed"])
model = WeightDecayL1(setting["num_inputs"], setting["lambd"], setting["lr"])
model.board.display = False  # a live plot would only slow the check down
d2lkit.Trainer(max_epochs=setting["max_epochs"]).fit(model, data)
result = {"w": model.w.detach(), "b": model.b.detach()}
"""


@cell("weight_decay_l1")
def test_training_run(student, expect, gen, seed):
    """a short seeded training run ends at the reference's weights"""
    d = int(torch.randint(4, 8, (1,), generator=gen))
    w_true = torch.randn(d, generator=gen)
    w_true[: d // 2] = 0.0  # some inputs do not matter: L1 should pull their weights down
    setting = {
        "data": {
            "w": w_true.tolist(),
            "b": _scalar(gen, -1.0, 1.0),
            "num_train": 20,
            "num_val": 5,
            "batch_size": 5,
            "seed": seed,
        },
        "seed": int(torch.randint(0, 10_000, (1,), generator=gen)),
        "num_inputs": d,
        "lambd": _scalar(gen, 1.2, 2.5),
        "lr": _scalar(gen, 0.02, 0.05),
        "max_epochs": 3,
    }
    what = f"training WeightDecayL1({d}, lambd={setting['lambd']}, lr={setting['lr']})"
    got = student.run(TRAIN_PROBE, what=what, setting=setting)
    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be inspected.")
    w, b = ref.train(setting)
    expect.tensor(
        got["w"], w, what=f"w after {what}", mistakes=ref.train_mistakes(setting), trained=True
    )
    expect.tensor(got["b"], b, what=f"b after {what}", trained=True)
