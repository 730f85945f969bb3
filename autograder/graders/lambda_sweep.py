"""Hidden checks for lambda_sweep.ipynb (D2L 3.7, exercises 1 and 2).

The sweep checks build a tiny seeded weight-decay data set inside the student's kernel, run
their `sweep` on hidden lambdas, and compare the plain numbers with the same seeded run here.
Several checks of a cell look at parts of one answer (one sweep, one figure): they share one
hidden input, drawn from the cell's seed (`cell_seed`), and ask for the answer once per cell
run (`memo`), since training runs are the slow part of grading. A check that is not about the
values (structure, independence, the figure's type and looks) counts only when they are right.
"""

import pytest
import torch

from autograder.graders import lambda_sweep_parts as parts
from autograder.judging.checks import CheckFailed, Mistake
from autograder.reference import lambda_sweep as ref

cell = pytest.mark.cell

ROUNDED = (
    "the losses rounded before comparing (round(), or a float32 tensor, which keeps about 7 "
    "digits): two losses 1e-9 apart looked tied and the first was taken"
)


def _once(memo, key, compute):
    """`compute()` once per cell run; a failure is kept and raised again for each check."""
    if key not in memo:
        try:
            memo[key] = (compute(), None)
        except CheckFailed as exc:
            memo[key] = (None, exc)
    value, failure = memo[key]
    if failure is not None:
        raise CheckFailed(str(failure))
    return value


def _shared_sweep(student, cell_seed, memo):
    """The cell's hidden setting, the student's sweep on it and the reference's answers."""

    def compute():
        lambdas, kwargs = parts.setting(torch.Generator().manual_seed(cell_seed))
        table, what = parts.student_sweep(student, lambdas, kwargs, cell_seed)
        rows, mistakes = ref.sweep_with_mistakes(ref.make_data(cell_seed), lambdas, **kwargs)
        return lambdas, kwargs, table, what, rows, mistakes

    return _once(memo, "sweep", compute)


def _check_column(expect, table, rows, mistakes, key, what):
    expect.tensor(
        parts.as_student(table[key]),
        ref.column(rows, key),
        what=f"{key} (one per lambda) of {what}",
        mistakes=mistakes[key],
        trained=True,
    )


@cell("sweep_results")
def test_returns_one_dict_per_lambda(student, expect, cell_seed, memo):
    """sweep returns one dict per lambda, in order, with keys lambd, train_loss, val_loss, w_norm"""
    lambdas, _, table, what, rows, mistakes = _shared_sweep(student, cell_seed, memo)
    expect.tensor(
        parts.as_student(table["lambd"]),
        torch.tensor(lambdas, dtype=torch.float64),
        what=f"the lambd values of {what}",
    )
    for key in ("train_loss", "val_loss", "w_norm"):
        _check_column(expect, table, rows, mistakes, key, what)


@cell("sweep_results")
def test_train_loss(student, expect, cell_seed, memo):
    """train_loss is the mean squared error on the whole training split after training"""
    _, _, table, what, rows, mistakes = _shared_sweep(student, cell_seed, memo)
    _check_column(expect, table, rows, mistakes, "train_loss", what)


@cell("sweep_results")
def test_val_loss(student, expect, cell_seed, memo):
    """val_loss is the mean squared error on the whole validation split, without the penalty"""
    _, _, table, what, rows, mistakes = _shared_sweep(student, cell_seed, memo)
    _check_column(expect, table, rows, mistakes, "val_loss", what)


@cell("sweep_results")
def test_w_norm(student, expect, cell_seed, memo):
    """w_norm is the Euclidean norm of the trained weight"""
    _, _, table, what, rows, mistakes = _shared_sweep(student, cell_seed, memo)
    _check_column(expect, table, rows, mistakes, "w_norm", what)


