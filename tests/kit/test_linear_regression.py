"""Both linear regressions converge to least squares; the LazyLinear init really happens."""

import pytest
import torch
from torch import nn

import d2lkit as d2l


def test_scratch_converges_to_least_squares(line_data, lstsq):
    torch.manual_seed(0)
    model = d2l.LinearRegressionScratch(num_inputs=2, lr=0.5)
    d2l.Trainer(max_epochs=60).fit(model, line_data)
    w_star, b_star = lstsq(*line_data.tensors(train=True))
    torch.testing.assert_close(model.w.detach().double(), w_star, atol=1e-4, rtol=0)
    torch.testing.assert_close(model.b.detach().double(), b_star.reshape(1), atol=1e-4, rtol=0)


def test_concise_converges_to_least_squares(line_data, lstsq):
    torch.manual_seed(0)
    model = d2l.LinearRegression(lr=0.3)
    d2l.Trainer(max_epochs=60).fit(model, line_data)
    w, b = model.get_w_b()
    w_star, b_star = lstsq(*line_data.tensors(train=True))
    torch.testing.assert_close(w.double(), w_star.T, atol=1e-4, rtol=0)
    torch.testing.assert_close(b.double(), b_star.reshape(1), atol=1e-4, rtol=0)


def test_get_w_b_shapes():
    model = d2l.LinearRegression(lr=0.1)
    model(torch.randn(4, 3))
    w, b = model.get_w_b()
    assert w.shape == (1, 3)
    assert b.shape == (1,)


def test_lazy_weight_is_normal_001_and_bias_zero_after_first_forward():
    torch.manual_seed(0)
    model = d2l.LinearRegression(lr=0.1)
    model(torch.randn(2, 400))
    w, b = model.get_w_b()
    # PyTorch's default init for 400 inputs has std 1/sqrt(3*400) ~ 0.029, far from 0.01.
    assert 0.009 < w.std().item() < 0.011
    assert abs(w.mean().item()) < 0.002
    assert torch.equal(b, torch.zeros(1))


def test_book_package_init_is_lost_without_the_fix():
    # The oracle for the fault being fixed: initialising a LazyLinear before it has weights.
    torch.manual_seed(0)
    net = nn.LazyLinear(1)
    net.weight.data.normal_(0, 0.01)
    net.bias.data.fill_(0)
    net(torch.randn(2, 400))
    assert net.weight.std().item() > 0.02
    assert net.bias.item() != 0


def test_lazy_init_happens_once_and_apply_init_overrides():
    model = d2l.LinearRegression(lr=0.1)
    model(torch.randn(2, 5))
    with torch.no_grad():
        model.net.weight.fill_(1.0)
    model(torch.randn(2, 5))
    assert torch.equal(model.net.weight, torch.ones(1, 5)), "the init hook must not fire again"

    other = d2l.LinearRegression(lr=0.1)
    other.apply_init([torch.randn(2, 5)], lambda m: nn.init.constant_(m.weight, 0.5))
    assert torch.equal(other.net.weight, torch.full((1, 5), 0.5))


def test_generator_gives_bit_identical_init():
    models = [
        d2l.LinearRegression(lr=0.1, generator=torch.Generator().manual_seed(7)) for _ in "ab"
    ]
    for model in models:
        model(torch.randn(2, 50))
    assert torch.equal(models[0].net.weight, models[1].net.weight)
    scratch = [
        d2l.LinearRegressionScratch(50, lr=0.1, generator=torch.Generator().manual_seed(7))
        for _ in "ab"
    ]
    assert torch.equal(scratch[0].w, scratch[1].w)


@pytest.mark.parametrize("y_shape", [(8, 1), (8,)])
def test_losses_match_torch_mse(y_shape):
    torch.manual_seed(0)
    y_hat, y = torch.randn(8, 1), torch.randn(y_shape)
    oracle = nn.MSELoss()(y_hat, y.reshape(8, 1))
    concise = d2l.LinearRegression(lr=0.1).loss(y_hat, y)
    scratch = d2l.LinearRegressionScratch(1, lr=0.1).loss(y_hat, y)
    torch.testing.assert_close(concise, oracle)
    torch.testing.assert_close(scratch, oracle / 2)


def test_scratch_sgd_step_matches_hand_update():
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    w.grad = torch.tensor([0.5, 0.25])
    optim = d2l.SGD([w], lr=0.1)
    optim.step()
    torch.testing.assert_close(w.detach(), torch.tensor([0.95, -2.025]))
    optim.zero_grad()
    assert torch.equal(w.grad, torch.zeros(2))
