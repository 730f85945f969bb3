"""A real course directory in a temporary folder, with both assignments generated."""

import pytest

from autograder.config import load_course
from autograder.pipeline import copy_course, nbgrader


@pytest.fixture(scope="session")
def generated_course(tmp_path_factory):
    course_dir = copy_course(tmp_path_factory.mktemp("course"))
    for assignment in load_course(course_dir).assignments:
        nbgrader(course_dir, "generate_assignment", assignment, "--force")
    return course_dir
