"""What every exercise's nbgrader pipeline test needs (``tests/<slug>/test_exercise_pipeline.py``).

Running nbgrader, handing in a notebook, filling in the answers of a released notebook, reading
the points table of a page and the text of a feedback page: the same for every module, so a new
module's pipeline test imports them from here and keeps only what is its own (its assignment,
its wrong submissions and its learner messages).
"""

from __future__ import annotations

import ast
import dataclasses
import html
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from traitlets.config.loader import PyFileConfigLoader

from autograder.samples import SOLUTION_BEGIN, SOLUTION_END, answers_of, filled, submit
from autograder.samples import flags as nbgrader_flags
from autograder.samples import typed_answer as without_solution_markers  # noqa: F401 (for the module tests)
from autograder.scores import read_scores
from autograder.secrets import leaks_in_text
from autograder.selfpaced import rules

REPO = Path(__file__).resolve().parents[1]
SOLUTION_MARKERS = (SOLUTION_BEGIN, SOLUTION_END)
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
#: A replacement answer that leaves the released stub in place, as if the learner skipped the part.
UNANSWERED = None


def run_nbgrader(course: Path, environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "nbgrader", *arguments, f"--CourseDirectory.root={course}"]
    return subprocess.run(
        command, cwd=course, env=environment, capture_output=True, text=True, timeout=900
    )


def normalise(text: str) -> str:
    return " ".join(text.split())


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


def filled_in(released, source, replacements: dict[str, str | None]):
    """The released notebook with every answer cell filled in, some of them with a wrong answer.

    An answer replaced by ``UNANSWERED`` keeps the released stub, as if the learner skipped it."""
    answers = {**answers_of(source), **replacements}
    return filled(released, {part: answer for part, answer in answers.items() if answer is not UNANSWERED})


def front_matter(page: str) -> dict[str, str]:
    """The ``key: value`` lines of the front matter that opens a page."""
    assert page.startswith("---\n"), "the page should open with its front matter"
    block = page[4 : page.index("\n---\n", 4)]
    return dict(line.split(": ", 1) for line in block.splitlines())


def plain(markdown: str) -> str:
    """Markdown text without emphasis marks, spaces normalised: what a reader reads."""
    return normalise(markdown.replace("*", ""))


def course_id(course: Path) -> str:
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    return str(config.CourseDirectory.course_id)


def failure_report(result: subprocess.CompletedProcess) -> str:
    return f"exit code {result.returncode}\n--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"


def describe(leaks) -> list[str]:
    return [f"{secret.kind} of {secret.cell_id}: {text[:100]!r}" for secret, text in leaks]


@dataclass
class Pipeline:
    """A temporary course where one assignment went through nbgrader, and what each step returned."""

    course: Path
    generate: subprocess.CompletedProcess
    assignment: str
    notebook: str
    autograde: subprocess.CompletedProcess | None = None
    feedback: subprocess.CompletedProcess | None = None
    scores: dict[str, dict[str, float]] | None = None

    @property
    def released_notebook(self) -> Path:
        return self.course / "release" / self.assignment / f"{self.notebook}.ipynb"

    def feedback_page(self, student: str) -> Path:
        return self.course / "feedback" / student / self.assignment / f"{self.notebook}.html"

    def scores_of(self, student: str, parts) -> dict[str, float]:
        """``student``'s score of each of ``parts`` (grade ids), as the gradebook holds them."""
        return {name: score for name, score in self.scores[student].items() if name in parts}


#: What a released course leaves next to the sources, never copied into a fresh course.
_GENERATED_FOLDERS = ("release", "submitted", "autograded", "feedback", "gradebook.db", ".ipynb_checkpoints")


def generate_course(course: Path, environment: dict[str, str], *, assignment: str, notebook: str) -> Pipeline:
    """Copy the course's ``exercises/`` into the empty folder ``course`` and release ``assignment`` there.

    The pipeline tests call it once per module: releasing is the slow step they all share."""
    shutil.copytree(REPO / "exercises", course, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*_GENERATED_FOLDERS))
    result = run_nbgrader(course, environment, "generate_assignment", assignment, "--force")
    return Pipeline(course=course, generate=result, assignment=assignment, notebook=notebook)


