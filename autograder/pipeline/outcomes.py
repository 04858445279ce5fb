"""What happened to each submission, in plain words, kept next to nbgrader's autograded folders.

One small JSON file per learner and assignment, ``autograded/.autograder/<assignment>/<student>.json``,
written last and atomically (a temporary file renamed over the old one) once the scores are in the
gradebook and the feedback is written. Its presence with the submission's timestamp is what makes a
submission count as done: a grading stopped half-way (Ctrl-C, a crash, a reboot) leaves no record,
so the next run grades that submission again, and only those.
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder.scores import Part

GRADED = "graded"
FAILED = "failed"
MANUAL = "needs manual grading"
STATUSES = (GRADED, MANUAL, FAILED)


@dataclass
class Failure:
    """A test cell that failed: which part, and the message the learner reads."""

    notebook: str
    part: str
    error: str
    message: str


@dataclass
class Outcome:
    """The result of grading one submission.

    status : "graded", "needs manual grading" (automatic parts scored, some await a person) or
        "failed" (``reason`` says why, in words an instructor can act on)
    submitted_at : nbgrader's timestamp of the graded submission (ISO 8601), None without timestamp.txt
    seconds : wall-clock time spent grading it, in seconds
    events : what the grader noticed and did, in plain words (a restored test cell, a kernel that
        stopped, output cut, files left out...)
    flags : learner code that may tamper with the tests; the automatic points are then held back
        (scored 0, marked for manual grading) until an instructor reviews the submission
    """

    student: str
    assignment: str
    status: str
    reason: str = ""
    submitted_at: str | None = None
    graded_at: str = field(default_factory=lambda: datetime.datetime.now(datetime.timezone.utc).isoformat())
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0
    parts: list[Part] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def what_happened(self) -> str:
        """Everything worth an instructor's attention, in plain words (empty when all went as usual)."""
        lines = []
        if self.flags:
            lines.append("Held for review: its code may change how the tests run, so its automatic parts score 0 "
                         "until you check it in the formgrader. " + " ".join(f"({flag})" for flag in self.flags))
        lines.extend(self.events)
        return " ".join(lines)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Outcome":
        data = json.loads(text)
        data["parts"] = [Part(**part) for part in data.get("parts", [])]
        data["failures"] = [Failure(**failure) for failure in data.get("failures", [])]
        return cls(**data)


class OutcomeStore:
    """The outcome records of one assignment."""

    @classmethod
    def of_course(cls, course, assignment: str) -> "OutcomeStore":
        """The records of ``assignment`` in ``course`` (a :class:`autograder.course.Course`)."""
        return cls(course.root / course.coursedir.autograded_directory, assignment)

    def __init__(self, autograded_directory: Path, assignment: str) -> None:
        self.folder = Path(autograded_directory) / ".autograder" / assignment

    def path(self, student: str) -> Path:
        return self.folder / f"{student}.json"

    def load(self, student: str) -> Outcome | None:
        try:
            return Outcome.from_json(self.path(student).read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            return None

    def all(self) -> list[Outcome]:
        outcomes = []
        for path in sorted(self.folder.glob("*.json")):
            outcome = self.load(path.stem)
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes

    def save(self, outcome: Outcome) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                stream.write(outcome.to_json())
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path(outcome.student))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def forget(self, student: str) -> None:
        self.path(student).unlink(missing_ok=True)
