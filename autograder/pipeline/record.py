"""Step 2 of grading a submission, in the main process only: write its scores to the gradebook.

Only this step writes to the gradebook, and only one submission at a time, so no two jobs ever
write the same row at once, whatever the database (SQLite or PostgreSQL). It does what nbgrader's
``Autograde`` does around the run of the notebooks: create the student and the submission (with
the submission's timestamp, for late penalties), score missing notebooks zero, then run the
gradebook steps (``SaveAutoGrades``, ``AssignLatePenalties``...) on each executed notebook and
write it to ``autograded/``.

nbgrader's gradebook steps open the gradebook themselves and commit after every cell. Here they
borrow the one gradebook of the submission instead, and their commits are deferred to a single
commit at the end: one transaction per submission (all its scores or none), and no queue of small
commits that other processes reading the gradebook would have to wait for.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat

from autograder.course import Submission
from autograder.pipeline.execute import Executed, Pipeline
from autograder.nbgrader_compat import lend_gradebook
from autograder.pipeline.outcomes import FAILED, GRADED, MANUAL, Outcome
from autograder.scores import scores_of


def record_submission(pipeline: Pipeline, submission: Submission, executed: Executed) -> Outcome:
    """Write the scores of an executed submission; return its outcome (feedback not written yet)."""
    course = pipeline.course
    outcome = Outcome(
        student=submission.student,
        assignment=submission.assignment,
        status=FAILED,
        submitted_at=submission.timestamp_text,
        seconds=executed.seconds,
        failures=executed.failures,
        events=list(executed.events),
        flags=list(executed.flags),
    )
    destination = course.folder("autograded", submission.student, submission.assignment)
    with course.gradebook() as gradebook:
        if pipeline.autograde.create_student:
            gradebook.update_or_create_student(submission.student)
        else:
            gradebook.find_student(submission.student)  # raises MissingEntry: reported as failed
        if submission.timestamp:
            gradebook.update_or_create_submission(submission.assignment, submission.student, timestamp=submission.timestamp)
        else:
            gradebook.update_or_create_submission(submission.assignment, submission.student)
        assignment = gradebook.find_assignment(submission.assignment)
        for notebook in assignment.notebooks:
            if notebook.name not in executed.notebooks:
                recorded = gradebook.find_submission_notebook(notebook.name, submission.assignment, submission.student)
                for grade in recorded.grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
                gradebook.db.commit()
        if executed.error:
            shutil.rmtree(destination, ignore_errors=True)  # as nbgrader does with a failed submission
            outcome.reason = executed.error
            return outcome

        exporter = pipeline.exporter(pipeline.record_steps)
        outputs = {}
        with lend_gradebook(gradebook):
            for notebook, text in executed.notebooks.items():
                resources = pipeline.resources(submission, notebook)
                outputs[notebook], _ = exporter.from_notebook_node(nbformat.reads(text, as_version=4), resources=resources)
        if executed.flags:
            hold_automatic_points(gradebook, submission)
        gradebook.db.commit()
        recorded = scores_of(gradebook.find_submission(submission.assignment, submission.student))
        outcome.score, outcome.max_score, outcome.parts = recorded.score, recorded.max_score, recorded.parts
        outcome.status = MANUAL if recorded.needs_manual_grade else GRADED
    permissions = int(str(pipeline.autograde.permissions), 8)
    for notebook, output in outputs.items():
        write_read_only(destination / f"{notebook}.ipynb", output, permissions)
    for path in destination.rglob("*"):
        if path.is_file():
            os.chmod(path, permissions)
    return outcome


def hold_automatic_points(gradebook, submission: Submission) -> None:
    """Score 0 every automatically graded part of a submission held for review, and mark it for
    manual grading: the instructor gives the points back in the formgrader if the code is honest."""
    recorded = gradebook.find_submission(submission.assignment, submission.student)
    for notebook in recorded.notebooks:
        for grade in notebook.grades:
            if grade.auto_score is not None:
                grade.auto_score = 0
                grade.needs_manual_grade = True
    gradebook.db.flush()


def write_read_only(path: Path, text: str, permissions: int) -> None:
    """Replace ``path`` with ``text`` (nbgrader makes autograded notebooks read-only)."""
    if path.exists():
        path.unlink()
    path.write_text(text, encoding="utf-8")
    os.chmod(path, permissions)
