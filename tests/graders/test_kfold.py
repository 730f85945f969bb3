"""The kfold reference computes the K-fold error it claims to, its named mistakes differ from
it on the graders' inputs, and the graders hold for other grading seeds: the reference keeps
every point, a do-nothing answer earns none."""

import dataclasses
import importlib
import warnings

import pytest
import torch

from autograder.config import load_course
from autograder.judging.runner import run_cell_checks
from autograder.judging.student import LocalStudent
from autograder.notebooks import Variant, run_namespace
from autograder.reference import kfold as ref


@pytest.fixture(scope="module")
def graders():
    """The graders' input drawing (their module marks checks with the runner's `cell` mark,
    which this test session does not register)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
        return importlib.import_module("autograder.graders.kfold")


def test_leave_one_out_on_three_points_is_three():
    X = torch.tensor([[0.0], [1.0], [2.0]])
    y = torch.tensor([0.0, 1.0, 0.0])
    assert ref.kfold_error(X, y, 3) == pytest.approx(3.0)


def test_points_on_a_line_have_zero_error_only_with_a_bias():
    X = torch.arange(7.0).reshape(7, 1)
    assert ref.kfold_error(X, 2 * X + 1, 3) == pytest.approx(0.0, abs=1e-20)
    (no_bias,) = [m for m in ref.kfold_error_mistakes(X, 2 * X + 1, 3) if m.name == ref.NO_BIAS]
    assert no_bias.value > 0.1


def test_reference_equals_normal_equations_fold_by_fold(graders):
    gen = torch.Generator().manual_seed(0)
    X, y = graders.draw_data(gen, 17, 3, dtype=torch.float64)
    errors = []
    for rows in ((0, 5), (5, 9), (9, 13), (13, 17)):  # torch.tensor_split(arange(17), 4)
        held = torch.zeros(17, dtype=torch.bool)
        held[rows[0] : rows[1]] = True
        A = torch.cat((X, torch.ones(17, 1, dtype=X.dtype)), dim=1)
        w = torch.linalg.solve(A[~held].T @ A[~held], A[~held].T @ y[~held])
        errors.append(float(((A[held] @ w - y[held]) ** 2).mean()))
    assert ref.kfold_error(X, y, 4) == pytest.approx(sum(errors) / 4, rel=1e-12)


def test_uneven_row_counts_make_chunk_and_tensor_split_disagree(graders):
    gen = torch.Generator().manual_seed(1)
    for _ in range(50):
        k = graders._int(gen, 4, 6)
        n = graders.uneven(gen, k)
        chunks = [len(c) for c in torch.chunk(torch.arange(n), k)]
        assert chunks != [len(f) for f in ref.contiguous_folds(n, k)], (n, k)


def test_named_mistakes_differ_from_the_reference_on_uneven_folds(graders):
    gen = torch.Generator().manual_seed(2)
    X, y = graders.draw_data(gen, graders.uneven(gen, 5), 2)
    right = ref.kfold_error(X, y, 5)
    mistakes = ref.kfold_error_mistakes(X, y, 5)
    assert {m.name for m in mistakes} >= {ref.CHUNK, ref.POOLED, ref.INTERLEAVED, ref.BROADCAST}
    for mistake in mistakes:
        assert abs(float(mistake.value) - right) > 1e-3 * right, mistake.name


def test_the_kfold_estimate_is_above_the_heldout_error_on_average():
    """The point of the exercise, checked on the kit's data: training on fewer rows costs."""
    import d2lkit as d2l

    n, gaps = 20, []
    for seed in range(30):
        data = d2l.SyntheticRegressionData(
            torch.tensor([1.0, -2.0, 0.5]), 4.0, num_train=n, num_val=500, noise=1.0, seed=seed
        )
        X, y = data.X[:n], data.y[:n]
        gaps.append(ref.kfold_error(X, y, 2) - ref.heldout_error(X, y, data.X[n:], data.y[n:]))
    assert sum(gaps) / len(gaps) > 0.2


def _verdict(grading_seed, variant=None):
    course = dataclasses.replace(load_course(), grading_seed=grading_seed)
    # Stop before the graded cell: the experiment after it is not needed to grade.
    namespace = run_namespace("generalization", "kfold", variant, upto="kfold_error")
    return run_cell_checks(course, "kfold", "kfold_error", LocalStudent(namespace))


@pytest.mark.parametrize("grading_seed", [1, 2024, 987_654])
def test_reference_passes_every_check_for_other_grading_seeds(grading_seed):
    verdict = _verdict(grading_seed)
    assert not verdict.problem and verdict.passed == verdict.total, verdict.report()


@pytest.mark.parametrize("grading_seed", [1, 2024])
def test_a_constant_scores_nothing_for_other_grading_seeds(grading_seed):
    stub = Variant(
        "stub", cells={"kfold_error_impl": "def kfold_error(X, y, k):\n    return 1.0\n"}
    )
    assert _verdict(grading_seed, stub).passed == 0
