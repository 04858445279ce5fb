"""The nbgrader exercise ``project_management_01``, run through the real nbgrader from release to feedback.

The whole pipeline runs once per test module, in a temporary copy of the course's ``exercises/``
folder (the nbgrader course root): ``generate_assignment``, then one ``autograde`` of a few
prepared submissions, then ``generate_feedback``. The tests then read the released notebook, the
gradebook and the feedback pages. The pattern is module 1's (``tests/budgeting/test_exercise_pipeline.py``).

Submissions, all placed directly in ``submitted/<student>/project_management_01/``:

* ``instructor``: the source notebook as it is (solutions and hidden tests included);
* ``unchanged``: the released notebook, handed in without a line written;
* realistic mistakes: the released notebook filled in with the instructor's answers, except for
  one answer replaced by a plausible wrong one (see ``WRONG_SUBMISSIONS``): the edge cases the
  issue names (a task without predecessors in the middle, two critical paths, nothing spent yet),
  a P80 that is the mean, Python's ``random.triangular`` arguments in the wrong order, the
  lessons' Avignon figures typed in, the model called instead of pandas, a median of an even
  number of values taken as one of its middle values, crash plans that miss the deadline, spend
  past the budget or raise the budget in the notebook;
* right answers by other methods, which get full points: the simulation written as loops with
  Python's ``random``, or with beta-PERT draws, Part 4 with comments that name the model, and
  another crash plan that meets the requirements;
* computations without the written answer, which reach the share of points of the pass mark and
  must not pass.

nbgrader runs the ``alembic`` executable, so the virtual environment's ``bin/`` folder is put on
``PATH``; the notebook imports ``modules.project_management.model``, so the repository root is put
on ``PYTHONPATH`` of the grading kernel (both come from the ``tool_environment`` fixture of
``tests/conftest.py``). What counts as secret (solutions, hidden tests) is defined once for the
whole course, in ``autograder.secrets``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from tests.exercise_pipeline import (
    PASS_SHARE,
    WRITTEN_MINIMUM,
    Exercise,
    StandardExerciseChecks,
    exercise_fixtures,
    passes,
    check_verdicts,
    cell_source,
    FakeShell,
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
from modules.project_management import model

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT = "project_management_01"
NOTEBOOK = "project_management_01"


SOURCE_NOTEBOOK = REPO / "exercises" / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
SITE_PAGE = REPO / "book" / "project_management" / "exercise-01.md"


#: Points of each automatically graded test cell (grade_id -> points), as announced to learners.
AUTOGRADED_POINTS = {
    "test_earliest_times": 2,
    "test_floats": 3,
    "test_earned_value": 3,
    "test_monte_carlo": 4,
    "test_extensions": 4,
    "test_plan": 4,
}
#: Points of the answers graded by a person.
MANUAL_POINTS = {"note": 5}
MAX_POINTS = sum(AUTOGRADED_POINTS.values()) + sum(MANUAL_POINTS.values())

#: The pass rule of every module's exercise (module 1's, stated in the syllabus): at least this
#: share of the points, and at least this many of the points of the written answer.

#: Time for a newcomer, in minutes: the page's front matter and the notebook's introduction say it.
EXERCISE_MINUTES = 150

#: Answer cells, and solution blocks (Parts 1b, 3 and 4 hold two functions each, so two blocks).
SOLUTION_CELLS = 7
SOLUTION_BLOCKS = 10

#: In a submission, an answer left as released (nbgrader's stub).

#: The council's deadline and budget of Part 5.
DEADLINE = 110
BUDGET = 25_000

SIMULATE_WITH_NUMPY = '''def simulate_durations(tasks, estimates, runs=10_000, seed=2024):
    generator = np.random.default_rng(seed)
    finish = {}
    for name, (duration, predecessors) in tasks.items():
        if name in estimates and estimates[name][0] < estimates[name][2]:
            low, likely, high = estimates[name]
            drawn = generator.triangular(low, likely, high, size=runs)
        elif name in estimates:
            drawn = np.full(runs, float(estimates[name][0]))
        else:
            drawn = np.full(runs, float(duration))
        start = np.zeros(runs)
        for predecessor in predecessors:
            start = np.maximum(start, finish[predecessor])
        finish[name] = start + drawn
    return np.max(np.column_stack(list(finish.values())), axis=1)
'''
P80_PERCENTILE = '''

def p80(durations):
    return float(np.percentile(durations, 80))
'''


def simulate_with_loops(draw: str) -> str:
    """A simulation written as loops over runs and tasks with Python's ``random``; ``draw`` draws one duration."""
    return (
        "import random\n\n\n"
        "def simulate_durations(tasks, estimates, runs=10_000, seed=2024):\n"
        "    generator = random.Random(seed)\n"
        "    durations = []\n"
        "    for _ in range(runs):\n"
        "        finish = {}\n"
        "        for name, (duration, predecessors) in tasks.items():\n"
        "            if name in estimates:\n"
        "                low, likely, high = estimates[name]\n"
        f"                duration = {draw}\n"
        "            start = max((finish[p] for p in predecessors), default=0)\n"
        "            finish[name] = start + duration\n"
        "        durations.append(max(finish.values()))\n"
        "    return durations\n"
        "\n\n"
        "def p80(durations):\n"
        "    ordered = sorted(durations)\n"
        "    return ordered[int(0.8 * len(ordered))]\n"
    )


