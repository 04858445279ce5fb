"""The nbgrader exercise ``budgeting_01``, run through the real nbgrader from release to feedback.

The whole pipeline runs once per test module, in a temporary copy of the course's ``exercises/``
folder (the nbgrader course root): ``generate_assignment``, then one ``autograde`` of a few
prepared submissions, then ``generate_feedback``. The tests then read the released notebook, the
gradebook and the feedback pages.

Submissions, all placed directly in ``submitted/<student>/budgeting_01/``:

* ``instructor``: the source notebook as it is (solutions and hidden tests included);
* ``unchanged``: the released notebook, handed in without a line written;
* realistic mistakes: the released notebook filled in with the instructor's answers, except for
  one answer replaced by a plausible wrong one (see ``WRONG_SUBMISSIONS``). Each weakness the
  expert review of issue 11 found has its own: a golden rule that leaves out one condition, the
  lessons' printed figures typed into Parts 6a and 6b, a policy that breaks a constraint, a policy
  that pushes a lever past the bounds the instructions set;
* a policy other than the instructor's that meets every requirement (full points), a
  "transcription" (formulas copied from the instructions, printed figures typed in, no written
  answer), which must stay below the pass mark (``PASS_SHARE`` and ``WRITTEN_MINIMUM``), and the
  issue's own case: Parts 1 to 5 right, a policy found by trial and error that passes, printed
  figures typed in and no written answer, which reaches the share of points but must not pass for
  lack of a written answer.

nbgrader runs the ``alembic`` executable, so the virtual environment's ``bin/`` folder is put on
``PATH``; the notebook imports ``modules.common.data`` and ``modules.budgeting.model``, so the
repository root is put on ``PYTHONPATH`` of the grading kernel (both come from the
``tool_environment`` fixture of ``tests/conftest.py``). What counts as secret (solutions, hidden
tests) is defined once for the whole course, in ``autograder.secrets``.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import nbformat
import pytest

from tests.exercise_pipeline import (
    PASS_SHARE,
    WRITTEN_MINIMUM,
    Exercise,
    StandardExerciseChecks,
    exercise_fixtures,
    passes,
    check_verdicts,
    HIDDEN_MARKERS,
    SOLUTION_MARKERS,
    UNANSWERED,
    Pipeline,
    describe,
    failure_report,
    html_text,
    nbgrader_flags,
    normalise,
    plain,
    points_table,
    without_solution_markers,
)
from autograder.secrets import leaks_in_text, secrets_of_notebook
from modules.budgeting import model

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT = "budgeting_01"
NOTEBOOK = "budgeting_01"


SOURCE_NOTEBOOK = REPO / "exercises" / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
SITE_PAGE = REPO / "book" / "budgeting" / "exercise-01.md"
SYLLABUS = REPO / "book" / "syllabus.md"
INSTRUCTOR_GUIDE = REPO / "book" / "instructor-guide.md"
INTRO = REPO / "book" / "intro.md"
HOW_TO_FOLLOW = REPO / "book" / "how-to-follow.md"


#: Points of each automatically graded test cell (grade_id -> points), as announced to learners.
AUTOGRADED_POINTS = {
    "test_gross_savings": 2,
    "test_net_savings": 1,
    "test_debt_capacity": 2,
    "test_golden_rule": 3,
    "test_greedy": 3,
    "test_real_expenses": 2,
    "test_savings_from_tables": 3,
    "test_policy": 4,
}
#: Points of the answers graded by a person.
MANUAL_POINTS = {"advice": 5}
MAX_POINTS = sum(AUTOGRADED_POINTS.values()) + sum(MANUAL_POINTS.values())


#: Time for a newcomer, in minutes: the page's front matter and both introductions say it.
EXERCISE_MINUTES = 150

#: Answer cells, and solution blocks (Part 6a's cell holds two functions, so two blocks).
SOLUTION_CELLS = 9
SOLUTION_BLOCKS = 10

#: In a submission, an answer left as released (nbgrader's stub).

#: What a learner could hand in for Parts 6a and 6b by typing in the figures the lessons print.
COPIED_LANESTER_FIGURES = {
    "real_expenses": (
        "def real_operating_expenses(dep_fonct):\n"
        "    return 23_978_372\n"
        "\n"
        "\n"
        "def staff_share(dep_fonct):\n"
        "    return 14_019_027 / 23_978_372\n"
    ),
    "savings_from_tables": (
        "def savings_from_tables(rec_fonct, dep_fonct, dep_invest):\n"
        "    return 4_274_923, 966_923\n"
    ),
}

#: A submission: the answers it replaces (solution grade_id -> cell source, or UNANSWERED), and the
#: test cells it should fail. Every other automatically graded part keeps its full points.
WRONG_SUBMISSIONS = {
    # Interest left out of the gross savings: Part 1 fails, and so does Part 6b, which reuses the
    # function on the Lanester figures (5 934 923 € instead of 4 274 923 €).
    "forgot_interest": (
        {
            "gross_savings": (
                "def gross_savings(operating_revenue, management_expenses, interest):\n"
                "    return operating_revenue - management_expenses\n"
            ),
        },
        {"test_gross_savings", "test_savings_from_tables"},
    ),
    # Infinity instead of None when there are no savings: only a hidden test of Part 3 catches it.
    "infinite_capacity": (
        {
            "debt_capacity_years": (
                "def debt_capacity_years(outstanding_debt, gross):\n"
                "    if gross <= 0:\n"
                "        return float('inf')\n"
                "    return outstanding_debt / gross\n"
            ),
        },
        {"test_debt_capacity"},
    ),
    # The golden rule without condition 1 (gross savings >= 0): negative gross savings pass when own
    # investment revenue covers the capital repaid. Only a hidden test catches it.
    "golden_rule_without_condition_1": (
        {
            "golden_rule": (
                "def is_golden_rule_respected(gross, capital_repaid, own_investment_resources=0):\n"
                "    return gross + own_investment_resources >= capital_repaid\n"
            ),
        },
        {"test_golden_rule"},
    ),
    # The golden rule without condition 2 (the capital repaid covered without a loan).
    "golden_rule_without_condition_2": (
        {
            "golden_rule": (
                "def is_golden_rule_respected(gross, capital_repaid, own_investment_resources=0):\n"
                "    return gross >= 0\n"
            ),
        },
        {"test_golden_rule"},
    ),
    # The misreading the review found in the old lesson: negative net savings taken for a breach.
    "golden_rule_on_net_savings": (
        {
            "golden_rule": (
                "def is_golden_rule_respected(gross, capital_repaid, own_investment_resources=0):\n"
                "    return gross >= 0 and gross - capital_repaid >= 0\n"
            ),
        },
        {"test_golden_rule"},
    ),
    # A greedy rule that stops at the first project that does not fit instead of skipping it.
    "greedy_stops": (
        {
            "greedy_allocation": (
                "def greedy_allocation(projects, envelope):\n"
                "    ranked = sorted(projects, key=lambda p: (-p[2], p[1], p[0]))\n"
                "    funded = []\n"
                "    remaining = envelope\n"
                "    for name, cost, votes in ranked:\n"
                "        if cost > remaining:\n"
                "            break\n"
                "        funded.append(name)\n"
                "        remaining -= cost\n"
                "    return funded\n"
            ),
        },
        {"test_greedy"},
    ),
    # Accounting rows (Autofinancement, Dépenses d'ordre) counted as real spending: Part 6a fails,
    # and Part 6b, which reuses the total, finds negative gross savings.
    "kept_accounting_rows": (
        {
            "real_expenses": (
                "def real_operating_expenses(dep_fonct):\n"
                '    return dep_fonct["dep_fonct"].sum()\n'
                "\n"
                "\n"
                "def staff_share(dep_fonct):\n"
                '    staff = dep_fonct.loc[dep_fonct["label"] == "Personnel", "dep_fonct"].sum()\n'
                "    return staff / real_operating_expenses(dep_fonct)\n"
            ),
        },
        {"test_real_expenses", "test_savings_from_tables"},
    ),
    # The lessons' printed figures typed in: right for Lanester, so the visible checks pass, but
    # the hidden tests run the functions on another commune's tables.
    "copied_lanester_figures": (COPIED_LANESTER_FIGURES, {"test_real_expenses", "test_savings_from_tables"}),
    # Longer loans lower the yearly repayments but not the debt: even at the longest duration the
    # instructions allow (25 years), the debt capacity still goes above 12 years from 2028, and the
    # learner is told so, year and constraint.
    "longer_loans_only": (
        {"policy": "my_policy = dataclasses.replace(harder_decade, loan_duration=25)\n"},
        {"test_policy"},
    ),
    # Tax rates raised by 10 % a year: the model's constraints all hold, but the lever is far past
    # the bounds the instructions set (0 to +2 % a year). The visible test names the lever and its range.
    "tax_rates_past_bound": (
        {"policy": "my_policy = dataclasses.replace(harder_decade, tax_rate_change=0.10)\n"},
        {"test_policy"},
    ),
    # A policy that meets every constraint of the model but invests less than the 4 M€ a year the
    # instructions require: only the hidden test catches it.
    "investment_below_minimum": (
        {"policy": "my_policy = dataclasses.replace(harder_decade, investment=2_000_000, tax_rate_change=0.005)\n"},
        {"test_policy"},
    ),
    # Another policy than the instructor's, written in full, that meets every requirement: full points.
    "another_sound_policy": (
        {
            "policy": (
                "my_policy = model.Policy(\n"
                "    tax_rate_change=0.01,\n"
                "    tax_base_growth=0.0221,\n"
                "    staff_cost_growth=0.03,\n"
                "    other_spending_growth=0.012,\n"
                "    other_revenue_growth=0.01,\n"
                "    grant_trend=-0.02,\n"
                "    investment=4_700_000,\n"
                "    borrowing_rate=0.03,\n"
                "    loan_duration=20,\n"
                ")\n"
            ),
        },
        set(),
    ),
    # Transcription: the formulas of Parts 1 to 4 copied from the instructions, the lessons'
    # figures typed into Parts 6a and 6b, the scenario handed back as the policy, no greedy rule
    # and no written answer. It must stay below the pass mark.
    "transcription": (
        {
            "greedy_allocation": UNANSWERED,
            **COPIED_LANESTER_FIGURES,
            "policy": "my_policy = harder_decade\n",
            "advice": UNANSWERED,
        },
        {"test_greedy", "test_real_expenses", "test_savings_from_tables", "test_policy"},
    ),
    # The issue's case: Parts 1 to 5 right, the lessons' figures typed into Parts 6a and 6b, a
    # policy found by trial and error that meets every requirement, and no written answer. It
    # reaches the share of points of the pass mark, and must still not pass.
    "computations_without_advice": (
        {
            **COPIED_LANESTER_FIGURES,
            "policy": "my_policy = dataclasses.replace(harder_decade, tax_rate_change=0.015, loan_duration=20)\n",
            "advice": UNANSWERED,
        },
        {"test_real_expenses", "test_savings_from_tables"},
    ),
}

#: What each submission should read in its feedback. Several come from a failing *hidden* test
#: (``infinite_capacity``, ``forgot_interest``, ``golden_rule_without_condition_1``,
#: ``copied_lanester_figures``, ``investment_below_minimum``), so their feedback is the real test
#: of whether hidden tests stay hidden; the others fail a visible test first, or pass.
LEARNER_MESSAGES = {
    "infinite_capacity": ["With zero gross savings the ratio has no meaning: return None"],
    "forgot_interest": ["Lanester's gross savings are too high by the amount of the interest"],
    "golden_rule_without_condition_1": [
        "Negative gross savings break the golden rule even when own investment revenue covers the capital repaid"
    ],
    "golden_rule_without_condition_2": ["100 000 € of the 900 000 € of capital repaid would be paid with a new loan"],
    "golden_rule_on_net_savings": ["Negative net savings are a warning sign, not a breach"],
    "greedy_stops": ["Your function stopped at the first project that did not fit"],
    "kept_accounting_rows": ["Your real operating expenses include every row of the table"],
    "copied_lanester_figures": [
        "Your function returns Lanester's total whatever table it receives",
        "Your function returns Lanester's savings whatever tables it receives",
    ],
    # The constraint and the year, as model.check_policy reports them.
    "longer_loans_only": ["- 2028, debt capacity: In 2028 the debt would take"],
    # The lever and its allowed range, from the visible test.
    "tax_rates_past_bound": [
        "Your policy moves a lever past the bounds that the instructions set",
        "- tax_rate_change is 0.1; the council's plan allows from 0 to 0.02",
    ],
    "investment_below_minimum": ["below the minimum of 4 M€ a year that the instructions set"],
    "another_sound_policy": ["Part 7: the visible checks pass. Your policy keeps every constraint up to 2030"],
    "transcription": ["Your function returns Lanester's total whatever table it receives"],
    "computations_without_advice": [
        "Your function returns Lanester's total whatever table it receives",
        "Part 7: the visible checks pass. Your policy keeps every constraint up to 2030",
    ],
}

#: The bounds that the instructions of Part 7 set on the levers the council decides, as the
#: table of the instructions states them (lever -> allowed values).
POLICY_BOUNDS = {
    "tax_rate_change": "from 0 to 0.02",
    "other_spending_growth": "from 0 to 0.012, the scenario's value",
    "investment": "from 4 000 000 to 8 000 000",
    "loan_duration": "from 10 to 25",
}


# --------------------------------------------------------------------------- helpers


# --------------------------------------------------------------------------- fixtures


EXERCISE = Exercise("budgeting", 1, AUTOGRADED_POINTS, WRONG_SUBMISSIONS)
source, generated, pipeline = exercise_fixtures(EXERCISE)


class TestTheChecksOfEveryExercise(StandardExerciseChecks):
    exercise = EXERCISE


@pytest.fixture(scope="module")
def secrets():
    """The solution and hidden-test blocks of the instructor notebook, as the course defines them."""
    found = secrets_of_notebook(SOURCE_NOTEBOOK)
    # A leak check means something only if there is something secret to look for: one solution
    # per answer cell (two in Part 6a's) and one hidden block per test cell at least.
    kinds = [secret.kind for secret in found]
    assert kinds.count("solution") == SOLUTION_BLOCKS and kinds.count("hidden test") >= len(AUTOGRADED_POINTS), kinds
    return found


# --------------------------------------------------------------------------- tests


def test_does_the_source_notebook_announce_the_points_of_its_graded_cells(source):
    graded = {
        nbgrader_flags(cell)["grade_id"]: nbgrader_flags(cell)["points"]
        for cell in source.cells
        if nbgrader_flags(cell).get("grade")
    }
    assert graded == {**AUTOGRADED_POINTS, **MANUAL_POINTS}
    table = points_table(source.cells[0].source)
    assert table.pop("Total") == sum(graded.values())
    assert sum(table.values()) == sum(graded.values()), f"the parts table of the introduction: {table}"


def test_does_the_site_page_show_the_same_points_table_as_the_notebook(source):
    page = SITE_PAGE.read_text(encoding="utf-8")
    assert page.startswith(f"---\nassignment: budgeting_01\ntime: {EXERCISE_MINUTES}\n---\n")
    assert points_table(page) == points_table(source.cells[0].source)


@pytest.mark.parametrize(
    "document", ["syllabus", "exercise page", "notebook", "instructor guide", "intro", "how to follow"]
)
def test_does_every_page_state_the_same_pass_rule(source, document):
    text = {
        "syllabus": lambda: SYLLABUS.read_text(encoding="utf-8"),
        "exercise page": lambda: SITE_PAGE.read_text(encoding="utf-8"),
        "notebook": lambda: source.cells[0].source,
        "instructor guide": lambda: INSTRUCTOR_GUIDE.read_text(encoding="utf-8"),
        "intro": lambda: INTRO.read_text(encoding="utf-8"),
        "how to follow": lambda: HOW_TO_FOLLOW.read_text(encoding="utf-8"),
    }[document]()
    written = MANUAL_POINTS["advice"]
    assert f"at least {round(PASS_SHARE * 100)} % of" in plain(text)
    assert f"at least {WRITTEN_MINIMUM} of the {written} points of the written answer" in plain(text)
    if document in ("exercise page", "notebook"):
        assert f"{math.ceil(PASS_SHARE * MAX_POINTS)} of the {MAX_POINTS} points" in plain(text)


def test_does_the_scenario_of_part_7_break_as_its_instructions_say(source):
    """The instructions of Part 7 quote what the model does with the scenario: check those claims."""
    text = plain(next(cell.source for cell in source.cells if nbgrader_flags(cell).get("grade_id") == "part7_instructions"))
    lanester = model.lanester_2019()
    assert model.check_policy(lanester, model.LANESTER_TRENDS, until=2030) == []
    assert "Under those trends Lanester meets every constraint up to 2030" in text

    scenario = dataclasses.replace(model.LANESTER_TRENDS, staff_cost_growth=0.03, grant_trend=-0.02)
    first = {}
    for breach in model.check_policy(lanester, scenario, until=2030):
        first.setdefault(breach.constraint, breach.year)
    assert first == {"golden rule": 2027, "debt capacity": 2028}
    assert "the golden rule breaks from 2027 and the debt capacity goes above 12 years from 2028" in text

    projection = model.project_budget(lanester, scenario, 2030 - 2019)
    assert projection.index[projection["net_savings"] < 0].min() == 2023
    assert "the net savings turn negative in 2023" in text

    dgf = model.lanester_dgf()
    assert f"fell from {dgf[2014] / 1e6:.2f} M€ in 2014 to {dgf[2017] / 1e6:.2f} M€ in 2017" in text

    # Each lever's bounds are in the table of the instructions; the scenario's other spending growth
    # is the upper bound of that lever.
    for lever, allowed in POLICY_BOUNDS.items():
        assert f"| `{lever}` |" in text and allowed in text, lever
    assert math.isclose(scenario.other_spending_growth, 0.012)


def test_does_part_7_say_that_its_verdict_rests_on_an_estimated_debt(source):
    """The check starts from the course's 12-year estimate; with 18 years the same policy can fail."""
    cells = {nbgrader_flags(cell).get("grade_id"): cell.source for cell in source.cells}
    text = plain(cells["part7_instructions"])
    assert "`model.lanester_2019().outstanding_debt`" in text
    assert "the capital repaid in 2019 times 12 years" in text and "18 years of repayments" in text
    assert "the same policy could fail" in text
    # The figure is printed by the scenario cell, not typed into the instructions.
    estimate = model.lanester_2019()
    assert estimate.debt_estimate_years == 12 and "model.lanester_2019(remaining_years=18)" in cells["policy_scenario"]
    assert f"{estimate.outstanding_debt / 1e6:.1f} M€" not in text
    # "Could fail" is true: the instructor's policy passes from the estimate and fails from 18 years.
    scenario = dataclasses.replace(model.LANESTER_TRENDS, staff_cost_growth=0.03, grant_trend=-0.02)
    namespace = {"dataclasses": dataclasses, "model": model, "harder_decade": scenario}
    exec(without_solution_markers(cells["policy"]), namespace)
    assert model.check_policy(estimate, namespace["my_policy"], until=2030) == []
    assert model.check_policy(model.lanester_2019(remaining_years=18), namespace["my_policy"], until=2030) != []
    # 12 years is the council's prudent target here: the notebook calls it the 12-year reference.
    assert "the 12-year reference" in text
    assert not any("ceiling" in cell.source.lower() for cell in source.cells)


