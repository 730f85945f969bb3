"""`nbgrader collect` (run as the instructor) copies a student's exchange folder without
following a link of theirs: links stay links, for the intake to refuse; FIFOs are left out."""

import os

from nbgrader.coursedir import CourseDirectory

from autograder.config import Intake
from autograder.steps.collect import SafeExchangeCollect
from autograder.steps.submission_files import read_folder


def test_links_are_collected_as_links_and_fifos_left_out(tmp_path):
    secret = tmp_path / "gradebook.db"
    secret.write_text("every student's grades")
    inbound = tmp_path / "exchange" / "student+weight_decay+2026-11-30 12:00:00 UTC"
    (inbound / "data").mkdir(parents=True)
    (inbound / "frobenius.ipynb").write_text("{}")
    (inbound / "data" / "x.csv").write_text("1,2\n")
    (inbound / "grades.csv").symlink_to(secret)
    os.mkfifo(inbound / "pipe")
    dest = tmp_path / "submitted" / "student" / "weight_decay"
    collector = SafeExchangeCollect(coursedir=CourseDirectory(root=str(tmp_path)))
    collector.do_copy(str(inbound), str(dest))
    assert (dest / "frobenius.ipynb").read_text() == "{}"
    assert (dest / "data" / "x.csv").read_text() == "1,2\n"
    assert (dest / "grades.csv").is_symlink() and not (dest / "pipe").exists()
    found = read_folder(dest, Intake(), ["frobenius"])
    assert found.accepted == ["data/x.csv"] and "is a link" in found.notes[0]
