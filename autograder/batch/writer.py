"""The one writer: results from the workers into the course's gradebook and autograded/.

Only the client process writes, one student at a time, so an SQLite gradebook never meets a
second writer ("database is locked") and a student's rows are written in one transaction: a
result that arrives twice (a task run again after its worker died) updates the same rows.
What is written is what `nbgrader autograde` writes: the autograded folder, the submission's
timestamp, each graded cell's automatic score and needs-manual-grade flag (kept for review
where someone already graded by hand, as nbgrader's SaveAutoGrades does), the "No response."
comments, and the late penalty computed by nbgrader's own AssignLatePenalties step with the
course's configuration. A submission whose grading raised gets zero on every graded cell and
the reason at the top of each notebook of its feedback.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import AssignLatePenalties
from traitlets.config import Config

from autograder.batch.bundle import quiet_gradebook
from autograder.batch.ledger import Ledger, fingerprint
from autograder.batch.records import AssignmentDefinition, GradingResult, OutputFile
from autograder.config import Course
from autograder.steps.sanitize import inert_markdown

READ_ONLY = 0o444  # nbgrader's default permissions for what autograde writes


def failure_note(reason: str) -> str:
    return inert_markdown(
        "**Grading note.** This submission could not be graded automatically: "
        f"{reason.rstrip('.')}. Every graded cell scored zero; your instructor has been told "
        "and can grade it again."
    )


class GradebookWriter:
    """Records results for one assignment; use as a context manager."""

    def __init__(
        self,
        course_dir: Path,
        course: Course,
        definition: AssignmentDefinition,
        config: Config,
        bundle_digest: str,
    ):
        self.course_dir = course_dir
        self.course = course
        self.definition = definition
        self.config = config
        self.bundle_digest = bundle_digest
        self.ledger = Ledger(course_dir, definition.name)
        self.gb = Gradebook(course.db_url, course.id)

    def __enter__(self) -> GradebookWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.gb.close()

    def graded_students(self) -> set[str]:
        """Students with a submission of this assignment in the gradebook."""
        assignment = self.gb.find_assignment(self.definition.name)
        students = {s.student.id for s in assignment.submissions}
        self.gb.db.commit()  # end the read, so that no lock outlives it
        return students

    def record(self, result: GradingResult) -> None:
        """Write one student's result; on any failure the gradebook is left as it was."""
        name = self.definition.name
        files = result.files if result.ok else self._failure_files(result.error)
        dest = self.course_dir / "autograded" / result.student / name
        self._replace_folder(dest, files)
        try:
            with quiet_gradebook():
                self._write_rows(result)
        except BaseException:
            self.gb.db.rollback()
            raise
        if result.ok:
            self._late_penalties(result)
        score, top = result.points() if result.ok else (0.0, self.code_points())
        self.ledger.record(
            result.student,
            fingerprint(self.bundle_digest, result.digest),
            score=score,
            max_score=top,
            ok=result.ok,
        )

    def code_points(self) -> float:
        return sum(
            c.max_score or 0.0
            for c in self.definition.cells
            if c.kind in ("grade", "task") and c.cell_type == "code"
        )

    def _failure_files(self, reason: str) -> tuple[OutputFile, ...]:
        """Each release notebook, with the reason the grading failed at the top."""
        files = []
        for notebook in self.definition.notebooks:
            path = self.course_dir / "release" / self.definition.name / f"{notebook}.ipynb"
            nb = nbformat.read(path, as_version=4) if path.exists() else new_notebook()
            nb.cells.insert(0, new_markdown_cell(failure_note(reason)))
            data = nbformat.writes(nb).encode()
            files.append(OutputFile(f"{notebook}.ipynb", READ_ONLY, data))
        return tuple(files)

    def _replace_folder(self, dest: Path, files: tuple[OutputFile, ...]) -> None:
        """Write the new folder beside the old one, then swap: never half a folder."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.")).resolve()
        try:
            for item in files:
                target = fresh / item.path
                if fresh not in target.resolve().parents:
                    raise ValueError(f"refusing the output file name {item.path!r}")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(item.data)
                os.chmod(target, (item.mode & 0o777) or READ_ONLY)
            os.chmod(fresh, 0o755)
            if dest.exists():
                shutil.rmtree(dest)
            os.replace(fresh, dest)
        finally:
            shutil.rmtree(fresh, ignore_errors=True)

    def _write_rows(self, result: GradingResult) -> None:
        gb, name = self.gb, self.definition.name
        gb.update_or_create_student(result.student)
        extra = {"timestamp": result.timestamp} if result.ok and result.timestamp else {}
        submission = gb.update_or_create_submission(name, result.student, **extra)
        grades, comments = {}, {}
        for nb in submission.notebooks:
            for grade in nb.grades:
                grades[nb.name, grade.name] = grade
            for comment in nb.comments:
                comments[nb.name, comment.name] = comment
        if not result.ok:
            for grade in grades.values():
                grade.auto_score = 0.0
                grade.needs_manual_grade = False
            gb.db.commit()
            return
        for row in result.grades:
            grade = grades.get((row.notebook, row.name))
            if grade is None:
                raise MissingEntry(f"no graded cell {row.notebook}/{row.name} in the gradebook")
            grade.auto_score = row.auto_score
            # As SaveAutoGrades: a grade given by hand before is flagged for another look.
            manual = row.notebook in result.submitted and grade.manual_score is not None
            grade.needs_manual_grade = row.needs_manual_grade or manual
        for row in result.comments:
            comment = comments.get((row.notebook, row.name))
            if comment is not None:
                comment.auto_comment = row.auto_comment
        gb.db.commit()

    def _late_penalties(self, result: GradingResult) -> None:
        """nbgrader's own late-penalty step, run here because only the course gradebook knows
        the due date and the student's extension."""
        for notebook in result.submitted:
            if notebook not in self.definition.notebooks:
                continue
            step = AssignLatePenalties(config=self.config)
            resources = {
                "nbgrader": {
                    "notebook": notebook,
                    "assignment": self.definition.name,
                    "student": result.student,
                    "db_url": self.course.db_url,
                }
            }
            step.preprocess(new_notebook(), resources)
