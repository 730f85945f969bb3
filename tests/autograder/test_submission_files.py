"""A submission folder is untrusted: only plain files within the caps are taken in, and nothing
is ever followed, opened through a link or left able to hang the batch."""

import os
import shutil
import stat

import pytest

from autograder.config import REPO_ROOT, Intake, Limits
from autograder.sandbox.kernel import StudentKernel
from autograder.steps.submission_files import (
    MIB,
    SafeAutograde,
    SafeCourseDirectory,
    SafeGenerateFeedback,
    copy_accepted,
    read_folder,
)

NOTEBOOKS = ("frobenius", "l1_update")
CAPS = Intake(max_files=10, max_file_mb=1, max_total_mb=2)


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "gradebook.db"
    path.write_text("every student's grades")
    return path


@pytest.fixture
def folder(tmp_path):
    """A submission folder with a notebook, a data file and a data subfolder."""
    root = tmp_path / "submitted" / "student" / "weight_decay"
    (root / "data").mkdir(parents=True)
    (root / "frobenius.ipynb").write_text("{}")
    (root / "data.csv").write_text("x,y\n1,2\n")
    (root / "data" / "more.csv").write_text("x,y\n3,4\n")
    return root


def notes_about(found, name):
    return [n for n in found.notes if name in n]


def test_plain_data_files_and_subfolders_are_accepted(folder):
    found = read_folder(folder, CAPS, NOTEBOOKS)
    assert found.accepted == ["data.csv", "data/more.csv"] and found.notes == []


def test_links_to_files_and_folders_are_refused_and_named(folder, secret):
    (folder / "answers.csv").symlink_to(secret)
    (folder / "reference").symlink_to(REPO_ROOT / "autograder" / "reference")
    (folder / "data" / "deep.csv").symlink_to("../../../../gradebook.db")
    found = read_folder(folder, CAPS, NOTEBOOKS)
    assert found.accepted == ["data.csv", "data/more.csv"]
    for name in ("answers.csv", "reference", "data/deep.csv"):
        assert "is a link" in notes_about(found, name)[0]


def test_a_hard_link_is_refused(folder, secret):
    os.link(secret, folder / "grades.csv")
    assert "hard link" in notes_about(read_folder(folder, CAPS, NOTEBOOKS), "grades.csv")[0]


