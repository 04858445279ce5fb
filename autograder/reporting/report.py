"""``autograder report``: an HTML page of plots about an assignment, for instructors.

``DIR/index.html`` shows, each as a plot with the numbers beside it: the distribution of total
scores, the average score of each part, the tests failed most often with the messages learners
read, and the time spent grading. The images are PNG files next to the page
(:mod:`autograder.reporting.report_figures`), so the folder can be copied or served as it is,
without internet access. The page is the Jinja2 template ``templates/report.html.j2``, which
escapes every value it shows.
"""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import jinja2

from autograder.course import Course
from autograder.pipeline.outcomes import FAILED, GRADED, MANUAL, OutcomeStore
from autograder.reporting.export import gradebook_scores
from autograder.reporting.progress import duration
from autograder.reporting.report_figures import failed_tests, grading_time, score_distribution, score_per_part

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("autograder.reporting", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


def report(course: Course, assignment: str, folder: Path) -> Path:
    """Write the report into ``folder``; return the path of its page."""
    learners = gradebook_scores(course, assignment)
    outcomes = OutcomeStore.of_course(course, assignment).all()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    parts = [part for learner in learners for part in learner.parts]
    status = Counter(outcome.status for outcome in outcomes)
    totals = [learner.total for learner in learners]
    per_part, part_rows = score_per_part(parts, folder) if parts else (None, [])
    failed, failed_rows = failed_tests(outcomes, folder)
    page = TEMPLATES.get_template("report.html.j2").render(
        assignment=assignment,
        learners=len(learners),
        graded=status.get(GRADED, 0),
        manual=status.get(MANUAL, 0),
        failed_count=status.get(FAILED, 0),
        held=sum(1 for outcome in outcomes if outcome.flags),
        mean=f"{statistics.fmean(totals):.1f}" if totals else "–",
        median=f"{statistics.median(totals):g}" if totals else "–",
        maximum=f"{max((learner.max_score for learner in learners), default=0):g}",
        grading_time=duration(sum(outcome.seconds for outcome in outcomes)),
        distribution=score_distribution(learners, folder) if learners else None,
        per_part=per_part,
        part_rows=part_rows,
        failed=failed,
        failed_rows=failed_rows,
        timing=grading_time(outcomes, folder),
        noticed=[outcome for outcome in outcomes if outcome.status != FAILED and outcome.what_happened()],
        failures=[outcome for outcome in outcomes if outcome.status == FAILED],
    )
    index = folder / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
