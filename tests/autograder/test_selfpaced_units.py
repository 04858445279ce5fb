"""The self-paced loop's pure parts: the token bucket, the pass rule, written-answer assessment,
the rubric, the course outline and the feedback per test. Figures are computed by hand in comments."""

from __future__ import annotations

import json

import nbformat
import pytest

from autograder.preprocessors.hidden_outputs import NOT_ANSWERED, ClearHiddenOutputs
from autograder.selfpaced.assessment import INSTRUCTOR, PEERS, SELF, answer_to_review, written_score
from autograder.selfpaced.outline import OutlineError, hours_of, read_outline
from autograder.selfpaced.per_test import test_results as results_of
from autograder.selfpaced.rubric import RubricError, rubric_of, written_answer
from autograder.selfpaced.rules import PASS_SHARE, WRITTEN_MINIMUM, passes
from autograder.selfpaced.store import Assessment
from autograder.selfpaced.throttle import Bucket, over_limit_message, wait_text
from tests.conftest import COURSE_ROOT

MINUTE = 60.0


# --- the token bucket ---------------------------------------------------------------------------

def test_five_quick_gradings_then_a_wait_of_one_refill_period():
    bucket = Bucket.full(5, now=0.0)
    for _ in range(5):
        taken, bucket = bucket.take(5, 20 * MINUTE, now=0.0)
        assert taken
    taken, bucket = bucket.take(5, 20 * MINUTE, now=0.0)
    assert not taken
    assert bucket.wait(5, 20 * MINUTE, now=0.0) == 20 * MINUTE
    # 15 minutes later, three quarters of a token are back: 5 minutes to wait.
    assert bucket.wait(5, 20 * MINUTE, now=15 * MINUTE) == pytest.approx(5 * MINUTE)
    taken, _ = bucket.take(5, 20 * MINUTE, now=20 * MINUTE)
    assert taken


def test_the_bucket_never_holds_more_than_its_capacity():
    bucket = Bucket(0.0, at=0.0).refilled(5, 20 * MINUTE, now=1000 * MINUTE)
    assert bucket.tokens == 5.0
    assert Bucket.full(5, 0.0).give_back(5, 20 * MINUTE, 0.0).tokens == 5.0


def test_a_token_given_back_can_be_used_at_once():
    bucket = Bucket(0.0, at=0.0).give_back(5, 20 * MINUTE, now=0.0)
    taken, _ = bucket.take(5, 20 * MINUTE, now=0.0)
    assert taken


def test_the_over_limit_message_says_how_long_to_wait():
    message = over_limit_message(5, 20, 5 * MINUTE + 1)
    assert "used your 5 quick gradings" in message and "Submit again in 6 minutes" in message
    assert wait_text(1) == "1 minute" and wait_text(3600) == "1 hour" and wait_text(3660 + 61) == "1 hour 3 minutes"


# --- the pass rule --------------------------------------------------------------------------------

def test_the_pass_rule_needs_sixty_percent_and_three_written_points():
    assert (PASS_SHARE, WRITTEN_MINIMUM) == (0.6, 3.0)
    assert passes(15, 3, 25)  # 15 = 60 % of 25, and 3 written points
    assert not passes(14.5, 3, 25)  # 58 %
    assert not passes(22, 2, 25)  # full automatic marks cannot make up for a weak written answer
    assert not passes(20, None, 25)  # not assessed yet


def test_the_syllabus_states_the_same_pass_rule():
    syllabus = (COURSE_ROOT / "book" / "syllabus.md").read_text(encoding="utf-8")
    assert f"at least {PASS_SHARE:.0%} of its points and at least {WRITTEN_MINIMUM:g} of the 5 points" \
        .replace("%", " %") in syllabus


# --- written answers ---------------------------------------------------------------------------------

def assessment(author, assessor, kind, score):
    return Assessment(author, assessor, kind, [1] * int(score) + [0] * (5 - int(score)), float(score), 0.0)


