"""Files that root wrote while grading go back to the account that owns the course.

The sandbox needs root, but a hub's course belongs to its grader account: the formgrader and
nbgrader, running as that account, must be able to go on with what grading wrote.
"""

from __future__ import annotations

import os
from pathlib import Path

from autograder.course import Course


def give_back_to_course_owner(course: Course, assignment: str) -> None:
    """When root grades a course that belongs to another account (the sandbox needs root, the
    course belongs to its grader account), hand what grading wrote back to the course's owner, so
    that the formgrader and nbgrader, running as that account, can go on with it."""
    owner = course.root.stat()
    if os.geteuid() != 0 or owner.st_uid == 0:
        return
    written = [course.root / course.coursedir.autograded_directory / ".autograder"]
    for kind in ("submitted", "autograded", "feedback"):
        base = course.folder(kind, "*", assignment)
        written += [base.parent.parent] + list(base.parent.parent.glob(f"*/{base.name}"))
        written += [folder.parent for folder in base.parent.parent.glob(f"*/{base.name}")]
    if course.gradebook_exists() and course.db_url.startswith("sqlite:///"):
        database = Path(course.db_url[len("sqlite:///"):])
        written += [database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")]
    for top in written:
        if not top.exists():
            continue
        paths = [top, *top.rglob("*")] if top.is_dir() else [top]
        for path in paths:
            if path.lstat().st_uid == 0:
                os.chown(path, owner.st_uid, owner.st_gid, follow_symlinks=False)
