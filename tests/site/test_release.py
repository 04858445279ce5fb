"""The learner's version of an exercise on the site: what the course's nbgrader configuration
releases, nothing more, and never from a repository that learners could clone with its solutions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

from tests.conftest import COURSE_ROOT

sys.path.insert(0, str(COURSE_ROOT / "book" / "_ext"))
from course_repository import check_repository_url  # noqa: E402
from exercise_release import release_exercise  # noqa: E402

ASSIGNMENT = "town_01"
SOLUTION = "total = sum(spending.values())  # the instructor's answer"
HIDDEN_TEST = "assert total == 1234  # the instructor's hidden test"
GIVEN = "spending = {'roads': 1000, 'parks': 234}"

#: A course that names its own markers and stub, and keeps instructor-only files out of releases.
CUSTOM_CONFIG = """
c = get_config()
c.CourseDirectory.course_id = "town"
c.ClearSolutions.begin_solution_delimeter = "<<< ANSWER"
c.ClearSolutions.end_solution_delimeter = ">>> ANSWER"
c.ClearSolutions.code_stub = {"python": "# Write your answer here\\nraise NotImplementedError()"}
c.ClearHiddenTests.begin_test_delimeter = "<<< SECRET TESTS"
c.ClearHiddenTests.end_test_delimeter = ">>> SECRET TESTS"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "marking_*"]
c.CourseDirectory.include = ["*.ipynb", "*.csv"]
"""

#: nbgrader's default pipeline of generate_assignment, as a course would copy it into its config.
PIPELINE = [
    "IncludeHeaderFooter", "InstantiateTests", "LockCells", "ClearSolutions", "ClearOutput",
    "CheckCellMetadata", "ComputeChecksums", "SaveCells", "ClearHiddenTests", "ClearMarkScheme",
    "ComputeChecksums", "CheckCellMetadata",
]


def cell(kind: str, source: str, **nbgrader) -> dict:
    metadata = {"nbgrader": {"schema_version": 3, "grade": False, "solution": False, "locked": False, **nbgrader}} if nbgrader else {}
    extra = {"outputs": [], "execution_count": None} if kind == "code" else {}
    return {"cell_type": kind, "metadata": metadata, "source": source, **extra}


def exercise(solution_cell: dict, test_cell: dict) -> dict:
    return {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                     "language_info": {"name": "python"}},
        "cells": [cell("markdown", "# Spending of the town"), solution_cell, test_cell],
    }


def make_course(root: Path, config: str, notebook: dict, files: dict[str, str] | None = None) -> Path:
    """A course folder like exercises/: nbgrader_config.py and source/<assignment>/."""
    exercises = root / "exercises"
    source = exercises / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    (exercises / "nbgrader_config.py").write_text(config, encoding="utf-8")
    (source / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    for name, text in (files or {}).items():
        (source / name).write_text(text, encoding="utf-8")
    return exercises


def custom_marked_exercise() -> dict:
    return exercise(
        cell("code", f"{GIVEN}\n### <<< ANSWER\n{SOLUTION}\n### >>> ANSWER", solution=True, grade_id="total"),
        cell("code", f"assert isinstance(total, int)\n### <<< SECRET TESTS\n{HIDDEN_TEST}\n### >>> SECRET TESTS",
             grade=True, locked=True, grade_id="total_test", points=1),
    )


def pipeline_without(step: str) -> str:
    steps = [f"nbgrader.preprocessors.{name}" for name in PIPELINE if name != step]
    return f"\nc.GenerateAssignment.preprocessors = {steps!r}\n"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("course")
    exercises = make_course(root, CUSTOM_CONFIG, custom_marked_exercise(), files={
        "marking_scheme.txt": f"Full marks for: {SOLUTION}",
        "notes.md": "Instructor's notes",
        "spending.csv": "item,amount\nroads,1000\nparks,234\n",
    })
    target = root / "site" / "_exercises" / ASSIGNMENT
    return target, release_exercise(exercises, ASSIGNMENT, target)


def test_are_the_course_markers_and_stub_honoured_so_no_solution_or_hidden_test_is_published(published):
    target, notebooks = published
    assert notebooks == [f"{ASSIGNMENT}.ipynb"]
    text = (target / notebooks[0]).read_text(encoding="utf-8")
    assert "instructor's answer" not in text, "the solution between the course's own markers was published"
    assert "instructor's hidden test" not in text, "the hidden test between the course's own markers was published"
    assert "# Write your answer here" in text, "the course's code stub should replace the solution"
    assert "spending = {" in text, "the given code outside the solution region should stay"


def test_are_files_the_course_ignores_or_does_not_include_left_out(published):
    target, _ = published
    published_files = sorted(path.name for path in target.rglob("*") if path.is_file())
    assert published_files == ["spending.csv", f"{ASSIGNMENT}.ipynb"], (
        "marking_scheme.txt matches CourseDirectory.ignore and notes.md is not in CourseDirectory.include: "
        f"neither may reach the site, yet it has {published_files}"
    )


def test_is_a_course_marker_left_in_the_release_refused(tmp_path):
    exercises = make_course(tmp_path, CUSTOM_CONFIG + pipeline_without("ClearHiddenTests"), custom_marked_exercise())
    target = tmp_path / "site" / ASSIGNMENT
    with pytest.raises(ExtensionError) as refusal:
        release_exercise(exercises, ASSIGNMENT, target)
    message = str(refusal.value)
    assert f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb: cell 3 (total_test) contains the marker '<<< SECRET TESTS'" in message
    assert "nothing of it was published" in message and "ClearHiddenTests" in message
    assert not target.exists()


def test_is_nbgraders_default_marker_refused_when_the_course_configures_others(tmp_path):
    notebook = exercise(
        cell("code", f"{GIVEN}\n### <<< ANSWER\n{SOLUTION}\n### >>> ANSWER", solution=True, grade_id="total"),
        cell("code", f"### BEGIN HIDDEN TESTS\n{HIDDEN_TEST}\n### END HIDDEN TESTS",
             grade=True, locked=True, grade_id="total_test", points=1),
    )
    exercises = make_course(tmp_path, CUSTOM_CONFIG, notebook)
    with pytest.raises(ExtensionError, match="cell 3 \\(total_test\\) contains the marker 'BEGIN HIDDEN TESTS'"):
        release_exercise(exercises, ASSIGNMENT, tmp_path / "site" / ASSIGNMENT)


def test_is_a_solution_cell_that_keeps_the_instructors_code_refused_without_quoting_it(tmp_path):
    notebook = exercise(
        cell("code", f"{GIVEN}\n{SOLUTION}", solution=True, grade_id="total"),
        cell("code", "assert isinstance(total, int)", grade=True, locked=True, grade_id="total_test", points=1),
    )
    exercises = make_course(tmp_path, "c = get_config()\n" + pipeline_without("ClearSolutions"), notebook)
    with pytest.raises(ExtensionError) as refusal:
        release_exercise(exercises, ASSIGNMENT, tmp_path / "site" / ASSIGNMENT)
    message = str(refusal.value)
    assert "cell 2 (total): this solution cell still has 2 line(s) of the instructor's version" in message
    assert "instructor's answer" not in message, "the build log may be public: it must not quote the solution"


# --- course_repository_url -------------------------------------------------------------------
INSTRUCTOR_REMOTE = "https://github.com/example-town/course.git"
LEARNERS_REMOTE = "https://github.com/example-town/course-learners.git"


def git(root: Path, *arguments: str) -> str:
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-C", str(root), *arguments]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def instructor_repository(tmp_path) -> Path:
    """An instructor's clone: exercises/source/ committed and pushed to origin."""
    make_course(tmp_path, "c = get_config()\n", custom_marked_exercise())
    git(tmp_path, "init", "--quiet", "--initial-branch=main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "--quiet", "-m", "course")
    git(tmp_path, "remote", "add", "origin", INSTRUCTOR_REMOTE)
    git(tmp_path, "update-ref", "refs/remotes/origin/main", "HEAD")
    return tmp_path


@pytest.mark.parametrize("address", [INSTRUCTOR_REMOTE, "git@github.com:Example-Town/course", "https://github.com/example-town/course/"])
def test_is_the_instructors_remote_refused_as_the_learners_repository(instructor_repository, address):
    with pytest.raises(ExtensionError) as refusal:
        check_repository_url(instructor_repository, address)
    message = str(refusal.value)
    assert "course_repository_url (github.com/example-town/course) is the git remote 'origin'" in message
    assert "private repository" in message and "make learner-branch" in message


def test_is_a_separate_learners_repository_accepted(instructor_repository):
    check_repository_url(instructor_repository, LEARNERS_REMOTE)


def test_is_a_learners_remote_holding_only_the_learners_branch_accepted(instructor_repository):
    git(instructor_repository, "remote", "add", "learners", LEARNERS_REMOTE)
    without_sources = git(instructor_repository, "commit-tree", git(instructor_repository, "mktree"), "-m", "learners")
    git(instructor_repository, "update-ref", "refs/remotes/learners/learners", without_sources)
    check_repository_url(instructor_repository, LEARNERS_REMOTE)


def test_is_a_remote_whose_branches_are_unknown_refused(instructor_repository):
    git(instructor_repository, "remote", "add", "learners", LEARNERS_REMOTE)
    with pytest.raises(ExtensionError, match="is the git remote 'learners'"):
        check_repository_url(instructor_repository, LEARNERS_REMOTE)
