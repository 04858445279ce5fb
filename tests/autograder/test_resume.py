"""Stopping `autograder grade` in the middle of a batch loses nothing and grades nothing twice.

Each submission's first test cell appends the learner's name to a log file each time it runs and
then waits a little, so the batch lasts long enough to be stopped half-way. The grader is stopped
once by a crash (SIGKILL of the main process: its workers, zygotes and kernels must go with it) and
once by Ctrl-C (SIGINT to its process group, as a terminal sends it); each time it is run again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest

from tests.autograder import course_factory as factory

pytestmark = pytest.mark.slow

LEARNERS = {f"learner{number:02d}": {} for number in range(1, 11)}
SECONDS_PER_SUBMISSION = "1.5"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    course = factory.make_course(tmp_path_factory.mktemp("resume") / "course")
    factory.generate(course)
    factory.submit_all(course, LEARNERS)
    return course


def log_file(folder: Path) -> Path:
    """Where the test cells log their runs: a folder of its own, which kernels may write into."""
    (folder / "logs").mkdir()
    (folder / "logs").chmod(0o1777)  # sandboxed kernels each run as a user of their own
    log = folder / "logs" / "runs.log"
    log.touch()
    log.chmod(0o666)
    return log


def start_grading(course: Path, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "autograder.cli", "--course", str(course), "grade", factory.ASSIGNMENT,
               "--jobs", "2"]
    env = factory.environment({"AUTOGRADER_TEST_LOG": str(log), "AUTOGRADER_TEST_SLEEP": SECONDS_PER_SUBMISSION})
    return subprocess.Popen(command, cwd=course, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def wait_for_records(course: Path, count: int, process: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while len(factory.outcome_records(course)) < count:
        assert process.poll() is None, "the grader ended before it could be stopped:\n" + process.stderr.read()
        assert time.monotonic() < deadline, "the grader recorded nothing in time"
        time.sleep(0.05)


def wait_until_gone(processes: list[psutil.Process], timeout: float = 20) -> list[psutil.Process]:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return alive


def runs_per_learner(log: Path) -> Counter:
    return Counter(log.read_text(encoding="utf-8").split())


def check_resumed(course: Path, log: Path, graded_before: set[str]) -> None:
    """Run the grader again and check that it finished the batch, once per learner."""
    again = factory.autograder(course, "grade", factory.ASSIGNMENT, extra_env={"AUTOGRADER_TEST_LOG": str(log)})
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"| already graded before, left as they were | {len(graded_before)} |" in again.stdout
    records = factory.outcome_records(course)
    assert set(records) == set(LEARNERS), "every submission is graded"
    runs = runs_per_learner(log)
    for learner in graded_before:
        assert runs[learner] == 1, f"{learner} was graded before the stop and must not run again"
    for learner in set(LEARNERS) - graded_before:
        assert 1 <= runs[learner] <= 2, f"{learner} ran {runs[learner]} times (at most once before the stop)"
    scores = factory.sqlite_scores(course)
    assert len(scores) == len(LEARNERS) * len(factory.POINTS), "one gradebook row per learner and part"
    assert all(scores[learner, "test_square"] == 2 and scores[learner, "test_double"] == 1 for learner in LEARNERS)
    assert all(record["status"] == "needs manual grading" for record in records.values())


def test_does_a_crash_in_the_middle_of_a_batch_lose_nothing(template, tmp_path):
    course = factory.copy_course(template, tmp_path / "course")
    log = log_file(tmp_path)
    process = start_grading(course, log)
    wait_for_records(course, 3, process)
    family = psutil.Process(process.pid).children(recursive=True)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert not wait_until_gone(family), "workers, zygotes and kernels stop with the grader"
    graded_before = set(factory.outcome_records(course))
    assert 3 <= len(graded_before) < len(LEARNERS)
    check_resumed(course, log, graded_before)


def test_does_ctrl_c_stop_cleanly_and_say_how_to_go_on(template, tmp_path):
    course = factory.copy_course(template, tmp_path / "course")
    log = log_file(tmp_path)
    process = start_grading(course, log)
    wait_for_records(course, 2, process)
    family = psutil.Process(process.pid).children(recursive=True)
    os.killpg(process.pid, signal.SIGINT)
    _, error = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "run the same command again" in error
    assert not wait_until_gone(family), "workers, zygotes and kernels stop with the grader"
    graded_before = set(factory.outcome_records(course))
    assert len(graded_before) < len(LEARNERS)
    check_resumed(course, log, graded_before)


def test_does_a_worker_killed_from_outside_only_delay_its_submission(template, tmp_path):
    course = factory.copy_course(template, tmp_path / "course")
    log = log_file(tmp_path)
    process = start_grading(course, log)
    wait_for_records(course, 1, process)
    # A worker that runs notebooks is the parent of a zygote (python -m autograder.isolation.zygote).
    runners = [child for child in psutil.Process(process.pid).children()
               if any("autograder.isolation.zygote" in " ".join(grandchild.cmdline()) for grandchild in child.children())]
    assert runners, "no worker running notebooks was found"
    runners[0].kill()
    _, error = process.communicate(timeout=240)
    assert process.returncode == 0, error[-3000:]
    records = factory.outcome_records(course)
    assert set(records) == set(LEARNERS)
    assert all(record["status"] == "needs manual grading" for record in records.values())
    assert max(runs_per_learner(log).values()) <= 2
