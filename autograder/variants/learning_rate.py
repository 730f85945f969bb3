"""Right and wrong answers to learning_rate.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "from_scratch"


def _sweep(
    build="        torch.manual_seed(seed)\n"
    "        model = d2lkit.LinearRegressionScratch(data.X.shape[1], lr)\n",
    split="False",
    loss="model.loss(model(X), y)",
    diverged="not math.isfinite(after) or after > before",
    head="",
):
    """An lr_sweep whose model building, measured split, loss or divergence test varies."""
    return (
        "def lr_sweep(data, lrs, max_epochs, seed=0):\n"
        f"    X, y = data.tensors(train={split})\n"
        "    results = []\n"
        f"{head}"
        "    for lr in lrs:\n"
        f"{build}"
        "        with torch.no_grad():\n"
        f"            before = float({loss})\n"
        "        d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)\n"
        "        with torch.no_grad():\n"
        f"            after = float({loss})\n"
        f"        results.append({{'lr': lr, 'val_loss': after, 'diverged': {diverged}}})\n"
        "    return results\n"
    )


def _sum(body):
    return (
        "class LinearRegressionSum(d2lkit.LinearRegression):\n"
        f"    def loss(self, y_hat, y):\n{body}\n"
    )


def _lr(body):
    return f"def lr_for_sum(lr, batch_size):\n{body}\n"


HISTORY_SWEEP = """
import numpy as np


def lr_sweep(data, lrs, max_epochs, seed=0):
    out = []
    X, y = data.tensors(train=False)
    for lr in lrs:
        torch.manual_seed(seed)
        model = d2lkit.LinearRegressionScratch(len(data.w), lr)
        start = model.loss(model(X), y).item()
        trainer = d2lkit.Trainer(max_epochs=max_epochs)
        trainer.fit(model, data)
        # whole validation batches: the mean of the batch losses is the split's loss
        end = np.float64(trainer.history.val_loss[-1])
        out.append(dict(lr=lr, val_loss=end, diverged=np.isnan(end) or end > start))  # np.bool_
    return out
"""

HELPER_SWEEP = """
import warnings


def _one_run(data, lr, max_epochs, seed):
    torch.manual_seed(seed)
    net = d2lkit.LinearRegressionScratch(data.num_inputs if hasattr(data, "num_inputs")
                                         else data.X.shape[-1], lr)
    Xv, yv = data.tensors(False)
    start = net.loss(net(Xv), yv).detach()
    d2lkit.Trainer(max_epochs).fit(net, data)
    end = net.loss(net(Xv), yv).detach()
    return end, bool(torch.isnan(end) or torch.isinf(end) or end > start)


def lr_sweep(data, lrs, max_epochs, seed=0):
    warnings.warn("a sweep takes a moment")
    rows = []
    for lr in lrs:
        end, bad = _one_run(data, lr, max_epochs, seed)
        rows.append({"diverged": bad, "val_loss": end.item(), "lr": lr})
    return rows
