"""Per-epoch record of everything a model plots during a fit."""

import math
from collections.abc import Mapping

import torch

__all__ = ["History"]


class History(Mapping):
    """Mapping from series name to one float per epoch.

    Series are named like the board's lines: 'train_loss', 'val_loss', and 'train_<key>' /
    'val_<key>' for anything else a model plots. During an epoch the values arrive as detached
    tensors and are only appended to a list (cheap per batch); `end_epoch` turns each series'
    batch values into their mean, one float, once per epoch.

    `train_loss` and `val_loss` always exist (empty until something is recorded); a series
    that first appears in a later epoch is padded with NaN so index i is always epoch i + 1.
    """

    def __init__(self):
        self._series = {"train_loss": [], "val_loss": []}
        self._pending = {}
        self.epochs = 0

    # Recording -------------------------------------------------------------------------------
    def add(self, name, value):
        """Record one batch value of series `name` for the current epoch."""
        if not isinstance(value, torch.Tensor):
            value = torch.as_tensor(float(value))
        value = value.detach()
        pending = self._pending.get(name)
        if pending is None:
            self._pending[name] = [value]
        else:
            pending.append(value)

    def end_epoch(self):
        """Close the epoch: append each series' batch mean; return {name: mean} for the epoch."""
        means = {}
        for name, values in self._pending.items():
            if values:
                means[name] = _mean(name, values)
        for name, series in self._series.items():
            if series and name not in means:
                # A series seen before but silent this epoch: keep it aligned with the epochs.
                series.append(math.nan)
        for name, mean in means.items():
            series = self._series.setdefault(name, [])
            series.extend([math.nan] * (self.epochs - len(series)))
            series.append(mean)
        self._pending = {}
        self.epochs += 1
        return means

    # Reading ---------------------------------------------------------------------------------
    @property
    def train_loss(self):
        return self._series["train_loss"]

    @property
    def val_loss(self):
        return self._series["val_loss"]

    def to_dict(self):
        """A plain dict of copies of every series (safe to store or serialise)."""
        return {name: list(series) for name, series in self._series.items()}

    def __getitem__(self, name):
        return self._series[name]

    def __iter__(self):
        return iter(self._series)

    def __len__(self):
        return len(self._series)

    def __repr__(self):
        parts = []
        for name, series in self._series.items():
            last = f"{series[-1]:.4g}" if series else "-"
            parts.append(f"{name}: {len(series)} epochs, last {last}")
        return "History(" + "; ".join(parts) + ")"


def _mean(name, values):
    try:
        stacked = torch.stack([v.reshape(()) for v in values])
    except RuntimeError:
        shapes = sorted({tuple(v.shape) for v in values})
        raise ValueError(
            f"plot('{name}', value): value must be a scalar (one element), got shapes {shapes}; "
            "plot a reduced quantity such as loss.mean()"
        ) from None
    # float64 so a long epoch's mean does not lose precision to float32 summation.
    return stacked.to(torch.float64).mean().item()
