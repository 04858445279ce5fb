"""nbgrader's ``OverwriteCells``, restoring deleted test cells too, and saying what it restored.

nbgrader puts back the instructor's version of every locked and test cell a learner edited, but
only logs it, and leaves a deleted test cell deleted unless ``add_missing_cells`` is set (its
points are then simply lost, and nothing tells the instructor why). :class:`RestoreTestCells`
always puts deleted test cells back where they were, and records each change in plain words in
``resources["autograder"]["events"]``, for the summary, the export and the report.
"""

from __future__ import annotations

from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import OverwriteCells
from traitlets import Bool

from autograder.nbgrader_compat import remove_hidden_tests


class RestoreTestCells(OverwriteCells):
    """``OverwriteCells`` that restores deleted test cells and reports every restored cell."""

    add_missing_cells = Bool(True, help="Put deleted test cells back (nbgrader's default is False).").tag(config=True)

    def preprocess(self, nb, resources):
        self._events = resources.setdefault("autograder", {}).setdefault("events", [])
        self._reported: set[tuple[str, str]] = set()
        present = {cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells if utils.is_grade(cell) or utils.is_solution(cell)}
        nb, resources = super().preprocess(nb, resources)
        restored = [cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells
                    if (utils.is_grade(cell) or utils.is_solution(cell))
                    and cell.metadata["nbgrader"]["grade_id"] not in present]
        for grade_id in restored:
            self._events.append(f"The test cell {grade_id} had been deleted; it was put back and run.")
        return nb, resources

    def preprocess_cell(self, cell, resources, cell_index):
        self._submitted_source = cell.source
        return super().preprocess_cell(cell, resources, cell_index)

    def report_change(self, name, attr, old, new):
        super().report_change(name, attr, old, new)
        if (name, attr) in self._reported:
            return
        if attr == "checksum" and self._as_released(name):
            return  # the released cell, whose hidden tests nbgrader puts back: not an edit
        self._reported.add((name, attr))
        if attr == "checksum":
            self._events.append(f"The cell {name} had been edited; the instructor's version was put back and run.")
        elif attr == "points":
            self._events.append(f"The points of {name} had been changed to {new:g}; they were set back to {old:g}.")
        elif attr == "locked":
            self._events.append(f"The cell {name} had been unlocked; it was locked again.")
        elif attr == "cell_type":
            self._events.append(f"The cell {name} had been turned into a {new} cell; it is a {old} cell again.")

    def _as_released(self, grade_id: str) -> bool:
        """Whether the submitted source of ``grade_id`` is the instructor's, with or without its
        hidden tests (learners get it without them)."""
        source_cell = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
        released = NotebookNode(cell_type=source_cell.cell_type, source=source_cell.source, metadata={})
        remove_hidden_tests(self, released)
        submitted = _normalise(self._submitted_source)
        return submitted in (_normalise(source_cell.source), _normalise(released.source))


def _normalise(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())
