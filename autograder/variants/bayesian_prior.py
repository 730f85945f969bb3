"""Right and wrong answers to bayesian_prior.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "weight_decay"


def _ridge(body):
    return f"def ridge(X, y, lambd):\n{body}\n"


def _map(body):
    return f"def map_estimate(X, y, sigma, tau):\n{body}\n"


def _ridge_with(shift, *, labels="y = y.reshape(-1, 1)"):
    """The reference's ridge with the student's version of lambda's place in the system."""
    return _ridge(
        f"    {labels}\n    A = X.T @ X + {shift}\n    return torch.linalg.solve(A, X.T @ y)"
    )


def _map_lambda(lambd):
    return _map(f"    return ridge(X, y, {lambd})")


RIGHT_RIDGE = _ridge_with("lambd * torch.eye(X.shape[1], dtype=X.dtype)")

AUGMENTED_LSTSQ = _ridge(
    "    # Least squares on [X; sqrt(lambda) I] w = [y; 0] has the ridge normal equations.\n"
    "    d = X.shape[1]\n"
    "    A = torch.cat((X.double(), lambd**0.5 * torch.eye(d, dtype=torch.float64)))\n"
    "    b = torch.cat((y.double().reshape(-1, 1), torch.zeros(d, 1, dtype=torch.float64)))\n"
    "    return torch.linalg.lstsq(A, b).solution"
)

NUMPY_INVERSE = """
import numpy as np

def ridge(X, y, lambd):
    X, y = X.numpy().astype(np.float64), y.numpy().astype(np.float64).reshape(-1, 1)
    w = np.linalg.inv(X.T @ X + lambd * np.eye(X.shape[1])) @ X.T @ y
    return torch.from_numpy(w)
"""

POSTERIOR_PRECISION = _map(
    "    # The posterior's precision matrix and mean, without going through ridge.\n"
    "    y = y.reshape(-1, 1)\n"
    "    precision = X.T @ X / sigma**2 + torch.eye(X.shape[1]) / tau**2\n"
    "    return torch.linalg.solve(precision.to(X.dtype), X.T @ y / sigma**2)"
)

KNOWN = [
    # Right answers written another way.
    Variant("augmented_lstsq_float64", cells={"ridge_impl": AUGMENTED_LSTSQ}),
    Variant(
        "numpy_inverse_and_posterior_precision",
        cells={"ridge_impl": NUMPY_INVERSE, "map_estimate_impl": POSTERIOR_PRECISION},
    ),
    Variant(
        "diagonal_by_hand_and_ratio_squared",
        cells={
            "ridge_impl": _ridge(
                "    A = X.T @ X\n"
                "    for j in range(A.shape[0]):\n"
                "        A[j, j] += lambd\n"
                "    return torch.linalg.solve(A, X.T @ y.reshape(-1, 1))"
            ),
            "map_estimate_impl": _map_lambda("(sigma / tau) ** 2"),
        },
    ),
    # Known mistakes.
    Variant(
        "lambda_on_every_entry",
        cells={"ridge_impl": _ridge_with("lambd")},
        failing=("ridge", "map_estimate"),
        message="every entry of X^T X",
    ),
    Variant(
        "half_lambda",
        cells={"ridge_impl": _ridge_with("lambd / 2 * torch.eye(X.shape[1])")},
        failing=("ridge", "map_estimate"),
        zero=("ridge",),
        message="half the lambda",
    ),
    Variant(
        "penalty_sign_flipped",
        cells={"ridge_impl": _ridge_with("-lambd * torch.eye(X.shape[1])")},
        failing=("ridge", "map_estimate"),
        message="sign flipped",
    ),
    Variant(
        "weight_as_vector",
        cells={
            "ridge_impl": _ridge_with("lambd * torch.eye(X.shape[1])", labels="y = y.reshape(-1)")
        },
        failing=("ridge", "map_estimate"),
        zero=("ridge", "map_estimate"),
        message="has shape",
    ),
    Variant(
        "sigma_over_tau",
        cells={"map_estimate_impl": _map_lambda("sigma / tau")},
        failing=("map_estimate",),
        zero=("map_estimate",),
        message="sigma / tau",
    ),
    Variant(
        "ratio_inverted",
        cells={"map_estimate_impl": _map_lambda("tau**2 / sigma**2")},
        failing=("map_estimate",),
        zero=("map_estimate",),
        message="upside down",
    ),
    Variant(
        "per_example_lambda",
        cells={"map_estimate_impl": _map_lambda("sigma**2 / tau**2 / X.shape[0]")},
        failing=("map_estimate",),
        zero=("map_estimate",),
        message="divided by n",
    ),
    Variant(
        "flat_prior_least_squares",
        cells={
            "map_estimate_impl": _map("    return torch.linalg.lstsq(X, y.reshape(-1, 1)).solution")
        },
        failing=("map_estimate",),
        message="no penalty",
    ),
]

# Answers written the way students write them, found while trying the exercise.
FOUND = [
    Variant(
        "labels_unsqueezed_in_place",
        cells={
            "ridge_impl": _ridge_with(
                "lambd * torch.eye(X.shape[1])",
                labels="y = y.unsqueeze_(1) if y.dim() == 1 else y",
            )
        },
        failing=("ridge", "map_estimate"),
        message="changed its argument y in place",
    ),
    Variant(
        "lambda_with_the_halves_kept",
        cells={"map_estimate_impl": _map_lambda("sigma**2 / (2 * tau**2)")},
        failing=("map_estimate",),
        zero=("map_estimate",),
        message="half the lambda",
    ),
]

# Stubs: each must earn nothing on every autograded cell.
CELLS = ("ridge", "map_estimate")


def _stub(name, ridge, map_estimate):
    return Variant(
        f"stub_{name}",
        cells={
            "ridge_impl": _ridge(f"    return {ridge}"),
            "map_estimate_impl": _map(f"    return {map_estimate}"),
        },
        zero=CELLS,
    )


STUBS = [
    _stub("none", "None", "None"),
    _stub("input", "y", "y"),
    _stub("constant", "torch.zeros(X.shape[1], 1)", "torch.zeros(X.shape[1], 1)"),
]

VARIANTS = KNOWN + FOUND + STUBS
