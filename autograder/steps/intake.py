"""Reading what a student submitted, whatever state it is in.

Two steps, each one transformation:
- `LenientNotebookExporter` reads the submitted file. A valid notebook is read as it is; a file
  that nbformat rejects is salvaged from its raw JSON (the answers in cells that still carry
  their nbgrader grade_id); a file that is not JSON at all becomes an empty notebook. Each case
  leaves a note, so the student learns what happened instead of the batch failing.
- `RebuildFromRelease` throws away everything the student could have tampered with (locked
  and graded cells, cell types, metadata, outputs, duplicated or deleted cells) by rebuilding
  the notebook from the release version and pouring in only the answers of its solution cells.
"""

from __future__ import annotations

import datetime
import io
import json
import os
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.v4 import new_markdown_cell, new_notebook
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograder.config import load_course
from autograder.steps.sanitize import inert_markdown
from autograder.steps.submission_files import (
    MIB,
    OPEN_FLAGS,
    RESOURCES_KEY,
    kind_of,
    plain_reader,
)

NOTE_KEY = "d2lkit"  # notebook metadata where intake records its notes


def _text(source: Any) -> str | None:
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return "".join(source)
    return None


def _salvage(raw: Any) -> nbformat.NotebookNode:
    """A notebook holding only the answers found in a raw JSON document."""
    nb = new_notebook()
    cells = raw.get("cells") if isinstance(raw, dict) else None
    for cell in cells if isinstance(cells, list) else []:
        meta = cell.get("metadata") if isinstance(cell, dict) else None
        nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
        grade_id = nbg.get("grade_id") if isinstance(nbg, dict) else None
        source = _text(cell.get("source")) if isinstance(cell, dict) else None
        if isinstance(grade_id, str) and source is not None:
            answer = new_markdown_cell(source)
            answer.metadata["nbgrader"] = {"grade_id": grade_id, "solution": True}
            nb.cells.append(answer)
    return nb


def _note(nb: nbformat.NotebookNode, text: str) -> nbformat.NotebookNode:
    nb.metadata.setdefault(NOTE_KEY, {}).setdefault("notes", []).append(text)
    return nb


def _unreadable(text: str) -> nbformat.NotebookNode:
    nb = _note(new_notebook(), text)
    nb.metadata[NOTE_KEY]["unreadable"] = True
    return nb


def _read_submitted(filename: str, max_bytes: int) -> tuple[str | None, str, float]:
    """The text of a submitted notebook, or None and why not; and its modification time.

    The file is the student's: a link (to the course's own solutions, say), a hard link, a
    FIFO or a device is refused rather than followed, and so is a file past the size cap."""
    try:
        reader, info = plain_reader(os.open(filename, OPEN_FLAGS))
    except OSError as exc:
        if os.path.islink(filename):
            return None, "the notebook is a link, which is never followed", 0.0
        return None, f"the notebook could not be opened ({exc.strerror})", 0.0
    if reader is None:
        return None, f"the notebook is {kind_of(info.st_mode)}, not a file", info.st_mtime
    with reader:
        if info.st_nlink > 1:
            return None, "the notebook is a hard link to another file", info.st_mtime
        if info.st_size > max_bytes:
            limit = max_bytes // MIB
            return None, f"the notebook is larger than the {limit} MiB limit", info.st_mtime
        data = reader.read(max_bytes)
    try:
        return data.decode("utf-8"), "", info.st_mtime
    except UnicodeDecodeError as exc:
        return None, f"the file could not be read as UTF-8 text ({exc})", info.st_mtime


class LenientNotebookExporter(NotebookExporter):
    """The notebook exporter nbgrader autograde uses, made to read broken submissions."""

    course_root = Unicode("", help="The course directory (holding course.toml).").tag(config=True)

    def from_filename(self, filename, resources=None, **kw):
        if resources is None:
            resources = ResourcesDict()
        if not resources.get("metadata"):
            resources["metadata"] = ResourcesDict()
        path, basename = os.path.split(filename)
        resources["metadata"]["name"] = os.path.splitext(basename)[0]
        resources["metadata"]["path"] = path
        max_bytes = load_course(Path(self.course_root or ".").resolve()).intake.max_file_mb * MIB
        text, problem, mtime = _read_submitted(filename, max_bytes)
        when = datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC)
        resources["metadata"]["modified_date"] = when.strftime("%B %-d, %Y")
        if text is None:
            return self.from_notebook_node(_unreadable(problem), resources, **kw)
        return self.from_file(io.StringIO(text), resources, **kw)

    def from_file(self, file_stream, resources=None, **kw):
        try:
            text = file_stream.read()
        except (UnicodeDecodeError, OSError) as exc:
            nb = _unreadable(f"the file could not be read as UTF-8 text ({exc})")
            return self.from_notebook_node(nb, resources, **kw)
        try:
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
        except Exception as exc:
            try:
                raw = json.loads(text)
            except ValueError:
                nb = _note(new_notebook(), "the file is not a notebook (not valid JSON)")
                nb.metadata[NOTE_KEY]["unreadable"] = True
            else:
                reason = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
                nb = _note(_salvage(raw), f"the file is not a valid notebook ({reason})")
        return self.from_notebook_node(nb, resources, **kw)


class RebuildFromRelease(NbGraderPreprocessor):
    """Rebuild the submission from the release notebook plus the student's answers."""

    course_root = Unicode("", help="The course directory (holding release/).").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        root = Path(self.course_root or ".")
        release = root / "release" / info["assignment"] / f"{info['notebook']}.ipynb"
        rebuilt = nbformat.read(release, as_version=4)
        notes = list(nb.metadata.get(NOTE_KEY, {}).get("notes", []))
        notes += resources.get(RESOURCES_KEY, [])
        unreadable = bool(nb.metadata.get(NOTE_KEY, {}).get("unreadable"))

        answers: dict[str, str] = {}
        for cell in nb.cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            source = _text(cell.get("source"))
            # The first cell with a grade_id wins: a duplicate cannot replace an answer.
            if isinstance(grade_id, str) and source is not None and grade_id not in answers:
                answers[grade_id] = source

        for cell in rebuilt.cells:
            nbg = cell.metadata.get("nbgrader", {})
            if not nbg.get("solution"):
                continue
            if nbg["grade_id"] in answers:
                cell.source = answers[nbg["grade_id"]]
            elif not unreadable:
                notes.append(
                    f"the answer cell '{nbg['grade_id']}' was missing from the submission and "
                    "was graded as left blank"
                )
        if notes:
            # Notes may quote the student's input (file names, parser messages): made inert.
            said = " ".join(f"{n[0].upper()}{n[1:]}." for n in notes)
            text = "**Grading note.** " + inert_markdown(said)
            rebuilt.cells.insert(0, new_markdown_cell(text))
        rebuilt.metadata[NOTE_KEY] = {"notes": notes, "unreadable": unreadable}
        return rebuilt, resources
