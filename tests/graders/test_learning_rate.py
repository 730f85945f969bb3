"""The learning_rate reference sweeps, sums and rescales as the exercise says, and the grader's
hidden inputs separate stable from diverging rates and keep mistakes clear of the answer."""

import importlib
import math
import warnings

import pytest
import torch

import d2lkit
from autograder.reference import learning_rate as ref


@pytest.fixture(scope="module")
def grader():
    """The hidden grader module, for its input drawing; its `cell` mark is registered only in
    the grading runner's own pytest configuration, so the warning about it is expected here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
        return importlib.import_module("autograder.graders.learning_rate")


@pytest.fixture
def tiny():
    """Noise-free y = 2x + 1, one full batch of 4 examples: plain gradient descent."""
    return d2lkit.SyntheticRegressionData(
        w=[2.0], b=1.0, noise=0.0, num_train=4, num_val=4, batch_size=4, seed=0, shuffle_seed=0
    )


def test_one_epoch_is_one_step_and_a_huge_rate_diverges(tiny):
    X, y = tiny.tensors(train=True)
    Xv, yv = tiny.tensors(train=False)
    torch.manual_seed(2)
    w0 = d2lkit.LinearRegressionScratch(1, 0.1).w.detach()
    r = X @ w0 - y
    w1, b1 = w0 - 0.1 * (X * r).mean(), -0.1 * r.mean()
    small, huge = ref.lr_sweep(tiny, [0.1, 50.0], max_epochs=1, seed=2)
    assert small["val_loss"] == pytest.approx(float(((Xv @ w1 + b1 - yv) ** 2 / 2).mean()))
    assert small["diverged"] is False and huge["diverged"] is True


def test_summed_loss_with_the_divided_rate_steps_like_the_mean():
    data = d2lkit.SyntheticRegressionData(
        w=[1.0, -2.0], b=0.5, num_train=64, batch_size=16, seed=1, shuffle_seed=1
    )
    mean_w, mean_b = ref.trained_weights(d2lkit.LinearRegression, 0.05, data, 2, 0)
    sum_w, sum_b = ref.trained_weights(
        ref.LinearRegressionSum, ref.lr_for_sum(0.05, 16), data, 2, 0
    )
    torch.testing.assert_close(sum_w, mean_w)
    torch.testing.assert_close(sum_b, mean_b)


def test_summed_loss_reshapes_flat_labels():
    got = ref.sum_loss(torch.tensor([[1.0], [2.0]]), torch.tensor([0.0, 4.0]))
    assert float(got) == 5.0


@pytest.mark.parametrize("seed", range(4))
def test_hidden_rates_are_clearly_stable_or_diverging(grader, seed):
    data, lrs, kwargs = grader._problem(torch.Generator().manual_seed(seed))
    sweep = ref.lr_sweep(d2lkit.SyntheticRegressionData(**data), lrs, **kwargs)
    assert [row["diverged"] for row in sweep] == [False, False, True]
    assert all(math.isfinite(row["val_loss"]) for row in sweep[:2])


@pytest.mark.parametrize("seed", range(3))
def test_hidden_inputs_keep_mistakes_away_from_the_right_sweep(grader, seed):
    """Every mistake differs in some entry: a divergence flag, or a loss by > 4 x train_rtol."""
    data, lrs, kwargs = grader._problem(torch.Generator().manual_seed(seed))
    made = d2lkit.SyntheticRegressionData(**data)
    right = ref.lr_sweep(made, lrs, **kwargs)
    for name, sweep in ref.sweep_mistakes(made, lrs, **kwargs):
        gap = 0.0
        for a, b in zip(right, sweep, strict=True):
            if a["diverged"] != b["diverged"]:
                gap = math.inf
            elif not a["diverged"]:
                gap = max(gap, abs(a["val_loss"] - b["val_loss"]) / a["val_loss"])
        assert gap > 8e-3, name
