"""``autograder report``: an HTML page of plots about an assignment, for instructors.

``DIR/index.html`` shows, each as a plot with the numbers beside it: the distribution of total
scores, the average score of each part, the tests failed most often with the messages learners
read, and the time spent grading. The images are PNG files next to the page, so the folder can be
copied or served as it is, without internet access.
"""

from __future__ import annotations

import html
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .course import Course
from .export import gradebook_scores
from .grade import outcome_store
from .outcomes import FAILED, GRADED, MANUAL
from .progress import duration

#: How many of the most failed tests, and of their most frequent messages, the report lists.
TOP_TESTS = 10
TOP_MESSAGES = 3
FIGURE_SIZE = (7.0, 3.2)  # inches
COLOUR = "#1f5f8b"


def save(figure: Figure, folder: Path, name: str) -> str:
    figure.tight_layout()
    figure.savefig(folder / name, dpi=110)
    return name


def score_distribution(totals, folder: Path) -> str:
    figure = Figure(figsize=FIGURE_SIZE)
    axes = figure.add_subplot()
    scores = [total.score - total.late_penalty for total in totals]
    maximum = max((total.max_score for total in totals), default=1) or 1
    axes.hist(scores, bins=min(20, max(5, int(maximum))), range=(0, maximum), color=COLOUR, edgecolor="white")
    axes.set_xlabel(f"total score (points out of {maximum:g})")
    axes.set_ylabel("learners")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title("Distribution of total scores")
    return save(figure, folder, "score-distribution.png")


def score_per_part(parts, folder: Path) -> tuple[str, list[tuple[str, float, float, int]]]:
    by_part: dict[str, list] = defaultdict(list)
    order: list[str] = []
    for part in parts:
        if part.part not in by_part:
            order.append(part.part)
        by_part[part.part].append(part)
    rows = []
    for name in order:
        scored = [p for p in by_part[name] if not p.needs_manual_grade and p.score is not None]
        mean = statistics.fmean(p.score for p in scored) if scored else 0.0
        rows.append((name, mean, by_part[name][0].max_score, len(by_part[name]) - len(scored)))
    figure = Figure(figsize=(FIGURE_SIZE[0], 0.9 + 0.35 * max(1, len(rows))))
    axes = figure.add_subplot()
    shares = [100 * mean / maximum if maximum else 0 for _, mean, maximum, _ in rows]
    axes.barh([name for name, *_ in rows][::-1], shares[::-1], color=COLOUR)
    axes.set_xlim(0, 100)
    axes.set_xlabel("average score, % of the part's points (parts awaiting a person left out)")
    axes.set_title("Score per part")
    return save(figure, folder, "score-per-part.png"), rows


def failed_tests(outcomes, folder: Path) -> tuple[str | None, list[tuple[str, int, list[tuple[str, int]]]]]:
    counts: Counter = Counter()
    messages: dict[str, Counter] = defaultdict(Counter)
    for outcome in outcomes:
        for failure in outcome.failures:
            counts[failure.part] += 1
            messages[failure.part][f"{failure.error}: {failure.message}" if failure.message else failure.error] += 1
    top = counts.most_common(TOP_TESTS)
    rows = [(part, count, messages[part].most_common(TOP_MESSAGES)) for part, count in top]
    if not rows:
        return None, rows
    figure = Figure(figsize=(FIGURE_SIZE[0], 0.9 + 0.35 * len(rows)))
    axes = figure.add_subplot()
    axes.barh([part for part, _, _ in rows][::-1], [count for _, count, _ in rows][::-1], color="#b5483b")
    axes.set_xlabel("submissions in which the test failed")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title("Tests failed most often")
    return save(figure, folder, "failed-tests.png"), rows


def grading_time(outcomes, folder: Path) -> str | None:
    seconds = [outcome.seconds for outcome in outcomes if outcome.seconds]
    if not seconds:
        return None
    figure = Figure(figsize=FIGURE_SIZE)
    axes = figure.add_subplot()
    axes.hist(seconds, bins=20, color=COLOUR, edgecolor="white")
    axes.set_xlabel("seconds spent grading one submission")
    axes.set_ylabel("submissions")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title("Time spent grading")
    return save(figure, folder, "grading-time.png")


def image(name: str | None, description: str) -> str:
    if name is None:
        return f"<p>{html.escape(description)}</p>"
    return f'<img src="{name}" alt="{html.escape(description)}">'


