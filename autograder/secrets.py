"""What must never reach a learner: the solutions and hidden tests of the instructor notebooks.

nbgrader marks them in ``exercises/source/<assignment>/*.ipynb`` with ``### BEGIN SOLUTION`` /
``### END SOLUTION`` and ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS`` (code cells), and
``=== BEGIN MARK SCHEME ===`` / ``=== END MARK SCHEME ===`` (markdown cells). This module extracts
the text between the markers, so that the site, released notebooks and feedback can be checked
for the real secret content, not only for the marker strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

MARKERS = [
    ("### BEGIN SOLUTION", "### END SOLUTION", "solution"),
    ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS", "hidden test"),
    ("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ===", "mark scheme"),
]
#: Lines shorter than this (after normalising spaces) are too generic to identify a secret
#: (``return total``, ``pass``): they are checked only as part of their whole block.
DISTINCTIVE_LINE_LENGTH = 24


@dataclass(frozen=True)
class Secret:
    """One block of secret text of an instructor notebook."""

    notebook: Path
    cell_id: str
    kind: str  # "solution", "hidden test" or "mark scheme"
    text: str

    def distinctive_lines(self) -> list[str]:
        """The normalised lines of the block that are specific enough to be searched alone."""
        lines = (normalise(line) for line in self.text.splitlines())
        return [line for line in lines if len(line) >= DISTINCTIVE_LINE_LENGTH and not line.startswith("#")]


def normalise(text: str) -> str:
    """Collapse every run of white space to one space, so rendering differences do not hide a leak."""
    return re.sub(r"\s+", " ", text).strip()


def secrets_of_notebook(path: Path) -> list[Secret]:
    """Return every secret block of one instructor notebook."""
    notebook = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(notebook.cells):
        cell_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", f"cell {index + 1}")
        source = cell.source
        is_solution = cell.get("metadata", {}).get("nbgrader", {}).get("solution", False)
        if is_solution and "BEGIN SOLUTION" not in source and source.strip():
            # nbgrader replaces a solution cell without markers (a written answer) entirely.
            found.append(Secret(path, cell_id, "solution", source))
            continue
        for begin, end, kind in MARKERS:
            for match in re.finditer(re.escape(begin) + r"(.*?)" + re.escape(end), source, flags=re.S):
                block = match.group(1).strip("\n")
                if block.strip():
                    found.append(Secret(path, cell_id, kind, block))
    return found


def secrets_of_course(source_dir: Path) -> list[Secret]:
    """Return every secret block of every instructor notebook under ``exercises/source/``."""
    return [secret for path in sorted(Path(source_dir).rglob("*.ipynb"))
            if ".ipynb_checkpoints" not in path.parts
            for secret in secrets_of_notebook(path)]


def leaks_in_text(text: str, secrets: list[Secret]) -> list[tuple[Secret, str]]:
    """Return (secret, leaked text) pairs for each secret line or block that appears in ``text``."""
    haystack = normalise(text)
    leaks = []
    for secret in secrets:
        block = normalise(secret.text)
        if len(block) >= DISTINCTIVE_LINE_LENGTH and block in haystack:
            leaks.append((secret, block))
            continue
        for line in secret.distinctive_lines():
            if line in haystack:
                leaks.append((secret, line))
                break
    return leaks
