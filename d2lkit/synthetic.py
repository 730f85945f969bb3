"""Synthetic regression data sets of chapter 3: y = Xw + b + noise."""

import torch

from d2lkit.checks import check_non_negative, check_positive_int
from d2lkit.data import DataModule

__all__ = ["Data", "OutlierRegressionData", "SyntheticRegressionData", "WeightDecayData"]


def make_generator(seed=None, generator=None):
    """The generator to draw from: a new one seeded with `seed`, `generator`, or None (global)."""
    if seed is not None and generator is not None:
        raise ValueError("pass either seed or generator, not both")
    if generator is not None:
        if not isinstance(generator, torch.Generator):
            raise TypeError(f"generator must be a torch.Generator, got {type(generator).__name__}")
        return generator
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise TypeError(f"seed must be an int, got {type(seed).__name__} ({seed!r})")
        return torch.Generator().manual_seed(seed)
    return None


def linear_data(n, w, b, noise, generator=None):
    """Draw X ~ N(0, 1) of shape (n, len(w)) and y = X w + b + noise * N(0, 1) of shape (n, 1).

    X is drawn before the noise, the book's order, so with the global RNG and the same
    `torch.manual_seed` the data match the book's exactly.
    """
    X = torch.randn(n, len(w), generator=generator)
    eps = torch.randn(n, 1, generator=generator) * noise
    y = torch.matmul(X, w.reshape((-1, 1))) + b + eps
    return X, y


class _SplitData(DataModule):
    """Rows [0, num_train) are the training split, the rest the validation split."""

    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)


class SyntheticRegressionData(_SplitData):
    """Linear data with Gaussian noise (D2L 3.3).

    With `seed` or `generator` the data are bit-identical across runs; with neither they come
    from torch's global RNG, as in the book.
    """

    def __init__(
        self,
        w,
        b,
        noise=0.01,
        num_train=1000,
        num_val=1000,
        batch_size=32,
        seed=None,
        generator=None,
        shuffle_seed=None,
    ):
        super().__init__()
        # Accept lists and integer tensors too: X is float32, so w must be as well.
        w = torch.as_tensor(w, dtype=torch.float32)
        check_non_negative("noise", noise)
        check_positive_int("num_train", num_train)
        check_non_negative("num_val", num_val)
        self.save_hyperparameters(ignore=["generator"])
        gen = make_generator(seed, generator)
        self.X, self.y = linear_data(num_train + num_val, w, b, noise, gen)
        self._generator = gen  # subclasses continue drawing from the same stream


class OutlierRegressionData(SyntheticRegressionData):
    """SyntheticRegressionData with a few gross label errors in the training split.

    The extra arguments come last, so positional calls written for the parent class still
    mean the same thing. After the clean data are drawn, `num_outliers` training rows (picked
    with the same generator) get `outlier_scale` added to or subtracted from their label. The
    validation split stays clean, so it measures how well the true line was recovered. The
    chosen rows are kept in `outlier_indices`.
    """

    def __init__(
        self,
        w,
        b,
        noise=0.01,
        num_train=1000,
        num_val=1000,
        batch_size=32,
        seed=None,
        generator=None,
        shuffle_seed=None,
        num_outliers=10,
        outlier_scale=20.0,
    ):
        # Converted here too: save_hyperparameters below re-reads this frame's `w`.
        w = torch.as_tensor(w, dtype=torch.float32)
        super().__init__(w, b, noise, num_train, num_val, batch_size, seed, generator, shuffle_seed)
        if isinstance(num_outliers, bool) or not isinstance(num_outliers, int):
            raise TypeError(f"num_outliers must be an int, got {num_outliers!r}")
        if not 0 <= num_outliers <= num_train:
            raise ValueError(
                f"num_outliers must be between 0 and num_train={num_train}, got {num_outliers}"
            )
        check_non_negative("outlier_scale", outlier_scale)
        self.save_hyperparameters(ignore=["generator"])
        gen = self._generator
        rows = torch.randperm(num_train, generator=gen)[:num_outliers]
        signs = torch.randint(0, 2, (num_outliers, 1), generator=gen) * 2 - 1
        self.y[rows] += signs.to(self.y.dtype) * outlier_scale
        self.outlier_indices = rows.sort().values


class Data(_SplitData):
    """The weight-decay data set of D2L 3.7: many inputs, few examples.

    True weight 0.01 * ones(num_inputs, 1), true bias 0.05, label noise 0.01. Seeding works
    as for SyntheticRegressionData.
    """

    def __init__(
        self,
        num_train,
        num_val,
        num_inputs,
        batch_size,
        seed=None,
        generator=None,
        shuffle_seed=None,
    ):
        check_positive_int("num_train", num_train)
        check_non_negative("num_val", num_val)
        check_positive_int("num_inputs", num_inputs)
        self.save_hyperparameters(ignore=["generator"])
        self.w = torch.ones((num_inputs, 1)) * 0.01
        self.b = 0.05
        gen = make_generator(seed, generator)
        self.X, self.y = linear_data(num_train + num_val, self.w, self.b, 0.01, gen)


# The course's descriptive name for the same data set.
WeightDecayData = Data
