"""The nbgrader exercise ``smart_towns_01``, run through the real nbgrader from release to feedback.

The whole pipeline runs once per test module, in a temporary copy of the course's ``exercises/``
folder (the nbgrader course root): ``generate_assignment``, then one ``autograde`` of a few
prepared submissions, then ``generate_feedback``. The tests then read the released notebook, the
gradebook and the feedback pages. The pattern is module 2's (``tests/project_management/``).

Submissions, all placed directly in ``submitted/<student>/smart_towns_01/``:

* ``instructor``: the source notebook as it is (solutions and hidden tests included);
* ``unchanged``: the released notebook, handed in without a line written;
* realistic mistakes: the released notebook filled in with the instructor's answers, except for
  one answer replaced by a plausible wrong one (see ``WRONG_SUBMISSIONS``): the cases the issue
  names (a counter with a gap, a constant counter, an empty period), days without a count taken
  as zeros, a profile in alphabetical order, every zero taken for a dead counter, implausible days
  taken for outages, the naive rain ratio, watts taken for kilowatts, a division by zero when
  nothing is saved, the course's model called instead of pandas, the lessons' figures typed in,
  and dimming schedules that save too little, dim busy days, hold a misspelt cell or change the
  counts in the notebook;
* right answers written otherwise, which get full points: a docstring and comments that name the
  model, and another schedule that meets both requirements;
* computations without the written answer, which reach the share of points of the pass mark and
  must not pass.

nbgrader runs the ``alembic`` executable, so the virtual environment's ``bin/`` folder is put on
``PATH``; the notebook imports ``modules.smart_towns.model``, so the repository root is put on
``PYTHONPATH`` of the grading kernel (both come from the ``tool_environment`` fixture of
``tests/conftest.py``). What counts as secret (solutions, hidden tests) is defined once for the
whole course, in ``autograder.secrets``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
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
    learner_files,
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
from modules.smart_towns import model

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT = "smart_towns_01"
NOTEBOOK = "smart_towns_01"
SOURCE_NOTEBOOK = REPO / "exercises" / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
SITE_PAGE = REPO / "book" / "smart_towns" / "exercise-01.md"


#: Points of each automatically graded test cell (grade_id -> points), as announced to learners.
AUTOGRADED_POINTS = {
    "test_weekly_profile": 3,
    "test_outage_days": 4,
    "test_ratio": 2,
    "test_rain": 3,
    "test_savings": 3,
    "test_schedule": 5,
}
#: Points of the answers graded by a person.
MANUAL_POINTS = {"recommendation": 5}
MAX_POINTS = sum(AUTOGRADED_POINTS.values()) + sum(MANUAL_POINTS.values())

#: The pass rule of every module's exercise (stated in the syllabus): at least this share of the
#: points, and at least this many of the points of the written answer.

#: Time for a newcomer, in minutes: the page's front matter and the notebook's introduction say it.
EXERCISE_MINUTES = 150

#: Answer cells, and solution blocks (Part 4 holds two functions, so two blocks; the written
#: answer is one block without markers).
SOLUTION_CELLS = 7
SOLUTION_BLOCKS = 8

#: The cells that define the notebook's data, in order.
DATA_CELLS = ("setup", "counters", "anomaly_rule", "montreal", "lighting", "schedule_data")


def weekly_profile_typed() -> str:
    """Part 1 answered with the Pont Daladier's profile typed in, as the visible check prints it."""
    profile = model.weekday_profile(model.channel_series(model.load_counts(), "daladier_pedestrians"))
    values = ", ".join(f'"{day}": {value!r}' for day, value in profile.items())
    return f"def weekly_profile(series):\n    return pd.Series({{{values}}})\n"


def ratio_typed() -> str:
    ratio = model.weekday_weekend_ratio(model.channel_series(model.load_counts(), "daladier_pedestrians"))
    return f"def weekday_weekend_ratio(series):\n    return {ratio!r}\n"


#: Part 2 as the instructor writes it, with one step replaced by a wrong one (see WRONG_SUBMISSIONS).
OUTAGES = '''def outage_days(series):
    if series.count() == 0:
        raise ValueError("No count in this period.")
    weeks = [k for k in range(-model.WINDOW_WEEKS, model.WINDOW_WEEKS + 1) if k != 0]
    expected = pd.concat([series.shift(7 * k) for k in weeks], axis=1).median(axis=1)
    missing = series.isna()
    dead = (series == 0) & (expected >= model.MIN_EXPECTED)
    runs = (series != series.shift()).cumsum()
    stuck = series.notna() & (series.groupby(runs).transform("size") >= model.STUCK_DAYS)
    flagged = missing | dead | stuck
    return sorted(day.date() for day in series.index[flagged])
'''

