"""The instructor's pipeline, run for real: generate, autograde, feedback, export.

Three submissions per assignment (the demo's: right, several known mistakes, blank) are graded
by the real `nbgrader autograde`, and the gradebook is read back.
"""

import csv

import pytest

from autograder import demo
from autograder.config import load_course
from autograder.pipeline import cell_scores, nbgrader, submit

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(generated_course):
    course = load_course(generated_course)
    for assignment in course.assignments:
        for student in demo.STUDENTS:
            for nb in course.notebooks_of(assignment):
                content = demo.submission(student, assignment, nb.name)
                submit(generated_course, student, assignment, nb.name, content)
        nbgrader(generated_course, "autograde", assignment, "--force")
        nbgrader(generated_course, "generate_feedback", assignment, "--force")
    nbgrader(generated_course, "export")
    return generated_course, course


def autograded(course_dir, student, nb):
    scores = cell_scores(course_dir, student, nb.assignment, nb.name)
    return {cell: (score, top) for cell, (score, top) in scores.items() if score is not None}


def test_the_reference_solution_gets_full_marks_on_every_notebook(graded):
    course_dir, course = graded
    for nb in course.notebooks:
        scores = autograded(course_dir, "ada_right", nb)
        assert scores, nb.name
        assert all(score == top for score, top in scores.values()), (nb.name, scores)


def test_a_blank_submission_scores_zero_everywhere_without_a_crash(graded):
    course_dir, course = graded
    for nb in course.notebooks:
        assert (
            course_dir / "autograded" / "cy_blank" / nb.assignment / f"{nb.name}.ipynb"
        ).exists()
        scores = cell_scores(course_dir, "cy_blank", nb.assignment, nb.name)
        assert all(score == 0 for score, _ in scores.values()), (nb.name, scores)


def test_mistakes_lose_exactly_the_cells_their_variants_name(graded):
    course_dir, course = graded
    for nb in course.notebooks:
        failing = demo.combined(demo.mistakes_of(nb.name)).failing
        scores = autograded(course_dir, "ben_mistakes", nb)
        lost = {cell for cell, (score, top) in scores.items() if score < top}
        assert lost == set(failing), (nb.name, scores)


def test_feedback_names_each_mistake_and_shows_no_grader_code(graded):
    course_dir, course = graded
    for nb in course.notebooks:
        html = course_dir / "feedback" / "ben_mistakes" / nb.assignment / f"{nb.name}.html"
        text = html.read_text()
        for variant in demo.mistakes_of(nb.name):
            assert variant.message.lower() in text.lower(), (nb.name, variant.name)
        for secret in ("check_here", "BEGIN HIDDEN", "autograder", "Marking scheme"):
            assert secret not in text, (nb.name, secret)


def test_the_grades_export_lists_every_student_and_assignment(graded):
    course_dir, course = graded
    with (course_dir / "grades.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["student_id"], r["assignment"]) for r in rows} == {
        (s, a) for s in demo.STUDENTS for a in course.assignments
    }
