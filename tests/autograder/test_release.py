"""Points on graded cells come from course.toml, and only from there."""

import copy

import pytest

from autograder.config import REPO_ROOT, CourseConfigError, load_course
from autograder.notebooks import is_graded_test, nbgrader_meta, read, source_path
from autograder.steps.release import ApplyCoursePoints

ASSIGNMENT, NOTEBOOK = "linear_regression", "huber_loss"
RESOURCES = {"nbgrader": {"assignment": ASSIGNMENT, "notebook": NOTEBOOK}}


@pytest.fixture
def source():
    return read(source_path(ASSIGNMENT, NOTEBOOK))


def stamp(nb):
    return ApplyCoursePoints(course_root=str(REPO_ROOT)).preprocess(nb, RESOURCES)[0]


def test_every_graded_cell_gets_its_points_from_course_toml(source):
    points = load_course().notebook(ASSIGNMENT, NOTEBOOK).points
    stamped = stamp(copy.deepcopy(source))
    found = {
        nbgrader_meta(c)["grade_id"]: nbgrader_meta(c)["points"]
        for c in stamped.cells
        if nbgrader_meta(c).get("grade")
    }
    assert found == dict(points)


def test_a_graded_cell_unknown_to_course_toml_stops_the_release(source):
    graded = next(c for c in source.cells if is_graded_test(c))
    nbgrader_meta(graded)["grade_id"] = "renamed_cell"
    with pytest.raises(CourseConfigError, match=r"'renamed_cell'.*no points"):
        stamp(source)


def test_points_for_a_cell_the_notebook_lacks_stop_the_release(source):
    graded = next(c for c in source.cells if is_graded_test(c))
    source.cells.remove(graded)
    with pytest.raises(CourseConfigError, match="does not have"):
        stamp(source)
