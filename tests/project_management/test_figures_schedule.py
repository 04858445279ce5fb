"""Tests of the views of lesson 01 (modules/project_management/figures/schedule.py).

The views only format and draw: every number they show must be the model's, and every figure must
keep its alt text. Each test asks one question about what a reader of the lesson sees.
"""

from __future__ import annotations

import datetime
import html
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib import dates as mdates

from modules.project_management import model
from modules.project_management.figures import schedule as views

START = datetime.date(2025, 11, 3)  # a Monday


@pytest.fixture(scope="module")
def tasks() -> pd.DataFrame:
    """A small project with a parallel branch, a date constraint and a milestone (working days)."""
    return pd.DataFrame(
        [
            ("Study", 5, "", "MOA", "Needs and programme"),
            ("Design", 10, "Study", "MOE", "Outline design"),
            ("Permit", 20, "Design", "Mayor", "Authorisation of works"),
            ("Tender", 8, "Design", "MOA", "Call for bids"),
            ("Term", 30, "", "Calendar", "Not work: the building is in use"),
            ("Works", 6, "Permit, Tender, Term", "Contractors", "The works themselves"),
            ("Painting", 2, "Works", "Contractors", "Paint"),
            ("Handover", 0, "Works, Painting", "", "Milestone"),
        ],
        columns=["name", "duration", "predecessors", "who", "description"],
    )


@pytest.fixture(scope="module")
def network(tasks) -> model.Network:
    return model.Network.from_table(tasks)


@pytest.fixture(scope="module")
def plan(network) -> pd.DataFrame:
    return model.schedule(network)


def alt_of(shown) -> str:
    """The alt text of an accessible figure, as a screen reader would read it."""
    markup = shown._repr_mimebundle_()["text/html"]
    return html.unescape(re.search(r'alt="([^"]*)"', markup).group(1))


# -- formatting -----------------------------------------------------------------------------------


def test_days_are_written_without_a_useless_decimal():
    assert views.days(15.0) == "15"
    assert views.days(0) == "0"
    assert views.days(2.5) == "2.5"


def test_dates_and_day_numbers_are_written_as_the_lesson_writes_them():
    assert views.date_text(datetime.date(2026, 9, 1)) == "1 Sep 2026"
    assert views.date_text(213.0) == "day 213"


def test_task_table_keeps_every_task_its_role_and_its_predecessors(tasks):
    table = views.task_table(tasks).frame
    assert list(table.index) == list(tasks["name"])
    assert list(table.columns) == ["who", "working days", "after", "what"]
    assert table.loc["Works", "after"] == "Permit, Tender, Term"
    assert table.loc["Study", "after"] == ""
    assert table.loc["Permit", "working days"] == "20"
    assert table.loc["Term", "who"] == "Calendar"


def test_task_table_shows_long_descriptions_in_full(tasks):
    long = tasks.assign(description="x" * 120)
    assert "x" * 120 in views.task_table(long)._repr_html_()


def test_task_table_works_without_the_optional_columns(tasks):
    table = views.task_table(tasks[["name", "duration", "predecessors"]]).frame
    assert list(table.columns) == ["working days", "after"]


def test_schedule_table_shows_the_passes_of_the_model(plan, tasks):
    table = views.schedule_table(plan, who=tasks.set_index("name")["who"])
    assert list(table.index) == list(plan.index)
    assert table.columns[0] == "who"
    for column, heading in views.SCHEDULE_HEADINGS.items():
        if column == "critical":
            assert list(table[heading] == "yes") == list(plan[column])
        else:
            assert [float(value) for value in table[heading]] == pytest.approx(list(plan[column]))
    assert table.loc["Tender", "total float"] == "12" and table.loc["Tender", "free float"] == "12"
    assert table.loc["Study", "critical"] == "yes" and table.loc["Term", "total float"] == "5"


def test_schedule_table_without_roles_has_no_who_column(plan):
    assert "who" not in views.schedule_table(plan).columns


# -- the float chart -------------------------------------------------------------------------------