def test_self_then_two_peers_then_the_instructor_each_replace_the_one_before():
    marks = [assessment("ana", "ana", "self", 5)]
    assert written_score("ana", marks, None, peers=2).by == SELF
    marks.append(assessment("ana", "bo", "peer", 3))
    assert written_score("ana", marks, None, peers=2).score == 5  # one peer is not enough yet
    marks.append(assessment("ana", "cy", "peer", 4))
    score = written_score("ana", marks, None, peers=2)
    assert (score.by, score.score) == (PEERS, 3.5)  # (3 + 4) / 2
    score = written_score("ana", marks, 2.0, peers=2)
    assert (score.by, score.score) == (INSTRUCTOR, 2.0)


def test_a_reviewer_gets_someone_elses_answer_never_their_own_and_each_once():
    answered = {"ana": 1.0, "bo": 2.0, "cy": 3.0}
    marks = [assessment("bo", "bo", "self", 4)]
    assert answer_to_review("bo", answered, marks, peers=2) == "ana"  # the oldest of those with fewest marks
    marks.append(assessment("ana", "bo", "peer", 3))
    assert answer_to_review("bo", answered, marks, peers=2) == "cy"
    marks.append(assessment("cy", "bo", "peer", 3))
    assert answer_to_review("bo", answered, marks, peers=2) is None


def test_a_reviewer_must_assess_their_own_answer_first():
    assert answer_to_review("bo", {"ana": 1.0, "bo": 2.0}, [], peers=2) is None


# --- rubric and outline ------------------------------------------------------------------------------

