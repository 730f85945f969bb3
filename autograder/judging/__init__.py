"""Judging answers: the comparisons graders make, the student the graders question, and the
pytest run that turns one graded cell's hidden checks into a verdict."""
