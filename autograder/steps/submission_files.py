"""The files of a submission folder, taken in as untrusted input.

A student controls everything in the folder (collection from git repositories or archives keeps
links, special files and any name). Before nbgrader or the sandbox touch it, `read_folder`
decides which files may be copied: plain files only, each with a single link, within the caps
of course.toml `[intake]`, and no name that could pass for a notebook or its feedback page.
Everything else is skipped with a note naming it. `copy_accepted` then copies those files
without following a link at any step, so what is copied is what was checked.

nbgrader copies a submission's other files itself (into autograded/ and feedback/), following
links with `shutil.copy`: `SafeAutograde` and `SafeGenerateFeedback` are nbgrader's converters
with that copy done here instead, and with submission timestamps read without following links.
"""

from __future__ import annotations

import fnmatch
import mimetypes
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from nbgrader.converters import Autograde, BaseConverter, GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import parse_utc

from autograder.config import CourseConfigError, Intake, load_course

MIB = 1024 * 1024
# nbgrader's own file in a submission; read by nbgrader, never larger than this.
TIMESTAMP = "timestamp.txt"
TIMESTAMP_MAX_BYTES = 1024
# Where the notes of the folder intake travel to the notebook conversion (see RebuildFromRelease).
RESOURCES_KEY = "d2lkit_intake_notes"
# Opening a student's file: never through a link, never blocking on a FIFO or device.
OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_SAFE_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+ /")


def shown(name: str) -> str:
    """A file name as it may appear in feedback: quoted, short, no markup, no control codes."""
    text = "".join(c if c in _SAFE_NAME_CHARS else "?" for c in name)
    return f"'{text[:80]}{'...' if len(text) > 80 else ''}'"


@dataclass
class FolderIntake:
    """What may be copied out of a submission folder, and what was refused."""

    accepted: list[str] = field(default_factory=list)  # relative POSIX paths of plain files
    notes: list[str] = field(default_factory=list)  # one per refused entry, naming it
    total_bytes: int = 0