def report(course: Course, assignment: str, folder: Path) -> Path:
    """Write the report into ``folder``; return the path of its page."""
    parts, totals = gradebook_scores(course, assignment)
    outcomes = outcome_store(course, assignment).all()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    e = html.escape

    status = Counter(outcome.status for outcome in outcomes)
    scores = [total.score - total.late_penalty for total in totals]
    maximum = max((total.max_score for total in totals), default=0)
    mean = f"{statistics.fmean(scores):.1f}" if scores else "–"
    median = f"{statistics.median(scores):g}" if scores else "–"
    seconds = [outcome.seconds for outcome in outcomes]

    distribution = score_distribution(totals, folder) if totals else None
    per_part, part_rows = score_per_part(parts, folder) if parts else (None, [])
    failed, failed_rows = failed_tests(outcomes, folder)
    timing = grading_time(outcomes, folder)

    part_table = "".join(
        f"<tr><td>{e(name)}</td><td>{average:.2f}</td><td>{points:g}</td><td>{waiting}</td></tr>"
        for name, average, points, waiting in part_rows
    )
    failed_table = "".join(
        f"<tr><td>{e(part)}</td><td>{count}</td><td><ul>"
        + "".join(f"<li>{e(message)} <span class=count>({times})</span></li>" for message, times in messages)
        + "</ul></td></tr>"
        for part, count, messages in failed_rows
    )
    failures = [outcome for outcome in outcomes if outcome.status == FAILED]
    failure_table = "".join(f"<tr><td>{e(o.student)}</td><td>{e(' '.join([o.reason, *o.events]))}</td></tr>"
                            for o in failures)
    noticed = [outcome for outcome in outcomes if outcome.status != FAILED and outcome.what_happened()]
    noticed_table = "".join(f"<tr><td>{e(o.student)}</td><td>{'<strong>Held for review.</strong> ' if o.flags else ''}"
                            f"{e(o.what_happened())}</td></tr>" for o in noticed)
    held = sum(1 for outcome in outcomes if outcome.flags)

    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Results of {e(assignment)}</title>
<style>
body {{ font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
img {{ max-width: 100%; }}
table {{ border-collapse: collapse; margin: 1rem 0; }}
th, td {{ border: 1px solid #bbb; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }}
.count {{ color: #555; }}
.numbers td:last-child {{ text-align: right; }}
</style>
</head>
<body>
<h1>Results of {e(assignment)}</h1>
<table class="numbers">
<tr><th scope="row">Submissions in the gradebook</th><td>{len(totals)}</td></tr>
<tr><th scope="row">Graded by the autograder</th><td>{status.get(GRADED, 0)}</td></tr>
<tr><th scope="row">Waiting for manual grading</th><td>{status.get(MANUAL, 0)}</td></tr>
<tr><th scope="row">Could not be graded</th><td>{status.get(FAILED, 0)}</td></tr>
<tr><th scope="row">Held for review (code that may change how the tests run)</th><td>{held}</td></tr>
<tr><th scope="row">Mean total score</th><td>{mean} / {maximum:g}</td></tr>
<tr><th scope="row">Median total score</th><td>{median} / {maximum:g}</td></tr>
<tr><th scope="row">Time spent grading (all submissions, one after the other)</th><td>{duration(sum(seconds))}</td></tr>
</table>

<h2>Score distribution</h2>
{image(distribution, f"Histogram of the total scores of {len(totals)} learners, out of {maximum:g} points.")}

<h2>Score per part</h2>
{image(per_part, "Average score of each part, as a percentage of its points.")}
<table>
<tr><th scope="col">Part</th><th scope="col">Average points</th><th scope="col">Points</th><th scope="col">Awaiting manual grading</th></tr>
{part_table}
</table>

<h2>Tests failed most often</h2>
{image(failed, "No test failed.") if failed is None else image(failed, "Number of submissions in which each test failed, most failed first.")}
<table>
<tr><th scope="col">Test</th><th scope="col">Failed in</th><th scope="col">Most frequent messages (times)</th></tr>
{failed_table}
</table>

<h2>Time spent grading</h2>
{image(timing, "No grading time recorded.") if timing is None else image(timing, "Histogram of the seconds spent grading each submission.")}

<h2>What the grader noticed</h2>
<p>Restored test cells, stopped kernels, cut output, files left out, and code held for review: its
automatic parts score 0 and wait in the formgrader until you give the points back by hand.</p>
{"<p>Nothing.</p>" if not noticed else f'<table><tr><th scope="col">Learner</th><th scope="col">What happened</th></tr>{noticed_table}</table>'}

<h2>Submissions that could not be graded</h2>
{"<p>None.</p>" if not failures else f'<table><tr><th scope="col">Learner</th><th scope="col">Why</th></tr>{failure_table}</table>'}
</body>
</html>
"""
    index = folder / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
