"""The instructor's hand-grading in nbgrader's formgrader, on a course autograded for real.

A copy of the course, narrowed to one notebook so that it grades quickly, goes through the
real `nbgrader generate_assignment` and `autograde` (the course's sandboxed grading). A
`jupyter lab` started in the course directory serves the formgrader; in Chromium the
instructor opens the submission, sees its automatic cell scores and the hidden checks'
report, and enters a score and a comment for the written answer, which land in the gradebook.
"""

import re
import time

import pytest
from nbgrader.api import Gradebook

from autograder.notebooks import answers, fill_release
from autograder.pipeline import cell_scores, copy_course, nbgrader, submit
from autograder.variants.frobenius import VARIANTS

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

ASSIGNMENT, NOTEBOOK, STUDENT = "weight_decay", "frobenius", "grace"
# A known mistake that loses one of the two autograded cells, so the scores differ.
MISTAKE = "norm_not_squared"
WRITTEN = "frobenius_derivation"
SAVE_TIMEOUT_S = 15


@pytest.fixture(scope="module")
def autograded_course(chromium_executable, playwright_driver, tmp_path_factory):
    # (The browser fixtures come first: without a browser the test skips before grading.)
    course_dir = copy_course(tmp_path_factory.mktemp("course"))
    for other in (course_dir / "source" / ASSIGNMENT).glob("*.ipynb"):
        if other.stem != NOTEBOOK:
            other.unlink()
    nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force")
    variant = {v.name: v for v in VARIANTS}[MISTAKE]
    filled = fill_release(ASSIGNMENT, NOTEBOOK, answers(ASSIGNMENT, NOTEBOOK, variant))
    submit(course_dir, STUDENT, ASSIGNMENT, NOTEBOOK, filled)
    nbgrader(course_dir, "autograde", ASSIGNMENT, "--force")
    scores = cell_scores(course_dir, STUDENT, ASSIGNMENT, NOTEBOOK)
    assert scores == {
        "frobenius_sq": (0.0, 2.0),
        "matrix_l2_penalty_grad": (2.0, 2.0),
        WRITTEN: (None, 2.0),
    }, scores
    return course_dir


@pytest.fixture(scope="module")
def formgrader(lab_server, autograded_course):
    # The course directory is the server's root and working directory, as when an
    # instructor runs `jupyter lab` (or `nbgrader formgrader`) there.
    return lab_server(autograded_course, env={"PYTHONPATH": None})


def written_grade(course_dir):
    """(manual score, manual comment) of the written answer in the gradebook."""
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        grade = gradebook.find_grade(WRITTEN, NOTEBOOK, ASSIGNMENT, STUDENT)
        comment = gradebook.find_comment(WRITTEN, NOTEBOOK, ASSIGNMENT, STUDENT)
        return grade.manual_score, comment.manual_comment


def wait_for_gradebook(course_dir, expected):
    deadline = time.monotonic() + SAVE_TIMEOUT_S
    while (found := written_grade(course_dir)) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def test_formgrader_shows_cell_scores_and_saves_a_manual_grade(
    browser_page, formgrader, autograded_course, screenshot_dir
):
    page = browser_page
    # In from the formgrader's home page, as an instructor would. (Its login cookie is set for
    # "/" only from there: formgrader's handlers leave the cookie's path to the browser.)
    page.goto(formgrader.url("formgrader"))
    page.get_by_role("link", name="Manual Grading").first.click()
    page.get_by_role("link", name=ASSIGNMENT, exact=True).click()
    page.get_by_role("link", name=NOTEBOOK, exact=True).click()
    row = page.locator("table tbody tr", has_text="Submission #1")
    row.wait_for()
    # Overall 2 of 6, code 2 of 4, written 0 of 2 and waiting for a hand grade.
    cells = [text.strip() for text in row.locator("td").all_inner_texts()]
    assert cells[2:5] == ["2 / 6", "2 / 4", "0 / 2"], cells
    page.screenshot(path=str(screenshot_dir / "1-submissions.png"))

    row.get_by_role("link", name="Submission #1").click()
    frobenius, gradient, written = (
        page.locator(f"input.score#{grade_id}")
        for grade_id in ("frobenius_sq", "matrix_l2_penalty_grad", WRITTEN)
    )
    # Automatic scores are shown as the placeholders of the score boxes, which the page's
    # script fills in from the gradebook after loading (hence the waiting assertions).
    expect(frobenius).to_have_attribute("placeholder", "0")
    expect(gradient).to_have_attribute("placeholder", "2")
    expect(written).to_have_class(re.compile(r"\bneeds_manual_grade\b"))
    report = page.locator(".output_area", has_text="Hidden checks passed: 0 of").first
    assert "the norm ||X||_F where the squared norm" in report.inner_text()
    page.screenshot(path=str(screenshot_dir / "2-submission.png"), full_page=True)

    written.scroll_into_view_if_needed()
    written.fill("1.5")
    written.press("Tab")
    comment = page.locator(f"textarea.comment#{WRITTEN}-comment")
    comment.fill("Right for square matrices; show the m x n case.")
    comment.press("Tab")
    expected = (1.5, "Right for square matrices; show the m x n case.")
    assert wait_for_gradebook(autograded_course, expected) == expected
    page.screenshot(path=str(screenshot_dir / "3-graded.png"))

    # Reloaded, the page shows the saved grade and no longer asks for one.
    page.reload()
    expect(written).to_have_value("1.5")
    expect(written).not_to_have_class(re.compile(r"\bneeds_manual_grade\b"))
