"""The nbgrader exercise ``budgeting_01``, run through the real nbgrader from release to feedback.

The whole pipeline runs once per test module, in a temporary copy of the course's ``exercises/``
folder (the nbgrader course root): ``generate_assignment``, then one ``autograde`` of a few
prepared submissions, then ``generate_feedback``. The tests then read the released notebook, the
gradebook and the feedback pages.

Submissions, all placed directly in ``submitted/<student>/budgeting_01/``:

* ``instructor``: the source notebook as it is (solutions and hidden tests included);
* ``unchanged``: the released notebook, handed in without a line written;
* realistic mistakes: the released notebook filled in with the instructor's answers, except for
  one answer replaced by a plausible wrong one (see ``WRONG_SUBMISSIONS``).

nbgrader runs the ``alembic`` executable, so the virtual environment's ``bin/`` folder is put on
``PATH``; the notebook imports ``modules.common.data``, so the repository root is put on
``PYTHONPATH`` of the grading kernel (both come from the ``tool_environment`` fixture of
``tests/conftest.py``). What counts as secret (solutions, hidden tests) is defined once for the
whole course, in ``autograder.secrets``.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from traitlets.config.loader import PyFileConfigLoader

from autograder.secrets import leaks_in_text, secrets_of_notebook

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT = "budgeting_01"
NOTEBOOK = "budgeting_01"
SOURCE_NOTEBOOK = REPO / "exercises" / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
SITE_PAGE = REPO / "book" / "budgeting" / "exercise-01.md"

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")

#: Points of each automatically graded test cell (grade_id -> points), as announced to learners.
AUTOGRADED_POINTS = {
    "test_gross_savings": 2,
    "test_net_savings": 1,
    "test_debt_capacity": 2,
    "test_golden_rule": 3,
    "test_greedy": 3,
    "test_staff_share": 2,
    "test_lanester_savings": 2,
}
#: Points of the answers graded by a person.
MANUAL_POINTS = {"advice": 5}

#: A wrong submission: the answers it replaces (solution grade_id -> cell source), and the test
#: cells it should fail. Every other automatically graded part keeps its full points.
WRONG_SUBMISSIONS = {
    # Interest left out of the gross savings: Part 1 fails, and so does Part 6b, which reuses the
    # function on the Lanester figures (5 934 923 € instead of 4 274 923 €).
    "forgot_interest": (
        {
            "gross_savings": (
                "def gross_savings(operating_revenue, management_expenses, interest):\n"
                "    return operating_revenue - management_expenses\n"
            ),
        },
        {"test_gross_savings", "test_lanester_savings"},
    ),
    # Infinity instead of None when there are no savings: only a hidden test of Part 3 catches it.
    "infinite_capacity": (
        {
            "debt_capacity_years": (
                "def debt_capacity_years(outstanding_debt, gross):\n"
                "    if gross <= 0:\n"
                "        return float('inf')\n"
                "    return outstanding_debt / gross\n"
            ),
        },
        {"test_debt_capacity"},
    ),
    # A greedy rule that stops at the first project that does not fit instead of skipping it.
    "greedy_stops": (
        {
            "greedy_allocation": (
                "def greedy_allocation(projects, envelope):\n"
                "    ranked = sorted(projects, key=lambda p: (-p[2], p[1], p[0]))\n"
                "    funded = []\n"
                "    remaining = envelope\n"
                "    for name, cost, votes in ranked:\n"
                "        if cost > remaining:\n"
                "            break\n"
                "        funded.append(name)\n"
                "        remaining -= cost\n"
                "    return funded\n"
            ),
        },
        {"test_greedy"},
    ),
    # Accounting rows (Autofinancement, Dépenses d'ordre) counted as real spending: Part 6a fails,
    # and Part 6b, which reuses the total, finds negative gross savings.
    "kept_accounting_rows": (
        {
            "staff_share": (
                'real_operating_expenses = dep_fonct["dep_fonct"].sum()\n'
                'staff_share = dep_fonct.loc[dep_fonct["label"] == "Personnel", "dep_fonct"].sum() '
                "/ real_operating_expenses\n"
            ),
        },
        {"test_staff_share", "test_lanester_savings"},
    ),
}

#: The message each wrong submission should read in its feedback. For ``infinite_capacity`` and
#: ``forgot_interest`` it comes from a failing *hidden* test, so their feedback is the real test of
#: whether hidden tests stay hidden; the other two fail a visible test first.
LEARNER_MESSAGES = {
    "infinite_capacity": "With zero gross savings the ratio has no meaning: return None",
    "forgot_interest": "Lanester's gross savings are too high by the amount of the interest",
    "greedy_stops": "Your function stopped at the first project that did not fit",
    "kept_accounting_rows": "Your real operating expenses include every row of the table",
}


# --------------------------------------------------------------------------- helpers


def run_nbgrader(course: Path, environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "nbgrader", *arguments, f"--CourseDirectory.root={course}"]
    return subprocess.run(
        command, cwd=course, env=environment, capture_output=True, text=True, timeout=900
    )


def nbgrader_flags(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def normalise(text: str) -> str:
    return " ".join(text.split())


def without_solution_markers(source: str) -> str:
    """The instructor's answer as a learner would type it: the solution markers removed."""
    return "\n".join(
        line for line in source.splitlines() if not any(marker in line for marker in SOLUTION_MARKERS)
    )


