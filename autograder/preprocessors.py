"""The nbgrader preprocessors that the autograder adds, importable by name from nbgrader_config.py.

* :class:`GradingExecute` (:mod:`autograder.grading_execute`) is nbgrader's ``Execute`` with kernels
  from :mod:`autograder.isolation`.
* :class:`ClearHiddenOutputs` (:mod:`autograder.hidden_outputs`) gives each test cell of the feedback
  the grader's verdict only, and drops what learner code printed once hidden tests were in its
  kernel, so that no feedback can carry a hidden test. Add ``"autograder.preprocessors.ClearHiddenOutputs"``
  to ``c.GenerateFeedback.preprocessors`` after ``GetGrades`` and *before* ``ClearHiddenTests`` to
  protect the feedback that ``nbgrader generate_feedback`` writes too; ``autograder grade`` always uses it.
"""

from .grading_execute import GradingExecute, count_stuck, discard_spare_kernels
from .hidden_outputs import ClearHiddenOutputs

#: The name that course configurations written before ClearHiddenOutputs use; it now does as much.
ClearHiddenTracebacks = ClearHiddenOutputs

__all__ = ["ClearHiddenOutputs", "ClearHiddenTracebacks", "GradingExecute", "count_stuck", "discard_spare_kernels"]
