"""Grading pipeline of the course, around nbgrader's Python API and preprocessors.

It extends nbgrader rather than replacing it: the formats, gradebook and exchange stay nbgrader's.
"""
