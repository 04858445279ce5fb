"""The worker processes of ``autograder grade``: each runs one submission at a time.

A worker is forked from the main process when grading starts, so it already has nbgrader imported.
It starts its own kernel zygote (:mod:`autograder.isolation`), then runs the tasks the main process
gives it: run a submission's notebooks (:mod:`autograder.pipeline.execute`) or write a feedback page
(:mod:`autograder.pipeline.feedback`). Workers never write to the gradebook. Ctrl-C is left to the main
process, and a worker dies with it (``PR_SET_PDEATHSIG``), taking its zygote and kernels along.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback

from autograder.course import Course, Submission
from autograder.pipeline.execute import Executed, Pipeline, execute_submission
from autograder.pipeline.feedback import FeedbackWriter
from autograder.pipeline import speedups
from autograder.isolation import KernelLauncher, use_launcher
from autograder.isolation.processes import die_with_parent
from autograder.preprocessors import count_stuck

_state: dict = {}


def start_worker(course_root: str, runs_notebooks: bool = True, stuck_counter=None, sandboxed: bool = True) -> None:
    """Initializer of a worker process (one that runs notebooks, or one that writes feedback).

    ``stuck_counter`` (a shared ``multiprocessing.Value``) counts the kernels stuck in a cell;
    ``sandboxed`` False runs kernels without the sandbox (``--no-sandbox``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    speedups.install()
    if stuck_counter is not None:
        count_stuck(stuck_counter)
    course = Course.open(course_root)
    _state["course"] = course
    if not runs_notebooks:
        return
    launcher = KernelLauncher(config=course.config, protected=course.private_paths())
    if not sandboxed:
        launcher.sandbox.enabled = False
    if not launcher.log_file:
        log = course.root / course.coursedir.autograded_directory / ".autograder" / "kernels.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        launcher.log_file = str(log)
    use_launcher(launcher)
    _state["launcher"] = launcher
    try:
        missing = launcher.warm_up(dict(os.environ))
    except Exception as error:  # grading still works with the usual kernel start-up, only slower
        launcher.preload = False
        warn(f"kernels start without preloading, which is slower ({error})")
    else:
        if missing:
            warn(f"these modules could not be imported ahead and are imported by each kernel: {', '.join(missing)}")


def warn(message: str) -> None:
    """Say on the grader's terminal what makes grading slower (once per worker process)."""
    print(f"autograder: WARNING: {message}", file=sys.stderr, flush=True)


def pipeline() -> Pipeline:
    if "pipeline" not in _state:
        _state["pipeline"] = Pipeline(_state["course"])
    return _state["pipeline"]


def run_submission(submission: Submission, notebooks: list[str]) -> Executed:
    """Task: sanitize and run the notebooks of one submission."""
    return execute_submission(pipeline(), submission, notebooks)


def write_feedback(student: str, assignment: str) -> tuple[str | None, float]:
    """Task: write one learner's feedback page. Returns (error or None, seconds spent)."""
    started = time.monotonic()
    try:
        if "feedback" not in _state:
            _state["feedback"] = FeedbackWriter(_state["course"])
        _state["feedback"].write(student, assignment)
    except Exception as error:
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        return f"the feedback page could not be written ({last})", time.monotonic() - started
    return None, time.monotonic() - started
