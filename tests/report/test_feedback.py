"""The feedback page a student reads: a summary on top, reports that wrap, nothing that runs."""

from __future__ import annotations

import re

import pytest
from nbformat.v4 import new_output

from autograder.notebooks import is_graded_test, nbgrader_meta, read, release_path
from autograder.steps.feedback import SUMMARY_ID, StudentFeedback
from tests.report.small_class import (
    ASSIGNMENT,
    IMG,
    LONG_WORD,
    NOTEBOOK,
    SCRIPT,
    STUDENTS,
    feedback_page,
)


def reports(html: str) -> list[str]:
    """The HTML of every graded cell's report on a page."""
    return re.findall(r'<div class="d2l-report[^"]*">.*?</div>', html, re.S)


def summary(html: str) -> str:
    return re.search(rf'<div class="d2l-summary[^"]*" id="{SUMMARY_ID}">.*?</div>', html).group()


@pytest.mark.slow
def test_the_summary_comes_first_and_links_each_graded_cell(small_class):
    html = feedback_page(small_class, "ben_mistakes").read_text()
    top = summary(html)
    assert html.index(top) < html.index("Reading the gradients")
    for cell in ("get_grads", "full_batch_grads"):
        assert f'<a href="#{cell}">{cell}</a>' in top
        assert f'<a name="{cell}"></a>' in html  # nbgrader's anchor on the cell
    assert re.search(r"<td>[\d.]+ / 2</td>", top) and re.search(r"<td>[\d.]+ / 3</td>", top)
    assert "looks like a flattened weight gradient" in top
    assert "looks like gradients accumulated because they were not zeroed" in top


@pytest.mark.slow
def test_every_failure_message_sits_under_its_check_in_wrapping_text(small_class):
    html = feedback_page(small_class, "ben_mistakes").read_text()
    assert "[FAIL]" not in html  # the plain report is replaced, not shown twice
    found = reports(html)
    assert len(found) == 2
    messages = re.findall(r'<pre class="d2l-message">(.*?)</pre>', "".join(found), re.S)
    assert len(messages) == html.count('class="d2l-fail"') > 0
    assert "white-space: pre-wrap" in html and "overflow-wrap: anywhere" in html


@pytest.mark.slow
def test_grading_trouble_is_named_in_the_summary(small_class):
    broken = summary(feedback_page(small_class, "dee_broken").read_text())
    assert "not a notebook" in broken and "not graded" in broken
    hostile = summary(feedback_page(small_class, "eve_hostile").read_text())
    assert "time limit" in hostile and "kernel stopped" in hostile
    assert '<a href="#stopped-1">' in hostile


@pytest.mark.slow
def test_html_in_what_a_student_raised_is_shown_as_text(small_class):
    html = feedback_page(small_class, "fay_html").read_text()
    ours = "".join(reports(html)) + summary(html)
    assert LONG_WORD[:100] in ours  # grading may shorten a long message, never drop it
    for raw in (IMG, SCRIPT, "<img", "<script"):
        assert raw not in ours
    assert "&lt;img src=" in ours


@pytest.mark.slow
def test_no_grader_code_reaches_any_feedback_page(small_class):
    for student in STUDENTS:
        html = feedback_page(small_class, student).read_text()
        for secret in ("check_here", "BEGIN HIDDEN", "autograder", "@cell(", "Marking scheme"):
            assert secret not in html, (student, secret)


@pytest.mark.slow
def test_the_autograded_notebook_keeps_its_plain_report(small_class):
    nb = read(small_class / "autograded" / "ben_mistakes" / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    graded = [c for c in nb.cells if is_graded_test(c)]
    assert all(c.outputs[0].get("name") == "stdout" for c in graded)
    assert "[FAIL]" in graded[0].outputs[0].text


def test_written_answers_are_listed_as_waiting_for_a_person():
    nb = read(release_path("weight_decay", "lambda_sweep"))
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade"):
            meta["points"] = 2.0
            meta["score"] = None if cell.cell_type == "markdown" else 2.0
        if is_graded_test(cell):
            cell.outputs = [
                new_output(
                    "stream", name="stdout", text="[PASS] ok\nHidden checks passed: 1 of 1.\n"
                ),
                new_output("execute_result", data={"text/plain": "2.0"}),
            ]
    nb, resources = StudentFeedback().preprocess(nb, {})
    top = nb.cells[0].source
    assert "written answer, to be marked by hand" in top
    assert "all 1 checks passed" in top
    assert "\n" not in top  # one HTML block: a blank line would end it inside Markdown
    assert any(".d2l-report" in css for css in resources["inlining"]["css"])
