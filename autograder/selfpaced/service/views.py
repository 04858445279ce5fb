"""What the web service's pages show, computed from the course's progress (no HTTP here): a learner's
page, the cohort's table, plots and CSV. Figures come from :class:`CourseProgress`, so they are the
gradebook's. Texts, numbers and dates are in the language now (a handler computes inside
``speaking(language)``); the CSV and the JSON's keys and states stay the same in every language.
"""

from __future__ import annotations

import base64
import csv
import datetime
import hashlib
import hmac
import io
import math
import time
from dataclasses import dataclass

from autograder.messages import N_, _, language, moment, number
from autograder.selfpaced import store as states
from autograder.selfpaced.assessment import INSTRUCTOR, PEERS, SELF, WrittenScore
from autograder.selfpaced.progress import CourseProgress, ModuleStanding
from autograder.selfpaced.service.language import module_titles
from autograder.selfpaced.throttle import Bucket

#: A submission's state in words, for a learner (translate with ``_`` where it is shown: :func:`state_words`).
STATE_WORDS = {
    states.QUEUED: N_("waiting to be graded"),
    states.GRADING: N_("being graded"),
    states.GRADED: N_("graded"),
    states.UNGRADABLE: N_("could not be graded"),
    states.THROTTLED: N_("not graded: wait a little"),
    states.OFF: N_("waiting for your instructor"),
    states.SUPERSEDED: N_("replaced by a newer submission"),
    "refused": N_("left for your instructor"),
}


def state_words(state: str) -> str:
    """A submission's state in words, in the language now."""
    return _(STATE_WORDS[state]) if state in STATE_WORDS else state


def pseudonym(secret: str, name: str) -> str:
    """A stable pseudonym of a learner in exports: the same learner always gets the same one."""
    return "learner-" + hmac.new(secret.encode(), name.encode(), hashlib.sha256).hexdigest()[:10]


