"""nbgrader settings for this course, all derived from course.toml.

Run nbgrader from this directory (the course root). Besides the course id, this swaps in the
course's own steps: points stamped from course.toml at release time; at grading time a lenient
reader for broken submissions, a rebuild of each submission from the release version, and
confined execution with hidden checks run outside the student's kernel (see autograder/).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    IgnorePattern,
    IncludeHeaderFooter,
    InstantiateTests,
    LimitOutput,
    LockCells,
    SaveAutoGrades,
    SaveCells,
)

from autograder.config import load_course  # noqa: E402
from autograder.steps.grading import GradeInSandbox  # noqa: E402
from autograder.steps.intake import LenientNotebookExporter, RebuildFromRelease  # noqa: E402
from autograder.steps.release import ApplyCoursePoints  # noqa: E402

course = load_course(ROOT)
c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.course_id = course.id
c.CourseDirectory.db_url = course.db_url

for step in (ApplyCoursePoints, RebuildFromRelease, GradeInSandbox):
    c[step.__name__].course_root = str(ROOT)

# nbgrader's own release pipeline, with the points from course.toml stamped first.
c.GenerateAssignment.preprocessors = [
    ApplyCoursePoints,
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    ClearSolutions,
    ClearOutput,
    CheckCellMetadata,
    ComputeChecksums,
    SaveCells,
    ClearHiddenTests,
    ClearMarkScheme,
    ComputeChecksums,
    CheckCellMetadata,
]

# Grading: read leniently, rebuild from release, run confined and judge from outside.
c.Autograde.exporter_class = LenientNotebookExporter
c.Autograde.sanitize_preprocessors = [RebuildFromRelease, CheckCellMetadata]
c.Autograde.autograde_preprocessors = [
    GradeInSandbox,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
