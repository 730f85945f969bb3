"""Grading a whole class in parallel: `python -m autograder grade ASSIGNMENT`.

One task grades one student's submission of one assignment. It is a plain function of plain
data (`tasks.grade_submission`: the course bundle and the submission's files in, the autograded
notebooks and gradebook rows out), run on Dask workers that may sit on other machines. The
client process is the one writer: it puts the results in the course's gradebook and
autograded/ folder (`writer`), exactly where `nbgrader autograde` puts them.

Modules, in import order: records (the plain data), bundle (what the client sends),
ledger (which submissions are graded already), tasks and worker (the worker side),
writer (the one gradebook writer), progress (what the instructor sees), run (the batch on a
Dask client), cli (the command), demo (`make grade-demo`).
"""
