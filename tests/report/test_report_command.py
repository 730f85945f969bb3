"""`python -m autograder.report` after a real `nbgrader autograde` of a small class."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
import time

import pytest
from nbgrader.api import Gradebook

from autograder.config import load_course
from autograder.pipeline import copy_course, nbgrader_env
from autograder.report.gather import gather
from autograder.report.model import BROKEN_FILE, CRASH, MISSING, TIME_LIMIT
from autograder.report.page import CSV, PAGE, write_report
from autograder.report.table import NOT_GRADED
from tests.report.small_class import ASSIGNMENT, NOTEBOOK, STUDENTS

pytestmark = pytest.mark.slow


def report_command(course_dir, *args):
    return subprocess.run(
        [sys.executable, "-m", "autograder.report", *args],
        cwd=course_dir,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def results(small_class):
    return gather(load_course(small_class), (ASSIGNMENT,))


def test_one_command_writes_the_page_its_figures_and_the_csv(small_class):
    done = report_command(small_class, ASSIGNMENT)
    assert done.returncode == 0, done.stderr
    page = small_class / "reports" / PAGE
    assert f"Class report: {page}" in done.stdout
    html = page.read_text()
    for src in re.findall(r'<img src="([^"]+)"', html):
        assert (page.parent / src).stat().st_size > 1000
    with (page.parent / CSV).open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["student"] for row in rows} == set(STUDENTS)
    broken = [row for row in rows if row["student"] == "dee_broken"]
    assert {row["check"] for row in broken} == {NOT_GRADED}  # an unreadable file ran no check
    assert {row["cell"] for row in broken} == {"get_grads", "full_batch_grads"}


def test_the_right_answer_keeps_every_point(results):
    ada = next(r for r in results.results if r.student == "ada_right" and r.notebook == NOTEBOOK)
    assert ada.autograded_score == 5.0 and ada.issues == ()


def test_known_mistakes_are_counted_with_the_students_who_made_them(results):
    named = {m.mistake: m.students for m in results.mistakes()}
    flattened = next(name for name in named if "flattened weight gradient" in name)
    accumulated = next(name for name in named if "not zeroed" in name)
    assert named[flattened] == ("ben_mistakes",)
    assert named[accumulated] == ("ben_mistakes",)


def test_time_limits_crashes_and_broken_files_are_flagged(results):
    def who(kind):
        return {(f.student, f.notebook) for f in results.flagged(kind)}

    assert who(TIME_LIMIT) == {("eve_hostile", NOTEBOOK)}
    assert who(CRASH) == {("eve_hostile", NOTEBOOK)}
    assert who(BROKEN_FILE) == {("dee_broken", NOTEBOOK)}
    others = [nb.name for nb in load_course().notebooks_of(ASSIGNMENT) if nb.name != NOTEBOOK]
    assert who(MISSING) == {(s, name) for s in STUDENTS for name in others}


def test_an_assignment_that_was_not_graded_is_refused_with_a_reason(small_class):
    done = report_command(small_class, "weight_decay")
    assert done.returncode == 2
    assert "no assignment weight_decay" in done.stderr and "Traceback" not in done.stderr
    done = report_command(small_class, "no_such_assignment")
    assert done.returncode == 2 and "no_such_assignment" in done.stderr


def test_a_course_without_a_gradebook_is_told_to_autograde_first(tmp_path):
    course_dir = copy_course(tmp_path / "course")
    done = report_command(course_dir)
    assert done.returncode == 2
    assert "run `nbgrader autograde` first" in done.stderr
    assert not (course_dir / "gradebook.db").exists()


def test_a_gradebook_of_300_students_is_reported_in_seconds(small_class, tmp_path):
    """The same course with 300 more students in its gradebook, each with ben's notebook."""
    course_dir = tmp_path / "course"
    shutil.copytree(small_class, course_dir, ignore=shutil.ignore_patterns("feedback", "reports"))
    ben = course_dir / "autograded" / "ben_mistakes" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    course = load_course(course_dir)
    many = [f"s{i:03d}" for i in range(300)]
    with Gradebook(course.db_url) as gb:
        for student in many:
            gb.add_student(student)
            gb.add_submission(ASSIGNMENT, student)
            folder = course_dir / "autograded" / student / ASSIGNMENT
            folder.mkdir(parents=True)
            shutil.copy(ben, folder)
    started = time.monotonic()
    results = gather(course, (ASSIGNMENT,))
    page = write_report(results, course_dir / "reports")
    seconds = time.monotonic() - started
    print(
        f"gradebook and notebooks of {len(results.students)} students reported in {seconds:.1f} s"
    )
    assert len(results.students) == len(STUDENTS) + len(many)
    flattened = next(m for m in results.mistakes() if "flattened weight gradient" in m.mistake)
    assert set(many) < set(flattened.students)
    assert page.exists() and seconds < 120
