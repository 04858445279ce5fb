"""Unit tests of the autograder's parts that need no kernel and no gradebook."""

from __future__ import annotations

import io
import random

import jsonschema
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder import samples, speedups
from autograder.cli import EXIT_CANNOT_RUN, main
from autograder.course import Course, CourseError
from autograder.feedback import feedback_steps
from autograder.launch import ipykernel_arguments
from autograder.outcomes import FAILED, MANUAL, Failure, Outcome, OutcomeStore, Part
from nbgrader.preprocessors import ClearHiddenTests

from autograder.preprocessors import ClearHiddenTracebacks
from autograder.progress import ProgressBar, duration, summary

RED, RESET = "\x1b[0;31m", "\x1b[0m"

TEST_CELL = (
    "result = total(2, 3)\n"
    "assert result == 5, 'total(2, 3) should be 5'\n"
    "### BEGIN HIDDEN TESTS\n"
    "assert total(-1, 1) == 0, 'negative amounts count too'\n"
    "secret_expected_value = total(10, 20)\n"
    "### END HIDDEN TESTS"
)
HIDDEN = ["assert total(-1, 1) == 0, 'negative amounts count too'", "secret_expected_value = total(10, 20)"]


def failing_notebook(traceback: list[str]):
    cell = new_code_cell(TEST_CELL, execution_count=7, metadata={
        "nbgrader": {"grade": True, "solution": False, "locked": True, "grade_id": "test_total", "points": 1,
                     "schema_version": 3}})
    cell.outputs = [new_output("error", ename="AssertionError", evalue="negative amounts count too",
                               traceback=traceback)]
    return new_notebook(cells=[cell])


def context_traceback() -> list[str]:
    """What IPython (context mode) prints when the first hidden assert fails, colours included."""
    return [
        f"{RED}---------------------------------------------------------------------------{RESET}",
        f"{RED}AssertionError{RESET}                            Traceback (most recent call last)",
        f"Cell {RED}In[7], line 4{RESET}\n"
        f"{RED}      2{RESET} assert result == 5, 'total(2, 3) should be 5'\n"
        f"{RED}      3{RESET} ### BEGIN HIDDEN TESTS\n"
        f"{RED}----> 4{RESET} assert total(-1, 1) == 0, 'negative amounts count too'\n"
        f"{RED}      5{RESET} secret_expected_value = total(10, 20)\n"
        f"{RED}      6{RESET} ### END HIDDEN TESTS",
        f"{RED}AssertionError{RESET}: negative amounts count too",
    ]


def cleaned_text(traceback: list[str]) -> str:
    notebook, _ = ClearHiddenTracebacks().preprocess(failing_notebook(traceback), {})
    return "\n".join(notebook.cells[0].outputs[0].traceback)


def test_does_a_failing_hidden_test_keep_its_lines_out_of_the_traceback():
    text = cleaned_text(context_traceback())
    for line in HIDDEN:
        assert line not in text
    assert "line 4" not in text, "the number of the hidden line that failed is not shown either"


def test_does_the_cleaned_traceback_keep_the_message_and_the_visible_lines():
    text = cleaned_text(context_traceback())
    assert "AssertionError" in text and "negative amounts count too" in text
    assert "assert result == 5, 'total(2, 3) should be 5'" in text
    assert "lines of a hidden test are not shown" in text


def test_are_hidden_lines_removed_from_tracebacks_printed_without_line_numbers():
    plain_mode = [
        "Traceback (most recent call last):\n  Cell In[7], line 5\n    secret_expected_value = total(10, 20)\n",
        "AssertionError: negative amounts count too",
    ]
    text = cleaned_text(plain_mode)
    assert "secret_expected_value" not in text
    assert "negative amounts count too" in text


def test_are_hidden_lines_removed_from_the_frame_of_learner_code_they_call():
    # A hidden test calls learner code that raises: the learner's own frame stays, the test's goes.
    traceback = [
        f"Cell In[7], line 5\n      4 assert total(-1, 1) == 0, 'negative amounts count too'\n"
        f"----> 5 secret_expected_value = total(10, 20)",
        "Cell In[3], line 2, in total(a, b)\n      1 def total(a, b):\n----> 2     return a + c",
        "NameError: name 'c' is not defined",
    ]
    text = cleaned_text(traceback)
    assert "return a + c" in text
    assert "secret_expected_value" not in text and "negative amounts count too" not in text.split("NameError")[0]


def test_does_feedback_always_clear_hidden_tests_after_their_tracebacks():
    steps = feedback_steps(["nbgrader.preprocessors.GetGrades"])
    assert steps.index(ClearHiddenTracebacks) == steps.index(ClearHiddenTests) - 1
    configured = feedback_steps([ClearHiddenTests, ClearHiddenTracebacks])
    assert configured == [ClearHiddenTracebacks, ClearHiddenTests]
    by_name = feedback_steps(["nbgrader.preprocessors.ClearHiddenTests"])
    assert by_name == [ClearHiddenTracebacks, ClearHiddenTests], "names in nbgrader_config.py count too"


def test_does_an_outcome_survive_a_round_trip_through_its_file(tmp_path):
    store = OutcomeStore(tmp_path, "budgeting_01")
    outcome = Outcome("ana", "budgeting_01", MANUAL, submitted_at="2026-03-01T12:00:00", score=13.0,
                      max_score=20.0, seconds=1.5, parts=[Part("nb", "test_a", 2.0, 2.0)],
                      failures=[Failure("nb", "test_b", "AssertionError", "too high")])
    store.save(outcome)
    assert store.load("ana") == outcome
    assert [o.student for o in store.all()] == ["ana"]
    assert not list(store.folder.glob(".*.tmp")), "no temporary file is left behind"
    store.forget("ana")
    assert store.load("ana") is None


