"""Hidden checks for lambda_sweep.ipynb (D2L 3.7, exercises 1 and 2).

The sweep checks build a tiny seeded weight-decay data set inside the student's kernel, run
their `sweep` on hidden lambdas, and compare the plain numbers with the same seeded run here.
"""

import pytest
import torch

from autograder.config import load_course
from autograder.judging.checks import CheckFailed, Mistake
from autograder.judging.runner import check_seed
from autograder.reference import lambda_sweep as ref
from autograder.wire.plain import StudentTensor

cell = pytest.mark.cell

# Several checks of a cell look at different parts of one answer (one sweep, one figure).
# They share one hidden input, drawn from the grading seed and the cell's name, and the
# answer is asked for once per student: training runs are the slow part of grading.
_last = {}


def _shared(student, key, compute):
    hit = _last.get("answer")
    if hit is not None and hit[0] is student and hit[1] == key:
        return hit[2]
    value = compute()
    _last["answer"] = (student, key, value)  # holding the student keeps its id unique
    return value


def _cell_gen(name):
    seed = check_seed(load_course().grading_seed, name)
    return torch.Generator().manual_seed(seed), seed


SWEEP_PROBE = """
import numbers
import d2lkit

data = d2lkit.Data(**data_args, seed=data_seed)
# Live training boards would redraw for every fit the probe asks for; switch them off for the
# duration of the call (and only for it: the kernel may run more cells afterwards).
_active = d2lkit.ProgressBoard.active
d2lkit.ProgressBoard.active = property(lambda self: False)
try:
    out = sweep(data, lambdas, **kwargs)
finally:
    d2lkit.ProgressBoard.active = _active


def _plain(value):
    # numpy and Python numbers alike become floats; tensors travel as tensors.
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    return value


if isinstance(out, (list, tuple)):
    result = [{k: _plain(v) for k, v in r.items()} if isinstance(r, dict) else r for r in out]
else:
    result = out
"""


def _setting(gen, seed):
    """Hidden lambdas (0 and two others), epochs, learning rate and seeds for one check."""
    others = sorted(round(v, 3) for v in (torch.rand(2, generator=gen) * 9 + 1).tolist())
    kwargs = {
        "max_epochs": int(torch.randint(2, 5, (1,), generator=gen)),
        "lr": round(0.02 + 0.03 * float(torch.rand(1, generator=gen)), 4),
        "seed": int(torch.randint(0, 10_000, (1,), generator=gen)),
    }
    return [0.0, *others], kwargs, seed


def _student_sweep(student, lambdas, kwargs, data_seed):
    shown = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    what = f"sweep(data, {lambdas}{', ' + shown if shown else ''})"
    out = student.run(
        SWEEP_PROBE,
        what=what,
        data_args=ref.DATA,
        data_seed=data_seed,
        lambdas=lambdas,
        kwargs=kwargs,
    )
    return _table(out, lambdas, what), what


def _number(value, what):
    if isinstance(value, bool):
        raise CheckFailed(f"{what} should be a number, but it is {value}.")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, StudentTensor) and value.values is not None and value.shape in ((), (1,)):
        return float(value.values.reshape(-1)[0])
    kind = value.describe() if hasattr(value, "describe") else type(value).__name__
    raise CheckFailed(f"{what} should be a single number (a float), but it is {kind}.")


def _table(out, lambdas, what):
    """The student's rows as {key: float64 column}, after checking their structure."""
    if not isinstance(out, list | tuple):
        kind = out.describe() if hasattr(out, "describe") else type(out).__name__
        raise CheckFailed(f"{what} should return a list of dicts, but it returned {kind}.")
    if len(out) != len(lambdas):
        raise CheckFailed(
            f"{what} returned {len(out)} results for {len(lambdas)} lambdas; expected one dict "
            "per lambda, in the given order."
        )
    for row in out:
        if not isinstance(row, dict):
            raise CheckFailed(f"each result of {what} should be a dict, but one is {row!r:.80}.")
        missing = [k for k in ref.KEYS if k not in row]
        if missing:
            raise CheckFailed(
                f"a result of {what} has keys {sorted(row)}; it lacks {', '.join(missing)} "
                f"(expected keys: {', '.join(ref.KEYS)})."
            )
    return {
        key: torch.tensor(
            [_number(row[key], f"{key} in {what}") for row in out], dtype=torch.float64
        )
        for key in ref.KEYS
    }


def _close(expect, got, expected):
    """Closeness of two float64 columns with the course's tolerances for training results."""
    tol = expect.tolerance
    return got.shape == expected.shape and bool(
        torch.isclose(got, expected, rtol=tol.train_rtol, atol=tol.train_atol).all()
    )


def _as_student(column):
    return StudentTensor(column, "torch.float64", tuple(column.shape), "cpu", False)


def _check_column(expect, table, rows, mistakes, key, what):
    expect.tensor(
        _as_student(table[key]),
        ref.column(rows, key),
        what=f"{key} (one per lambda) of {what}",
        mistakes=mistakes[key],
        trained=True,
    )