#: What a learner could hand in for Part 4 by typing in the figures the lessons print.
TYPED_AVIGNON_FIGURES = {
    "extensions": (
        "def share_extended(rows):\n"
        "    return 59 / 917\n"
        "\n\n"
        "def median_overrun(rows):\n"
        "    return 12.0\n"
    ),
}

#: A submission: the answers it replaces (solution grade_id -> cell source, or UNANSWERED), and the
#: test cells it should fail. Every other automatically graded part keeps its full points.
WRONG_SUBMISSIONS = {
    # A task without predecessors starts when the task listed before it finishes. Right on the
    # square, whose only such task comes first; a hidden network has one in the middle of its list.
    # Part 1b reuses earliest_times, and that network's floats go wrong with it.
    "no_predecessor_starts_late": (
        {
            "earliest_times": (
                "def earliest_times(tasks):\n"
                "    times = {}\n"
                "    previous_finish = 0\n"
                "    for name, (duration, predecessors) in tasks.items():\n"
                "        if predecessors:\n"
                "            start = max(times[p][1] for p in predecessors)\n"
                "        else:\n"
                "            start = previous_finish\n"
                "        times[name] = (start, start + duration)\n"
                "        previous_finish = start + duration\n"
                "    return times\n"
            ),
        },
        {"test_earliest_times", "test_floats"},
    ),
    # A task that no task follows gets its latest finish at its own earliest finish: right on the
    # square, which ends with one milestone; a hidden network ends with two tasks.
    "end_tasks_without_float": (
        {
            "floats": (
                "def total_floats(tasks):\n"
                "    earliest = earliest_times(tasks)\n"
                "    latest_start = {}\n"
                "    for name in reversed(list(tasks)):\n"
                "        duration = tasks[name][0]\n"
                "        successors = [other for other, (_, preds) in tasks.items() if name in preds]\n"
                "        if successors:\n"
                "            latest_finish = min(latest_start[s] for s in successors)\n"
                "        else:\n"
                "            latest_finish = earliest[name][1]\n"
                "        latest_start[name] = latest_finish - duration\n"
                "    return {name: latest_start[name] - earliest[name][0] for name in tasks}\n"
                "\n\n"
                "def critical_tasks(tasks):\n"
                "    floats = total_floats(tasks)\n"
                "    return [name for name in tasks if floats[name] == 0]\n"
            ),
        },
        {"test_floats"},
    ),
    # The free float (successors' earliest starts) taken for the total float.
    "free_float": (
        {
            "floats": (
                "def total_floats(tasks):\n"
                "    earliest = earliest_times(tasks)\n"
                "    end = max(finish for start, finish in earliest.values())\n"
                "    floats = {}\n"
                "    for name in tasks:\n"
                "        successors = [other for other, (_, preds) in tasks.items() if name in preds]\n"
                "        next_start = min((earliest[s][0] for s in successors), default=end)\n"
                "        floats[name] = next_start - earliest[name][1]\n"
                "    return floats\n"
                "\n\n"
                "def critical_tasks(tasks):\n"
                "    floats = total_floats(tasks)\n"
                "    return [name for name in tasks if floats[name] == 0]\n"
            ),
        },
        {"test_floats"},
    ),
    # CPI = AC / EV.
    "cpi_inverted": (
        {
            "earned_value": (
                "def earned_value(bac, pv, ev, ac):\n"
                "    cpi = ac / ev if ev else None\n"
                "    spi = ev / pv if pv else None\n"
                "    eac = bac / cpi if cpi else None\n"
                '    return {"cv": ev - ac, "sv": ev - pv, "cpi": cpi, "spi": spi, "eac": eac}\n'
            ),
        },
        {"test_earned_value"},
    ),
    # Right on a project under way, but it divides by zero at the start: only a hidden test catches it.
    "earned_value_divides_by_zero": (
        {
            "earned_value": (
                "def earned_value(bac, pv, ev, ac):\n"
                "    cpi = ev / ac\n"
                '    return {"cv": ev - ac, "sv": ev - pv, "cpi": cpi, "spi": ev / pv, "eac": bac / cpi}\n'
            ),
        },
        {"test_earned_value"},
    ),
    # The mean of the simulated durations returned as the P80.
    "p80_is_the_mean": (
        {"monte_carlo": SIMULATE_WITH_NUMPY + "\n\ndef p80(durations):\n    return float(np.mean(durations))\n"},
        {"test_monte_carlo"},
    ),
    # Python's random.triangular(low, high, mode) called as (a, m, b).
    "triangular_arguments_swapped": (
        {"monte_carlo": simulate_with_loops("generator.triangular(low, likely, high)")},
        {"test_monte_carlo"},
    ),
    # Right, by another method: loops over runs and tasks with Python's random, P80 by sorting.
    "loops_simulation": (
        {"monte_carlo": simulate_with_loops("generator.triangular(low, high, likely)")},
        set(),
    ),
    # Right, by another distribution: beta-PERT draws with numpy.
    "pert_simulation": (
        {
            "monte_carlo": SIMULATE_WITH_NUMPY.replace(
                "drawn = generator.triangular(low, likely, high, size=runs)",
                "drawn = low + (high - low) * generator.beta(1 + 4 * (likely - low) / (high - low), "
                "1 + 4 * (high - likely) / (high - low), size=runs)",
            )
            + P80_PERCENTILE,
        },
        set(),
    ),
    # The lessons' printed figures typed in: right for Avignon, so the visible checks pass, but
    # the hidden tests run the functions on another set of orders.
    "typed_avignon_figures": (TYPED_AVIGNON_FIGURES, {"test_extensions"}),
    # Rows counted instead of orders.
    "counted_rows": (
        {
            "extensions": (
                "def share_extended(rows):\n"
                '    return rows["is_extension"].sum() / (~rows["is_extension"]).sum()\n'
                "\n\n"
                "def median_overrun(rows):\n"
                '    extension_rows = rows[rows["is_extension"]]\n'
                '    by_order = extension_rows.groupby("arretesrcid").agg(start=("order_start", "min"), end=("new_end", "max"))\n'
                '    return float(((by_order["end"] - by_order["start"]).dt.days + 1).median())\n'
            ),
        },
        {"test_extensions"},
    ),
    # The course's model called instead of pandas: right figures, but not the learner's computation.
    "calls_the_model": (
        {
            "extensions": (
                "def share_extended(rows):\n"
                '    return model.extension_summary(rows)["share_extended"]\n'
                "\n\n"
                "def median_overrun(rows):\n"
                '    return model.extension_summary(rows)["median_overrun_days"]\n'
            ),
        },
        {"test_extensions"},
    ),
    # One middle value of the sorted overruns taken as the median: right on Avignon's 59 extension
    # orders (an odd number); the hidden orders have four, whose median is the mean of 10 and 26.
    "median_is_a_middle_value": (
        {
            "extensions": (
                "def share_extended(rows):\n"
                '    return rows.loc[rows["is_extension"], "arretesrcid"].nunique() / rows.loc[~rows["is_extension"], "arretesrcid"].nunique()\n'
                "\n\n"
                "def median_overrun(rows):\n"
                '    extension_rows = rows[rows["is_extension"]]\n'
                '    by_order = extension_rows.groupby("arretesrcid").agg(start=("order_start", "min"), end=("new_end", "max"))\n'
                '    days = sorted((by_order["end"] - by_order["start"]).dt.days + 1)\n'
                "    return float(days[(len(days) - 1) // 2])\n"
            ),
        },
        {"test_extensions"},
    ),
    # Right, with a docstring and comments that name the model: only a call of the model counts.
    "model_named_in_comments": (
        {
            "extensions": (
                "def share_extended(rows):\n"
                '    """Extension orders ÷ other orders; model.extension_summary(rows)["share_extended"] agrees."""\n'
                "    # checked against model.extension_summary(rows) in a cell of my own\n"
                '    extension_orders = rows.loc[rows["is_extension"], "arretesrcid"].nunique()\n'
                '    return extension_orders / rows.loc[~rows["is_extension"], "arretesrcid"].nunique()\n'
                "\n\n"
                "def median_overrun(rows):\n"
                '    note = "the same as model.extension_summary(rows)"  # a string, not a call\n'
                '    extension_rows = rows[rows["is_extension"]]\n'
                '    by_order = extension_rows.groupby("arretesrcid").agg(start=("order_start", "min"), end=("new_end", "max"))\n'
                '    return float(((by_order["end"] - by_order["start"]).dt.days + 1).median())\n'
            ),
        },
        set(),
    ),
    # The task with the most days to gain, alone: once the stones come 6 days earlier, the pipes'
    # path sets the end in many runs, and the P80 misses the deadline.
    "stones_only": ({"plan": 'my_plan = {"Stone delivery": 6}\n'}, {"test_plan"}),
    # The cheapest days, on tasks with float: they buy nothing.
    "tasks_with_float": ({"plan": 'my_plan = {"Lighting": 3, "Networks": 5}\n'}, {"test_plan"}),
    # Meets the deadline, 500 € over the budget.
    "over_budget": ({"plan": 'my_plan = {"Design": 3, "Stone delivery": 6}\n'}, {"test_plan"}),
    # The same plan with the budget raised in the answer cell: the visible check passes, the hidden
    # one, on the council's own figures, does not.
    "budget_raised": ({"plan": 'budget = 40_000\nmy_plan = {"Design": 3, "Stone delivery": 6}\n'}, {"test_plan"}),
    # Another plan than the instructor's that meets every requirement: full points.
    "another_sound_plan": ({"plan": 'my_plan = {"Design": 3, "Paving": 4}\n'}, set()),
    # Every computation right, no written answer: 20 of 25 points, and no pass.
    "computations_without_note": ({"note": UNANSWERED}, set()),
    # The lessons' figures typed into Part 4 and no written answer: 16 of 25 points, and no pass.
    "typed_figures_without_note": ({**TYPED_AVIGNON_FIGURES, "note": UNANSWERED}, {"test_extensions"}),
}

