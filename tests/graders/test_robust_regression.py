"""The robust_regression reference computes the exercise's numbers, and the grader's hidden
inputs keep every known mistake of outlier_errors clear of the right answer."""

import importlib
import warnings

import pytest
import torch

import d2lkit
from autograder.reference import robust_regression as ref


@pytest.fixture(scope="module")
def grader():
    """The hidden grader module, for its input drawing; its `cell` mark is registered only in
    the grading runner's own pytest configuration, so the warning about it is expected here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
        return importlib.import_module("autograder.graders.robust_regression")


@pytest.fixture
def tiny():
    """Noise-free y = 2x + 1, one full batch of 4 examples: plain gradient descent."""
    return d2lkit.SyntheticRegressionData(
        w=[2.0], b=1.0, noise=0.0, num_train=4, num_val=4, batch_size=4, seed=0, shuffle_seed=0
    )


def test_abs_loss_is_elementwise_and_reshapes_flat_labels():
    got = ref.abs_loss(torch.tensor([[1.0], [-2.0]]), torch.tensor([0.0, 1.0]))
    torch.testing.assert_close(got, torch.tensor([[1.0], [3.0]]))


def test_one_epoch_is_one_gradient_step_on_the_planted_label(tiny):
    X, y = tiny.tensors(train=True)
    dirty = y.clone()
    dirty[2] = 50.0
    torch.manual_seed(5)
    w0 = d2lkit.LinearRegressionScratch(1, 0.1).w.detach()
    w1 = w0 - 0.1 * (X * (X @ w0 - dirty)).mean()
    got = ref.outlier_errors(ref.squared, tiny, 2, 50.0, lr=0.1, max_epochs=1, seed=5)
    assert got == pytest.approx(abs(w1.item() - 2.0), rel=1e-5)


def test_the_caller_s_data_stay_clean(tiny):
    before = tiny.y.clone()
    ref.outlier_errors(ref.abs_loss, tiny, 0, 1e4, lr=0.1, max_epochs=2)
    assert torch.equal(tiny.y, before)


def test_absolute_loss_ignores_the_outlier_s_size_and_squared_loss_follows_it(tiny):
    sq = [ref.outlier_errors(ref.squared, tiny, 0, v, 0.1, 3) for v in (100.0, 1000.0)]
    ab = [ref.outlier_errors(ref.abs_loss, tiny, 0, v, 0.1, 3) for v in (100.0, 1000.0)]
    assert sq[1] > 5 * sq[0]
    assert ab[0] == ab[1]


def test_batch_switch_is_named_where_residuals_cancel():
    y = torch.zeros(4, 1)
    names = [name for name, _ in ref.abs_mistakes(torch.tensor([[3.0], [-3.0], [2.0], [-2.0]]), y)]
    assert names[0] == ref.BATCH_SWITCH


@pytest.mark.parametrize("seed", range(3))
def test_float64_training_agrees_far_inside_the_tolerance(grader, seed):
    """The derivation of the grader's tolerance: right answers differ by rounding only."""
    data_args, kwargs = grader._problem(torch.Generator().manual_seed(seed))
    data = d2lkit.SyntheticRegressionData(**data_args)
    wide = d2lkit.SyntheticRegressionData(**data_args)
    wide.X, wide.y = wide.X.double(), wide.y.double()
    got = ref.outlier_errors(ref.squared, data, **kwargs)
    dirty = ref.planted(wide, kwargs["outlier_index"], kwargs["outlier_value"])
    torch.manual_seed(kwargs["seed"])
    model = ref.quiet(d2lkit.LinearRegressionScratch(len(data_args["w"]), kwargs["lr"]))
    model.w = model.w.detach().double().requires_grad_(True)
    model.b = model.b.detach().double().requires_grad_(True)
    model.loss = ref.squared_mean
    d2lkit.Trainer(max_epochs=kwargs["max_epochs"]).fit(model, dirty)
    assert got == pytest.approx(ref.weight_error(model.w.float(), data), rel=1e-5)


@pytest.mark.parametrize("seed", range(3))
def test_hidden_inputs_keep_mistakes_away_from_the_right_error(grader, seed):
    """Each mistake is at least 4 x train_rtol away in one of the four value checks."""
    draws = [("squared", (50.0, 500.0)), ("abs", (50.0, 500.0)), ("squared", (4.0, 12.0))]
    best = {}
    for i, (loss, size) in enumerate(draws):
        data_args, kwargs = grader._problem(torch.Generator().manual_seed(10 * seed + i), size)
        data = d2lkit.SyntheticRegressionData(**data_args)
        if size[0] < 50:  # as test_outlier_replaces_the_label picks the row
            rows = min(data_args["num_train"], data_args["num_val"])
            kwargs["outlier_index"] = int(data.y.reshape(-1)[:rows].abs().argmax())
        right = ref.outlier_errors(grader.LOSSES[loss], data, **kwargs)
        for name, value in ref.outlier_mistakes(grader.LOSSES[loss], data, **kwargs):
            best[name] = max(best.get(name, 0.0), abs(value - right) / right)
    assert {name for name, gap in best.items() if gap < 8e-3} == set()