def grade_all(generated: Pipeline, source, environment: dict[str, str], wrong_submissions: dict) -> Pipeline:
    """Hand in the instructor's notebook, the unchanged release and every wrong submission, then grade them.

    ``wrong_submissions`` maps a student name to ``(replacements, failing parts)``; the replacements
    are the answers that differ from the solution (see :func:`filled_in`). One ``autograde`` call
    grades every submission (nbgrader's start-up is the slow part), then ``generate_feedback`` writes
    the feedback pages. The scores of every grade cell are read back from the gradebook."""
    if generated.generate.returncode != 0 or not generated.released_notebook.exists():
        pytest.fail("generate_assignment failed:\n" + failure_report(generated.generate))
    course, assignment, notebook = generated.course, generated.assignment, generated.notebook
    released = nbformat.read(generated.released_notebook, as_version=4)

    students = {"instructor": source, "unchanged": released}
    for student, (replacements, _failing) in wrong_submissions.items():
        students[student] = filled_in(released, source, replacements)
    for student, handed_in in students.items():
        submit(course, assignment, student, {notebook: handed_in})

    generated.autograde = run_nbgrader(course, environment, "autograde", assignment, "--force")
    if generated.autograde.returncode != 0:
        pytest.fail("autograde failed:\n" + failure_report(generated.autograde))
    generated.feedback = run_nbgrader(course, environment, "generate_feedback", assignment, "--force")

    recorded = read_scores(f"sqlite:///{course / 'gradebook.db'}", course_id(course), assignment)
    generated.scores = {learner.student: {part.part: part.score for part in learner.parts if part.notebook == notebook}
                        for learner in recorded if learner.student in students}
    return generated


#: The pass rule of every module's exercise, stated in the syllabus ("How a module is assessed"),
#: the exercise page, the notebook's introduction and the instructor guide: at least this share of
#: the points, and at least this many of the points of the written answer.
#: The course's pass rule, stated once in autograder/selfpaced/rules.py (the progress page and the
#: certificate use it): the exercises' texts must state the same numbers.
PASS_SHARE = rules.PASS_SHARE
WRITTEN_MINIMUM = round(rules.WRITTEN_MINIMUM)
passes = rules.passes


#: How an exercise page and its notebook's first cell state the time, in each language.
TIME_NEEDED = {"en": "Time needed: about {minutes} minutes ({hours} h {rest:02d} min)",
               "fr": "Temps nécessaire : environ {minutes} minutes ({hours} h {rest:02d} min)"}
#: The verdicts of the feedback page, in each language (autograder/locale/fr.po).
VERDICTS = {"en": ("✔ Passed:", "✘ Not passed:"), "fr": ("✔ Réussi :", "✘ Non réussi :")}


@dataclass(frozen=True)
class Exercise:
    """One module's exercise, as its pipeline test knows it: the English one, or its French edition
    (``language="fr"``: assignment ``<slug>_NN_fr``, page ``book/fr/<slug>/exercise-NN.md``), which
    the same answers must give the same points."""

    slug: str  # the module, e.g. "budgeting"
    number: int  # the exercise's number in the module (1 for budgeting_01)
    autograded_points: dict  # grade_id -> points of each automatically graded test cell
    wrong_submissions: dict  # student -> (answers that differ from the solution, parts that fail)
    language: str = "en"

    @property
    def assignment(self) -> str:
        return f"{self.slug}_{self.number:02d}" + ("" if self.language == "en" else f"_{self.language}")

    @property
    def source_notebook(self) -> Path:
        return REPO / "exercises" / "source" / self.assignment / f"{self.assignment}.ipynb"

    @property
    def site_page(self) -> Path:
        folder = REPO / "book" if self.language == "en" else REPO / "book" / self.language
        return folder / self.slug / f"exercise-{self.number:02d}.md"

    def edition(self, language: str) -> "Exercise":
        return dataclasses.replace(self, language=language)


def exercise_fixtures(exercise: Exercise):
    """The module-scoped fixtures ``source``, ``generated`` and ``pipeline`` of an exercise's test:
    ``source, generated, pipeline = exercise_fixtures(EXERCISE)`` at the top of the test file."""

    @pytest.fixture(scope="module", name="source")
    def source():
        return nbformat.read(exercise.source_notebook, as_version=4)

    @pytest.fixture(scope="module", name="generated")
    def generated(tmp_path_factory, tool_environment) -> Pipeline:
        """A temporary course with the assignment generated (released) once for the whole module."""
        return generate_course(tmp_path_factory.mktemp("course"), tool_environment,
                               assignment=exercise.assignment, notebook=exercise.assignment)

    @pytest.fixture(scope="module", name="pipeline")
    def pipeline(generated: Pipeline, source, tool_environment) -> Pipeline:
        """The generated course after all submissions are autograded and their feedback generated."""
        return grade_all(generated, source, tool_environment, exercise.wrong_submissions)

    return source, generated, pipeline