#: Part 4 as the instructor writes it, before a wrong step replaces a right one.
RAIN = '''def rain_hours_per_day(hourly):
    wet = hourly["Weather"].str.contains("|".join(model.RAIN_WORDS))
    return wet.groupby(hourly.index.normalize()).sum()


def rain_ratio(counts, rain_hours):
    days = pd.DataFrame({"count": counts, "rain_hours": rain_hours}).dropna()
    days["rainy"] = days["rain_hours"] >= model.RAINY_DAY_HOURS
    days["month"] = days.index.month
    days["weekend"] = days.index.day_of_week >= 5
    ratios, weights = [], []
    for _, group in days.groupby(["month", "weekend"]):
        rainy, dry = group.loc[group["rainy"], "count"], group.loc[~group["rainy"], "count"]
        if len(rainy) and len(dry) and dry.mean() > 0:
            ratios.append(rainy.mean() / dry.mean())
            weights.append(len(rainy))
    return float(np.average(ratios, weights=weights))
'''

SAVINGS = '''def savings_and_payback(points, old_watts, new_watts, hours_before, hours_after, tariff, cost_per_point):
    before = points * old_watts / 1000 * hours_before
    after = points * new_watts / 1000 * hours_after
    savings = (before - after) * tariff
    return savings, (points * cost_per_point / savings if savings > 0 else math.inf)
'''

#: Part 6: the busy days' cells full, every other cell dimmed (the instructor's table, written otherwise).
BUSY_CELLS_FULL = '''my_table = model.Schedule.all_full().table.copy()
my_table.loc[:, :] = "dimmed"
for day in pedestrians.index[pedestrians > model.BUSY_PEDESTRIANS]:
    my_table.loc[day.month, model.WEEKDAYS[day.day_of_week]] = "full"
'''