#: Plans of WRONG_SUBMISSIONS whose feedback must carry the model's own verdict (problems), as
#: check_plan gives them with the council's figures: student -> plan.
PLANS_THAT_FAIL = {
    "stones_only": {"Stone delivery": 6},
    "tasks_with_float": {"Lighting": 3, "Networks": 5},
    "over_budget": {"Design": 3, "Stone delivery": 6},
    "budget_raised": {"Design": 3, "Stone delivery": 6},
}

#: What each submission should read in its feedback. Several come from a failing *hidden* test
#: (``no_predecessor_starts_late``, ``end_tasks_without_float``, ``earned_value_divides_by_zero``,
#: ``typed_avignon_figures``, ``calls_the_model``, ``budget_raised``), so their feedback is the real
#: test of whether hidden tests stay hidden; the others fail a visible test first, or pass.
LEARNER_MESSAGES = {
    "no_predecessor_starts_late": ["a task without predecessors comes in the middle of the list, and your function starts it on day 25"],
    "end_tasks_without_float": ["A task that no other task follows has its latest finish at the end of the project"],
    "free_float": ["Traffic order has 15 days of float in your result: that is its free float"],
    "cpi_inverted": ["You divided AC by EV"],
    "earned_value_divides_by_zero": ["At the very start of a project, when PV and AC are 0, your function divides by zero"],
    "p80_is_the_mean": ["Your p80 returns the mean of the durations"],
    "triangular_arguments_swapped": ["Python's random.triangular takes low, high, mode"],
    "loops_simulation": ["Part 3: the visible checks pass. With triangular draws"],
    "pert_simulation": ["Part 3: the visible checks pass. With pert draws"],
    "typed_avignon_figures": ["Your share_extended returns Avignon's share whatever rows it receives"],
    "counted_rows": ["You counted rows, not orders"],
    "calls_the_model": ["Your share_extended calls the course's model"],
    "median_is_a_middle_value": ["with an even number of values it is the mean of the two middle ones"],
    "model_named_in_comments": ["Part 4: the visible checks pass. Over all the orders of the file"],
    "stones_only": ["Your plan does not meet the council's requirements yet", "days after the deadline of 110"],
    "tasks_with_float": ["Your plan does not meet the council's requirements yet", "days after the deadline of 110"],
    "over_budget": ["Your plan does not meet the council's requirements yet", "500 € over the budget of 25 000 €"],
    "budget_raised": ["With the council's own figures", "500 € over the budget of 25 000 €"],
    "another_sound_plan": ["Part 5: the visible checks pass. Your plan meets the deadline"],
    "computations_without_note": ["Part 5: the visible checks pass. Your plan meets the deadline"],
    "typed_figures_without_note": ["Your share_extended returns Avignon's share whatever rows it receives"],
}


