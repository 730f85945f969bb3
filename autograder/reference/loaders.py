"""Reference answers for loaders (D2L 3.3, exercises 1, 3 and 4), computed with the kit.

`batch_sizes` asks torch's own DataLoader (the loader every kit data module hands out) for the
size of each minibatch; `batch_sizes_mistakes` gives what the known miscounts return on the same
inputs. `FreshData` and `ReproducibleData` are the model solutions of the notebook; the graders
judge a student's classes by behaviour (fresh or repeated passes, labels on the line, torch's
global random state), since the contract fixes what a pass looks like, not which numbers it
draws. The names of the behavioural mistakes live here so that graders and tests share them.
"""

from __future__ import annotations

import torch

import d2lkit
from autograder.judging.checks import Mistake

DROP_LAST_IGNORED = "drop_last ignored (the short last batch kept)"
DROP_FULL_BATCH = "drop_last dropping a full batch when batch_size divides n"
EMPTY_LAST_BATCH = "n // batch_size + 1 batches, an empty last batch when batch_size divides n"
ALL_FULL = "every batch counted as full, the last one too"
SHORT_BATCH_ALWAYS_DROPPED = "the short last batch dropped even with drop_last=False"

ONCE_PER_LOADER = (
    "new examples drawn only when the loader is built: the trainer builds it once and then "
    "passes over it every epoch, so every epoch saw the same examples"
)
DRAWN_ONCE = "examples drawn once in __init__ and reused at every pass"
RESHUFFLED = "the same examples reshuffled at each pass instead of new ones drawn"
LABELS_OFF_LINE = "labels that do not follow y = X w + b + noise for the X they come with"
NO_LEN = "a training loader without len(), which the trainer needs to count its batches"
GLOBAL_RESEED = "a reproducible data module that reseeds torch's global generator"
GLOBAL_DRAWS = "data or shuffling drawn from torch's global generator instead of a seeded one"
SHARED_GENERATOR = (
    "one generator kept across passes, so that each pass shuffles differently; seed a new "
    "torch.Generator at every pass"
)


def batch_sizes(n: int, batch_size: int, drop_last: bool = False) -> list[int]:
    """The size of every minibatch a DataLoader makes of `n` examples."""
    loader = torch.utils.data.DataLoader(range(n), batch_size=batch_size, drop_last=drop_last)
    return [len(batch) for batch in loader]


def batch_sizes_mistakes(n: int, batch_size: int, drop_last: bool) -> list[Mistake]:
    """What each known miscount returns on these inputs."""
    full, rest = divmod(n, batch_size)
    right = batch_sizes(n, batch_size, drop_last)
    found = [
        Mistake(DROP_LAST_IGNORED, batch_sizes(n, batch_size, False)),
        Mistake(EMPTY_LAST_BATCH, [batch_size] * full + ([] if drop_last else [rest])),
        Mistake(ALL_FULL, [batch_size] * (full + (rest > 0 and not drop_last))),
        Mistake(SHORT_BATCH_ALWAYS_DROPPED, [batch_size] * full),
    ]
    if drop_last and rest == 0:
        found.append(Mistake(DROP_FULL_BATCH, [batch_size] * max(full - 1, 0)))
    return [m for m in found if m.value != right]


class _FreshLoader:
    """Iterating draws a new training split; len() is the number of batches of one pass."""

    def __init__(self, data):
        self.data = data

    def __len__(self):
        return len(batch_sizes(self.data.num_train, self.data.batch_size))

    def __iter__(self):
        d = self.data
        X, y = d2lkit.synthetic.linear_data(d.num_train, d.w, d.b, d.noise)
        return iter(d.get_tensorloader((X, y), train=True))


class FreshData(d2lkit.DataModule):
    """Synthetic linear data whose training examples are drawn anew at every pass."""

    def __init__(self, w, b, noise=0.01, num_train=1000, num_val=1000, batch_size=32):
        super().__init__()
        self.save_hyperparameters()
        self.w = torch.as_tensor(w, dtype=torch.float32)
        self.X, self.y = d2lkit.synthetic.linear_data(num_val, self.w, b, noise)

    def get_dataloader(self, train):
        if train:
            return _FreshLoader(self)
        return self.get_tensorloader((self.X, self.y), train=False)


class ReproducibleData(d2lkit.DataModule):
    """Synthetic linear data from its own seeded generator; every pass is the same."""

    def __init__(self, w, b, noise=0.01, num_train=1000, num_val=1000, batch_size=32, seed=0):
        super().__init__()
        self.save_hyperparameters()
        w = torch.as_tensor(w, dtype=torch.float32)
        gen = torch.Generator().manual_seed(seed)
        self.X, self.y = d2lkit.synthetic.linear_data(num_train + num_val, w, b, noise, gen)

    def get_dataloader(self, train):
        rows = slice(0, self.num_train) if train else slice(self.num_train, None)
        return _SeededLoader(self, rows, train)


class _SeededLoader:
    """Each pass shuffles with a generator seeded afresh, never with torch's global one."""

    def __init__(self, data, rows, train):
        self.data, self.rows, self.train = data, rows, train

    def __len__(self):
        return -(-len(self.data.X[self.rows]) // self.data.batch_size)  # short last one too

    def __iter__(self):
        X, y = self.data.X[self.rows], self.data.y[self.rows]
        order = torch.arange(len(X))
        if self.train:
            order = torch.randperm(len(X), generator=torch.Generator().manual_seed(self.data.seed))
        for start in range(0, len(X), self.data.batch_size):
            pick = order[start : start + self.data.batch_size]
            yield X[pick], y[pick]