def when(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    moment_utc = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
    return moment(moment_utc) or moment_utc.strftime("%d %B %Y, %H:%M UTC")


def stamp(text: str | None) -> str:
    """nbgrader's timestamp (ISO 8601, UTC) in words: ``5 December 2026, 18:02:17 UTC``."""
    if not text:
        return ""
    try:
        stamped = datetime.datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment(stamped, seconds=True) or stamped.strftime("%d %B %Y, %H:%M:%S UTC").lstrip("0")


def wait_words(seconds: float) -> str:
    """``125`` -> ``"3 minutes"`` (:func:`autograder.selfpaced.throttle.wait_text`, in the language now)."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 60:
        return _("{count} minutes", count=minutes) if minutes > 1 else _("{count} minute", count=minutes)
    hours, minutes = divmod(minutes, 60)
    text = _("{count} hours", count=hours) if hours > 1 else _("{count} hour", count=hours)
    if not minutes:
        return text
    return text + " " + (_("{count} minutes", count=minutes) if minutes > 1 else _("{count} minute", count=minutes))


def written_words(written: WrittenScore) -> str:
    """How a written answer was assessed (:meth:`WrittenScore.describe`, in the language now)."""
    if written.by == INSTRUCTOR:
        return _("assessed by your instructor")
    if written.by == PEERS:
        return _("assessed by {count} classmates (mean of their marks)", count=len(written.peer_scores))
    if written.by == SELF:
        return _("self-assessed (classmates' assessments replace it once they are in)")
    return _("not assessed yet: mark it against the rubric")


def lesson_name(lesson: str) -> str:
    """``book/budgeting/01-anatomy`` -> ``01-anatomy``."""
    return lesson.rsplit("/", 1)[-1]


@dataclass
class NextStep:
    text: str
    link: str | None = None


def next_step(standings: list[ModuleStanding]) -> NextStep:
    """What the learner should do next: the first lesson not opened, or the first exercise not passed."""
    for standing in standings:
        missing = [lesson for lesson in standing.module.lessons if lesson not in standing.lessons_opened]
        exercise = standing.exercise
        if missing:
            return NextStep(_("Open the lesson {lesson} of Module {number}.", lesson=lesson_name(missing[0]),
                              number=standing.module.number))
        if not exercise.submitted:
            return NextStep(_("Do and submit the exercise {assignment} of Module {number}.",
                              assignment=exercise.assignment, number=standing.module.number))
        if exercise.written.by is None:
            return NextStep(_("Assess your written answer of {assignment} against its rubric.",
                              assignment=exercise.assignment), f"assess/{exercise.assignment}")
        if not exercise.passed:
            return NextStep(_("Improve {assignment}: read your feedback, then submit again.",
                              assignment=exercise.assignment), f"feedback/{exercise.assignment}")
    return NextStep(_("You have passed every module: ask for your certificate below."))


def learner_page(progress: CourseProgress, student: str) -> dict:
    """Everything the learner's progress page and its JSON show."""
    standings = progress.learner(student)
    titles = module_titles(progress.course.root, language())
    modules = []
    for standing in standings:
        exercise = standing.exercise
        entries = progress.store.entries(course=progress.course.course_id, student=student,
                                         assignment=exercise.assignment)
        latest = entries[-1] if entries else None
        modules.append({
            "number": standing.module.number, "title": titles.get(standing.module.number, standing.module.title),
            "slug": standing.module.slug,
            "lessons": [{"name": lesson, "opened": lesson in standing.lessons_opened} for lesson in standing.module.lessons],
            "lessons_opened": len(standing.lessons_opened), "lessons_total": len(standing.module.lessons),
            "assignment": exercise.assignment, "submitted": exercise.submitted,
            "automatic": exercise.automatic, "written": exercise.written.score, "written_by": exercise.written.by,
            "written_how": written_words(exercise.written), "total": exercise.total, "max_score": exercise.max_score,
            "passed": exercise.passed,
            "latest": None if latest is None else {"state": latest.state, "words": state_words(latest.state),
                                                   "message": latest.message, "seen": when(latest.seen)},
            "tokens": tokens_left(progress, student, exercise.assignment),
        })
    step = next_step(standings)
    return {"student": student, "modules": modules, "next": {"text": step.text, "link": step.link},
            "completed": progress.completed(student, standings), "pass_share": progress.settings.pass_share,
            "written_minimum": progress.settings.written_minimum,
            "certificate": progress.store.certificate(student)}


def tokens_left(progress: CourseProgress, student: str, assignment: str) -> dict:
    """The learner's quick gradings left now, and the wait for the next one."""
    capacity, refill_minutes = progress.settings.bucket(assignment)
    with progress.store.connect() as connection:
        saved = progress.store.bucket(connection, progress.course.course_id, student, assignment)
    now = time.time()
    bucket = (Bucket(*saved) if saved else Bucket.full(capacity, now)).refilled(capacity, refill_minutes * 60, now)
    wait = bucket.wait(capacity, refill_minutes * 60, now)
    return {"left": int(bucket.tokens), "capacity": capacity, "refill_minutes": refill_minutes,
            "next_in": wait_words(wait) if wait else ""}


def feedback_page(progress: CourseProgress, student: str, assignment: str) -> dict:
    entries = progress.store.entries(course=progress.course.course_id, student=student, assignment=assignment)
    graded = [entry for entry in entries if entry.state == states.GRADED]
    return {
        "assignment": assignment,
        "submissions": [{"entry_time": stamp(entry.submitted_at), "state": entry.state,
                         "words": state_words(entry.state), "message": entry.message,
                         "score": entry.score, "max_score": entry.max_score} for entry in reversed(entries)],
        "latest": None if not graded else {"score": graded[-1].score, "max_score": graded[-1].max_score,
                                           "message": graded[-1].message, "tests": graded[-1].tests,
                                           "submitted_at": stamp(graded[-1].submitted_at)},
        "waiting": any(entry.state in states.WAITING for entry in entries),
    }


# --- the cohort ------------------------------------------------------------------------------------
def cohort_rows(progress: CourseProgress, members: list[str], names: bool) -> list[dict]:
    """One row per learner and module, learners pseudonymised unless ``names``."""
    secret = progress.store.secret()
    rows = []
    for student in progress.learners(members):
        for standing in progress.learner(student):
            exercise = standing.exercise
            rows.append({
                "learner": student if names else pseudonym(secret, student),
                "module": standing.module.number, "assignment": exercise.assignment, "language": exercise.language,
                "lessons_opened": len(standing.lessons_opened), "lessons": len(standing.module.lessons),
                "submitted": exercise.submitted, "automatic": round(exercise.automatic, 2),
                "written": None if exercise.written.score is None else round(exercise.written.score, 2),
                "written_by": exercise.written.by or "", "total": round(exercise.total, 2),
                "max_score": exercise.max_score, "passed": exercise.passed,
            })
    return rows


CSV_COLUMNS = ["learner", "module", "assignment", "language", "lessons_opened", "lessons", "submitted", "automatic", "written",
               "written_by", "total", "max_score", "passed"]


def cohort_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: ("" if row[key] is None else row[key]) for key in CSV_COLUMNS})
    return out.getvalue()


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode()