#: A submission: the answers it replaces (solution grade_id -> cell source, or UNANSWERED), and the
#: test cells it should fail. Every other automatically graded part keeps its full points.
WRONG_SUBMISSIONS = {
    # The means of the days of the week in alphabetical order, Friday first.
    "profile_in_alphabetical_order": (
        {"weekly_profile": "def weekly_profile(series):\n    return series.groupby(series.index.day_name()).mean()\n"},
        {"test_weekly_profile"},
    ),
    # Days without a count taken as zeros: right on the Pont Daladier, which has no gap; a hidden
    # counter has one.
    "profile_gaps_as_zeros": (
        {
            "weekly_profile": (
                "def weekly_profile(series):\n"
                "    filled = series.fillna(0)\n"
                "    return filled.groupby(filled.index.day_name()).mean().reindex(list(model.WEEKDAYS))\n"
            ),
        },
        {"test_weekly_profile"},
    ),
    # The course's model called instead of pandas: right figures, but not the learner's computation.
    "profile_calls_the_model": (
        {"weekly_profile": "def weekly_profile(series):\n    return model.weekday_profile(series)\n"},
        {"test_weekly_profile"},
    ),
    # Right, with a docstring and comments that name the model: only a call of the model counts.
    "model_named_in_comments": (
        {
            "weekly_profile": (
                "def weekly_profile(series):\n"
                '    """The same as model.weekday_profile(series), computed with pandas."""\n'
                "    # checked against model.weekday_profile(daladier) in a cell of my own\n"
                '    note = "model.weekday_profile(series) agrees"  # a string, not a call\n'
                "    means = series.groupby(series.index.day_of_week).mean()\n"
                "    return pd.Series([means.get(number, np.nan) for number in range(7)], index=list(model.WEEKDAYS))\n"
            ),
        },
        set(),
    ),
    # Every 0 taken for a dead counter, even on a quiet channel where few pass.
    "every_zero_is_dead": ({"outage_days": OUTAGES.replace(" & (expected >= model.MIN_EXPECTED)", "")}, {"test_outage_days"}),
    # Days without a count forgotten: Avignon's channels have none, a hidden counter has a gap.
    "gaps_forgotten": ({"outage_days": OUTAGES.replace("flagged = missing | dead | stuck", "flagged = dead | stuck")},
                       {"test_outage_days"}),
    # Implausible days (low, high) taken for outages.
    "low_days_are_outages": (
        {
            "outage_days": OUTAGES.replace(
                "flagged = missing | dead | stuck",
                "low = (series > 0) & (series < model.LOW_RATIO * expected)\n"
                "    flagged = missing | dead | stuck | low",
            ),
        },
        {"test_outage_days"},
    ),
    # No error for a period without any count: an empty list says the counter worked.
    "no_error_for_an_empty_period": (
        {"outage_days": OUTAGES.replace('    if series.count() == 0:\n        raise ValueError("No count in this period.")\n', "")},
        {"test_outage_days"},
    ),
    # A run must be longer than STUCK_DAYS, not at least as long: the footbridge's run of eight
    # days is still found; a hidden run of exactly STUCK_DAYS is not.
    "stuck_runs_one_day_too_long": (
        {"outage_days": OUTAGES.replace(">= model.STUCK_DAYS", "> model.STUCK_DAYS")},
        {"test_outage_days"},
    ),
    # The weekend mean divided by the weekday mean.
    "ratio_upside_down": (
        {
            "ratio": (
                "def weekday_weekend_ratio(series):\n"
                "    weekday = series.index.day_of_week < 5\n"
                "    return series[~weekday].mean() / series[weekday].mean()\n"
            ),
        },
        {"test_ratio"},
    ),
    # Days without a count taken as zeros: right on Avignon's channels, not on a hidden one.
    "ratio_gaps_as_zeros": (
        {
            "ratio": (
                "def weekday_weekend_ratio(series):\n"
                "    filled = series.fillna(0)\n"
                "    weekday = filled.index.day_of_week < 5\n"
                "    return filled[weekday].mean() / filled[~weekday].mean()\n"
            ),
        },
        {"test_ratio"},
    ),
    # Only the word "Rain": drizzle and thunderstorms forgotten.
    "only_the_word_rain": (
        {"rain": RAIN.replace('"|".join(model.RAIN_WORDS)', '"Rain"')},
        {"test_rain"},
    ),
    # All rainy days against all dry days: the ratio the season confounds.
    "naive_rain_ratio": (
        {
            "rain": RAIN.split("\n\n\ndef rain_ratio")[0] + (
                "\n\n\ndef rain_ratio(counts, rain_hours):\n"
                '    days = pd.DataFrame({"count": counts, "rain_hours": rain_hours}).dropna()\n'
                '    rainy = days["rain_hours"] >= model.RAINY_DAY_HOURS\n'
                '    return days.loc[rainy, "count"].mean() / days.loc[~rainy, "count"].mean()\n'
            ),
        },
        {"test_rain"},
    ),
    # The strata's ratios averaged without their weights.
    "rain_strata_not_weighted": (
        {"rain": RAIN.replace("np.average(ratios, weights=weights)", "np.mean(ratios)")},
        {"test_rain"},
    ),
    # Watts taken for kilowatts.
    "watts_for_kilowatts": ({"savings": SAVINGS.replace(" / 1000", "")}, {"test_savings"}),
    # A change that saves nothing makes the function divide by zero.
    "payback_divides_by_zero": (
        {"savings": SAVINGS.replace("(points * cost_per_point / savings if savings > 0 else math.inf)",
                                    "points * cost_per_point / savings")},
        {"test_savings"},
    ),
    # Full lighting every night: no busy day dimmed, no energy saved.
    "schedule_all_full": ({"schedule": "my_table = model.Schedule.all_full().table.copy()\n"}, {"test_schedule"}),
    # Every night dimmed: the most energy saved, and every busy day dimmed.
    "schedule_all_dimmed": ({"schedule": "my_table = model.Schedule.all_dimmed().table.copy()\n"}, {"test_schedule"}),
    # Full lighting in July and August only: the busy days of May, September and October dimmed.
    "schedule_summer_only": (
        {
            "schedule": (
                "my_table = model.Schedule.all_full().table.copy()\n"
                'my_table.loc[:, :] = "dimmed"\n'
                'my_table.loc[[7, 8], :] = "full"\n'
            ),
        },
        {"test_schedule"},
    ),
    # A misspelt cell.
    "schedule_misspelt_cell": (
        {"schedule": BUSY_CELLS_FULL + 'my_table.loc[12, "Sunday"] = "dim"\n'},
        {"test_schedule"},
    ),
    # Every night dimmed, with the counts capped in the answer cell so that no day looks busy: the
    # visible check passes, the hidden one, on the counts read afresh, does not.
    "schedule_counts_changed": (
        {
            "schedule": (
                "pedestrians = pedestrians.clip(upper=1_000)\n"
                "my_table = model.Schedule.all_dimmed().table.copy()\n"
            ),
        },
        {"test_schedule"},
    ),
    # Another table than the instructor's that meets both requirements: full points.
    "another_sound_schedule": ({"schedule": BUSY_CELLS_FULL + 'my_table.loc[6, ["Saturday", "Sunday"]] = "full"\n'}, set()),
    # Every computation right, no written answer: 20 of 25 points, and no pass.
    "computations_without_written_answer": ({"recommendation": UNANSWERED}, set()),
    # The notebook's figures typed into Parts 1 and 3, and no written answer: 15 of 25 points, the
    # pass share, and no pass.
    "typed_figures_without_written_answer": (
        {"weekly_profile": weekly_profile_typed(), "ratio": ratio_typed(), "recommendation": UNANSWERED},
        {"test_weekly_profile", "test_ratio"},
    ),
}

#: Part 6 tables of WRONG_SUBMISSIONS whose feedback must carry the model's own verdict, as
#: check_schedule gives it with the real counts: student -> the answer cell's code.
SCHEDULES_THAT_FAIL = {
    student: replacements["schedule"]
    for student, (replacements, failing) in WRONG_SUBMISSIONS.items()
    if "test_schedule" in failing and student != "schedule_misspelt_cell"
}