def html_text(page: str) -> str:
    """The visible text of an HTML page, tags removed, entities decoded, spaces normalised."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL | re.IGNORECASE)
    return normalise(html.unescape(re.sub(r"<[^>]+>", "", page)))


def points_table(markdown: str) -> dict[str, int]:
    """Rows of the "Part | What | Points" table of a page: part -> points (the total row as "Total")."""
    table = {}
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"\**\d+\**", cells[2]):
            part = cells[0] or re.sub(r"\W", "", cells[1])
            table[part] = int(cells[2].strip("*"))
    return table


def submit(course: Path, student: str, notebook) -> None:
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{NOTEBOOK}.ipynb")
    (folder / "timestamp.txt").write_text("2026-03-01 12:00:00.000000 UTC\n", encoding="utf-8")


def filled_in(released, source, replacements: dict[str, str]):
    """The released notebook with every answer cell filled in, some of them with a wrong answer."""
    answers = {
        nbgrader_flags(cell)["grade_id"]: without_solution_markers(cell.source)
        for cell in source.cells
        if nbgrader_flags(cell).get("solution")
    }
    answers.update(replacements)
    notebook = nbformat.from_dict(released)
    for cell in notebook.cells:
        grade_id = nbgrader_flags(cell).get("grade_id")
        if nbgrader_flags(cell).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def course_id(course: Path) -> str:
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    return str(config.CourseDirectory.course_id)


def failure_report(result: subprocess.CompletedProcess) -> str:
    return f"exit code {result.returncode}\n--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"


# --------------------------------------------------------------------------- fixtures


@dataclass
class Pipeline:
    course: Path
    generate: subprocess.CompletedProcess
    autograde: subprocess.CompletedProcess | None = None
    feedback: subprocess.CompletedProcess | None = None
    scores: dict[str, dict[str, float]] | None = None

    @property
    def released_notebook(self) -> Path:
        return self.course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"

    def feedback_page(self, student: str) -> Path:
        return self.course / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html"


@pytest.fixture(scope="module")
def source():
    return nbformat.read(SOURCE_NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def secrets():
    """The solution and hidden-test blocks of the instructor notebook, as the course defines them."""
    found = secrets_of_notebook(SOURCE_NOTEBOOK)
    # A leak check means something only if there is something secret to look for: one solution
    # per answer cell and one hidden block per test cell at least.
    kinds = [secret.kind for secret in found]
    assert kinds.count("solution") == 8 and kinds.count("hidden test") >= len(AUTOGRADED_POINTS), kinds
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory, tool_environment) -> Pipeline:
    """A temporary course with the assignment generated (released) once for the whole module."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(
        REPO / "exercises",
        course,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(
            "release", "submitted", "autograded", "feedback", "gradebook.db", ".ipynb_checkpoints"
        ),
    )
    result = run_nbgrader(course, tool_environment, "generate_assignment", ASSIGNMENT, "--force")
    return Pipeline(course=course, generate=result)


@pytest.fixture(scope="module")
def pipeline(generated: Pipeline, source, tool_environment) -> Pipeline:
    """The generated course after all submissions are autograded and their feedback generated."""
    if generated.generate.returncode != 0 or not generated.released_notebook.exists():
        pytest.fail("generate_assignment failed:\n" + failure_report(generated.generate))
    course = generated.course
    released = nbformat.read(generated.released_notebook, as_version=4)

    submit(course, "instructor", source)
    submit(course, "unchanged", released)
    for student, (replacements, _failing) in WRONG_SUBMISSIONS.items():
        submit(course, student, filled_in(released, source, replacements))

    # One autograde call grades every submission (nbgrader's start-up is the slow part).
    generated.autograde = run_nbgrader(course, tool_environment, "autograde", ASSIGNMENT, "--force")
    if generated.autograde.returncode != 0:
        pytest.fail("autograde failed:\n" + failure_report(generated.autograde))
    generated.feedback = run_nbgrader(course, tool_environment, "generate_feedback", ASSIGNMENT, "--force")

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id=course_id(course)) as gradebook:
        for student in ["instructor", "unchanged", *WRONG_SUBMISSIONS]:
            submitted = gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
            scores[student] = {grade.name: grade.score for grade in submitted.grades}
    generated.scores = scores
    return generated


