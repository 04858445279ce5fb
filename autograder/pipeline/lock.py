"""One grading of an assignment at a time: ``autograder grade`` and nbgrader's autograde take turns.

Two runs of ``autograder grade`` on the same assignment, or one while the formgrader autogrades
it, would write the same autograded folders and gradebook rows at once. A lock file per assignment,
``autograded/.autograder/<assignment>.lock``, keeps them apart (``flock``: Linux drops the lock of
a process that ends, however it ends):

* ``autograder grade`` holds it exclusively for the whole run (:func:`grading_lock`), and stops
  at once, with a message saying who holds it, when it cannot;
* nbgrader's autograde (the formgrader's button, ``nbgrader autograde``) holds it shared while it
  grades one submission, through two steps that the course's ``nbgrader_config.py`` adds to
  ``Autograde``'s preprocessors (:class:`~autograder.preprocessors.HoldGradingLock` first,
  :class:`~autograder.preprocessors.ReleaseGradingLock` last): a submission it grades while ``autograder grade`` runs fails with that message, and the
  instructor autogrades it again afterwards.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from autograder.course import CourseError


class GradingLockError(CourseError):
    """The assignment is being graded by another run; the message says by whom and what to do."""


def lock_path(root: Path, autograded_directory: str, assignment: str) -> Path:
    return Path(root) / autograded_directory / ".autograder" / f"{assignment}.lock"


def holder(path: Path) -> str:
    """Who holds the lock at ``path``, in words for a message."""
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "nbgrader autograde (the formgrader, most likely) is grading a submission of it"
    started = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.get("started", 0)))
    return f"`autograder grade` is grading it (process {info.get('pid')}, started {started})"


@contextmanager
def grading_lock(root: Path, autograded_directory: str, assignment: str) -> Iterator[None]:
    """Hold the assignment's lock exclusively while the block runs, or raise :class:`GradingLockError`."""
    path = lock_path(root, autograded_directory, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GradingLockError(
                f"{assignment} cannot be graded now: {holder(path)}. Wait until it is done, then run the command "
                "again; nothing was graded by this run.") from None
        os.ftruncate(descriptor, 0)
        os.write(descriptor, json.dumps({"pid": os.getpid(), "started": time.time()}).encode())
        try:
            yield
        finally:
            os.ftruncate(descriptor, 0)
    finally:
        os.close(descriptor)  # closing it drops the lock
