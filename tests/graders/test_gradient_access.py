"""The closed-form gradients of gradient_access's reference agree with autograd and the kit."""

import torch

import d2lkit
from autograder.reference import gradient_access as ref


def problem(seed=0, n=7, d=3):
    gen = torch.Generator().manual_seed(seed)
    W, b = torch.randn(1, d, generator=gen), torch.randn(1, generator=gen)
    X, y = torch.randn(n, d, generator=gen), torch.randn(n, 1, generator=gen)
    return W, b, X, y


def kit_model(W, b, X):
    model = d2lkit.LinearRegression(lr=0.1)
    with torch.no_grad():
        model(X)
        model.net.weight.copy_(W)
        model.net.bias.copy_(b)
    return model


def autograd_grads(model, X, y, loss=None):
    loss = (loss or model.loss)(model(X), y)
    return torch.autograd.grad(loss, [model.net.weight, model.net.bias])


def test_closed_form_matches_autograd_of_the_kit_loss():
    W, b, X, y = problem()
    expected = autograd_grads(kit_model(W, b, X), X, y)
    for got, want in zip(ref.mse_grads(W, b, X, y), expected, strict=True):
        torch.testing.assert_close(got, want.double())


def test_closed_form_shapes_match_the_parameters():
    W, b, X, y = problem(d=4)
    grad_W, grad_b = ref.mse_grads(W, b, X, y)
    assert grad_W.shape == (1, 4) and grad_b.shape == (1,)


def test_flat_labels_give_the_same_gradients():
    W, b, X, y = problem(seed=1)
    for a, c in zip(ref.mse_grads(W, b, X, y.reshape(-1)), ref.mse_grads(W, b, X, y), strict=True):
        torch.testing.assert_close(a, c)


def test_missing_two_is_the_scratch_loss_gradient():
    W, b, X, y = problem(seed=2)
    model = kit_model(W, b, X)
    scratch = autograd_grads(model, X, y, loss=d2lkit.squared_loss)
    mistake = ref.full_batch_mistakes(W, b, X, y)[ref.MISSING_TWO]
    for got, want in zip(mistake, scratch, strict=True):
        torch.testing.assert_close(got, want.double())


def test_broadcast_mistake_is_what_plain_subtraction_gives():
    W, b, X, y = problem(seed=3)
    model = kit_model(W, b, X)
    y_flat = y.reshape(-1)
    plain = autograd_grads(model, X, y_flat, loss=lambda y_hat, y: ((y_hat - y) ** 2).mean())
    mistake = ref.full_batch_mistakes(W, b, X, y_flat)[ref.BROADCAST]
    for got, want in zip(mistake, plain, strict=True):
        torch.testing.assert_close(got, want.double())


def test_trained_grads_are_the_last_minibatch_gradient():
    setup = {
        "w": torch.tensor([1.0, -2.0]),
        "b": 0.5,
        "num_train": 40,
        "batch_size": 8,
        "data_seed": 1,
        "model_seed": 2,
        "lr": 0.05,
        "max_epochs": 2,
    }
    (grad_W, grad_b), (W, _) = ref.trained_grads(**setup)
    again, _ = ref.trained_grads(**setup)
    assert torch.equal(grad_W, again[0]) and torch.equal(grad_b, again[1])
    assert grad_W.shape == (1, 2) and grad_b.shape == (1,)
    assert not torch.equal(grad_W, W)
