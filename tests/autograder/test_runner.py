"""A graded cell scores the share of its hidden checks that pass, with a readable report."""

import shutil
from pathlib import Path

import pytest
import torch

from autograder.config import load_course
from autograder.judging.runner import check_seed, run_cell_checks
from autograder.judging.student import LocalStudent

FIXTURE_GRADERS = Path(__file__).resolve().parents[1] / "fixtures" / "graders"


def grade(double, cell="double", notebook="doubling", graders=FIXTURE_GRADERS, student_id=""):
    return run_cell_checks(
        load_course(),
        notebook,
        cell,
        LocalStudent({"double": double}),
        graders,
        student_id=student_id,
    )


def recording_double(seen):
    def double(x):
        seen.append(x.clone())
        return 2 * x

    return double


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


def test_a_cell_without_checks_is_a_grader_fault_not_full_marks():
    verdict = grade(lambda x: 2 * x, cell="no_such_cell")
    assert verdict.grader_error and verdict.problem and verdict.score(2) == 0.0


def test_hidden_inputs_depend_on_the_grading_seed_the_check_and_the_student():
    assert check_seed(1, "test_a", "alice") == check_seed(1, "test_a", "alice")
    seeds = {
        check_seed(1, "test_a", "alice"),
        check_seed(2, "test_a", "alice"),
        check_seed(1, "test_b", "alice"),
        check_seed(1, "test_a", "bob"),
    }
    assert len(seeds) == 4


def test_two_students_get_different_inputs_and_a_regrade_the_same_inputs_and_scores():
    inputs, verdicts = {}, {}
    for run, student_id in (("alice", "alice"), ("bob", "bob"), ("alice again", "alice")):
        seen = []
        verdicts[run] = grade(recording_double(seen), notebook="inputs", student_id=student_id)
        inputs[run] = seen
    assert len(inputs["alice"]) == len(inputs["bob"]) == 2
    for mine, theirs in zip(inputs["alice"], inputs["bob"], strict=True):
        assert not torch.equal(mine, theirs)  # per check, and the cell's shared input
    for first, again in zip(inputs["alice"], inputs["alice again"], strict=True):
        assert torch.equal(first, again)
    assert verdicts["alice"].report() == verdicts["alice again"].report()
    assert verdicts["alice"].score(2) == verdicts["alice again"].score(2) == 2.0


def test_the_cell_memo_lives_for_one_run_only():
    seen = []
    grade(recording_double(seen), notebook="inputs")
    grade(recording_double(seen), notebook="inputs")
    assert len(seen) == 4  # two checks per run, the shared answer asked once per run


@pytest.fixture
def broken_graders(tmp_path):
    """The fixture graders, plus one whose source does not parse."""
    folder = tmp_path / "graders"
    shutil.copytree(FIXTURE_GRADERS, folder)
    shutil.copy(folder / "syntax_error.py.txt", folder / "syntax_error.py")
    return folder


@pytest.mark.parametrize(
    ("notebook", "cause"),
    [
        ("syntax_error", "could not be collected"),
        ("import_error", "could not be collected"),
        ("interrupted", "interrupted"),
        ("exits", "interrupted"),
        ("bad_fixture", "could not be set up"),
        ("no_such_notebook", "no hidden graders"),
    ],
)
def test_a_broken_grader_is_marked_as_a_grader_fault_not_a_student_failure(
    broken_graders, notebook, cause
):
    verdict = grade(lambda x: 2 * x, notebook=notebook, graders=broken_graders)
    assert cause in verdict.grader_error
    assert verdict.score(2) == 0.0
    assert "hidden checks failed" in verdict.report()


def test_a_students_failures_are_not_grader_faults():
    verdict = grade(lambda x: 1 / 0)
    assert not verdict.grader_error and not verdict.problem


def test_the_grader_sees_the_seeded_inputs_not_the_students_choice():
    seen, again = [], []
    grade(recording_double(seen))
    grade(recording_double(again))
    assert all(torch.equal(a, b) for a, b in zip(seen, again, strict=True))


@pytest.mark.parametrize("bad", [None, "2x", [1.0]])
def test_answers_of_the_wrong_type_fail_every_check(bad):
    assert grade(lambda x: bad).score(2) == 0.0
