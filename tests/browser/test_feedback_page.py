"""The feedback page in Chromium: a summary on top, every message inside the window, no grader
code, and nothing a student supplied runs.

Two submissions of gradient_access are graded by the real nbgrader: the demo's known mistakes,
and answers that print, display and raise HTML with script in it.
"""

from __future__ import annotations

import pytest

from autograder.steps.feedback import SUMMARY_ID
from tests.report.small_class import FLAG, feedback_page, grade_small_class

STUDENTS = ("ben_mistakes", "fay_html")
WIDTHS = (1280, 760)  # a laptop window and a narrow one
# What a student reads: each failure message, the check lines and the summary's lines.
MESSAGES = ".d2l-message, .d2l-report li, .d2l-summary li, .d2l-summary td"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grade_small_class(tmp_path_factory.mktemp("feedback-page") / "course", STUDENTS)


def open_page(page, path, width=1280):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path.as_uri(), wait_until="load")


def test_the_summary_opens_the_page_and_links_to_each_graded_cell(
    graded, browser_page, screenshot_dir
):
    open_page(browser_page, feedback_page(graded, "ben_mistakes"))
    summary = browser_page.locator(f"#{SUMMARY_ID}")
    box = summary.bounding_box()
    assert box is not None and box["y"] < 400, box  # read without scrolling
    text = summary.inner_text()
    assert "get_grads" in text and " / 2" in text
    assert "looks like a flattened weight gradient" in text
    browser_page.screenshot(path=str(screenshot_dir / "summary.png"))
    summary.get_by_role("link", name="full_batch_grads").click()
    browser_page.wait_for_function("window.scrollY > 0")
    assert browser_page.evaluate("location.hash") == "#full_batch_grads"
    browser_page.screenshot(path=str(screenshot_dir / "linked-cell.png"))


@pytest.mark.parametrize("student", STUDENTS)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_message_fits_inside_the_window(graded, browser_page, screenshot_dir, student, width):
    open_page(browser_page, feedback_page(graded, student), width)
    boxes = browser_page.eval_on_selector_all(
        MESSAGES,
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [e.textContent.slice(0, 60), r.left, r.right]; })",
    )
    assert len(boxes) > 5
    outside = [(text, left, right) for text, left, right in boxes if left < 0 or right > width]
    assert not outside, outside
    browser_page.screenshot(path=str(screenshot_dir / f"{student}-{width}.png"), full_page=True)


def test_no_grader_code_is_on_the_page(graded, browser_page):
    for student in STUDENTS:
        open_page(browser_page, feedback_page(graded, student))
        text = browser_page.inner_text("body")
        for secret in ("check_here", "BEGIN HIDDEN", "autograder", "@cell(", "Marking scheme"):
            assert secret not in text, (student, secret)


def test_a_script_a_student_supplied_does_not_run(graded, browser_page, screenshot_dir):
    open_page(browser_page, feedback_page(graded, "fay_html"))
    browser_page.wait_for_timeout(500)  # an <img onerror> fires after its load fails
    assert browser_page.evaluate(f"window.{FLAG}") is None
    assert (
        browser_page.locator("script:not([src])").evaluate_all(
            f"els => els.filter(e => e.textContent.includes('{FLAG}')).length"
        )
        == 0
    )
    browser_page.locator(".d2l-fail").first.scroll_into_view_if_needed()
    browser_page.screenshot(path=str(screenshot_dir / "student-html-as-text.png"))
