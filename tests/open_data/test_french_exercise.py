"""The French edition of the exercise, ``open_data_01_fr``, run through the real nbgrader from release
to feedback with the same submissions as ``open_data_01`` (tests.open_data.test_exercise_pipeline.py):
each must get the same points, test by test, and its feedback must be in French. A learner may do
the module's exercise in either language; the certificate counts either."""

from __future__ import annotations

import pytest

from autograder.secrets import secrets_of_notebook
from tests.open_data.test_exercise_pipeline import EXERCISE
from tests.exercise_pipeline import FrenchEditionChecks, StandardExerciseChecks, exercise_fixtures

FRENCH = EXERCISE.edition("fr")
source, generated, pipeline = exercise_fixtures(FRENCH)


class TestTheFrenchEdition(StandardExerciseChecks, FrenchEditionChecks):
    exercise = FRENCH


@pytest.fixture(scope="module")
def secrets():
    """The solution and hidden-test blocks of the French instructor notebook."""
    found = secrets_of_notebook(FRENCH.source_notebook)
    assert found, "the French notebook has no solution or hidden test to look for"
    return found
