"""Which submissions are graded already, so that a second run grades only what changed.

After the writer has recorded a student's grade it notes a fingerprint of what was graded: the
submission's files and the course bundle (release, graders, settings). A later run skips a
student whose fingerprint is unchanged, whose autograded folder is still there and whose
submission is in the gradebook; anything else is graded again. The notes live in
autograded/.batch/<assignment>/<student>.json (nbgrader looks only at folders not starting
with a dot), one file per student, replaced atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

LEDGER_DIR = ".batch"


def fingerprint(bundle_digest: str, submission_digest: str) -> str:
    return hashlib.sha256(f"{bundle_digest}:{submission_digest}".encode()).hexdigest()


class Ledger:
    def __init__(self, course_dir: Path, assignment: str):
        self.course_dir = course_dir
        self.assignment = assignment
        self.folder = course_dir / "autograded" / LEDGER_DIR / assignment

    def _path(self, student: str) -> Path:
        return self.folder / f"{student}.json"

    def note(self, student: str) -> dict:
        """What was recorded of a student's last grading (empty when nothing was)."""
        try:
            note = json.loads(self._path(student).read_text())
        except (OSError, ValueError):
            return {}
        return note if isinstance(note, dict) else {}

    def is_current(self, student: str, print_: str, in_gradebook: bool) -> bool:
        """True when this exact submission was graded and its results are still in place."""
        autograded = self.course_dir / "autograded" / student / self.assignment
        if not in_gradebook or not autograded.is_dir():
            return False
        return self.note(student).get("fingerprint") == print_

    def record(self, student: str, print_: str, **details: object) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        note = {"fingerprint": print_, "graded_at": time.time(), **details}
        handle, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{student}.", suffix=".tmp")
        with os.fdopen(handle, "w") as out:
            json.dump(note, out)
        os.replace(tmp, self._path(student))

    def forget(self, student: str) -> None:
        self._path(student).unlink(missing_ok=True)
