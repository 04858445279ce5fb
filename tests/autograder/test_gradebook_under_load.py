"""The gradebook under load: one grading of an assignment at a time, and a worker that dies takes
no innocent submission with it."""

from __future__ import annotations

import io
import os

import pytest
from traitlets.config import Config

from autograder.pipeline import workers
from autograder.course import Course
from autograder.pipeline.grade import grade
from autograder.pipeline.lock import GradingLockError, grading_lock
from autograder.preprocessors import HoldGradingLock, ReleaseGradingLock
from tests.autograder import course_factory as factory


def autograde_step(course) -> tuple[HoldGradingLock, dict]:
    """The first step of nbgrader's autograde of one submission, as the formgrader runs it."""
    step = HoldGradingLock(config=Config({"CourseDirectory": {"root": str(course)}}))
    return step, {"nbgrader": {"assignment": factory.ASSIGNMENT, "student": "ana"}}


def test_does_the_formgrader_wait_its_turn_while_autograder_grade_runs(tmp_path):
    step, resources = autograde_step(tmp_path)
    with grading_lock(tmp_path, "autograded", factory.ASSIGNMENT):
        with pytest.raises(GradingLockError, match="`autograder grade` is grading it .* Autograde this submission again"):
            step.preprocess({}, resources)
    step.preprocess({}, resources)  # once the run is over, it goes ahead
    ReleaseGradingLock().preprocess({}, resources)


def test_does_autograder_grade_wait_its_turn_while_the_formgrader_autogrades(tmp_path):
    step, resources = autograde_step(tmp_path)
    step.preprocess({}, resources)
    with pytest.raises(GradingLockError, match="nbgrader autograde .* is grading a submission of it"):
        with grading_lock(tmp_path, "autograded", factory.ASSIGNMENT):
            pass
    ReleaseGradingLock().preprocess({}, resources)
    with grading_lock(tmp_path, "autograded", factory.ASSIGNMENT):
        pass


RUN_SUBMISSION = workers.run_submission


def run_or_crash(submission, notebooks):
    """The worker's task, but the worker dies on the submission of "crasher" (module level: the
    scheduler sends it to its workers by name)."""
    if submission.student == "crasher":
        os._exit(1)
    return RUN_SUBMISSION(submission, notebooks)


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's gradebook code, graded in this process
def test_does_a_submission_that_kills_its_worker_fail_alone(tmp_path, monkeypatch):
    """One submission kills the worker process that runs it, every time (as a crash of the grader
    would), while others run beside it: it alone counts as failed; the others get their scores."""
    course = factory.make_course(tmp_path / "course")
    factory.generate(course)
    learners = {"crasher": {}, "correct": {}, "visible_fail": factory.SUBMISSIONS["visible_fail"],
                "hidden_fail": factory.SUBMISSIONS["hidden_fail"], "unchanged": None}
    factory.submit_all(course, learners)
    monkeypatch.setattr(workers, "run_submission", run_or_crash)
    monkeypatch.chdir(course)
    run = grade(Course.open(course), factory.ASSIGNMENT, jobs=2, progress=io.StringIO())
    outcomes = {outcome.student: outcome for outcome in run.outcomes}
    assert outcomes["crasher"].status == "failed" and "stopped while running this notebook twice" in outcomes["crasher"].reason
    assert {student: outcome.status for student, outcome in outcomes.items() if student != "crasher"} == {
        "correct": "needs manual grading", "visible_fail": "needs manual grading", "hidden_fail": "needs manual grading",
        "unchanged": "graded"}
    scores = factory.sqlite_scores(course)
    assert scores["correct", "test_square"] == 2 and scores["hidden_fail", "test_double"] == 0
