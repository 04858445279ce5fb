"""The loop's own records, in one SQLite file the grading service owns (root only): the queue of
submissions, the token buckets, the feedback per test, written-answer assessments, lessons opened
and the per-assignment switch of instant feedback.

Scores stay in nbgrader's gradebook; this file keeps only what nbgrader has no place for. Every
write is one transaction, so a service stopped at any moment leaves a consistent file: an entry is
``queued`` until its grading is recorded, and back to ``queued`` if the service stopped while it was
``grading`` (:meth:`Store.requeue_interrupted`).

The grading service (root) and the course's web service (the course's grader account) share the
file: it uses SQLite's rollback journal, not a write-ahead log, so no lasting side file is created
by root, and a root process hands the file back to the owner of its folder (:meth:`Store.give_back`).
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

QUEUED, GRADING, GRADED, UNGRADABLE, THROTTLED, OFF, SUPERSEDED = (
    "queued", "grading", "graded", "ungradable", "throttled", "off", "superseded")
#: States in which a submission still waits for the grading service.
WAITING = (QUEUED, GRADING)

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    entry TEXT PRIMARY KEY,          -- the submission's folder name in the exchange's inbox
    course TEXT NOT NULL, student TEXT NOT NULL, assignment TEXT NOT NULL,
    submitted_at TEXT NOT NULL,      -- nbgrader's timestamp of the submission
    seen REAL NOT NULL,              -- when the service saw it (seconds since the epoch)
    state TEXT NOT NULL, message TEXT NOT NULL DEFAULT '',
    took_token INTEGER NOT NULL DEFAULT 0,
    done REAL, gradings INTEGER NOT NULL DEFAULT 0,
    score REAL, max_score REAL, tests TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS submissions_by_learner ON submissions (course, student, assignment);
CREATE TABLE IF NOT EXISTS buckets (
    course TEXT, student TEXT, assignment TEXT, tokens REAL NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (course, student, assignment)
);
CREATE TABLE IF NOT EXISTS assessments (
    course TEXT, assignment TEXT, author TEXT, assessor TEXT,
    kind TEXT NOT NULL,              -- "self" or "peer"
    marks TEXT NOT NULL,             -- JSON list: 1 or 0 per criterion of the rubric, in order
    score REAL NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (course, assignment, author, assessor)
);
CREATE TABLE IF NOT EXISTS switches (
    course TEXT, assignment TEXT, instant INTEGER NOT NULL, PRIMARY KEY (course, assignment)
);
CREATE TABLE IF NOT EXISTS certificates (
    student TEXT PRIMARY KEY, name TEXT NOT NULL, requested REAL NOT NULL,
    issued REAL, code TEXT, folder TEXT, problem TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lessons_opened (
    student TEXT, lesson TEXT, first REAL NOT NULL, last REAL NOT NULL, PRIMARY KEY (student, lesson)
);
"""


@dataclass(frozen=True)
class Entry:
    """One submission as the loop knows it."""

    entry: str
    course: str
    student: str
    assignment: str
    submitted_at: str
    seen: float
    state: str
    message: str
    took_token: bool
    done: float | None
    gradings: int
    score: float | None
    max_score: float | None
    tests: list

    @property
    def waited(self) -> float | None:
        """Seconds from the service seeing it to its feedback being recorded."""
        return None if self.done is None else self.done - self.seen


@dataclass(frozen=True)
class Assessment:
    author: str
    assessor: str
    kind: str
    marks: list
    score: float
    at: float