def _shared_sweep(student):
    """The cell's hidden setting, the student's sweep on it and the reference's answers."""

    def compute():
        lambdas, kwargs, data_seed = _setting(*_cell_gen("sweep_results"))
        table, what = _student_sweep(student, lambdas, kwargs, data_seed)
        rows, mistakes = ref.sweep_with_mistakes(ref.make_data(data_seed), lambdas, **kwargs)
        return lambdas, kwargs, data_seed, table, what, rows, mistakes

    return _shared(student, "sweep", compute)


@cell("sweep_results")
def test_returns_one_dict_per_lambda(student, expect):
    """sweep returns one dict per lambda, in order, with keys lambd, train_loss, val_loss, w_norm"""
    lambdas, _, _, table, what, _, _ = _shared_sweep(student)
    expect.tensor(
        _as_student(table["lambd"]),
        torch.tensor(lambdas, dtype=torch.float64),
        what=f"the lambd values of {what}",
    )


@cell("sweep_results")
def test_train_loss(student, expect):
    """train_loss is the mean squared error on the whole training split after training"""
    _, _, _, table, what, rows, mistakes = _shared_sweep(student)
    _check_column(expect, table, rows, mistakes, "train_loss", what)


@cell("sweep_results")
def test_val_loss(student, expect):
    """val_loss is the mean squared error on the whole validation split, without the penalty"""
    _, _, _, table, what, rows, mistakes = _shared_sweep(student)
    _check_column(expect, table, rows, mistakes, "val_loss", what)


@cell("sweep_results")
def test_w_norm(student, expect):
    """w_norm is the Euclidean norm of the trained weight"""
    _, _, _, table, what, rows, mistakes = _shared_sweep(student)
    _check_column(expect, table, rows, mistakes, "w_norm", what)


@cell("sweep_results")
def test_each_lambda_starts_afresh(student, expect):
    """each lambda's result does not depend on the lambdas run before it"""
    lambdas, kwargs, data_seed, forward, what, _, _ = _shared_sweep(student)
    backward, _ = _student_sweep(student, lambdas[::-1], kwargs, data_seed)
    for key in ("val_loss", "w_norm"):
        got, again = forward[key], backward[key].flip(0)
        if _close(expect, got, again):
            continue
        i = int((got - again).abs().argmax())
        runs = ref.run_mistakes(ref.make_data(data_seed), lambdas, **kwargs)
        hint = next(
            (
                f" This looks like {name.strip()}."
                for name, rows in runs.items()
                if _close(expect, got, ref.column(rows, key))
            ),
            " Call torch.manual_seed(seed) and build a fresh model for every lambda.",
        )
        raise CheckFailed(
            f"{key} for lambd={lambdas[i]} is {got[i].item():.6g} in {what} but "
            f"{again[i].item():.6g} when the lambdas run in reverse order.{hint}"
        )


@cell("sweep_results")
def test_default_arguments(student, expect, gen, seed):
    """sweep's defaults are max_epochs=10, lr=0.01, seed=0"""
    lambd = round(1 + 4 * float(torch.rand(1, generator=gen)), 3)
    table, what = _student_sweep(student, [lambd], {}, seed)
    rows = ref.sweep(ref.make_data(seed), [lambd])
    for key in ("train_loss", "val_loss", "w_norm"):
        got, expected = table[key], ref.column(rows, key)
        expect.that(
            _close(expect, got, expected),
            f"{key} of {what} with the default arguments is {got.item():.6g}, expected "
            f"{expected.item():.6g}; check the defaults max_epochs=10, lr=0.01, seed=0.",
        )


def _random_results(gen, n=5):
    """Results with unsorted lambdas, whose best train and val losses sit at different rows."""
    lambdas = [round(v, 3) for v in (torch.rand(n, generator=gen) * 20 + 0.5).tolist()]
    val = (torch.rand(n, generator=gen) + 0.1).tolist()
    train = (torch.rand(n, generator=gen) * 0.05).tolist()
    best = min(range(n), key=lambda i: val[i])
    other = (best + 1 + int(torch.randint(0, n - 1, (1,), generator=gen))) % n
    train[other] = min(train) / 2  # the lowest training loss is not at the best val loss
    return [
        {"lambd": lambdas[i], "train_loss": train[i], "val_loss": val[i], "w_norm": 1.0 / (i + 1)}
        for i in range(n)
    ]


@cell("best_lambda")
def test_lowest_validation_loss(student, expect, gen):
    """best_lambda returns the lambda with the lowest val_loss"""
    results = _random_results(gen)
    n = len(results)
    by_train = min(range(n), key=lambda i: results[i]["train_loss"])
    by_val = min(range(n), key=lambda i: results[i]["val_loss"])
    worst = max(range(n), key=lambda i: results[i]["val_loss"])
    expect.number(
        student.call("best_lambda", results, what="best_lambda(results)"),
        ref.best_lambda(results),
        what="best_lambda(results)",
        mistakes=[
            Mistake("the lambda with the lowest training loss", results[by_train]["lambd"]),
            Mistake("the position of the best result instead of its lambd", by_val),
            Mistake("the lambda with the highest validation loss", results[worst]["lambd"]),
        ],
    )


