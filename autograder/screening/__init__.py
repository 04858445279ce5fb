"""A static screen of a submitted notebook for code that could change how the tests run.

nbgrader runs the learner's cells and then the instructor's test cells in one Python process, so
learner code can make the tests pass without a correct answer: replace
``numpy.testing.assert_allclose``, redefine a test helper, silence errors through
``get_ipython()``, patch builtins, run hidden code with ``exec``. This package reads the learner's
code (it never runs it) and lists such constructs as :class:`Finding` s in plain words, so that
the grader can hold back the automatic points and tell the instructor why. Files, network and
resource limits are the sandbox's job: network and process findings only say the code tried.

Screen the notebook nbgrader runs, after ``OverwriteCells`` has restored the locked cells and
corrected their metadata from the gradebook. Only a cell with a ``grade_id`` counts as the
instructor's (nbgrader cannot restore a cell without one), so marking one's own cell as locked
does not hide it.

A static screen sees what the code names, not what it computes: code built at run time is out of
its reach, which is why ``exec``, ``eval``, ``getattr`` with a computed name and hidden dunder
attributes are reported themselves; a module handed through several variables or containers can
still escape it.

Its parts: :mod:`.rules` (what is reported, of which kind, in which words), :mod:`.cells` (which
cells are the learner's, read as Python), :mod:`.names` (what names refer to across cells) and
:mod:`.visitor` (the reading of one cell).
"""

from __future__ import annotations

import ast

from autograder.screening.cells import cell_label, learner_cells, parse_cell, restored_by_nbgrader
from autograder.screening.names import NotebookNames, module_bindings
from autograder.screening.rules import KINDS, TAMPERING, Finding
from autograder.screening.visitor import CellScreen

__all__ = ["KINDS", "Finding", "learner_cells", "screen_notebook"]


def screen_notebook(nb) -> list[Finding]:
    """Findings in the learner-controlled code cells of `nb` (an nbformat v4 NotebookNode), in cell and line order."""
    cells = []
    for position, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code":
            try:
                tree = parse_cell(cell.source)
            except (RecursionError, MemoryError):  # nested past the parser's limits
                tree = RecursionError
            cells.append((position, cell_label(cell, position), restored_by_nbgrader(cell), tree))
    notebook = NotebookNames()
    for position, label, instructors, tree in cells:
        for name, alias in module_bindings(tree) if isinstance(tree, ast.Module) else ():
            if alias:
                notebook.imports[name] = alias._replace(reported=False) if instructors else alias
            if instructors:
                notebook.instructor.setdefault(name, (position, label, alias))
    findings = []
    for position, label, instructors, tree in cells:
        if tree is None or instructors:
            continue
        screen = CellScreen(notebook, position, label)
        try:
            if tree is RecursionError:
                raise RecursionError
            screen.visit(tree)
        except RecursionError:
            screen.report(ast.Pass(), TAMPERING, "nests code too deeply to be screened, a way to hide code")
        findings.extend(sorted(dict.fromkeys(screen.findings), key=lambda finding: finding.line))
    return findings
