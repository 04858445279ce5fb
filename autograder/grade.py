"""``autograder grade``: autograde the collected submissions of an assignment, fast and resumably.

For each submission that is not graded yet (or was submitted again since), in order:

1. a worker process sanitizes and runs its notebooks (:mod:`autograder.execute`), in a kernel
   forked from a process that has already imported the heavy libraries (:mod:`autograder.isolation`);
2. the main process writes the scores to the gradebook (:mod:`autograder.record`), one submission
   at a time, so no two jobs write the gradebook at once;
3. a worker writes the learner's feedback page (:mod:`autograder.feedback`);
4. the main process writes the submission's outcome record (:mod:`autograder.outcomes`), which marks
   it as done. Stopped before that, it is graded again by the next run; never twice otherwise.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import sys
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .course import BUSY_TIMEOUT, Course, CourseError, Submission, wait_when_gradebook_is_busy
from .execute import Executed, Pipeline
from .lock import grading_lock
from .outcomes import FAILED, Outcome, OutcomeStore
from .progress import ProgressBar, summary
from .record import record_submission
from .isolation import Sandbox, clean_up_leftovers, probe
from . import speedups, workers

#: Feedback tasks handed to the writers beyond one per writer, so a writer never waits for the main process.
EXTRA_TASKS = 1
#: Processes that write feedback pages, beside the ``jobs`` processes that run notebooks: a page
#: is written while the next notebooks run, so no job waits for it.
FEEDBACK_WRITERS = 1
#: How often a submission is tried again after its worker process died, before it counts as failed.
WORKER_RETRIES = 1


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


def is_up_to_date(course: Course, submission: Submission, outcome: Outcome | None) -> bool:
    """Graded already, from this very submission (nbgrader's timestamp), with its files in place."""
    if outcome is None or outcome.status == FAILED or outcome.submitted_at != submission.timestamp_text:
        return False
    autograded = course.folder("autograded", submission.student, submission.assignment)
    return all((autograded / f"{name}.ipynb").exists() for name in submission.notebooks if name)


def plan(course: Course, assignment: str, students: list[str] | None, force: bool):
    """(submissions to grade, students already graded, students without a submission, notebooks)."""
    notebooks = course.assignment_notebooks(assignment)
    submissions, missing = course.submissions(assignment, students)
    store = outcome_store(course, assignment)
    todo, skipped = [], []
    for submission in submissions:
        if force or not is_up_to_date(course, submission, store.load(submission.student)):
            todo.append(submission)
        else:
            skipped.append(submission.student)
    return todo, skipped, missing, notebooks


def outcome_store(course: Course, assignment: str) -> OutcomeStore:
    return OutcomeStore(course.root / course.coursedir.autograded_directory, assignment)


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


def give_back_to_course_owner(course: Course, assignment: str) -> None:
    """When root grades a course that belongs to another account (the sandbox needs root, the
    course belongs to its grader account), hand what grading wrote back to the course's owner, so
    that the formgrader and nbgrader, running as that account, can go on with it."""
    owner = course.root.stat()
    if os.geteuid() != 0 or owner.st_uid == 0:
        return
    written = [course.root / course.coursedir.autograded_directory / ".autograder"]
    for kind in ("autograded", "feedback"):
        base = course.folder(kind, "*", assignment)
        written += [base.parent.parent] + list(base.parent.parent.glob(f"*/{base.name}"))
        written += [folder.parent for folder in base.parent.parent.glob(f"*/{base.name}")]
    if course.gradebook_exists() and course.db_url.startswith("sqlite:///"):
        database = Path(course.db_url[len("sqlite:///"):])
        written += [database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")]
    for top in written:
        if not top.exists():
            continue
        paths = [top, *top.rglob("*")] if top.is_dir() else [top]
        for path in paths:
            if path.lstat().st_uid == 0:
                os.chown(path, owner.st_uid, owner.st_gid, follow_symlinks=False)


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


class Scheduler:
    """Hands submissions to the workers and records their results, feedback first."""

    def __init__(self, course: Course, assignment: str, notebooks: list[str], todo: list[Submission],
                 jobs: int, bar: ProgressBar, outcomes: list[Outcome], sandboxed: bool = True) -> None:
        self.course = course
        self.sandboxed = sandboxed
        self.assignment = assignment
        self.notebooks = notebooks
        self.pending: deque[Submission] = deque(todo)
        #: Submissions that were running when a worker died: each runs alone, so that only the one
        #: that makes workers die is blamed (see ``retry``).
        self.alone: deque[Submission] = deque()
        self.feedback: deque[tuple[Submission, Outcome]] = deque()
        self.inflight: dict = {}  # future -> (kind, submission, outcome)
        self.owner: dict = {}  # future -> the pool that runs it
        self.jobs = jobs
        self.bar = bar
        self.outcomes = outcomes
        self.store = outcome_store(course, assignment)
        speedups.install()
        wait_when_gradebook_is_busy()
        self.pipeline = Pipeline(course)
        self.retries: dict[str, int] = {}
        self.relief = jobs  # workers kept for submissions started while others are stuck
        self.stuck = None
        self.runners: ProcessPoolExecutor | None = None
        self.writers: ProcessPoolExecutor | None = None

    def start_executor(self) -> None:
        context = multiprocessing.get_context("fork")
        self.stuck = context.Value("i", 0)
        self.runners = ProcessPoolExecutor(
            max_workers=self.jobs + self.relief, mp_context=context,
            initializer=workers.start_worker, initargs=(str(self.course.root), True, self.stuck, self.sandboxed),
        )
        self.writers = ProcessPoolExecutor(
            max_workers=FEEDBACK_WRITERS, mp_context=context,
            initializer=workers.start_worker, initargs=(str(self.course.root), False),
        )
        # Fork every worker now, while this process has no thread yet (each pool starts a thread
        # at its first task): forking a process that has threads can copy a lock held by one.
        for executor in (self.runners, self.writers):
            launch_now = getattr(executor, "_adjust_process_count", None)
            if launch_now is not None:
                launch_now()

    def stop_executor(self) -> None:
        for executor in (self.runners, self.writers):
            if executor is None:
                continue
            processes = list((getattr(executor, "_processes", None) or {}).values())
            executor.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.kill()
            for process in processes:
                process.join(timeout=5)
        self.runners = self.writers = None

    def run(self) -> None:
        self.start_executor()
        try:
            while self.pending or self.alone or self.feedback or self.inflight:
                self.fill()
                done, _ = wait(list(self.inflight), timeout=0.2, return_when=FIRST_COMPLETED)
                finished = [(future, self.inflight.pop(future)) for future in done]
                crashed = [(future, task) for future, task in finished
                           if isinstance(future.exception(), BrokenProcessPool)]
                if crashed:
                    self.workers_died(crashed)
                else:
                    self.fill()  # the freed workers start on the next submissions while results are recorded
                for future, task in finished:
                    if (future, task) not in crashed:
                        self.finish(future, task)
                self.bar.update(len(self.outcomes), self.failed(), len(self.inflight))
            self.bar.update(len(self.outcomes), self.failed(), 0, force=True)
        finally:
            self.stop_executor()

    def failed(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == FAILED)

    def count(self, kind: str) -> int:
        return sum(1 for task in self.inflight.values() if task[0] == kind)

    def fill(self) -> None:
        while self.feedback and self.count("feedback") < FEEDBACK_WRITERS + EXTRA_TASKS:
            submission, outcome = self.feedback.popleft()
            try:
                future = self.writers.submit(workers.write_feedback, submission.student, self.assignment)
            except BrokenProcessPool:  # a worker died: its results are handled by finish()
                self.feedback.appendleft((submission, outcome))
                self.restart()
                return
            self.inflight[future] = ("feedback", submission, outcome)
            self.owner[future] = self.writers
        # A job whose kernel is stuck in a cell (past a share of its time limit, at the lowest CPU
        # priority) only waits: another submission may start meanwhile, up to `relief` more.
        running_limit = self.jobs + min(self.stuck.value, self.relief)
        queue = self.pending
        if self.alone or any(task[0] == "alone" for task in self.inflight.values()):
            queue, running_limit = self.alone, 1
        while queue and self.count("run") + self.count("alone") < running_limit:
            submission = queue.popleft()
            self.store.forget(submission.student)  # from now on it counts as not graded
            try:
                future = self.runners.submit(workers.run_submission, submission, self.notebooks)
            except BrokenProcessPool:
                queue.appendleft(submission)
                self.restart()
                return
            self.inflight[future] = ("alone" if queue is self.alone else "run", submission, None)
            self.owner[future] = self.runners

    def finish(self, future, task: tuple) -> None:
        kind, submission, outcome = task
        result = future.result()
        self.owner.pop(future, None)
        if kind in ("run", "alone"):
            outcome = self.record(submission, result)
            if outcome.status == FAILED:
                self.done(outcome)
            else:
                self.feedback.append((submission, outcome))
        else:
            error, seconds = result
            outcome.seconds += seconds
            if error:
                outcome.status, outcome.reason = FAILED, error
            self.done(outcome)

    def record(self, submission: Submission, executed: Executed) -> Outcome:
        started = time.monotonic()
        try:
            outcome = record_submission(self.pipeline, submission, executed)
        except Exception as error:
            outcome = Outcome(submission.student, self.assignment, FAILED,
                              reason=f"the scores could not be written to the gradebook ({type(error).__name__}: {error})",
                              submitted_at=submission.timestamp_text, seconds=executed.seconds)
        outcome.seconds += time.monotonic() - started
        return outcome

    def done(self, outcome: Outcome) -> None:
        self.store.save(outcome)
        self.outcomes.append(outcome)

    def workers_died(self, crashed: list[tuple]) -> None:
        """Worker processes died (killed from outside, out of memory) under the tasks of
        ``crashed`` (future, task): start new ones and retry what was in flight. (Tasks of
        workers already replaced only need retrying.)"""
        lost = [task for _, task in crashed]
        if any(self.owner.pop(future, None) in (self.runners, self.writers) for future, _ in crashed):
            lost += self.replace_workers()
        self.retry(lost)

    def restart(self) -> None:
        """Replace the worker processes; what they were doing is tried again."""
        self.retry(self.replace_workers())

    def replace_workers(self) -> list[tuple]:
        """Stop the worker processes and start new ones; return the tasks they had."""
        lost = list(self.inflight.values())
        self.inflight.clear()
        self.owner.clear()
        self.stop_executor()
        self.start_executor()
        return lost

    def retry(self, lost: list[tuple]) -> None:
        """Try again what a dead worker was doing. When several submissions were running, none is
        blamed: each runs again alone. A submission that was running alone when a worker died is
        blamed: it runs once more, alone, then counts as failed, and no innocent one does."""
        running = [task for task in lost if task[0] in ("run", "alone")]
        blamed = len(running) == 1
        for kind, submission, outcome in lost:
            if kind != "feedback" and not blamed:
                self.alone.append(submission)
                continue
            tries = self.retries.get(submission.student, 0)
            if tries >= WORKER_RETRIES:
                self.done(Outcome(submission.student, self.assignment, FAILED,
                                  reason="the grading process stopped while running this notebook twice "
                                         "(it may use too much memory)",
                                  submitted_at=submission.timestamp_text))
                continue
            self.retries[submission.student] = tries + 1
            if kind == "feedback":
                self.feedback.appendleft((submission, outcome))
            else:
                self.alone.appendleft(submission)
