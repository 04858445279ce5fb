"""The French edition of the exercise, ``open_data_01_fr``, graded by nbgrader with the submissions of
``open_data_01`` (``test_exercise_pipeline.py``): the same points, test by test, and feedback in French."""

from tests.exercise_pipeline import french_edition
from tests.open_data.test_exercise_pipeline import EXERCISE

source, generated, pipeline, secrets, TestTheFrenchEdition = french_edition(EXERCISE)
