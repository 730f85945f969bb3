"""Every known answer in autograder/variants is graded as it should be.

Right variants keep every point of every autograded cell; each wrong variant loses points on
exactly the cells it names, and every failure report names its mistake; stubs (an answer that
returns None, its input or a constant) and answers that fail every check earn exactly nothing
on the cells they declare `zero`. Graded in-process with `LocalStudent`: the checks are the same
ones the sandboxed autograder runs.
"""

import importlib

import pytest

from autograder.config import load_course
from autograder.judging.runner import run_cell_checks
from autograder.judging.student import LocalStudent
from autograder.notebooks import is_graded_test, nbgrader_meta, read, run_namespace, source_path
from autograder.variants import load_variants, notebooks_with_variants


def _variant_cases():
    for name in notebooks_with_variants():
        assignment = importlib.import_module(f"autograder.variants.{name}").ASSIGNMENT
        for variant in load_variants(name):
            yield pytest.param(assignment, name, variant, id=f"{name}-{variant.name}")


def _graded_cells(assignment, notebook):
    nb = read(source_path(assignment, notebook))
    return [nbgrader_meta(c)["grade_id"] for c in nb.cells if is_graded_test(c)]


def test_every_notebook_has_enough_right_and_wrong_variants():
    course = load_course()
    assert sorted(notebooks_with_variants()) == sorted(nb.name for nb in course.notebooks)
    for name in notebooks_with_variants():
        variants = load_variants(name)
        assert sum(v.right for v in variants) >= 3, name
        assert sum(not v.right for v in variants) >= 6, name


def test_zero_cells_are_graded_cells_of_the_notebook():
    for name in notebooks_with_variants():
        assignment = importlib.import_module(f"autograder.variants.{name}").ASSIGNMENT
        cells = set(_graded_cells(assignment, name))
        for variant in load_variants(name):
            assert set(variant.zero) <= cells, (name, variant.name)
            assert set(variant.failing) <= cells, (name, variant.name)


# The first notebooks carry three stubs per autograded cell (None, its input, a constant); every
# notebook carries at least one, declared to earn nothing there.
THREE_STUBS = ("huber_loss", "gradient_access", "lambda_sweep", "l1_update", "frobenius")


@pytest.mark.parametrize("notebook", notebooks_with_variants())
def test_every_autograded_cell_has_stubs_that_must_earn_nothing(notebook):
    assignment = importlib.import_module(f"autograder.variants.{notebook}").ASSIGNMENT
    stubs = [v for v in load_variants(notebook) if v.name.startswith("stub")]
    least = 3 if notebook in THREE_STUBS else 1
    for cell_id in _graded_cells(assignment, notebook):
        covering = [v.name for v in stubs if cell_id in v.zero]
        assert len(covering) >= least, (cell_id, covering)


@pytest.mark.parametrize(("assignment", "notebook", "variant"), list(_variant_cases()))
def test_variant_scores_as_declared(assignment, notebook, variant):
    course = load_course()
    student = LocalStudent(run_namespace(assignment, notebook, variant))
    for cell_id in _graded_cells(assignment, notebook):
        points = course.points_of(assignment, notebook, cell_id)
        verdict = run_cell_checks(course, notebook, cell_id, student)
        report = verdict.report()
        assert not verdict.problem, report
        if cell_id in variant.zero:
            assert verdict.score(points) == 0.0, f"{cell_id} should earn nothing:\n{report}"
            assert variant.message.lower() in report.lower(), report
        elif cell_id in variant.failing:
            assert verdict.score(points) < points, f"{cell_id} should lose points:\n{report}"
            assert variant.message.lower() in report.lower(), report
        else:
            assert verdict.score(points) == points, f"{cell_id} should keep its points:\n{report}"