def test_does_the_part_8_prompt_ask_for_what_the_rubric_grades(source):
    """The rubric's "Framing" wants the loans' lack of earmarking explained: the prompt asks for it."""
    cells = {nbgrader_flags(cell).get("grade_id"): cell.source for cell in source.cells}
    rubric = plain(cells["part8_rubric"])
    assert "the loan is not tied to the participatory projects" in rubric
    bullets = [normalise(bullet) for bullet in cells["part8_instructions"].split("\n- ")[1:]]
    assert any("not earmarked to projects" in bullet and "way of speaking" in bullet for bullet in bullets)


def test_are_the_figures_of_the_marking_notes_right(source):
    notes = plain(next(cell.source for cell in source.cells if nbgrader_flags(cell).get("grade_id") == "advice"))
    annuity = model.annuity(200_000, 0.03, 15)
    assert math.isclose(annuity, 200_000 * 0.03 / (1 - 1.03**-15))
    assert f"= {round(annuity):,} € a year".replace(",", " ") in notes
    assert f"5 × {round(annuity):,} = {round(5 * annuity):,} €".replace(",", " ") in notes
    assert f"200 000 ÷ 4 274 923 = {200_000 / 4_274_923:.3f} year" in notes

    def still_owed(payments: int) -> float:
        debt = 200_000
        for _ in range(payments):
            debt = debt * 1.03 - annuity
        return debt

    # Five yearly loans, each repaid from the year after it is taken out, at the end of year five.
    assert f"after five years {sum(still_owed(paid) for paid in range(5)) / 1e6:.2f} M€ more debt" in notes


