"""`ApplyCoursePoints`: stamp course.toml's points on the graded cells when generating a release.

Points live only in course.toml; the source notebooks carry placeholders. Every graded cell
must have an entry, and every entry a cell, or generation stops with a message saying which.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograder.config import CourseConfigError, load_course
from autograder.notebooks import nbgrader_meta


class ApplyCoursePoints(NbGraderPreprocessor):
    course_root = Unicode("", help="The course directory (holding course.toml).").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        course = load_course(Path(self.course_root or ".").resolve())
        points = course.notebook(info["assignment"], info["notebook"]).points
        graded = []
        for cell in nb.cells:
            meta = nbgrader_meta(cell)
            if meta.get("grade"):
                grade_id = meta.get("grade_id")
                if grade_id not in points:
                    raise CourseConfigError(
                        f"graded cell {grade_id!r} of {info['assignment']}/{info['notebook']} "
                        "has no points in course.toml"
                    )
                meta["points"] = points[grade_id]
                graded.append(grade_id)
        unused = sorted(set(points) - set(graded))
        if unused:
            raise CourseConfigError(
                f"course.toml gives points to {', '.join(unused)}, which "
                f"{info['assignment']}/{info['notebook']} does not have"
            )
        return nb, resources
