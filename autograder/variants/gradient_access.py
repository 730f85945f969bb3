"""Known answers to gradient_access.ipynb: right ones that must keep every point, wrong ones
that must lose points on the cells they name, with the mistake in the message."""

from autograder.notebooks import Variant

ASSIGNMENT = "linear_regression"

RIGHT = [
    Variant(
        "grads_from_parameters_list",
        cells={
            "get_grads_impl": """
def get_grads(model):
    weight, bias = model.net.parameters()
    return [weight.grad.clone(), bias.grad.clone()]
"""
        },
    ),
    Variant(
        "save_backward_restore",
        cells={
            "full_batch_grads_impl": """
def full_batch_grads(model, X, y):
    params = [model.net.weight, model.net.bias]
    saved = [p.grad for p in params]
    for p in params:
        p.grad = None
    model.loss(model(X), y).backward()
    grads = [p.grad for p in params]
    for p, g in zip(params, saved):
        p.grad = g
    return grads[0], grads[1]
"""
        },
    ),
    Variant(
        "backward_on_a_copy_with_warning",
        cells={
            "full_batch_grads_impl": """
import copy
import sys

def full_batch_grads(model, X, y):
    print("working on a copy of the model", file=sys.stderr)
    clone = copy.deepcopy(model)
    clone.zero_grad()
    clone.loss(clone(X), y).backward()
    return clone.net.weight.grad, clone.net.bias.grad
"""
        },
    ),
    Variant(
        "autograd_with_graph_in_float64",
        cells={
            "full_batch_grads_impl": """
def full_batch_grads(model, X, y):
    W, b = model.net.weight, model.net.bias
    y_hat = X.double() @ W.double().T + b.double()
    loss = ((y_hat - y.double().reshape(y_hat.shape)) ** 2).mean()
    return torch.autograd.grad(loss, (W, b), create_graph=True)
"""
        },
    ),
]

WRONG = [
    Variant(
        "parameters_not_gradients",
        cells={
            "get_grads_impl": """
def get_grads(model):
    return model.get_w_b()
"""
        },
        failing=("get_grads",),
        message="the parameters themselves",
    ),
    Variant(
        "flattened_weight_gradient",
        cells={
            "get_grads_impl": """
def get_grads(model):
    return model.net.weight.grad.reshape(-1), model.net.bias.grad
"""
        },
        failing=("get_grads",),
        message="flattened",
    ),
    Variant(
        "grad_of_get_w_b_is_none",
        cells={
            "get_grads_impl": """
def get_grads(model):
    w, b = model.get_w_b()
    return w.grad, b.grad
"""
        },
        failing=("get_grads",),
        zero=("get_grads",),
        message="returned None",
    ),
    Variant(
        "get_grads_clears_them",
        cells={
            "get_grads_impl": """
def get_grads(model):
    grads = model.net.weight.grad.clone(), model.net.bias.grad.clone()
    model.zero_grad()
    return grads
"""
        },
        failing=("get_grads",),
        message="changed the model's weight .grad",
    ),
    Variant(
        "accumulated_not_zeroed",
        cells={
            "full_batch_grads_impl": """
def full_batch_grads(model, X, y):
    model.loss(model(X), y).backward()
    return model.net.weight.grad, model.net.bias.grad
"""
        },
        failing=("full_batch_grads",),
        message="not zeroed",
    ),
    Variant(
        "zeroed_but_not_restored",
        cells={
            "full_batch_grads_impl": """
def full_batch_grads(model, X, y):
    model.zero_grad()
    model.loss(model(X), y).backward()
    return model.net.weight.grad.clone(), model.net.bias.grad.clone()
"""
        },
        failing=("full_batch_grads",),
        message="changed the model's own weight .grad",
    ),
    Variant(
        "scratch_loss_missing_factor_two",
        cells={
            "full_batch_grads_impl": """
def full_batch_grads(model, X, y):
    loss = d2lkit.squared_loss(model(X), y)
    return torch.autograd.grad(loss, [model.net.weight, model.net.bias])
"""
        },
        failing=("full_batch_grads",),
        message="without the factor 2",
    ),
    Variant(
        "own_loss_broadcasts",
        cells={
            "full_batch_grads_impl": """
def full_batch_grads(model, X, y):
    loss = ((model(X) - y) ** 2).mean()
    return torch.autograd.grad(loss, [model.net.weight, model.net.bias])
"""
        },
        failing=("full_batch_grads",),
        message="broadcast",
    ),
    Variant(
        "no_backward_pass",
        cells={
            "full_batch_grads_impl": """
def full_batch_grads(model, X, y):
    model.loss(model(X), y)
    return model.net.weight.grad, model.net.bias.grad
"""
        },
        failing=("full_batch_grads",),
        message="backward",
    ),
    Variant(
        "takes_an_optimiser_step",
        cells={
            "full_batch_grads_impl": """
def full_batch_grads(model, X, y):
    grads = torch.autograd.grad(model.loss(model(X), y), [model.net.weight, model.net.bias])
    with torch.no_grad():
        model.net.weight -= model.lr * grads[0]
        model.net.bias -= model.lr * grads[1]
    return grads
"""
        },
        failing=("full_batch_grads",),
        message="changed the model's weight",
    ),
    Variant(
        "returns_parameters",
        cells={
            "full_batch_grads_impl": """
def full_batch_grads(model, X, y):
    return model.net.weight, model.net.bias
"""
        },
        failing=("full_batch_grads",),
        zero=("full_batch_grads",),
        message="the parameters themselves",
    ),
]

