"""Probes, hidden inputs and answer parsing for the lambda_sweep graders (kept apart so that
the grader file reads as its list of checks). Not a grader: the runner collects only
`lambda_sweep.py`."""

import torch

from autograder.graders.common import figure_probe
from autograder.judging.checks import CheckFailed, as_number, describe
from autograder.reference import lambda_sweep as ref
from autograder.wire.plain import StudentTensor

SWEEP_PROBE = """
import d2lkit

data = d2lkit.Data(**data_args, seed=data_seed)
# Live training boards would redraw for every fit the probe asks for; switch them off for the
# duration of the call (and only for it: the kernel may run more cells afterwards).
_active = d2lkit.ProgressBoard.active
d2lkit.ProgressBoard.active = property(lambda self: False)
try:
    result = sweep(data, lambdas, **kwargs)
finally:
    d2lkit.ProgressBoard.active = _active
"""

PLOT_PROBE = figure_probe("plot_sweep(results)")


def setting(gen):
    """Hidden lambdas (0 and two others), epochs, learning rate and seed for one sweep."""
    others = sorted(round(v, 3) for v in (torch.rand(2, generator=gen) * 9 + 1).tolist())
    kwargs = {
        "max_epochs": int(torch.randint(2, 5, (1,), generator=gen)),
        "lr": round(0.02 + 0.03 * float(torch.rand(1, generator=gen)), 4),
        "seed": int(torch.randint(0, 10_000, (1,), generator=gen)),
    }
    return [0.0, *others], kwargs


def student_sweep(student, lambdas, kwargs, data_seed):
    """The student's sweep on the hidden data, as {key: float64 column}, and its description."""
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
    return table(out, lambdas, what), what


def table(out, lambdas, what):
    """The student's rows as {key: float64 column}, after checking their structure."""
    if not isinstance(out, list | tuple):
        raise CheckFailed(f"{what} should return a list of dicts, but it returned {describe(out)}.")
    if len(out) != len(lambdas):
        raise CheckFailed(
            f"{what} returned {len(out)} results for {len(lambdas)} lambdas; expected one dict "
            "per lambda, in the given order."
        )
    for row in out:
        if not isinstance(row, dict):
            raise CheckFailed(
                f"each result of {what} should be a dict, but one is {describe(row)}."
            )
        missing = [k for k in ref.KEYS if k not in row]
        if missing:
            raise CheckFailed(
                f"a result of {what} has keys {sorted(row)}; it lacks {', '.join(missing)} "
                f"(expected keys: {', '.join(ref.KEYS)})."
            )
    return {
        key: torch.tensor(
            [as_number(row[key], f"{key} in {what}") for row in out], dtype=torch.float64
        )
        for key in ref.KEYS
    }


def as_student(column):
    """A column of the student's numbers, in the form expect.tensor compares."""
    return StudentTensor(column, "torch.float64", tuple(column.shape), "cpu", False)


def random_results(gen, n=5):
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


def near_tie_results(gen, n=5):
    """Results whose lowest val_loss is 1e-9 below the one of an earlier lambda: any rounding
    before comparing (round(), float32) takes the earlier one."""
    results = random_results(gen, n)
    # j / 64 is exact in float32 and in six decimals, so low + 1e-9 rounds to low in both: an
    # answer that rounds fails for every student, not only for some.
    low = int(torch.randint(8, 33, (), generator=gen)) / 64
    early, late = sorted(torch.randperm(n, generator=gen)[:2].tolist())
    for r in results:
        r["val_loss"] += 0.5  # clear of the two near-tied ones
    results[early]["val_loss"] = low + 1e-9
    results[late]["val_loss"] = low
    return results, early, late


def loss_axes(expect, results, info):
    """The axes holding a train line and a val line against the lambdas, or None."""
    lambdas = torch.tensor([r["lambd"] for r in results])
    for ax in info["axes"]:
        found = set()
        for line in ax["lines"]:
            if not expect.close(torch.tensor(line["x"]), lambdas):
                continue
            for key in ("train_loss", "val_loss"):
                if expect.close(torch.tensor(line["y"]), torch.tensor([r[key] for r in results])):
                    found.add(key)
        if found == {"train_loss", "val_loss"}:
            return ax
    return None
