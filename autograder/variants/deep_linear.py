"""Right and wrong answers to deep_linear.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "linear_models"


def _compose(body):
    return f"def compose_linear(W1, b1, W2, b2):\n{body}\n"


def _features(body):
    return f"def quadratic_features(X):\n{body}\n"


LOOPS = {
    "compose_linear_impl": _compose(
        "    o, h = W2.shape\n"
        "    d = W1.shape[1]\n"
        "    W = torch.zeros(o, d, dtype=W1.dtype)\n"
        "    b = torch.zeros(o, dtype=W1.dtype)\n"
        "    for r in range(o):\n"
        "        b[r] = b2[r]\n"
        "        for k in range(h):\n"
        "            b[r] += W2[r, k] * b1[k]\n"
        "            for c in range(d):\n"
        "                W[r, c] += W2[r, k] * W1[k, c]\n"
        "    return W.detach(), b.detach()"
    ),
    "quadratic_features_impl": _features(
        "    d = X.shape[1]\n"
        "    columns = [X[:, i] for i in range(d)]\n"
        "    for i in range(d):\n"
        "        for j in range(i, d):\n"
        "            columns.append(X[:, i] * X[:, j])\n"
        "    return torch.stack(columns, dim=1)"
    ),
}

# The stack is an affine map: its Jacobian is W and its value at 0 is b.
TORCH_FUNC = {
    "compose_linear_impl": "from torch.func import jacrev\n\n"
    + _compose(
        "    def stack(x):\n"
        "        return (x @ W1.T + b1) @ W2.T + b2\n"
        "    zero = torch.zeros(W1.shape[1], dtype=W1.dtype)\n"
        "    return jacrev(stack)(zero), stack(zero)"
    ),
    "quadratic_features_impl": _features(
        "    outer = torch.einsum('ni,nj->nij', X, X)\n"
        "    i, j = torch.triu_indices(X.shape[1], X.shape[1])\n"
        "    return torch.hstack((X, outer[:, i, j]))"
    ),
}

FUNCTIONAL = {
    "compose_linear_impl": "import torch.nn.functional as F\n\n"
    + _compose(
        "    d = W1.shape[1]\n"
        "    b = F.linear(F.linear(torch.zeros(d, dtype=W1.dtype), W1, b1), W2, b2)\n"
        "    W = (F.linear(F.linear(torch.eye(d, dtype=W1.dtype), W1, b1), W2, b2) - b).T\n"
        "    return W, b"
    ),
}

FLOAT64_WITH_WARNING = {
    "compose_linear_impl": "import warnings\n\n"
    + _compose(
        '    warnings.warn("composing in float64")\n'
        "    W = (W2.double() @ W1.double()).to(W1.dtype)\n"
        "    b = (W2.double() @ b1.double() + b2.double()).to(W1.dtype)\n"
        "    return [W, b]"
    ),
    "quadratic_features_impl": "import itertools\n\n"
    + _features(
        "    pairs = list(itertools.combinations_with_replacement(range(X.shape[1]), 2))\n"
        "    products = [X[:, i:i + 1] * X[:, j:j + 1] for i, j in pairs]\n"
        "    return torch.cat([X, *products], dim=1)"
    ),
}

VARIANTS = [
    # Right answers written another way.
    Variant("python_loops", cells=LOOPS),
    Variant("torch_func_jacobian", cells=TORCH_FUNC),
    Variant("functional_linear", cells=FUNCTIONAL),
    Variant("float64_list_with_warning", cells=FLOAT64_WITH_WARNING),
    # Known mistakes.
    Variant(
        "product_wrong_order",
        cells={"compose_linear_impl": _compose("    return W1 @ W2, W2 @ b1 + b2")},
        failing=("compose_linear",),
        message="the product in the wrong order",
    ),
    Variant(
        "x_at_w_convention",
        cells={"compose_linear_impl": _compose("    return W1.T @ W2.T, b1 @ W2.T + b2")},
        failing=("compose_linear",),
        message="the weight transposed",
    ),
    Variant(
        "biases_added",
        cells={"compose_linear_impl": _compose("    return W2 @ W1, b1 + b2")},
        failing=("compose_linear",),
        message="the biases added as b1 + b2",
    ),
    Variant(
        "first_bias_dropped",
        cells={"compose_linear_impl": _compose("    return W2 @ W1, b2")},
        failing=("compose_linear",),
        message="the first layer's bias left out",
    ),
    Variant(
        "bias_added_in_place",
        cells={"compose_linear_impl": _compose("    b2 += W2 @ b1\n    return W2 @ W1, b2")},
        failing=("compose_linear",),
        message="in place",
    ),
    Variant(
        "pairs_without_squares",
        cells={
            "quadratic_features_impl": _features(
                "    i, j = torch.triu_indices(X.shape[1], X.shape[1], offset=1)\n"
                "    return torch.cat([X, X[:, i] * X[:, j]], dim=1)"
            )
        },
        failing=("quadratic_features",),
        message="without the squares",
    ),
    Variant(
        "all_ordered_pairs",
        cells={
            "quadratic_features_impl": _features(
                "    outer = X[:, :, None] * X[:, None, :]\n"
                "    return torch.cat([X, outer.reshape(len(X), -1)], dim=1)"
            )
        },
        failing=("quadratic_features",),
        message="the cross products twice",
    ),
    Variant(
        "column_major_order",
        cells={
            "quadratic_features_impl": _features(
                "    i, j = torch.tril_indices(X.shape[1], X.shape[1])\n"
                "    return torch.cat([X, X[:, i] * X[:, j]], dim=1)"
            )
        },
        failing=("quadratic_features",),
        message="right columns in another order",
    ),
    Variant(
        "ones_column",
        cells={
            "quadratic_features_impl": _features(
                "    i, j = torch.triu_indices(X.shape[1], X.shape[1])\n"
                "    ones = torch.ones(len(X), 1, dtype=X.dtype)\n"
                "    return torch.cat([ones, X, X[:, i] * X[:, j]], dim=1)"
            )
        },
        failing=("quadratic_features",),
        message="a column of ones added",
    ),
    Variant(
        "features_in_float32",
        cells={
            "quadratic_features_impl": _features(
                "    X = X.float()\n"
                "    i, j = torch.triu_indices(X.shape[1], X.shape[1])\n"
                "    return torch.cat([X, X[:, i] * X[:, j]], dim=1)"
            )
        },
        failing=("quadratic_features",),
        message="keep X's dtype",
    ),
    # Stubs: nothing for nothing.
    Variant(
        "stub_compose_returns_first_layer",
        cells={"compose_linear_impl": _compose("    return W1, b1")},
        failing=("compose_linear",),
        zero=("compose_linear",),
        message="has shape",
    ),
    Variant(
        "stub_features_returns_input",
        cells={"quadratic_features_impl": _features("    return X")},
        failing=("quadratic_features",),
        zero=("quadratic_features",),
        message="has shape",
    ),
]
