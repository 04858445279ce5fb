"""`autograder grade`, `export` and `report` on a tiny course, against plain nbgrader.

The same submissions are graded in two copies of a course: one with `nbgrader autograde` (then
`nbgrader generate_feedback`, to show what nbgrader's own feedback leaks), one with
`autograder grade`. See course_factory.py for the assignment and the learners.
"""

from __future__ import annotations

import csv
import datetime
import html
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.secrets import leaks_in_text, secrets_of_course
from tests.autograder import course_factory as factory

pytestmark = pytest.mark.slow

DAMAGED = "damaged"


@dataclass
class Graded:
    plain: Path
    ours: Path
    nbgrader_run: object
    first_run: object


def page_text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL | re.IGNORECASE)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def feedback_page(course: Path, student: str) -> Path:
    return course / "feedback" / student / factory.ASSIGNMENT / f"{factory.NOTEBOOK}.html"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    course = factory.make_course(tmp_path_factory.mktemp("tiny") / "course")
    factory.generate(course)
    return course


@pytest.fixture(scope="module")
def graded(template, tmp_path_factory) -> Graded:
    folder = tmp_path_factory.mktemp("graded")
    plain = factory.copy_course(template, folder / "plain")
    ours = factory.copy_course(template, folder / "ours")
    for course in (plain, ours):
        factory.submit_all(course)
        damaged = course / "submitted" / DAMAGED / factory.ASSIGNMENT
        damaged.mkdir(parents=True)
        (damaged / f"{factory.NOTEBOOK}.ipynb").write_text('{"cells": [', encoding="utf-8")
        (damaged / "timestamp.txt").write_text("2026-03-01 12:00:00.000000 UTC\n", encoding="utf-8")
    nbgrader_run = factory.nbgrader(plain, "autograde", factory.ASSIGNMENT)
    feedback = factory.nbgrader(plain, "generate_feedback", factory.ASSIGNMENT)
    assert feedback.returncode == 0, feedback.stderr[-3000:]
    first_run = factory.autograder(ours, "grade", factory.ASSIGNMENT, "--jobs", "2")
    return Graded(plain, ours, nbgrader_run, first_run)


def test_does_grade_exit_0_even_with_a_damaged_notebook(graded: Graded):
    assert graded.first_run.returncode == 0, graded.first_run.stderr[-3000:]
    assert f"| {DAMAGED} | tiny.ipynb is damaged" in graded.first_run.stdout


def test_does_grade_give_the_same_scores_as_nbgrader_autograde(graded: Graded):
    plain = factory.sqlite_scores(graded.plain)
    ours = factory.sqlite_scores(graded.ours)
    learners = set(factory.SUBMISSIONS)
    plain = {key: score for key, score in plain.items() if key[0] in learners}
    ours = {key: score for key, score in ours.items() if key[0] in learners}
    assert len(plain) == len(learners) * len(factory.POINTS)
    assert ours == plain


def test_do_the_scores_follow_each_mistake(graded: Graded):
    scores = factory.sqlite_scores(graded.ours)
    assert (scores["correct", "test_square"], scores["correct", "test_double"]) == (2, 1)
    assert scores["hidden_fail", "test_double"] == 0, "only a hidden test catches this mistake"
    assert (scores["endless", "test_square"], scores["endless", "test_double"]) == (0, 1)
    assert (scores["unchanged", "test_square"], scores["unchanged", "explain"]) == (0, 0)


def test_is_each_outcome_recorded_in_plain_words(graded: Graded):
    records = factory.outcome_records(graded.ours)
    assert set(records) == set(factory.SUBMISSIONS) | {DAMAGED}
    assert records[DAMAGED]["status"] == "failed" and "damaged" in records[DAMAGED]["reason"]
    assert records["correct"]["status"] == "needs manual grading"
    assert records["unchanged"]["status"] == "graded", "an untouched written answer scores 0 without a person"
    failures = {(f["part"], f["error"]) for f in records["endless"]["failures"]}
    assert ("test_square", "KeyboardInterrupt") in failures or ("test_square", "CellTimeoutError") in failures


def test_does_nbgrader_feedback_with_the_course_settings_keep_hidden_tests_out_too(graded: Graded):
    """``nbgrader generate_feedback`` with the course's nbgrader_config.py (which adds the
    autograder's ClearHiddenOutputs) shows the failing hidden test's message, not its lines;
    the check does find those lines when they are there (its positive control)."""
    secrets = [s for s in secrets_of_course(graded.plain / "source") if s.kind == "hidden test"]
    text = page_text(feedback_page(graded.plain, "hidden_fail"))
    assert "double(0.5) should be 1.0: decimals too" in text
    assert not leaks_in_text(text, secrets)
    assert leaks_in_text(text + " " + factory.HIDDEN_LINES[1], secrets)