# --------------------------------------------------------------------------- helpers


def data_namespace(source) -> dict:
    """The namespace of the notebook's setup and data cells, run here (``display`` does nothing)."""
    namespace = {"display": lambda *args, **kwargs: None}
    for grade_id in ("setup", "market_square", "square_estimates", "crash_data"):
        exec(cell_source(source, grade_id), namespace)
    return namespace


def course_model_answers() -> dict:
    """Answers to Parts 1a to 4 computed with the course's model: an implementation independent of
    the instructor's solutions, to check the expectations written into the tests. They call no
    attribute of ``model`` (Part 4's hidden test refuses functions that do)."""
    from modules.project_management.model import EarnedValue, Network, Task, extension_summary, schedule, simulate

    def network_of(tasks):
        return Network([Task(name, duration, tuple(predecessors)) for name, (duration, predecessors) in tasks.items()])

    def earliest_times(tasks):
        table = schedule(network_of(tasks))
        return {name: (table.at[name, "earliest_start"], table.at[name, "earliest_finish"]) for name in tasks}

    def total_floats(tasks):
        table = schedule(network_of(tasks))
        return {name: table.at[name, "total_float"] for name in tasks}

    def critical_tasks(tasks):
        table = schedule(network_of(tasks))
        return [name for name in tasks if table.at[name, "critical"]]

    def earned_value(bac, pv, ev, ac):
        position = EarnedValue(bac, pv, ev, ac)
        return {"cv": position.cv, "sv": position.sv, "cpi": position.cpi, "spi": position.spi, "eac": position.eac}

    def simulate_durations(tasks, estimates, runs=10_000, seed=2024):
        return simulate(network_of(tasks), estimates, runs=runs, seed=seed).finish

    def p80(durations):
        return float(np.percentile(durations, 80))

    def share_extended(rows):
        return extension_summary(rows)["share_extended"]

    def median_overrun(rows):
        return extension_summary(rows)["median_overrun_days"]

    return dict(locals())