class StandardExerciseChecks:
    """The checks that every module's exercise passes, the same way. A module's pipeline test
    subclasses it with its :class:`Exercise` (``exercise = EXERCISE``); the fixtures ``source``,
    ``secrets``, ``generated`` and ``pipeline`` come from the test file."""

    exercise: Exercise

    def pytest_generate_tests(self, metafunc):
        if "wrong_student" in metafunc.fixturenames:
            metafunc.parametrize("wrong_student", sorted(self.exercise.wrong_submissions))

    def test_do_the_site_page_and_the_notebook_give_the_time_of_the_front_matter(self, source):
        page = self.exercise.site_page.read_text(encoding="utf-8")
        minutes = int(front_matter(page)["time"])
        hours, rest = divmod(minutes, 60)
        said = TIME_NEEDED[self.exercise.language].format(minutes=minutes, hours=hours, rest=rest)
        assert said in plain(page)
        assert said in plain(source.cells[0].source)

    def test_is_the_site_page_free_of_solutions_and_hidden_tests(self, secrets):
        page = self.exercise.site_page.read_text(encoding="utf-8")
        assert describe(leaks_in_text(page, secrets)) == []
        assert "{code-cell}" not in page and "kernelspec" not in page

    def test_does_generate_assignment_succeed(self, generated: Pipeline):
        assert generated.generate.returncode == 0, failure_report(generated.generate)
        assert generated.released_notebook.exists()

    def test_does_the_instructor_solution_get_full_marks(self, pipeline: Pipeline):
        points = self.exercise.autograded_points
        assert pipeline.scores_of("instructor", points) == points, pipeline.autograde.stderr[-4000:]

    def test_does_a_wrong_submission_lose_only_the_points_of_its_mistakes(self, pipeline: Pipeline, wrong_student):
        _replacements, failing = self.exercise.wrong_submissions[wrong_student]
        points = self.exercise.autograded_points
        expected = {name: 0 if name in failing else worth for name, worth in points.items()}
        assert pipeline.scores_of(wrong_student, points) == expected


def cell_source(notebook, grade_id: str) -> str:
    """The source of the cell with nbgrader's ``grade_id``."""
    return next(cell.source for cell in notebook.cells if nbgrader_flags(cell).get("grade_id") == grade_id)


class FakeShell:
    """Enough of IPython's shell for the tests' ``get_ipython().InteractiveTB.set_mode(...)``."""

    InteractiveTB = SimpleNamespace(set_mode=lambda mode: None)


def learner_files() -> list[Path]:
    """The text files of the course that reach learners (the learners' branch, the site's sources):
    every file git knows or would add, except the instructor-only folders."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    files = []
    for name in listed:
        path = REPO / name
        if name.startswith(("exercises/source/", "tests/")) or not path.is_file():
            continue
        if path.suffix.lower() in {".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".woff", ".woff2", ".ttf",
                                   ".db", ".gz", ".zip", ".pdf", ".xlsx"}:
            continue
        files.append(path)
    return files


def course_texts(source) -> list[str]:
    """The fixed texts of the messages written in the test cells of ``source``: the parts of each
    check's message between the values it inserts (see ``autograder.preprocessors.hidden_outputs``)."""
    from autograder.preprocessors.hidden_outputs import course_messages, is_test_cell

    return [part.strip() for cell in source.cells if is_test_cell(cell)
            for message in course_messages(cell.source) for part in message.parts if part and part.strip()]


def shown_in_feedback(message: str, texts: list[str]) -> str | None:
    """What the feedback shows of ``message``, a message as the learner's own run of the notebook
    prints it: all of it when it is the course's fixed text, else the longest fixed text of the
    course inside it; None when it is made of values the learner's code computed (the feedback
    never shows those: they could carry a hidden test)."""
    if any(message in text for text in texts):
        return message
    inside = [text for text in texts if len(text) >= 15 and text in message]
    return max(inside, key=len) if inside else None


