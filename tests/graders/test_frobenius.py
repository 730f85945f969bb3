"""The frobenius reference agrees with PyTorch's own norm and autograd."""

import torch

from autograder.reference import frobenius as ref


def test_trace_form_equals_matrix_norm_squared_for_non_square():
    X = torch.randn(3, 5, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    torch.testing.assert_close(ref.frobenius_sq(X), torch.linalg.matrix_norm(X) ** 2)
    torch.testing.assert_close(ref.frobenius_sq(X), torch.trace(X @ X.T))


def test_trace_x_x_differs_on_square_input():
    X = torch.randn(4, 4, generator=torch.Generator().manual_seed(1))
    assert not torch.isclose(torch.trace(X @ X), ref.frobenius_sq(X))
    assert ref.frobenius_sq_mistakes(X)[0].name == ref.TRACE_X_X


def test_penalty_grad_matches_autograd():
    W = torch.randn(2, 5, generator=torch.Generator().manual_seed(2), requires_grad=True)
    (grad,) = torch.autograd.grad(0.5 * (W**2).sum(), W)
    torch.testing.assert_close(ref.penalty_grad(W.detach()), grad)
