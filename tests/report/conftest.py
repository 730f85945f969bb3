"""A small class graded by the real nbgrader, shared by the report and feedback tests."""

import pytest

from tests.report.small_class import grade_small_class


@pytest.fixture(scope="session")
def small_class(tmp_path_factory):
    return grade_small_class(tmp_path_factory.mktemp("small-class") / "course")
