"""course.toml is read into typed settings, and mistakes in it are named."""

import tomllib
from pathlib import Path

import pytest

from autograder.config import REPO_ROOT, CourseConfigError, Limits, load_course, parse_course


@pytest.fixture
def course_data():
    with (REPO_ROOT / "course.toml").open("rb") as handle:
        return tomllib.load(handle)


def test_the_course_file_lists_every_source_notebook():
    course = load_course()
    listed = {(nb.assignment, nb.name) for nb in course.notebooks}
    on_disk = {(p.parent.name, p.stem) for p in (REPO_ROOT / "source").glob("*/*.ipynb")}
    assert listed == on_disk


def test_missing_limits_fall_back_to_the_documented_defaults(course_data):
    del course_data["limits"]
    assert parse_course(course_data, Path(".")).limits == Limits()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["limits"].update(cell_timout=5), "unknown key.*cell_timout"),
        (lambda d: d["tolerance"].update(rtol="tight"), "rtol must be a number"),
        (lambda d: d["limits"].update(memory_mb=0), "memory_mb must be positive"),
        (lambda d: d["course"].pop("grading_seed"), "missing grading_seed"),
        (lambda d: d.update(extras={}), "unknown table"),
        (lambda d: d["assignments"]["weight_decay"].update(frobenius={}), "map graded cell"),
        (
            lambda d: d["assignments"]["weight_decay"]["frobenius"].update(frobenius_sq=-1),
            "positive number of points",
        ),
    ],
)
def test_a_malformed_setting_is_named_in_the_error(course_data, change, message):
    change(course_data)
    with pytest.raises(CourseConfigError, match=message):
        parse_course(course_data, Path("."))


def test_a_course_directory_without_course_toml_is_reported(tmp_path):
    with pytest.raises(CourseConfigError, match=r"no course\.toml"):
        load_course(tmp_path)


def test_points_of_an_unknown_cell_are_refused():
    with pytest.raises(CourseConfigError, match="has no points"):
        load_course().points_of("weight_decay", "frobenius", "no_such_cell")