#: What each submission should read in its feedback. Several come from a failing *hidden* test
#: (``profile_gaps_as_zeros``, ``profile_calls_the_model``,
#: ``no_error_for_an_empty_period``, ``stuck_runs_one_day_too_long``, ``ratio_gaps_as_zeros``,
#: ``payback_divides_by_zero``, ``schedule_counts_changed``, the typed profile), so their feedback
#: is the real test of whether hidden tests stay hidden; the others fail a visible test first, or pass.
LEARNER_MESSAGES = {
    "profile_in_alphabetical_order": ["in that order (model.WEEKDAYS)", "put in the order of the week with .reindex(model.WEEKDAYS)"],
    "profile_gaps_as_zeros": ["On a counter with a gap, your profile counts the days without a count as 0"],
    "profile_calls_the_model": ["Your weekly_profile calls the course's model"],
    "model_named_in_comments": ["Part 1: the visible checks pass. On the Pont Daladier"],
    "every_zero_is_dead": ["On Avignon's channel 'to_st_lazare_over_30'", "and the rule finds none"],
    "gaps_forgotten": ["missing from your list: 2024-06-12, 2024-06-13, 2024-06-14"],
    "low_days_are_outages": ["flagged low or high: such a day is implausible and worth checking"],
    "no_error_for_an_empty_period": ["For a period without any count (January 2022, after the end of the file)"],
    "stuck_runs_one_day_too_long": ["A run of exactly model.STUCK_DAYS"],
    "ratio_upside_down": ["Your ratio is upside down"],
    "ratio_gaps_as_zeros": ["On a series with gaps, your ratio counts the days without a count as 0"],
    "only_the_word_rain": ["drizzle and thunderstorms are rain too"],
    "naive_rain_ratio": ["that is the naive ratio, which the season confounds"],
    "rain_strata_not_weighted": ["Check the strata (month × weekday or weekend), the ones you keep, and the weights"],
    "watts_for_kilowatts": ["Your savings are 1 000 times too large"],
    "payback_divides_by_zero": ["When the new lamps save nothing, your function divides by zero"],
    "schedule_all_full": ["Your schedule does not meet the council's requirements yet"],
    "schedule_all_dimmed": ["Your schedule does not meet the council's requirements yet"],
    "schedule_summer_only": ["Your schedule does not meet the council's requirements yet"],
    "schedule_misspelt_cell": ["Row 12 (December), column 'Sunday' holds 'dim': use 'full' or 'dimmed'."],
    "schedule_counts_changed": ["With the pedestrian counts read afresh from Avignon's file"],
    "another_sound_schedule": ["Part 6: the visible checks pass. Your schedule passes"],
    "computations_without_written_answer": ["Part 6: the visible checks pass. Your schedule passes"],
    "typed_figures_without_written_answer": [
        "Your weekly_profile returns the Pont Daladier's profile whatever series it receives",
        "Your ratio for the cyclists of the St Lazare–Thiers axis is",
    ],
}


# --------------------------------------------------------------------------- helpers


def data_namespace(source) -> dict:
    """The namespace of the notebook's setup and data cells, run here (``display`` does nothing)."""
    namespace = {"display": lambda *args, **kwargs: None}
    for grade_id in DATA_CELLS:
        exec(cell_source(source, grade_id), namespace)
    return namespace


def table_of(source, code: str, namespace: dict | None = None) -> pd.DataFrame:
    """The ``my_table`` that an answer cell of Part 6 defines, run on the notebook's data."""
    namespace = dict(namespace or data_namespace(source))
    exec(code, namespace)
    return namespace["my_table"]


def course_model_answers() -> dict:
    """Answers to Parts 1 to 5 computed with the course's model: an implementation independent of
    the instructor's solutions, to check the expectations written into the tests. They call no
    attribute of ``model`` (the hidden tests refuse functions that do)."""
    from modules.smart_towns.model import (
        RAINY_DAY_HOURS,
        join_counts_weather,
        rain_effect,
        weekday_profile,
    )
    from modules.smart_towns.model import daily_weather as rule_daily_weather
    from modules.smart_towns.model import outage_days as rule_outage_days
    from modules.smart_towns.model import weekday_weekend_ratio as rule_ratio

    def weekly_profile(series):
        return weekday_profile(series)

    def outage_days(series):
        return rule_outage_days(series)

    def weekday_weekend_ratio(series):
        return rule_ratio(series)

    def rain_hours_per_day(hourly):
        return rule_daily_weather(hourly)["rain_hours"]

    def rain_ratio(counts, rain_hours):
        daily = pd.DataFrame({"rain_hours": rain_hours})
        daily["mean_temp_c"] = 10.0
        daily["max_temp_c"] = 15.0
        daily["snow_hours"] = 0
        daily["rainy"] = daily["rain_hours"] >= RAINY_DAY_HOURS
        joined = join_counts_weather(counts.rename("path").to_frame(), daily, "path")
        return rain_effect(joined).adjusted_ratio

    def savings_and_payback(points, old_watts, new_watts, hours_before, hours_after, tariff, cost_per_point):
        saved_kwh = points * (old_watts * hours_before - new_watts * hours_after) / 1000
        savings = saved_kwh * tariff
        return savings, (points * cost_per_point) / savings if savings > 0 else math.inf

    return dict(locals())


