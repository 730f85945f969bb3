"""The batch's parts that need no cluster: reading submissions, the ledger, the command's
errors, a task whose grading raises, recorded as a zero with its reason, and the course a
worker writes out."""

import dataclasses
import os
import sqlite3
from pathlib import Path

import nbformat
import nbgrader.api as nbgrader_api
import pytest

import autograder
from autograder.batch import cli
from autograder.batch.bundle import (
    BatchError,
    assignment_definition,
    make_bundle,
    package_digest,
    read_submission,
)
from autograder.batch.ledger import Ledger, fingerprint
from autograder.batch.tasks import grade_submission
from autograder.batch.worker import CourseCache, load_nbgrader_config
from autograder.batch.writer import GradebookWriter
from autograder.config import load_course
from autograder.pipeline import copy_course
from tests.batch.conftest import ASSIGNMENT, class_course, gradebook_state


@pytest.fixture
def course():
    return load_course()


def test_a_submission_travels_as_its_notebooks_and_accepted_files(tmp_path, course):
    folder = tmp_path / "submitted" / "ada" / ASSIGNMENT
    (folder / "data").mkdir(parents=True)
    (folder / "huber_loss.ipynb").write_text("{}")
    (folder / "data" / "points.csv").write_text("1,2\n")
    os.symlink("/etc/passwd", folder / "data" / "secret.txt")
    sent = read_submission(tmp_path, course, "ada", ASSIGNMENT)
    assert sent.files == {"huber_loss.ipynb": b"{}", "data/points.csv": b"1,2\n"}
    assert any("secret.txt" in note for note in sent.skipped)
    (folder / "data" / "points.csv").write_text("1,3\n")
    assert read_submission(tmp_path, course, "ada", ASSIGNMENT).digest != sent.digest


def test_a_student_id_that_is_not_a_plain_folder_name_is_refused(tmp_path, course):
    with pytest.raises(BatchError, match="plain folder name"):
        read_submission(tmp_path, course, "../ada", ASSIGNMENT)


def test_the_ledger_knows_a_submission_only_while_its_grade_is_in_place(tmp_path):
    ledger = Ledger(tmp_path, ASSIGNMENT)
    mark = fingerprint("bundle", "files")
    (tmp_path / "autograded" / "ada" / ASSIGNMENT).mkdir(parents=True)
    assert not ledger.is_current("ada", mark, in_gradebook=True)
    ledger.record("ada", mark, score=3.0, max_score=5.0)
    assert ledger.is_current("ada", mark, in_gradebook=True)
    assert not ledger.is_current("ada", fingerprint("bundle", "other files"), True)
    assert not ledger.is_current("ada", fingerprint("new graders", "files"), True)
    assert not ledger.is_current("ada", mark, in_gradebook=False)
    assert ledger.note("ada")["score"] == 3.0
    ledger.forget("ada")
    assert not ledger.is_current("ada", mark, in_gradebook=True)


def test_the_command_refuses_bad_arguments_with_a_message(tmp_path, capsys):
    course_dir = copy_course(tmp_path / "course")
    assert cli.main(["grade", "nope", "--course", str(course_dir)]) == cli.CANNOT_START
    assert "no assignment 'nope'" in capsys.readouterr().err
    assert cli.main(["grade", ASSIGNMENT, "--workers", "0"]) == cli.CANNOT_START
    assert cli.main(["grade", ASSIGNMENT, "--course", str(course_dir)]) == cli.CANNOT_START
    assert "nbgrader generate_assignment" in capsys.readouterr().err


@pytest.mark.slow
def test_a_task_whose_grading_raises_comes_back_as_a_zero_with_its_reason(generated, tmp_path):
    course_dir = class_course(generated, tmp_path / "course", {"ada": "right"})
    course = load_course(course_dir)
    definition = assignment_definition(course.db_url, course.id, ASSIGNMENT)
    bundle = make_bundle(course_dir, course, definition)
    # this process grades with the autograder package it imported
    here = package_digest(Path(autograder.__file__).resolve().parent)
    bundle = dataclasses.replace(bundle, code_digest=here)
    submission = read_submission(course_dir, course, "ada", ASSIGNMENT)
    hostile = dataclasses.replace(submission, files={**submission.files, "../escape.py": b""})

    result = grade_submission(bundle, hostile)
    assert not result.ok
    assert "refusing the file name '../escape.py'" in result.error

    config = load_nbgrader_config(course_dir)
    with GradebookWriter(course_dir, course, definition, config, bundle.digest) as writer:
        writer.record(result)
    grades = gradebook_state(course_dir)["grades"]
    assert grades and all(v[0] == 0 and not v[3] for v in grades.values())
    for notebook in definition.notebooks:
        path = course_dir / "autograded" / "ada" / ASSIGNMENT / f"{notebook}.ipynb"
        first = nbformat.read(path, as_version=4).cells[0].source
        assert "could not be graded" in first and "escape.py" in first


def _definition_in(db_url: str, course_id: str) -> dict:
    """What generate_assignment records of ASSIGNMENT, as plain data."""
    with nbgrader_api.Gradebook(db_url, course_id) as gb:
        found = gb.find_assignment(ASSIGNMENT)
        return {
            (nb.name, cell.name): (type(cell).__name__, getattr(cell, "max_score", None))
            for nb in found.notebooks
            for cell in [*nb.grade_cells, *nb.solution_cells, *nb.source_cells, *nb.task_cells]
        }


def _schema_version(db_path: Path) -> str:
    with sqlite3.connect(db_path) as db:
        return db.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_a_worker_writes_each_course_from_one_stamped_empty_gradebook(generated, monkeypatch):
    """nbgrader stamps a new gradebook by running `alembic heads` in a subprocess; a worker
    does that once, then copies, and every template still holds the assignment as defined."""
    course = load_course(generated)
    definition = assignment_definition(course.db_url, course.id, ASSIGNMENT)
    here = package_digest(Path(autograder.__file__).resolve().parent)
    bundle = dataclasses.replace(make_bundle(generated, course, definition), code_digest=here)
    stamped = []
    real = nbgrader_api.get_alembic_version

    def counted() -> str:
        stamped.append(1)
        return real()

    monkeypatch.setattr(nbgrader_api, "get_alembic_version", counted)
    expected = _definition_in(course.db_url, course.id)
    version = _schema_version(generated / "gradebook.db")
    cache = CourseCache()
    try:
        for digest in (bundle.digest, bundle.digest + "-changed"):
            written = cache.get(dataclasses.replace(bundle, digest=digest))
            assert _definition_in(f"sqlite:///{written.template_db}", course.id) == expected
            assert _schema_version(written.template_db) == version
            if digest == bundle.digest:
                first = written
        assert len(stamped) == 1
        assert not first.root.exists()  # a new bundle replaces the one before
    finally:
        cache.close()
    assert not written.root.exists() and not written.template_db.exists()
