"""``autograder grade``: autograde the collected submissions of an assignment, fast and resumably.

For each submission that is not graded yet (or was submitted again since), in order:

1. a worker process sanitizes and runs its notebooks (:mod:`autograder.pipeline.execute`), in a kernel
   forked from a process that has already imported the heavy libraries (:mod:`autograder.isolation`);
2. the main process writes the scores to the gradebook (:mod:`autograder.pipeline.record`), one submission
   at a time, so no two jobs write the gradebook at once;
3. a worker writes the learner's feedback page (:mod:`autograder.pipeline.feedback`);
4. the main process writes the submission's outcome record (:mod:`autograder.pipeline.outcomes`), which marks
   it as done. Stopped before that, it is graded again by the next run; never twice otherwise.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

from autograder.course import BUSY_TIMEOUT, Course, CourseError
from autograder.isolation import Sandbox, clean_up_leftovers, probe
from autograder.pipeline.lock import grading_lock
from autograder.pipeline.outcomes import Outcome
from autograder.pipeline.ownership import give_back_to_course_owner
from autograder.pipeline.plan import plan
from autograder.pipeline.scheduler import Scheduler
from autograder.reporting.progress import ProgressBar, summary


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@dataclass
class GradeRun:
    """What one ``autograder grade`` run did."""

    assignment: str
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0
    jobs: int = 1
    sandboxed: bool = True

    def summary(self) -> str:
        if not (self.outcomes or self.skipped or self.missing):
            return (f"There is no submission of {self.assignment} to grade in submitted/<student>/{self.assignment}/. "
                    f"Collect the submissions first, for example with `nbgrader collect {self.assignment}`.")
        return summary(self.assignment, self.outcomes, len(self.skipped), self.missing, self.seconds, self.jobs,
                       self.sandboxed)


def grade(
    course: Course,
    assignment: str,
    students: list[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: TextIO | None = None,
    sandbox: bool = True,
) -> GradeRun:
    """Grade the submissions of ``assignment`` that need it; see the module's documentation.

    ``sandbox`` False (``--no-sandbox``) runs learner code with the grader's rights, after a warning."""
    started = time.monotonic()
    with grading_lock(course.root, course.coursedir.autograded_directory, assignment):
        try:
            todo, skipped, missing, notebooks = plan(course, assignment, students, force)
            jobs = max(1, min(jobs or default_jobs(), len(todo) or 1))
            settings = Sandbox(config=course.config)
            sandboxed = sandbox and settings.enabled
            run = GradeRun(assignment, skipped=skipped, missing=missing, jobs=jobs, sandboxed=sandboxed)
            if todo:
                check_sandbox(sandboxed, progress or sys.stderr, settings)
                prepare_gradebook(course)
                bar = ProgressBar(len(todo), stream=progress or sys.stderr, label=f"Grading {assignment}")
                try:
                    Scheduler(course, assignment, notebooks, todo, jobs, bar, run.outcomes, sandboxed).run()
                finally:
                    bar.close()
        finally:
            give_back_to_course_owner(course, assignment)  # the lock file included
    run.seconds = time.monotonic() - started
    return run


def prepare_gradebook(course: Course) -> None:
    """Put an SQLite gradebook in write-ahead-log mode (kept in the file): the formgrader and the
    workers then read while the grader writes, instead of waiting for each other."""
    if course.gradebook_exists() and course.db_url.startswith("sqlite:///"):
        with sqlite3.connect(course.db_url[len("sqlite:///"):], timeout=BUSY_TIMEOUT) as connection:
            connection.execute("PRAGMA journal_mode=WAL")


def check_sandbox(sandboxed: bool, stream: TextIO, settings: Sandbox | None = None) -> None:
    """Stop before grading when the sandbox cannot work here; warn when it is turned off. Then
    clear what kernels of an earlier run left behind (a grader that was killed)."""
    if not sandboxed:
        stream.write("autograder: WARNING: the sandbox is off. Learner code runs with your rights: it can "
                     "read the solutions and the gradebook, change files and reach the network. Grade this "
                     "way only submissions you trust.\n")
        return
    problem = probe()
    if problem:
        raise CourseError(
            f"The grading sandbox cannot start: {problem}. Learner notebooks are only run inside it. "
            "To grade without it, at your own risk and only for submissions you trust, add --no-sandbox."
        )
    for line in clean_up_leftovers(settings or Sandbox()):
        stream.write(f"autograder: {line}.\n")
