"""Where each learner stands, from the gradebook (scores), the loop's store (submissions, assessments,
lessons opened) and the course outline. The learner's page, the cohort page, the CSV export and the
certificate all read it, so they show the same figures as the gradebook.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import nbformat

from autograder.course import Course
from autograder.scores import SubmissionScores, read_scores
from autograder.selfpaced import store as states
from autograder.selfpaced.assessment import WrittenScore, written_score
from autograder.selfpaced.outline import ModuleOutline, language_of
from autograder.selfpaced.rubric import Rubric, RubricError, rubric_of, written_answer
from autograder.selfpaced.rules import passes
from autograder.selfpaced.settings import SelfPaced


@dataclass(frozen=True)
class ExerciseStanding:
    """A learner's exercise of one module (points)."""

    assignment: str
    submitted: bool
    automatic: float  # points of the automatically graded parts, late penalty taken off
    written: WrittenScore
    max_score: float
    passed: bool
    parts: dict = field(default_factory=dict)  # {grade_id: points or None}

    @property
    def total(self) -> float:
        return self.automatic + (self.written.score or 0.0)

    @property
    def language(self) -> str:
        """The language of the exercise the learner did: ``"en"`` or ``"fr"``."""
        return language_of(self.assignment)


@dataclass(frozen=True)
class ModuleStanding:
    module: ModuleOutline
    lessons_opened: tuple[str, ...]
    exercise: ExerciseStanding


class CourseProgress:
    """The standing of a course's learners (``course`` an :class:`autograder.course.Course`)."""

    def __init__(self, course: Course, store: states.Store, settings: SelfPaced,
                 outline: tuple[ModuleOutline, ...] = ()) -> None:
        self.course = course
        self.store = store
        self.settings = settings
        self.outline = outline
        self._scores: dict[str, dict[str, SubmissionScores]] = {}
        self._rubrics: dict[str, Rubric] = {}
        self.assessments_by_assignment: dict[str, list] = {}

    # --- reading ------------------------------------------------------------------------------------
    def scores(self, assignment: str) -> dict[str, SubmissionScores]:
        if assignment not in self._scores:
            try:
                rows = read_scores(self.course.db_url, self.course.course_id, assignment)
            except Exception:  # no gradebook or no such assignment yet: nothing graded
                rows = []
            self._scores[assignment] = {row.student: row for row in rows}
        return self._scores[assignment]

    def rubric(self, assignment: str) -> Rubric:
        """The rubric of ``assignment``'s written answer, from the instructor's notebook in ``source/``."""
        if assignment not in self._rubrics:
            notebooks = sorted(self.course.folder("source", ".", assignment).glob("*.ipynb"))
            if not notebooks:
                raise RubricError(f"The course has no exercise {assignment} in source/{assignment}/.")
            self._rubrics[assignment] = rubric_of(nbformat.read(notebooks[0], as_version=4))
        return self._rubrics[assignment]

    def assessments(self, assignment: str) -> list:
        if assignment not in self.assessments_by_assignment:
            self.assessments_by_assignment[assignment] = self.store.assessments(self.course.course_id, assignment)
        return self.assessments_by_assignment[assignment]

    def submitted_answer(self, student: str, assignment: str) -> str:
        """The written answer of ``student``'s collected submission ("" if none)."""
        folder = self.course.folder("submitted", student, assignment)
        for path in sorted(folder.glob("*.ipynb")):
            try:
                text = written_answer(nbformat.read(path, as_version=4), self.rubric(assignment).part)
            except (OSError, ValueError):
                continue
            if text:
                return text
        return ""

    # --- one exercise -------------------------------------------------------------------------------
    def exercise(self, student: str, assignment: str) -> ExerciseStanding:
        """``student``'s standing on ``assignment`` (not submitted, with no points, when the course does
        not have that exercise yet)."""
        scores = self.scores(assignment).get(student)
        if scores is None or not self.course.folder("source", ".", assignment).is_dir():
            return ExerciseStanding(assignment, False, 0.0, WrittenScore(None, None), self._max(assignment), False)
        rubric = self.rubric(assignment)
        written_part = next((part for part in scores.parts if part.part == rubric.part), None)
        instructor = written_part.score if written_part and written_part.graded_by_hand and \
            not written_part.needs_manual_grade else None
        written = written_score(student, self.assessments(assignment), instructor, self.settings.peer_reviews)
        automatic = sum(part.score or 0.0 for part in scores.parts if part.part != rubric.part) - scores.late_penalty
        passed = passes(automatic + (written.score or 0.0), written.score, scores.max_score,
                        self.settings.pass_share, self.settings.written_minimum)
        return ExerciseStanding(assignment, True, automatic, written, scores.max_score, passed, scores.by_part())

    def _max(self, assignment: str) -> float:
        rows = self.scores(assignment)
        if rows:
            return next(iter(rows.values())).max_score
        try:
            with self.course.gradebook() as gradebook:
                return float(gradebook.find_assignment(assignment).max_score)
        except Exception:
            return 0.0

    def has_passed(self, student: str, assignment: str) -> bool:
        return self.exercise(student, assignment).passed

    def module_exercise(self, student: str, module: ModuleOutline) -> ExerciseStanding:
        """``student``'s exercise of ``module``, in the language they did it: the edition they passed,
        else the submitted one with the most points, else the English one, not submitted."""
        standings = [self.exercise(student, assignment) for assignment in module.assignments]
        return max(standings, key=lambda standing: (standing.passed, standing.submitted, standing.total))

    # --- a learner, a cohort ------------------------------------------------------------------------
    def learner(self, student: str) -> list[ModuleStanding]:
        opened = {lesson for module in self.outline for name in self.store.lessons_opened(student).get(student, set())
                  if (lesson := module.lesson_of(name))}
        return [ModuleStanding(module, tuple(lesson for lesson in module.lessons if lesson in opened),
                               self.module_exercise(student, module)) for module in self.outline]

    def completed(self, student: str, standings: list[ModuleStanding] | None = None) -> bool:
        """Has ``student`` passed the exercise of every published module? (``standings``: theirs, if read already)"""
        standings = self.learner(student) if standings is None else standings
        return bool(self.outline) and all(standing.exercise.passed for standing in standings)

    def learners(self, members: list[str] = ()) -> list[str]:
        """The cohort: ``members`` (the hub's course group) and everyone with a grade or a submission."""
        names = set(members)
        for module in self.outline:
            for assignment in module.assignments:
                names |= set(self.scores(assignment))
        names |= {entry.student for entry in self.store.entries(course=self.course.course_id)}
        return sorted(names)

    def frequent_messages(self, limit: int = 10) -> list[tuple[str, str, int]]:
        """The course's messages learners hit most, on their latest graded submission: (test, message, learners)."""
        latest: dict[tuple[str, str], states.Entry] = {}
        for entry in self.store.entries(states.GRADED, course=self.course.course_id):
            latest[(entry.student, entry.assignment)] = entry
        counts = Counter()
        for entry in latest.values():
            for test in entry.tests:
                if test.get("message"):
                    counts[(f"{entry.assignment} · {test['name']}", test["message"])] += 1
        return [(test, message, count) for (test, message), count in counts.most_common(limit)]