def test_float_chart_names_the_critical_tasks_and_both_floats_of_the_others(plan):
    alt = alt_of(views.float_chart(plan))
    critical = list(plan.index[plan["critical"]])
    assert f"Critical tasks, with no float: {', '.join(critical)}." in alt
    for name in plan.index[~plan["critical"]]:
        total, free = views.days(plan.loc[name, "total_float"]), views.days(plan.loc[name, "free_float"])
        assert f"{name} {total} / {free}" in alt


# -- the Gantt chart -------------------------------------------------------------------------------


def test_gantt_chart_in_working_days_describes_the_critical_path_and_the_floats(network):
    gantt = model.gantt_data(network)
    shown = views.gantt_chart(gantt, title="A project", constraints=["Term"], deadline=40, deadline_label="Deadline")
    alt = alt_of(shown)
    assert alt.startswith(f"Gantt chart of {len(gantt)} tasks, from day 0 to day {views.days(gantt['finish'].max())}.")
    critical_work = [name for name, flag in zip(gantt["task"], gantt["critical"]) if flag and name != "Term"]
    assert f"Critical tasks, in vermillion, with no float: {', '.join(critical_work)}." in alt
    for row in gantt[~gantt["critical"] & (gantt["task"] != "Term")].itertuples():
        assert f"{row.task} {views.days(row.float)}" in alt
    assert "Term 5" not in alt  # a date constraint is not work: its float is not listed with the tasks
    assert "date written as a task, not work: Term" in alt
    assert "A dashed line marks Deadline on day 40." in alt


def test_gantt_chart_on_a_calendar_gives_the_model_dates(network):
    gantt = model.gantt_data(network, start=START)
    shown = views.gantt_chart(gantt, title="A project", deadline=datetime.date(2026, 1, 5), deadline_label="Opening")
    alt = alt_of(shown)
    assert f"from {views.date_text(START)} to {views.date_text(gantt['finish'].max())}" in alt
    assert "A dashed line marks Opening on 5 Jan 2026." in alt
    assert "date constraint" not in alt and "not work" not in alt


def test_gantt_bars_span_the_working_days_the_model_counts(network):
    gantt = model.gantt_data(network, start=START)
    left, right, float_end = views._bar_positions(gantt, calendar=True)
    row = gantt.index[gantt["task"] == "Tender"][0]
    # a task's bar starts on its first day and ends after its last working day
    assert mdates.num2date(left[row]).date() == gantt.loc[row, "start"]
    assert mdates.num2date(right[row]).date() == gantt.loc[row, "finish"] + datetime.timedelta(days=1)
    # its float ends after as many more working days as its total float
    last_day = np.busday_offset(np.datetime64(gantt.loc[row, "finish"]), int(gantt.loc[row, "float"]))
    assert mdates.num2date(float_end[row]).date() == last_day.astype(datetime.date) + datetime.timedelta(days=1)
    # a milestone has no bar: it marks the start of its day
    milestone = gantt.index[gantt["task"] == "Handover"][0]
    assert left[milestone] == right[milestone] == float_end[milestone]


def test_gantt_bars_in_working_days_are_the_model_days(network):
    gantt = model.gantt_data(network)
    left, right, float_end = views._bar_positions(gantt, calendar=False)
    assert list(left) == pytest.approx(list(gantt["start"]))
    assert list(right) == pytest.approx(list(gantt["finish"]))
    assert list(float_end - right) == pytest.approx(list(gantt["float"]))


def test_gantt_chart_of_a_part_of_the_project_describes_only_that_part(network):
    gantt = model.gantt_data(network, start=START)
    part = gantt[gantt["task"].isin(["Works", "Painting", "Handover"])]
    alt = alt_of(views.gantt_chart(part, title="The works"))
    assert alt.startswith("Gantt chart of 3 tasks")
    assert "Study" not in alt


def test_gantt_chart_says_what_is_wrong_with_its_arguments(network):
    gantt = model.gantt_data(network)
    with pytest.raises(ValueError, match="'School term'"):
        views.gantt_chart(gantt, title="A project", constraints=["School term"])
    with pytest.raises(ValueError, match="empty"):
        views.gantt_chart(gantt.iloc[0:0], title="A project")


def test_every_figure_carries_the_credit_of_a_fictional_project(network, plan):
    for shown in (views.float_chart(plan), views.gantt_chart(model.gantt_data(network), title="A project")):
        assert views.DATA_CREDIT in shown.caption
