"""The nbgrader course that the autograder works on: its folders, configuration and submissions.

Everything is read the way nbgrader reads it: the configuration from ``nbgrader_config.py`` (the
user's Jupyter configuration folders first, then the course root), the folders from
``CourseDirectory``, the gradebook from ``CourseDirectory.db_url`` (SQLite by default, PostgreSQL
or another SQLAlchemy URL when the course sets one), and submission times from the
``timestamp.txt`` that ``nbgrader collect`` writes.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_core.paths import jupyter_config_path
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.engine import make_url
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

CONFIG_FILE = "nbgrader_config.py"


class CourseError(Exception):
    """The autograder cannot run on this course as asked; the message says what to do."""


@dataclass(frozen=True)
class Submission:
    """One learner's collected submission of one assignment (``submitted/<student>/<assignment>/``)."""

    student: str
    assignment: str
    folder: Path
    timestamp: datetime.datetime | None = None
    notebooks: tuple[str, ...] = field(default_factory=tuple)

    @property
    def timestamp_text(self) -> str | None:
        return self.timestamp.isoformat() if self.timestamp else None


class Course:
    """An nbgrader course root and its configuration."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = root
        self.config = config
        self.coursedir = CourseDirectory(config=config, root=str(root))

    @classmethod
    def open(cls, root: str | os.PathLike | None = None) -> "Course":
        """Open the course at ``root`` (default: the current folder), or explain what is wrong."""
        path = Path(root or os.getcwd()).expanduser().resolve()
        if not path.is_dir():
            raise CourseError(f"There is no folder {path}. Give the course folder with --course PATH.")
        if not (path / CONFIG_FILE).is_file():
            hint = ""
            if (path / "exercises" / CONFIG_FILE).is_file():
                hint = f" The course of this repository is in {path / 'exercises'}: add --course exercises."
            raise CourseError(
                f"{path} is not an nbgrader course folder: it has no {CONFIG_FILE}. Run the command "
                f"from the course folder, or give it with --course PATH.{hint}"
            )
        return cls(path, load_config(path))

    # ------------------------------------------------------------------ settings from nbgrader
    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    @property
    def course_id(self) -> str:
        return self.coursedir.course_id

    def gradebook(self) -> Gradebook:
        return Gradebook(self.db_url, self.course_id)

    def folder(self, kind: str, student: str, assignment: str) -> Path:
        """``kind`` is one of source, release, submitted, autograded, feedback."""
        base = getattr(self.coursedir, f"{kind}_directory")
        return Path(self.coursedir.format_path(base, student, assignment))

    def private_paths(self) -> list[str]:
        """What learner code must never see: the course root (sources, gradebook, every learner's
        files), the gradebook's folder, the exchange and the instructor's home."""
        paths = [str(self.root), os.path.expanduser("~"), "/root", "/home"]
        url = make_url(self.db_url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            paths.append(str(Path(url.database).resolve().parent))
        exchange = self.config.get("Exchange", {}).get("root") or "/srv/nbgrader/exchange"
        paths.append(str(exchange))
        return paths

    # ------------------------------------------------------------------ assignments and submissions
    def gradebook_exists(self) -> bool:
        """False when the gradebook is an SQLite file not created yet (opening it would create it)."""
        url = make_url(self.db_url)
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return True
        return Path(url.database).exists()

    def assignment_names(self) -> list[str]:
        """The assignments nbgrader knows (generated into the gradebook), by name."""
        if not self.gradebook_exists():
            return []
        with self.gradebook() as gradebook:
            return sorted(recorded.name for recorded in gradebook.assignments)

    def assignment_notebooks(self, assignment: str) -> list[str]:
        """The notebooks of ``assignment`` as recorded by ``nbgrader generate_assignment``."""
        known: list[str] = []
        if self.gradebook_exists():
            with self.gradebook() as gradebook:
                try:
                    recorded = gradebook.find_assignment(assignment)
                except MissingEntry:
                    known = sorted(a.name for a in gradebook.assignments)
                else:
                    return [notebook.name for notebook in recorded.notebooks]
        source = self.folder("source", ".", assignment)
        if source.is_dir():
            raise CourseError(
                f"The assignment {assignment!r} has not been generated yet, so nbgrader does not know its "
                f"tests and points. Run `nbgrader generate_assignment {assignment}` in {self.root}, then "
                "grade again."
            )
        sources = sorted(p.name for p in self.folder("source", ".", "*").parent.glob("*") if p.is_dir())
        names = sorted(set(known) | set(sources))
        raise CourseError(
            f"This course has no assignment called {assignment!r}. "
            + (f"Its assignments: {', '.join(names)}." if names else "It has no assignment yet.")
        )

    def submissions(self, assignment: str, students: list[str] | None = None) -> tuple[list[Submission], list[str]]:
        """The collected submissions of ``assignment`` (only those of ``students`` when given), and
        the students asked for who submitted nothing."""
        pattern = self.folder("submitted", "*", assignment)
        found = {}
        for folder in sorted(pattern.parent.parent.glob(f"*/{pattern.name}")):
            if not folder.is_dir():
                continue
            student = folder.parent.name
            if student in set(self.coursedir.student_id_exclude.split(",")) - {""}:
                continue
            notebooks = tuple(sorted(p.stem for p in folder.glob("*.ipynb")))
            timestamp = self.coursedir.get_existing_timestamp(str(folder))
            found[student] = Submission(student, assignment, folder, timestamp, notebooks)
        if students:
            missing = [student for student in students if student not in found]
            return [found[s] for s in students if s in found], missing
        return list(found.values()), []


def load_config(root: Path) -> Config:
    """The nbgrader configuration of the course at ``root``, merged as nbgrader merges it."""
    config = Config()
    for folder in [*reversed(jupyter_config_path()), str(root)]:
        if (Path(folder) / CONFIG_FILE).is_file():
            config.merge(PyFileConfigLoader(CONFIG_FILE, path=str(folder)).load_config())
    config.CourseDirectory.root = str(root)
    return config


#: Seconds an SQLite gradebook connection waits for another one's write before it gives up.
BUSY_TIMEOUT = 30


def wait_when_gradebook_is_busy() -> None:
    """Make every SQLite connection of this process (nbgrader's, through SQLAlchemy, and ours)
    wait up to ``BUSY_TIMEOUT`` seconds for a write of another process, instead of failing with
    "database is locked" while the formgrader or another worker writes."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _set_busy_timeout):
        event.listen(Engine, "connect", _set_busy_timeout)


def _set_busy_timeout(connection, _record) -> None:
    if type(connection).__module__.startswith("sqlite3"):
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT * 1000}")

