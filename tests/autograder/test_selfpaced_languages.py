"""The self-paced loop with the course's two languages: a module's exercise exists in English and in
French, either one passes the module, a French lesson counts as the lesson it is, and the instructor
sees which language each learner used."""

from __future__ import annotations

from autograder.selfpaced.assessment import WrittenScore
from autograder.selfpaced.outline import language_of, read_outline
from autograder.selfpaced.progress import CourseProgress, ExerciseStanding
from tests.conftest import COURSE_ROOT

BUDGETING = next(module for module in read_outline(COURSE_ROOT) if module.slug == "budgeting")


def standing(assignment: str, submitted: bool, automatic: float, passed: bool) -> ExerciseStanding:
    return ExerciseStanding(assignment, submitted, automatic, WrittenScore(None, None), 25.0, passed)


class Standings(CourseProgress):
    """A course whose learners' standings are given (no gradebook)."""

    def __init__(self, standings: dict[str, ExerciseStanding]) -> None:
        self.given = standings

    def exercise(self, student: str, assignment: str) -> ExerciseStanding:
        return self.given.get(assignment, standing(assignment, False, 0.0, False))


def test_each_module_has_its_exercise_in_both_languages():
    assert BUDGETING.assignments == ("budgeting_01", "budgeting_01_fr")
    for module in read_outline(COURSE_ROOT):
        for assignment in module.assignments:
            assert (COURSE_ROOT / "exercises" / "source" / assignment).is_dir(), assignment
    assert [language_of(name) for name in BUDGETING.assignments] == ["en", "fr"]


def test_a_module_is_passed_in_french_as_in_english():
    progress = Standings({"budgeting_01": standing("budgeting_01", True, 12.0, False),
                          "budgeting_01_fr": standing("budgeting_01_fr", True, 20.0, True)})
    chosen = progress.module_exercise("cy", BUDGETING)
    assert chosen.assignment == "budgeting_01_fr" and chosen.passed and chosen.language == "fr"


def test_without_a_pass_the_module_shows_the_exercise_with_the_most_points():
    progress = Standings({"budgeting_01": standing("budgeting_01", True, 14.0, False),
                          "budgeting_01_fr": standing("budgeting_01_fr", True, 9.0, False)})
    assert progress.module_exercise("cy", BUDGETING).assignment == "budgeting_01"
    assert Standings({}).module_exercise("cy", BUDGETING).assignment == "budgeting_01", "nothing submitted: English"


def test_a_french_lesson_counts_as_its_lesson():
    from course_hub.lesson_tracker import lesson_of as tracked

    assert tracked("course/book/fr/budgeting/01-anatomy.md") == "book/fr/budgeting/01-anatomy"
    assert BUDGETING.lesson_of("book/fr/budgeting/01-anatomy") == "book/budgeting/01-anatomy"
    assert BUDGETING.lesson_of("book/budgeting/01-anatomy") == "book/budgeting/01-anatomy"
    assert BUDGETING.lesson_of("book/fr/budgeting/exercise-01") is None
    assert BUDGETING.lesson_of("book/fr/open_data/01-opening-files") is None