@cell("sweep_results")
def test_each_lambda_starts_afresh(student, expect, cell_seed, memo):
    """each lambda's result is right and does not depend on the lambdas run before it"""
    lambdas, kwargs, forward, what, rows, mistakes = _shared_sweep(student, cell_seed, memo)
    for key in ("val_loss", "w_norm"):
        _check_column(expect, forward, rows, mistakes, key, what)
    backward, _ = parts.student_sweep(student, lambdas[::-1], kwargs, cell_seed)
    for key in ("val_loss", "w_norm"):
        got, again = forward[key], backward[key].flip(0)
        if expect.close(got, again, trained=True):
            continue
        i = int((got - again).abs().argmax())
        runs = ref.run_mistakes(ref.make_data(cell_seed), lambdas, **kwargs)
        hint = next(
            (
                f" This looks like {name.strip()}."
                for name, wrong in runs.items()
                if expect.close(got, ref.column(wrong, key), trained=True)
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
    table, what = parts.student_sweep(student, [lambd], {}, seed)
    rows = ref.sweep(ref.make_data(seed), [lambd])
    for key in ("train_loss", "val_loss", "w_norm"):
        got, expected = table[key], ref.column(rows, key)
        expect.that(
            expect.close(got, expected, trained=True),
            f"{key} of {what} with the default arguments is {got.item():.6g}, expected "
            f"{expected.item():.6g}; check the defaults max_epochs=10, lr=0.01, seed=0.",
        )


def _best_mistakes(results):
    n = len(results)
    by_train = min(range(n), key=lambda i: results[i]["train_loss"])
    by_val = min(range(n), key=lambda i: results[i]["val_loss"])
    worst = max(range(n), key=lambda i: results[i]["val_loss"])
    return [
        Mistake("the lambda with the lowest training loss", results[by_train]["lambd"]),
        Mistake("the position of the best result instead of its lambd", by_val),
        Mistake("the lambda with the highest validation loss", results[worst]["lambd"]),
    ]


@cell("best_lambda")
def test_lowest_validation_loss(student, expect, gen):
    """best_lambda returns the lambda with the lowest val_loss"""
    results = parts.random_results(gen)
    expect.number(
        student.call("best_lambda", results, what="best_lambda(results)"),
        ref.best_lambda(results),
        what="best_lambda(results)",
        mistakes=_best_mistakes(results),
    )


@cell("best_lambda")
def test_ties_go_to_the_first(student, expect, gen):
    """on a tie, best_lambda returns the first of the tied lambdas"""
    results = parts.random_results(gen)
    low = min(r["val_loss"] for r in results) / 2
    results[1]["val_loss"] = results[3]["val_loss"] = low
    expect.number(
        student.call("best_lambda", results, what="best_lambda(results) with a tie"),
        results[1]["lambd"],
        what="best_lambda(results) with two equal lowest val_loss",
        mistakes=[Mistake("the last of the tied lambdas", results[3]["lambd"])],
    )


@cell("best_lambda")
def test_near_ties(student, expect, gen):
    """best_lambda tells apart val_loss values that differ by 1e-9 (no rounding)"""
    results, early, late = parts.near_tie_results(gen)
    what = "best_lambda(results) with two val_loss values 1e-9 apart"
    expect.number(
        student.call("best_lambda", results, what=what),
        results[late]["lambd"],
        what=what,
        mistakes=[Mistake(ROUNDED, results[early]["lambd"]), *_best_mistakes(results)],
    )


@cell("best_lambda")
def test_results_unchanged(student, expect, gen):
    """best_lambda gives the right lambda and leaves the results list as it was"""
    results = parts.random_results(gen)
    got, (after,) = student.call(
        "best_lambda", results, what="best_lambda(results)", return_args=True
    )
    what = "best_lambda(results)"
    expect.number(got, ref.best_lambda(results), what=what, mistakes=_best_mistakes(results))
    expect.that(
        after == results,
        "best_lambda(results) changed the list it was given (sorted or edited it in place); "
        "use min(...) or sorted(...), which leave the caller's list alone.",
    )


def _plot(student, expect, cell_seed, memo):
    """The figure's description, once its two loss lines are found (else the check fails)."""
    results = parts.random_results(torch.Generator().manual_seed(cell_seed), n=4)

    def compute():
        return student.run(parts.PLOT_PROBE, what="plot_sweep(results)", results=results)

    info = _once(memo, "plot", compute)
    if not isinstance(info, dict) or not isinstance(info.get("axes"), list):
        raise CheckFailed("plot_sweep(results) could not be inspected.")
    if not info["axes"]:
        raise CheckFailed(
            f"plot_sweep(results) returned {info['type']} with no axes; return the Figure."
        )
    ax = parts.loss_axes(expect, results, info)
    if ax is None:
        raise CheckFailed(
            "no axes of the figure has two lines with x = the lambdas and y = the train_loss and "
            "the val_loss of the results (in the order given); plot with ax.plot(lambdas, losses)."
        )
    return info, ax


@cell("plot_sweep")
def test_returns_figure(student, expect, cell_seed, memo):
    """plot_sweep returns a matplotlib Figure (with the two loss lines)"""
    info, _ = _plot(student, expect, cell_seed, memo)
    expect.that(
        info["is_figure"],
        f"plot_sweep should return a matplotlib.figure.Figure, but it returned {info['type']}.",
    )


@cell("plot_sweep")
def test_lines_are_losses_against_lambda(student, expect, cell_seed, memo):
    """the plot has a training-loss line and a validation-loss line against lambda"""
    _plot(student, expect, cell_seed, memo)


@cell("plot_sweep")
def test_log_scale(student, expect, cell_seed, memo):
    """the loss axis (of the two loss lines) is in log scale"""
    _, ax = _plot(student, expect, cell_seed, memo)
    expect.that(
        ax["yscale"] == "log",
        f"the loss axis has scale {ax['yscale']!r}, expected 'log' (ax.set_yscale('log')).",
    )


@cell("plot_sweep")
def test_labels_and_legend(student, expect, cell_seed, memo):
    """both axes of the loss plot are labelled and a legend names the two lines"""
    info, ax = _plot(student, expect, cell_seed, memo)
    expect.that(
        bool(ax["xlabel"].strip()) and bool(ax["ylabel"].strip()),
        f"the axes' labels are x={ax['xlabel']!r} and y={ax['ylabel']!r}; label both.",
    )
    entries = len(ax["legend"] or []) + sum(len(g) for g in info["figure_legends"])
    expect.that(entries >= 2, f"the legend has {entries} entries, expected one per line (2).")
