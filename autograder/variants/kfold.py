"""Right and wrong answers to kfold.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "generalization"


def _kfold(body):
    return f"def kfold_error(X, y, k):\n{body}\n"


def _loop(
    fit,
    error,
    *,
    folds="torch.tensor_split(torch.arange(n), k)",
    keep="train[held] = False",
    mean="float(torch.stack(errors).mean())",
    labels="y = y.reshape(n, 1)",
):
    """The reference's loop with one part swapped for a student's version of it."""
    return _kfold(
        "    n = X.shape[0]\n"
        "    A = torch.cat((X, torch.ones(n, 1, dtype=X.dtype)), dim=1)\n"
        f"    {labels}\n"
        "    errors = []\n"
        f"    for held in {folds}:\n"
        "        train = torch.ones(n, dtype=torch.bool)\n"
        f"        {keep}\n"
        f"        w = {fit}\n"
        f"        errors.append({error})\n"
        f"    return {mean}"
    )


LSTSQ = "torch.linalg.lstsq(A[train], y[train]).solution"
MSE = "((A[held] @ w - y[held]) ** 2).mean()"

NORMAL_EQUATIONS = _loop("torch.linalg.solve(A[train].T @ A[train], A[train].T @ y[train])", MSE)

NUMPY_FLOAT64 = """
import numpy as np

def kfold_error(X, y, k):
    X = X.numpy().astype(np.float64)
    y = y.numpy().astype(np.float64).reshape(-1)
    A = np.hstack([X, np.ones((len(X), 1))])
    errors = []
    for held in np.array_split(np.arange(len(X)), k):
        train = np.setdiff1d(np.arange(len(X)), held)
        w, *_ = np.linalg.lstsq(A[train], y[train], rcond=None)
        errors.append(np.mean((A[held] @ w - y[held]) ** 2))
    return np.mean(errors)
"""

CENTERED_BY_HAND = _kfold(
    "    # Fold sizes by hand; the bias comes from centring on the training means.\n"
    "    n = len(X)\n"
    "    y = y.reshape(-1, 1)\n"
    "    total, start = 0.0, 0\n"
    "    for i in range(k):\n"
    "        size = n // k + (1 if i < n % k else 0)\n"
    "        held = list(range(start, start + size))\n"
    "        start += size\n"
    "        train = [j for j in range(n) if j not in held]\n"
    "        x_mean, y_mean = X[train].mean(0), y[train].mean(0)\n"
    "        w = torch.linalg.lstsq(X[train] - x_mean, y[train] - y_mean).solution\n"
    "        y_hat = (X[held] - x_mean) @ w + y_mean\n"
    "        total = total + torch.nn.functional.mse_loss(y_hat, y[held])\n"
    "    return total / k"
)

KNOWN = [
    # Right answers written another way.
    Variant("normal_equations", cells={"kfold_error_impl": NORMAL_EQUATIONS}),
    Variant("numpy_float64", cells={"kfold_error_impl": NUMPY_FLOAT64}),
    Variant("centred_by_hand_0d_tensor", cells={"kfold_error_impl": CENTERED_BY_HAND}),
    # Known mistakes.
    Variant(
        "no_bias",
        cells={
            "kfold_error_impl": _loop(
                "torch.linalg.lstsq(X[train], y[train]).solution",
                "((X[held] @ w - y[held]) ** 2).mean()",
            )
        },
        failing=("kfold_error",),
        zero=("kfold_error",),
        message="without the bias column",
    ),
    Variant(
        "chunk_folds",
        cells={"kfold_error_impl": _loop(LSTSQ, MSE, folds="torch.chunk(torch.arange(n), k)")},
        failing=("kfold_error",),
        message="torch.chunk",
    ),
    Variant(
        "round_robin_folds",
        cells={
            "kfold_error_impl": _loop(LSTSQ, MSE, folds="(torch.arange(i, n, k) for i in range(k))")
        },
        failing=("kfold_error",),
        message="round-robin",
    ),
    Variant(
        "pooled_mean",
        cells={
            "kfold_error_impl": _loop(
                LSTSQ,
                "((A[held] @ w - y[held]) ** 2).sum()",
                mean="float(torch.stack(errors).sum() / n)",
            )
        },
        failing=("kfold_error",),
        message="all held-out rows at once",
    ),
    Variant(
        "trains_on_all_rows",
        cells={"kfold_error_impl": _loop(LSTSQ, MSE, keep="pass")},
        failing=("kfold_error",),
        zero=("kfold_error",),
        message="left in the training rows",
    ),
    Variant(
        "book_loss_with_half",
        cells={"kfold_error_impl": _loop(LSTSQ, "((A[held] @ w - y[held]) ** 2 / 2).mean()")},
        failing=("kfold_error",),
        zero=("kfold_error",),
        message="with its 1/2",
    ),
    Variant(
        "sum_of_squares_per_fold",
        cells={"kfold_error_impl": _loop(LSTSQ, "((A[held] @ w - y[held]) ** 2).sum()")},
        # Leave-one-out folds hold one row each, where the sum is the mean: that check passes.
        failing=("kfold_error",),
        message="sum of squared errors",
    ),
    Variant(
        "labels_broadcast",
        cells={
            "kfold_error_impl": _loop(
                "torch.linalg.lstsq(A[train], y[train].reshape(-1, 1)).solution",
                MSE,
                labels="pass",
            )
        },
        failing=("kfold_error",),
        message="broadcast to (n, n)",
    ),
]

# Answers written the way students write them, found while trying the exercise.
FOUND = [
    Variant(
        "centres_x_in_place",
        cells={
            "kfold_error_impl": _kfold(
                "    X -= X.mean(0)  # centring does not change a fit with a bias\n"
                "    n = X.shape[0]\n"
                "    A = torch.cat((X, torch.ones(n, 1, dtype=X.dtype)), dim=1)\n"
                "    y = y.reshape(n, 1)\n"
                "    errors = []\n"
                "    for held in torch.tensor_split(torch.arange(n), k):\n"
                "        train = torch.ones(n, dtype=torch.bool)\n"
                "        train[held] = False\n"
                f"        w = {LSTSQ}\n"
                f"        errors.append({MSE})\n"
                "    return float(torch.stack(errors).mean())"
            )
        },
        failing=("kfold_error",),
        message="changed its argument X in place",
    ),
    Variant(
        "list_of_fold_errors",
        cells={"kfold_error_impl": _loop(LSTSQ, MSE, mean="errors")},
        failing=("kfold_error",),
        zero=("kfold_error",),
        message="should be a number",
    ),
]

# Stubs: each must earn nothing on the autograded cell.
STUBS = [
    Variant(
        "stub_none", cells={"kfold_error_impl": _kfold("    return None")}, zero=("kfold_error",)
    ),
    Variant(
        "stub_input", cells={"kfold_error_impl": _kfold("    return X")}, zero=("kfold_error",)
    ),
    Variant(
        "stub_constant", cells={"kfold_error_impl": _kfold("    return 1.0")}, zero=("kfold_error",)
    ),
]

VARIANTS = KNOWN + FOUND + STUBS
