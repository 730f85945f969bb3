"""The optimal_constants reference minimises what it claims to, and its graders hold for other
grading seeds: the reference keeps every point, a do-nothing answer earns none."""

import pytest
import torch

from autograder.notebooks import Variant
from autograder.reference import optimal_constants as ref

CELLS = ("best_constant_l2", "best_constant_l1", "augment")


@pytest.fixture
def sample():
    return torch.randn(9, generator=torch.Generator().manual_seed(0), dtype=torch.float64) + 3


def test_mean_is_where_the_squared_error_has_zero_gradient(sample):
    b = ref.best_constant_l2(sample).clone().requires_grad_(True)
    ((sample - b) ** 2).sum().backward()
    assert abs(float(b.grad)) < 1e-10


def test_every_point_of_the_median_interval_minimises_the_absolute_error():
    x = torch.tensor([4.0, 1.0, 9.0, 2.0, 7.0, 3.0], dtype=torch.float64)
    low, high = ref.l1_interval(x)
    assert (low, high) == (3.0, 4.0)
    best = ref.absolute_error(x, low)
    grid = torch.linspace(0, 10, 1001, dtype=torch.float64)
    errors = torch.tensor([ref.absolute_error(x, float(b)) for b in grid], dtype=torch.float64)
    assert float(errors.min()) == pytest.approx(best)
    for b in (low, (low + high) / 2, high, float(ref.best_constant_l1(x))):
        assert ref.absolute_error(x, b) == pytest.approx(best)
    assert ref.absolute_error(x, high + 0.1) > best + 0.1


def test_augment_turns_the_affine_map_into_a_product(sample):
    gen = torch.Generator().manual_seed(1)
    X, w, b = torch.randn(5, 3, generator=gen), torch.randn(3, 1, generator=gen), torch.randn(1)
    torch.testing.assert_close(ref.augment(X) @ torch.cat((w, b.reshape(1, 1))), X @ w + b)
    assert ref.augment(X.double()).dtype == torch.float64


def test_named_mistakes_differ_from_the_reference(sample):
    for mistake in ref.l2_mistakes(sample):
        assert not torch.isclose(torch.as_tensor(mistake.value).double(), sample.mean()), mistake
    X = torch.randn(4, 3, generator=torch.Generator().manual_seed(2)) + 2
    for mistake in ref.augment_mistakes(X):
        value = mistake.value
        assert value.shape != (4, 4) or not torch.allclose(value, ref.augment(X)), mistake.name


@pytest.mark.parametrize("grading_seed", [1, 2024, 987_654])
def test_reference_passes_every_check_for_other_grading_seeds(grading_seed, verdicts_under_seed):
    for cell, verdict in verdicts_under_seed(
        "linear_models", "optimal_constants", CELLS, grading_seed
    ).items():
        assert not verdict.problem and verdict.passed == verdict.total, (cell, verdict.report())


STUBS = Variant(
    "stubs",
    cells={
        "best_constant_l2_impl": "def best_constant_l2(x):\n    return x\n",
        "best_constant_l1_impl": "def best_constant_l1(x):\n    return torch.tensor(1.0)\n",
        "augment_impl": "def augment(X):\n    return torch.ones(X.shape[0], X.shape[1] + 1)\n",
    },
)


@pytest.mark.parametrize("grading_seed", [1, 2024])
def test_stubs_score_nothing_for_other_grading_seeds(grading_seed, verdicts_under_seed):
    for cell, verdict in verdicts_under_seed(
        "linear_models", "optimal_constants", CELLS, grading_seed, STUBS
    ).items():
        assert verdict.passed == 0, (cell, verdict.report())
