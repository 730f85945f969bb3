"""nbgrader steps of this course, one transformation each.

- release.py: points from course.toml stamped on the graded cells (generate_assignment).
- collect.py: collection that keeps a student's links as links, for the intake to refuse.
- submission_files.py: the intake of a submission folder (no link, special file or oversized
  file is followed or copied) and nbgrader's converters that copy through it.
- intake.py: a lenient reader for broken notebooks and the rebuild of each submission from
  the release version.
- grading.py: confined execution with verdicts computed outside the student's kernel.
- sanitize.py: student outputs and written answers made inert before anyone renders them.
- feedback.py: feedback pages with a summary and wrapped, escaped reports (generate_feedback).
"""
