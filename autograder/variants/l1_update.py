"""Right and wrong answers to l1_update.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "weight_decay"


def _update(step):
    return f"def l1_sgd_update(w, grad, lr, lambd):\n{step}\n"


def _model(init="super().__init__(num_inputs, lr, sigma)\n        self.lambd = lambd", penalty=""):
    penalty = penalty or "self.lambd * l1_penalty(self.w)"
    return f"""
class WeightDecayL1(d2lkit.LinearRegressionScratch):
    def __init__(self, num_inputs, lambd, lr, sigma=0.01):
        {init}

    def loss(self, y_hat, y):
        return super().loss(y_hat, y) + {penalty}
"""


FLOAT64_WHERE_UPDATE = _update(
    "    sign = torch.where(w > 0, 1.0, torch.where(w < 0, -1.0, 0.0)).double()\n"
    "    return w.double() - lr * (grad.double() + lambd * sign)"
)

LOOP_UPDATE = """
import warnings

def l1_sgd_update(w, grad, lr, lambd):
    warnings.warn("an element-by-element loop is slow")
    new_w = w.clone()
    flat, g = new_w.reshape(-1), grad.reshape(-1)
    for i in range(flat.numel()):
        s = 1.0 if flat[i] > 0 else (-1.0 if flat[i] < 0 else 0.0)
        flat[i] = flat[i] - lr * (g[i] + lambd * s)
    return new_w
"""

NOISY_MODEL = """
import sys

class WeightDecayL1(d2lkit.LinearRegressionScratch):
    def __init__(self, num_inputs, lambd, lr, sigma=0.01):
        super().__init__(num_inputs=num_inputs, lr=lr, sigma=sigma)
        self.lambd = lambd
        print("built a WeightDecayL1", file=sys.stderr)

    def loss(self, y_hat, y):
        base = d2lkit.squared_loss(y_hat, y)
        return base + self.lambd * torch.abs(self.w).sum()
