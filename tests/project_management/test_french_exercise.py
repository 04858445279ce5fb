"""The French edition of the exercise, ``project_management_01_fr``, graded by nbgrader with the submissions of
``project_management_01`` (``test_exercise_pipeline.py``): the same points, test by test, and feedback in French."""

from tests.exercise_pipeline import french_edition
from tests.project_management.test_exercise_pipeline import EXERCISE

source, generated, pipeline, secrets, TestTheFrenchEdition = french_edition(EXERCISE)
