"""Hidden checks for data_size.ipynb (D2L 3.5, exercise 5).

`estimation_errors` is run in the student's kernel on sizes, epochs and a seed drawn from the
check's `gen`, kept small (three sizes up to 300, two to four epochs: well under a second) since
the checks judge the function, not the experiment. The contract fixes data (seeded, batch order
by `shuffle_seed`), model seed and learning rate, so a right answer has no randomness left: right
answers train the very same float32 parameters and differ only in how they round the final
subtraction (relative 1e-7 on errors of size 0.5 to 4). The errors are therefore compared with
the course's tight tolerance (rtol 1e-4), not the training one: a model seeded once instead of
before each size starts from another N(0, 0.01^2) draw, which moves the errors by only 0.08 %
to 0.3 % after these few epochs, inside train_rtol (2e-3) but not inside rtol. Over 10 draws
of these inputs (tests/graders/test_data_size.py) every named mistake is more than 3 x rtol
away from the right w_err column in some entry, and from the right b_err column too except
that seeding once can leave the bias (initialised at zero) within it.

`plot_errors` is judged on a results list drawn from `gen` (no training needed): the figure's
lines, scales, labels and legend, read in the kernel and compared here.
"""

import pytest
import torch

from autograder.graders.common import checked, figure_probe
from autograder.judging.checks import CheckFailed, as_number, describe
from autograder.reference import data_size as ref
from autograder.wire.plain import StudentTensor

cell = pytest.mark.cell

PROBE = """
import d2lkit

# Live training boards would only slow the check down; off for this call alone.
_active = d2lkit.ProgressBoard.active
d2lkit.ProgressBoard.active = property(lambda self: False)
try:
    result = estimation_errors(ns, **kwargs)
finally:
    d2lkit.ProgressBoard.active = _active
"""

PLOT_PROBE = figure_probe("plot_errors(results)")


def _int(gen, low, high):
    return int(torch.randint(low, high + 1, (), generator=gen))


def draw(gen, max_epochs=None, seed=None):
    """Three sizes (one below the batch size of 32, one to 100, one to 300), epochs, seed."""
    ns = [_int(gen, 5, 31), _int(gen, 32, 100), _int(gen, 101, 300)]
    kwargs = {
        "max_epochs": max_epochs or _int(gen, 2, 4),
        "seed": _int(gen, 1, 10_000) if seed is None else seed,
    }
    return ns, kwargs


def _table(out, ns, what):
    """The student's rows as float64 columns, after checking their structure and `n`."""
    if not isinstance(out, list | tuple):
        raise CheckFailed(f"{what} should return a list of dicts, but it returned {describe(out)}.")
    if len(out) != len(ns):
        raise CheckFailed(f"{what} returned {len(out)} rows, expected one per size ({len(ns)}).")
    columns = {"w_err": [], "b_err": []}
    for row, n in zip(out, ns, strict=True):
        if not isinstance(row, dict) or not {"n", "w_err", "b_err"} <= set(row):
            keys = f" with keys {sorted(map(str, row))}" if isinstance(row, dict) else ""
            raise CheckFailed(
                f"each row of {what} should be a dict with keys n, w_err and b_err, but one is "
                f"{describe(row)}{keys}."
            )
        got_n = as_number(row["n"], f"the n of a row of {what}")
        if got_n != n:
            raise CheckFailed(
                f"a row of {what} has n = {got_n:g}, expected {n} (in the order given)."
            )
        for key in columns:
            columns[key].append(as_number(row[key], f"the {key} of the row n = {n} of {what}"))
    return {k: torch.tensor(v, dtype=torch.float64) for k, v in columns.items()}


def check_errors(student, expect, ns, kwargs, keys=("w_err", "b_err"), call_ns=None):
    shown = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    call_ns = ns if call_ns is None else call_ns
    what = f"estimation_errors({call_ns!r}, {shown})"
    out = student.run(PROBE, what=what, ns=call_ns, kwargs=kwargs)
    got = _table(out, ns, what)
    full = {"seed": 0, **kwargs}
    right = ref.estimation_errors(ns, **full)
    found = {}

    def named(key):
        if not found:
            found.update(ref.mistakes(ns, full["max_epochs"], full["seed"]))
        return [(m.name, m.value) for m in found[key]]

    for key in keys:
        column = torch.tensor([r[key] for r in right], dtype=torch.float64)
        checked(
            expect.tensor,
            _as_student(got[key]),
            column,
            what=f"the {key} column of {what}",
            mistakes=lambda key=key: named(key),
            trained=False,  # deterministic: see the module docstring
        )