# --------------------------------------------------------------------------- fixtures


EXERCISE = Exercise("smart_towns", 1, AUTOGRADED_POINTS, WRONG_SUBMISSIONS)
source, generated, pipeline = exercise_fixtures(EXERCISE)


class TestTheChecksOfEveryExercise(StandardExerciseChecks):
    exercise = EXERCISE


@pytest.fixture(scope="module")
def secrets():
    """The solution and hidden-test blocks of the instructor notebook, as the course defines them."""
    found = secrets_of_notebook(SOURCE_NOTEBOOK)
    # A leak check means something only if there is something secret to look for: one solution
    # per function or answer (two in Part 4), and one hidden block per test cell at least.
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
    assert table.pop("Total") == sum(graded.values()) == 25
    assert sum(table.values()) == sum(graded.values()), f"the parts table of the introduction: {table}"
    assert table == {"1": 3, "2": 4, "3": 2, "4": 3, "5": 3, "6": 5, "7": 5}
    # Each part's heading announces the points of its test cell.
    for part in range(1, 8):
        title = cell_source(source, f"part{part}_instructions").splitlines()[0]
        assert f"Part {part}:" in title and f"({table[str(part)]} points" in title, title


def test_does_every_cell_carry_the_nbgrader_metadata_of_its_role(source):
    for cell in source.cells:
        flags = nbgrader_flags(cell)
        assert flags.get("schema_version") == 3 and flags.get("grade_id"), cell.source[:60]
        if flags["solution"]:
            assert not flags["locked"]
        else:
            assert flags["locked"]
        if flags["grade"] and cell.cell_type == "code":
            assert cell.source.startswith(HIDDEN_MARKERS[0] + "\n# Grading only") and \
                'get_ipython().InteractiveTB.set_mode(mode="Minimal")' in cell.source.split(HIDDEN_MARKERS[1])[0]
        if flags["grade"] and cell.cell_type == "markdown":
            assert flags["solution"], "a graded markdown cell must also be a solution cell"
        if cell.cell_type == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None


def test_does_the_site_page_show_the_same_points_table_as_the_notebook(source):
    page = SITE_PAGE.read_text(encoding="utf-8")
    assert page.startswith(f"---\nassignment: {ASSIGNMENT}\ntime: {EXERCISE_MINUTES}\n---\n")
    assert points_table(page) == points_table(source.cells[0].source)


@pytest.mark.parametrize("document", ["exercise page", "notebook"])
def test_do_the_page_and_the_notebook_state_the_pass_rule(source, document):
    text = SITE_PAGE.read_text(encoding="utf-8") if document == "exercise page" else source.cells[0].source
    written = MANUAL_POINTS["recommendation"]
    assert f"at least {round(PASS_SHARE * 100)} % of the points" in plain(text)
    assert f"at least {WRITTEN_MINIMUM} of the {written} points of the written answer (Part 7)" in plain(text)
    assert f"{math.ceil(PASS_SHARE * MAX_POINTS)} of the {MAX_POINTS} points" in plain(text)


def test_do_the_instructions_take_the_rules_from_the_model_instead_of_restating_them(source):
    """The anomaly rule, the rainy day and the council's levels are printed from the model, so the
    notebook never states them a second time with numbers that could drift apart."""
    namespace = data_namespace(source)
    assert "print(model.ANOMALY_RULE)" in cell_source(source, "anomaly_rule")
    part2 = plain(cell_source(source, "part2_instructions"))
    for name in ("model.WINDOW_WEEKS", "model.MIN_EXPECTED", "model.STUCK_DAYS", "model.OUTAGE_FLAGS"):
        assert name in part2
    for number in (f"{model.STUCK_DAYS} days", f"{model.WINDOW_WEEKS} weeks", f"{model.MIN_EXPECTED:g} counts"):
        assert number not in part2, number
    montreal = cell_source(source, "montreal")
    assert "model.RAIN_WORDS" in montreal and "model.RAINY_DAY_HOURS" in montreal
    assert f"{model.RAINY_DAY_HOURS} hours" not in plain(cell_source(source, "part4_instructions"))
    schedule_data = cell_source(source, "schedule_data")
    assert "model.BUSY_PEDESTRIANS" in schedule_data and "model.MIN_ENERGY_CUT" in schedule_data
    part6 = plain(cell_source(source, "part6_instructions"))
    assert "2 000" not in part6 and "2000" not in part6 and f"{model.MIN_ENERGY_CUT * 100:.0f} %" not in part6
    # The footbridge of Part 2 shows every flag of the rule once at least, and its outages are
    # missing, dead and stuck days.
    flags = model.find_anomalies(namespace["example"])["flag"]
    assert set(flags) == {"missing", "dead", "stuck", "low", "high"}
    assert len(model.outage_days(namespace["example"])) == (flags.isin(model.OUTAGE_FLAGS)).sum() == 12


