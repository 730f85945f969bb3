"""Right and wrong answers to noise_models.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "linear_models"


def _nll(body):
    return f"def laplace_nll(X, y, w, b):\n{body}\n"


def _step(body):
    return f"def lad_step(X, y, w, b, lr):\n{body}\n"


def _poisson(body):
    return f"def poisson_nll(log_rate, k):\n{body}\n"


LOOPS = {
    "laplace_nll_impl": _nll(
        "    total = torch.zeros((), dtype=X.dtype)\n"
        "    for i in range(X.shape[0]):\n"
        "        pred = (X[i] @ w).reshape(()) + b.reshape(())\n"
        "        total = total + math.log(2.0) + torch.abs(y.reshape(-1)[i] - pred)\n"
        "    return total"
    ),
    "lad_step_impl": _step(
        "    gw, gb = torch.zeros_like(w), torch.zeros_like(b)\n"
        "    for i in range(X.shape[0]):\n"
        "        r = y.reshape(-1)[i] - (X[i] @ w).reshape(()) - b.reshape(())\n"
        "        s = torch.sign(r)\n"
        "        gw += s * X[i].reshape(-1, 1)\n"
        "        gb += s\n"
        "    return w + lr * gw, b + lr * gb"
    ),
    "poisson_nll_impl": _poisson(
        "    k = k.to(log_rate.dtype).reshape(-1)\n"
        "    terms = [torch.exp(u) - c * u for u, c in zip(log_rate.reshape(-1), k)]\n"
        "    return torch.stack(terms).mean()"
    ),
}

# The subgradient by autograd (d|r|/dr at 0 is 0 in PyTorch) and the framework's loss.
AUTOGRAD_BUILTINS = {
    "laplace_nll_impl": "import torch.nn.functional as F\n\n"
    + _nll(
        "    y_hat = X @ w + b\n"
        "    return len(X) * math.log(2) + F.l1_loss(y_hat, y.reshape(y_hat.shape), "
        "reduction='sum')"
    ),
    "lad_step_impl": _step(
        "    w_, b_ = w.detach().clone().requires_grad_(), b.detach().clone().requires_grad_()\n"
        "    gw, gb = torch.autograd.grad(laplace_nll(X, y, w_, b_), (w_, b_))\n"
        "    return (w_ - lr * gw).detach(), (b_ - lr * gb).detach()"
    ),
    "poisson_nll_impl": _poisson(
        "    loss = torch.nn.PoissonNLLLoss(log_input=True, full=False)\n"
        "    return loss(log_rate, k.to(log_rate.dtype))"
    ),
}

FLOAT64_WITH_WARNING = {
    "laplace_nll_impl": "import warnings\n\n"
    + _nll(
        '    warnings.warn("working in float64")\n'
        "    r = y.double().reshape(-1, 1) - X.double() @ w.double() - b.double()\n"
        "    return (r.abs().sum() + len(X) * torch.log(torch.tensor(2.0, dtype=torch.float64)))"
        ".to(X.dtype)"
    ),
    "poisson_nll_impl": _poisson(
        "    u = log_rate.double()\n"
        "    return torch.mean(u.exp() - k.double() * u).to(log_rate.dtype)"
    ),
}

VARIANTS = [
    # Right answers written another way.
    Variant("python_loops", cells=LOOPS),
    Variant("autograd_and_builtins", cells=AUTOGRAD_BUILTINS),
    Variant("float64_with_warning", cells=FLOAT64_WITH_WARNING),
    # Known mistakes.
    Variant(
        "nll_without_constant",
        cells={"laplace_nll_impl": _nll("    return (y.reshape(-1, 1) - X @ w - b).abs().sum()")},
        failing=("laplace_nll",),
        message="without its constant n log 2",
    ),
    Variant(
        "nll_broadcast_flat_y",
        cells={
            "laplace_nll_impl": _nll(
                "    return len(X) * math.log(2) + (y - (X @ w + b)).abs().sum()"
            )
        },
        failing=("laplace_nll",),
        message="(n, n) table",
    ),
    Variant(
        "nll_mean",
        cells={
            "laplace_nll_impl": _nll(
                "    return math.log(2) + (y.reshape(-1, 1) - X @ w - b).abs().mean()"
            )
        },
        failing=("laplace_nll",),
        message="the mean over the examples",
    ),
    Variant(
        "step_on_the_mean",
        cells={
            "lad_step_impl": _step(
                "    s = torch.sign(y.reshape(-1, 1) - X @ w - b)\n"
                "    return w + lr * X.T @ s / len(X), b + lr * s.mean().reshape(1)"
            )
        },
        failing=("lad_step",),
        message="a factor 1/n",
    ),
    Variant(
        "step_uphill",
        cells={
            "lad_step_impl": _step(
                "    s = torch.sign(y.reshape(-1, 1) - X @ w - b)\n"
                "    return w - lr * X.T @ s, b - lr * s.sum().reshape(1)"
            )
        },
        failing=("lad_step",),
        message="a step uphill",
    ),
    Variant(
        "step_with_residuals",
        cells={
            "lad_step_impl": _step(
                "    r = y.reshape(-1, 1) - X @ w - b\n"
                "    return w + lr * X.T @ r, b + lr * r.sum().reshape(1)"
            )
        },
        failing=("lad_step",),
        message="the gradient of the squared error",
    ),
    Variant(
        "sign_of_zero_is_one",
        cells={
            "lad_step_impl": _step(
                "    r = y.reshape(-1, 1) - X @ w - b\n"
                "    s = torch.where(r >= 0, 1.0, -1.0)\n"
                "    return w + lr * X.T @ s, b + lr * s.sum().reshape(1)"
            )
        },
        failing=("lad_step",),
        message="sign(0) taken as +1",
    ),
    Variant(
        "step_in_place",
        cells={
            "lad_step_impl": _step(
                "    s = torch.sign(y.reshape(-1, 1) - X @ w - b)\n"
                "    w += lr * X.T @ s\n"
                "    b += lr * s.sum()\n"
                "    return w, b"
            )
        },
        failing=("lad_step",),
        message="changed its argument w in place",
    ),
    Variant(
        "poisson_with_log_factorial",
        cells={
            "poisson_nll_impl": _poisson(
                "    k = k.to(log_rate.dtype)\n"
                "    return (log_rate.exp() - k * log_rate + torch.lgamma(k + 1)).mean()"
            )
        },
        failing=("poisson_nll",),
        message="log k! included",
    ),
    Variant(
        "poisson_full_stirling",
        cells={
            "poisson_nll_impl": _poisson(
                "    return torch.nn.PoissonNLLLoss(full=True)(log_rate, k.to(log_rate.dtype))"
            )
        },
        failing=("poisson_nll",),
        message="Stirling term",
    ),
    Variant(
        "poisson_rate_as_input",
        cells={
            "poisson_nll_impl": _poisson(
                "    rate_loss = torch.nn.PoissonNLLLoss(log_input=False)\n"
                "    return rate_loss(log_rate, k.to(log_rate.dtype))"
            )
        },
        failing=("poisson_nll",),
        message="used as the rate itself",
    ),
    Variant(
        "nll_with_l1loss_mean",
        cells={
            "laplace_nll_impl": _nll(
                "    y_hat = X @ w + b\n"
                "    return len(X) * math.log(2) + torch.nn.L1Loss()(y_hat, y.reshape(y_hat.shape))"
            )
        },
        failing=("laplace_nll",),
        message="L1Loss's default reduction",
    ),
    Variant(
        "poisson_arguments_swapped",
        cells={
            "poisson_nll_impl": _poisson(
                "    return torch.nn.PoissonNLLLoss()(k.to(log_rate.dtype), log_rate)"
            )
        },
        failing=("poisson_nll",),
        message="the arguments swapped",
    ),
    # Stubs: nothing for nothing.
    Variant(
        "stub_nll_returns_zero",
        cells={"laplace_nll_impl": _nll("    return torch.tensor(0.0)")},
        failing=("laplace_nll",),
        zero=("laplace_nll",),
        message="expected",
    ),
    Variant(
        "stub_step_returns_inputs",
        cells={"lad_step_impl": _step("    return w, b")},
        failing=("lad_step",),
        zero=("lad_step",),
        message="expected",
    ),
    Variant(
        "stub_poisson_returns_none",
        cells={"poisson_nll_impl": _poisson("    return None")},
        failing=("poisson_nll",),
        zero=("poisson_nll",),
        message="but it is None",
    ),
]
