"""The grading service of the self-paced loop (root, no web address): see :mod:`autograder.selfpaced.service`.

    python -m autograder.selfpaced.service.grading --course PATH [--course PATH ...] [--hub-url URL] [--jobs N]

Each course folder holds the course's ``book/_toc.yml`` and ``book/syllabus.md`` (the set-up copies
them there), which give its modules (:mod:`autograder.selfpaced.outline`).

Stopping it (SIGTERM, SIGINT) at any moment loses nothing: what it was grading goes back to the
queue at the next start (:mod:`autograder.selfpaced.grader`). JupyterHub starts it again if it exits.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from course_hub.groups import progress_service

from autograder.course import Course, CourseError
from autograder.selfpaced.certify import issue_requested
from autograder.selfpaced.grader import LoopGrader
from autograder.selfpaced.outline import read_outline
from autograder.selfpaced.progress import CourseProgress
from autograder.selfpaced.settings import SelfPaced
from autograder.selfpaced.store import store_of

log = logging.getLogger("autograder.selfpaced")


class GradingService:
    """The loop over every course: admit, grade, issue certificates; until stopped."""

    def __init__(self, courses: list[Course], hub_url: str, jobs: int = 2) -> None:
        self.courses = {course.course_id: course for course in courses}
        self.stores = {course_id: store_of(course) for course_id, course in self.courses.items()}
        self.graders = {course_id: LoopGrader(self.stores[course_id], {course_id: course}, jobs=jobs)
                        for course_id, course in self.courses.items()}
        self.outlines = {course_id: read_outline(course.root) for course_id, course in self.courses.items()}
        self.hub_url = hub_url.rstrip("/")
        self.stop = threading.Event()

    def round(self) -> int:
        """One pass over every course; the number of submissions and certificates dealt with."""
        done = 0
        for course_id, grader in self.graders.items():
            grader.admit_new()
            done += grader.grade_waiting()
            course = self.courses[course_id]
            progress = CourseProgress(course, self.stores[course_id], SelfPaced(config=course.config),
                                      self.outlines[course_id])
            done += issue_requested(progress, f"{self.hub_url}/services/{progress_service(course_id)}/verify")
        return done

    def run(self, interval: float = 0.5) -> None:
        for course_id, store in self.stores.items():
            requeued = store.requeue_interrupted()
            if requeued:
                log.info("%s: %d submission(s) back in the queue after a stop.", course_id, requeued)
        while not self.stop.is_set():
            try:
                if not self.round():
                    self.stop.wait(interval)
            except KeyboardInterrupt:
                raise
            except Exception:  # one bad round must not stop the service: log it, wait, go on
                log.exception("A round of the grading service failed; trying again.")
                self.stop.wait(max(interval, 2.0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.selfpaced.service.grading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course", metavar="PATH", action="append", required=True,
                        help="a course folder (with nbgrader_config.py); repeat for each course of the hub")
    parser.add_argument("--hub-url", default="http://127.0.0.1:8000", help="the hub's public address, for "
                        "the verification address printed on certificates")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks graded at once (default 2)")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s %(asctime)s self-paced grading] %(message)s")
    try:
        courses = [Course.open(path) for path in arguments.course]
    except CourseError as error:
        print(f"self-paced grading: {error}", file=sys.stderr)
        return 2
    service = GradingService(courses, arguments.hub_url, arguments.jobs)

    def interrupt(number, frame):  # a stop in the middle of grading: what was graded is kept
        service.stop.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    log.info("Watching %s.", ", ".join(service.courses))
    try:
        service.run()
    except KeyboardInterrupt:
        log.info("Stopped; unfinished submissions go back to the queue at the next start.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
