"""Right and wrong answers to lambda_sweep.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "weight_decay"


def _sweep(
    *,
    seed_before="",
    seed_inside="torch.manual_seed(seed)",
    model_before="",
    model_inside="model = d2lkit.WeightDecay(wd=lambd, lr=lr)",
    train_loss="model.loss(model(X_train), y_train).item()",
    val_loss="model.loss(model(X_val), y_val).item()",
    w_norm="torch.linalg.vector_norm(model.get_w_b()[0]).item()",
    signature="max_epochs=10, lr=0.01, seed=0",
):
    """A sweep cell with one part swapped out; the defaults give a right answer."""
    return f"""
def sweep(data, lambdas, {signature}):
    X_train, y_train = data.tensors(train=True)
    X_val, y_val = data.tensors(train=False)
    results = []
    {seed_before}
    {model_before}
    for lambd in lambdas:
        {seed_inside}
        {model_inside}
        trainer = d2lkit.Trainer(max_epochs=max_epochs)
        trainer.fit(model, data)
        with torch.no_grad():
            row = {{"lambd": lambd, "train_loss": {train_loss}, "val_loss": {val_loss},
                   "w_norm": {w_norm}}}
        results.append(row)
    return results
"""


FLOAT64_BY_HAND = """
import math

def sweep(data, lambdas, max_epochs=10, lr=0.01, seed=0):
    def mse(model, X, y):
        return ((model(X).double() - y.double()) ** 2).mean().item()

    results = []
    i = 0
    while i < len(lambdas):
        torch.manual_seed(seed)
        model = d2lkit.WeightDecay(wd=lambdas[i], lr=lr)
        d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
        with torch.no_grad():
            w = model.net.weight.double()
            results.append({
                "lambd": lambdas[i],
                "train_loss": mse(model, *data.tensors(train=True)),
                "val_loss": mse(model, *data.tensors(train=False)),
                "w_norm": math.sqrt(float((w * w).sum())),
            })
        i += 1
    return results
"""

TENSORS_NUMPY_AND_NOISE = """
import sys
import warnings

import numpy as np
import torch.nn.functional as F

def sweep(data, lambdas, max_epochs=10, lr=0.01, seed=0):
    warnings.warn("this sweep takes a moment")
    print("sweeping", len(lambdas), "values", file=sys.stderr)
    results = []
    for lambd in lambdas:
        torch.manual_seed(seed)
        model = d2lkit.WeightDecay(wd=lambd, lr=lr)
        d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
        X, y = data.tensors(train=True)
        X_val, y_val = data.tensors(train=False)
        with torch.no_grad():
            results.append({
                "lambd": lambd,
                "train_loss": F.mse_loss(model(X), y).detach(),  # a 0-d tensor
                "val_loss": np.float64(F.mse_loss(model(X_val), y_val).item()),
                "w_norm": model.net.weight.norm().detach(),
                "num_epochs": max_epochs,  # an extra key does no harm
            })
    return results
"""

BEST_BY_ARGMIN = """
def best_lambda(results):
    val = torch.tensor([r["val_loss"] for r in results])
    return results[int(torch.argmin(val))]["lambd"]
"""

PLOT_WITH_PYPLOT = """
def plot_sweep(results):
    fig, ax = plt.subplots()
    lambdas = [r["lambd"] for r in results]
    ax.semilogy(lambdas, [r["train_loss"] for r in results], label="train")
    ax.semilogy(lambdas, [r["val_loss"] for r in results], label="validation")
    ax.set(xlabel="lambda", ylabel="loss")
    fig.legend()
    return fig
"""


def _best(body):
    return f"def best_lambda(results):\n{body}\n"


def _plot(body, ret="fig"):
    return f"""
def plot_sweep(results):
    fig = Figure()
    ax = fig.add_subplot()
    lambdas = [r["lambd"] for r in results]
    {body}
    return {ret}
