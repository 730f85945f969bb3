"""The class report for a synthetic class of 300: readable, complete and escaped."""

from __future__ import annotations

import csv
import re
import time
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from autograder.report.model import ISSUE_KINDS, MISSING
from autograder.report.page import CSV, write_report
from autograder.report.table import COLUMNS
from tests.report import synthetic

STUDENTS = 300


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    results, truth = synthetic.build(STUDENTS, seed=7)
    out = tmp_path_factory.mktemp("class-report")
    started = time.monotonic()
    page = write_report(results, out)
    seconds = time.monotonic() - started
    print(f"class report for {STUDENTS} students written in {seconds:.1f} s")
    return SimpleNamespace(
        page=page, html=page.read_text(), out=out, results=results, truth=truth, seconds=seconds
    )


class OutsideDetails(HTMLParser):
    """The text of a page that is not inside a (possibly nested) <details>."""

    def __init__(self):
        super().__init__()
        self.depth, self.text = 0, []

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "details"

    def handle_endtag(self, tag):
        self.depth -= tag == "details"

    def handle_data(self, data):
        if self.depth == 0:
            self.text.append(data)


def test_a_class_of_300_has_one_figure_per_notebook_and_one_for_mistakes(report):
    images = re.findall(r'<img src="([^"]+)"', report.html)
    assert len(images) == len(synthetic.NOTEBOOKS) + 1
    for src in images:
        png = report.out / src
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size < 300_000


def test_mistakes_are_ranked_by_how_many_students_made_them(report):
    ranked = report.results.mistakes()
    expected = {key: len(who) for key, who in report.truth.mistakes.items()}
    assert {(m.notebook, m.grade_id, m.mistake): len(m.students) for m in ranked} == expected
    counts = [len(m.students) for m in ranked]
    assert counts == sorted(counts, reverse=True)
    table = report.html[report.html.index('id="mistakes"') : report.html.index('id="checks"')]
    rows = re.findall(r'<tr><td class="n">\d+</td><td>(.*?)</td><td>(.*?)</td>', table)
    assert rows == [(m.mistake, f"{m.notebook}/{m.grade_id}") for m in ranked]


def test_every_list_of_students_is_collapsed(report):
    outside = OutsideDetails()
    outside.feed(report.html)
    text = " ".join(outside.text)
    assert not re.search(r"\bs\d{3}\b", text)
    assert "s_evil" not in text


def test_flagged_submissions_are_counted_under_their_kind(report):
    for kind in ISSUE_KINDS:
        listed = report.results.flagged(kind)
        assert {(f.student, f.notebook) for f in listed} == report.truth.flagged[kind]
        assert f"{kind}: {len(listed)} submissions</summary>" in report.html


def test_score_histograms_leave_out_missing_notebooks_and_unmarked_answers(report):
    alpha = synthetic.NOTEBOOKS[0]
    points, *cells = report.results.distributions(alpha)
    submitted = STUDENTS - len([s for s, nb in report.truth.flagged[MISSING] if nb == "alpha"])
    assert len(points.scores) == submitted
    why = next(d for d in cells if d.label == "a_why")
    assert why.pending > 0 and len(why.scores) + why.pending == submitted
    assert f"{why.pending} to mark" in report.html


def test_the_csv_has_a_row_for_every_check_of_every_student(report):
    with (report.out / CSV).open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) - 1 == report.truth.checks
    named = [r for r in rows[1:] if r[6]]
    assert all(f"This looks like {r[6]}." in r[7] for r in named)
    assert any(r[0] == synthetic.HOSTILE_ID for r in rows)


def test_text_a_student_chose_is_shown_as_text(report):
    assert "<script" not in report.html
    assert 'id="injected"' not in report.html
    assert "&lt;b id=&quot;injected&quot;&gt;s_evil&lt;/b&gt;" in report.html


def test_the_report_for_300_students_is_written_in_seconds(report):
    assert report.seconds < 60
    assert report.page.stat().st_size < 2_000_000
