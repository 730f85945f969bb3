"""The course's gradebook on a real PostgreSQL server (course.toml db_url): nbgrader generates
the assignment there, a parallel batch records into it, and `nbgrader export` reads it.

The server is started by the test itself from the OS packages (initdb and pg_ctl in a
temporary folder, a Unix socket there, no TCP) and stopped at the end.
"""

import csv
import re

import pytest

from autograder.config import load_course
from autograder.pipeline import cell_scores, copy_course, nbgrader
from tests.batch.classes import submit_class
from tests.batch.conftest import ASSIGNMENT, grade, gradebook_state
from tests.batch.postgres import PostgresServer, server_binaries

pytestmark = pytest.mark.slow

STUDENTS = {"ada": "right", "cy": "blank"}


@pytest.fixture(scope="module")
def postgres():
    binaries = server_binaries()
    if binaries is None:
        pytest.skip(
            "no PostgreSQL server (initdb, pg_ctl): install the `postgresql` package "
            "(`make install` does, as root)"
        )
    server = PostgresServer(binaries).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def course_on_postgres(postgres, tmp_path_factory):
    url = postgres.create_database("gradebook")
    course_dir = copy_course(tmp_path_factory.mktemp("pg") / "course")
    settings = course_dir / "course.toml"
    text, count = re.subn(
        r"(?m)^\[course\]\n", f'[course]\ndb_url = "{url}"\n', settings.read_text()
    )
    assert count == 1
    settings.write_text(text)
    assert load_course(course_dir).db_url == url
    nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force")
    submit_class(course_dir, ASSIGNMENT, STUDENTS)
    return course_dir


def test_a_parallel_batch_records_into_postgresql_and_export_reads_it(course_on_postgres):
    course_dir = course_on_postgres
    done = grade(course_dir, "--workers", "2")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert not (course_dir / "gradebook.db").exists()  # nothing went to an SQLite file

    state = gradebook_state(course_dir)
    assert state["submissions"] == {(s, ASSIGNMENT): 1 for s in STUDENTS}
    for notebook in ("huber_loss", "gradient_access"):
        right = cell_scores(course_dir, "ada", ASSIGNMENT, notebook, cell_type="code")
        assert right and all(score == top for score, top in right.values()), right
        blank = cell_scores(course_dir, "cy", ASSIGNMENT, notebook, cell_type="code")
        assert blank and all(score == 0 for score, _ in blank.values()), blank

    nbgrader(course_dir, "export")
    with (course_dir / "grades.csv").open() as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle) if r["assignment"] == ASSIGNMENT}
    assert set(rows) == set(STUDENTS)
    assert float(rows["ada"]["raw_score"]) > float(rows["cy"]["raw_score"]) == 0