"""


LOG_LABELLED = """ax.plot(lambdas, [r["train_loss"] for r in results], label="train")
    ax.plot(lambdas, [r["val_loss"] for r in results], label="val")
    ax.set_yscale("log")
    ax.set_xlabel("lambda")
    ax.set_ylabel("loss")
    ax.legend()"""

VARIANTS = [
    # Right answers written another way.
    Variant("float64_by_hand", cells={"sweep_impl": FLOAT64_BY_HAND}),
    Variant("tensors_numpy_and_stderr", cells={"sweep_impl": TENSORS_NUMPY_AND_NOISE}),
    Variant("book_style_get_w_b", cells={"sweep_impl": _sweep()}),
    Variant(
        "argmin_and_pyplot",
        cells={"best_lambda_impl": BEST_BY_ARGMIN, "plot_sweep_impl": PLOT_WITH_PYPLOT},
    ),
    Variant(
        "sorted_copy",
        cells={
            "best_lambda_impl": _best(
                '    return sorted(results, key=lambda r: r["val_loss"])[0]["lambd"]'
            )
        },
    ),
    # Known mistakes of the sweep.
    Variant(
        "warm_start",
        cells={
            "sweep_impl": _sweep(
                seed_before="torch.manual_seed(seed)",
                seed_inside="",
                model_before="model = d2lkit.WeightDecay(wd=lambdas[0], lr=lr)",
                model_inside="model.wd = lambd",
            )
        },
        failing=("sweep_results",),
        message="one model reused across lambdas",
    ),
    Variant(
        "seeded_once",
        cells={"sweep_impl": _sweep(seed_before="torch.manual_seed(seed)", seed_inside="")},
        failing=("sweep_results",),
        message="torch.manual_seed(seed) called once",
    ),
    Variant(
        "val_on_train",
        cells={"sweep_impl": _sweep(val_loss="model.loss(model(X_train), y_train).item()")},
        failing=("sweep_results",),
        message="validation loss measured on the training split",
    ),
    Variant(
        "penalty_in_loss",
        cells={
            "sweep_impl": _sweep(
                train_loss="(model.loss(model(X_train), y_train)"
                " + lambd * d2lkit.l2_penalty(model.net.weight)).item()",
                val_loss="(model.loss(model(X_val), y_val)"
                " + lambd * d2lkit.l2_penalty(model.net.weight)).item()",
            )
        },
        failing=("sweep_results",),
        message="penalty lambd * ||w||^2 / 2 included",
    ),
    Variant(
        "squared_norm",
        cells={"sweep_impl": _sweep(w_norm="(model.net.weight ** 2).sum().item()")},
        failing=("sweep_results",),
        message="the squared norm",
    ),
    Variant(
        "l2_penalty_as_norm",
        cells={"sweep_impl": _sweep(w_norm="d2lkit.l2_penalty(model.net.weight).item()")},
        failing=("sweep_results",),
        message="l2_penalty(w)",
    ),
    Variant(
        "history_losses",
        cells={
            "sweep_impl": _sweep(
                train_loss="trainer.history.train_loss[-1]",
                val_loss="trainer.history.val_loss[-1]",
            )
        },
        failing=("sweep_results",),
        message="averaged over batches",
    ),
    Variant(
        "half_squared_loss",
        cells={
            "sweep_impl": _sweep(
                train_loss="d2lkit.squared_loss(model(X_train), y_train).item()",
                val_loss="d2lkit.squared_loss(model(X_val), y_val).item()",
            )
        },
        failing=("sweep_results",),
        message="a 1/2 in the loss",
    ),
    Variant(
        "wrong_defaults",
        cells={"sweep_impl": _sweep(signature="max_epochs=5, lr=0.01, seed=0")},
        failing=("sweep_results",),
        message="defaults max_epochs=10",
    ),
    Variant(
        "dict_by_lambda",
        cells={
            "sweep_impl": _sweep().replace(
                "return results", "return {r['lambd']: r for r in results}"
            )
        },
        failing=("sweep_results",),
        message="should return a list of dicts",
    ),
    # best_lambda.
    Variant(
        "best_by_train_loss",
        cells={
            "best_lambda_impl": _best(
                '    return min(results, key=lambda r: r["train_loss"])["lambd"]'
            )
        },
        failing=("best_lambda",),
        message="lowest training loss",
    ),
    Variant(
        "ties_go_to_last",
        cells={
            "best_lambda_impl": _best(
                "    best = results[0]\n"
                "    for r in results:\n"
                '        if r["val_loss"] <= best["val_loss"]:\n'
                "            best = r\n"
                '    return best["lambd"]'
            )
        },
        failing=("best_lambda",),
        message="last of the tied lambdas",
    ),
    Variant(
        "sorts_in_place",
        cells={
            "best_lambda_impl": _best(
                '    results.sort(key=lambda r: r["val_loss"])\n    return results[0]["lambd"]'
            )
        },
        failing=("best_lambda",),
        message="changed the list",
    ),
    Variant(
        "returns_position",
        cells={
            "best_lambda_impl": _best(
                '    return min(range(len(results)), key=lambda i: results[i]["val_loss"])'
            )
        },
        failing=("best_lambda",),
        message="position of the best result",
    ),
    # plot_sweep.
    Variant(
        "linear_loss_axis",
        cells={"plot_sweep_impl": _plot(LOG_LABELLED.replace('"log"', '"linear"'))},
        failing=("plot_sweep",),
        message="expected 'log'",
    ),
    Variant(
        "returns_axes",
        cells={"plot_sweep_impl": _plot(LOG_LABELLED, ret="ax")},
        failing=("plot_sweep",),
        message="should return a matplotlib.figure.Figure",
    ),
    Variant(
        "no_labels_no_legend",
        cells={
            "plot_sweep_impl": _plot(
                LOG_LABELLED.replace('ax.set_xlabel("lambda")', "")
                .replace('ax.set_ylabel("loss")', "")
                .replace("ax.legend()", "")
            )
        },
        failing=("plot_sweep",),
        message="label both",
    ),
    Variant(
        "plots_w_norm",
        cells={"plot_sweep_impl": _plot(LOG_LABELLED.replace('r["val_loss"]', 'r["w_norm"]'))},
        failing=("plot_sweep",),
        message="two lines with x = the lambdas",
    ),
]