class Store:
    """The loop's SQLite file (``path``); one connection per call, safe across processes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            connection.execute("PRAGMA journal_mode=DELETE")
            connection.executescript(SCHEMA)
        finally:
            connection.close()
        self.path.chmod(0o600)
        self.give_back()

    def give_back(self) -> None:
        """Made by root for a folder that belongs to another account: the file goes to that account."""
        folder = self.path.parent.stat()
        if os.geteuid() == 0 and folder.st_uid != 0 and self.path.stat().st_uid != folder.st_uid:
            os.chown(self.path, folder.st_uid, folder.st_gid)

    @contextmanager
    def connect(self):
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.row_factory = sqlite3.Row
        try:
            connection.execute("BEGIN IMMEDIATE")
            yield connection
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()

    # --- the queue ------------------------------------------------------------------------------
    @staticmethod
    def _entry(row) -> Entry:
        data = dict(row)
        data["took_token"] = bool(data["took_token"])
        data["tests"] = json.loads(data["tests"])
        return Entry(**data)

    def known(self, entries: list[str]) -> set[str]:
        with self.connect() as connection:
            rows = connection.execute(
                f"SELECT entry FROM submissions WHERE entry IN ({','.join('?' * len(entries))})", entries).fetchall()
        return {row["entry"] for row in rows}

    def add(self, connection, course, student, assignment, entry, submitted_at, state, message="", took_token=False):
        connection.execute(
            "INSERT OR IGNORE INTO submissions (entry, course, student, assignment, submitted_at, seen, state, message, "
            "took_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry, course, student, assignment, submitted_at, time.time(), state, message, int(took_token)))

    def entries(self, state: str | None = None, course: str | None = None, student: str | None = None,
                assignment: str | None = None) -> list[Entry]:
        clauses, values = [], []
        for column, value in (("state", state), ("course", course), ("student", student), ("assignment", assignment)):
            if value is not None:
                clauses.append(f"{column} = ?")
                values.append(value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.connect() as connection:
            rows = connection.execute(f"SELECT * FROM submissions {where} ORDER BY submitted_at, entry", values).fetchall()
        return [self._entry(row) for row in rows]

    def set_state(self, entries: list[str], state: str, message: str = "") -> None:
        with self.connect() as connection:
            connection.executemany("UPDATE submissions SET state = ?, message = ? WHERE entry = ?",
                                   [(state, message, entry) for entry in entries])

    def requeue_interrupted(self) -> int:
        """Put back in the queue what a stopped service was grading; return how many."""
        with self.connect() as connection:
            return connection.execute("UPDATE submissions SET state = ? WHERE state = ?", (QUEUED, GRADING)).rowcount

    def record(self, entry: str, state: str, message: str, score, max_score, tests: list, graded_now: bool) -> None:
        """The result of an entry; ``graded_now`` when the grader ran its notebook in this run."""
        with self.connect() as connection:
            connection.execute(
                "UPDATE submissions SET state = ?, message = ?, score = ?, max_score = ?, tests = ?, done = ?, "
                "gradings = gradings + ? WHERE entry = ?",
                (state, message, score, max_score, json.dumps(tests), time.time(), int(graded_now), entry))

    # --- buckets ----------------------------------------------------------------------------------
    @staticmethod
    def bucket(connection, course, student, assignment):
        row = connection.execute("SELECT tokens, at FROM buckets WHERE course = ? AND student = ? AND assignment = ?",
                                 (course, student, assignment)).fetchone()
        return None if row is None else (row["tokens"], row["at"])

    @staticmethod
    def save_bucket(connection, course, student, assignment, tokens: float, at: float) -> None:
        connection.execute("INSERT OR REPLACE INTO buckets VALUES (?, ?, ?, ?, ?)", (course, student, assignment, tokens, at))

    # --- switches -------------------------------------------------------------------------------
    def instant_feedback(self, course: str, assignment: str, connection=None) -> bool:
        query = "SELECT instant FROM switches WHERE course = ? AND assignment = ?"
        if connection is not None:
            row = connection.execute(query, (course, assignment)).fetchone()
        else:
            with self.connect() as own:
                row = own.execute(query, (course, assignment)).fetchone()
        return True if row is None else bool(row["instant"])

    def switch(self, course: str, assignment: str, instant: bool) -> None:
        with self.connect() as connection:
            connection.execute("INSERT OR REPLACE INTO switches VALUES (?, ?, ?)", (course, assignment, int(instant)))

    # --- written answers --------------------------------------------------------------------------
    def assess(self, course, assignment, author, assessor, kind, marks: list[int]) -> None:
        with self.connect() as connection:
            connection.execute("INSERT OR REPLACE INTO assessments VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               (course, assignment, author, assessor, kind, json.dumps(marks), float(sum(marks)),
                                time.time()))

    def assessments(self, course: str, assignment: str) -> list[Assessment]:
        with self.connect() as connection:
            rows = connection.execute("SELECT author, assessor, kind, marks, score, at FROM assessments "
                                      "WHERE course = ? AND assignment = ? ORDER BY at", (course, assignment)).fetchall()
        return [Assessment(r["author"], r["assessor"], r["kind"], json.loads(r["marks"]), r["score"], r["at"])
                for r in rows]

    # --- certificates ---------------------------------------------------------------------------------
    def request_certificate(self, student: str, name: str) -> None:
        """Ask for ``student``'s certificate, printed with ``name`` (a new request replaces an unissued one)."""
        with self.connect() as connection:
            connection.execute(
                "INSERT INTO certificates (student, name, requested) VALUES (?, ?, ?) ON CONFLICT (student) DO UPDATE "
                "SET name = excluded.name, requested = excluded.requested, issued = NULL, problem = ''",
                (student, name, time.time()))

    def certificate(self, student: str) -> dict | None:
        with self.connect() as connection:
            row = connection.execute("SELECT * FROM certificates WHERE student = ?", (student,)).fetchone()
        return dict(row) if row else None

    def certificates(self, pending: bool = False) -> list[dict]:
        query = "SELECT * FROM certificates" + (" WHERE issued IS NULL AND problem = ''" if pending else "")
        with self.connect() as connection:
            return [dict(row) for row in connection.execute(query).fetchall()]

    def certificate_by_code(self, code: str) -> dict | None:
        with self.connect() as connection:
            row = connection.execute("SELECT * FROM certificates WHERE code = ?", (code,)).fetchone()
        return dict(row) if row else None

    def certificate_issued(self, student: str, code: str, folder: str) -> None:
        with self.connect() as connection:
            connection.execute("UPDATE certificates SET issued = ?, code = ?, folder = ?, problem = '' WHERE student = ?",
                               (time.time(), code, folder, student))

    def certificate_refused(self, student: str, problem: str) -> None:
        with self.connect() as connection:
            connection.execute("UPDATE certificates SET problem = ? WHERE student = ?", (problem, student))

    # --- a secret of the course, for pseudonyms -------------------------------------------------------
    def secret(self) -> str:
        with self.connect() as connection:
            row = connection.execute("SELECT value FROM meta WHERE key = 'secret'").fetchone()
            if row:
                return row["value"]
            value = secrets.token_hex(32)
            connection.execute("INSERT INTO meta VALUES ('secret', ?)", (value,))
            return value

    # --- lessons ------------------------------------------------------------------------------------
    def lesson_opened(self, student: str, lesson: str) -> None:
        now = time.time()
        with self.connect() as connection:
            connection.execute("INSERT INTO lessons_opened VALUES (?, ?, ?, ?) ON CONFLICT (student, lesson) "
                               "DO UPDATE SET last = excluded.last", (student, lesson, now, now))

    def lessons_opened(self, student: str | None = None) -> dict[str, set[str]]:
        """{learner: lessons opened}, of one learner or of all."""
        with self.connect() as connection:
            if student is None:
                rows = connection.execute("SELECT student, lesson FROM lessons_opened").fetchall()
            else:
                rows = connection.execute("SELECT student, lesson FROM lessons_opened WHERE student = ?", (student,)).fetchall()
        opened: dict[str, set[str]] = {}
        for row in rows:
            opened.setdefault(row["student"], set()).add(row["lesson"])
        return opened


#: The loop's file in a course folder.
STORE_NAME = "self-paced.sqlite"


def store_of(course) -> Store:
    """The loop's store of ``course`` (an :class:`autograder.course.Course`), in its folder."""
    return Store(course.root / STORE_NAME)