def check_verdicts(text: str, source, messages: list[str]) -> None:
    """The feedback page ``text`` (normalised) gives one verdict per test cell of ``source``, and
    the course's part of each message a learner's run of the wrong submission prints."""
    from autograder.preprocessors.hidden_outputs import is_test_cell

    tests = sum(1 for cell in source.cells if is_test_cell(cell))
    assert text.count("✔ Passed:") + text.count("✘ Not passed:") == tests, "one verdict per test"
    texts = course_texts(source)
    for message in messages:
        shown = shown_in_feedback(message, texts)
        if shown is not None:
            assert normalise(shown) in text, shown


# --- The French edition of an exercise ---------------------------------------------------------------
def code_shape(source: str) -> str:
    """A code cell's Python with every text (strings, f-strings, comments) blanked: what a test *does*."""
    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(source))
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            node.values = []
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
    return ast.dump(tree, annotate_fields=False)


def edition_differences(english, french) -> list[str]:
    """What differs between two editions of an exercise notebook, other than its words."""
    found = []
    if len(english.cells) != len(french.cells):
        return [f"{len(french.cells)} cells in French, {len(english.cells)} in English"]
    for index, (one, other) in enumerate(zip(english.cells, french.cells), start=1):
        name = nbgrader_flags(one).get("grade_id") or f"cell {index}"
        if (one.get("id"), one.cell_type, nbgrader_flags(one)) != (other.get("id"), other.cell_type, nbgrader_flags(other)):
            found.append(f"{name}: its id, type or nbgrader metadata differ")
        elif one.cell_type == "code" and code_shape(one.source) != code_shape(other.source):
            found.append(f"{name}: its code differs beyond strings and comments")
    return found


class FrenchEditionChecks:
    """The checks of an exercise's French edition (``exercise.language == "fr"``), on top of
    :class:`StandardExerciseChecks`: the same tests and points as the English notebook, and feedback
    in French."""

    exercise: Exercise

    def test_is_the_french_notebook_the_english_one_in_other_words(self, source):
        english = nbformat.read(self.exercise.edition("en").source_notebook, as_version=4)
        assert edition_differences(english, source) == []
        assert source.metadata.get("course", {}).get("language") == "fr", (
            "the French notebook's metadata needs {\"course\": {\"language\": \"fr\"}}: the feedback speaks its language"
        )

    def test_is_a_check_of_the_french_edition_found_to_differ_when_it_does(self, source):
        changed = nbformat.from_dict(nbformat.reads(nbformat.writes(source), as_version=4))
        cell = next(cell for cell in changed.cells if nbgrader_flags(cell).get("grade") and cell.cell_type == "code")
        cell.source = cell.source.replace("==", "!=", 1) if "==" in cell.source else cell.source + "\nassert True"
        english = nbformat.read(self.exercise.edition("en").source_notebook, as_version=4)
        assert edition_differences(english, changed) != []

    def test_is_the_feedback_in_french(self, pipeline: Pipeline, source):
        from autograder.preprocessors.hidden_outputs import is_test_cell

        tests = sum(1 for cell in source.cells if is_test_cell(cell))
        for student in ("unchanged", *sorted(self.exercise.wrong_submissions)[:2]):
            text = html_text(pipeline.feedback_page(student).read_text(encoding="utf-8"))
            passed, failed = VERDICTS["fr"]
            assert text.count(passed) + text.count(failed) == tests, student
            assert "À propos de ce retour" in text and "Not passed" not in text and "About this feedback" not in text
        unchanged = html_text(pipeline.feedback_page("unchanged").read_text(encoding="utf-8"))
        assert "Vous n’avez pas encore répondu à cette partie" in unchanged


def french_edition(exercise: Exercise):
    """The fixtures and checks of an exercise's French edition, for ``tests/<slug>/test_french_exercise.py``:
    ``source, generated, pipeline, secrets, TestTheFrenchEdition = french_edition(EXERCISE)``.

    The French notebook goes through the real nbgrader with the English exercise's submissions:
    each must get the same points, test by test, and its feedback must be in French."""
    from autograder.secrets import secrets_of_notebook

    french = exercise.edition("fr")
    source, generated, pipeline = exercise_fixtures(french)

    @pytest.fixture(scope="module", name="secrets")
    def secrets():
        """The solution and hidden-test blocks of the French instructor notebook."""
        found = secrets_of_notebook(french.source_notebook)
        assert found, "the French notebook has no solution or hidden test to look for"
        return found

    class TestTheFrenchEdition(StandardExerciseChecks, FrenchEditionChecks):
        pass

    TestTheFrenchEdition.exercise = french
    return source, generated, pipeline, secrets, TestTheFrenchEdition
