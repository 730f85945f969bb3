"""Right and wrong answers to frobenius.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "weight_decay"


def _frob(body):
    return f"def frobenius_sq(X):\n{body}\n"


def _grad(body):
    return f"def matrix_l2_penalty_grad(W):\n{body}\n"


# A gradient that does not go through frobenius_sq, for variants whose frobenius_sq is wrong:
# only the cell they get wrong should lose points.
OWN_GRAD = _grad(
    "    W = W.detach().clone().requires_grad_(True)\n"
    "    (0.5 * (W ** 2).sum()).backward()\n"
    "    return W.grad"
)

TRACE_XXT_WITH_WARNING = """
import warnings

def frobenius_sq(X):
    warnings.warn("using X X^T, the other Gram matrix")
    return torch.trace(X @ X.T)
"""

KNOWN = [
    # Right answers written another way.
    Variant(
        "matrix_norm_builtin",
        cells={
            "frobenius_sq_impl": _frob("    return torch.linalg.matrix_norm(X) ** 2"),
            "matrix_l2_penalty_grad_impl": OWN_GRAD,
        },
    ),
    Variant(
        "float64_sum_of_squares",
        cells={
            "frobenius_sq_impl": _frob("    return (X.double() ** 2).sum()"),
            "matrix_l2_penalty_grad_impl": _grad(
                "    W = W.double().detach().requires_grad_()\n"
                "    penalty = frobenius_sq(W) / 2\n"
                "    penalty.backward()\n"
                "    return W.grad.float()"
            ),
        },
    ),
    Variant("trace_x_xt_with_warning", cells={"frobenius_sq_impl": TRACE_XXT_WITH_WARNING}),
    Variant(
        "einsum", cells={"frobenius_sq_impl": _frob('    return torch.einsum("ij,ij->", X, X)')}
    ),
    # Known mistakes.
    Variant(
        "trace_x_x",
        cells={"frobenius_sq_impl": _frob("    return torch.trace(X @ X)")},
        failing=("frobenius_sq", "matrix_l2_penalty_grad"),
        zero=("frobenius_sq", "matrix_l2_penalty_grad"),
        message="trace(X @ X) for trace(X.T @ X)",
    ),
    Variant(
        "norm_not_squared",
        cells={
            "frobenius_sq_impl": _frob("    return torch.sqrt(torch.trace(X.T @ X))"),
            "matrix_l2_penalty_grad_impl": OWN_GRAD,
        },
        failing=("frobenius_sq",),
        message="the norm ||X||_F where the squared norm",
    ),
    Variant(
        "sum_of_gram_matrix",
        cells={
            "frobenius_sq_impl": _frob("    return (X.T @ X).sum()"),
            "matrix_l2_penalty_grad_impl": OWN_GRAD,
        },
        failing=("frobenius_sq",),
        message="sum of all entries of X^T X",
    ),
    Variant(
        "squares_in_place",
        cells={
            "frobenius_sq_impl": _frob("    X.pow_(2)\n    return X.sum()"),
            "matrix_l2_penalty_grad_impl": OWN_GRAD,
        },
        failing=("frobenius_sq",),
        message="changed its argument X in place",
    ),
    Variant(
        "missing_half",
        cells={
            "matrix_l2_penalty_grad_impl": _grad(
                "    W = W.detach().clone().requires_grad_(True)\n"
                "    (grad,) = torch.autograd.grad(frobenius_sq(W), W)\n"
                "    return grad"
            )
        },
        failing=("matrix_l2_penalty_grad",),
        message="missing 1/2",
    ),
    Variant(
        "grad_sign_flipped",
        cells={
            "matrix_l2_penalty_grad_impl": _grad(
                "    W = W.detach().clone().requires_grad_(True)\n"
                "    (-0.5 * frobenius_sq(W)).backward()\n"
                "    return W.grad"
            )
        },
        failing=("matrix_l2_penalty_grad",),
        message="sign flipped",
    ),
    Variant(
        "grad_of_norm",
        cells={
            "matrix_l2_penalty_grad_impl": _grad(
                "    W = W.detach().clone().requires_grad_(True)\n"
                "    torch.linalg.matrix_norm(W).backward()\n"
                "    return W.grad"
            )
        },
        failing=("matrix_l2_penalty_grad",),
        message="gradient of the norm",
    ),
    Variant(
        "grad_accumulates_on_w",
        cells={
            "matrix_l2_penalty_grad_impl": _grad(
                "    W.requires_grad_(True)\n"
                "    (0.5 * frobenius_sq(W)).backward()\n"
                "    return W.grad"
            )
        },
        failing=("matrix_l2_penalty_grad",),
        message="accumulated",
    ),
    Variant(
        "grad_returns_none",
        cells={
            "matrix_l2_penalty_grad_impl": _grad(
                "    W = W.detach().clone().requires_grad_(True)\n"
                "    (0.5 * frobenius_sq(W)).backward()"
            )
        },
        failing=("matrix_l2_penalty_grad",),
        zero=("matrix_l2_penalty_grad",),
        message="should return a torch.Tensor",
    ),
]

# Answers written the way students write them, found while grading.
FOUND = [
    Variant(
        "torch_func_and_comprehension",
        cells={
            "frobenius_sq_impl": _frob(
                "    return sum(X[:, j] @ X[:, j] for j in range(X.shape[1]))"
            ),
            "matrix_l2_penalty_grad_impl": _grad(
                "    return torch.func.grad(lambda V: 0.5 * frobenius_sq(V))(W.detach())"
            ),
        },
    ),
    Variant(
        "switches_requires_grad_off",
        cells={
            "matrix_l2_penalty_grad_impl": _grad(
                "    W.requires_grad_(True)\n"
                "    (grad,) = torch.autograd.grad(0.5 * frobenius_sq(W), W)\n"
                "    W.requires_grad_(False)  # tidy up\n"
                "    return grad"
            )
        },
        failing=("matrix_l2_penalty_grad",),
        message="switched requires_grad off",
    ),
    Variant(
        "backward_on_a_weight_that_requires_grad",
        cells={
            "matrix_l2_penalty_grad_impl": _grad(
                "    if not W.requires_grad:\n"
                "        W = W.detach().clone().requires_grad_(True)\n"
                "    (0.5 * frobenius_sq(W)).backward()\n"
                "    return W.grad.clone()"
            )
        },
        failing=("matrix_l2_penalty_grad",),
        message="left a .grad",
    ),
]

# Stubs: each must earn nothing on every autograded cell.
CELLS = ("frobenius_sq", "matrix_l2_penalty_grad")


def _stub(name, frob, grad):
    return Variant(
        f"stub_{name}",
        cells={
            "frobenius_sq_impl": _frob(f"    return {frob}"),
            "matrix_l2_penalty_grad_impl": _grad(f"    return {grad}"),
        },
        zero=CELLS,
    )


STUBS = [
    _stub("none", "None", "None"),
    # W is also the right value: a gradient that is W itself is still no answer.
    _stub("input", "X", "W"),
    _stub("constant", "torch.tensor(1.0)", "torch.zeros_like(W)"),
]

VARIANTS = KNOWN + FOUND + STUBS
