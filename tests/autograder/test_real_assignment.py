"""The `autograder` command end to end on the course's real assignment, against plain nbgrader.

A temporary copy of the course (``exercises/``, with a cell time limit of a few seconds) releases
``budgeting_01``; made-up submissions (``autograder.samples``: correct, with a mistake, raising an
error, untouched, stuck in an endless loop) are graded in one copy with `nbgrader autograde` and
in another with the installed `autograder` command: grade, export, report.
"""

from __future__ import annotations

import csv
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.samples import make_samples, submit
from autograder.scores import read_scores
from autograder.secrets import leaks_in_text, secrets_of_course
from tests.autograder import course_factory as factory
from tests.autograder.test_grading import page_text
from tests.conftest import COURSE_ROOT

pytestmark = pytest.mark.slow

ASSIGNMENT = "budgeting_01"
NOTEBOOK = "budgeting_01"
SOURCE = COURSE_ROOT / "exercises" / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
MIX = {"wrong": 0.25, "error": 0.125, "unchanged": 0.125, "timeout": 0.125}  # and 3 correct of 8


def graded_cells(path: Path) -> dict[str, tuple[float, bool]]:
    """The graded cells of an instructor notebook: grade_id -> (points, graded automatically)."""
    found = {}
    for cell in nbformat.read(path, as_version=4).cells:
        flags = cell.get("metadata", {}).get("nbgrader", {})
        if flags.get("grade"):
            found[flags["grade_id"]] = (float(flags["points"]), not flags.get("solution", False))
    return found


GRADED = graded_cells(SOURCE)
PARTS = len(GRADED)
AUTOMATIC_POINTS = sum(points for points, automatic in GRADED.values() if automatic)
COMMAND = str(Path(sys.executable).parent / "autograder")


@dataclass
class Run:
    plain: Path
    ours: Path
    kinds: dict[str, str]
    grade: object
    export: object
    report: object
    csv: Path
    report_folder: Path


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    if not SOURCE.exists():
        pytest.fail(f"{SOURCE} is missing")
    folder = tmp_path_factory.mktemp("real")
    template = folder / "template"
    shutil.copytree(COURSE_ROOT / "exercises", template, ignore=shutil.ignore_patterns(
        "release", "submitted", "autograded", "feedback", "gradebook.db", ".ipynb_checkpoints", "*.log"))
    with open(template / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(f"\nc.Execute.timeout = {factory.CELL_TIME_LIMIT}\n"
                     f"c.ExecutePreprocessor.timeout = {factory.CELL_TIME_LIMIT}\n")
    generated = factory.nbgrader(template, "generate_assignment", ASSIGNMENT, "--force")
    assert generated.returncode == 0, generated.stderr[-3000:]
    source = nbformat.read(SOURCE, as_version=4)
    released = nbformat.read(template / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    samples = make_samples(source, released, 8, seed=7, mix=MIX)
    for sample in samples:
        submit(template, ASSIGNMENT, sample.student, {NOTEBOOK: sample.notebook})
    plain = factory.copy_course(template, folder / "plain")
    ours = factory.copy_course(template, folder / "ours")
    autograded = factory.nbgrader(plain, "autograde", ASSIGNMENT)
    assert autograded.returncode == 0, autograded.stderr[-3000:]

    grade = factory.run([COMMAND, "grade", ASSIGNMENT], ours)
    table = folder / "exports" / "scores.csv"
    export = factory.run([COMMAND, "export", ASSIGNMENT, "--csv", str(table)], ours)
    report_folder = folder / "report"
    report = factory.run([COMMAND, "report", ASSIGNMENT, "--out", str(report_folder)], ours)
    return Run(plain, ours, {s.student: s.kind for s in samples}, grade, export, report, table, report_folder)


def scores(course: Path) -> dict[tuple[str, str], float]:
    return {(learner.student, part.part): part.score
            for learner in read_scores(f"sqlite:///{course / 'gradebook.db'}", "local-governance", ASSIGNMENT)
            for part in learner.parts}


def test_does_the_command_line_grade_export_and_report(run: Run):
    for result in (run.grade, run.export, run.report):
        assert result.returncode == 0, result.stderr[-3000:]
    assert f"Grading of {ASSIGNMENT}: 8 submission(s) graded in this run" in run.grade.stdout
    assert "| failed | 0 |" in run.grade.stdout
    rows = list(csv.DictReader(run.csv.open(encoding="utf-8")))
    assert PARTS >= 9 and AUTOMATIC_POINTS >= 20, "the exercise's graded parts were read from its notebook"
    assert len(rows) == 8 * (PARTS + 1), f"8 learners, {PARTS} graded parts and a total each"
    assert (run.report_folder / "index.html").exists()


def test_are_the_scores_those_of_nbgrader_autograde(run: Run):
    plain, ours = scores(run.plain), scores(run.ours)
    assert len(plain) == 8 * PARTS
    assert ours == plain


def test_do_the_made_up_submissions_score_as_intended(run: Run):
    found = scores(run.ours)
    automatic = {}
    for (student, part), score in found.items():
        if part != "advice":
            automatic[student] = automatic.get(student, 0) + score
    for student, kind in run.kinds.items():
        if kind == "correct":
            assert automatic[student] == AUTOMATIC_POINTS, student
        else:
            assert automatic[student] < AUTOMATIC_POINTS, f"{student} ({kind}) lost no point"
    assert any(f["error"] in ("KeyboardInterrupt", "CellTimeoutError")
               for record in factory.outcome_records_of(run.ours, ASSIGNMENT).values()
               for f in record["failures"]), "the endless loop ran into the time limit"


def test_is_every_feedback_page_free_of_hidden_tests(run: Run):
    secrets = [s for s in secrets_of_course(run.ours / "source") if s.kind == "hidden test"]
    assert len(secrets) >= 7
    for student in run.kinds:
        page = run.ours / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html"
        text = page_text(page)
        assert "result = gross_savings(12_500_000, 10_900_000, 350_000)" in text, "visible tests are shown"
        leaks = leaks_in_text(text, secrets)
        assert not leaks, f"hidden tests in the feedback of {student}: {[leak for _, leak in leaks]}"
