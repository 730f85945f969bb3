"""A graded cell scores the share of its hidden checks that pass, with a readable report."""

from pathlib import Path

import pytest
import torch

from autograder.config import load_course
from autograder.judging.runner import check_seed, run_cell_checks
from autograder.judging.student import LocalStudent

FIXTURE_GRADERS = Path(__file__).resolve().parents[1] / "fixtures" / "graders"


def grade(double, cell="double"):
    return run_cell_checks(
        load_course(), "doubling", cell, LocalStudent({"double": double}), FIXTURE_GRADERS
    )


def test_a_right_answer_scores_full_points():
    verdict = grade(lambda x: 2 * x)
    assert (verdict.passed, verdict.total, verdict.score(2)) == (2, 2, 2.0)


def test_partial_credit_is_the_share_of_checks_passed():
    verdict = grade(lambda x: (2 * x).reshape(-1))  # right values, loses the column shape
    assert verdict.score(2) == 1.0
    assert "has shape (4,), expected (4, 1)" in verdict.report()


def test_a_crashing_answer_scores_zero_with_the_error_in_the_report():
    verdict = grade(lambda x: 1 / 0)
    assert verdict.score(2) == 0.0
    assert "raised ZeroDivisionError" in verdict.report()


def test_a_cell_without_checks_is_a_problem_not_full_marks():
    verdict = grade(lambda x: 2 * x, cell="no_such_cell")
    assert verdict.problem and verdict.score(2) == 0.0


def test_hidden_inputs_depend_on_the_grading_seed_and_the_check():
    assert check_seed(1, "test_a") == check_seed(1, "test_a")
    assert len({check_seed(1, "test_a"), check_seed(2, "test_a"), check_seed(1, "test_b")}) == 3


def test_the_grader_sees_the_seeded_inputs_not_the_students_choice():
    seen = []
    grade(lambda x: seen.append(x.clone()) or 2 * x)
    again = []
    grade(lambda x: again.append(x.clone()) or 2 * x)
    assert all(torch.equal(a, b) for a, b in zip(seen, again, strict=True))


@pytest.mark.parametrize("bad", [None, "2x", [1.0]])
def test_answers_of_the_wrong_type_fail_every_check(bad):
    assert grade(lambda x: bad).score(2) == 0.0