def test_does_the_summary_list_each_failure_with_its_reason():
    outcomes = [Outcome("ana", "a1", MANUAL), Outcome("bob", "a1", FAILED, reason="the notebook file is damaged")]
    text = summary("a1", outcomes, skipped=3, missing=["carl"], seconds=12, jobs=2)
    assert "| bob | the notebook file is damaged |" in text
    assert "| carl | nothing submitted for this assignment |" in text
    assert "| already graded before, left as they were | 3 |" in text
    assert "| failed | 2 |" in text


def test_does_the_progress_bar_print_plain_lines_into_a_log():
    stream = io.StringIO()
    bar = ProgressBar(20, stream=stream, label="Grading a1")
    for done in range(21):
        bar.update(done)
    lines = stream.getvalue().splitlines()
    assert 5 <= len(lines) <= 12 and lines[-1].startswith("Grading a1: 20/20 done")


def test_are_durations_written_for_people():
    assert duration(5.2) == "5 s" and duration(75) == "1 min 15 s" and duration(3720) == "1 h 02 min"


def test_does_the_fast_metadata_check_raise_what_jsonschema_raises():
    schema = {"type": "object", "properties": {"points": {"type": "number"}}, "required": ["points"]}
    for instance in [{"points": "two"}, {}, {"points": 2}]:
        try:
            jsonschema.validate(instance, schema)
            expected = None
        except jsonschema.ValidationError as error:
            expected = error.message
        try:
            speedups.validate(instance, schema)
            found = None
        except jsonschema.ValidationError as error:
            found = error.message
        assert found == expected


def test_is_a_kernel_command_recognised_only_for_this_python():
    import sys

    assert ipykernel_arguments([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"]) == ["-f", "k.json"]
    assert ipykernel_arguments(["/usr/bin/R", "--slave", "-f", "k.json"]) is None
    assert ipykernel_arguments(["/somewhere/else/python", "-m", "ipykernel_launcher"]) is None


def test_do_made_up_mistakes_change_the_answer_as_announced():
    assert samples.with_mistake("    return a - b - c") == "    return a - b + c"
    assert samples.with_mistake("return x") is None
    looped = samples.with_endless_loop('def f(x):\n    """Doc."""\n    return x')
    assert "while steps >= 0:" in looped and looped.index("while") > looped.index('"""Doc."""')
    compile(looped, "answer", "exec")
    broken = samples.with_error("def f(total):\n    return total + 1", random.Random(1))
    assert broken != "def f(total):\n    return total + 1"


def test_does_a_mix_of_samples_have_the_announced_shares():
    source = new_notebook(cells=[new_code_cell(
        "def f(a, b):\n    ### BEGIN SOLUTION\n    return a - b\n    ### END SOLUTION",
        metadata={"nbgrader": {"solution": True, "grade": False, "locked": False, "grade_id": "f", "schema_version": 3}})])
    released = nbformat.from_dict(source)
    released.cells[0].source = "def f(a, b):\n    raise NotImplementedError()"
    made = samples.make_samples(source, released, 100, seed=3)
    kinds = [sample.kind for sample in made]
    assert kinds.count("timeout") == 10 and kinds.count("wrong") == 30 and kinds.count("correct") == 40
    assert len({sample.student for sample in made}) == 100
    assert made[0].notebook is not released


def test_does_the_course_folder_of_this_repository_open(course_root):
    course = Course.open(course_root / "exercises")
    assert course.course_id == "local-governance"
    assert course.db_url.startswith("sqlite:///") and course.db_url.endswith("exercises/gradebook.db")


def test_does_a_wrong_course_folder_say_where_the_course_is(course_root):
    with pytest.raises(CourseError, match="add --course exercises"):
        Course.open(course_root)


def test_does_the_command_exit_with_2_and_a_message_when_it_cannot_run(tmp_path, capsys):
    assert main(["--course", str(tmp_path), "grade", "budgeting_01"]) == EXIT_CANNOT_RUN
    assert "is not an nbgrader course folder" in capsys.readouterr().err


def test_does_an_unknown_assignment_get_a_list_of_the_known_ones(course_root, capsys):
    gradebook = course_root / "exercises" / "gradebook.db"
    existed = gradebook.exists()
    assert main(["--course", str(course_root / "exercises"), "grade", "no_such_01"]) == EXIT_CANNOT_RUN
    error = capsys.readouterr().err
    assert "no assignment called 'no_such_01'" in error and "budgeting_01" in error
    assert gradebook.exists() == existed, "asking must not create a gradebook"


def test_does_the_file_listing_match_nbgraders(tmp_path):
    """The autograder lists a submission's files in one walk; the list is nbgrader's own."""
    from nbgrader.utils import find_all_files

    from autograder.files import find_files

    for name in ["data.csv", ".hidden", "cache.pyc", ".hidden.pyc", "sub/notes.txt", "__pycache__/m.pyc",
                 ".ipynb_checkpoints/n.ipynb", "feedback/f.html", "sub/n.ipynb", "sub/.ipynb_checkpoints/z"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.ipynb"]
    assert sorted(find_files(str(tmp_path), ignore)) == sorted(find_all_files(str(tmp_path), ignore))
    assert len(find_files(str(tmp_path), ignore)) == 4
