"""The deep_linear reference agrees with torch.nn and with least squares, and its graders hold
for other grading seeds: the reference keeps every point, a do-nothing answer earns none."""

import pytest
import torch

from autograder.notebooks import Variant
from autograder.reference import deep_linear as ref

CELLS = ("compose_linear", "quadratic_features")


def test_composed_layer_equals_nn_sequential():
    gen = torch.Generator().manual_seed(0)
    first, second, one = torch.nn.Linear(5, 3), torch.nn.Linear(3, 4), torch.nn.Linear(5, 4)
    with torch.no_grad():
        for p in (*first.parameters(), *second.parameters()):
            p.copy_(torch.randn(p.shape, generator=gen))
        W, b = ref.compose_linear(first.weight, first.bias, second.weight, second.bias)
        one.weight.copy_(W)
        one.bias.copy_(b)
        X = torch.randn(7, 5, generator=gen)
        torch.testing.assert_close(one(X), second(first(X)))
        stacked = ref.two_layers(X, first.weight, first.bias, second.weight, second.bias)
        torch.testing.assert_close(stacked, second(first(X)))


def test_wrong_order_is_named_only_where_it_can_be_formed():
    gen = torch.Generator().manual_seed(1)
    W1, W2 = torch.randn(3, 4, generator=gen), torch.randn(2, 3, generator=gen)
    assert ref.WRONG_ORDER not in [m.name for m in ref.weight_mistakes(W1, W2)]
    square = torch.randn(3, 3, generator=gen)
    assert ref.weight_mistakes(square, square.T)[0].name == ref.WRONG_ORDER


@pytest.mark.parametrize("d", [1, 2, 3, 5])
def test_feature_count_and_order(d):
    X = torch.arange(1.0, 2 * d + 1).reshape(2, d)
    F = ref.quadratic_features(X)
    assert F.shape == (2, ref.num_quadratic_features(d))
    expected = [X[:, i] * X[:, j] for i in range(d) for j in range(i, d)]
    torch.testing.assert_close(F[:, d:], torch.stack(expected, 1))


def test_features_fit_a_quadratic_exactly_and_the_inputs_alone_do_not():
    gen = torch.Generator().manual_seed(2)
    X = torch.randn(30, 3, generator=gen, dtype=torch.float64)
    y = 1 + X[:, 0] - 2 * X[:, 1] * X[:, 2] + 0.5 * X[:, 2] ** 2
    assert ref.fit_residual(ref.quadratic_features(X), y) < 1e-10
    assert ref.fit_residual(X, y) > 0.1
    for mistake in ref.feature_mistakes(X)[:1]:  # no squares: the x_3^2 term is out of reach
        assert ref.fit_residual(mistake.value, y) > 0.1


@pytest.mark.parametrize("grading_seed", [1, 2024, 987_654])
def test_reference_passes_every_check_for_other_grading_seeds(grading_seed, verdicts_under_seed):
    for cell, verdict in verdicts_under_seed(
        "linear_models", "deep_linear", CELLS, grading_seed
    ).items():
        assert not verdict.problem and verdict.passed == verdict.total, (cell, verdict.report())


STUBS = Variant(
    "stubs",
    cells={
        "compose_linear_impl": "def compose_linear(W1, b1, W2, b2):\n    return W2, b2\n",
        "quadratic_features_impl": "def quadratic_features(X):\n    return torch.cat([X, X], 1)\n",
    },
)


@pytest.mark.parametrize("grading_seed", [1, 2024])
def test_stubs_score_nothing_for_other_grading_seeds(grading_seed, verdicts_under_seed):
    for cell, verdict in verdicts_under_seed(
        "linear_models", "deep_linear", CELLS, grading_seed, STUBS
    ).items():
        assert verdict.passed == 0, (cell, verdict.report())
