"""What a student submits is read leniently, then rebuilt from the release version."""

import copy
import io
import json
import os

import nbformat
import pytest

from autograder.config import REPO_ROOT
from autograder.notebooks import is_graded_test, is_solution, nbgrader_meta, read, release_path
from autograder.steps.intake import NOTE_KEY, LenientNotebookExporter, RebuildFromRelease
from autograder.steps.submission_files import RESOURCES_KEY

ASSIGNMENT, NOTEBOOK = "linear_regression", "huber_loss"


@pytest.fixture
def release():
    return read(release_path(ASSIGNMENT, NOTEBOOK))


@pytest.fixture
def answer_id(release):
    return next(nbgrader_meta(c)["grade_id"] for c in release.cells if is_solution(c))


@pytest.fixture
def graded_id(release):
    return next(nbgrader_meta(c)["grade_id"] for c in release.cells if is_graded_test(c))


def cell(nb, grade_id):
    return next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)


def rebuild(nb):
    resources = {"nbgrader": {"assignment": ASSIGNMENT, "notebook": NOTEBOOK}}
    rebuilt, _ = RebuildFromRelease(course_root=str(REPO_ROOT)).preprocess(nb, resources)
    return rebuilt


def read_leniently(text):
    output, _ = LenientNotebookExporter().from_file(io.StringIO(text), resources={})
    return nbformat.reads(output, as_version=4)


def test_only_the_answers_of_solution_cells_are_kept(release, answer_id, graded_id):
    submitted = copy.deepcopy(release)
    cell(submitted, answer_id).source = "def huber_loss(y_hat, y, sigma=1.0):\n    return 0"
    forged = cell(submitted, graded_id)
    forged.source = "pass"
    forged.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "99"})]
    rebuilt = rebuild(submitted)
    assert cell(rebuilt, answer_id).source.endswith("return 0")
    assert cell(rebuilt, graded_id).source == cell(release, graded_id).source
    assert all(not c.get("outputs") for c in rebuilt.cells)


def test_a_deleted_graded_cell_comes_back(release, graded_id):
    submitted = copy.deepcopy(release)
    submitted.cells.remove(cell(submitted, graded_id))
    assert cell(rebuild(submitted), graded_id).source == cell(release, graded_id).source


def test_the_first_copy_of_a_duplicated_answer_wins(release, answer_id):
    submitted = copy.deepcopy(release)
    first = cell(submitted, answer_id)
    first.source = "first = True"
    second = copy.deepcopy(first)
    second.source = "second = True"
    submitted.cells.insert(submitted.cells.index(first) + 1, second)
    rebuilt = rebuild(submitted)
    assert [c.source for c in rebuilt.cells if nbgrader_meta(c).get("grade_id") == answer_id] == [
        "first = True"
    ]


def test_changed_cell_types_and_metadata_are_undone(release, graded_id):
    submitted = copy.deepcopy(release)
    graded = cell(submitted, graded_id)
    graded.cell_type = "markdown"
    nbgrader_meta(graded).update(points=100, grade=False, solution=True)
    graded.source = "print(3)"
    restored = cell(rebuild(submitted), graded_id)
    assert restored == cell(release, graded_id)


def test_a_missing_answer_cell_is_graded_blank_with_a_note(release, answer_id):
    submitted = copy.deepcopy(release)
    submitted.cells.remove(cell(submitted, answer_id))
    rebuilt = rebuild(submitted)
    assert cell(rebuilt, answer_id).source == cell(release, answer_id).source
    assert answer_id in rebuilt.cells[0].source and "Grading note" in rebuilt.cells[0].source


def test_a_file_that_is_not_json_becomes_an_empty_notebook_marked_unreadable():
    nb = read_leniently("{ this is not json")
    assert nb.cells == [] and nb.metadata[NOTE_KEY]["unreadable"]


def test_answers_are_salvaged_from_an_invalid_notebook(release, answer_id):
    raw = json.loads(nbformat.writes(release))
    raw["nbformat"] = 4
    raw["nbformat_minor"] = "five"  # invalid: nbformat refuses the whole file
    for c in raw["cells"]:
        if c["metadata"].get("nbgrader", {}).get("grade_id") == answer_id:
            c["source"] = ["salvaged = ", "True"]
    nb = read_leniently(json.dumps(raw))
    assert "not a valid notebook" in nb.metadata[NOTE_KEY]["notes"][0]
    assert cell(rebuild(nb), answer_id).source == "salvaged = True"


def read_file_leniently(path):
    exporter = LenientNotebookExporter(course_root=str(REPO_ROOT))
    output, resources = exporter.from_filename(str(path))
    return nbformat.reads(output, as_version=4), resources


@pytest.fixture
def solutions(tmp_path):
    """A notebook holding the solutions, somewhere the student should never reach."""
    path = tmp_path / "source" / f"{NOTEBOOK}.ipynb"
    path.parent.mkdir()
    path.write_text(nbformat.writes(read(REPO_ROOT / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb")))
    return path


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda p, s: p.symlink_to(s), "is a link"),
        (lambda p, s: os.link(s, p), "hard link"),
        (lambda p, s: os.mkfifo(p), "a FIFO"),
        (lambda p, s: p.mkdir(), "a folder"),
    ],
    ids=["symlink", "hard_link", "fifo", "folder"],
)
def test_a_notebook_that_is_not_a_plain_file_is_not_read(tmp_path, solutions, make, reason):
    submitted = tmp_path / "submitted" / f"{NOTEBOOK}.ipynb"
    submitted.parent.mkdir()
    make(submitted, solutions)
    nb, resources = read_file_leniently(submitted)
    assert nb.cells == [] and nb.metadata[NOTE_KEY]["unreadable"]
    assert reason in nb.metadata[NOTE_KEY]["notes"][0]
    assert resources["metadata"]["path"] == str(submitted.parent)


def test_a_plain_notebook_file_is_read(tmp_path, release):
    submitted = tmp_path / f"{NOTEBOOK}.ipynb"
    submitted.write_text(nbformat.writes(release))
    nb, _ = read_file_leniently(submitted)
    assert len(nb.cells) == len(release.cells) and NOTE_KEY not in nb.metadata


def test_notes_of_the_folder_intake_head_the_feedback_and_carry_no_markup(release):
    resources = {
        "nbgrader": {"assignment": ASSIGNMENT, "notebook": NOTEBOOK},
        RESOURCES_KEY: ["the file '<script>x()</script>' is a link and was not copied"],
    }
    step = RebuildFromRelease(course_root=str(REPO_ROOT))
    rebuilt, _ = step.preprocess(copy.deepcopy(release), resources)
    note = rebuilt.cells[0].source
    assert "Grading note" in note and "is a link and was not copied" in note
    assert "<" not in note
