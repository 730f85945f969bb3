"""Right and wrong answers to optimal_constants.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "linear_models"


def _l2(body):
    return f"def best_constant_l2(x):\n{body}\n"


def _l1(body):
    return f"def best_constant_l1(x):\n{body}\n"


def _aug(body):
    return f"def augment(X):\n{body}\n"


LOOPS = {
    "best_constant_l2_impl": _l2(
        "    total = 0.0\n"
        "    for value in x.tolist():\n"
        "        total += value\n"
        "    return torch.tensor(total / len(x), dtype=x.dtype)"
    ),
    "best_constant_l1_impl": _l1(
        "    values = sorted(x.tolist())\n"
        "    n = len(values)\n"
        "    middle = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2\n"
        "    return torch.tensor(middle, dtype=x.dtype)"
    ),
    "augment_impl": _aug(
        "    rows = [list(row) + [1.0] for row in X.tolist()]\n"
        "    return torch.tensor(rows, dtype=X.dtype)"
    ),
}

NUMPY = {
    "best_constant_l2_impl": "import numpy as np\n\n"
    + _l2("    return torch.from_numpy(np.asarray(np.mean(x.numpy())))"),
    # np.median averages the two middle values of an even count: also a minimiser.
    "best_constant_l1_impl": "import numpy as np\n\n"
    + _l1("    return torch.from_numpy(np.asarray(np.median(x.numpy())))"),
    "augment_impl": "import numpy as np\n\n"
    + _aug(
        "    return torch.from_numpy(np.hstack([X.numpy(), np.ones((len(X), 1), X.numpy().dtype)]))"
    ),
}

BUILTINS = {
    # The upper middle value (sorted(x)[n // 2]) is the other end of the interval.
    "best_constant_l1_impl": _l1("    return torch.sort(x).values[len(x) // 2]"),
    "augment_impl": _aug("    return torch.nn.functional.pad(X, (0, 1), value=1.0)"),
}

QUANTILE_WITH_WARNING = {
    "best_constant_l2_impl": "import warnings\n\n"
    + _l2(
        '    warnings.warn("computing the mean in float64")\n'
        "    return x.double().sum().div(x.numel()).to(x.dtype)"
    ),
    "best_constant_l1_impl": _l1("    return torch.quantile(x, 0.5)"),
    "augment_impl": _aug("    return torch.column_stack([X, X.new_ones(len(X))])"),
}

VARIANTS = [
    # Right answers written another way.
    Variant("python_loops", cells=LOOPS),
    Variant("numpy", cells=NUMPY),
    Variant("builtins_upper_middle", cells=BUILTINS),
    Variant("float64_quantile_with_warning", cells=QUANTILE_WITH_WARNING),
    # Known mistakes.
    Variant(
        "median_for_squared_error",
        cells={"best_constant_l2_impl": _l2("    return torch.median(x)")},
        failing=("best_constant_l2",),
        message="the median where the squared error asks for the mean",
    ),
    Variant(
        "sum_over_n_minus_one",
        cells={"best_constant_l2_impl": _l2("    return x.sum() / (len(x) - 1)")},
        failing=("best_constant_l2",),
        message="divided by n - 1",
    ),
    Variant(
        "mean_for_absolute_error",
        cells={"best_constant_l1_impl": _l1("    return x.mean()")},
        failing=("best_constant_l1",),
        message="the mean, which minimises the squared error",
    ),
    Variant(
        "middle_without_sorting",
        cells={"best_constant_l1_impl": _l1("    return x[len(x) // 2]")},
        failing=("best_constant_l1",),
        message="without sorting",
    ),
    Variant(
        "median_values_and_indices",
        cells={"best_constant_l1_impl": _l1("    return torch.median(x, dim=0)")},
        failing=("best_constant_l1",),
        message="returns (values, indices)",
    ),
    Variant(
        "numpy_sort_in_place",
        cells={
            "best_constant_l1_impl": _l1(
                "    a = x.numpy()\n    a.sort()\n    return torch.tensor(a[(len(a) - 1) // 2])"
            )
        },
        failing=("best_constant_l1",),
        message="changed its argument x in place",
    ),
    Variant(
        "ones_first",
        cells={"augment_impl": _aug("    return torch.cat([torch.ones(len(X), 1), X], dim=1)")},
        failing=("augment",),
        message="the column of ones put first",
    ),
    Variant(
        "row_of_ones",
        cells={"augment_impl": _aug("    return torch.cat([X, torch.ones(1, X.shape[1])], dim=0)")},
        failing=("augment",),
        message="a row of ones",
    ),
    Variant(
        "float32_ones_slot",
        cells={
            "augment_impl": _aug(
                "    out = torch.ones(X.shape[0], X.shape[1] + 1)\n"
                "    out[:, :-1] = X\n"
                "    return out"
            )
        },
        failing=("augment",),
        message="make the ones in X's dtype",
    ),
    # Right numbers of the wrong type: the values count, the one check of the type does not.
    Variant(
        "numbers_not_tensors",
        cells={
            "best_constant_l2_impl": _l2("    return x.mean().item()"),
            "best_constant_l1_impl": "import numpy as np\n\n"
            + _l1("    return np.median(x.numpy())"),
        },
        failing=("best_constant_l2", "best_constant_l1"),
        message="should return a torch.Tensor",
    ),
    # Stubs: nothing for nothing.
    Variant(
        "stub_l2_returns_none",
        cells={"best_constant_l2_impl": _l2("    pass")},
        failing=("best_constant_l2",),
        zero=("best_constant_l2",),
        message="should be a number, but it is None",
    ),
    Variant(
        "stub_l1_returns_constant",
        cells={"best_constant_l1_impl": _l1("    return torch.tensor(0.0)")},
        failing=("best_constant_l1",),
        zero=("best_constant_l1",),
        message="a median of x",
    ),
    Variant(
        "stub_augment_returns_input",
        cells={"augment_impl": _aug("    return X")},
        failing=("augment",),
        zero=("augment",),
        message="without the column of ones",
    ),
]
