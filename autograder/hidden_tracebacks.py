"""Hidden tests out of the tracebacks of failing cells, for the feedback learners read.

IPython prints, for each frame of a traceback, the lines of code around the failing one. When a
hidden test fails, or calls learner code that fails, those lines are the hidden test itself, and
nbgrader's ``ClearHiddenTests`` (which removes hidden tests from the cells) leaves them in the
outputs. :class:`ClearHiddenTracebacks` removes them.
"""

from __future__ import annotations

import re

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: "Cell In[12], line 27" (IPython >= 8) and "<ipython-input-12-...> in <module>" (older IPython).
FRAME_HEADER = re.compile(r"Cell In\s*\[(\d+)\](?:,\s*line\s*(\d+))?|<ipython-input-(\d+)-[0-9a-f]+>")
#: A numbered source line of a frame: "----> 27 assert ..." or "     25 result = ...".
NUMBERED_LINE = re.compile(r"^\s*(?:-*>)?\s*(\d+)(?:\s(.*))?$")
#: Hidden lines shorter than this are too common ("else:", ")") to be removed by their text alone.
SHORTEST_HIDDEN_TEXT = 8


def plain(text: str) -> str:
    return ANSI.sub("", text)


def normalise(text: str) -> str:
    return " ".join(text.split())


class HiddenRegions:
    """The hidden-test lines of one code cell: their numbers (from 1) and their texts."""

    def __init__(self, source: str, begin: str, end: str) -> None:
        self.numbers: set[int] = set()
        self.texts: set[str] = set()
        visible: set[str] = set()
        inside = False
        for number, line in enumerate(source.split("\n"), start=1):
            if begin in line:
                inside = True
                self.numbers.add(number)
            elif end in line:
                inside = False
                self.numbers.add(number)
            elif inside:
                self.numbers.add(number)
                self.texts.add(normalise(line))
            else:
                visible.add(normalise(line))
        # A hidden line identical to a visible one reveals nothing; very short ones are too common.
        self.texts = {text for text in self.texts - visible if len(text) >= SHORTEST_HIDDEN_TEXT}

    def __bool__(self) -> bool:
        return bool(self.numbers)


class ClearHiddenTracebacks(NbGraderPreprocessor):
    """Remove hidden-test lines from the tracebacks of error outputs (for feedback).

    This preprocessor removes every line of a traceback that is a hidden line of the cell it comes
    from (by line number, and by text for tracebacks printed without numbers), and says where it
    did so. It must run before ``ClearHiddenTests``, which removes the hidden lines from the cells.
    """

    begin_test_delimeter = Unicode(
        "BEGIN HIDDEN TESTS", help="The marker of the beginning of hidden tests (as nbgrader's)."
    ).tag(config=True)
    end_test_delimeter = Unicode(
        "END HIDDEN TESTS", help="The marker of the end of hidden tests (as nbgrader's)."
    ).tag(config=True)
    notice = Unicode(
        "    (lines of a hidden test are not shown)",
        help="The line put in a traceback where hidden lines were removed.",
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        regions: dict[int, HiddenRegions] = {}
        by_execution: dict[int, HiddenRegions] = {}
        every_hidden_text: set[str] = set()
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            hidden = HiddenRegions(cell.source, self.begin_test_delimeter, self.end_test_delimeter)
            if hidden:
                regions[index] = hidden
                every_hidden_text |= hidden.texts
                if cell.get("execution_count"):
                    by_execution[cell.execution_count] = hidden
        if not regions:
            return nb, resources
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output.traceback = self.clean(output.get("traceback", []), by_execution, every_hidden_text)
        return nb, resources

    def clean(self, traceback: list[str], by_execution: dict[int, HiddenRegions], texts: set[str]) -> list[str]:
        cleaned = []
        for entry in traceback:
            kept: list[str] = []
            frame: HiddenRegions | None = None
            removed = False
            for line in entry.split("\n"):
                bare = plain(line)
                header = FRAME_HEADER.search(bare)
                if header:
                    if removed:
                        kept.append(self.notice)
                        removed = False
                    count = int(header.group(1) or header.group(3))
                    frame = by_execution.get(count)
                    if frame is not None and header.group(2) and int(header.group(2)) in frame.numbers:
                        line = line.replace(f", line {header.group(2)}", "")
                    kept.append(line)
                    continue
                numbered = NUMBERED_LINE.match(bare)
                hidden_number = frame is not None and numbered is not None and int(numbered.group(1)) in frame.numbers
                hidden_text = any(text in normalise(bare) for text in texts)
                if hidden_number or hidden_text:
                    removed = True
                    continue
                kept.append(line)
            if removed:
                kept.append(self.notice)
            cleaned.append("\n".join(kept))
        return cleaned

    def preprocess_cell(self, cell, resources, index):  # pragma: no cover - preprocess does the work
        return cell, resources
