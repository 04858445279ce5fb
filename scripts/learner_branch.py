"""Publish the learners' branch: the course repository without the instructor's secrets.

The "Launch on JupyterHub" links make nbgitpuller copy the course repository into every learner's
home. The main branch holds ``exercises/source/`` (solutions and hidden tests) and ``tests/``
(which grade wrong and right answers), so learners must pull another branch: this script commits
the current ``HEAD`` without those folders onto the branch ``learners`` (by default), as a child
of the branch's previous commit so that learners' copies update by fast-forward.

Usage: ``make learner-branch`` (then push that branch to the learners' repository, the one
``course_repository_url`` names, separate from the instructors' private one).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

COURSE_ROOT = Path(__file__).resolve().parent.parent
#: Folders that never reach learners through git.
INSTRUCTOR_ONLY = ["exercises/source", "tests"]


def git(*arguments: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    result = subprocess.run(["git", *arguments], cwd=COURSE_ROOT, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.exit(f"git {' '.join(arguments)} failed: {result.stderr.strip()}")
    return result.stdout.strip()


def publish(branch: str, source: str = "HEAD") -> str:
    """Commit ``source`` minus the instructor-only folders onto ``branch``; return the new commit."""
    source_commit = git("rev-parse", "--verify", f"{source}^{{commit}}")
    with tempfile.TemporaryDirectory() as scratch:
        environment = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        git("read-tree", source_commit, env=environment)
        git("rm", "-r", "--cached", "--quiet", "--ignore-unmatch", *INSTRUCTOR_ONLY, env=environment)
        tree = git("write-tree", env=environment)
    previous = git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False)
    if previous and git("rev-parse", f"{previous}^{{tree}}") == tree:
        return previous  # nothing changed for learners
    parents = ["-p", previous] if previous else []
    message = f"Learners' version of {source_commit[:12]} (without {', '.join(INSTRUCTOR_ONLY)})"
    commit = git("commit-tree", tree, *parents, "-m", message)
    git("update-ref", f"refs/heads/{branch}", commit)
    return commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--branch", default="learners", help="branch to publish (default: learners)")
    parser.add_argument("--source", default="HEAD", help="commit to publish from (default: HEAD)")
    arguments = parser.parse_args(argv)
    commit = publish(arguments.branch, arguments.source)
    print(f"Branch {arguments.branch} is at {commit[:12]}: the course without {', '.join(INSTRUCTOR_ONLY)}.")
    print(f"Push it to the learners' repository (course_repository_url), never the instructors' one, e.g.: "
          f"git push learners {arguments.branch}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
