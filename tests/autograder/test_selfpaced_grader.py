"""The grading side of the self-paced loop on a course folder, without a hub: submissions put into the
exchange's inbox as ``nbgrader submit`` does are admitted, graded in the sandbox and recorded; the token
bucket, the refunds and a stop in the middle of grading behave as the loop promises."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.course import Course
from autograder.pipeline.outcomes import OutcomeStore
from autograder.samples import answers_of, filled, hand_in
from autograder.selfpaced import store as states
from autograder.selfpaced.grader import LoopGrader
from autograder.selfpaced.progress import CourseProgress
from autograder.selfpaced.settings import SelfPaced
from autograder.selfpaced.store import store_of
from tests.autograder.course_factory import environment
from tests.conftest import COURSE_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ASSIGNMENT = "budgeting_01"
COURSE_ID = "local-governance"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A course folder with budgeting_01 generated, an exchange, and the course's outline files."""
    root = tmp_path_factory.mktemp("loop") / "course"
    exchange = root.parent / "exchange"
    (root / "source").mkdir(parents=True)
    shutil.copytree(COURSE_ROOT / "exercises" / "source" / ASSIGNMENT, root / "source" / ASSIGNMENT)
    (root / "book").mkdir()
    for name in ("_toc.yml", "syllabus.md"):
        shutil.copyfile(COURSE_ROOT / "book" / name, root / "book" / name)
    config = (COURSE_ROOT / "exercises" / "nbgrader_config.py").read_text(encoding="utf-8")
    config += (f"\nc.CourseDirectory.root = {str(root)!r}\nc.Exchange.root = {str(exchange)!r}\n"
               "c.Exchange.path_includes_course = True\nc.SelfPaced.tokens = 2\n")
    (root / "nbgrader_config.py").write_text(config, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=root,
                            env=environment(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return root


@pytest.fixture
def course(template, tmp_path):
    """A fresh copy of the course and its exchange for one test."""
    shutil.copytree(template.parent, tmp_path / "copy")
    root = tmp_path / "copy" / "course"
    config = root / "nbgrader_config.py"
    config.write_text(config.read_text().replace(str(template.parent), str(tmp_path / "copy")))
    return Course.open(root)


def notebooks(course: Course, kind: str) -> dict:
    source = nbformat.read(course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    released = nbformat.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    return {ASSIGNMENT: filled(released, answers_of(source)) if kind == "right" else released}


def exchange(course: Course) -> Path:
    return course.root.parent / "exchange"


def hand(course: Course, student: str, kind: str = "right") -> Path:
    folder = hand_in(exchange(course), COURSE_ID, ASSIGNMENT, student, notebooks(course, kind))
    time.sleep(0.01)  # distinct timestamps, in order
    return folder


def loop_of(course: Course) -> LoopGrader:
    return LoopGrader(store_of(course), {COURSE_ID: course}, jobs=2, sandbox=True)


def test_a_submission_in_the_inbox_is_graded_and_its_feedback_released_with_no_one_running_a_command(course):
    loop = loop_of(course)
    hand(course, "ana", "unanswered")
    hand(course, "bo", "right")
    assert loop.admit_new() == 2 and loop.grade_waiting() == 2
    entries = {entry.student: entry for entry in loop.store.entries()}
    assert (entries["ana"].state, entries["ana"].score) == (states.GRADED, 0.0)
    assert (entries["bo"].state, entries["bo"].score, entries["bo"].max_score) == (states.GRADED, 20.0, 20.0)
    assert [test["name"] for test in entries["bo"].tests][:2] == ["test_gross_savings", "test_net_savings"]
    released = list((exchange(course) / COURSE_ID / "feedback").glob("*.html"))
    assert len(released) == 2, "each learner's feedback goes into the exchange, under its secret name"
    assert loop.admit_new() == 0 and loop.grade_waiting() == 0, "nothing is graded twice"


def test_a_newer_submission_replaces_a_waiting_one_which_costs_nothing(course):
    loop = loop_of(course)
    hand(course, "ana", "unanswered")
    hand(course, "ana", "right")
    loop.admit_new()
    loop.grade_waiting()
    first, second = loop.store.entries(student="ana")
    assert first.state == states.SUPERSEDED and "cost you nothing" in first.message
    assert (second.state, second.score) == (states.GRADED, 20.0)
    progress = CourseProgress(course, loop.store, SelfPaced(config=course.config))
    hand(course, "ana", "unanswered")
    loop.admit_new()
    assert loop.store.entries(student="ana")[-1].state == states.QUEUED, "one token of two was left"
    assert not progress.has_passed("ana", ASSIGNMENT)


def test_over_the_limit_a_submission_waits_and_says_for_how_long(course):
    loop = loop_of(course)
    for _ in range(2):
        hand(course, "cy", "unanswered")
        loop.admit_new()
        loop.grade_waiting()
    hand(course, "cy", "right")
    loop.admit_new()
    last = loop.store.entries(student="cy")[-1]
    assert last.state == states.THROTTLED
    assert "used your 2 quick gradings" in last.message and "Submit again in 20 minutes" in last.message
    assert loop.grade_waiting() == 0, "a throttled submission is not graded"


def test_a_damaged_notebook_cannot_be_graded_and_costs_no_token(course):
    loop = loop_of(course)
    folder = hand(course, "dee", "right")
    (folder / f"{ASSIGNMENT}.ipynb").write_text("this is not a notebook", encoding="utf-8")
    loop.admit_new()
    loop.grade_waiting()
    entry = loop.store.entries(student="dee")[0]
    assert entry.state == states.UNGRADABLE and "cost no quick grading" in entry.message
    for _ in range(2):  # both tokens are still there
        hand(course, "dee", "right")
        loop.admit_new()
        loop.grade_waiting()
    assert [entry.state for entry in loop.store.entries(student="dee")] == [states.UNGRADABLE, states.GRADED, states.GRADED]


def test_a_learner_who_has_passed_is_never_throttled(course):
    loop = loop_of(course)
    hand(course, "eve", "right")
    loop.admit_new()
    loop.grade_waiting()
    loop.store.assess(COURSE_ID, ASSIGNMENT, "eve", "eve", "self", [1, 1, 1, 1, 0])  # 20 + 4 of 25: passed
    for _ in range(3):
        hand(course, "eve", "right")
        loop.admit_new()
    assert [entry.state for entry in loop.store.entries(student="eve")][1:] == [states.QUEUED] * 3


def test_an_exercise_switched_off_by_the_instructor_waits_for_the_instructor(course):
    loop = loop_of(course)
    loop.store.switch(COURSE_ID, ASSIGNMENT, False)
    hand(course, "fay", "right")
    loop.admit_new()
    assert loop.grade_waiting() == 0
    entry = loop.store.entries(student="fay")[0]
    assert entry.state == states.OFF and "your instructor collects and grades it" in entry.message


def test_a_stop_in_the_middle_of_grading_loses_nothing_and_grades_nothing_twice(course):
    for number in range(6):
        hand(course, f"learner{number}", "right")
    command = [sys.executable, "-m", "autograder.selfpaced.service.grading", "--course", str(course.root), "--jobs", "2"]
    loop = store_of(course)
    service = subprocess.Popen(command, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    outcomes = OutcomeStore.of_course(course, ASSIGNMENT)
    while time.monotonic() < deadline and not outcomes.all():  # stopped once some are graded, not all
        time.sleep(0.05)
    os.killpg(service.pid, signal.SIGKILL)
    service.wait()
    before = {outcome.student: outcome.graded_at for outcome in outcomes.all()}
    assert 0 < len(before) < 6 or loop.entries(states.QUEUED), "the stop came too late to prove anything"
    service = subprocess.Popen(command, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and len(loop.entries(states.GRADED)) < 6:
            time.sleep(0.2)
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        output = service.communicate(timeout=60)[0].decode()
    assert [entry.state for entry in loop.entries()] == [states.GRADED] * 6, output[-3000:]
    after = {outcome.student: outcome.graded_at for outcome in outcomes.all()}
    for student, graded_at in before.items():
        assert after[student] == graded_at, f"{student}'s finished grading was run again"
    assert all(entry.score == 20.0 for entry in loop.entries())
    assert all(entry.gradings <= 1 for entry in loop.entries()), "a submission's notebook ran twice"


def test_every_page_of_the_progress_service_renders_for_learners_and_instructors(course):
    from autograder.selfpaced.service import views
    from autograder.selfpaced.service.web import ServiceContext

    for name in ("_toc.yml", "syllabus.md"):
        assert (course.root / "book" / name).exists()
    loop = loop_of(course)
    for number in range(5):  # a cohort big enough for its plots
        hand(course, f"learner{number}", "right" if number % 2 else "unanswered")
    loop.admit_new()
    loop.grade_waiting()
    context = ServiceContext(course, "/services/local-governance-progress/")
    progress = context.progress()
    common = {"course": COURSE_ID, "prefix": context.prefix, "user": "learner1", "xsrf": "", "is_instructor": True}
    pages = {
        "progress.html.j2": {"page": views.learner_page(progress, "learner1")},
        "feedback.html.j2": {"page": views.feedback_page(progress, "learner0", ASSIGNMENT)},
        "assess.html.j2": {"assignment": ASSIGNMENT, "rubric": progress.rubric(ASSIGNMENT), "saved": "1",
                           "answer": progress.submitted_answer("learner1", ASSIGNMENT), "marks": [1, 0, 1, 0, 1]},
        "review.html.j2": {"assignment": ASSIGNMENT, "rubric": progress.rubric(ASSIGNMENT), "answer": "An answer",
                           "handle": "signed", "saved": ""},
    }
    rows = views.cohort_rows(progress, [], names=False)
    plots = views.cohort_plots(progress, rows)
    assert plots["hidden"] == "" and plots["parts"], "five learners are enough for the plots"
    pages["cohort.html.j2"] = {"rows": rows, "names": False, "plots": plots, "messages": progress.frequent_messages(),
                               "switches": {ASSIGNMENT: True}}
    for template, values in pages.items():
        html = context.templates.get_template(template).render(**common, **values)
        assert "<h1>" in html and "learner0" not in html.replace("Signed in as learner1", "") or template == "feedback.html.j2"
    feedback = context.templates.get_template("feedback.html.j2").render(**common, **pages["feedback.html.j2"])
    assert "0 / 2" in feedback and "not answered yet" in feedback and "UTC" in feedback
    cohort = context.templates.get_template("cohort.html.j2").render(**common, **pages["cohort.html.j2"])
    assert "data:image/png;base64," in cohort and "learner-" in cohort and "learner3" not in cohort
    assert "not answered yet" in cohort, "the most frequent message is listed"
