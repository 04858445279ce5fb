"""Which submissions of an assignment a run of ``autograder grade`` grades, and which it skips.

A submission is skipped when its outcome record says it was graded from this very submission
(nbgrader's timestamp) and its autograded notebooks are in place; ``--force`` grades it again.
"""

from __future__ import annotations

from autograder.course import Course, Submission
from autograder.pipeline.outcomes import FAILED, Outcome, OutcomeStore


def is_up_to_date(course: Course, submission: Submission, outcome: Outcome | None) -> bool:
    """Graded already, from this very submission (nbgrader's timestamp), with its files in place."""
    if outcome is None or outcome.status == FAILED or outcome.submitted_at != submission.timestamp_text:
        return False
    autograded = course.folder("autograded", submission.student, submission.assignment)
    return all((autograded / f"{name}.ipynb").exists() for name in submission.notebooks if name)


def plan(course: Course, assignment: str, students: list[str] | None, force: bool):
    """(submissions to grade, students already graded, students without a submission, notebooks)."""
    notebooks = course.assignment_notebooks(assignment)
    submissions, missing = course.submissions(assignment, students)
    store = OutcomeStore.of_course(course, assignment)
    todo, skipped = [], []
    for submission in submissions:
        if force or not is_up_to_date(course, submission, store.load(submission.student)):
            todo.append(submission)
        else:
            skipped.append(submission.student)
    return todo, skipped, missing, notebooks
