"""Hidden inputs are drawn per student: a classmate's feedback shows other numbers, and a
regrade of the same student shows the same numbers and the same score."""

from autograder.config import load_course
from autograder.judging.runner import run_cell_checks
from autograder.judging.student import LocalStudent
from autograder.notebooks import run_namespace
from autograder.variants import load_variants

NOTEBOOK, CELL = "frobenius", "matrix_l2_penalty_grad"


def test_classmates_see_other_inputs_and_a_regrade_the_same():
    course = load_course()
    (wrong,) = [v for v in load_variants(NOTEBOOK) if v.name == "missing_half"]
    student = LocalStudent(run_namespace("weight_decay", NOTEBOOK, wrong))
    points = course.points_of("weight_decay", NOTEBOOK, CELL)

    def grade(student_id):
        return run_cell_checks(course, NOTEBOOK, CELL, student, student_id=student_id)

    alice, bob, alice_again = grade("alice"), grade("bob"), grade("alice")
    # The failure messages quote the hidden inputs' expected values.
    assert "missing 1/2" in alice.report() and "missing 1/2" in bob.report()
    assert alice.report() != bob.report()
    assert alice.report() == alice_again.report()
    assert alice.score(points) == alice_again.score(points)