def test_fifos_sockets_and_devices_are_refused(folder):
    os.mkfifo(folder / "pipe")
    os.mknod(folder / "sock", stat.S_IFSOCK | 0o600)
    if os.geteuid() == 0:
        os.mknod(folder / "null", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    found = read_folder(folder, CAPS, NOTEBOOKS)
    assert "a FIFO" in notes_about(found, "pipe")[0]
    assert "a socket" in notes_about(found, "sock")[0]
    if os.geteuid() == 0:
        assert "a device" in notes_about(found, "null")[0]
    assert found.accepted == ["data.csv", "data/more.csv"]


def test_files_past_the_size_caps_are_skipped_with_a_note(folder):
    (folder / "big.bin").write_bytes(b"0" * (CAPS.max_file_mb * MIB + 1))
    for i in range(3):
        (folder / f"part{i}.bin").write_bytes(b"0" * (MIB - 10))
    found = read_folder(folder, CAPS, NOTEBOOKS)
    assert "larger than the 1 MiB" in notes_about(found, "big.bin")[0]
    assert "past 2 MiB" in notes_about(found, "part2.bin")[0]
    assert "part2.bin" not in found.accepted and "part1.bin" in found.accepted
    assert found.total_bytes <= CAPS.max_total_mb * MIB


def test_entries_past_the_count_cap_are_skipped_with_a_note(folder):
    for i in range(10):
        (folder / f"z{i}.txt").write_text("z")
    found = read_folder(folder, CAPS, NOTEBOOKS)
    # data/, data.csv and z0..z7 fill the ten places; z8, z9 and data/more.csv are refused.
    assert len(found.accepted) == 9
    assert sorted(n.split("'")[1] for n in found.notes) == ["data/more.csv", "z8.txt", "z9.txt"]
    assert all("limit of 10 files" in n for n in found.notes)


def test_names_that_pass_for_a_notebook_or_its_feedback_are_refused(folder):
    for name in ("frobenius.html", "L1_UPDATE.ipynb.bak", "frobenius_files"):
        (folder / name).write_text("x")
    found = read_folder(folder, CAPS, NOTEBOOKS)
    assert found.accepted == ["data.csv", "data/more.csv"]
    assert len(found.notes) == 3 and all("taken for a notebook" in n for n in found.notes)


def test_files_a_browser_would_run_are_refused(folder):
    for name in ("page.html", "plot.SVG", "app.js", "feed.xml"):
        (folder / name).write_text("<script>x()</script>")
    (folder / "table.json").write_text("[]")
    found = read_folder(folder, CAPS, NOTEBOOKS)
    assert found.accepted == ["data.csv", "table.json", "data/more.csv"]
    assert len(found.notes) == 4 and all("a browser would run" in n for n in found.notes)


def test_a_name_in_a_note_cannot_carry_markup(folder):
    os.mkfifo(folder / "<img src=x onerror=alert(1)>`*")
    (note,) = read_folder(folder, CAPS, NOTEBOOKS).notes
    assert "<" not in note and "`" not in note and "*" not in note


def test_a_linked_submission_folder_yields_nothing(folder, tmp_path):
    linked = tmp_path / "linked"
    linked.symlink_to(folder)
    found = read_folder(linked, CAPS, NOTEBOOKS)
    assert found.accepted == [] and "not a plain folder" in found.notes[0]


def test_the_copy_holds_only_what_was_accepted_byte_for_byte(folder, secret, tmp_path):
    (folder / "answers.csv").symlink_to(secret)
    found = read_folder(folder, CAPS, NOTEBOOKS)
    dest = tmp_path / "autograded"
    assert copy_accepted(folder, found.accepted, dest, MIB) == []
    copied = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert copied == ["data.csv", "data/more.csv"]
    assert (dest / "data.csv").read_text() == "x,y\n1,2\n"


def test_a_file_swapped_for_a_link_after_reading_is_not_followed(folder, secret, tmp_path):
    found = read_folder(folder, CAPS, NOTEBOOKS)
    shutil.rmtree(folder / "data")
    (folder / "data").symlink_to(secret.parent)  # a folder on the path becomes a link
    (folder / "data.csv").unlink()
    (folder / "data.csv").symlink_to(secret)
    dest = tmp_path / "autograded"
    notes = copy_accepted(folder, found.accepted, dest, MIB)
    assert len(notes) == 2 and not any(p.is_file() for p in dest.rglob("*"))


def test_the_kernel_copy_skips_links_and_special_files(folder, secret):
    (folder / "answers.csv").symlink_to(secret)
    (folder / "reference").symlink_to(REPO_ROOT / "autograder" / "reference")
    os.mkfifo(folder / "pipe")
    kernel = StudentKernel(Limits())
    try:
        kernel.load_submission(folder)
        names = {str(p.relative_to(kernel.workdir)) for p in kernel.workdir.rglob("*")}
        assert {"data.csv", "data", "data/more.csv"} <= names
        assert not {"answers.csv", "reference", "pipe", "frobenius.ipynb"} & names
    finally:
        kernel.close()


@pytest.mark.parametrize(
    "make",
    [
        lambda p, s: p.symlink_to(s),
        lambda p, s: os.mkfifo(p),
        lambda p, s: p.write_bytes(b"\xff" * 4096),
        lambda p, s: p.write_text("not a date"),
        lambda p, s: p.mkdir(),
    ],
    ids=["link", "fifo", "large", "not_a_date", "folder"],
)
def test_a_bad_timestamp_file_is_ignored_not_followed(folder, secret, make):
    make(folder / "timestamp.txt", secret)
    assert SafeCourseDirectory().get_existing_timestamp(str(folder)) is None


def test_a_good_timestamp_is_read(folder):
    (folder / "timestamp.txt").write_text("2026-11-30 12:00:00.000000 UTC\n")
    assert SafeCourseDirectory().get_existing_timestamp(str(folder)).hour == 12


@pytest.fixture
def course(tmp_path, folder):
    shutil.copy(REPO_ROOT / "course.toml", tmp_path / "course.toml")
    autograded = tmp_path / "autograded" / "student"
    shutil.copytree(folder.parent, autograded)
    return tmp_path


def test_nbgraders_own_copy_into_feedback_follows_no_link(course, secret):
    (course / "autograded" / "student" / "weight_decay" / "grades.db").symlink_to(secret)
    coursedir = SafeCourseDirectory(root=str(course))
    SafeGenerateFeedback(coursedir=coursedir).init_assignment("weight_decay", "student")
    dest = course / "feedback" / "student" / "weight_decay"
    copied = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert copied == ["data.csv", "data/more.csv"]


def test_the_safe_autograde_copies_through_the_intake_before_nbgrader():
    order = [cls.__name__ for cls in SafeAutograde.__mro__]
    assert order.index("_SafeFileCopy") < order.index("BaseConverter")
    assert order.index("Autograde") < order.index("_SafeFileCopy")
