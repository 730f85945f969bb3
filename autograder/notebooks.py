"""Reading the course's notebooks and filling their solution cells.

Source notebooks (source/<assignment>/<notebook>.ipynb) hold the reference solutions between
`### BEGIN SOLUTION` / `### END SOLUTION`. A `Variant` replaces some solution cells with other
code. From these we build (a) namespaces for fast grader tests, by running the notebook's code
in this process, and (b) submission notebooks for the end-to-end tests and the demo, from the
release version a student would have filled.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from autograder.config import REPO_ROOT

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


@dataclass(frozen=True)
class Variant:
    """One way of answering a notebook.

    `cells` maps solution-cell grade_ids to the code (or markdown) a student wrote there;
    cells not listed keep the reference solution. A wrong variant names the graded cells it
    must lose points on (`failing`) and a fragment each failure message must contain; of
    those, the cells where it must earn nothing at all (a stub, an answer that fails every
    check) are also in `zero`.
    """

    name: str
    cells: dict[str, str] = field(default_factory=dict)
    failing: tuple[str, ...] = ()
    message: str = ""
    zero: tuple[str, ...] = ()

    @property
    def right(self) -> bool:
        return not self.failing and not self.zero


def nbgrader_meta(cell: Any) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def is_solution(cell: Any) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def is_graded_test(cell: Any) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def source_path(assignment: str, notebook: str, root: Path = REPO_ROOT) -> Path:
    return root / "source" / assignment / f"{notebook}.ipynb"


def release_path(assignment: str, notebook: str, root: Path = REPO_ROOT) -> Path:
    return root / "release" / assignment / f"{notebook}.ipynb"


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _strip_lines(source: str, begin: str, end: str, keep_inside: bool) -> str:
    """Drop the marker lines; keep or drop what lies between them."""
    out, inside = [], False
    for line in source.splitlines():
        mark = line.strip()
        if mark == begin:
            inside = True
            continue
        if mark == end:
            inside = False
            continue
        if keep_inside or not inside:
            out.append(line)
    return "\n".join(out)


MARKING_SCHEME = "**Marking scheme**"


def reference_answer(cell: Any) -> str:
    """What a student who wrote the reference solution has in this cell: the code without the
    solution markers, or a written answer without the marking scheme that follows it."""
    if cell.cell_type == "markdown":
        return cell.source.split(MARKING_SCHEME)[0].rstrip()
    return _strip_lines(cell.source, BEGIN, END, keep_inside=True)


def answers(assignment: str, notebook: str, variant: Variant | None = None) -> dict[str, str]:
    """grade_id -> the answer in every solution cell, for the reference or a variant."""
    nb = read(source_path(assignment, notebook))
    filled = {nbgrader_meta(c)["grade_id"]: reference_answer(c) for c in nb.cells if is_solution(c)}
    if variant is not None:
        unknown = set(variant.cells) - set(filled)
        if unknown:
            raise KeyError(f"variant {variant.name!r} names unknown cells {sorted(unknown)}")
        filled.update(variant.cells)
    return filled


def fill_release(
    assignment: str, notebook: str, filled: dict[str, str], root: Path = REPO_ROOT
) -> nbformat.NotebookNode:
    """The release notebook with solution cells replaced by `filled` (a student's submission)."""
    nb = read(release_path(assignment, notebook, root))
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if is_solution(cell) and grade_id in filled:
            cell.source = filled[grade_id]
    return nb


def run_namespace(
    assignment: str, notebook: str, variant: Variant | None = None, upto: str | None = None
) -> dict[str, Any]:
    """Run the notebook's code cells (test cells excluded) in a fresh namespace, in this
    process, with the variant's answers; stop before graded cell `upto` if given. The graders'
    fast tests grade this namespace with `LocalStudent`."""
    nb = read(source_path(assignment, notebook))
    filled = answers(assignment, notebook, variant)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if upto is not None and grade_id == upto:
            break
        if cell.cell_type != "code" or is_graded_test(cell):
            continue
        code = filled[grade_id] if is_solution(cell) else cell.source
        # Notebook magics (%matplotlib inline) mean nothing outside a kernel.
        code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith("%"))
        # Like nbgrader, go on past a failing cell: later cells may still be gradable.
        with contextlib.suppress(Exception), contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, f"<{notebook}:{grade_id or 'cell'}>", "exec"), namespace)
    return namespace
