"""What the web service's pages show, computed from the course's progress (no HTTP here): a learner's
page, the cohort's table, plots and CSV. Figures come from :class:`CourseProgress`, so they are the
gradebook's.
"""

from __future__ import annotations

import base64
import csv
import datetime
import hashlib
import hmac
import io
import time
from dataclasses import dataclass

from autograder.selfpaced import store as states
from autograder.selfpaced.progress import CourseProgress, ModuleStanding
from autograder.selfpaced.throttle import Bucket, wait_text

STATE_WORDS = {
    states.QUEUED: "waiting to be graded",
    states.GRADING: "being graded",
    states.GRADED: "graded",
    states.UNGRADABLE: "could not be graded",
    states.THROTTLED: "not graded: wait a little",
    states.OFF: "waiting for your instructor",
    states.SUPERSEDED: "replaced by a newer submission",
    "refused": "left for your instructor",
}


def pseudonym(secret: str, name: str) -> str:
    """A stable pseudonym of a learner in exports: the same learner always gets the same one."""
    return "learner-" + hmac.new(secret.encode(), name.encode(), hashlib.sha256).hexdigest()[:10]


def when(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%d %B %Y, %H:%M UTC")


def stamp(text: str | None) -> str:
    """nbgrader's timestamp (ISO 8601, UTC) in words: ``5 December 2026, 18:02:17 UTC``."""
    if not text:
        return ""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment.strftime("%d %B %Y, %H:%M:%S UTC").lstrip("0")


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
            return NextStep(f"Open the lesson {missing[0].rsplit('/', 1)[-1]} of Module {standing.module.number}.")
        if not exercise.submitted:
            return NextStep(f"Do and submit the exercise {exercise.assignment} of Module {standing.module.number}.")
        if exercise.written.by is None:
            return NextStep(f"Assess your written answer of {exercise.assignment} against its rubric.",
                            f"assess/{exercise.assignment}")
        if not exercise.passed:
            return NextStep(f"Improve {exercise.assignment}: read your feedback, then submit again.",
                            f"feedback/{exercise.assignment}")
    return NextStep("You have passed every module: ask for your certificate below.")


def learner_page(progress: CourseProgress, student: str) -> dict:
    """Everything the learner's progress page and its JSON show."""
    standings = progress.learner(student)
    modules = []
    for standing in standings:
        exercise = standing.exercise
        entries = progress.store.entries(course=progress.course.course_id, student=student,
                                         assignment=exercise.assignment)
        latest = entries[-1] if entries else None
        modules.append({
            "number": standing.module.number, "title": standing.module.title, "slug": standing.module.slug,
            "lessons": [{"name": lesson, "opened": lesson in standing.lessons_opened} for lesson in standing.module.lessons],
            "lessons_opened": len(standing.lessons_opened), "lessons_total": len(standing.module.lessons),
            "assignment": exercise.assignment, "submitted": exercise.submitted,
            "automatic": exercise.automatic, "written": exercise.written.score, "written_by": exercise.written.by,
            "written_how": exercise.written.describe(), "total": exercise.total, "max_score": exercise.max_score,
            "passed": exercise.passed,
            "latest": None if latest is None else {"state": latest.state, "words": STATE_WORDS.get(latest.state, latest.state),
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
            "next_in": wait_text(wait) if wait else ""}


def feedback_page(progress: CourseProgress, student: str, assignment: str) -> dict:
    entries = progress.store.entries(course=progress.course.course_id, student=student, assignment=assignment)
    graded = [entry for entry in entries if entry.state == states.GRADED]
    return {
        "assignment": assignment,
        "submissions": [{"entry_time": stamp(entry.submitted_at), "state": entry.state,
                         "words": STATE_WORDS.get(entry.state, entry.state), "message": entry.message,
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
                "module": standing.module.number, "assignment": exercise.assignment,
                "lessons_opened": len(standing.lessons_opened), "lessons": len(standing.module.lessons),
                "submitted": exercise.submitted, "automatic": round(exercise.automatic, 2),
                "written": None if exercise.written.score is None else round(exercise.written.score, 2),
                "written_by": exercise.written.by or "", "total": round(exercise.total, 2),
                "max_score": exercise.max_score, "passed": exercise.passed,
            })
    return rows


CSV_COLUMNS = ["learner", "module", "assignment", "lessons_opened", "lessons", "submitted", "automatic", "written",
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
        return {"hidden": f"The plots need at least {progress.settings.smallest_group} learners, so that no one can be "
                          f"recognised in them; this cohort has {len(learners)}."}
    numbers = sorted({row["module"] for row in rows})
    submitted = [sum(1 for row in rows if row["module"] == n and row["submitted"]) for n in numbers]
    passed = [sum(1 for row in rows if row["module"] == n and row["passed"]) for n in numbers]
    figure, axis = plt.subplots(figsize=(6, 3))
    positions = range(len(numbers))
    axis.bar([p - 0.2 for p in positions], submitted, width=0.4, label="submitted", color="#4477aa")
    axis.bar([p + 0.2 for p in positions], passed, width=0.4, label="passed", color="#228833")
    axis.set_xticks(list(positions), [f"Module {n}" for n in numbers])
    axis.set_ylabel("learners")
    axis.set_title(f"Completion by module ({len(learners)} learners)")
    axis.legend()
    completion = _png(figure)
    plt.close(figure)
    parts = []
    for module in progress.outline:
        scores = progress.scores(module.assignment)
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
        axis.set_xlabel("mean score, % of the part's points")
        axis.set_title(f"{module.assignment}: score per part ({len(scores)} learners)")
        axis.invert_yaxis()
        parts.append({"assignment": module.assignment, "png": _png(figure),
                      "table": [{"part": label, "share": round(share, 1)} for label, share in zip(labels, shares)]})
        plt.close(figure)
    return {"hidden": "", "completion": completion, "completion_table": list(zip(numbers, submitted, passed)),
            "parts": parts}