def test_are_the_councils_levels_of_the_hidden_test_those_of_the_model(source):
    """Part 6's hidden test passes the council's levels as numbers (a learner may change the
    model's constants in the notebook): they must be the model's."""
    hidden = cell_source(source, "test_schedule").split(HIDDEN_MARKERS[0])[-1]
    cut, level = re.search(r"min_cut=([\d.]+), busy_level=(\d+)\)", hidden).groups()
    assert float(cut) == model.MIN_ENERGY_CUT and int(level) == model.BUSY_PEDESTRIANS
    assert f"a required cut of {float(cut) * 100:.0f} % and busy days above " \
           f"{int(level):,} pedestrians".replace(",", " ") in normalise(hidden.replace('"\n    "', ""))


def test_do_the_schedules_of_the_submissions_do_what_their_comments_say(source):
    """The instructor's table and another one pass; the wrong ones miss the cut or dim busy days."""
    namespace = data_namespace(source)
    pedestrians = namespace["pedestrians"]

    def check(code):
        return model.check_schedule(model.Schedule.from_table(table_of(source, code, namespace)), pedestrians)

    instructor = check(without_solution_markers(cell_source(source, "schedule")))
    assert instructor.passes and instructor.energy_cut >= model.MIN_ENERGY_CUT + 0.03
    assert check(BUSY_CELLS_FULL).energy_cut == instructor.energy_cut
    assert check(WRONG_SUBMISSIONS["another_sound_schedule"][0]["schedule"]).passes
    full = check(WRONG_SUBMISSIONS["schedule_all_full"][0]["schedule"])
    assert full.energy_cut == 0 and not full.meets_cut and not full.busy_days_dimmed
    dimmed = check(WRONG_SUBMISSIONS["schedule_all_dimmed"][0]["schedule"])
    assert dimmed.meets_cut and len(dimmed.busy_days_dimmed) == (pedestrians > model.BUSY_PEDESTRIANS).sum()
    summer = check(WRONG_SUBMISSIONS["schedule_summer_only"][0]["schedule"])
    assert summer.meets_cut and summer.busy_days_dimmed
    assert {day.month for day in summer.busy_days_dimmed} == {5, 9, 10}
    with pytest.raises(ValueError, match="Row 12 \\(December\\), column 'Sunday' holds 'dim'"):
        check(WRONG_SUBMISSIONS["schedule_misspelt_cell"][0]["schedule"])
    # Capping the counts in the notebook makes the visible check pass.
    changed = dict(namespace)
    exec(WRONG_SUBMISSIONS["schedule_counts_changed"][0]["schedule"], changed)
    assert model.check_schedule(model.Schedule.from_table(changed["my_table"]), changed["pedestrians"]).passes


def test_do_the_hidden_expectations_agree_with_the_course_model(source):
    """Every test cell, hidden tests included, passes with answers computed by the course's model:
    the hand-computed expectations of the made-up counters, weather and lamps are right."""
    namespace = data_namespace(source)
    namespace["get_ipython"] = FakeShell
    namespace.update(course_model_answers())
    exec(without_solution_markers(cell_source(source, "schedule")), namespace)
    for grade_id in AUTOGRADED_POINTS:
        exec(cell_source(source, grade_id), namespace)


def test_does_the_model_raise_for_a_period_without_any_count():
    """Part 2 asks for a ValueError when the series holds no count: the rule of the model does the same."""
    empty = model.channel_series(model.load_counts(), "daladier_pedestrians").loc["2022-01-01":"2022-01-31"]
    assert empty.empty
    with pytest.raises(ValueError):
        model.outage_days(empty)
    with pytest.raises(ValueError):
        model.outage_days(pd.Series(np.nan, index=pd.date_range("2023-11-01", periods=9, freq="D", name="day")))