@cell("best_lambda")
def test_ties_go_to_the_first(student, expect, gen):
    """on a tie, best_lambda returns the first of the tied lambdas"""
    results = _random_results(gen)
    low = min(r["val_loss"] for r in results) / 2
    results[1]["val_loss"] = results[3]["val_loss"] = low
    expect.number(
        student.call("best_lambda", results, what="best_lambda(results) with a tie"),
        results[1]["lambd"],
        what="best_lambda(results) with two equal lowest val_loss",
        mistakes=[Mistake("the last of the tied lambdas", results[3]["lambd"])],
    )


@cell("best_lambda")
def test_results_unchanged(student, expect, gen):
    """best_lambda leaves the results list as it was"""
    results = _random_results(gen)
    _, (after,) = student.call(
        "best_lambda", results, what="best_lambda(results)", return_args=True
    )
    expect.that(
        after == results,
        "best_lambda(results) changed the list it was given (sorted or edited it in place); "
        "use min(...) or sorted(...), which leave the caller's list alone.",
    )


PLOT_PROBE = """
from matplotlib.axes import Axes
from matplotlib.figure import Figure

out = plot_sweep(results)
fig = out.figure if isinstance(out, Axes) else out
result = {"type": type(out).__module__ + "." + type(out).__qualname__,
          "is_figure": isinstance(out, Figure), "axes": [], "figure_legends": []}
if isinstance(fig, Figure):
    for ax in fig.get_axes():
        legend = ax.get_legend()
        result["axes"].append({
            "xlabel": str(ax.get_xlabel()), "ylabel": str(ax.get_ylabel()),
            "yscale": str(ax.get_yscale()),
            "legend": None if legend is None else [str(t.get_text()) for t in legend.get_texts()],
            "lines": [{"x": [float(v) for v in line.get_xdata()],
                       "y": [float(v) for v in line.get_ydata()]} for line in ax.get_lines()],
        })
    result["figure_legends"] = [[str(t.get_text()) for t in g.get_texts()] for g in fig.legends]
    import matplotlib.pyplot as plt
    plt.close(fig)
"""


def _plot(student):
    results = _random_results(_cell_gen("plot_sweep")[0], n=4)
    info = _shared(
        student,
        "plot",
        lambda: student.run(PLOT_PROBE, what="plot_sweep(results)", results=results),
    )
    if not isinstance(info, dict) or not isinstance(info.get("axes"), list):
        raise CheckFailed("plot_sweep(results) could not be inspected.")
    if not info["axes"]:
        raise CheckFailed(
            f"plot_sweep(results) returned {info['type']} with no axes; return the Figure."
        )
    return results, info


def _loss_axes(results, info):
    """The axes holding a train line and a val line, or None."""
    lambdas = [r["lambd"] for r in results]
    for ax in info["axes"]:
        found = set()
        for line in ax["lines"]:
            if len(line["x"]) != len(lambdas) or not torch.allclose(
                torch.tensor(line["x"]), torch.tensor(lambdas)
            ):
                continue
            for key in ("train_loss", "val_loss"):
                if torch.allclose(torch.tensor(line["y"]), torch.tensor([r[key] for r in results])):
                    found.add(key)
        if found == {"train_loss", "val_loss"}:
            return ax
    return None


@cell("plot_sweep")
def test_returns_figure(student, expect):
    """plot_sweep returns a matplotlib Figure"""
    _, info = _plot(student)
    expect.that(
        info["is_figure"],
        f"plot_sweep should return a matplotlib.figure.Figure, but it returned {info['type']}.",
    )


@cell("plot_sweep")
def test_lines_are_losses_against_lambda(student, expect):
    """the plot has a training-loss line and a validation-loss line against lambda"""
    results, info = _plot(student)
    expect.that(
        _loss_axes(results, info) is not None,
        "no axes of the figure has two lines with x = the lambdas and y = the train_loss and "
        "the val_loss of the results (in the order given); plot with ax.plot(lambdas, losses).",
    )


@cell("plot_sweep")
def test_log_scale(student, expect):
    """the loss axis is in log scale"""
    results, info = _plot(student)
    ax = _loss_axes(results, info) or info["axes"][0]
    expect.that(
        ax["yscale"] == "log",
        f"the loss axis has scale {ax['yscale']!r}, expected 'log' (ax.set_yscale('log')).",
    )


@cell("plot_sweep")
def test_labels_and_legend(student, expect):
    """both axes are labelled and a legend names the two lines"""
    results, info = _plot(student)
    ax = _loss_axes(results, info) or info["axes"][0]
    expect.that(
        bool(ax["xlabel"].strip()) and bool(ax["ylabel"].strip()),
        f"the axes' labels are x={ax['xlabel']!r} and y={ax['ylabel']!r}; label both.",
    )
    entries = len(ax["legend"] or []) + sum(len(g) for g in info["figure_legends"])
    expect.that(entries >= 2, f"the legend has {entries} entries, expected one per line (2).")
