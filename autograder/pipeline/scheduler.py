"""The scheduler of ``autograder grade``: hands submissions to the worker processes, records their
results in the main process, then has their feedback written, and survives workers that die.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from autograder.course import Course, Submission, wait_when_gradebook_is_busy
from autograder.pipeline import speedups, workers
from autograder.pipeline.execute import Executed, Pipeline
from autograder.pipeline.outcomes import FAILED, Outcome, OutcomeStore
from autograder.pipeline.record import record_submission
from autograder.reporting.progress import ProgressBar

#: Feedback tasks handed to the writers beyond one per writer, so a writer never waits for the main process.
EXTRA_TASKS = 1
#: Processes that write feedback pages, beside the ``jobs`` processes that run notebooks: a page
#: is written while the next notebooks run, so no job waits for it.
FEEDBACK_WRITERS = 1
#: How often a submission is tried again after its worker process died, before it counts as failed.
WORKER_RETRIES = 1



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
        self.store = OutcomeStore.of_course(course, assignment)
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