def test_are_the_figures_of_the_model_answer_and_the_marking_notes_right(source):
    notes = plain(cell_source(source, "recommendation"))
    answer, marking = notes.split("Marking notes")
    namespace = data_namespace(source)
    pedestrians = namespace["pedestrians"]
    schedule = model.Schedule.from_table(table_of(source, without_solution_markers(cell_source(source, "schedule"))))
    check = model.check_schedule(schedule, pedestrians)
    assumptions = model.LightingAssumptions()
    led = model.compare(assumptions, model.FULL)
    dimmed = model.compare(assumptions, model.DIMMED_NIGHT)
    planned = model.compare(assumptions, schedule)

    def grouped(value):
        return f"{value:,.0f}".replace(",", " ")

    # The model answer, in round figures.
    assert f"save about {grouped(round(led.savings_eur, -3))} € a year for an investment of {grouped(led.investment_eur)} €" in answer
    assert f"pays back in about {led.payback_years:.0f} years" in answer
    assert f"raises the savings to about {grouped(round(planned.savings_eur, -3))} € a year" in answer
    assert f"shortens the payback to about {planned.payback_years:.0f} years" in answer
    busy = int((pedestrians > model.BUSY_PEDESTRIANS).sum())
    assert f"cuts the energy of the street lights by {check.energy_cut * 100:.0f} % and keeps full light on all {busy} days" in answer
    assert model.DIMMED_NIGHT.description == "30 % from 22:00 to 06:00, full power otherwise"
    assert "30 % of their power from 10 pm to 6 am" in answer and "more than 2 000 people" in answer
    assert model.BUSY_PEDESTRIANS == 2000
    costly = model.compare(model.LightingAssumptions(investment_eur_per_point=2 * assumptions.investment_eur_per_point), schedule)
    assert f"double, to about {costly.payback_years:.0f} years" in answer
    assert math.isclose(costly.payback_years, 2 * planned.payback_years)
    assert 5 <= len(re.findall(r"[.!?](?:\s|$)", answer.strip())) <= 8, "the model answer keeps to 5 to 8 sentences"

    # The marking notes, to the euro and the tenth.
    assert f"the old lamps use {grouped(led.energy_before_kwh / 1000)} MWh a year ({grouped(led.cost_before_eur)} €" in marking
    assert f"LED lamps at full power use {grouped(led.energy_after_kwh / 1000)} MWh: savings {grouped(led.savings_eur)} € a year, " \
           f"investment {grouped(led.investment_eur)} €, payback {led.payback_years:.1f} years" in marking
    assert f"savings {grouped(dimmed.savings_eur)} €, payback {dimmed.payback_years:.1f} years" in marking
    assert f"savings {grouped(planned.savings_eur)} €, payback {planned.payback_years:.1f} years" in marking
    assert f"That schedule cuts {check.energy_cut * 100:.1f} % of the energy" in marking
    everything = model.check_schedule(model.Schedule.all_dimmed(), pedestrians)
    cells = {(day.month, day.day_of_week) for day in pedestrians.index[pedestrians > model.BUSY_PEDESTRIANS]}
    assert f"The {busy} busy days fall in {len(cells)} of the 84 cells" in marking
    assert {month for month, _ in cells} == {5, 7, 8, 9, 10}
    assert all((month, weekday) in cells for month in (7, 8) for weekday in range(7))
    assert f"dimming every night would cut {everything.energy_cut * 100:.1f} %" in marking
    assert f"avoid {(led.co2_before_kg - led.co2_after_kg) / 1000:.1f} t CO2e a year" in marking
    assert f"with the schedule {(planned.co2_before_kg - planned.co2_after_kg) / 1000:.1f} t, at " \
           f"{assumptions.emission_g_per_kwh:.0f} g per kWh" in marking
    assert f"pay back in {costly.payback_years:.1f} years instead of {planned.payback_years:.1f}" in marking
    cheaper = model.compare(model.LightingAssumptions(tariff_eur_per_kwh=0.15), schedule)
    assert f"at 0.15 € per kWh, {cheaper.payback_years:.1f} years" in marking
    old_100 = model.compare(model.LightingAssumptions(old=model.Installation(assumptions.old.points, 100.0)), model.FULL)
    assert f"LED lamps alone pay back in {old_100.payback_years:.1f} years instead of {led.payback_years:.1f}" in marking
    assert assumptions.old.watts_per_point == 150
    counts = model.load_counts()
    outages = {key: model.outage_days(model.channel_series(counts, key)) for key in model.CHANNEL_KEYS}
    total, channels = sum(map(len, outages.values())), sum(1 for days in outages.values() if days)
    found = (f"no outage day on any of its {len(model.CHANNEL_KEYS)} channels" if total == 0
             else f"{total} outage days on {channels} of its {len(model.CHANNEL_KEYS)} channels")
    assert f"Avignon's 2021 file has {found}" in marking
    effect = model.rain_effect(model.join_counts_weather(namespace["bikes"], model.daily_weather(namespace["weather"]), "Berri 1"))
    assert f"the adjusted rain ratio of Berri 1 is {effect.adjusted_ratio:.2f} against a naive {effect.naive_ratio:.2f}" in marking


def test_does_the_part_7_prompt_ask_for_what_the_rubric_grades(source):
    rubric = cell_source(source, "part7_rubric")
    prompt = plain(cell_source(source, "part7_instructions"))
    criteria = re.findall(r"^\| (\w[\w ]*) \| ", rubric, flags=re.MULTILINE)
    assert criteria[1:] == ["Recommendation", "Figures", "Assumptions", "Limits of the counts", "Data first"]
    assert "would you recommend the investment, and what data would you want first?" in prompt
    assert "5 to 8 sentences" in plain(rubric) and "5 to 8 sentences" in prompt
    for asked in ["say whether you recommend the investment", "the yearly savings and the simple payback",
                  "the energy cut of your schedule", "name the assumption that matters most for the payback",
                  "what the counters can and cannot tell the council", "which data you would want first"]:
        assert asked in prompt, asked
    # Each criterion grades one thing, asked by one bullet of the prompt; the length and the plain
    # language are asked for the whole answer and graded by no criterion.
    criterion = dict(re.findall(r"^\| (\w[\w ]*) \| (.*) \|$", rubric, flags=re.MULTILINE))
    assert not any("sentences" in text for text in criterion.values())
    assert "Half points are not given" in plain(rubric)


