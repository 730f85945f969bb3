"""Instructor-only grading for the course: hidden graders, reference answers, nbgrader hooks.

Nothing in this package ships to students, and no student kernel can import or read it.
"""
