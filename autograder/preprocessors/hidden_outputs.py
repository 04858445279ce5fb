"""Feedback that cannot carry hidden tests: each test says what the course chose, nothing more.

Once a cell with hidden tests has been sent to a learner's kernel, the learner's code can read it
(from the calling frames, IPython's line cache, the traceback module) and print it, encoded if need
be, in any later output: a test's error message, the value a visible check quotes, a plot, the
output of their own next cell. No text filter can recognise an encoded copy, so the rule is
structural. In the feedback a learner reads:

* every **test cell** shows one verdict written by the grader: passed or not, the points earned
  out of the points possible, and, when it failed, the course's own message for the check that
  failed, taken from the test's source (values the learner's code computed are shown as "…");
* every other code cell that ran **after the first hidden test** keeps its code but loses its
  outputs, and a note at the top of the page says why;
* cells before the first hidden test keep their outputs (no hidden code was in the kernel yet);
* execution counts are renumbered and execution metadata dropped (both come from the kernel).

The instructor's autograded notebook keeps every output. The learner's code may still choose
*which* of the course's messages a failing cell shows, or whether it passes: at most a few bits
per test, never a line of a hidden test.
"""

from __future__ import annotations

import ast
import builtins
import re
from functools import lru_cache

from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograder.messages import N_, _, notebook_language, speaking
from autograder.preprocessors.grading_execute import LIMIT_ERRORS, limit_message

#: What stands for a value computed by the learner's code in a message of the course.
VALUE = "…"
#: Error names that the grader itself writes into a cell (autograder.preprocessors.grading_execute), with what
#: the learner reads for each. A learner's code can raise an error of the same name, which only
#: picks one of these fixed texts.
GRADER_ERRORS = {
    "NotRun": N_("This part was not run: an earlier part stopped the Python kernel, or the notebook reached its "
                 "time limit."),
    "KernelStopped": N_("The Python kernel stopped while this part ran: the code may call os._exit(), crash Python, "
                        "or use more memory than allowed."),
    "CellTimeoutError": N_("This part did not finish within its time limit."),
    "KeyboardInterrupt": N_("This part was stopped at its time limit of {timeout} seconds: look for a loop that "
                            "never ends, or work that can be done with fewer steps."),
    "OutputLimit": N_("Your notebook printed more than the output allowed, so this part was stopped."),
}
BUILTIN_ERRORS = {name for name, value in vars(builtins).items()
                  if isinstance(value, type) and issubclass(value, BaseException)}
#: A part still holding the released stub (``raise NotImplementedError()``).
NOT_ANSWERED = N_("This part is not answered yet: its cell still raises NotImplementedError. Replace that line "
                   "with your code.")
NOTICE = N_("**About this feedback.** Each test shows whether it passed, its points, and the course's message "
            "when it did not. To keep hidden tests hidden, this page does not show what your code printed or "
            "drew once the first hidden test had run, nor values your code computed in the messages (shown "
            "as …). Run your notebook in JupyterLab to see them.")
#: When a failed check's message is not one the course wrote (a learner's own assertion).
CHECK_FAILED = N_("A check of this part failed.")


class Message:
    """One message of the course in a test's source: the text of an ``assert``'s message, or of an
    ``AssertionError`` it raises, with its f-string fields as placeholders."""

    def __init__(self, parts: list[str | None]) -> None:
        self.parts = parts  # constant texts, and None where a value is inserted
        pattern = "".join(".*?" if part is None else re.escape(part) for part in parts)
        self.pattern = re.compile(pattern, re.DOTALL)

    def matches(self, text: str) -> bool:
        return self.pattern.fullmatch(text) is not None

    def shown(self) -> str:
        return "".join(VALUE if part is None else part for part in self.parts)


def message_parts(node: ast.AST) -> list[str | None] | None:
    """The parts of a message expression, or None when it is not a text the course wrote."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [value.value if isinstance(value, ast.Constant) else None for value in node.values]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = message_parts(node.left), message_parts(node.right)
        if left is not None or right is not None:
            return (left or [None]) + (right or [None])
    return None


@lru_cache(maxsize=256)
def course_messages(source: str) -> tuple[Message, ...]:
    """The messages of the checks in a test cell's source, in order (parsed once per source: a test
    cell is the same in every submission)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        module = ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError, ImportError):
        return ()
    messages = []
    for node in ast.walk(module):
        expression = None
        if isinstance(node, ast.Assert) and node.msg is not None:
            expression = node.msg
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args and \
                isinstance(node.exc.func, ast.Name) and node.exc.func.id == "AssertionError":
            expression = node.exc.args[0]
        parts = message_parts(expression) if expression is not None else None
        if parts:
            messages.append(Message(parts))
    return tuple(messages)