def autograded_scores(pipeline: Pipeline, student: str) -> dict[str, float]:
    return {name: score for name, score in pipeline.scores[student].items() if name in AUTOGRADED_POINTS}


def describe(leaks) -> list[str]:
    return [f"{secret.kind} of {secret.cell_id}: {text[:100]!r}" for secret, text in leaks]


# --------------------------------------------------------------------------- tests


def test_does_the_source_notebook_announce_the_points_of_its_graded_cells(source):
    graded = {
        nbgrader_flags(cell)["grade_id"]: nbgrader_flags(cell)["points"]
        for cell in source.cells
        if nbgrader_flags(cell).get("grade")
    }
    assert graded == {**AUTOGRADED_POINTS, **MANUAL_POINTS}
    table = points_table(source.cells[0].source)
    assert table.pop("Total") == sum(graded.values())
    assert sum(table.values()) == sum(graded.values()), f"the parts table of the introduction: {table}"


def test_does_the_site_page_show_the_same_points_table_as_the_notebook(source):
    page = SITE_PAGE.read_text(encoding="utf-8")
    assert page.startswith("---\nassignment: budgeting_01\n---\n")
    assert points_table(page) == points_table(source.cells[0].source)


def test_is_the_site_page_free_of_solutions_and_hidden_tests(secrets):
    page = SITE_PAGE.read_text(encoding="utf-8")
    assert describe(leaks_in_text(page, secrets)) == []
    assert "{code-cell}" not in page and "kernelspec" not in page


def test_does_generate_assignment_succeed(generated: Pipeline):
    assert generated.generate.returncode == 0, failure_report(generated.generate)
    assert generated.released_notebook.exists()


def test_is_the_released_notebook_free_of_solutions_and_hidden_tests(generated: Pipeline, secrets):
    assert generated.generate.returncode == 0, failure_report(generated.generate)
    released = nbformat.read(generated.released_notebook, as_version=4)
    text = "\n".join(cell.source for cell in released.cells)
    assert describe(leaks_in_text(text, secrets)) == []

    raw = generated.released_notebook.read_text(encoding="utf-8")
    for marker in SOLUTION_MARKERS + HIDDEN_MARKERS:
        assert marker not in raw
    for cell in released.cells:
        assert not cell.get("outputs"), "the released notebook should have no outputs"
    # Each answer cell is left to the learner, with nbgrader's stub in place of the solution.
    stubs = [cell.source for cell in released.cells if nbgrader_flags(cell).get("solution")]
    assert len(stubs) == 8 and all("NotImplementedError" in s or "YOUR ANSWER HERE" in s for s in stubs)


def test_does_the_instructor_solution_get_full_marks(pipeline: Pipeline):
    assert autograded_scores(pipeline, "instructor") == AUTOGRADED_POINTS, pipeline.autograde.stderr[-4000:]


def test_does_the_unchanged_release_get_zero(pipeline: Pipeline):
    scores = pipeline.scores["unchanged"]
    assert scores == {name: 0 for name in {**AUTOGRADED_POINTS, **MANUAL_POINTS}}


@pytest.mark.parametrize("student", sorted(WRONG_SUBMISSIONS))
def test_does_a_wrong_submission_lose_only_the_points_of_its_mistakes(pipeline: Pipeline, student):
    _replacements, failing = WRONG_SUBMISSIONS[student]
    expected = {name: 0 if name in failing else points for name, points in AUTOGRADED_POINTS.items()}
    assert autograded_scores(pipeline, student) == expected


@pytest.mark.parametrize("student", sorted(WRONG_SUBMISSIONS))
def test_does_feedback_show_the_learner_messages_but_no_hidden_test(pipeline: Pipeline, secrets, student):
    page = pipeline.feedback_page(student)
    assert page.exists(), "generate_feedback wrote no page:\n" + failure_report(pipeline.feedback)
    text = html_text(page.read_text(encoding="utf-8"))

    # Positive controls: a visible test line and the learner's message are found with the same
    # text extraction, so a hidden line that is not found is really absent, not lost in the HTML.
    assert normalise("result = gross_savings(12_500_000, 10_900_000, 350_000)") in text
    assert LEARNER_MESSAGES[student] in text

    # The feedback shows the learner's own answers, so only the hidden tests are looked for here.
    hidden = [secret for secret in secrets if secret.kind == "hidden test"]
    assert describe(leaks_in_text(text, hidden)) == [], f"hidden tests in the feedback of {student}"