# --------------------------------------------------------------------------- tests: secrets


def test_are_the_solutions_and_hidden_tests_found_nowhere_that_learners_read(source, secrets):
    """No line of a solution or a hidden test also stands in the notebook's visible cells or in any
    file that reaches learners (lessons, the model, the site's sources): a line shared with them
    would count as a leak, or give the answer away."""
    visible = "\n".join(
        cell.source for cell in source.cells
        if not (nbgrader_flags(cell).get("solution") and cell.cell_type == "markdown")
    )
    for begin, end in (SOLUTION_MARKERS, HIDDEN_MARKERS):
        visible = re.sub(re.escape(begin) + r".*?" + re.escape(end), "", visible, flags=re.S)
    assert describe(leaks_in_text(visible, secrets)) == []
    hidden = [secret for secret in secrets if secret.kind == "hidden test"]
    solutions = "\n".join(secret.text for secret in secrets if secret.kind == "solution")
    assert describe(leaks_in_text(solutions, hidden)) == [], "a hidden test repeats a line of a solution"
    for path in learner_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        assert describe(leaks_in_text(text, secrets)) == [], path.relative_to(REPO)


# --------------------------------------------------------------------------- tests: the pipeline


def test_is_the_released_notebook_free_of_solutions_and_hidden_tests(generated: Pipeline, secrets):
    assert generated.generate.returncode == 0, failure_report(generated.generate)
    released = nbformat.read(generated.released_notebook, as_version=4)
    text = "\n".join(cell.source for cell in released.cells)
    assert describe(leaks_in_text(text, secrets)) == []

    raw = generated.released_notebook.read_text(encoding="utf-8")
    for marker in SOLUTION_MARKERS + HIDDEN_MARKERS:
        assert marker not in raw
    assert "Marking notes" not in raw
    for cell in released.cells:
        assert not cell.get("outputs"), "the released notebook should have no outputs"
    # Each answer cell is left to the learner, with nbgrader's stub in place of the solution.
    stubs = [cell.source for cell in released.cells if nbgrader_flags(cell).get("solution")]
    assert len(stubs) == SOLUTION_CELLS and all("NotImplementedError" in s or "YOUR ANSWER HERE" in s for s in stubs)
    # The schedule's answer cell keeps its starting table, above the stub.
    schedule = next(cell.source for cell in released.cells if nbgrader_flags(cell).get("grade_id") == "schedule")
    assert "my_table = model.Schedule.all_full().table.copy()" in schedule


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
    assert normalise("profile = weekly_profile(daladier.copy())") in text
    check_verdicts(text, source, LEARNER_MESSAGES[student])

    # The feedback shows the learner's own answers, so only the hidden tests are looked for here.
    hidden = [secret for secret in secrets if secret.kind == "hidden test"]
    assert describe(leaks_in_text(text, hidden)) == [], f"hidden tests in the feedback of {student}"


@pytest.mark.parametrize("student", sorted(SCHEDULES_THAT_FAIL))
def test_does_the_feedback_of_a_failing_schedule_give_the_courses_message_not_the_kernels_verdict(pipeline: Pipeline,
                                                                                                source, student):
    """The model's verdict on the real counts (the cut, the busy days dimmed) is computed in the
    learner's kernel, where code could replace it with a hidden test: the feedback gives the
    course's message instead; the learner's own run of the visible check prints the verdict."""
    pedestrians = model.channel_series(model.load_counts(), "daladier_pedestrians")
    namespace = data_namespace(source)
    verdict = model.check_schedule(model.Schedule.from_table(table_of(source, SCHEDULES_THAT_FAIL[student], namespace)),
                                   pedestrians)
    assert not verdict.passes
    text = html_text(pipeline.feedback_page(student).read_text(encoding="utf-8"))
    assert normalise(verdict.message) not in text
    assert "✘ Not passed" in text


def test_do_computations_without_a_written_answer_fail_at_the_pass_share(pipeline: Pipeline):
    """Every computation right, or figures typed into two parts, and no written answer: enough points
    for the pass share, and still no pass, as the stated rule says."""
    for student, expected_total in [("computations_without_written_answer", 20),
                                    ("typed_figures_without_written_answer", 15)]:
        scores = pipeline.scores[student]
        total, written = sum(scores.values()), scores["recommendation"]
        assert written == 0
        assert total == expected_total >= PASS_SHARE * MAX_POINTS, f"{student}: {total} of {MAX_POINTS} points"
        assert not passes(total, written, MAX_POINTS), f"{student}: {total} of {MAX_POINTS} points, {written} for the written answer"
        # The same computations with a written answer at the minimum would pass.
        assert passes(total + WRITTEN_MINIMUM, WRITTEN_MINIMUM, MAX_POINTS)
    assert math.ceil(PASS_SHARE * MAX_POINTS) == 15