def test_is_every_feedback_page_free_of_hidden_tests(graded: Graded):
    secrets = [s for s in secrets_of_course(graded.ours / "source") if s.kind == "hidden test"]
    assert len(secrets) == 2
    for student in factory.SUBMISSIONS:
        text = page_text(feedback_page(graded.ours, student))
        assert "square(3) should be 9" in text, "the visible tests are shown"
        assert not leaks_in_text(text, secrets), f"hidden tests in the feedback of {student}"
        for line in factory.HIDDEN_LINES:
            assert " ".join(line.split()) not in text


def test_does_the_failing_hidden_test_still_tell_the_learner_what_is_wrong(graded: Graded):
    text = page_text(feedback_page(graded.ours, "hidden_fail"))
    assert "double(0.5) should be 1.0: decimals too" in text
    assert "✘ Not passed: 0 of 1 points." in text and "keep hidden tests hidden" in text


def test_does_a_second_run_leave_graded_submissions_alone(graded: Graded):
    before = factory.outcome_records(graded.ours)
    again = factory.autograder(graded.ours, "grade", factory.ASSIGNMENT)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"| already graded before, left as they were | {len(factory.SUBMISSIONS)} |" in again.stdout
    after = factory.outcome_records(graded.ours)
    for student in factory.SUBMISSIONS:
        assert after[student]["graded_at"] == before[student]["graded_at"]
    assert after[DAMAGED]["graded_at"] != before[DAMAGED]["graded_at"], "failed ones are tried again"


def test_is_a_submission_handed_in_again_graded_again(graded: Graded):
    released = nbformat.read(graded.ours / "release" / factory.ASSIGNMENT / f"{factory.NOTEBOOK}.ipynb", 4)
    from autograder.samples import filled, submit

    submit(graded.ours, factory.ASSIGNMENT, "visible_fail", {factory.NOTEBOOK: filled(released, factory.ANSWERS)},
           timestamp=datetime.datetime(2026, 3, 2, 9, 30))
    before = factory.outcome_records(graded.ours)
    again = factory.autograder(graded.ours, "grade", factory.ASSIGNMENT, "--student", "visible_fail",
                               "--student", "correct")
    assert again.returncode == 0, again.stderr[-3000:]
    after = factory.outcome_records(graded.ours)
    assert after["visible_fail"]["graded_at"] != before["visible_fail"]["graded_at"]
    assert after["correct"]["graded_at"] == before["correct"]["graded_at"]
    assert factory.sqlite_scores(graded.ours)["visible_fail", "test_square"] == 2


def test_does_export_write_one_row_per_learner_and_part_and_totals(graded: Graded, tmp_path):
    target = tmp_path / "scores.csv"
    result = factory.autograder(graded.ours, "export", factory.ASSIGNMENT, "--csv", str(target))
    assert result.returncode == 0, result.stderr[-3000:]
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    learners = set(factory.SUBMISSIONS) | {DAMAGED}
    assert len(rows) == len(learners) * (len(factory.POINTS) + 1)
    totals = {row["student"]: row for row in rows if row["part"] == "total"}
    assert totals["correct"]["score"] == "3" and totals["correct"]["max_score"] == "4"
    assert totals[DAMAGED]["status"] == "failed" and "damaged" in totals[DAMAGED]["reason"]
    parts = {(row["student"], row["part"]): row["score"] for row in rows}
    assert parts["hidden_fail", "test_double"] == "0"


def test_does_report_draw_every_plot_with_a_description(graded: Graded, tmp_path):
    result = factory.autograder(graded.ours, "report", factory.ASSIGNMENT, "--out", str(tmp_path / "report"))
    assert result.returncode == 0, result.stderr[-3000:]
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)">', page)
    assert {name for name, _ in images} == {"score-distribution.png", "score-per-part.png", "failed-tests.png",
                                            "grading-time.png"}
    for name, _ in images:
        assert (tmp_path / "report" / name).stat().st_size > 1000
    assert "double(0.5) should be 1.0: decimals too" in html.unescape(page), "failure messages are listed"
    assert "tiny.ipynb is damaged" in page
