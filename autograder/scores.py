"""Scores as the gradebook holds them: the one reader used by grading, the export, the report,
the tests and the benchmarks.

nbgrader's gradebook keeps, for each submission, a score per graded cell (a "part") and a total
with its late penalty. Grades given by hand in the formgrader are in it too. All scores are points.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Part:
    """The score of one graded cell (a "part" of the assignment), in points."""

    notebook: str
    part: str
    score: float | None
    max_score: float
    needs_manual_grade: bool = False
    graded_by_hand: bool = False  # a person gave this score (nbgrader's manual score), e.g. in the formgrader


@dataclass
class SubmissionScores:
    """One learner's scores for one assignment (points; ``score`` before the late penalty)."""

    student: str
    score: float
    max_score: float
    late_penalty: float = 0.0
    needs_manual_grade: bool = False
    parts: list[Part] = field(default_factory=list)

    @property
    def total(self) -> float:
        """The score that counts: ``score`` minus the late penalty."""
        return self.score - self.late_penalty

    def by_part(self) -> dict[str, float | None]:
        """``{grade_id: score}`` of every part."""
        return {part.part: part.score for part in self.parts}


def scores_of(recorded) -> SubmissionScores:
    """The scores of one submission from nbgrader's ``SubmittedAssignment`` (an open gradebook's)."""
    return SubmissionScores(
        student=recorded.student_id,
        score=recorded.score,
        max_score=recorded.max_score,
        late_penalty=recorded.late_submission_penalty or 0.0,
        needs_manual_grade=bool(recorded.needs_manual_grade),
        parts=[Part(notebook.name, grade.name, grade.score, grade.max_score, bool(grade.needs_manual_grade),
                    grade.manual_score is not None)
               for notebook in recorded.notebooks for grade in notebook.grades],
    )


def assignment_scores(gradebook, assignment: str) -> list[SubmissionScores]:
    """Every submission of ``assignment`` in an open nbgrader ``Gradebook``, by learner."""
    return sorted((scores_of(recorded) for recorded in gradebook.assignment_submissions(assignment)),
                  key=lambda scores: scores.student)


def read_scores(db_url: str, course_id: str, assignment: str) -> list[SubmissionScores]:
    """:func:`assignment_scores` of the gradebook at ``db_url`` (an SQLAlchemy URL)."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id=course_id) as gradebook:
        return assignment_scores(gradebook, assignment)
