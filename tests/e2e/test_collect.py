"""A real `nbgrader collect` (run as the instructor) copies a student's exchange folder without
following a link of theirs: the link arrives as a link, for the intake to refuse."""

import os

import pytest

from autograder.pipeline import copy_course, nbgrader

pytestmark = pytest.mark.slow


def test_collect_keeps_a_students_link_a_link_and_leaves_out_a_fifo(tmp_path):
    course_dir = copy_course(tmp_path / "course")
    secret = course_dir / "course.toml"
    exchange = tmp_path / "exchange"
    inbound = exchange / "d2l-chapter3" / "inbound"
    inbound.mkdir(parents=True)
    for folder, mode in ((exchange, 0o1777), (inbound.parent, 0o755), (inbound, 0o733)):
        folder.chmod(mode)
    submission = inbound / "bob+weight_decay+2026-11-30 12:00:00.000000 UTC+abcd"
    submission.mkdir()
    (submission / "frobenius.ipynb").write_text("{}")
    (submission / "timestamp.txt").write_text("2026-11-30 12:00:00.000000 UTC\n")
    (submission / "settings.txt").symlink_to(secret)
    os.mkfifo(submission / "pipe")

    nbgrader(course_dir, "collect", "weight_decay", f"--Exchange.root={exchange}")

    collected = course_dir / "submitted" / "bob" / "weight_decay"
    assert (collected / "frobenius.ipynb").read_text() == "{}"
    assert (collected / "settings.txt").is_symlink()
    assert os.readlink(collected / "settings.txt") == str(secret)
    assert not (collected / "pipe").exists()
