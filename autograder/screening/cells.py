"""Which cells of a notebook the screen reads, and how it reads IPython syntax as Python."""

from __future__ import annotations

import ast
from functools import lru_cache

def cell_label(cell, position: int) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {position}"


def restored_by_nbgrader(cell) -> bool:
    """Whether nbgrader restores this code cell from the gradebook: a locked or test cell with a grade_id."""
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade_id") and not meta.get("solution") and (meta.get("locked") or meta.get("grade")))


def learner_cells(nb) -> list[tuple[str, str]]:
    """(cell label, source) of the code cells the learner controls: solution cells and cells without nbgrader metadata
    (not locked cells, not grade-only test cells). A locked or test cell without a grade_id counts as the learner's:
    nbgrader cannot restore it, so it runs as submitted."""
    return [(cell_label(cell, position), cell.source) for position, cell in enumerate(nb.cells, 1)
            if cell.cell_type == "code" and not restored_by_nbgrader(cell)]


def parse_cell(source: str) -> ast.Module | None:
    """The cell as Python, IPython syntax turned into get_ipython() calls; None when it cannot run.

    IPython's escapes (%, !, ?) are syntax errors in Python, and the prompts it strips (>>>, In [1]:)
    leave the code after them in the parse, so the transform, ten times slower than parsing, only runs
    for sources that do not parse as they are."""
    for transform in (False, True):
        try:
            return ast.parse(ipython_to_python(source) if transform else source)
        except (SyntaxError, ValueError):
            pass
    return None


@lru_cache(maxsize=1)
def ipython_transformer():
    from IPython.core.inputtransformer2 import TransformerManager  # imported on first use: it takes 0.1 s

    return TransformerManager()


def ipython_to_python(source: str) -> str:
    return ipython_transformer().transform_cell(source)


