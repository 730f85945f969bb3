"""The initialization reference trains like a plain SGD loop, and the grader's hidden inputs
keep every known mistake clear of the right answer."""

import importlib
import warnings

import pytest
import torch

import d2lkit
from autograder.reference import initialization as ref


@pytest.fixture(scope="module")
def grader():
    """The hidden grader module, for its input drawing; its `cell` mark is registered only in
    the grading runner's own pytest configuration, so the warning about it is expected here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
        return importlib.import_module("autograder.graders.initialization")


@pytest.fixture
def tiny():
    """Noise-free y = 2x + 1, one full batch of 4 examples: plain gradient descent."""
    return d2lkit.SyntheticRegressionData(
        w=[2.0], b=1.0, noise=0.0, num_train=4, num_val=4, batch_size=4, seed=0, shuffle_seed=0
    )


def test_starting_at_the_solution_nothing_moves(tiny):
    w, b, val = ref.train_from(tiny, torch.tensor([[2.0]]), torch.tensor([1.0]), max_epochs=2)
    torch.testing.assert_close(w, torch.tensor([[2.0]]))
    torch.testing.assert_close(b, torch.tensor([1.0]))
    assert val == [0.0, 0.0]


def test_training_is_full_batch_gradient_descent_from_the_given_start(tiny):
    X, y = tiny.tensors(train=True)
    w, b = torch.tensor([[-1.0]]), torch.tensor([0.5])
    for _ in range(3):
        r = X @ w + b - y
        w, b = w - 0.1 * X.T @ r / len(X), b - 0.1 * r.mean().reshape(1)
    got_w, got_b, val = ref.train_from(tiny, torch.tensor([[-1.0]]), torch.tensor([0.5]), 0.1, 3)
    torch.testing.assert_close(got_w, w)
    torch.testing.assert_close(got_b, b)
    assert len(val) == 3 and val[0] > val[1] > val[2]


def test_the_caller_s_start_is_left_alone(tiny):
    w0, b0 = torch.tensor([[-1.0]]), torch.tensor([0.5])
    ref.train_from(tiny, w0, b0, lr=0.1, max_epochs=2)
    assert torch.equal(w0, torch.tensor([[-1.0]])) and not w0.requires_grad
    assert torch.equal(b0, torch.tensor([0.5])) and not b0.requires_grad


def test_every_start_converges_on_the_book_s_data():
    data = d2lkit.SyntheticRegressionData(w=[2.0, -3.4], b=4.2, seed=0, shuffle_seed=0)
    gen = torch.Generator().manual_seed(1)
    for w0 in (torch.zeros(2, 1), torch.normal(0.0, 1000**0.5, (2, 1), generator=gen)):
        w, b, val = ref.train_from(data, w0, torch.zeros(1), max_epochs=10)
        torch.testing.assert_close(w, torch.tensor([[2.0], [-3.4]]), atol=2e-3, rtol=0)
        assert abs(b.item() - 4.2) < 2e-3 and val[-1] < 1e-4


@pytest.mark.parametrize("seed", range(10))
def test_hidden_inputs_keep_mistakes_away_from_the_right_weight(grader, seed):
    data, w0, b0, kwargs = grader._problem(torch.Generator().manual_seed(seed))
    (w, _, _), mistakes = grader._expected(data, w0, b0, kwargs)
    for name, value in mistakes("w"):
        # 3 x train_rtol: clear of the tolerance band for every hidden input.
        assert not torch.allclose(value, w, rtol=6e-3, atol=1e-5), name
