"""Learners pull the course through nbgitpuller: what they pull must hold no solution or hidden test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from autograder.secrets import leaks_in_text, secrets_of_course
from tests.conftest import COURSE_ROOT


def run(*command: str, cwd: Path) -> str:
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_the_learners_branch_has_the_lessons_but_no_solution(tmp_path):
    clone = tmp_path / "course"
    run("git", "clone", "--quiet", str(COURSE_ROOT), str(clone), cwd=tmp_path)
    secrets = secrets_of_course(clone / "exercises" / "source")
    assert secrets, "the committed course has no exercise to protect"

    run(sys.executable, "scripts/learner_branch.py", cwd=clone)
    files = run("git", "ls-tree", "-r", "--name-only", "learners", cwd=clone).split("\n")
    assert "book/_toc.yml" in files and "modules/common/data.py" in files
    assert not [name for name in files if name.startswith(("exercises/source/", "tests/"))]
    for name in filter(None, files):
        blob = subprocess.run(["git", "show", f"learners:{name}"], cwd=clone, capture_output=True).stdout
        assert leaks_in_text(blob.decode("utf-8", errors="replace"), secrets) == [], f"{name} leaks a solution"


def test_publishing_again_adds_to_the_branch_so_learners_update_by_fast_forward(tmp_path):
    clone = tmp_path / "course"
    run("git", "clone", "--quiet", str(COURSE_ROOT), str(clone), cwd=tmp_path)
    run(sys.executable, "scripts/learner_branch.py", cwd=clone)
    first = run("git", "rev-parse", "learners", cwd=clone).strip()
    run(sys.executable, "scripts/learner_branch.py", cwd=clone)
    assert run("git", "rev-parse", "learners", cwd=clone).strip() == first, "an unchanged course made a new commit"

    (clone / "book" / "intro.md").write_text("# Changed\n", encoding="utf-8")
    run("git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "change", cwd=clone)
    run(sys.executable, "scripts/learner_branch.py", cwd=clone)
    second = run("git", "rev-parse", "learners", cwd=clone).strip()
    assert run("git", "rev-parse", f"{second}^", cwd=clone).strip() == first
    assert run("git", "show", "learners:book/intro.md", cwd=clone) == "# Changed\n"
