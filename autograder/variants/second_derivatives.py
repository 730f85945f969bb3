"""Right and wrong answers to second_derivatives.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "from_scratch"


def _hessian(body):
    return f"def loss_hessian(X, y, w, b):\n{body}\n"


def _hvp(body):
    return f"def loss_hvp(X, y, w, b, v):\n{body}\n"


# A loop over rows with backward() and the parameters' .grad: the way the section's code
# computes gradients, extended to second derivatives. `{setup}` and `{between}` vary.
BACKWARD_ROWS = """
def loss_hessian(X, y, w, b):
    w = w.detach().clone().requires_grad_(True)
    b = b.detach().clone().requires_grad_(True)
    loss = ((X @ w + b - y.reshape(-1, 1)) ** 2 / 2).{reduce}()
{setup}
    rows = []
    for g in grad:
{between}
        g.backward(retain_graph=True)
        rows.append(torch.cat([w.grad.reshape(-1), b.grad]).clone())
    return torch.stack(rows)
"""

GRAD_BY_AUTOGRAD = (
    "    gw, gb = torch.autograd.grad(loss, [w, b], create_graph=True)\n"
    "    grad = torch.cat([gw.reshape(-1), gb])"
)
GRAD_BY_BACKWARD = (
    "    loss.backward(create_graph=True)\n    grad = torch.cat([w.grad.reshape(-1), b.grad])"
)
ZERO = "        w.grad = None\n        b.grad = None"


def _rows(setup=GRAD_BY_AUTOGRAD, between=ZERO, reduce="mean"):
    return BACKWARD_ROWS.format(setup=setup, between=between, reduce=reduce)


VARIANTS = [
    # Right answers written another way.
    Variant(
        "functional_hessian_and_hvp",
        cells={
            "loss_hessian_impl": _hessian(
                "    d = w.numel()\n"
                "    def loss(theta):\n"
                "        y_hat = X @ theta[:d].reshape(-1, 1) + theta[d]\n"
                "        return ((y_hat - y.reshape(y_hat.shape)) ** 2).mean() / 2\n"
                "    theta = torch.cat([w.detach().reshape(-1), b.detach().reshape(-1)])\n"
                "    return torch.autograd.functional.hessian(loss, theta)"
            ),
            "loss_hvp_impl": _hvp(
                "    d = w.numel()\n"
                "    def loss(theta):\n"
                "        return d2lkit.squared_loss(X @ theta[:d].reshape(-1, 1) + theta[d], y)\n"
                "    theta = torch.cat([w.detach().reshape(-1), b.detach().reshape(-1)])\n"
                "    return torch.autograd.functional.hvp(loss, theta, v)[1]"
            ),
        },
    ),
    Variant(
        "torch_func_float64",
        cells={
            "loss_hessian_impl": "from torch.func import hessian\n\n"
            + _hessian(
                "    X, y = X.double(), y.double().reshape(-1, 1)\n"
                "    def loss(wb):\n"
                "        return ((X @ wb[:-1, None] + wb[-1] - y) ** 2 / 2).mean()\n"
                "    wb = torch.cat([w.reshape(-1), b.reshape(-1)]).detach().double()\n"
                "    return hessian(loss)(wb)"
            ),
            "loss_hvp_impl": "from torch.func import grad, jvp\n\n"
            + _hvp(
                "    X, y = X.double(), y.double().reshape(-1, 1)\n"
                "    def loss(wb):\n"
                "        return ((X @ wb[:-1, None] + wb[-1] - y) ** 2 / 2).mean()\n"
                "    wb = torch.cat([w.reshape(-1), b.reshape(-1)]).detach().double()\n"
                "    return jvp(grad(loss), (wb,), (v.double(),))[1]"
            ),
        },
    ),
    Variant(
        "backward_loop_zeroing_grads_and_hessian_times_v",
        cells={
            "loss_hessian_impl": _rows(),
            "loss_hvp_impl": _hvp("    return loss_hessian(X, y, w, b) @ v"),
        },
    ),
    # Known mistakes.
    Variant(
        "backward_twice_without_retain_graph",
        cells={
            "loss_hessian_impl": _rows().replace("g.backward(retain_graph=True)", "g.backward()"),
        },
        failing=("loss_hessian",),
        message="backward() called twice",
    ),
    Variant(
        "grads_accumulate_between_rows",
        cells={"loss_hessian_impl": _rows(between="        pass")},
        failing=("loss_hessian",),
        message="gradients accumulated",
    ),
    Variant(
        "grads_accumulate_on_first_derivative",
        cells={"loss_hessian_impl": _rows(setup=GRAD_BY_BACKWARD, between="        pass")},
        failing=("loss_hessian",),
        message="on top of the first derivative",
    ),
    Variant(
        "missing_create_graph",
        cells={
            "loss_hessian_impl": _rows().replace(", create_graph=True", ""),
        },
        failing=("loss_hessian",),
        message="missing create_graph=True",
    ),
    Variant(
        "summed_loss",
        cells={
            "loss_hessian_impl": _rows(reduce="sum"),
            "loss_hvp_impl": _hvp(
                "    d = w.numel()\n"
                "    theta = torch.cat([w.reshape(-1), b.reshape(-1)]).detach()\n"
                "    theta.requires_grad_(True)\n"
                "    loss = ((X @ theta[:d].reshape(-1, 1) + theta[d] - y.reshape(-1, 1)) ** 2"
                " / 2).sum()\n"
                "    (g,) = torch.autograd.grad(loss, theta, create_graph=True)\n"
                "    return torch.autograd.grad(g @ v, theta)[0]"
            ),
        },
        failing=("loss_hessian", "loss_hvp"),
        message="summed loss",
    ),
    Variant(
        "mean_squared_error_without_half",
        cells={"loss_hessian_impl": _rows().replace(" ** 2 / 2)", " ** 2)")},
        failing=("loss_hessian",),
        message="without its 1/2",
    ),
    Variant(
        "caller_tensors_differentiated",
        cells={
            "loss_hessian_impl": _hessian(
                "    w.requires_grad_(True)\n"
                "    b.requires_grad_(True)\n"
                "    loss = d2lkit.squared_loss(X @ w + b, y)\n"
                "    gw, gb = torch.autograd.grad(loss, [w, b], create_graph=True)\n"
                "    rows = []\n"
                "    for gi in torch.cat([gw.reshape(-1), gb]):\n"
                "        hw, hb = torch.autograd.grad(gi, [w, b], retain_graph=True)\n"
                "        rows.append(torch.cat([hw.reshape(-1), hb]))\n"
                "    return torch.stack(rows)"
            ),
        },
        failing=("loss_hessian",),
        message="switched on requires_grad",
    ),
    Variant(
        "bias_left_out",
        cells={
            "loss_hessian_impl": _hessian(
                "    w = w.detach().clone().requires_grad_(True)\n"
                "    loss = d2lkit.squared_loss(X @ w + b, y)\n"
                "    (g,) = torch.autograd.grad(loss, w, create_graph=True)\n"
                "    g = g.reshape(-1)\n"
                "    return torch.stack([torch.autograd.grad(gi, w, retain_graph=True)[0]"
                ".reshape(-1) for gi in g])"
            ),
        },
        failing=("loss_hessian",),
        message="bias row and column left out",
    ),
    Variant(
        "bias_first",
        cells={
            "loss_hessian_impl": _hessian(
                "    theta = torch.cat([b.reshape(-1), w.reshape(-1)]).detach()"
                ".requires_grad_(True)\n"
                "    loss = d2lkit.squared_loss(X @ theta[1:].reshape(-1, 1) + theta[0], y)\n"
                "    (g,) = torch.autograd.grad(loss, theta, create_graph=True)\n"
                "    return torch.stack([torch.autograd.grad(gi, theta, retain_graph=True)[0]"
                " for gi in g])"
            ),
        },
        failing=("loss_hessian",),
        message="bias placed first",
    ),
    Variant(
        "hvp_returns_gradient",
        cells={
            "loss_hvp_impl": _hvp(
                "    theta = torch.cat([w.reshape(-1), b.reshape(-1)]).detach()"
                ".requires_grad_(True)\n"
                "    loss = d2lkit.squared_loss(X @ theta[:-1].reshape(-1, 1) + theta[-1], y)\n"
                "    return torch.autograd.grad(loss, theta)[0]"
            ),
        },
        failing=("loss_hvp",),
        message="the gradient of the loss",
    ),
    Variant(
        "hvp_elementwise",
        cells={
            "loss_hvp_impl": _hvp(
                "    theta = torch.cat([w.reshape(-1), b.reshape(-1)]).detach()"
                ".requires_grad_(True)\n"
                "    loss = d2lkit.squared_loss(X @ theta[:-1].reshape(-1, 1) + theta[-1], y)\n"
                "    return torch.autograd.grad(loss, theta)[0] * v"
            ),
        },
        failing=("loss_hvp",),
        message="entry by entry",
    ),
    Variant(
        "stubs_return_none_and_input",
        cells={
            "loss_hessian_impl": _hessian("    return None"),
            "loss_hvp_impl": _hvp("    return v"),
        },
        failing=("loss_hessian", "loss_hvp"),
        zero=("loss_hessian", "loss_hvp"),
        message="",
    ),
]