def kind_of(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a plain file"


def _runs_in_a_browser(name: str) -> str | None:
    """The type of a file a browser would run as a page or script, or None.

    formgrader serves the files of autograded/ on the instructor's own Jupyter origin, so a
    student's page.html or plot.svg, opened from a link in their answer, would run there."""
    kind = mimetypes.guess_type(name, strict=False)[0] or ""
    active = "html" in kind or "javascript" in kind or "ecmascript" in kind
    pages = ("text/css", "text/xsl", "message/rfc822")
    return kind if active or kind.endswith("xml") or kind in pages else None


def _collides(name: str, notebooks: Iterable[str]) -> bool:
    """A top-level name that could pass for a notebook, its feedback page or its files."""
    lowered = name.lower()
    for nb in notebooks:
        stem = nb.lower()
        if lowered == f"{stem}_files" or (lowered.startswith(f"{stem}.") and name != f"{nb}.ipynb"):
            return True
    return False


def read_folder(
    folder: Path,
    intake: Intake,
    notebooks: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> FolderIntake:
    """Decide which files of `folder` may be copied; never follows a link, never opens a file.

    Notebooks at the top level are nbgrader's to read (see LenientNotebookExporter) and are
    neither accepted nor noted; nor are names matching nbgrader's `ignore` globs."""
    notebooks, ignore = tuple(notebooks), tuple(ignore)
    result = FolderIntake()
    try:
        top = os.lstat(folder)
    except OSError:
        return result
    if not stat.S_ISDIR(top.st_mode):
        result.notes.append("the submission folder is not a plain folder; no file was copied")
        return result
    entries = 0
    pending = [PurePosixPath()]
    while pending:
        relative = pending.pop(0)
        try:
            with os.scandir(folder / relative) as scan:
                children = sorted(scan, key=lambda e: e.name)
        except OSError:
            result.notes.append(f"the folder {shown(str(relative))} could not be read")
            continue
        for entry in children:
            path = relative / entry.name
            if any(fnmatch.fnmatch(entry.name, pattern) for pattern in ignore):
                continue
            if relative == PurePosixPath() and entry.name.endswith(".ipynb"):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if entry.name.endswith(".ipynb") and stat.S_ISREG(info.st_mode):
                continue  # nbgrader never copies notebooks beside the graded ones
            refusal = _refusal(path, info, notebooks)
            if refusal is None:
                entries += 1
                if entries > intake.max_files:
                    refusal = f"is past the limit of {intake.max_files} files"
            if refusal is None and stat.S_ISREG(info.st_mode):
                if info.st_size > intake.max_file_mb * MIB:
                    refusal = f"is larger than the {intake.max_file_mb} MiB limit per file"
                elif result.total_bytes + info.st_size > intake.max_total_mb * MIB:
                    refusal = f"would take the submission past {intake.max_total_mb} MiB"
            if refusal is not None:
                result.notes.append(f"the file {shown(str(path))} {refusal} and was not copied")
            elif stat.S_ISDIR(info.st_mode):
                pending.append(path)
            else:
                result.accepted.append(str(path))
                result.total_bytes += info.st_size
    return result


def _refusal(path: PurePosixPath, info: os.stat_result, notebooks: tuple[str, ...]) -> str | None:
    name = path.name
    if name in ("", ".", "..") or "\\" in name or not name.isprintable():
        return "has a name that is not allowed"
    if len(path.parts) == 1 and _collides(name, notebooks):
        return "has a name that could be taken for a notebook or its feedback"
    if stat.S_ISDIR(info.st_mode):
        return None
    if not stat.S_ISREG(info.st_mode):
        return f"is {kind_of(info.st_mode)}"
    if info.st_nlink > 1:
        return "is a hard link to another file"
    if kind := _runs_in_a_browser(name):
        return f"has a type that a browser would run ({kind})"
    return None


def _open_inside(folder: Path, relative: str) -> int:
    """Open `folder/relative` for reading, refusing a link at every step of the path."""
    parts = PurePosixPath(relative).parts
    fd = os.open(folder, OPEN_FLAGS | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            inner = os.open(part, OPEN_FLAGS | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        return os.open(parts[-1], OPEN_FLAGS, dir_fd=fd)
    finally:
        os.close(fd)


def plain_reader(fd: int) -> tuple[BinaryIO | None, os.stat_result]:
    """A reader for `fd` if it is a plain file (None otherwise, and `fd` is closed); its stat.
    Checked on the open file, so what is read is what was checked."""
    info = os.fstat(fd)
    if stat.S_ISREG(info.st_mode):
        return os.fdopen(fd, "rb"), info
    os.close(fd)
    return None, info


def copy_accepted(folder: Path, accepted: Iterable[str], dest: Path, max_bytes: int) -> list[str]:
    """Copy the accepted files of `folder` into `dest`; returns a note per file that changed
    since it was read (now a link or a special file, or grown past `max_bytes`)."""
    notes = []
    for relative in accepted:
        target = dest / relative
        try:
            reader, info = plain_reader(_open_inside(folder, relative))
        except OSError:
            notes.append(f"the file {shown(relative)} could not be opened and was not copied")
            continue
        if reader is None or info.st_nlink > 1:
            if reader is not None:
                reader.close()
            notes.append(f"the file {shown(relative)} changed while it was read; not copied")
            continue
        with reader:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink() or target.is_file():
                target.unlink()
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            with os.fdopen(os.open(target, flags, 0o644), "wb") as writer:
                data = reader.read(max_bytes + 1)
                writer.write(data[:max_bytes])
        if len(data) > max_bytes:
            target.unlink()
            notes.append(f"the file {shown(relative)} grew past its limit; not copied")
    return notes


def read_small_text(path: Path, max_bytes: int) -> str | None:
    """The text of a small plain file, or None when it is a link, special, large or not UTF-8."""
    try:
        reader, info = plain_reader(os.open(path, OPEN_FLAGS))
    except OSError:
        return None
    if reader is None:
        return None
    with reader:
        if info.st_nlink > 1 or info.st_size > max_bytes:
            return None
        try:
            return reader.read(max_bytes).decode("utf-8")
        except UnicodeDecodeError:
            return None


class SafeCourseDirectory(CourseDirectory):
    """nbgrader's course directory, reading a submission's timestamp.txt as untrusted input:
    a link, FIFO or device there must not hang or leak, a bad date must not stop the batch."""

    def get_existing_timestamp(self, dest_path: str):
        path = Path(dest_path) / TIMESTAMP
        if not os.path.lexists(path):
            return None
        text = read_small_text(path, TIMESTAMP_MAX_BYTES)
        try:
            return parse_utc(text.strip()) if text and text.strip() else None
        except ValueError:
            text = None
        if text is None:
            self.log.warning("Ignoring %s: not a small plain file holding a date", path)
        return None


def _safe_course_directory(coursedir: CourseDirectory | None) -> CourseDirectory | None:
    if coursedir is None or isinstance(coursedir, SafeCourseDirectory):
        return coursedir
    # A copy, so that the caller's course directory object stays as it was.
    values = {name: getattr(coursedir, name) for name in coursedir.trait_names(config=True)}
    return SafeCourseDirectory(parent=coursedir.parent, **values)


class _SafeFileCopy(BaseConverter):
    """Placed between nbgrader's converter and BaseConverter (see the classes below), so that
    the converter's call to BaseConverter.init_assignment lands here: the submission's other
    files are copied by the intake instead of by nbgrader's link-following copy."""

    def __init__(self, coursedir: CourseDirectory | None = None, **kwargs):
        super().__init__(coursedir=_safe_course_directory(coursedir), **kwargs)
        self._intake_notes: list[str] = []

    def _notebook_names(self, assignment_id: str) -> list[str]:
        try:
            course = load_course(Path(self.coursedir.root))
            return [nb.name for nb in course.notebooks_of(assignment_id)]
        except CourseConfigError:
            return [Path(nb).stem for nb in self.notebooks]

    def init_assignment(self, assignment_id: str, student_id: str) -> None:
        source = Path(self._format_source(assignment_id, student_id))
        dest = Path(self._format_dest(assignment_id, student_id))
        intake = load_course(Path(self.coursedir.root)).intake
        found = read_folder(
            source, intake, self._notebook_names(assignment_id), self.coursedir.ignore
        )
        notes = found.notes + copy_accepted(source, found.accepted, dest, intake.max_file_mb * MIB)
        for note in notes:
            self.log.warning("%s/%s: %s", student_id, assignment_id, note)
        self._intake_notes = notes

    def init_single_notebook_resources(self, notebook_filename: str) -> dict:
        resources = super().init_single_notebook_resources(notebook_filename)
        resources[RESOURCES_KEY] = list(self._intake_notes)
        return resources


class SafeAutograde(Autograde, _SafeFileCopy):
    """nbgrader's Autograde, copying a submission's other files through the intake.

    Autograde.init_assignment calls super(Autograde, self).init_assignment: with this class's
    method order that is _SafeFileCopy's, not BaseConverter's. The rest of Autograde (gradebook
    entries, the instructor's own files from source/) is nbgrader's, unchanged."""


class SafeGenerateFeedback(GenerateFeedback, _SafeFileCopy):
    """nbgrader's GenerateFeedback, copying autograded/'s other files through the intake."""
