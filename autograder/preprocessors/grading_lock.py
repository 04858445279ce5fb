"""The two steps that make nbgrader's autograde take turns with ``autograder grade``.

The course's ``nbgrader_config.py`` puts :class:`HoldGradingLock` first and :class:`ReleaseGradingLock`
last in ``Autograde``'s preprocessors, so the formgrader's autograde holds the assignment's lock
(:mod:`autograder.pipeline.lock`) shared while it grades one submission.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.pipeline.lock import GradingLockError, holder, lock_path

#: Shared locks held by nbgrader's autograde in this process, by lock file.
_held: dict[str, int] = {}


class HoldGradingLock(NbGraderPreprocessor):
    """First step of nbgrader's autograde: share the assignment's lock, or fail this submission
    with a message when ``autograder grade`` holds it."""

    def preprocess(self, nb, resources):
        assignment = resources.get("nbgrader", {}).get("assignment")
        if not assignment:
            return nb, resources
        coursedir = CourseDirectory(config=self.config)
        path = lock_path(Path(coursedir.root), coursedir.autograded_directory, assignment)
        path.parent.mkdir(parents=True, exist_ok=True)
        stale = _held.pop(str(path), None)  # left by a notebook that failed before the last step
        if stale is not None:
            os.close(stale)
        descriptor = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise GradingLockError(f"{assignment} cannot be autograded now: {holder(path)}. Autograde this "
                                   "submission again when it is done.") from None
        _held[str(path)] = descriptor
        return nb, resources

    def preprocess_cell(self, cell, resources, index):  # pragma: no cover - preprocess does the work
        return cell, resources


class ReleaseGradingLock(NbGraderPreprocessor):
    """Last step of nbgrader's autograde: give the assignment's shared lock back."""

    def preprocess(self, nb, resources):
        for path in list(_held):
            os.close(_held.pop(path))
        return nb, resources

    def preprocess_cell(self, cell, resources, index):  # pragma: no cover - preprocess does the work
        return cell, resources
