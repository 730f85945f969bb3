"""Reference answers for data_size (D2L 3.5, exercise 5), computed with the kit.

`estimation_errors` trains the contract's d2lkit.LinearRegression once per training-set size;
`mistakes` computes, on the same arguments, what the ways students get it wrong return, as
columns (n, w_err, b_err) so a grader can name the mistake a student's numbers match.
"""

from __future__ import annotations

import torch

import d2lkit
from autograder.judging.checks import Mistake

TRUE_W = (2.0, -3.4)
TRUE_B = 4.2

SQUARED = "the squared norm of the weight error where its norm is asked"
L1_NORM = "the sum of absolute weight errors where the Euclidean norm is asked"
SIGNED_BIAS = "the signed bias error b - 4.2 where its absolute value is asked"
BROADCAST = (
    "the weight error taken between a (1, 2) and a (2, 1) tensor, which broadcasts to (2, 2)"
)
SEED_ONCE = "torch.manual_seed(seed) called once, not right before building each model"
NO_SHUFFLE_SEED = "the data built without shuffle_seed=seed, so the batch order is not fixed"
EPOCHS_IGNORED = "max_epochs ignored (a fixed number of epochs trained)"
LR_WRONG = "a learning rate other than the 0.03 asked"


def make_data(n, seed, shuffle=True):
    return d2lkit.SyntheticRegressionData(
        w=list(TRUE_W),
        b=TRUE_B,
        num_train=n,
        num_val=100,
        batch_size=min(32, n),
        seed=seed,
        shuffle_seed=seed if shuffle else None,
    )


def _train(data, max_epochs, seed, lr=0.03, reseed=True):
    if reseed:
        torch.manual_seed(seed)
    model = d2lkit.LinearRegression(lr=lr)
    model.board.display = False  # nobody watches the reference train
    d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
    w, b = model.get_w_b()
    return w.detach().reshape(-1).double(), float(b.detach().reshape(-1)[0])


def _errors(w, b, kind="right"):
    true_w = torch.tensor(TRUE_W, dtype=torch.float64)
    diff = w - true_w
    w_err = {
        "squared": float((diff**2).sum()),
        "l1": float(diff.abs().sum()),
        "broadcast": float(torch.linalg.norm(w.reshape(1, -1) - true_w.reshape(-1, 1))),
    }.get(kind, float(torch.linalg.norm(diff)))
    b_err = b - TRUE_B if kind == "signed" else abs(b - TRUE_B)
    return w_err, b_err


def estimation_errors(ns, max_epochs, seed=0) -> list[dict]:
    """One dict (n, w_err, b_err) per training-set size, as the contract asks."""
    rows = []
    for n in ns:
        w, b = _train(make_data(int(n), seed), max_epochs, seed)
        w_err, b_err = _errors(w, b)
        rows.append({"n": int(n), "w_err": w_err, "b_err": b_err})
    return rows


def _columns(rows):
    return {k: torch.tensor([r[k] for r in rows], dtype=torch.float64) for k in ("w_err", "b_err")}


def mistakes(ns, max_epochs, seed) -> dict[str, list[Mistake]]:
    """{"w_err": [...], "b_err": [...]}: each known mistake's column on the same arguments."""
    runs = {}
    torch.manual_seed(seed)
    runs[SEED_ONCE] = [_train(make_data(n, seed), max_epochs, seed, reseed=False) for n in ns]
    torch.manual_seed(seed + 1)  # the global shuffle draws from wherever the generator stands
    runs[NO_SHUFFLE_SEED] = [_train(make_data(n, seed, False), max_epochs, seed) for n in ns]
    fixed = 3 if max_epochs != 3 else 10
    runs[EPOCHS_IGNORED] = [_train(make_data(n, seed), fixed, seed) for n in ns]
    runs[LR_WRONG] = [_train(make_data(n, seed), max_epochs, seed, lr=0.01) for n in ns]
    right = [_train(make_data(n, seed), max_epochs, seed) for n in ns]
    found = {"w_err": [], "b_err": []}
    for name, kind in ((SQUARED, "squared"), (L1_NORM, "l1"), (BROADCAST, "broadcast")):
        rows = [dict(zip(("w_err", "b_err"), _errors(w, b, kind), strict=True)) for w, b in right]
        found["w_err"].append(Mistake(name, _columns(rows)["w_err"]))
    rows = [dict(zip(("w_err", "b_err"), _errors(w, b, "signed"), strict=True)) for w, b in right]
    found["b_err"].append(Mistake(SIGNED_BIAS, _columns(rows)["b_err"]))
    for name, runs_of in runs.items():
        rows = [dict(zip(("w_err", "b_err"), _errors(w, b), strict=True)) for w, b in runs_of]
        for key, column in _columns(rows).items():
            found[key].append(Mistake(name, column))
    return found
