"""Confinement: how a student's kernel is started, limited, driven and stopped.

This layer knows nothing of grading: it runs code and reports what happened.
"""
