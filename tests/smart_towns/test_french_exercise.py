"""The French edition of the exercise, ``smart_towns_01_fr``, graded by nbgrader with the submissions of
``smart_towns_01`` (``test_exercise_pipeline.py``): the same points, test by test, and feedback in French."""

from tests.exercise_pipeline import french_edition
from tests.smart_towns.test_exercise_pipeline import EXERCISE

source, generated, pipeline, secrets, TestTheFrenchEdition = french_edition(EXERCISE)
