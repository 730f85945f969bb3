"""A parallel batch leaves what a serial `nbgrader autograde` of the same class leaves.

Two identical copies of a class (right, known mistakes, a submission that kills its kernel)
are graded, one by `nbgrader autograde`, one by `python -m autograder grade` on two workers;
their gradebooks, autograded notebooks, feedback and exports are compared. Then a second run
grades only what changed.
"""

import csv
import shutil

import nbformat
import pytest

from autograder.notebooks import is_graded_test, nbgrader_meta
from autograder.pipeline import nbgrader
from tests.batch.classes import submit_class
from tests.batch.conftest import ASSIGNMENT, class_course, grade, gradebook_state

pytestmark = pytest.mark.slow

STUDENTS = {"ada": "right", "ben": "mistakes", "dee": "exits"}


@pytest.fixture(scope="module")
def graded_both_ways(generated, tmp_path_factory):
    serial = class_course(generated, tmp_path_factory.mktemp("serial") / "course", STUDENTS)
    batch = tmp_path_factory.mktemp("batch") / "course"
    shutil.copytree(serial, batch, symlinks=True)
    nbgrader(serial, "autograde", ASSIGNMENT)
    done = grade(batch, "--workers", "2", "--logs", str(batch.parent / "logs"))
    return serial, batch, done


def graded_outputs(course_dir, student, notebook):
    """grade_id -> the text the grader wrote under each graded cell."""
    path = course_dir / "autograded" / student / ASSIGNMENT / f"{notebook}.ipynb"
    nb = nbformat.read(path, as_version=4)
    return {
        nbgrader_meta(cell)["grade_id"]: [o.get("text", o.get("data")) for o in cell.outputs]
        for cell in nb.cells
        if cell.cell_type == "code" and is_graded_test(cell)
    }


def test_the_batch_exits_zero_and_lists_every_student(graded_both_ways):
    _, _, done = graded_both_ways
    assert done.returncode == 0, done.stderr[-3000:]
    for student in STUDENTS:
        assert student in done.stdout
    assert "3 graded (0 of them zero" in done.stdout


def test_logs_tell_how_long_each_kernel_start_and_graded_cell_took(graded_both_ways):
    _, batch, done = graded_both_ways
    folder = batch.parent / "logs" / ASSIGNMENT
    assert f"Grading logs: {folder}/" in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{s}.log" for s in STUDENTS)
    log = (folder / "ada.log").read_text()
    release = batch / "release" / ASSIGNMENT
    for path in release.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        graded = [
            nbgrader_meta(c)["grade_id"]
            for c in nb.cells
            if c.cell_type == "code" and is_graded_test(c)
        ]
        for grade_id in graded:
            assert f"[ada] {grade_id} took " in log, grade_id
    assert log.count("kernel ready after") == len(list(release.glob("*.ipynb")))


def test_the_gradebook_equals_a_serial_nbgrader_autograde_cell_by_cell(graded_both_ways):
    serial, batch, _ = graded_both_ways
    expected, got = gradebook_state(serial), gradebook_state(batch)
    assert got["submissions"] == {(s, ASSIGNMENT): 1 for s in STUDENTS}
    for part in ("submissions", "grades", "comments", "penalties"):
        assert got[part] == expected[part], part
    # the comparison means something: the class has full, partial and crashed scores
    scores = {key: value[0] for key, value in got["grades"].items()}
    assert scores[("ada", ASSIGNMENT, "huber_loss", "huber_loss_values")] == 3
    assert scores[("dee", ASSIGNMENT, "huber_loss", "huber_loss_values")] == 0
    assert any((s or 0) > 0 for (who, *_), s in scores.items() if who == "ben")


def test_the_autograded_notebooks_carry_the_same_reports(graded_both_ways):
    serial, batch, _ = graded_both_ways
    for student in STUDENTS:
        for notebook in ("huber_loss", "gradient_access"):
            folder = ("autograded", student, ASSIGNMENT)
            assert sorted(p.name for p in serial.joinpath(*folder).iterdir()) == sorted(
                p.name for p in batch.joinpath(*folder).iterdir()
            )
            assert graded_outputs(batch, student, notebook) == graded_outputs(
                serial, student, notebook
            ), (student, notebook)


def test_feedback_and_export_read_the_batch_as_they_read_nbgrader_autograde(graded_both_ways):
    serial, batch, _ = graded_both_ways
    exports = []
    for course_dir in (serial, batch):
        nbgrader(course_dir, "generate_feedback", ASSIGNMENT)
        nbgrader(course_dir, "export")
        for student in STUDENTS:
            page = course_dir / "feedback" / student / ASSIGNMENT / "huber_loss.html"
            assert page.exists(), (course_dir, student)
        with (course_dir / "grades.csv").open() as handle:
            exports.append(sorted(csv.DictReader(handle), key=lambda r: r["student_id"]))
    assert exports[0] == exports[1]
    kernel_stop = (batch / "feedback" / "dee" / ASSIGNMENT / "huber_loss.html").read_text()
    assert "stopped" in kernel_stop


def test_a_second_run_grades_only_new_or_changed_submissions(graded_both_ways):
    _, batch, _ = graded_both_ways
    again = grade(batch)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "0 graded" in again.stdout and "3 unchanged" in again.stdout
    before = gradebook_state(batch)

    submit_class(batch, ASSIGNMENT, {"ben": "right"})  # ben hands in a corrected version
    changed = grade(batch, "--workers", "1")
    assert changed.returncode == 0, changed.stderr[-3000:]
    assert "1 graded" in changed.stdout and "2 unchanged" in changed.stdout
    after = gradebook_state(batch)
    assert after["submissions"] == before["submissions"]
    for key, value in after["grades"].items():
        if key[0] == "ben" and value[0] is not None:  # written answers wait for a person
            assert value[0] == value[2], key  # full marks now
        else:
            assert value == before["grades"][key], key
