"""The l1_update reference agrees with autograd and with torch's own L1 norm."""

import torch

import d2lkit
from autograder.reference import l1_update as ref


def test_penalty_is_the_l1_norm():
    w = torch.randn(3, 4, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(ref.l1_penalty(w), torch.linalg.vector_norm(w, ord=1))


def test_update_is_an_sgd_step_on_the_autograd_subgradient():
    w = torch.tensor([0.5, -1.0, 0.0, 2.0], requires_grad=True)
    grad, lr, lambd = torch.tensor([0.1, 0.2, -0.3, 0.4]), 0.1, 0.7
    # autograd's gradient of |w| at 0 is 0, the subgradient the course asks for
    (penalty_grad,) = torch.autograd.grad(lambd * ref.l1_penalty(w), w)
    expected = w.detach() - lr * (grad + penalty_grad)
    torch.testing.assert_close(ref.l1_sgd_update(w.detach(), grad, lr, lambd), expected)


def test_model_loss_is_scratch_loss_plus_penalty():
    gen = torch.Generator().manual_seed(3)
    w, b = torch.randn(4, 1, generator=gen), torch.randn(1, generator=gen)
    X, y = torch.randn(6, 4, generator=gen), torch.randn(6, 1, generator=gen)
    base = d2lkit.squared_loss(X @ w + b, y)
    torch.testing.assert_close(ref.model_loss(w, b, X, y, 0.5), base + 0.5 * w.abs().sum())


def test_training_mistakes_end_elsewhere():
    setting = {
        "data": {
            "w": [1.0, 0.0, -2.0],
            "b": 0.3,
            "num_train": 20,
            "num_val": 5,
            "batch_size": 5,
            "seed": 1,
        },
        "seed": 2,
        "num_inputs": 3,
        "lambd": 1.5,
        "lr": 0.05,
        "max_epochs": 3,
    }
    w, _ = ref.train(setting)
    for mistake in ref.train_mistakes(setting):
        assert not torch.allclose(mistake.value, w, rtol=2e-3, atol=1e-5), mistake.name


def test_penalising_the_bias_adds_lambd_times_its_absolute_value():
    gen = torch.Generator().manual_seed(4)
    w, b = torch.randn(3, 1, generator=gen), torch.tensor([-0.5])
    X, y = torch.randn(5, 3, generator=gen), torch.randn(5, 1, generator=gen)
    (mistake,) = [m for m in ref.loss_mistakes(w, b, X, y, 2.0) if m.name == ref.BIAS_PENALISED]
    torch.testing.assert_close(mistake.value, ref.model_loss(w, b, X, y, 2.0) + 2.0 * 0.5)
