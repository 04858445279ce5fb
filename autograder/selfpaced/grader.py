"""The grading side of the loop: it watches the courses' exchange inboxes, admits each new submission
(token bucket, instructor's switch), grades what is queued with ``autograder grade`` in its sandbox,
and releases each learner's feedback to that learner alone. Nobody runs a command.

Nothing is lost or graded twice when the service stops at any moment:

* a submission is first written to the store (state ``queued``), in the same transaction as the
  token it takes; it stays in the exchange, where the instructor's own collection still finds it;
* on start, entries left ``grading`` go back to ``queued``; ``autograder grade`` skips a submission
  whose outcome record already matches its timestamp, so finished work is not run again
  (``gradings`` counts the runs that really executed a notebook);
* a learner's earlier submission still waiting when a newer one arrives is ``superseded`` and its
  token given back (nbgrader grades a learner's latest submission).
"""

from __future__ import annotations

import datetime
import io
import logging
import os
import pwd
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.apps.api import NbGraderAPI, capture_log
from nbgrader.utils import parse_utc, temp_attrs

from autograder.course import Course
from autograder.pipeline import grade as grading
from autograder.pipeline.outcomes import FAILED, OutcomeStore
from autograder.preprocessors.hidden_outputs import ClearHiddenOutputs
from autograder.scores import read_scores
from autograder.selfpaced import store as states
from autograder.selfpaced.per_test import test_results
from autograder.selfpaced.progress import CourseProgress
from autograder.selfpaced.settings import SelfPaced
from autograder.selfpaced.store import Store
from autograder.selfpaced.throttle import Bucket, over_limit_message

log = logging.getLogger("autograder.selfpaced")

OFF_MESSAGE = ("Instant feedback is switched off for this exercise: your instructor collects and grades it, then "
               "returns your feedback.")
SUPERSEDED_MESSAGE = "A newer submission of yours replaced this one before it was graded. It cost you nothing."
UNGRADABLE_MESSAGE = ("Your notebook could not be graded ({reason}). This is not counted against you: it cost no "
                      "quick grading. Open the notebook in JupyterLab, save it, and submit it again.")
WAITING_MESSAGE = ("The grader could not run a moment ago; your submission waits in the queue and will be graded "
                   "as soon as it can. You do not need to submit again.")
REFUSED_MESSAGE = "This entry of the exchange is not the named learner's own work; it was left for the instructor."


@dataclass(frozen=True)
class Inbound:
    """One entry of a course's exchange inbox: ``<student>+<assignment>+<timestamp>+<random>``."""

    course: str
    entry: str
    student: str
    assignment: str
    timestamp: datetime.datetime
    path: Path

    @classmethod
    def parse(cls, course: str, path: Path) -> "Inbound | None":
        parts = path.name.rsplit("+", 3)
        if len(parts) < 3 or not path.is_dir():
            return None
        try:
            timestamp = parse_utc(parts[2])
        except (ValueError, OverflowError):
            return None
        return cls(course, path.name, parts[0], parts[1], timestamp, path)


