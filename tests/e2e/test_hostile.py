"""Grading that cannot be fooled and loses nothing, proved by one real `nbgrader autograde` run.

A student is graded first, on their own. Then one batch holds an honest student graded before
the others, every attack, tampering and broken file of hostile_submissions.py (in the notebook
and in the submission folder), honest students doing odd but harmless things, and an honest
student graded after them all. A service listens on the host's loopback during the batch.
"""

import hashlib
import os
import re
import shutil
import socket
import stat
import threading
from pathlib import Path

import pytest
from nbconvert import HTMLExporter
from nbgrader.api import Gradebook

from autograder.notebooks import answers, fill_release, nbgrader_meta, read
from autograder.pipeline import cell_scores, copy_course, nbgrader, submit
from autograder.sandbox import confine
from autograder.steps.sanitize import KEPT_MIME

from . import hostile_folders, hostile_submissions
from .hostile_folders import LIVE_PAYLOADS, SCRATCH_ATTEMPT_MB, place_files
from .hostile_submissions import ASSIGNMENT, NOTEBOOK, TARGET_ANSWER, TARGET_CELL, build

pytestmark = pytest.mark.slow
CASES = hostile_submissions.CASES + hostile_folders.CASES
EARLIER, BEFORE, AFTER, MISSING = (
    "aaa_graded_earlier",
    "aab_honest_before",
    "zzz_honest_after",
    "case_missing_notebook",
)
VOLATILE = {"submitted", "autograded", "feedback", "gradebook.db", "grades.csv", "__pycache__"}
# Settings of the hostile course, small so that the folder attacks are quick to build.
MAX_FILES, MAX_FILE_MB, SCRATCH_MB = 20, 2, 128
SETTINGS = {
    "cell_timeout = 90": "cell_timeout = 10",
    "memory_mb = 6144": "memory_mb = 3072",
    "scratch_mb = 512": f"scratch_mb = {SCRATCH_MB}",
    "max_files = 100": f"max_files = {MAX_FILES}",
    "max_file_mb = 20": f"max_file_mb = {MAX_FILE_MB}",
    "max_total_mb = 100": "max_total_mb = 10",
}


def honest_notebook():
    return fill_release(ASSIGNMENT, NOTEBOOK, answers(ASSIGNMENT, NOTEBOOK))


def _entries(root: Path):
    """Every entry under `root`, links and special files included, never following one."""
    for folder, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            yield Path(folder, name)


def _digest(path: Path) -> str:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        return f"link to {os.readlink(path)}"
    if stat.S_ISREG(info.st_mode):
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return f"mode {stat.S_IFMT(info.st_mode):o}"


def fingerprint(*roots: Path, skip: set[str] = VOLATILE) -> dict[str, str]:
    """A hash of every file under `roots` that grading must leave alone."""
    return {
        str(path): _digest(path)
        for root in roots
        for path in _entries(root)
        if not skip & set(path.relative_to(root).parts) and not path.is_dir()
    }


def gradebook_rows(course_dir: Path, student: str) -> list[tuple]:
    """Everything the gradebook holds about one student's submissions."""
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        rows = []
        for submission in gb.find_student(student).submissions:
            rows.append((submission.assignment.name, str(submission.timestamp)))
            for nb in submission.notebooks:
                for g in nb.grades:
                    rows.append((nb.name, g.name, g.auto_score, g.manual_score, g.max_score))
                for c in nb.comments:
                    rows.append((nb.name, c.name, c.auto_comment, c.manual_comment))
        return sorted(rows, key=repr)