def test_is_the_released_notebook_free_of_solutions_and_hidden_tests(generated: Pipeline, secrets):
    assert generated.generate.returncode == 0, failure_report(generated.generate)
    released = nbformat.read(generated.released_notebook, as_version=4)
    text = "\n".join(cell.source for cell in released.cells)
    assert describe(leaks_in_text(text, secrets)) == []

    raw = generated.released_notebook.read_text(encoding="utf-8")
    for marker in SOLUTION_MARKERS + HIDDEN_MARKERS:
        assert marker not in raw
    for cell in released.cells:
        assert not cell.get("outputs"), "the released notebook should have no outputs"
    # Each answer cell is left to the learner, with nbgrader's stub in place of the solution.
    stubs = [cell.source for cell in released.cells if nbgrader_flags(cell).get("solution")]
    assert len(stubs) == SOLUTION_CELLS and all("NotImplementedError" in s or "YOUR ANSWER HERE" in s for s in stubs)


def test_does_the_unchanged_release_get_zero(pipeline: Pipeline):
    scores = pipeline.scores["unchanged"]
    assert scores == {name: 0 for name in {**AUTOGRADED_POINTS, **MANUAL_POINTS}}


@pytest.mark.parametrize("student", sorted(WRONG_SUBMISSIONS))
def test_does_feedback_show_the_learner_messages_but_no_hidden_test(pipeline: Pipeline, source, secrets, student):
    page = pipeline.feedback_page(student)
    assert page.exists(), "generate_feedback wrote no page:\n" + failure_report(pipeline.feedback)
    text = html_text(page.read_text(encoding="utf-8"))

    # Positive controls: a visible test line and the learner's message are found with the same
    # text extraction, so a hidden line that is not found is really absent, not lost in the HTML.
    assert normalise("result = gross_savings(12_500_000, 10_900_000, 350_000)") in text
    check_verdicts(text, source, LEARNER_MESSAGES[student])

    # The feedback shows the learner's own answers, so only the hidden tests are looked for here.
    hidden = [secret for secret in secrets if secret.kind == "hidden test"]
    assert describe(leaks_in_text(text, hidden)) == [], f"hidden tests in the feedback of {student}"


