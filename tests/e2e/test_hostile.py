"""Grading that cannot be fooled and loses nothing, proved by one real `nbgrader autograde` run.

A student is graded first, on their own. Then one batch holds an honest student graded before
the others, every attack, tampering and broken file of hostile_submissions.py, honest students
doing odd but harmless things, and an honest student graded after them all.
"""

import hashlib
from pathlib import Path

import pytest

from autograder.notebooks import answers, fill_release, read
from autograder.pipeline import cell_scores, copy_course, nbgrader, submit
from autograder.sandbox import confine

from .hostile_submissions import ASSIGNMENT, CASES, NOTEBOOK, TARGET_CELL, build

pytestmark = pytest.mark.slow
EARLIER, BEFORE, AFTER, MISSING = (
    "aaa_graded_earlier",
    "aab_honest_before",
    "zzz_honest_after",
    "case_missing_notebook",
)
VOLATILE = {"submitted", "autograded", "feedback", "gradebook.db", "grades.csv", "__pycache__"}


def honest_notebook():
    return fill_release(ASSIGNMENT, NOTEBOOK, answers(ASSIGNMENT, NOTEBOOK))


def fingerprint(*roots: Path) -> dict[str, str]:
    """A hash of every course and kit file that grading must leave alone."""
    found = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and not VOLATILE & set(path.relative_to(root).parts):
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    course_dir = copy_course(tmp_path_factory.mktemp("hostile"))
    settings = (course_dir / "course.toml").read_text()
    # Short limits keep the endless loops quick; everything honest fits in them easily.
    settings = settings.replace("cell_timeout = 90", "cell_timeout = 10")
    settings = settings.replace("memory_mb = 6144", "memory_mb = 3072")
    (course_dir / "course.toml").write_text(settings)
    nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force")

    submit(course_dir, EARLIER, ASSIGNMENT, NOTEBOOK, honest_notebook())
    nbgrader(course_dir, "autograde", ASSIGNMENT)
    earlier = cell_scores(course_dir, EARLIER, ASSIGNMENT, NOTEBOOK)
    kit = confine.kit_location()
    before = fingerprint(course_dir, kit)

    submit(course_dir, BEFORE, ASSIGNMENT, NOTEBOOK, honest_notebook())
    submit(course_dir, AFTER, ASSIGNMENT, NOTEBOOK, honest_notebook())
    for case in CASES:
        submit(course_dir, f"case_{case.name}", ASSIGNMENT, NOTEBOOK, build(case, course_dir))
    blank_l1 = read(course_dir / "release" / ASSIGNMENT / "l1_update.ipynb")
    submit(course_dir, MISSING, ASSIGNMENT, "l1_update", blank_l1)
    run = nbgrader(course_dir, "autograde", ASSIGNMENT, check=False)
    nbgrader(course_dir, "generate_feedback", ASSIGNMENT, check=False)
    return {
        "dir": course_dir,
        "run": run,
        "earlier": earlier,
        "fingerprint": (before, fingerprint(course_dir, kit)),
    }


def scores_of(batch, student):
    return cell_scores(batch["dir"], student, ASSIGNMENT, NOTEBOOK)


def feedback_text(batch, student) -> str:
    nb = read(batch["dir"] / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    parts = []
    for cell in nb.cells:
        parts.append(cell.source if cell.cell_type == "markdown" else "")
        for output in cell.get("outputs", []):
            error = f"{output.get('ename', '')}: {output.get('evalue', '')}"
            parts.append(output.get("text", "") or error)
    return "\n".join(parts)


def test_the_batch_finishes_without_an_error(batch):
    assert batch["run"].returncode == 0, batch["run"].stderr[-3000:]


@pytest.mark.parametrize("case", [c for c in CASES if c.expect == "below"], ids=lambda c: c.name)
def test_an_attack_never_earns_full_points(batch, case):
    score, top = scores_of(batch, f"case_{case.name}")[TARGET_CELL]
    assert score < top, feedback_text(batch, f"case_{case.name}")


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.expect == "cell_zero"], ids=lambda c: c.name
)
def test_a_bad_answer_scores_zero_on_its_cell(batch, case):
    score, _ = scores_of(batch, f"case_{case.name}")[TARGET_CELL]
    assert score == 0, feedback_text(batch, f"case_{case.name}")


@pytest.mark.parametrize("case", [c for c in CASES if c.message], ids=lambda c: c.name)
def test_feedback_names_the_problem(batch, case):
    assert case.message.lower() in feedback_text(batch, f"case_{case.name}").lower()


@pytest.mark.parametrize("case", [c for c in CASES if c.expect == "zero"], ids=lambda c: c.name)
def test_an_unreadable_file_scores_zero_and_is_still_graded(batch, case):
    scores = scores_of(batch, f"case_{case.name}")
    assert scores and all(not score for score, _ in scores.values())


@pytest.mark.parametrize(
    "student",
    [BEFORE, AFTER] + [f"case_{c.name}" for c in CASES if c.expect == "full"],
)
def test_honest_work_keeps_every_point(batch, student):
    scores = scores_of(batch, student)
    auto = {cell: s for cell, s in scores.items() if s[0] is not None}
    assert auto and all(score == top for score, top in auto.values()), feedback_text(batch, student)


def test_a_missing_notebook_scores_zero_and_the_rest_is_graded(batch):
    assert all(not score for score, _ in scores_of(batch, MISSING).values())
    assert cell_scores(batch["dir"], MISSING, ASSIGNMENT, "l1_update")


def test_grades_already_in_the_gradebook_do_not_change(batch):
    assert scores_of(batch, EARLIER) == batch["earlier"]


def test_course_files_and_the_kit_are_byte_identical_afterwards(batch):
    before, after = batch["fingerprint"]
    assert before == after


def test_feedback_shows_no_grader_code(batch):
    # Student code may name the graders (the attacks do); grader code itself must not appear.
    hidden = ("check_here", "BEGIN HIDDEN TESTS", "def test_", "pytest.mark.cell", "Marking scheme")
    for html in (batch["dir"] / "feedback").rglob("*.html"):
        text = html.read_text()
        assert not [h for h in hidden if h in text], html
