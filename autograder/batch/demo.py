"""`make grade-demo`: the bundled demo class graded in parallel with `python -m autograder grade`.

In a fresh course directory (.demo/batch/course, ignored by git) it generates every
assignment, submits the demo's three students (right, common mistakes, blank), grades each
assignment with the documented command run from the course root, then generates feedback and
exports the grades with nbgrader, which read the batch's results as they read autograde's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

from autograder import demo
from autograder.config import load_course
from autograder.pipeline import copy_course, nbgrader, nbgrader_env, submit

BATCH_DEMO_DIR = demo.DEMO_DIR / "batch"


def main() -> int:
    started = time.monotonic()
    shutil.rmtree(BATCH_DEMO_DIR, ignore_errors=True)
    course_dir = copy_course(BATCH_DEMO_DIR / "course")
    course = load_course(course_dir)
    print(f"Course {course.id} in {course_dir}", flush=True)
    for assignment in course.assignments:
        nbgrader(course_dir, "generate_assignment", assignment, "--force")
        for student in demo.STUDENTS:
            for nb in course.notebooks_of(assignment):
                content = demo.submission(student, assignment, nb.name)
                submit(course_dir, student, assignment, nb.name, content)
    status = 0
    for assignment in course.assignments:
        command = [sys.executable, "-m", "autograder", "grade", assignment]
        print(f"\n$ cd {course_dir} && python -m autograder grade {assignment}", flush=True)
        done = subprocess.run(command, cwd=course_dir, env=nbgrader_env())
        status = status or done.returncode
        nbgrader(course_dir, "generate_feedback", assignment, "--force")
    nbgrader(course_dir, "export")
    print(f"\nGrades CSV: {course_dir / 'grades.csv'}")
    print(f"Feedback:   {course_dir / 'feedback'}")
    print(f"Done in {time.monotonic() - started:.0f} s.")
    return status


if __name__ == "__main__":
    sys.exit(main())
