"""``autograder export``: the scores of an assignment as a CSV file, for a spreadsheet or an LMS.

One row per learner and graded part, then one ``total`` row per learner. Scores come from the
gradebook, so grades given by hand in the formgrader are included; the grading status and reason
come from the autograder's outcome records.

Columns: ``student``, ``assignment``, ``notebook``, ``part`` (the grade_id of the cell, or
``total``), ``score`` and ``max_score`` (points), ``needs_manual_grading`` (yes/no),
``late_penalty`` (points, on the total row), ``status`` and ``reason`` (on the total row), and
``what_happened`` (on the total row: restored test cells, a stopped kernel, code held for review...).
"""

from __future__ import annotations

import csv
from pathlib import Path

from autograder.course import Course
from autograder.pipeline.outcomes import FAILED, GRADED, MANUAL, OutcomeStore
from autograder.scores import SubmissionScores, assignment_scores

COLUMNS = ["student", "assignment", "notebook", "part", "score", "max_score", "needs_manual_grading",
           "late_penalty", "status", "reason", "what_happened"]


def gradebook_scores(course: Course, assignment: str) -> list[SubmissionScores]:
    """Every learner's scores of ``assignment`` in the course's gradebook."""
    course.assignment_notebooks(assignment)  # explains an unknown or ungenerated assignment
    with course.gradebook() as gradebook:
        return assignment_scores(gradebook, assignment)


def number(value: float | None) -> str:
    """``2.0`` -> ``"2"``, ``1.5`` -> ``"1.5"``, None -> ``""``."""
    if value is None:
        return ""
    return f"{value:g}"


def export(course: Course, assignment: str, path: Path) -> int:
    """Write the CSV file; return the number of rows written (header excluded)."""
    learners = gradebook_scores(course, assignment)
    outcomes = {outcome.student: outcome for outcome in OutcomeStore.of_course(course, assignment).all()}
    rows = []
    for learner, part in ((learner, part) for learner in learners for part in learner.parts):
        rows.append({
            "student": learner.student, "assignment": assignment, "notebook": part.notebook, "part": part.part,
            "score": number(part.score), "max_score": number(part.max_score),
            "needs_manual_grading": "yes" if part.needs_manual_grade else "no",
            "late_penalty": "", "status": "", "reason": "", "what_happened": "",
        })
    for total in learners:
        outcome = outcomes.get(total.student)
        if outcome is not None and outcome.status == FAILED:
            status, reason = FAILED, outcome.reason
        else:
            status, reason = (MANUAL if total.needs_manual_grade else GRADED), ""
        rows.append({
            "student": total.student, "assignment": assignment, "notebook": "", "part": "total",
            "score": number(total.total), "max_score": number(total.max_score),
            "needs_manual_grading": "yes" if total.needs_manual_grade else "no",
            "late_penalty": number(total.late_penalty), "status": status, "reason": reason,
            "what_happened": outcome.what_happened() if outcome is not None else "",
        })
    rows.sort(key=lambda row: (row["student"], row["part"] == "total"))
    path = Path(path)
    if path.parent != Path(""):
        path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