def test_does_a_transcription_stay_below_the_pass_mark(pipeline: Pipeline):
    """Formulas copied, printed figures typed in, no written answer: not a pass, by the stated rule."""
    scores = pipeline.scores["transcription"]
    total, written = sum(scores.values()), scores["advice"]
    assert not passes(total, written, MAX_POINTS), f"{total} of {MAX_POINTS} points, {written} for the written answer"
    # It fails on its points alone, before the written answer's minimum counts.
    assert total < PASS_SHARE * MAX_POINTS


def test_do_computations_without_a_written_answer_fail_at_the_pass_share(pipeline: Pipeline):
    """The issue's case: Parts 1 to 5 right, a sound policy, printed figures typed in, no written answer.

    From the gradebook it reaches the share of points of the pass mark (15 of 25), so only the
    written answer's minimum keeps it from passing, as the stated rule says it must."""
    scores = pipeline.scores["computations_without_advice"]
    total, written = sum(scores.values()), scores["advice"]
    assert written == 0
    assert total >= PASS_SHARE * MAX_POINTS, f"{total} of {MAX_POINTS} points"
    assert total == math.ceil(PASS_SHARE * MAX_POINTS) == 15
    assert not passes(total, written, MAX_POINTS), f"{total} of {MAX_POINTS} points, {written} for the written answer"
    # The same computations with a written answer at the minimum would pass.
    assert passes(total + WRITTEN_MINIMUM, WRITTEN_MINIMUM, MAX_POINTS)
    # And the instructor's answers with a written answer at the minimum pass.
    assert passes(sum(pipeline.scores_of("instructor", AUTOGRADED_POINTS).values()) + WRITTEN_MINIMUM, WRITTEN_MINIMUM, MAX_POINTS)