"""

VARIANTS_BEFORE = [
    # Right answers written another way.
    Variant(
        "float64_and_where",
        cells={
            "l1_penalty_impl": "def l1_penalty(w):\n    return w.double().abs().sum()\n",
            "l1_sgd_update_impl": FLOAT64_WHERE_UPDATE,
        },
    ),
    Variant(
        "vector_norm_and_loop",
        cells={
            "l1_penalty_impl": (
                "def l1_penalty(w):\n    return torch.linalg.vector_norm(w, ord=1)\n"
            ),
            "l1_sgd_update_impl": LOOP_UPDATE,
        },
    ),
    Variant(
        "sign_times_w_and_stderr",
        cells={
            "l1_penalty_impl": "def l1_penalty(w):\n    return torch.sum(torch.sign(w) * w)\n",
            "weight_decay_l1_impl": NOISY_MODEL,
        },
    ),
    Variant(
        "sub_method",
        cells={
            "l1_sgd_update_impl": _update("    return w.sub(lr * grad).sub(lr * lambd * w.sign())")
        },
    ),
    # Known mistakes of the update.
    Variant(
        "l2_update",
        cells={"l1_sgd_update_impl": _update("    return w - lr * (grad + lambd * w)")},
        failing=("l1_sgd_update",),
        message="the L2 update (lambd * w)",
    ),
    Variant(
        "update_sign_flipped",
        cells={"l1_sgd_update_impl": _update("    return w - lr * (grad - lambd * torch.sign(w))")},
        failing=("l1_sgd_update",),
        message="sign flipped",
    ),
    Variant(
        "update_in_place",
        cells={
            "l1_sgd_update_impl": _update(
                "    w -= lr * (grad + lambd * torch.sign(w))\n    return w"
            )
        },
        failing=("l1_sgd_update",),
        message="changed its argument w in place",
    ),
    Variant(
        "sign_zero_is_one",
        cells={
            "l1_sgd_update_impl": _update(
                "    return w - lr * (grad + lambd * torch.where(w >= 0, 1.0, -1.0))"
            )
        },
        failing=("l1_sgd_update",),
        message="sign(0) taken as +1",
    ),
    Variant(
        "w_over_abs_w",
        cells={"l1_sgd_update_impl": _update("    return w - lr * (grad + lambd * w / w.abs())")},
        failing=("l1_sgd_update",),
        message="w / |w|",
    ),
    Variant(
        "missing_lambd",
        cells={"l1_sgd_update_impl": _update("    return w - lr * (grad + torch.sign(w))")},
        failing=("l1_sgd_update",),
        message="missing lambd",
    ),
    Variant(
        "update_returns_none",
        cells={
            "l1_sgd_update_impl": _update("    new_w = w - lr * (grad + lambd * torch.sign(w))")
        },
        failing=("l1_sgd_update",),
        zero=("l1_sgd_update",),
        message="should return a torch.Tensor",
    ),
    # Known mistakes of the penalty and the model.
    Variant(
        "mean_penalty",
        cells={"l1_penalty_impl": "def l1_penalty(w):\n    return w.abs().mean()\n"},
        failing=("l1_penalty", "weight_decay_l1"),
        message="mean",
    ),
    Variant(
        "l2_penalty_in_loss",
        cells={"weight_decay_l1_impl": _model(penalty="self.lambd * d2lkit.l2_penalty(self.w)")},
        failing=("weight_decay_l1",),
        message="the L2 penalty",
    ),
    Variant(
        "loss_sign_flipped",
        cells={"weight_decay_l1_impl": _model(penalty="-self.lambd * l1_penalty(self.w)")},
        failing=("weight_decay_l1",),
        message="sign flipped",
    ),
    Variant(
        "loss_missing_lambd",
        cells={"weight_decay_l1_impl": _model(penalty="l1_penalty(self.w)")},
        failing=("weight_decay_l1",),
        message="missing lambd",
    ),
    Variant(
        "sigma_not_passed",
        cells={
            "weight_decay_l1_impl": _model(
                init="super().__init__(num_inputs, lr)\n        self.lambd = lambd"
            )
        },
        failing=("weight_decay_l1",),
        message="sigma not passed",
    ),
]

# Answers written the way students write them, found while grading.
FOUND = [
    Variant(
        "in_place_on_a_clone_and_comprehension",
        cells={
            "l1_penalty_impl": (
                "def l1_penalty(w):\n"
                "    return sum(v.abs() for v in w.reshape(-1))  # a 0-d tensor all the same\n"
            ),
            "l1_sgd_update_impl": _update(
                "    new_w = w.clone()\n"
                "    new_w -= lr * (grad + lambd * torch.sign(w))\n"
                "    return new_w"
            ),
        },
    ),
    Variant(
        "penalises_the_bias_too",
        cells={
            "weight_decay_l1_impl": _model(
                penalty="self.lambd * (l1_penalty(self.w) + l1_penalty(self.b))"
            )
        },
        failing=("weight_decay_l1",),
        message="the bias penalised too",
    ),
    Variant(
        "loop_over_rows",
        cells={
            "l1_sgd_update_impl": _update(
                "    new_w = w.clone()\n"
                "    for i in range(len(w)):\n"
                "        s = 1.0 if w[i] > 0 else (-1.0 if w[i] < 0 else 0.0)\n"
                "        new_w[i] = w[i] - lr * (grad[i] + lambd * s)\n"
                "    return new_w"
            )
        },
        failing=("l1_sgd_update",),
        message="a loop over the first dimension",
    ),
]

# Stubs: each must earn nothing on every autograded cell.
CELLS = ("l1_penalty", "l1_sgd_update", "weight_decay_l1")


def _stub(name, penalty, update, loss):
    return Variant(
        f"stub_{name}",
        cells={
            "l1_penalty_impl": f"def l1_penalty(w):\n    return {penalty}\n",
            "l1_sgd_update_impl": _update(f"    return {update}"),
            "weight_decay_l1_impl": _model().replace(
                "return super().loss(y_hat, y) + self.lambd * l1_penalty(self.w)",
                f"return {loss}",
            ),
        },
        zero=CELLS,
    )


STUBS = [
    _stub("none", "None", "None", "None"),
    _stub("input", "w", "w", "y_hat"),
    _stub("constant", "torch.tensor(0.0)", "torch.zeros_like(w)", "torch.tensor(1.0)"),
]

VARIANTS = VARIANTS_BEFORE + FOUND + STUBS