@pytest.mark.parametrize("assignment", ["budgeting_01", "project_management_01", "smart_towns_01", "open_data_01"])
def test_every_exercise_has_a_five_point_rubric_the_loop_can_read(assignment):
    notebook = nbformat.read(COURSE_ROOT / "exercises" / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    rubric = rubric_of(notebook)
    assert rubric.max_score == 5 and len(rubric.criteria) == 5
    assert all(criterion.name and criterion.description for criterion in rubric.criteria)


def test_a_notebook_without_a_rubric_is_refused_with_a_message():
    with pytest.raises(RubricError, match="rubric cell"):
        rubric_of(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Hello")]))


def test_the_stub_of_a_written_answer_counts_as_no_answer():
    cell = nbformat.v4.new_markdown_cell("YOUR ANSWER HERE", metadata={"nbgrader": {"grade_id": "advice"}})
    assert written_answer(nbformat.v4.new_notebook(cells=[cell]), "advice") == ""


def test_the_outline_has_the_four_modules_with_the_syllabus_workload():
    modules = read_outline(COURSE_ROOT)
    assert [m.assignment for m in modules] == ["budgeting_01", "project_management_01", "smart_towns_01", "open_data_01"]
    # Module 1: 60 min + 1 h 15 min + 60 min + 2 h 30 min = 5 h 45 min.
    assert modules[0].hours == 5.75
    assert [len(m.lessons) for m in modules] == [3, 3, 3, 3]
    assert modules[0].outcomes[0] == "Read a communal budget" and len(modules[3].outcomes) == 7


def test_a_duration_is_read_in_hours():
    assert hours_of("**5 h 45 min**") == 5.75 and hours_of("60 min") == 1.0 and hours_of("2 h") == 2.0
    with pytest.raises(OutlineError):
        hours_of("a while")


# --- feedback per test -------------------------------------------------------------------------------

def graded_cell(grade_id, points, source, error=None, score_only=False):
    cell = nbformat.v4.new_code_cell(source, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": grade_id, "points": points}})
    if score_only:
        cell.metadata["autograder"] = {"feedback": "score only"}
    if error:
        cell.outputs = [nbformat.v4.new_output("error", ename=error[0], evalue=error[1], traceback=["SECRET LINE"])]
    return cell


def test_feedback_per_test_shows_name_part_points_and_the_courses_message_never_the_source():
    hidden = "### BEGIN HIDDEN TESTS\nassert secret() == 42, 'the secret check'\n### END HIDDEN TESTS"
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## Part 1: savings (2 points)"),
        graded_cell("test_savings", 2, "assert f(1) == 2, f'f(1) should be 2, not {f(1)}'\n" + hidden,
                    ("AssertionError", "f(1) should be 2, not 7")),
        nbformat.v4.new_markdown_cell("## Part 2: debt (1 point)"),
        graded_cell("test_debt", 1, "assert g() == 1, 'g is wrong'", ("AssertionError", "g is wrong"), score_only=True),
        graded_cell("test_stub", 1, "assert h() == 1, 'h is wrong'", ("NotImplementedError", "")),
        graded_cell("test_passing", 1, "assert True"),
    ])
    results = results_of(notebook, {"test_savings": 0.0, "test_debt": 0.0, "test_stub": 0.0}, ClearHiddenOutputs())
    assert [(r.name, r.title, r.score, r.max_score) for r in results] == [
        ("test_savings", "Part 1: savings (2 points)", 0.0, 2.0), ("test_debt", "Part 2: debt (1 point)", 0.0, 1.0),
        ("test_stub", "Part 2: debt (1 point)", 0.0, 1.0), ("test_passing", "Part 2: debt (1 point)", 1.0, 1.0)]
    assert results[0].message == "f(1) should be 2, not …"  # the learner's value is not shown
    assert results[1].message == "" and results[1].score_only  # score only: points and nothing else
    assert results[2].message == NOT_ANSWERED
    assert results[3].passed and results[3].message == ""
    shown = json.dumps([r.as_dict() for r in results])
    assert "secret" not in shown and "SECRET LINE" not in shown and "assert" not in shown


def test_the_syllabus_states_the_workload_and_the_quick_gradings_the_loop_uses():
    from autograder.selfpaced.settings import SelfPaced

    syllabus = (COURSE_ROOT / "book" / "syllabus.md").read_text(encoding="utf-8")
    hours = sum(module.hours for module in read_outline(COURSE_ROOT))
    assert hours == 22.5  # 5 h 45 + 5 h 45 + 5 h 30 + 5 h 30
    assert f"workload ({int(hours)} h {round(hours % 1 * 60)} min" in syllabus
    defaults = SelfPaced()
    assert f"({defaults.tokens}, and one more every {defaults.refill_minutes:g} minutes" in syllabus


def test_the_lesson_tracker_reports_lessons_only_to_the_learners_courses():
    from course_hub.lesson_tracker import courses_of, lesson_of

    assert lesson_of("course/book/budgeting/01-anatomy.md") == "book/budgeting/01-anatomy"
    assert lesson_of("course/book/budgeting/exercise-01.md") is None
    assert lesson_of("local-governance/budgeting_01/budgeting_01.ipynb") is None
    assert courses_of(["nbgrader-local-governance", "formgrade-other", "nbgrader-local-governance", "staff"]) == \
        ["local-governance", "other"]


def test_check_my_answers_shows_each_failed_part_with_its_title_and_the_courses_message(tmp_path):
    from autograder.selfpaced.check import CourseValidator

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## Part 1: gross savings (2 points)"),
        nbformat.v4.new_code_cell("def gross(a, b):\n    return a + b", metadata={"nbgrader": {
            "grade": False, "solution": True, "locked": False, "grade_id": "gross", "schema_version": 3}}),
        nbformat.v4.new_code_cell("assert gross(5, 2) == 3, f'Your gross savings are {gross(5, 2) - 3} too high.'",
                                  metadata={"nbgrader": {"grade": True, "solution": False, "locked": True, "points": 2,
                                                         "grade_id": "test_gross", "schema_version": 3}}),
        nbformat.v4.new_markdown_cell("## Part 2: net savings (1 point)"),
        nbformat.v4.new_code_cell("def net(a):\n    raise NotImplementedError()", metadata={"nbgrader": {
            "grade": False, "solution": True, "locked": False, "grade_id": "net", "schema_version": 3}}),
        nbformat.v4.new_code_cell("assert net(1) == 1, 'net is wrong'", metadata={"nbgrader": {
            "grade": True, "solution": False, "locked": True, "points": 1, "grade_id": "test_net", "schema_version": 3}}),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    path = tmp_path / "exercise.ipynb"
    nbformat.write(notebook, path)
    failed = CourseValidator().validate(str(path))["failed"]
    errors = [entry["raw_error"] for entry in failed]
    assert errors == ["Part 1: gross savings (2 points): Your gross savings are 4 too high.",
                      "Part 2: net savings (1 point): " + NOT_ANSWERED], errors
    assert not any("Traceback" in entry["error"] for entry in failed)
