"""Right and wrong answers to data_size.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "linear_regression"


def _errors(
    w_err="torch.linalg.norm(w.reshape(-1) - data.w).item()",
    b_err="abs(b.item() - 4.2)",
    seed_line="        torch.manual_seed(seed)\n",
    shuffle="seed",
    lr="0.03",
    epochs="max_epochs",
    head="",
):
    return (
        f"def estimation_errors(ns, max_epochs, seed=0):\n{head}"
        "    results = []\n"
        "    for n in ns:\n"
        "        data = d2lkit.SyntheticRegressionData(w=[2, -3.4], b=4.2, num_train=n,\n"
        "            num_val=100, batch_size=min(32, n), seed=seed,\n"
        f"            shuffle_seed={shuffle})\n"
        f"{seed_line}"
        f"        model = d2lkit.LinearRegression(lr={lr})\n"
        f"        d2lkit.Trainer(max_epochs={epochs}).fit(model, data)\n"
        "        w, b = model.get_w_b()\n"
        f'        results.append({{"n": n, "w_err": {w_err}, "b_err": {b_err}}})\n'
        "    return results\n"
    )


def _plot(body):
    return f"def plot_errors(results):\n{body}\n"


LOG_LOG = _plot(
    "    ns = [r['n'] for r in results]\n"
    "    fig, ax = plt.subplots()\n"
    "    ax.loglog(ns, [r['w_err'] for r in results], label='w')\n"
    "    ax.loglog(ns, [r['b_err'] for r in results], label='b')\n"
    "    ax.set_xlabel('n')\n"
    "    ax.set_ylabel('error')\n"
    "    fig.legend()\n"
    "    return fig"
)

VARIANTS = [
    # Right answers written other ways.
    Variant(
        "numpy_float64_and_loglog",
        cells={
            "estimation_errors_impl": "import numpy as np\n\n"
            + _errors(
                w_err="np.linalg.norm(w.detach().double().numpy().ravel() - np.array([2, -3.4]))",
                b_err="np.float64(abs(b.detach().double().numpy() - 4.2).item())",
            ),
            "plot_errors_impl": LOG_LOG,
        },
    ),
    Variant(
        "tensor_values_and_net_parameters",
        cells={
            "estimation_errors_impl": _errors(
                w_err="(model.net.weight.detach() - data.w.reshape(1, -1)).norm()",
                b_err="(model.net.bias.detach() - 4.2).abs()",
            )
        },
    ),
    Variant(
        "loops_and_math",
        cells={
            "estimation_errors_impl": _errors(
                w_err="math.sqrt(sum((a - t) ** 2 for a, t in zip(w.reshape(-1).tolist(), "
                "[2.0, -3.4])))",
                b_err="math.fabs(float(b) - 4.2)",
            ),
            "plot_errors_impl": _plot(
                "    fig = plt.figure()\n"
                "    ax = fig.add_subplot()\n"
                "    for key in ('w_err', 'b_err'):\n"
                "        ax.plot([r['n'] for r in results], [r[key] for r in results], label=key)\n"
                "    ax.set(xscale='log', yscale='log', xlabel='n', ylabel='error')\n"
                "    ax.legend()\n"
                "    return fig"
            ),
        },
    ),
    # Known mistakes.
    Variant(
        "squared_norm",
        cells={"estimation_errors_impl": _errors(w_err="((w.reshape(-1) - data.w) ** 2).sum()")},
        failing=("estimation_errors",),
        message="squared norm",
    ),
    Variant(
        "l1_norm",
        cells={"estimation_errors_impl": _errors(w_err="(w.reshape(-1) - data.w).abs().sum()")},
        failing=("estimation_errors",),
        message="sum of absolute weight errors",
    ),
    Variant(
        "signed_bias",
        cells={"estimation_errors_impl": _errors(b_err="b.item() - 4.2")},
        failing=("estimation_errors",),
        message="signed bias error",
    ),
    Variant(
        "broadcast_shapes",
        cells={
            "estimation_errors_impl": _errors(
                w_err="torch.linalg.norm(w - data.w.reshape(-1, 1)).item()"
            )
        },
        failing=("estimation_errors",),
        message="broadcasts to (2, 2)",
    ),
    Variant(
        "seed_once",
        cells={
            "estimation_errors_impl": _errors(seed_line="", head="    torch.manual_seed(seed)\n")
        },
        failing=("estimation_errors",),
        message="called once",
    ),
    Variant(
        "no_shuffle_seed",
        cells={"estimation_errors_impl": _errors(shuffle="None")},
        failing=("estimation_errors",),
        message="shuffle_seed",
    ),
    Variant(
        "epochs_ignored",
        cells={"estimation_errors_impl": _errors(epochs="3")},
        failing=("estimation_errors",),
        message="max_epochs ignored",
    ),
    Variant(
        "wrong_lr",
        cells={"estimation_errors_impl": _errors(lr="0.01")},
        failing=("estimation_errors",),
        message="learning rate",
    ),
    Variant(
        "linear_axes",
        cells={"plot_errors_impl": LOG_LOG.replace("ax.loglog", "ax.plot")},
        failing=("plot_errors",),
        message="expected both 'log'",
    ),
    *(
        Variant(
            name,
            cells={"estimation_errors_impl": code},
            failing=("estimation_errors",),
            zero=("estimation_errors",),
        )
        for name, code in (
            (
                "stub_errors_none",
                "def estimation_errors(ns, max_epochs, seed=0):\n    return None\n",
            ),
            (
                "stub_errors_input",
                "def estimation_errors(ns, max_epochs, seed=0):\n    return ns\n",
            ),
            (
                "stub_errors_constant",
                "def estimation_errors(ns, max_epochs, seed=0):\n"
                "    return [{'n': n, 'w_err': 0.0, 'b_err': 0.0} for n in ns]\n",
            ),
        )
    ),
    *(
        Variant(
            name, cells={"plot_errors_impl": code}, failing=("plot_errors",), zero=("plot_errors",)
        )
        for name, code in (
            ("stub_plot_none", _plot("    return None")),
            ("stub_plot_input", _plot("    return results")),
            ("stub_plot_empty_figure", _plot("    return plt.figure()")),
        )
    ),
]
