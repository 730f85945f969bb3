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

VARIANTS = [
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
        message="changed X in place",
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
        message="should return a torch.Tensor",
    ),
]
