"""Listing the files of a submission or an assignment, as nbgrader's ``find_all_files`` does, fast.

nbgrader decides whether a file is ignored by listing its folder once per ignore pattern
(``glob``) for every file: a submission of a thousand files then costs a million directory
entries read. :func:`find_files` gives the same answer with one walk: a name is ignored when it
matches one of the patterns as ``glob`` matches it (``fnmatch`` on the name, and a leading dot
matched only by a pattern that starts with one).
"""

from __future__ import annotations

import fnmatch
import os


def is_ignored(name: str, patterns: list[str]) -> bool:
    """Whether the file or folder ``name`` (a base name) matches one of ``patterns``."""
    return any(fnmatch.fnmatchcase(name, pattern) and (not name.startswith(".") or pattern.startswith("."))
               for pattern in patterns)


def find_files(folder: str, ignore: list[str]) -> list[str]:
    """Every file below ``folder`` (full paths), leaving out ignored names and ignored folders."""
    found = []
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not is_ignored(name, ignore)]
        found.extend(os.path.join(parent, name) for name in files if not is_ignored(name, ignore))
    return found
