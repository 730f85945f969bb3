"""The class report in Chromium: a synthetic class of 300 renders, and every figure loads."""

from __future__ import annotations

import pytest

from autograder.report.page import write_report
from tests.report import synthetic


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    results, _ = synthetic.build(300, seed=3)
    return write_report(results, tmp_path_factory.mktemp("class-report"))


def test_the_report_renders_and_every_figure_loads(report_page, browser_page, screenshot_dir):
    browser_page.goto(report_page.as_uri(), wait_until="load")
    assert browser_page.title().startswith("Class report")
    assert browser_page.get_by_role("heading", name="Class report").is_visible()
    images = browser_page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => [i.getAttribute('src'), i.complete, i.naturalWidth])"
    )
    assert len(images) == len(synthetic.NOTEBOOKS) + 1
    assert all(complete and width > 0 for _, complete, width in images), images
    browser_page.screenshot(path=str(screenshot_dir / "class-report.png"), full_page=True)


def test_the_report_fits_the_window_and_lists_open_on_demand(
    report_page, browser_page, screenshot_dir
):
    browser_page.goto(report_page.as_uri(), wait_until="load")
    width = browser_page.evaluate("document.documentElement.scrollWidth")
    assert width <= browser_page.viewport_size["width"]
    who = browser_page.locator("#mistakes ~ table details").first
    assert not who.locator("p.who").is_visible()
    who.locator("summary").click()
    assert who.locator("p.who").is_visible()
    who.scroll_into_view_if_needed()
    browser_page.screenshot(path=str(screenshot_dir / "mistakes-who-opened.png"))
