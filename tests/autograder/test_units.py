"""Unit tests of the autograder's parts that need no kernel and no gradebook."""

from __future__ import annotations

import io
import json
import random

import jsonschema
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder import samples
from autograder.pipeline import speedups
from autograder.cli import EXIT_CANNOT_RUN, main
from autograder.course import Course, CourseError
from autograder.pipeline.feedback import feedback_steps
from autograder.isolation import ipykernel_arguments
from autograder.pipeline.outcomes import FAILED, MANUAL, Failure, Outcome, OutcomeStore, Part
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

from autograder.preprocessors import ClearHiddenOutputs
from autograder.reporting.progress import ProgressBar, duration, summary

TEST_CELL = (
    "result = total(2, 3)\n"
    "assert result == 5, f'total(2, 3) should be 5, not {result!r}'\n"
    "### BEGIN HIDDEN TESTS\n"
    "assert total(-1, 1) == 0, 'negative amounts count too'\n"
    "secret_expected_value = total(10, 20)\n"
    "### END HIDDEN TESTS"
)
HIDDEN = ["assert total(-1, 1) == 0", "secret_expected_value = total(10, 20)"]


def code(source: str, outputs=(), **nbgrader):
    cell = new_code_cell(source, execution_count=41, metadata={"nbgrader": {"schema_version": 3, **nbgrader}} if nbgrader else {})
    cell.outputs = list(outputs)
    return cell


def error(name: str, value: str):
    return new_output("error", ename=name, evalue=value, traceback=[f"{name}: {value}", *HIDDEN])


def graded(outputs, score=0.0, points=1):
    """A notebook: a learner cell, the test cell (with its outputs and score), a later learner cell."""
    test = code(TEST_CELL, outputs, grade=True, solution=False, locked=True, grade_id="test_total", points=points,
                score=score)
    before = code("def total(a, b):\n    return a + b", [new_output("stream", name="stdout", text="defined\n")],
                  grade=False, solution=True, grade_id="total")
    after = code("print(leak)", [new_output("stream", name="stdout", text="\n".join(HIDDEN))])
    return new_notebook(cells=[before, test, after])


def feedback_of(notebook) -> tuple[object, str]:
    """The cleaned notebook, and the text of all its outputs (sources still hold the hidden tests
    here: nbgrader's ClearHiddenTests removes them next)."""
    notebook, _ = ClearHiddenOutputs().preprocess(notebook, {})
    return notebook, json.dumps([cell.get("outputs", []) for cell in notebook.cells], ensure_ascii=False)


def verdict(notebook) -> str:
    return "".join(output.get("text", "") for output in notebook.cells[2].outputs)


def test_does_a_test_cell_show_only_the_graders_verdict_whatever_the_learners_code_printed():
    printed = [new_output("stream", name="stdout", text="\n".join(HIDDEN)),
               new_output("display_data", data={"text/plain": "c2VjcmV0X2V4cGVjdGVk"}),
               error("AssertionError", "negative amounts count too")]
    notebook, text = feedback_of(graded(printed))
    assert [output.output_type for output in notebook.cells[2].outputs] == ["stream"]
    assert verdict(notebook) == "✘ Not passed: 0 of 1 points.\nnegative amounts count too\n"
    assert not any(line in text for line in HIDDEN) and "c2VjcmV0" not in text


def test_does_a_message_quote_the_course_but_not_the_values_of_learner_code():
    notebook, _ = feedback_of(graded([error("AssertionError", "total(2, 3) should be 5, not 'assert total(-1, 1)'")]))
    assert verdict(notebook).endswith("total(2, 3) should be 5, not …\n")


def test_is_an_error_message_the_course_did_not_write_never_shown():
    notebook, _ = feedback_of(graded([error("AssertionError", "YXNzZXJ0IHRvdGFs")]))
    assert "YXNz" not in verdict(notebook) and "A check of this part failed." in verdict(notebook)
    notebook, _ = feedback_of(graded([error("NameError", "name 'c' is not defined")]))
    assert verdict(notebook).endswith("Your code raised NameError while the checks of this part ran.\n")
    notebook, _ = feedback_of(graded([error("assert_total_minus_one", "x")]))
    assert "assert_total" not in verdict(notebook)


def test_do_the_graders_own_errors_say_what_happened_in_plain_words():
    notebook, _ = feedback_of(graded([error("MemoryLimit", "anything")]))
    assert "more than 2048 MB of memory" in verdict(notebook)
    notebook, _ = feedback_of(graded([error("NotRun", "anything")]))
    assert "was not run" in verdict(notebook)


def test_does_a_passed_test_say_so_with_its_points():
    notebook, _ = feedback_of(graded([new_output("stream", name="stdout", text="ok\n")], score=2, points=2))
    assert verdict(notebook) == "✔ Passed: 2 of 2 points.\n"


def test_are_outputs_after_the_first_hidden_test_dropped_and_those_before_kept():
    notebook, text = feedback_of(graded([]))
    assert notebook.cells[0].cell_type == "markdown" and "keep hidden tests hidden" in notebook.cells[0].source
    assert notebook.cells[1].outputs[0].text == "defined\n", "nothing hidden was in the kernel yet"
    assert notebook.cells[3].outputs == []
    assert [cell.execution_count for cell in notebook.cells[1:]] == [1, 2, 3], "counts come from the kernel"


def test_does_a_notebook_without_hidden_tests_keep_its_outputs():
    notebook = new_notebook(cells=[code("print(1)", [new_output("stream", name="stdout", text="1\n")])])
    cleaned, _ = feedback_of(notebook)
    assert cleaned.cells[0].outputs[0].text == "1\n"


def test_does_feedback_always_read_grades_first_and_clear_hidden_outputs_then_tests_last():
    steps = feedback_steps(["nbconvert.preprocessors.CSSHTMLHeaderPreprocessor"])
    assert steps[0] is GetGrades and steps[-2:] == [ClearHiddenOutputs, ClearHiddenTests]
    configured = feedback_steps([ClearHiddenTests, ClearHiddenOutputs, GetGrades])
    assert configured == [GetGrades, ClearHiddenOutputs, ClearHiddenTests]
    by_name = feedback_steps(["nbgrader.preprocessors.GetGrades", "autograder.preprocessors.ClearHiddenTracebacks"])
    assert by_name == [GetGrades, ClearHiddenOutputs, ClearHiddenTests], "names in nbgrader_config.py count too"


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

    from autograder.pipeline.files import find_files

    for name in ["data.csv", ".hidden", "cache.pyc", ".hidden.pyc", "sub/notes.txt", "__pycache__/m.pyc",
                 ".ipynb_checkpoints/n.ipynb", "feedback/f.html", "sub/n.ipynb", "sub/.ipynb_checkpoints/z"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.ipynb"]
    assert sorted(find_files(str(tmp_path), ignore)) == sorted(find_all_files(str(tmp_path), ignore))
    assert len(find_files(str(tmp_path), ignore)) == 4


def test_does_the_feedback_find_hidden_tests_by_the_courses_own_marker():
    from traitlets.config import Config

    notebook = graded([new_output("stream", name="stdout", text="\n".join(HIDDEN))])
    for cell in notebook.cells:
        cell.source = cell.source.replace("BEGIN HIDDEN TESTS", "BEGIN SECRET CHECKS")
    config = Config({"ClearHiddenTests": {"begin_test_delimeter": "BEGIN SECRET CHECKS"}})
    cleaned, _ = ClearHiddenOutputs(config=config).preprocess(notebook, {})
    assert cleaned.cells[3].outputs == [], "outputs after the course's own marker are dropped"