def is_test_cell(cell) -> bool:
    info = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(info.get("grade")) and not info.get("solution")


class ClearHiddenOutputs(NbGraderPreprocessor):
    """Replace what could carry a hidden test in the feedback by the course's verdicts (see the
    module's documentation). Runs after ``GetGrades`` (for the points) and before
    ``ClearHiddenTests`` (it needs the markers to find the hidden tests)."""

    begin_test_delimeter = Unicode(
        "BEGIN HIDDEN TESTS", help="The marker of the beginning of hidden tests (as nbgrader's ClearHiddenTests)."
    ).tag(config=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # The course's own marker, when its nbgrader_config.py changes nbgrader's.
        configured = self.config.get("ClearHiddenTests", {}).get("begin_test_delimeter")
        if configured and "begin_test_delimeter" not in self.config.get(type(self).__name__, {}):
            self.begin_test_delimeter = configured

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """Replace the outputs, in the language of the notebook (:func:`autograder.messages.notebook_language`)."""
        with speaking(notebook_language(nb)):
            return self._replace_outputs(nb, resources)

    def _replace_outputs(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        first_hidden = next((index for index, cell in enumerate(code) if self.begin_test_delimeter in cell.source), None)
        if first_hidden is None:
            return nb, resources
        removed = False
        for index, cell in enumerate(code):
            cell.execution_count = index + 1
            cell.metadata.pop("execution", None)
            if is_test_cell(cell):
                cell.outputs = [self.verdict(cell)]
            elif index >= first_hidden and cell.outputs:
                cell.outputs = []
                removed = True
        if removed or any(is_test_cell(cell) for cell in code):
            nb.cells.insert(0, new_markdown_cell(_(NOTICE)))
        return nb, resources

    def verdict(self, cell) -> NotebookNode:
        """The grader's one output for a test cell: passed or not, the points, the course's message."""
        info = cell.metadata.get("nbgrader", {})
        points = float(info.get("points") or 0)
        score = info.get("score")
        error = next((output for output in cell.get("outputs", []) if output.get("output_type") == "error"), None)
        if score is None:  # before a gradebook exists (a tool that skips GetGrades): from the outputs
            score = 0.0 if error is not None else points
        score = float(score)
        if score >= points and error is None:
            text = _("✔ Passed: {score} of {points} points.", score=f"{score:g}", points=f"{points:g}")
        else:
            text = _("✘ Not passed: {score} of {points} points.", score=f"{score:g}", points=f"{points:g}")
            if error is not None:
                text += "\n" + self.explain(error, cell.source)
        return NotebookNode(output_type="stream", name="stdout", text=text + "\n")

    def explain(self, error, source: str) -> str:
        """What the learner reads about a test's error: only texts the course wrote."""
        name = str(error.get("ename", ""))
        if name == "AssertionError":
            value = str(error.get("evalue", ""))
            for message in course_messages(source):
                if message.matches(value):
                    return message.shown()
            return _(CHECK_FAILED)
        if name in GRADER_ERRORS:
            return _(GRADER_ERRORS[name], **self.limits()) if "{" in GRADER_ERRORS[name] else _(GRADER_ERRORS[name])
        for error_name, what, setting in LIMIT_ERRORS.values():
            if name == error_name:
                return limit_message(_(what, limit=self.limits()[setting]))
        if name == "NotImplementedError":
            return _(NOT_ANSWERED)
        if name in BUILTIN_ERRORS:
            return _("Your code raised {name} while the checks of this part ran.", name=name)
        return _("Your code raised an error while the checks of this part ran.")

    def limits(self) -> dict[str, str]:
        """The limits the fixed messages quote, from the course's configuration."""
        from nbgrader.preprocessors import Execute

        from autograder.isolation import Sandbox

        sandbox = Sandbox(config=self.config)
        return {"memory_limit": str(sandbox.memory_limit), "process_limit": str(sandbox.process_limit),
                "timeout": str(Execute(config=self.config).timeout)}

    def preprocess_cell(self, cell, resources, index):  # pragma: no cover - preprocess does the work
        return cell, resources