# --------------------------------------------------------------------------- fixtures


EXERCISE = Exercise("project_management", 1, AUTOGRADED_POINTS, WRONG_SUBMISSIONS)
source, generated, pipeline = exercise_fixtures(EXERCISE)


class TestTheChecksOfEveryExercise(StandardExerciseChecks):
    exercise = EXERCISE


@pytest.fixture(scope="module")
def secrets():
    """The solution and hidden-test blocks of the instructor notebook, as the course defines them."""
    found = secrets_of_notebook(SOURCE_NOTEBOOK)
    # A leak check means something only if there is something secret to look for: one solution
    # per function (two in Parts 1b, 3 and 4) and one hidden block per test cell at least.
    kinds = [secret.kind for secret in found]
    assert kinds.count("solution") == SOLUTION_BLOCKS and kinds.count("hidden test") >= len(AUTOGRADED_POINTS), kinds
    return found


# --------------------------------------------------------------------------- tests: the notebook's own claims


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
    # Each part's heading announces the points of its test cell.
    for grade_id, heading in [("part1a_instructions", "Part 1a"), ("part1b_instructions", "Part 1b"),
                              ("part2_instructions", "Part 2"), ("part3_instructions", "Part 3"),
                              ("part4_instructions", "Part 4"), ("part5_instructions", "Part 5"),
                              ("part6_instructions", "Part 6")]:
        title = cell_source(source, grade_id).splitlines()[0]
        part = heading.split()[1]
        assert heading in title and f"({table[part]} points" in title, title


def test_does_the_site_page_show_the_same_points_table_as_the_notebook(source):
    page = SITE_PAGE.read_text(encoding="utf-8")
    assert page.startswith(f"---\nassignment: {ASSIGNMENT}\ntime: {EXERCISE_MINUTES}\n---\n")
    assert points_table(page) == points_table(source.cells[0].source)


