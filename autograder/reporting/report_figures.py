"""The plots of ``autograder report``: each a PNG file next to the page, named by what it shows."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

#: How many of the most failed tests, and of their most frequent messages, the report lists.
TOP_TESTS = 10
TOP_MESSAGES = 3
FIGURE_SIZE = (7.0, 3.2)  # inches
COLOUR = "#1f5f8b"


def save(figure: Figure, folder: Path, name: str) -> str:
    """Write ``figure`` as the PNG file ``folder/name``; return ``name``."""
    figure.tight_layout()
    figure.savefig(folder / name, dpi=110)
    return name


def score_distribution(totals, folder: Path) -> str:
    """A histogram of the learners' total scores (points, after late penalties)."""
    figure = Figure(figsize=FIGURE_SIZE)
    axes = figure.add_subplot()
    scores = [total.total for total in totals]
    maximum = max((total.max_score for total in totals), default=1) or 1
    axes.hist(scores, bins=min(20, max(5, int(maximum))), range=(0, maximum), color=COLOUR, edgecolor="white")
    axes.set_xlabel(f"total score (points out of {maximum:g})")
    axes.set_ylabel("learners")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title("Distribution of total scores")
    return save(figure, folder, "score-distribution.png")


def score_per_part(parts, folder: Path) -> tuple[str, list[tuple[str, float, float, int]]]:
    """Bars of the average score of each part, as a share of its points; and the rows
    (part, average points, points, submissions awaiting manual grading)."""
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
    """Bars of the tests failed most often; and the rows (test, submissions, [(message, times)]).
    No image (None) when no test failed."""
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
    """A histogram of the seconds spent grading each submission (None: none recorded)."""
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