"""

VARIANTS = [
    # Right answers written another way.
    Variant(
        "history_numpy_and_mse_builtin",
        cells={
            "lr_sweep_impl": HISTORY_SWEEP,
            "linear_regression_sum_impl": _sum(
                "        return torch.nn.functional.mse_loss(y_hat, y.reshape(y_hat.shape), "
                "reduction='sum')"
            ),
            "lr_for_sum_impl": "import numpy as np\n\n"
            + _lr("    return np.float64(lr) / batch_size"),
        },
    ),
    Variant(
        "float64_loss_and_loop_sum",
        cells={
            "lr_sweep_impl": _sweep(
                loss="((model(X).double() - y.double()) ** 2 / 2).mean()",
                diverged="bool(after != after or after == float('inf') or after > before)",
            ),
            "linear_regression_sum_impl": _sum(
                "        total = 0\n"
                "        for p, t in zip(y_hat.reshape(-1), y.reshape(-1)):\n"
                "            total = total + (p - t) ** 2\n"
                "        return total"
            ),
            "lr_for_sum_impl": _lr("    return float(lr * (1 / batch_size))"),
        },
    ),
    Variant(
        "helper_per_rate_with_warning",
        cells={
            "lr_sweep_impl": HELPER_SWEEP,
            "linear_regression_sum_impl": _sum(
                "        return torch.sum(torch.square(y_hat - y.view_as(y_hat)))"
            ),
        },
    ),
    # Known mistakes.
    Variant(
        "seeded_once",
        cells={
            "lr_sweep_impl": _sweep(
                build="        model = d2lkit.LinearRegressionScratch(data.X.shape[1], lr)\n",
                head="    torch.manual_seed(seed)\n",
            ),
        },
        failing=("lr_sweep",),
        message="called once before the loop",
    ),
    Variant(
        "warm_start",
        cells={
            "lr_sweep_impl": _sweep(
                build="        model = model if results else d2lkit.LinearRegressionScratch("
                "data.X.shape[1], lr)\n        model.lr = lr\n",
                head="    torch.manual_seed(seed)\n    model = None\n",
            )
        },
        failing=("lr_sweep",),
        message="reused across",
    ),
    Variant(
        "training_split",
        cells={"lr_sweep_impl": _sweep(split="True")},
        failing=("lr_sweep",),
        message="training split",
    ),
    Variant(
        "mse_without_half",
        cells={"lr_sweep_impl": _sweep(loss="((model(X) - y) ** 2).mean()")},
        failing=("lr_sweep",),
        message="without the model's 1/2",
    ),
    Variant(
        "finite_only_divergence",
        cells={"lr_sweep_impl": _sweep(diverged="not math.isfinite(after)")},
        failing=("lr_sweep",),
        message="only for a non-finite loss",
    ),
    Variant(
        "stub_sweep_empty",
        cells={"lr_sweep_impl": "def lr_sweep(data, lrs, max_epochs, seed=0):\n    return []\n"},
        failing=("lr_sweep",),
        zero=("lr_sweep",),
    ),
    Variant(
        "sum_is_mean",
        cells={"linear_regression_sum_impl": _sum("        return ((y_hat - y) ** 2).mean()")},
        failing=("linear_regression_sum",),
        message="mean of the squared errors",
    ),
    Variant(
        "sum_halved",
        cells={
            "linear_regression_sum_impl": _sum(
                "        return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()"
            )
        },
        failing=("linear_regression_sum",),
        message="halved",
    ),
    Variant(
        "sum_broadcast",
        cells={"linear_regression_sum_impl": _sum("        return ((y_hat - y) ** 2).sum()")},
        failing=("linear_regression_sum",),
        message="broadcast",
    ),
    Variant(
        "stub_sum_constant",
        cells={"linear_regression_sum_impl": _sum("        return torch.tensor(0.0)")},
        failing=("linear_regression_sum",),
        zero=("linear_regression_sum",),
    ),
    Variant(
        "lr_times_batch",
        cells={"lr_for_sum_impl": _lr("    return lr * batch_size")},
        failing=("lr_for_sum",),
        message="lr * batch_size",
    ),
    Variant(
        "lr_unchanged",
        cells={"lr_for_sum_impl": _lr("    return lr")},
        failing=("lr_for_sum",),
        zero=("lr_for_sum",),
        message="lr unchanged",
    ),
    Variant(
        "lr_half",
        cells={"lr_for_sum_impl": _lr("    return lr / (2 * batch_size)")},
        failing=("lr_for_sum",),
        message="no 1/2",
    ),
    Variant(
        "stub_sweep_none",
        cells={"lr_sweep_impl": "def lr_sweep(data, lrs, max_epochs, seed=0):\n    pass\n"},
        failing=("lr_sweep",),
        zero=("lr_sweep",),
    ),
    Variant(
        "stub_sweep_returns_input",
        cells={"lr_sweep_impl": "def lr_sweep(data, lrs, max_epochs, seed=0):\n    return lrs\n"},
        failing=("lr_sweep",),
        zero=("lr_sweep",),
    ),
    Variant(
        "stub_sum_none",
        cells={"linear_regression_sum_impl": _sum("        return None")},
        failing=("linear_regression_sum",),
        zero=("linear_regression_sum",),
    ),
    Variant(
        "stub_sum_returns_input",
        cells={"linear_regression_sum_impl": _sum("        return y_hat")},
        failing=("linear_regression_sum",),
        zero=("linear_regression_sum",),
    ),
    Variant(
        "stub_lr_none",
        cells={"lr_for_sum_impl": _lr("    pass")},
        failing=("lr_for_sum",),
        zero=("lr_for_sum",),
    ),
    Variant(
        "stub_lr_returns_input",
        cells={"lr_for_sum_impl": _lr("    return lr")},
        failing=("lr_for_sum",),
        zero=("lr_for_sum",),
    ),
    Variant(
        "stub_lr_constant",
        cells={"lr_for_sum_impl": _lr("    return 0.001")},
        failing=("lr_for_sum",),
        zero=("lr_for_sum",),
    ),
]