def cohort_plots(progress: CourseProgress, rows: list[dict]) -> dict:
    """The completion and score-per-part plots (PNG, base64), or why they are not shown."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    learners = {row["learner"] for row in rows}
    if len(learners) < progress.settings.smallest_group:
        return {"hidden": _("The plots need at least {smallest} learners, so that no one can be recognised in them; "
                            "this cohort has {count}.", smallest=progress.settings.smallest_group, count=len(learners))}
    numbers = sorted({row["module"] for row in rows})
    submitted = [sum(1 for row in rows if row["module"] == n and row["submitted"]) for n in numbers]
    passed = [sum(1 for row in rows if row["module"] == n and row["passed"]) for n in numbers]
    figure, axis = plt.subplots(figsize=(6, 3))
    positions = range(len(numbers))
    axis.bar([p - 0.2 for p in positions], submitted, width=0.4, label=_("submitted"), color="#4477aa")
    axis.bar([p + 0.2 for p in positions], passed, width=0.4, label=_("passed"), color="#228833")
    axis.set_xticks(list(positions), [_("Module {number}", number=n) for n in numbers])
    axis.set_ylabel(_("learners"))
    axis.set_title(_("Completion by module ({count} learners)", count=len(learners)))
    axis.legend()
    completion = _png(figure)
    plt.close(figure)
    parts = []
    for assignment in (name for module in progress.outline for name in module.assignments):
        scores = progress.scores(assignment)
        if len(scores) < progress.settings.smallest_group:
            continue
        by_part: dict[str, list[float]] = {}
        maxima: dict[str, float] = {}
        for learner_scores in scores.values():
            for part in learner_scores.parts:
                by_part.setdefault(part.part, []).append(part.score or 0.0)
                maxima[part.part] = part.max_score
        labels = list(by_part)
        shares = [100 * (sum(values) / len(values)) / maxima[label] if maxima[label] else 0 for label, values in by_part.items()]
        figure, axis = plt.subplots(figsize=(6, 0.35 * len(labels) + 1))
        axis.barh(labels, shares, color="#4477aa")
        axis.set_xlim(0, 100)
        axis.set_xlabel(_("mean score, % of the part's points"))
        axis.set_title(_("{assignment}: score per part ({count} learners)", assignment=assignment, count=len(scores)))
        axis.invert_yaxis()
        parts.append({"assignment": assignment, "png": _png(figure),
                      "table": [{"part": label, "share": round(share, 1), "share_text": number(round(share, 1))}
                                for label, share in zip(labels, shares)]})
        plt.close(figure)
    return {"hidden": "", "completion": completion, "completion_table": list(zip(numbers, submitted, passed)),
            "parts": parts}
