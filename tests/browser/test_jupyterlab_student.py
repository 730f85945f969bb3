"""A student's session in a real JupyterLab: fill a release notebook, run it, validate it.

The notebook is a temporary copy of release/weight_decay/lambda_sweep.ipynb served by a real
`jupyter lab` with the course's Python environment (the kit and nbgrader's Validate button),
driven in Chromium. The answers typed in are the reference solutions.
"""

import re
import shutil

import nbformat
import pytest

from autograder.config import REPO_ROOT
from autograder.notebooks import answers, is_solution, nbgrader_meta, release_path

ASSIGNMENT, NOTEBOOK = "weight_decay", "lambda_sweep"
RUN_ALL_TIMEOUT_MS = 150_000
# Validate runs the whole notebook again in a fresh kernel on the server.
VALIDATE_TIMEOUT_MS = 150_000


@pytest.fixture(scope="module")
def student_lab(chromium_executable, playwright_driver, lab_server, tmp_path_factory):
    """A lab rooted in a student's folder holding two copies of the assignment, so each test
    starts from an untouched release notebook."""
    root = tmp_path_factory.mktemp("student")
    for copy in ("filled", "blank"):
        shutil.copytree(REPO_ROOT / "release" / ASSIGNMENT, root / copy)
    # As on a student's machine: the inline backend and live boards (the test session sets
    # neither for the server), and no course directory on the path.
    return lab_server(root, env={"MPLBACKEND": None, "D2LKIT_LIVE_PLOTS": None, "PYTHONPATH": None})


def answer_cells():
    """grade_id -> (index, cell type) of each answer cell in the release notebook."""
    nb = nbformat.read(release_path(ASSIGNMENT, NOTEBOOK), as_version=4)
    return {
        nbgrader_meta(c)["grade_id"]: (i, c.cell_type)
        for i, c in enumerate(nb.cells)
        if is_solution(c)
    }


def open_notebook(page, lab, path):
    # ?reset: a fresh workspace, not the tabs an earlier test left open on the same server.
    page.goto(lab.url(f"lab/tree/{path}?reset"))
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for()
    # The kernel is ready when the toolbar's kernel status reads idle.
    page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
        timeout=60_000
    )
    return page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")


def replace_cell_text(page, cell, text, markdown=False):
    """Select everything in the cell's editor and type `text` over it."""
    if markdown:
        cell.locator(".jp-MarkdownOutput").dblclick()
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    # insert_text types the text as one input, so the editor's auto-indent and bracket
    # closing do not rewrite the code a student pasted.
    page.keyboard.insert_text(text)


def run_all(page):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def wait_until_all_ran(page):
    """Every code cell shows an execution count and none is queued or running."""
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll(
                '.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=RUN_ALL_TIMEOUT_MS,
    )


def validate(page):
    """Press nbgrader's Validate button and return the results dialog (left open)."""
    page.locator(".jp-NotebookPanel .jp-Toolbar").get_by_role("button", name="Validate").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator(".jp-Dialog-header", has_text="Validation Results").wait_for(
        timeout=VALIDATE_TIMEOUT_MS
    )
    return dialog


def test_a_right_answer_runs_shows_its_checks_and_plot_and_validates(
    browser_page, student_lab, screenshot_dir
):
    page = browser_page
    cells = open_notebook(page, student_lab, f"filled/{NOTEBOOK}.ipynb")
    page.screenshot(path=str(screenshot_dir / "1-opened.png"))
    to_fill = answer_cells()
    reference = answers(ASSIGNMENT, NOTEBOOK)
    for grade_id, (index, cell_type) in to_fill.items():
        replace_cell_text(
            page, cells.nth(index), reference[grade_id], markdown=cell_type == "markdown"
        )
    run_all(page)
    wait_until_all_ran(page)

    outputs = page.locator(".jp-NotebookPanel .jp-OutputArea-output")
    text = "\n".join(outputs.all_inner_texts())
    assert "Traceback" not in text and "Error" not in text, text[-2000:]
    checks = cells.nth(to_fill["sweep_impl"][0] + 1)
    assert "visible checks passed" in checks.locator(".jp-OutputArea").inner_text()
    checks.screenshot(path=str(screenshot_dir / "2-visible-checks.png"))
    experiment = cells.filter(has_text="best lambda on this validation split").last
    experiment.scroll_into_view_if_needed()
    plot = experiment.locator(".jp-OutputArea-output img")
    plot.last.wait_for()
    assert plot.last.evaluate("img => img.complete && img.naturalWidth > 100")
    experiment.screenshot(path=str(screenshot_dir / "3-experiment-and-plot.png"))
    written = cells.nth(to_fill["sweep_observations"][0])
    assert "overfits" in written.locator(".jp-MarkdownOutput").inner_text()

    dialog = validate(page)
    page.screenshot(path=str(screenshot_dir / "4-validate.png"))
    assert "Success! Your notebook passes all the tests." in dialog.inner_text()
    dialog.get_by_role("button", name="Ok").click()


def test_validate_on_a_blank_notebook_names_the_unfinished_cells(
    browser_page, student_lab, screenshot_dir
):
    page = browser_page
    open_notebook(page, student_lab, f"blank/{NOTEBOOK}.ipynb")
    dialog = validate(page)
    page.screenshot(path=str(screenshot_dir / "validate-blank.png"))
    report = dialog.inner_text()
    # One entry per graded cell: the three checked functions, each with its checks' code and
    # the error it raised, and the unanswered written question.
    assert report.count("The following cell failed:") == 4, report[:3000]
    for call in ("sweep(tiny", "best_lambda(example)", "plot_sweep(example)"):
        assert call in report
    assert report.count("NotImplementedError") >= 3
    assert "You did not provide a response." in report
    assert "Success!" not in report