def _as_student(column):
    return StudentTensor(column, "torch.float64", tuple(column.shape), "cpu", False)


@cell("estimation_errors")
def test_weight_errors(student, expect, gen):
    """w_err is the Euclidean norm of the trained weight's error, for every size"""
    ns, kwargs = draw(gen)
    check_errors(student, expect, ns, kwargs, keys=("w_err",))


@cell("estimation_errors")
def test_bias_errors(student, expect, gen):
    """b_err is the absolute error of the trained bias, for every size"""
    ns, kwargs = draw(gen)
    check_errors(student, expect, ns, kwargs, keys=("b_err",))


@cell("estimation_errors")
def test_default_seed(student, expect, gen):
    """without a seed argument the seed is 0"""
    ns, kwargs = draw(gen)
    check_errors(student, expect, ns, {"max_epochs": kwargs["max_epochs"]})


@cell("estimation_errors")
def test_one_epoch_and_many(student, expect, gen):
    """max_epochs is used: one epoch, and five"""
    ns, kwargs = draw(gen, max_epochs=1)
    check_errors(student, expect, ns[:2], kwargs)
    check_errors(student, expect, ns[:2], {**kwargs, "max_epochs": 5})


@cell("estimation_errors")
def test_sizes_as_a_tuple_of_numpy_like_ints(student, expect, gen):
    """sizes passed as a tuple, smallest first or not, each row in the order given"""
    ns, kwargs = draw(gen)
    ns = [ns[2], ns[0]]
    check_errors(student, expect, ns, kwargs, call_ns=tuple(ns))


# --- plot_errors -------------------------------------------------------------------------


def _results(gen):
    """Four rows like estimation_errors': sizes 5 to 10,000, errors falling like 1/sqrt(n)."""
    ns = sorted({_int(gen, 5, 20), _int(gen, 40, 200), _int(gen, 400, 2000), 10_000})
    scale = 0.5 + torch.rand(2, generator=gen)
    return [
        {"n": n, "w_err": float(scale[0]) / n**0.5, "b_err": float(scale[1]) / n**0.5} for n in ns
    ]


def _plot(student, expect, gen):
    results = _results(gen)
    info = student.run(PLOT_PROBE, what="plot_errors(results)", results=results)
    if not isinstance(info, dict) or not isinstance(info.get("axes"), list):
        raise CheckFailed("plot_errors(results) could not be inspected.")
    if not info["axes"]:
        raise CheckFailed(f"plot_errors(results) returned {info['type']} with no axes.")
    ns = torch.tensor([float(r["n"]) for r in results])
    for ax in info["axes"]:
        found = set()
        for line in ax["lines"]:
            if not expect.close(torch.tensor(line["x"]), ns):
                continue
            for key in ("w_err", "b_err"):
                if expect.close(torch.tensor(line["y"]), torch.tensor([r[key] for r in results])):
                    found.add(key)
        if found == {"w_err", "b_err"}:
            return info, ax
    raise CheckFailed(
        "no axes of the figure has two lines with x = the sizes n and y = the w_err and the "
        "b_err of the results (in the order given); plot with ax.plot(ns, errors)."
    )


@cell("plot_errors")
def test_plot_is_a_figure_with_both_errors(student, expect, gen):
    """plot_errors returns a Figure with a w_err line and a b_err line against n"""
    info, _ = _plot(student, expect, gen)
    expect.that(
        info["is_figure"],
        f"plot_errors should return a matplotlib.figure.Figure, but it returned {info['type']}.",
    )


@cell("plot_errors")
def test_plot_log_log(student, expect, gen):
    """both axes of the error plot are in log scale"""
    _, ax = _plot(student, expect, gen)
    expect.that(
        ax["xscale"] == "log" and ax["yscale"] == "log",
        f"the axes have scales x={ax['xscale']!r} and y={ax['yscale']!r}, expected both 'log' "
        "(ax.set_xscale('log'), ax.set_yscale('log') or ax.loglog).",
    )


@cell("plot_errors")
def test_plot_labels_and_legend(student, expect, gen):
    """both axes are labelled and a legend names the two lines"""
    info, ax = _plot(student, expect, gen)
    expect.that(
        bool(ax["xlabel"].strip()) and bool(ax["ylabel"].strip()),
        f"the axes' labels are x={ax['xlabel']!r} and y={ax['ylabel']!r}; label both.",
    )
    entries = len(ax["legend"] or []) + sum(len(g) for g in info["figure_legends"])
    expect.that(entries >= 2, f"the legend has {entries} entries, expected one per line (2).")
