"""The nbgrader preprocessors that the autograder adds, importable by name from nbgrader_config.py.

* :class:`GradingExecute` (:mod:`autograder.preprocessors.grading_execute`) is nbgrader's ``Execute`` with kernels
  from :mod:`autograder.isolation`.
* :class:`ClearHiddenOutputs` (:mod:`autograder.preprocessors.hidden_outputs`) gives each test cell of the feedback
  the grader's verdict only, and drops what learner code printed once hidden tests were in its
  kernel, so that no feedback can carry a hidden test. Add ``"autograder.preprocessors.ClearHiddenOutputs"``
  to ``c.GenerateFeedback.preprocessors`` after ``GetGrades`` and *before* ``ClearHiddenTests`` to
  protect the feedback that ``nbgrader generate_feedback`` writes too; ``autograder grade`` always uses it.
* :class:`RestoreTestCells` (:mod:`autograder.preprocessors.restore_cells`) is nbgrader's ``OverwriteCells``,
  putting deleted test cells back too and saying what it restored.
* :class:`HoldGradingLock` and :class:`ReleaseGradingLock` (:mod:`autograder.preprocessors.grading_lock`)
  make nbgrader's autograde wait its turn with ``autograder grade``: first and last of ``c.Autograde``'s steps.
* :mod:`autograder.preprocessors.kernels`: the kernel manager and client that :class:`GradingExecute` uses;
  :mod:`.spare_kernels` and :mod:`.stuck_cells` are its kernels started ahead and its cells stuck in a loop.
"""

from autograder.preprocessors.grading_execute import GradingExecute
from autograder.preprocessors.grading_lock import HoldGradingLock, ReleaseGradingLock
from autograder.preprocessors.hidden_outputs import ClearHiddenOutputs
from autograder.preprocessors.restore_cells import RestoreTestCells
from autograder.preprocessors.spare_kernels import discard_spare_kernels
from autograder.preprocessors.stuck_cells import count_stuck

#: The name that course configurations written before ClearHiddenOutputs use; it now does as much.
ClearHiddenTracebacks = ClearHiddenOutputs

__all__ = ["ClearHiddenOutputs", "ClearHiddenTracebacks", "GradingExecute", "HoldGradingLock", "ReleaseGradingLock",
           "RestoreTestCells", "count_stuck", "discard_spare_kernels"]
