"""The noise_models reference agrees with the densities, autograd and PyTorch's Poisson loss,
and its graders hold for other grading seeds: the reference keeps every point, a do-nothing
answer earns none."""

import math

import pytest
import torch

from autograder.notebooks import Variant
from autograder.reference import noise_models as ref

CELLS = ("laplace_nll", "lad_step", "poisson_nll")


@pytest.fixture
def problem():
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(7, 3, generator=gen, dtype=torch.float64)
    w = torch.randn(3, 1, generator=gen, dtype=torch.float64)
    b = torch.randn(1, generator=gen, dtype=torch.float64)
    y = X @ w + b + torch.randn(7, 1, generator=gen, dtype=torch.float64)
    return X, y, w, b


def test_laplace_nll_is_minus_the_log_density(problem):
    X, y, w, b = problem
    laplace = torch.distributions.Laplace(X @ w + b, torch.tensor(1.0, dtype=torch.float64))
    torch.testing.assert_close(ref.laplace_nll(*problem), -laplace.log_prob(y).sum())
    torch.testing.assert_close(ref.laplace_nll(X, y.reshape(-1), w, b), ref.laplace_nll(*problem))


def test_lad_step_is_a_step_against_the_autograd_subgradient(problem):
    X, y, w, b = problem
    w_, b_ = w.clone().requires_grad_(), b.clone().requires_grad_()
    gw, gb = torch.autograd.grad(ref.laplace_nll(X, y, w_, b_), (w_, b_))
    w_new, b_new = ref.lad_step(X, y, w, b, 0.05)
    torch.testing.assert_close(w_new, w - 0.05 * gw)
    torch.testing.assert_close(b_new, b - 0.05 * gb)


def test_exactly_fitted_examples_do_not_push():
    X = torch.tensor([[1.0], [2.0]])
    w, b = torch.tensor([[1.0]]), torch.tensor([0.0])
    y = torch.tensor([[1.0], [2.0]])  # both residuals are exactly 0
    w_new, b_new = ref.lad_step(X, y, w, b, 0.5)
    assert torch.equal(w_new, w) and torch.equal(b_new, b)


def test_poisson_nll_matches_the_log_pmf_up_to_log_k_factorial():
    log_rate = torch.tensor([-0.5, 0.3, 1.7], dtype=torch.float64)
    k = torch.tensor([0.0, 2.0, 5.0], dtype=torch.float64)
    pmf = torch.distributions.Poisson(log_rate.exp()).log_prob(k)
    expected = (-pmf - torch.lgamma(k + 1)).mean()
    torch.testing.assert_close(ref.poisson_nll(log_rate, k), expected)
    torch.testing.assert_close(ref.poisson_nll(log_rate, k.long()), expected)
    assert ref.poisson_mistakes(log_rate, k)[0].value == pytest.approx(float(-pmf.mean()))


def test_constant_of_the_laplace_likelihood_is_n_log_2(problem):
    without = ref.laplace_mistakes(*problem)[0]
    assert without.name == ref.NO_CONSTANT
    assert float(ref.laplace_nll(*problem) - without.value) == pytest.approx(7 * math.log(2))


@pytest.mark.parametrize("grading_seed", [1, 2024, 987_654])
def test_reference_passes_every_check_for_other_grading_seeds(grading_seed, verdicts_under_seed):
    for cell, verdict in verdicts_under_seed(
        "linear_models", "noise_models", CELLS, grading_seed
    ).items():
        assert not verdict.problem and verdict.passed == verdict.total, (cell, verdict.report())


STUBS = Variant(
    "stubs",
    cells={
        "laplace_nll_impl": "def laplace_nll(X, y, w, b):\n    return y.sum()\n",
        "lad_step_impl": "def lad_step(X, y, w, b, lr):\n    return torch.zeros_like(w), b\n",
        "poisson_nll_impl": "def poisson_nll(log_rate, k):\n    return torch.tensor(1.0)\n",
    },
)


@pytest.mark.parametrize("grading_seed", [1, 2024])
def test_stubs_score_nothing_for_other_grading_seeds(grading_seed, verdicts_under_seed):
    for cell, verdict in verdicts_under_seed(
        "linear_models", "noise_models", CELLS, grading_seed, STUBS
    ).items():
        assert verdict.passed == 0, (cell, verdict.report())
