"""Benchmark: `autograder grade` against plain `nbgrader autograde` on the same submissions.

It makes a temporary copy of the course (``exercises/``), generates the assignments (the budgeting
exercise, on which the target is set, unless ``BENCH_ASSIGNMENTS`` names others), writes the same made-up submissions (``autograder.samples``: correct, partly
wrong, raising errors, untouched, and one in ten stuck in an endless loop) into two copies of it,
grades one copy with ``nbgrader autograde``, one with ``autograder grade`` (every notebook in its
sandbox, and the feedback pages written) and one with ``autograder grade --no-sandbox`` (to show
what the sandbox costs), and compares every score, part by part, in the gradebooks.

It prints one markdown table and exits 0 (a benchmark reports, it does not fail). Environment:

* ``BENCH_SUBMISSIONS``: how many submissions in all (default 200), shared between the assignments;
* ``BENCH_ASSIGNMENTS``: the assignments, separated by commas (default ``budgeting_01``; ``all`` for
  every assignment of ``exercises/source/``);
* ``BENCH_CELL_TIMEOUT``: the time limit of one cell, in seconds, for both graders (default 5; the
  course uses 60, which would make the endless loops alone last 20 minutes for plain nbgrader);
* ``BENCH_JOBS``: ``--jobs`` of the autograder (default: the number of cores).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder.samples import make_samples, submit  # noqa: E402
from autograder.scores import assignment_scores  # noqa: E402

TARGET_RATIO = 3.0
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "200"))
CELL_TIMEOUT = int(os.environ.get("BENCH_CELL_TIMEOUT", "5"))
JOBS = os.environ.get("BENCH_JOBS")
ASSIGNMENTS = os.environ.get("BENCH_ASSIGNMENTS", "budgeting_01")
COURSE_ID = "local-governance"


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=environment(), capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-3000:]}\n")
    return result


def prepare(workdir: Path) -> tuple[Path, list[str]]:
    """A copy of the course with a shorter cell time limit and every assignment generated."""
    course = workdir / "generated"
    shutil.copytree(REPO / "exercises", course, ignore=shutil.ignore_patterns(
        "release", "submitted", "autograded", "feedback", "gradebook.db", ".ipynb_checkpoints", "*.log"))
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(f"\n# Benchmark: a shorter time limit per cell, the same for both graders.\n"
                     f"c.Execute.timeout = {CELL_TIMEOUT}\nc.ExecutePreprocessor.timeout = {CELL_TIMEOUT}\n")
    assignments = sorted(p.name for p in (course / "source").iterdir() if p.is_dir() and any(p.glob("*.ipynb")))
    if ASSIGNMENTS != "all":
        assignments = [name for name in assignments if name in ASSIGNMENTS.split(",")]
    for assignment in assignments:
        run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"], course)
    return course, assignments


def make_submissions(course: Path, assignments: list[str]) -> dict[str, dict[str, int]]:
    """Write the made-up submissions; return the count of each kind per assignment."""
    kinds: dict[str, dict[str, int]] = {}
    per_assignment = -(-SUBMISSIONS // len(assignments))
    for index, assignment in enumerate(assignments):
        notebooks = sorted((course / "source" / assignment).glob("*.ipynb"))
        counts: dict[str, int] = {}
        for position, path in enumerate(notebooks):
            source = nbformat.read(path, as_version=4)
            released = nbformat.read(course / "release" / assignment / path.name, as_version=4)
            for sample in make_samples(source, released, per_assignment, seed=index * 100 + position):
                submit(course, assignment, sample.student, {path.stem: sample.notebook})
                if position == 0:
                    counts[sample.kind] = counts.get(sample.kind, 0) + 1
        kinds[assignment] = counts
    return kinds


def scores(course: Path) -> dict[tuple[str, str, str, str], float | None]:
    table = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id=COURSE_ID) as gradebook:
        for assignment in gradebook.assignments:
            for learner in assignment_scores(gradebook, assignment.name):
                for part in learner.parts:
                    table[assignment.name, learner.student, part.notebook, part.part] = part.score
    return table


def timed(commands: list[list[str]], cwd: Path) -> float:
    started = time.monotonic()
    for command in commands:
        run(command, cwd)
    return time.monotonic() - started


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-autograder-") as folder:
        workdir = Path(folder)
        generated, assignments = prepare(workdir)
        kinds = make_submissions(generated, assignments)
        total = sum(sum(counts.values()) for counts in kinds.values())
        plain, ours, open_ = workdir / "plain", workdir / "autograder", workdir / "no-sandbox"
        for copy in (plain, ours, open_):
            shutil.copytree(generated, copy)

        plain_seconds = timed([[sys.executable, "-m", "nbgrader", "autograde", a] for a in assignments], plain)
        command = [sys.executable, "-m", "autograder.cli", "grade"]
        jobs = ["--jobs", JOBS] if JOBS else []
        ours_seconds = timed([[*command, a, *jobs] for a in assignments], ours)
        open_seconds = timed([[*command, a, *jobs, "--no-sandbox"] for a in assignments], open_)

        plain_scores, our_scores = scores(plain), scores(ours)
        identical = bool(plain_scores) and plain_scores == our_scores == scores(open_)
        differences = sorted(key for key in set(plain_scores) | set(our_scores)
                             if plain_scores.get(key) != our_scores.get(key))

    plain_rate = total / plain_seconds * 60
    our_rate = total / ours_seconds * 60
    ratio = our_rate / plain_rate
    mix = ", ".join(f"{kind} {count}" for kind, count in sorted(
        {k: sum(c.get(k, 0) for c in kinds.values()) for k in {k for c in kinds.values() for k in c}}.items()))
    print(f"\n### autograder grade vs nbgrader autograde ({total} submissions of {', '.join(assignments)}; "
          f"{os.cpu_count()} cores; cell time limit {CELL_TIMEOUT} s)\n")
    print(f"Mix: {mix}.\n")
    print("| | submissions/min | total time |")
    print("|---|---|---|")
    print(f"| plain `nbgrader autograde` | {plain_rate:.1f} | {plain_seconds:.0f} s |")
    print(f"| `autograder grade` (sandboxed, with feedback) | {our_rate:.1f} | {ours_seconds:.0f} s |")
    print(f"| `autograder grade --no-sandbox` (with feedback) | {total / open_seconds * 60:.1f} | {open_seconds:.0f} s |")
    print(f"| ratio, sandboxed autograder / plain nbgrader | {ratio:.2f}x | |")
    print(f"| cost of the isolation (sandbox, control group, PID namespace, seccomp) | "
          f"{(ours_seconds - open_seconds) / total * 1000:+.0f} ms per submission | |")
    print(f"| scores identical, part by part | {'yes' if identical else 'no'} ({len(plain_scores)} scores) | |")
    verdict = "PASS" if ratio >= TARGET_RATIO and identical else "FAIL"
    print(f"| target: at least {TARGET_RATIO:.0f}x with identical scores | {verdict} | |")
    if differences:
        print("\nScores that differ (assignment, student, notebook, part): plain -> autograder")
        for key in differences[:20]:
            print(f"- {key}: {plain_scores.get(key)} -> {our_scores.get(key)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
