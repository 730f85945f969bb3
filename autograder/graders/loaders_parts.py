"""Probes, inputs and readings for the loaders graders (kept apart so that the grader
file reads as its list of checks). Not a grader: the runner collects only `loaders.py`."""

import torch

from autograder.judging.checks import CheckFailed, describe
from autograder.reference import loaders as ref
from autograder.wire.plain import StudentTensor

# Tolerances this exercise states itself (derived in the docstring of graders/loaders.py):
# labels drawn with noise 0 lie on X w + b up to float32 rounding, labels being below 20 in size.
LINE_ATOL = 1e-4
# Training on a right module ends within 0.02 of the truth (measured); 0.1 is allowed.
FIT_ATOL = 0.1
# Both of the above are absolute distances, with no relative part.
ABSOLUTE_ONLY = 0.0

PROBE = """
import torch
import d2lkit

state_before = torch.get_rng_state()
data = cls(**args)
loader = data.train_dataloader()
try:
    length = len(loader)
except TypeError:
    length = None


def _pass(batches):
    Xs, ys = [], []
    for X, y in batches:
        Xs.append(X.detach().clone())
        ys.append(y.detach().clone())
    return {"X": Xs, "y": ys}


first = _pass(loader)
second = _pass(loader)
other = _pass(data.train_dataloader())
state_after = torch.get_rng_state()
twin = _pass(cls(**args).train_dataloader()) if twin else None
val = _pass(data.val_dataloader())
# From another global state: a module that reseeds torch's generator ends where it ended above.
torch.manual_seed(state_seed)
_pass(cls(**args).train_dataloader())
state_again = torch.get_rng_state()
result = {"length": length, "passes": [first, second, other], "twin": twin, "val": val,
          "state_before": state_before, "state_after": state_after, "state_again": state_again}
"""

TRAIN_PROBE = """
import torch
import d2lkit

torch.manual_seed(0)
model = d2lkit.LinearRegression(lr=0.1)
model.board.display = False
data = cls(**args)
d2lkit.Trainer(max_epochs=2).fit(model, data)
w, b = model.get_w_b()
result = {"w": w.detach().clone(), "b": b.detach().clone()}
"""


def int_in(gen, low, high):
    """An integer in [low, high]."""
    return int(torch.randint(low, high + 1, (), generator=gen))


def data_args(gen, noise=0.0, num_train=None, batch_size=None, seed=False):
    """Data arguments: 1 to 3 features, weights and bias of size 0.5 to 4, a batch size that
    does not divide num_train (so a short last batch is there), small splits."""
    d = int_in(gen, 1, 3)
    size = 0.5 + 3.5 * torch.rand(d + 1, generator=gen)
    signs = torch.where(torch.rand(d + 1, generator=gen) < 0.5, -1.0, 1.0)
    values = (size * signs).tolist()
    batch_size = batch_size or int_in(gen, 4, 9)
    num_train = num_train or batch_size * int_in(gen, 3, 6) + int_in(gen, 1, batch_size - 1)
    args = {
        "w": [round(v, 3) for v in values[:d]],
        "b": round(values[d], 3),
        "noise": noise,
        "num_train": num_train,
        "num_val": int_in(gen, 5, 20),
        "batch_size": batch_size,
    }
    if seed:
        args["seed"] = int_in(gen, 0, 2**31 - 1)
    return args


def ask(student, gen, name, args, twin=False):
    shown = ", ".join(f"{k}={v}" for k, v in args.items())
    what = f"{name}({shown})"
    state_seed = int(torch.randint(0, 2**31 - 1, (), generator=gen))
    got = student.run(
        f"cls = {name}\n" + PROBE, what=what, args=args, twin=twin, state_seed=state_seed
    )
    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be inspected.")
    return got, what


def stacked(part, what):
    """One pass as (X, y) float64 tensors, each batch checked to be a pair of tensors."""
    Xs, ys = part["X"], part["y"]
    for X, y in zip(Xs, ys, strict=True):
        if not (isinstance(X, StudentTensor) and isinstance(y, StudentTensor)):
            raise CheckFailed(
                f"a batch of {what} is {describe(X)}, {describe(y)}; expected tensors."
            )
        if X.values is None or y.values is None:
            raise CheckFailed(f"a batch of {what} could not be read.")
    if not Xs:
        raise CheckFailed(f"{what} yielded no batch at all.")
    X = torch.cat([t.values.to(torch.float64) for t in Xs])
    y = torch.cat([t.values.to(torch.float64).reshape(len(t.values), -1) for t in ys])
    return X, y, [len(t.values) for t in Xs]


def same(a, b):
    return a.shape == b.shape and torch.equal(a, b)


