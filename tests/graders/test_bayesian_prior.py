"""The bayesian_prior reference maximises the posterior it claims to, its named mistakes differ
from it, and the graders hold for other grading seeds: the reference keeps every point, a
do-nothing answer earns none."""

import dataclasses

import pytest
import torch

from autograder.config import load_course
from autograder.judging.runner import run_cell_checks
from autograder.judging.student import LocalStudent
from autograder.notebooks import Variant, run_namespace
from autograder.reference import bayesian_prior as ref

CELLS = ("ridge", "map_estimate")


@pytest.fixture
def data():
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(12, 3, generator=gen, dtype=torch.float64)
    return X, X @ torch.tensor([[2.0], [-1.0], [0.5]], dtype=torch.float64) + 0.3 * torch.randn(
        12, 1, generator=gen, dtype=torch.float64
    )


def _neg_log_posterior(w, X, y, sigma, tau):
    return ((y - X @ w) ** 2).sum() / (2 * sigma**2) + (w**2).sum() / (2 * tau**2)


def test_map_estimate_has_zero_gradient_of_the_log_posterior(data):
    X, y = data
    w = ref.map_estimate(X, y, 0.8, 0.3).requires_grad_(True)
    _neg_log_posterior(w, X, y, 0.8, 0.3).backward()
    assert float(w.grad.abs().max()) < 1e-10


def test_map_estimate_beats_nearby_weights(data):
    X, y = data
    w = ref.map_estimate(X, y, 1.5, 0.4)
    best = _neg_log_posterior(w, X, y, 1.5, 0.4)
    gen = torch.Generator().manual_seed(1)
    for _ in range(20):
        step = 1e-3 * torch.randn(3, 1, generator=gen, dtype=torch.float64)
        assert _neg_log_posterior(w + step, X, y, 1.5, 0.4) > best


def test_map_is_ridge_with_sigma_squared_over_tau_squared(data):
    X, y = data
    torch.testing.assert_close(ref.map_estimate(X, y, 2.0, 0.5), ref.ridge(X, y, 16.0))


def test_ridge_works_with_more_features_than_examples():
    X = torch.randn(3, 6, generator=torch.Generator().manual_seed(2))
    w = ref.ridge(X, torch.ones(3), 0.5)
    assert w.shape == (6, 1)
    # The ridge normal equations hold.
    Xd = X.double()
    torch.testing.assert_close(Xd.T @ (Xd @ w - 1) + 0.5 * w, torch.zeros(6, 1, dtype=w.dtype))


def test_named_mistakes_differ_from_the_reference(data):
    X, y = data
    right = ref.map_estimate(X, y, 1.2, 0.4)
    mistakes = ref.map_mistakes(X, y, 1.2, 0.4)
    assert {ref.SIGMA_OVER_TAU, ref.INVERTED, ref.PER_EXAMPLE, ref.EVERY_ENTRY} <= {
        m.name for m in mistakes
    }
    for mistake in mistakes:
        assert not torch.allclose(mistake.value, right, rtol=1e-3), mistake.name


def _verdicts(grading_seed, variant=None):
    course = dataclasses.replace(load_course(), grading_seed=grading_seed)
    # Stop before the plot: grading needs only the two functions.
    namespace = run_namespace("weight_decay", "bayesian_prior", variant, upto="path_intro")
    student = LocalStudent(namespace)
    return {cell: run_cell_checks(course, "bayesian_prior", cell, student) for cell in CELLS}


@pytest.mark.parametrize("grading_seed", [1, 2024, 987_654])
def test_reference_passes_every_check_for_other_grading_seeds(grading_seed):
    for cell, verdict in _verdicts(grading_seed).items():
        assert not verdict.problem and verdict.passed == verdict.total, (cell, verdict.report())


STUBS = Variant(
    "stubs",
    cells={
        "ridge_impl": "def ridge(X, y, lambd):\n    return torch.ones(X.shape[1], 1)\n",
        "map_estimate_impl": "def map_estimate(X, y, sigma, tau):\n    return y\n",
    },
)


@pytest.mark.parametrize("grading_seed", [1, 2024])
def test_stubs_score_nothing_for_other_grading_seeds(grading_seed):
    for cell, verdict in _verdicts(grading_seed, STUBS).items():
        assert verdict.passed == 0, (cell, verdict.report())