class LoopGrader:
    """Admit and grade the self-paced submissions of every course of a hub."""

    def __init__(self, store: Store, courses: dict[str, Course], jobs: int = 2, sandbox: bool = True) -> None:
        self.store = store
        self.courses = courses
        self.jobs = jobs
        self.sandbox = sandbox
        self.settings = {course_id: SelfPaced(config=course.config) for course_id, course in courses.items()}
        self.inboxes = {course_id: inbox_of(course) for course_id, course in courses.items()}
        self.seen: set[str] = set()  # entries already in the store: each poll looks only at new names

    # --- watching the inboxes ---------------------------------------------------------------------
    def new_entries(self, course_id: str) -> list[Inbound]:
        """The entries of the course's inbox that the store does not hold yet."""
        folder = self.inboxes[course_id]
        try:
            names = [name for name in sorted(os.listdir(folder)) if not name.startswith(".") and name not in self.seen]
        except FileNotFoundError:
            return []
        if names:
            self.seen |= self.store.known(names)
        found = [Inbound.parse(course_id, folder / name) for name in names if name not in self.seen]
        return [item for item in found if item is not None]

    def admit_new(self) -> int:
        """Record every submission not seen before; return how many."""
        admitted = 0
        for course_id in self.courses:
            for item in self.new_entries(course_id):
                self.admit(item)
                self.seen.add(item.entry)
                admitted += 1
        return admitted

    def admit(self, item: Inbound) -> None:
        """Queue ``item``, or say why it waits for the instructor or for a token (one transaction)."""
        course = self.courses[item.course]
        settings = self.settings[item.course]
        submitted_at = item.timestamp.isoformat()
        refusal = self.refusal(course, item)
        if refusal:
            log.warning("Left %s for the instructor: %s", item.entry, refusal)
            with self.store.connect() as connection:
                self.store.add(connection, item.course, item.student, item.assignment, item.entry, submitted_at,
                               "refused", REFUSED_MESSAGE)
            return
        passed = CourseProgress(course, self.store, settings).has_passed(item.student, item.assignment)
        capacity, refill_minutes = settings.bucket(item.assignment)
        refill = refill_minutes * 60
        now = time.time()
        with self.store.connect() as connection:
            if not self.store.instant_feedback(item.course, item.assignment, connection):
                self.store.add(connection, item.course, item.student, item.assignment, item.entry, submitted_at,
                               states.OFF, OFF_MESSAGE)
                return
            if passed:  # never throttled once passed
                self.store.add(connection, item.course, item.student, item.assignment, item.entry, submitted_at,
                               states.QUEUED)
                return
            saved = self.store.bucket(connection, item.course, item.student, item.assignment)
            bucket = Bucket(*saved) if saved else Bucket.full(capacity, now)
            taken, bucket = bucket.take(capacity, refill, now)
            self.store.save_bucket(connection, item.course, item.student, item.assignment, bucket.tokens, bucket.at)
            if taken:
                self.store.add(connection, item.course, item.student, item.assignment, item.entry, submitted_at,
                               states.QUEUED, took_token=True)
            else:
                message = over_limit_message(capacity, refill_minutes, bucket.wait(capacity, refill, now))
                self.store.add(connection, item.course, item.student, item.assignment, item.entry, submitted_at,
                               states.THROTTLED, message)

    @staticmethod
    def refusal(course: Course, item: Inbound) -> str | None:
        """Why ``item`` is not its named learner's own submission (the collection's own check), or None."""
        if item.assignment not in course.assignment_names():
            return f"there is no assignment {item.assignment} in the course"
        from nbgrader.exchange import ExchangeFactory

        collect = ExchangeFactory(config=course.config).collect
        if not hasattr(collect, "forgery"):  # nbgrader's own collection, which checks nothing
            return None
        checker = collect(config=course.config, coursedir=course.coursedir)
        return checker.forgery(str(item.path), item.student) if checker.check_owner else None

    def give_back_token(self, entry: states.Entry) -> None:
        if not entry.took_token:
            return
        capacity, refill_minutes = self.settings[entry.course].bucket(entry.assignment)
        with self.store.connect() as connection:
            saved = self.store.bucket(connection, entry.course, entry.student, entry.assignment)
            if saved:
                bucket = Bucket(*saved).give_back(capacity, refill_minutes * 60, time.time())
                self.store.save_bucket(connection, entry.course, entry.student, entry.assignment, bucket.tokens, bucket.at)

    # --- grading ------------------------------------------------------------------------------------
    def grade_waiting(self) -> int:
        """Grade every queued submission, one batch per course and assignment; return how many were recorded."""
        queued = self.store.entries(states.QUEUED)
        batches: dict[tuple[str, str], list[states.Entry]] = {}
        for entry in queued:
            batches.setdefault((entry.course, entry.assignment), []).append(entry)
        done = 0
        for (course_id, assignment), entries in batches.items():
            done += self.grade_batch(self.courses[course_id], assignment, entries)
        return done

    def grade_batch(self, course: Course, assignment: str, entries: list[states.Entry]) -> int:
        latest: dict[str, states.Entry] = {}
        for entry in entries:  # in submission order: the last one of each learner wins
            earlier = latest.get(entry.student)
            if earlier is not None:
                self.store.record(earlier.entry, states.SUPERSEDED, SUPERSEDED_MESSAGE, None, None, [], False)
                self.give_back_token(earlier)
            latest[entry.student] = entry
        self.store.set_state([entry.entry for entry in latest.values()], states.GRADING)
        started = time.monotonic()
        api = NbGraderAPI(coursedir=course.coursedir, config=course.config)
        try:
            # As the course's owner, like the formgrader's own collection: the instructor can collect again.
            as_course_owner(course, lambda: collect(api, assignment, list(latest)))
            collected = time.monotonic()
            run = grading.grade(course, assignment, list(latest), jobs=self.jobs, progress=io.StringIO(),
                                sandbox=self.sandbox)
        except Exception:  # the grader cannot run now (its sandbox, the gradebook): the entries wait
            self.store.set_state([entry.entry for entry in latest.values()], states.QUEUED, WAITING_MESSAGE)
            raise
        graded = time.monotonic()
        graded_now = {outcome.student for outcome in run.outcomes}
        outcomes = OutcomeStore.of_course(course, assignment)
        scores = {scores.student: scores for scores in read_scores(course.db_url, course.course_id, assignment)}
        explainer = ClearHiddenOutputs(config=course.config)
        for student, entry in latest.items():
            self.record(course, api, entry, outcomes.load(student), scores.get(student), explainer,
                        student in graded_now)
        log.info("%s: %d submission(s) of %s in %.1f s (collect %.1f s, grade %.1f s, feedback %.1f s).",
                 course.course_id, len(latest), assignment, time.monotonic() - started, collected - started,
                 graded - collected, time.monotonic() - graded)
        return len(latest)

    def record(self, course, api, entry, outcome, scores, explainer, graded_now: bool) -> None:
        """Record one entry's result and release its feedback to its learner."""
        if outcome is None or outcome.submitted_at is None or \
                parse_utc(outcome.submitted_at) != parse_utc(entry.submitted_at):
            reason = "its files did not reach the grader"
            self.store.record(entry.entry, states.UNGRADABLE, UNGRADABLE_MESSAGE.format(reason=reason), None, None, [],
                              False)
            self.give_back_token(entry)
            return
        if outcome.status == FAILED:
            self.store.record(entry.entry, states.UNGRADABLE, UNGRADABLE_MESSAGE.format(reason=learner_reason(outcome.reason)),
                              None, None, [], False)
            self.give_back_token(entry)
            return
        by_part = scores.by_part() if scores else {}
        tests = []
        folder = course.folder("autograded", entry.student, entry.assignment)
        for name in course.assignment_notebooks(entry.assignment):
            notebook = nbformat.read(folder / f"{name}.ipynb", as_version=4)
            tests += [result.as_dict() for result in test_results(notebook, by_part, explainer)]
        score = sum(test["score"] for test in tests)
        max_score = sum(test["max_score"] for test in tests)
        message = ("Held for your instructor's review: your code may change how the tests run, so its automatic "
                   "points count as 0 until they have looked at it." if outcome.flags else "")
        if not as_course_owner(course, lambda: release_feedback(api, entry.assignment, entry.student)):
            log.error("Could not release %s's feedback of %s into the exchange (see above); their feedback page "
                      "has it.", entry.student, entry.assignment)
        self.store.record(entry.entry, states.GRADED, message, score, max_score, tests, graded_now)


