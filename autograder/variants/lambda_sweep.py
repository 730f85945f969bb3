"""Right and wrong answers to lambda_sweep.ipynb, as a student would write them."""

from autograder.notebooks import Variant
from autograder.variants._lambda_sweep_code import (
    BEST_BY_ARGMIN,
    BEST_BY_FLOAT32_ARGMIN,
    COMPREHENSION_WITH_NUMPY,
    FLOAT64_BY_HAND,
    LOG_LABELLED,
    PLOT_WITH_PYPLOT,
    STUB_PLOT_CONSTANT,
    STUB_SWEEP_CONSTANT,
    TENSORS_NUMPY_AND_NOISE,
    stub_cells,
)
from autograder.variants._lambda_sweep_code import best_code as _best
from autograder.variants._lambda_sweep_code import plot_code as _plot
from autograder.variants._lambda_sweep_code import sweep_code as _sweep

ASSIGNMENT = "weight_decay"


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
        zero=("sweep_results",),
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
    # Found by writing answers as students do.
    Variant("comprehension_with_numpy_numbers", cells={"sweep_impl": COMPREHENSION_WITH_NUMPY}),
    Variant(
        "float32_argmin",
        cells={"best_lambda_impl": BEST_BY_FLOAT32_ARGMIN},
        failing=("best_lambda",),
        message="rounded before comparing",
    ),
    Variant(
        "rounds_then_compares",
        cells={
            "best_lambda_impl": _best(
                '    return min(results, key=lambda r: round(r["val_loss"], 6))["lambd"]'
            )
        },
        failing=("best_lambda",),
        message="rounded before comparing",
    ),
]

# Stubs: each must earn nothing on every autograded cell.
CELLS = ("sweep_results", "best_lambda", "plot_sweep")
VARIANTS += [
    Variant("stub_none", cells=stub_cells("None", "None", "None"), zero=CELLS),
    Variant("stub_input", cells=stub_cells("lambdas", "results", "results"), zero=CELLS),
    Variant(
        "stub_constant",
        cells=stub_cells(STUB_SWEEP_CONSTANT, "1.0", STUB_PLOT_CONSTANT),
        zero=CELLS,
    ),
]
