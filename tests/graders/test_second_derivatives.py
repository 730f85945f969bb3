"""The second_derivatives reference agrees with autograd, and its known mistakes are what the
wrong code gives and stay clear of the right answer on the grader's hidden inputs."""

import importlib
import warnings

import pytest
import torch

from autograder.reference import second_derivatives as ref


@pytest.fixture(scope="module")
def grader():
    """The hidden grader module, for its input drawing; its `cell` mark is registered only in
    the grading runner's own pytest configuration, so the warning about it is expected here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
        return importlib.import_module("autograder.graders.second_derivatives")


def problem(seed=0, n=7, d=3):
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=gen) + 1
    y, w, b = torch.randn(n, 1, generator=gen), torch.randn(d, 1, generator=gen), torch.ones(1)
    return X, y, w, b


def test_closed_form_equals_double_backward_through_the_kit_loss():
    X, y, w, b = problem()
    torch.testing.assert_close(ref.autograd_hessian(X, y, w, b).double(), ref.hessian(X))


def test_closed_form_equals_torch_functional_hessian():
    X, y, _, _ = problem(seed=1, d=2)

    def loss(theta):
        return ((X @ theta[:2].reshape(-1, 1) + theta[2] - y) ** 2 / 2).mean()

    torch.testing.assert_close(
        torch.autograd.functional.hessian(loss, torch.zeros(3)).double(), ref.hessian(X)
    )


def test_hessian_does_not_depend_on_w_b_or_y():
    X, y, w, b = problem(seed=2)
    torch.testing.assert_close(
        ref.autograd_hessian(X, -y, 5 * w, b - 3), ref.autograd_hessian(X, y, w, b)
    )


def test_product_is_hessian_times_v():
    X, _, _, _ = problem(seed=3)
    v = torch.tensor([1.0, -2.0, 0.5, 3.0])
    torch.testing.assert_close(ref.hvp(X, v), ref.hessian(X) @ v.double())


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_accumulated_mistake_is_what_a_backward_loop_without_zeroing_gives():
    X, y, w, b = problem(seed=4)
    w, b = w.clone().requires_grad_(True), b.clone().requires_grad_(True)
    ((X @ w + b - y) ** 2 / 2).mean().backward(create_graph=True)
    grad = torch.cat([w.grad.reshape(-1), b.grad])
    rows = []
    for g in grad:
        g.backward(retain_graph=True)
        rows.append(torch.cat([w.grad.reshape(-1), b.grad]).detach().clone())
    mistakes = {m.name: m.value for m in ref.hessian_mistakes(X, y, w.detach(), b.detach())}
    torch.testing.assert_close(
        torch.stack(rows).double(), mistakes[ref.ACCUMULATED_WITH_GRAD], rtol=1e-4, atol=1e-5
    )


@pytest.mark.parametrize("seed", range(10))
def test_hidden_inputs_keep_mistakes_away_from_the_right_answer(grader, seed):
    gen = torch.Generator().manual_seed(seed)
    inputs = grader._problem(gen)
    v = grader._vector(gen, inputs[0].shape[1])
    H = ref.hessian(inputs[0])
    for mistake in ref.hessian_mistakes(*inputs):
        if mistake.value.shape == H.shape:
            assert not torch.allclose(mistake.value, H, rtol=1e-3, atol=1e-5), mistake.name
    Hv = ref.hvp(inputs[0], v)
    for mistake in ref.hvp_mistakes(*inputs, v):
        if mistake.value.shape == Hv.shape:
            assert not torch.allclose(mistake.value, Hv, rtol=1e-3, atol=1e-5), mistake.name