def inbox_of(course: Course) -> Path:
    """The course's exchange inbox, ``<Exchange.root>/<course>/inbound``, as nbgrader's collection reads it."""
    from nbgrader.exchange.default.exchange import Exchange

    return Path(Exchange(config=course.config).root) / course.course_id / "inbound"


def collect(api: NbGraderAPI, assignment: str, students: list[str]) -> bool:
    """nbgrader's collection (the course's own class: it refuses forgeries) of each learner's latest
    submission, replacing an older one already collected. Return whether every collection worked."""
    worked = True
    for student in students:
        with temp_attrs(api.coursedir, assignment_id=assignment, student_id=student):
            collector = api.exchange.Collect(coursedir=api.coursedir, authenticator=api.authenticator, parent=api)
            collector.update = True
            result = capture_log(collector)
        if not result.get("success", True):
            worked = False
            log.error("Collecting %s's %s failed: %s", student, assignment, result.get("error") or result.get("log"))
    return worked


def release_feedback(api: NbGraderAPI, assignment: str, student: str) -> bool:
    """nbgrader's release of one learner's feedback into the exchange (under its secret name)."""
    with temp_attrs(api.coursedir, assignment_id=assignment, student_id=student):
        released = api.release_feedback(assignment, student)
    if not released.get("success", True):
        log.error("Releasing %s's feedback failed: %s", student, released.get("error"))
    return bool(released.get("success", True))


def as_course_owner(course: Course, work) -> bool:
    """Run ``work()`` with the rights of the course's owner (its grader account on a hub), in a child
    process when this one is root: the exchange's feedback folder accepts only that account's
    releases. Return whether it succeeded."""
    owner = course.root.stat()
    if os.geteuid() != 0 or owner.st_uid == 0:
        return bool(work())
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's result is its exit status
        code = 1
        try:
            os.initgroups(pwd.getpwuid(owner.st_uid).pw_name, owner.st_gid)
            os.setgid(owner.st_gid)
            os.setuid(owner.st_uid)
            code = 0 if work() else 1
        except BaseException:
            log.exception("Working as the course's owner failed.")
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status) == 0


def learner_reason(reason: str) -> str:
    """The instructor's reason of a failed grading, without advice meant for the instructor."""
    return reason.split(":")[0] if reason else "an unexpected error"