# Answers written the way students write them, found while grading.
RIGHT += [
    Variant(
        "torch_func_and_comprehension",
        cells={
            "get_grads_impl": """
def get_grads(model):
    return tuple(p.grad for p in (model.net.weight, model.net.bias))
""",
            "full_batch_grads_impl": """
from torch.func import functional_call, grad

def full_batch_grads(model, X, y):
    params = {name: p.detach() for name, p in model.named_parameters()}

    def loss_of(params):
        return model.loss(functional_call(model, params, (X,)), y)

    grads = grad(loss_of)(params)
    return grads["net.weight"], grads["net.bias"]
""",
        },
    ),
]

WRONG += [
    Variant(
        "switches_requires_grad_off",
        cells={
            "full_batch_grads_impl": """
def full_batch_grads(model, X, y):
    params = [model.net.weight, model.net.bias]
    grads = torch.autograd.grad(model.loss(model(X), y), params)
    for p in params:
        p.requires_grad_(False)  # done with autograd
    return grads
"""
        },
        failing=("full_batch_grads",),
        message="switched requires_grad off",
    ),
    Variant(
        "restores_only_existing_grads",
        cells={
            "full_batch_grads_impl": """
def full_batch_grads(model, X, y):
    params = [model.net.weight, model.net.bias]
    saved = [None if p.grad is None else p.grad.clone() for p in params]
    model.zero_grad()
    model.loss(model(X), y).backward()
    grads = [p.grad.clone() for p in params]
    for p, old in zip(params, saved):
        if old is not None:
            p.grad.copy_(old)
    return grads[0], grads[1]
"""
        },
        failing=("full_batch_grads",),
        message="filled the model's weight .grad",
    ),
]

# Stubs: each must earn nothing on every autograded cell.
CELLS = ("get_grads", "full_batch_grads")


def _stub(name, get_grads, full_batch_grads):
    return Variant(
        f"stub_{name}",
        cells={
            "get_grads_impl": f"def get_grads(model):\n    return {get_grads}\n",
            "full_batch_grads_impl": (
                f"def full_batch_grads(model, X, y):\n    return {full_batch_grads}\n"
            ),
        },
        zero=CELLS,
    )


STUBS = [
    _stub("none", "None", "None"),
    _stub("input", "model", "X, y"),
    _stub(
        "constant",
        "torch.zeros_like(model.net.weight), torch.zeros_like(model.net.bias)",
        "torch.zeros_like(model.net.weight), torch.zeros_like(model.net.bias)",
    ),
]

VARIANTS = RIGHT + WRONG + STUBS
