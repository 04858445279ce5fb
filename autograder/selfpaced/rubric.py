"""The written answer of an exercise and its rubric, as the notebook states them.

Every exercise ends with a written answer (a Markdown cell graded by hand, ``grade`` and
``solution`` both true) and, before it, its rubric: a locked Markdown cell whose grade_id ends in
``_rubric``, with a table of one criterion per row, worth one point each ("one point per line").
Self, peer and instructor assessments all use that same table.
"""

from __future__ import annotations

from dataclasses import dataclass


class RubricError(ValueError):
    """The notebook has no written answer or no rubric table the loop can use."""


@dataclass(frozen=True)
class Criterion:
    name: str  # e.g. "Framing"
    description: str  # when the answer earns the point


@dataclass(frozen=True)
class Rubric:
    """The written answer's part (grade_id), its points and its criteria (one point each)."""

    part: str
    title: str
    max_score: float
    criteria: tuple[Criterion, ...]


def heading_of(source: str) -> str | None:
    """The first Markdown heading of a cell's source, without its #s, or None."""
    for line in source.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return None


def part_titles(notebook) -> dict[str, str]:
    """``{grade_id: title}``: each graded or answer cell with the heading of the part it belongs to (the
    last Markdown heading above it), e.g. ``"Part 1: gross savings (2 points)"``."""
    titles, title = {}, ""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            title = heading_of(cell.source) or title
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id:
            titles[grade_id] = title
    return titles


def _rows(source: str) -> list[list[str]]:
    rows = []
    for line in source.splitlines():
        line = line.strip()
        if line.startswith("|") and line.endswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if not all(set(cell) <= set("-: ") for cell in cells):
                rows.append(cells)
    return rows[1:]  # without the header row


def rubric_of(notebook) -> Rubric:
    """The rubric of the exercise's written answer in ``notebook`` (the instructor's or a learner's copy)."""
    rubric_cell = answer_cell = None
    for cell in notebook.cells:
        info = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "markdown" and str(info.get("grade_id", "")).endswith("_rubric"):
            rubric_cell = cell
        if cell.cell_type == "markdown" and info.get("grade") and info.get("solution"):
            answer_cell = cell
    if answer_cell is None or rubric_cell is None:
        raise RubricError("The exercise has no written answer with a rubric cell (a locked Markdown cell whose "
                          "grade_id ends in _rubric, with a table of one criterion per row).")
    criteria = tuple(Criterion(row[0].strip("* "), row[1] if len(row) > 1 else "") for row in _rows(rubric_cell.source))
    points = float(answer_cell.metadata["nbgrader"].get("points") or 0)
    if len(criteria) != points:
        raise RubricError(f"The rubric has {len(criteria)} criteria but the written answer is worth {points:g} points: "
                          "the loop scores one point per criterion.")
    return Rubric(answer_cell.metadata["nbgrader"]["grade_id"], heading_of(rubric_cell.source) or "Rubric",
                  points, criteria)


def written_answer(notebook, part: str) -> str:
    """The learner's text for the written answer ``part`` (empty when they left the stub)."""
    for cell in notebook.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == part:
            text = cell.source.strip()
            return "" if text == "YOUR ANSWER HERE" else text
    return ""