def rows_shared(a, b):
    """How many rows of `a` appear in `b` (continuous draws never repeat by chance)."""
    return sum(bool((row == b).all(dim=1).any()) for row in a)


def fresh(got, args, what):
    """FreshData's defining property: a second pass over one loader draws new examples."""
    first, _, _ = stacked(got["passes"][0], f"the first pass of {what}")
    second, _, _ = stacked(got["passes"][1], f"the second pass of {what}")
    other, _, _ = stacked(got["passes"][2], f"a second training loader of {what}")
    if first.shape != second.shape or first.shape[0] != args["num_train"]:
        raise CheckFailed(
            f"the training passes of {what} hold {first.shape[0]} and {second.shape[0]} "
            f"examples; each pass should hold num_train = {args['num_train']}."
        )
    shared = rows_shared(second, first)
    if shared == 0:
        return
    if shared == len(first) and rows_shared(other, first) < len(first):
        cause = ref.ONCE_PER_LOADER  # a new loader draws anew, a new pass does not
    elif shared == len(first):
        cause = ref.DRAWN_ONCE if same(first, second) else ref.RESHUFFLED
    else:
        cause = "some examples kept from one pass to the next"
    raise CheckFailed(
        f"two passes over the training loader of {what} share {shared} of "
        f"{len(first)} examples; every pass should draw new ones. This looks like {cause}."
    )


def on_line(expect, X, y, args, what, split):
    w = torch.tensor(args["w"], dtype=torch.float64).reshape(-1, 1)
    d = w.shape[0]
    if X.shape[1:] != (d,) or y.shape[1:] != (1,):
        raise CheckFailed(
            f"the {split} batches of {what} have X of shape (..., {X.shape[1]}) and y of shape "
            f"(..., {y.shape[1]}); expected ({d},) features and one label per example."
        )
    off = (y - X @ w - args["b"]).abs().max().item()
    if not expect.close(y, X @ w + args["b"], rtol=ABSOLUTE_ONLY, atol=LINE_ATOL):
        raise CheckFailed(
            f"with noise=0, the {split} labels of {what} are up to {off:.3g} off the line "
            f"X w + b. This looks like {ref.LABELS_OFF_LINE}."
        )


def reproducible(got, what):
    """ReproducibleData's defining property: every pass gives the same batches."""
    passes = [stacked(p, what)[:2] for p in got["passes"]]
    (X1, y1), (X2, y2), (X3, y3) = passes
    if same(X1, X2) and same(y1, y2) and same(X1, X3) and same(y1, y3):
        return X1, y1
    if not (same(X1, X3) and same(y1, y3)) and (same(X1, X2) and same(y1, y2)):
        cause = ref.GLOBAL_DRAWS
    elif same(X1, X3) and same(y1, y3):
        cause = ref.SHARED_GENERATOR
    else:
        cause = ref.GLOBAL_DRAWS
    raise CheckFailed(
        f"two passes over the training loader of {what} (or a second loader) gave different "
        f"batches; every pass should give the same ones. This looks like {cause}."
    )


def state_kept(got, what):
    before, after = got["state_before"], got["state_after"]
    if not isinstance(before, StudentTensor) or not isinstance(after, StudentTensor):
        raise CheckFailed(f"torch's random state could not be read around {what}.")
    if torch.equal(before.values, after.values):
        return
    again = got["state_again"]
    reseeded = isinstance(again, StudentTensor) and torch.equal(again.values, after.values)
    cause = ref.GLOBAL_RESEED if reseeded else ref.GLOBAL_DRAWS
    raise CheckFailed(
        f"building {what} and passing over its loaders changed torch's global random state. "
        f"This looks like {cause}; draw from a torch.Generator of your own."
    )


def trains(student, expect, name, args, what):
    """Two epochs of LinearRegression(lr=0.1) on the student's module end near the true line."""
    fit = student.run(f"cls = {name}\n" + TRAIN_PROBE, what=f"training on {what}", args=args)
    w_true = torch.tensor(args["w"], dtype=torch.float64)
    for key, true in (("w", w_true), ("b", torch.tensor([args["b"]], dtype=torch.float64))):
        value = fit.get(key) if isinstance(fit, dict) else None
        if not isinstance(value, StudentTensor) or value.values is None:
            raise CheckFailed(f"training on {what} gave no {key} to read.")
        err = (value.values.to(torch.float64).reshape(-1) - true).abs().max().item()
        expect.that(
            expect.close(
                value.values.to(torch.float64).reshape(-1), true, rtol=ABSOLUTE_ONLY, atol=FIT_ATOL
            ),
            f"two epochs of LinearRegression(lr=0.1) on {what} ended with {key} {err:.3g} away "
            "from the true value; it should be within 0.1.",
        )