class LoopbackService:
    """A TCP service on the host's 127.0.0.1 that records whoever connects."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.5)
        self.port = self.server.getsockname()[1]
        self.visits: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.visits.append(conn.recv(1024) or b"(connected)")
                except OSError:
                    self.visits.append(b"(connected)")

    def close(self):
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    course_dir = copy_course(tmp_path_factory.mktemp("hostile"))
    settings = (course_dir / "course.toml").read_text()
    # Short limits keep the endless loops quick; everything honest fits in them easily.
    for default, short in SETTINGS.items():
        assert default in settings, default
        settings = settings.replace(default, short)
    (course_dir / "course.toml").write_text(settings)
    nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force")

    submit(course_dir, EARLIER, ASSIGNMENT, NOTEBOOK, honest_notebook())
    nbgrader(course_dir, "autograde", ASSIGNMENT)
    earlier = cell_scores(course_dir, EARLIER, ASSIGNMENT, NOTEBOOK)
    kit = confine.kit_location()
    before = fingerprint(course_dir, kit)

    service = LoopbackService()
    submit(course_dir, BEFORE, ASSIGNMENT, NOTEBOOK, honest_notebook())
    submit(course_dir, AFTER, ASSIGNMENT, NOTEBOOK, honest_notebook())
    for case in CASES:
        nb = build(case, course_dir, loopback_port=service.port)
        path = submit(course_dir, f"case_{case.name}", ASSIGNMENT, NOTEBOOK, nb)
        place_files(case, path.parent, course_dir, MAX_FILES, MAX_FILE_MB)
    blank_l1 = read(course_dir / "release" / ASSIGNMENT / "l1_update.ipynb")
    submit(course_dir, MISSING, ASSIGNMENT, "l1_update", blank_l1)
    submitted = fingerprint(course_dir / "submitted", skip=set())
    earlier_rows = gradebook_rows(course_dir, EARLIER)
    free = shutil.disk_usage(course_dir).free
    try:
        run = nbgrader(course_dir, "autograde", ASSIGNMENT, check=False)
        feedback = nbgrader(course_dir, "generate_feedback", ASSIGNMENT, check=False)
    finally:
        service.close()
    return {
        "dir": course_dir,
        "run": run,
        "feedback": feedback,
        "earlier": earlier,
        "fingerprint": (before, fingerprint(course_dir, kit)),
        "submitted": (submitted, fingerprint(course_dir / "submitted", skip=set())),
        "earlier_rows": (earlier_rows, gradebook_rows(course_dir, EARLIER)),
        "free": (free, shutil.disk_usage(course_dir).free),
        "loopback": service.visits,
    }


def scores_of(batch, student):
    return cell_scores(batch["dir"], student, ASSIGNMENT, NOTEBOOK)


def feedback_text(batch, student) -> str:
    nb = read(batch["dir"] / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    parts = []
    for cell in nb.cells:
        parts.append(cell.source if cell.cell_type == "markdown" else "")
        for output in cell.get("outputs", []):
            error = f"{output.get('ename', '')}: {output.get('evalue', '')}"
            parts.append(output.get("text", "") or error)
    return "\n".join(parts)


def autograded(batch, student):
    return read(batch["dir"] / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb")


def feedback_page(batch, student) -> str:
    return (batch["dir"] / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()


def answer_outputs(batch, student) -> list:
    nb = autograded(batch, student)
    return next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == TARGET_ANSWER).outputs


def test_the_batch_finishes_without_an_error(batch):
    assert batch["run"].returncode == 0, batch["run"].stderr[-3000:]
    assert batch["feedback"].returncode == 0, batch["feedback"].stderr[-3000:]


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.expect == "cell_zero"], ids=lambda c: c.name
)
def test_an_attack_or_a_bad_answer_scores_exactly_zero_on_its_cell(batch, case):
    score, _ = scores_of(batch, f"case_{case.name}")[TARGET_CELL]
    assert score == 0, feedback_text(batch, f"case_{case.name}")


@pytest.mark.parametrize("case", [c for c in CASES if c.message], ids=lambda c: c.name)
def test_feedback_names_the_problem(batch, case):
    assert case.message.lower() in feedback_text(batch, f"case_{case.name}").lower()


@pytest.mark.parametrize("case", [c for c in CASES if c.expect == "zero"], ids=lambda c: c.name)
def test_an_unreadable_file_scores_zero_and_is_still_graded(batch, case):
    scores = scores_of(batch, f"case_{case.name}")
    assert scores and all(not score for score, _ in scores.values())


@pytest.mark.parametrize(
    "student",
    [BEFORE, AFTER] + [f"case_{c.name}" for c in CASES if c.expect == "full"],
)
def test_honest_work_keeps_every_point(batch, student):
    scores = scores_of(batch, student)
    auto = {cell: s for cell, s in scores.items() if s[0] is not None}
    assert auto and all(score == top for score, top in auto.values()), feedback_text(batch, student)


def test_a_missing_notebook_scores_zero_and_the_rest_is_graded(batch):
    assert all(not score for score, _ in scores_of(batch, MISSING).values())
    assert cell_scores(batch["dir"], MISSING, ASSIGNMENT, "l1_update")


def test_grades_already_in_the_gradebook_do_not_change(batch):
    assert scores_of(batch, EARLIER) == batch["earlier"]


def test_course_files_and_the_kit_are_byte_identical_afterwards(batch):
    before, after = batch["fingerprint"]
    assert before == after


def test_submitted_folders_are_left_exactly_as_they_were(batch):
    before, after = batch["submitted"]
    assert before == after


def test_gradebook_rows_of_earlier_students_do_not_change(batch):
    before, after = batch["earlier_rows"]
    assert before and before == after


def test_no_link_special_file_course_file_or_other_students_data_is_copied(batch):
    course_dir = batch["dir"]
    secret = {
        _digest(p)
        for root in (course_dir / "source", course_dir / "autograder")
        for p in _entries(root)
        if p.is_file() and not p.is_symlink()
    }
    secret |= {_digest(course_dir / "gradebook.db"), _digest(course_dir / "course.toml")}
    secret.discard(hashlib.sha256(b"").hexdigest())  # empty __init__.py files prove nothing
    shipped = {}  # digest of each data file a student shipped -> that student
    for path in _entries(course_dir / "submitted"):
        if path.suffix != ".ipynb" and path.is_file() and not path.is_symlink():
            shipped[_digest(path)] = path.relative_to(course_dir / "submitted").parts[0]
    for step in ("autograded", "feedback"):
        for path in _entries(course_dir / step):
            info = path.lstat()
            owner = path.relative_to(course_dir / step).parts[0]
            assert stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode), path
            if stat.S_ISREG(info.st_mode):
                digest = _digest(path)
                assert digest not in secret, path
                assert shipped.get(digest, owner) == owner, path
                with path.open("rb") as handle:
                    assert not handle.read(16).startswith(b"SQLite format 3"), path


def test_the_kernel_reached_no_service_on_the_host_loopback(batch):
    assert batch["loopback"] == []
    text = "".join(o.get("text", "") for o in answer_outputs(batch, "case_connects_to_loopback"))
    assert "no connection" in text, text


def test_writing_past_the_scratch_cap_fails_inside_the_kernel(batch):
    text = "".join(o.get("text", "") for o in answer_outputs(batch, "case_fills_the_scratch_disk"))
    written = re.search(r"wrote (\d+) MiB", text)
    assert written and int(written.group(1)) <= SCRATCH_MB, text
    assert "the write failed" in text, text
    # The attempt was SCRATCH_ATTEMPT_MB; other work on the machine moves free space a little.
    before, after = batch["free"]
    assert before - after < SCRATCH_ATTEMPT_MB * 1024 * 1024 // 2


def test_active_content_is_inert_in_the_autograded_notebook_and_the_feedback(batch):
    student = "case_shows_active_content"
    nb = autograded(batch, student)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert set(output.get("data", {})) <= set(KEPT_MIME), output
    # The feedback page, and the notebook rendered as formgrader renders it (nbconvert).
    formgrader_view, _ = HTMLExporter(template_name="basic").from_notebook_node(nb)
    for page in (feedback_page(batch, student), formgrader_view):
        assert "PWNED" in page  # the payloads are there, as text
        assert [name for name, live in LIVE_PAYLOADS.items() if live.search(page)] == []


def test_an_honest_image_output_is_kept(batch):
    outputs = answer_outputs(batch, "case_shows_an_image")
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert "data:image/png;base64," in feedback_page(batch, "case_shows_an_image")


def test_feedback_shows_no_grader_code(batch):
    # Student code may name the graders (the attacks do); grader code itself must not appear.
    hidden = ("check_here", "BEGIN HIDDEN TESTS", "def test_", "pytest.mark.cell", "Marking scheme")
    for html in (batch["dir"] / "feedback").rglob("*.html"):
        text = html.read_text()
        assert not [h for h in hidden if h in text], html
