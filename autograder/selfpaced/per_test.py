"""Feedback per test, for the learner's own page: a stable name, the part's title, points earned out of
points possible, and the course's message when a check failed. Never a test's source or a traceback.

The message is the one the feedback notebook shows (:class:`ClearHiddenOutputs`): a text the course
wrote, found in the test's source, with values computed by the learner's code shown as "…". A test
cell whose metadata has ``"autograder": {"feedback": "score only"}`` shows its points and nothing else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from autograder.messages import _, notebook_language, speaking
from autograder.preprocessors.hidden_outputs import CHECK_FAILED, ClearHiddenOutputs, is_test_cell
from autograder.selfpaced.rubric import part_titles

SCORE_ONLY = "score only"


@dataclass(frozen=True)
class TestResult:
    """One test of a submission as its learner sees it (points)."""

    name: str  # the test cell's grade_id: stable across submissions
    title: str  # the heading of the part it checks, e.g. "Part 1: gross savings (2 points)"
    score: float
    max_score: float
    message: str  # the course's message when it did not pass; "" when it passed or is score-only
    score_only: bool = False

    @property
    def passed(self) -> bool:
        return self.score >= self.max_score - 1e-9

    def as_dict(self) -> dict:
        return {**asdict(self), "passed": self.passed}


def score_only(cell) -> bool:
    return cell.get("metadata", {}).get("autograder", {}).get("feedback") == SCORE_ONLY


def test_results(notebook, scores: dict[str, float | None], explainer: ClearHiddenOutputs) -> list[TestResult]:
    """The tests of one graded notebook (outputs kept, as in ``autograded/``), in order.

    ``scores`` are the gradebook's points per grade_id; ``explainer`` gives the course's message
    (built with the course's configuration, for the limits its fixed messages quote).
    """
    with speaking(notebook_language(notebook)):
        return _results(notebook, scores, explainer)


def _results(notebook, scores: dict[str, float | None], explainer: ClearHiddenOutputs) -> list[TestResult]:
    results, titles = [], part_titles(notebook)
    for cell in notebook.cells:
        if not is_test_cell(cell):
            continue
        info = cell.metadata["nbgrader"]
        points = float(info.get("points") or 0)
        score = scores.get(info["grade_id"])
        error = next((output for output in cell.get("outputs", []) if output.get("output_type") == "error"), None)
        if score is None:
            score = 0.0 if error is not None else points
        hidden = score_only(cell)
        message = ""
        if not hidden and float(score) < points:
            message = explainer.explain(error, cell.source) if error is not None else _(CHECK_FAILED)
        results.append(TestResult(info["grade_id"], titles[info["grade_id"]], float(score), points, message, hidden))
    return results
