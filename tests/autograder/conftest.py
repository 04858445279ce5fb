"""Fixtures of the autograder's tests: the course's tools run with the shared `tool_environment`."""

from __future__ import annotations

import pytest

from tests.autograder import course_factory


@pytest.fixture(scope="session", autouse=True)
def graders_environment(tool_environment):
    """Every command the tests run (nbgrader, autograder) gets the course's tool environment."""
    course_factory.BASE_ENVIRONMENT.update(tool_environment)
    yield
    course_factory.BASE_ENVIRONMENT.clear()