@pytest.mark.parametrize("document", ["exercise page", "notebook"])
def test_do_the_page_and_the_notebook_state_the_pass_rule(source, document):
    text = SITE_PAGE.read_text(encoding="utf-8") if document == "exercise page" else source.cells[0].source
    written = MANUAL_POINTS["note"]
    assert f"at least {round(PASS_SHARE * 100)} % of the points" in plain(text)
    assert f"at least {WRITTEN_MINIMUM} of the {written} points of the written answer" in plain(text)
    assert f"{math.ceil(PASS_SHARE * MAX_POINTS)} of the {MAX_POINTS} points" in plain(text)


def test_do_the_instructions_describe_the_square_as_the_model_computes_it(source):
    """Part 1's example, Part 3's "95 days", Part 5's "later than 110" and the float of Networks."""
    namespace = data_namespace(source)
    network = namespace["square_network"]
    table = model.schedule(network)
    assert model.project_duration(network) == 95
    assert (table.at["Networks", "earliest_start"], table.at["Networks", "earliest_finish"]) == (45, 60)
    assert table.at["Networks", "total_float"] == 10
    assert "it starts on day 45 and finishes on day 60" in plain(cell_source(source, "part1a_instructions"))
    assert "a total float of 10 working days" in plain(cell_source(source, "part1b_instructions"))
    assert "says that the square reopens on day 95" in plain(cell_source(source, "part3_instructions"))
    part5 = plain(cell_source(source, "part5_instructions"))
    assert "the plan says 95 days, but with triangular draws the P80 is later than 110" in part5
    triangular = model.simulate(network, namespace["square_estimates"], distribution="triangular")
    pert = model.simulate(network, namespace["square_estimates"], distribution="pert")
    assert triangular.p80 > DEADLINE and 95 < pert.p80 < triangular.p80 - 3
    assert "give a P80 a few days shorter" in part5
    assert "10 days of float of `Networks`" in cell_source(source, "part5_instructions")
    # The Reopening milestone has no estimate, and keeps its 0 days.
    assert "Reopening" not in namespace["square_estimates"] and namespace["market_square"]["Reopening"][0] == 0


def test_does_the_crash_table_of_part_5_match_the_options_of_the_model(source):
    namespace = data_namespace(source)
    options = namespace["crash_options"]
    assert (namespace["budget"], namespace["deadline"]) == (BUDGET, DEADLINE)
    text = cell_source(source, "part5_instructions")
    rows = re.findall(r"^\| `([^`]+)` \| [^|]+ \| ([\d ]+) € \| (\d+) days \|$", text, flags=re.MULTILINE)
    assert {name: (float(cost.replace(" ", "")), float(days)) for name, cost, days in rows} == {
        name: (option.cost_per_day, option.max_days) for name, option in options.items()
    }
    assert "**110 working days**" in text and "**25 000 €**" in text
    not_crashable = set(namespace["market_square"]) - set(options) - {"Reopening"}
    assert not_crashable == {"Survey", "Tender", "Traffic order"}
    assert "`Survey`, `Tender` and `Traffic order` cannot be sped up" in text


def test_are_the_councils_figures_of_the_hidden_test_those_of_the_notebook(source):
    """Part 5's hidden test builds the council's data afresh: they must be the data cells' figures."""
    namespace = data_namespace(source)
    hidden = cell_source(source, "test_plan").split(HIDDEN_MARKERS[0])[-1]
    council = {"model": model}
    exec(hidden[: hidden.index("council_check = ")], council)
    assert [(task.name, task.duration, task.predecessors) for task in council["council_network"].tasks] == [
        (task.name, task.duration, task.predecessors) for task in namespace["square_network"].tasks
    ]
    assert council["council_estimates"] == namespace["square_estimates"]
    assert council["council_options"] == namespace["crash_options"]
    assert "budget=25_000, deadline=110, runs=10_000, seed=2024" in hidden


