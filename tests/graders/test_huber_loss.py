"""The reference answers of huber_loss.ipynb agree with PyTorch and with the notebook."""

import pytest
import torch

from autograder.notebooks import run_namespace
from autograder.reference import huber_loss as ref


@pytest.fixture
def residuals():
    gen = torch.Generator().manual_seed(0)
    y = torch.randn(50, 1, generator=gen)
    return y + 3 * torch.randn(50, 1, generator=gen), y


@pytest.mark.parametrize("sigma", [0.3, 1.0, 2.5])
def test_reference_equals_smooth_l1_loss(residuals, sigma):
    y_hat, y = residuals
    expected = torch.nn.SmoothL1Loss(beta=sigma, reduction="none")(y_hat, y)
    torch.testing.assert_close(ref.huber_loss(y_hat, y, sigma), expected)


@pytest.mark.parametrize("sigma", [0.3, 2.5])
def test_huber_factor_mistake_is_torch_huber_loss(residuals, sigma):
    y_hat, y = residuals
    expected = torch.nn.HuberLoss(delta=sigma, reduction="none")(y_hat, y)
    torch.testing.assert_close(ref.huber_loss_factor(y_hat, y, sigma), expected)


def test_reference_is_continuous_at_sigma():
    sigma = 0.75
    r = torch.tensor([[sigma - 1e-6], [sigma + 1e-6]], dtype=torch.float64)
    values = ref.huber_loss(r, torch.zeros(2, 1, dtype=torch.float64), sigma)
    torch.testing.assert_close(
        values, torch.full((2, 1), sigma / 2, dtype=torch.float64), rtol=0, atol=2e-6
    )


def test_flat_labels_are_reshaped_not_broadcast(residuals):
    y_hat, y = residuals
    assert ref.huber_loss(y_hat, y.reshape(-1), 1.0).shape == y_hat.shape
    assert ref.huber_broadcast(y_hat, y.reshape(-1), 1.0).shape == (50, 50)


def test_every_mistake_differs_from_the_reference(residuals):
    y_hat, y = residuals
    right = ref.huber_loss(y_hat, y, 0.5)
    for name, value in ref.mistakes(y_hat, y.reshape(-1), 0.5):
        same = value.shape == right.shape and torch.allclose(value, right)
        assert not same, name


def test_reference_model_loss_is_the_mean(residuals):
    y_hat, y = residuals
    model = ref.HuberRegression(lr=0.1, sigma=0.5)
    torch.testing.assert_close(model.loss(y_hat, y), ref.huber_loss(y_hat, y, 0.5).mean())


def test_training_run_is_reproducible():
    gen = torch.Generator().manual_seed(3)
    setup = ref.fit_setup(gen, 12345)
    first, second = ref.fit_run(**setup), ref.fit_run(**setup)
    for a, b in zip(first, second, strict=True):
        assert torch.equal(a, b)


def test_experiment_shows_the_robust_loss_wins():
    err_huber, err_mse = ref.experiment()
    assert err_huber < err_mse / 10


def test_notebook_experiment_matches_the_reference_setup():
    namespace = run_namespace("linear_regression", "huber_loss")
    err_huber, err_mse = ref.experiment()
    assert float(namespace["err_huber"]) == pytest.approx(err_huber, rel=1e-5)
    assert float(namespace["err_mse"]) == pytest.approx(err_mse, rel=1e-5)


def test_boundary_and_column_mistakes_show_only_where_they_differ():
    sigma = 0.75
    y = torch.tensor([0.0, 0.5, -0.25])
    at_sigma = y + torch.tensor([sigma, -sigma, 0.1])
    names = dict(ref.mistakes(at_sigma, y, sigma))
    assert names[ref.BOUNDARY_GAP][0] == 0 and ref.huber_loss(at_sigma, y, sigma)[0] == sigma / 2
    assert names[ref.COLUMN].shape == (3, 3)  # a 1-D y_hat against a column y
    inside = dict(ref.mistakes(at_sigma.reshape(3, 1) * 0, y, sigma))
    assert ref.BOUNDARY_GAP not in inside and ref.COLUMN not in inside
