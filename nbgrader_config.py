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

from nbconvert.preprocessors import (  # noqa: E402
    ClearMetadataPreprocessor,
    CSSHTMLHeaderPreprocessor,
)
from nbgrader.apps import api as _api  # noqa: E402
from nbgrader.apps import autogradeapp as _autogradeapp  # noqa: E402
from nbgrader.apps import generatefeedbackapp as _feedbackapp  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    GetGrades,
    IgnorePattern,
    IncludeHeaderFooter,
    InstantiateTests,
    LimitOutput,
    LockCells,
    SaveAutoGrades,
    SaveCells,
)

from autograder.config import load_course  # noqa: E402
from autograder.steps.collect import SafeExchangeCollect  # noqa: E402
from autograder.steps.feedback import StudentFeedback  # noqa: E402
from autograder.steps.grading import GradeInSandbox  # noqa: E402
from autograder.steps.intake import LenientNotebookExporter, RebuildFromRelease  # noqa: E402
from autograder.steps.release import ApplyCoursePoints  # noqa: E402
from autograder.steps.sanitize import InertOutputs  # noqa: E402
from autograder.steps.submission_files import SafeAutograde, SafeGenerateFeedback  # noqa: E402

course = load_course(ROOT)
c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.course_id = course.id
c.CourseDirectory.db_url = course.db_url

for step in (ApplyCoursePoints, RebuildFromRelease, GradeInSandbox, LenientNotebookExporter):
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

# A submission folder is the student's: nbgrader's converters copy its other files into
# autograded/ and feedback/ with shutil.copy, which follows links (a link to gradebook.db put
# the whole gradebook in a student's feedback folder). nbgrader has no setting for the converter
# class its commands use, so the commands (and formgrader's, through nbgrader.apps.api) are
# given the same converters with that copy done by the course's intake instead.
for app_module in (_autogradeapp, _api):
    app_module.Autograde = SafeAutograde
for app_module in (_feedbackapp, _api):
    app_module.GenerateFeedback = SafeGenerateFeedback
# `nbgrader collect` runs as the instructor and would follow a student's link in the exchange:
# links are collected as links, for the intake to refuse (autograder/steps/collect.py).
c.ExchangeFactory.collect = SafeExchangeCollect

# Grading: read leniently, rebuild from release, run confined and judge from outside, then
# make every output and written answer inert before anything shows them in a browser.
c.Autograde.exporter_class = LenientNotebookExporter
c.Autograde.sanitize_preprocessors = [RebuildFromRelease, CheckCellMetadata]
c.Autograde.autograde_preprocessors = [
    GradeInSandbox,
    InertOutputs,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

# Feedback: nbgrader's page, with the reports made readable and a summary at the top.
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, StudentFeedback]