def test_do_the_plans_of_the_submissions_do_what_their_comments_say(source):
    """The instructor's plan and another one meet; the wrong ones miss the deadline or the budget."""
    namespace = data_namespace(source)

    def check(plan, budget=BUDGET):
        return model.check_plan(namespace["square_network"], namespace["square_estimates"], namespace["crash_options"],
                                plan, budget=budget, deadline=DEADLINE)

    plan_namespace = {}
    exec(without_solution_markers(cell_source(source, "plan")), plan_namespace)
    instructor = check(plan_namespace["my_plan"])
    assert instructor.meets and instructor.cost == 19_500 and instructor.p80 <= DEADLINE - 0.5
    assert check({"Design": 3, "Paving": 4}).meets
    stones = check(PLANS_THAT_FAIL["stones_only"])
    assert stones.cost <= BUDGET and stones.days_late >= 1
    idle = check(PLANS_THAT_FAIL["tasks_with_float"])
    assert idle.cost <= BUDGET and idle.days_late >= 5
    costly = check(PLANS_THAT_FAIL["over_budget"])
    assert costly.days_late == 0 and costly.over_budget == 500
    assert check(PLANS_THAT_FAIL["budget_raised"], budget=40_000).meets


def test_do_the_hidden_expectations_agree_with_the_course_model(source):
    """Every test cell of Parts 1a to 4, hidden tests included, passes with answers computed by the
    course's model: the hand-computed expectations of the hidden networks, figures and orders are right."""
    namespace = data_namespace(source)
    namespace["get_ipython"] = FakeShell
    namespace["rows"] = model.read_orders().rows
    namespace.update(course_model_answers())
    for grade_id in ("test_earliest_times", "test_floats", "test_earned_value", "test_monte_carlo", "test_extensions"):
        exec(cell_source(source, grade_id), namespace)


def test_are_the_figures_of_the_marking_notes_right(source):
    namespace = data_namespace(source)
    network, estimates, options = namespace["square_network"], namespace["square_estimates"], namespace["crash_options"]
    notes = plain(cell_source(source, "note"))
    baseline = model.simulate(network, estimates)
    assert f"P80 of {baseline.p80:.1f} working days and a median (P50) of {baseline.p50:.1f}" in notes
    assert f"met in {baseline.probability_by(95) * 100:.2f} % of the runs" in notes
    assert f"{(1 - baseline.probability_by(DEADLINE)) * 100:.0f} % of the runs take longer than 110 days" in notes
    assert 0.45 <= 1 - baseline.probability_by(DEADLINE) <= 0.55
    assert "without any speeding up about half of them take longer than 110 days" in notes
    plan = {"Design": 3, "Stone delivery": 3, "Trees": 2}
    planned = model.check_plan(network, estimates, options, plan, budget=BUDGET, deadline=DEADLINE)
    assert f"P80 = {planned.p80:.1f}, P50 = {planned.result.p50:.1f}" in notes
    assert f"and {planned.result.probability_by(DEADLINE) * 100:.0f} % of the runs end within 110 days" in notes
    assert f"For {planned.cost:,.0f} € of the 25 000 € voted".replace(",", " ") in notes
    assert f"within {planned.p80:.0f} working days in 80 % of the simulated projects" in notes
    stones = model.check_plan(network, estimates, options, {"Stone delivery": 6}, budget=BUDGET, deadline=DEADLINE)
    assert f"6 days (18 000 €) misses by {stones.days_late:.1f} days" in notes
    floats = model.schedule(network)["total_float"]
    assert f"Networks {floats['Networks']:.0f} days, Traffic order {floats['Traffic order']:.0f}, Lighting {floats['Lighting']:.0f}" in notes

    rows = model.read_orders().rows
    summary = model.extension_summary(rows)
    assert f"{summary['extension_orders']} extension orders for {summary['original_orders']} other orders, " \
           f"{summary['share_extended'] * 100:.1f} %" in notes
    assert f"median overrun {summary['median_overrun_days']:.0f} days (mean {summary['mean_overrun_days']:.1f}, " \
           f"longest {summary['max_overrun_days']:.0f})" in notes
    # One definition across the course: about one in ten among the orders whose type is recorded
    # (lessons, glossary), the whole file's share of Part 4 a lower bound.
    share, recorded = summary["share_extended"] * 100, summary["share_extended_where_recorded"] * 100
    assert round(recorded / 10) == 1 and share < recorded
    phrase = f"about one order in ten among the orders whose type is recorded ({share:.1f} % over the whole file, a lower bound)"
    assert phrase + " had to be extended" in notes
    assert phrase in notes.split("Marking notes")[1]
    assert f"{summary['extension_orders']}/{summary['orders_with_model']} = {recorded:.1f} %" in notes
    assert "the denominator includes years when extensions were not recorded" in notes
    rubric = plain(cell_source(source, "part6_rubric"))
    assert "the denominator includes years when extensions were not recorded" in rubric
    part4 = plain(cell_source(source, "part4_instructions"))
    assert "share of orders extended over all the orders of the file" in part4 and "lower bound" in part4
    table = model.orders(rows)
    assert f"planned {table.loc[~table['is_extension'], 'planned_days'].median():.0f} days or fewer" in notes

    media_library = model.EarnedValue(1_200_000, 480_000, 400_000, 500_000)
    assert (media_library.cv, media_library.sv, media_library.cpi, media_library.eac) == (-100_000, -80_000, 0.8, 1_500_000)
    assert f"SPI {media_library.spi:.2f}" in notes and "CPI 0.80" in notes and "EAC 1 500 000 €" in notes


