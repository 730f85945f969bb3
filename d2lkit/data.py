"""DataModule: the base class that hands data loaders to the Trainer."""

import torch

from d2lkit.hyperparameters import HyperParameters

__all__ = ["DataModule"]


class DataModule(HyperParameters):
    """Base class for data sets.

    Subclasses implement `get_dataloader(train)` (usually with `get_tensorloader`) and set
    `batch_size`. Shuffling of the training loader draws from torch's global RNG, so
    `torch.manual_seed(s)` before a fit fixes the batches, as in the book. A subclass that
    sets `shuffle_seed` to an int instead gets a fresh `torch.Generator` seeded with it each
    time `train_dataloader()` is called, so every fit sees the same batch sequence.
    """

    def __init__(self, root="../data", num_workers=4):
        # num_workers is kept for book code that reads it; tensor loaders ignore it (see below).
        self.save_hyperparameters()

    def get_dataloader(self, train):
        raise NotImplementedError(
            f"{type(self).__name__} does not define get_dataloader(self, train); implement it, "
            "e.g. return self.get_tensorloader((self.X, self.y), train, indices)"
        )

    def train_dataloader(self):
        return self.get_dataloader(train=True)

    def val_dataloader(self):
        return self.get_dataloader(train=False)

    def get_tensorloader(self, tensors, train, indices=slice(0, None)):
        """A DataLoader over rows `indices` of `tensors`, shuffled when `train` is true."""
        batch_size = self._checked_batch_size()
        tensors = tuple(t[indices] for t in tensors)
        dataset = torch.utils.data.TensorDataset(*tensors)
        generator = None
        shuffle_seed = getattr(self, "shuffle_seed", None)
        if train and shuffle_seed is not None:
            generator = torch.Generator().manual_seed(int(shuffle_seed))
        # No worker processes: the data already sit in memory, and on a 2-core machine
        # workers only add start-up time and pickling.
        return torch.utils.data.DataLoader(
            dataset, batch_size, shuffle=train, generator=generator, num_workers=0
        )

    def tensors(self, train):
        """The whole training (first `num_train` rows) or validation split, as (X, y)."""
        missing = [name for name in ("X", "y", "num_train") if not hasattr(self, name)]
        if missing:
            raise TypeError(
                f"{type(self).__name__}.tensors() needs attributes X, y and num_train "
                f"(missing: {', '.join(missing)}); set them in __init__ or override tensors()"
            )
        rows = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.X[rows], self.y[rows]

    def _checked_batch_size(self):
        batch_size = getattr(self, "batch_size", None)
        if batch_size is None:
            raise TypeError(
                f"{type(self).__name__} has no batch_size, so no data loader can be built; "
                "add a batch_size argument to __init__ and call self.save_hyperparameters()"
            )
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        return batch_size
