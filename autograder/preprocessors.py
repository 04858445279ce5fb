"""The nbgrader preprocessors that the autograder adds, importable by name from nbgrader_config.py.

* :class:`GradingExecute` (:mod:`autograder.grading_execute`) is nbgrader's ``Execute`` with kernels
  from :mod:`autograder.launch`.
* :class:`ClearHiddenTracebacks` (:mod:`autograder.hidden_tracebacks`) removes the lines of hidden
  tests from the tracebacks of failing cells, which nbgrader's ``ClearHiddenTests`` leaves in the
  feedback. Add ``"autograder.preprocessors.ClearHiddenTracebacks"`` to
  ``c.GenerateFeedback.preprocessors`` *before* ``ClearHiddenTests`` to protect the feedback that
  ``nbgrader generate_feedback`` writes too; ``autograder grade`` always uses it.
"""

from .grading_execute import GradingExecute, count_stuck, discard_spare_kernels
from .hidden_tracebacks import ClearHiddenTracebacks

__all__ = ["ClearHiddenTracebacks", "GradingExecute", "count_stuck", "discard_spare_kernels"]