def test_does_the_part_6_prompt_ask_for_what_the_rubric_grades(source):
    rubric = plain(cell_source(source, "part6_rubric"))
    prompt = plain(cell_source(source, "part6_instructions"))
    criteria = re.findall(r"^\| (\w[\w ]*) \| ", cell_source(source, "part6_rubric"), flags=re.MULTILINE)
    assert criteria[1:] == ["Date", "Plan", "Reference class", "Steering", "Recommendation"]
    assert "5 to 8 sentences" in rubric and "5 to 8 sentences" in prompt
    for asked in ["which reopening date to announce", "which tasks your plan speeds up", "as a reference class",
                  "report progress to the council every month", "end with a clear recommendation",
                  "what happens to the other paths of the network when one path is sped up"]:
        assert asked in prompt, asked
    # Each criterion grades one thing, asked by one bullet of the prompt; the length and the plain
    # language are asked for the whole note and graded by no criterion.
    criterion = {name: text for name, text in re.findall(r"^\| (\w[\w ]*) \| (.*) \|$", cell_source(source, "part6_rubric"),
                                                          flags=re.MULTILINE)}
    assert "another path become critical" in criterion["Plan"]
    assert criterion["Recommendation"] == "ends with a clear recommendation to the mayor that follows from the figures"
    assert not any("sentences" in text or "plain language" in text for text in criterion.values())


# --------------------------------------------------------------------------- tests: the pipeline


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
    assert normalise("times = earliest_times(market_square)") in text
    check_verdicts(text, source, LEARNER_MESSAGES[student])

    # The feedback shows the learner's own answers, so only the hidden tests are looked for here.
    hidden = [secret for secret in secrets if secret.kind == "hidden test"]
    assert describe(leaks_in_text(text, hidden)) == [], f"hidden tests in the feedback of {student}"


@pytest.mark.parametrize("student", sorted(PLANS_THAT_FAIL))
def test_does_the_feedback_of_a_failing_plan_give_the_courses_message_not_the_kernels_verdict(pipeline: Pipeline, source,
                                                                                           student):
    """The model's verdict on the council's figures (days late, euros over) is computed in the
    learner's kernel, where code could replace it with a hidden test: the feedback gives the
    course's message instead; the learner's own run of the visible check prints the verdict."""
    namespace = data_namespace(source)
    verdict = model.check_plan(namespace["square_network"], namespace["square_estimates"], namespace["crash_options"],
                               PLANS_THAT_FAIL[student], budget=BUDGET, deadline=DEADLINE)
    assert not verdict.meets and verdict.problems
    text = html_text(pipeline.feedback_page(student).read_text(encoding="utf-8"))
    for problem in verdict.problems:
        assert normalise(problem) not in text
    assert "✘ Not passed" in text


def test_do_computations_without_a_written_answer_fail_at_the_pass_share(pipeline: Pipeline):
    """Every computation right, or the lessons' figures typed into Part 4, and no written answer:
    enough points for the pass share, and still no pass, as the stated rule says."""
    for student, expected_total in [("computations_without_note", 20), ("typed_figures_without_note", 16)]:
        scores = pipeline.scores[student]
        total, written = sum(scores.values()), scores["note"]
        assert written == 0
        assert total == expected_total >= PASS_SHARE * MAX_POINTS, f"{student}: {total} of {MAX_POINTS} points"
        assert not passes(total, written, MAX_POINTS), f"{student}: {total} of {MAX_POINTS} points, {written} for the written answer"
        # The same computations with a written answer at the minimum would pass.
        assert passes(total + WRITTEN_MINIMUM, WRITTEN_MINIMUM, MAX_POINTS)
    assert math.ceil(PASS_SHARE * MAX_POINTS) == 15
