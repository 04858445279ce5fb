"""The tables of lesson 01 are shown in full, and its timeline draws each step of the cases at the
dates the lesson's table gives, no more precisely than the sources."""

import pandas as pd
import pytest
from matplotlib.dates import date2num

from modules.smart_towns.figures import overview

LONG = "require open formats, documented interfaces, and a clause saying the data belong to the town"


def steps():
    return pd.DataFrame(
        [
            ("Town A", "pilot", "2007-01-01", "2010-12-31", "year"),
            ("Town B", "inventory", "2017-02-01", "2017-06-30", "month"),
            ("Town B", "workshop", "2017-06-27", "2017-06-27", "day"),
        ],
        columns=["case", "step", "start", "end", "precision"],
    )


def test_is_a_long_text_shown_in_full_and_not_cut_by_pandas():
    frame = pd.DataFrame({"What the town can do": [LONG]}, index=["Dependence on one supplier"])
    assert LONG not in frame._repr_html_()  # pandas alone cuts it
    shown = overview.text_table(frame)
    assert LONG in shown._repr_html_() and LONG in repr(shown)


def test_is_something_else_than_a_table_refused():
    with pytest.raises(ValueError, match="DataFrame"):
        overview.text_table([LONG])


def test_does_each_step_become_a_bar_from_its_first_to_the_end_of_its_last_day():
    axes = overview.cases_timeline(steps()).figure.axes[0]
    bars = axes.patches
    assert len(bars) == 2  # the one-day workshop is a marker, not a bar
    pilot, inventory = bars
    assert pilot.get_x() == pytest.approx(date2num(pd.Timestamp("2007-01-01")))
    assert pilot.get_x() + pilot.get_width() == pytest.approx(date2num(pd.Timestamp("2011-01-01")))
    assert inventory.get_width() == pytest.approx(150)  # 1 February to 30 June 2017, both included
    (workshop,) = axes.lines
    assert workshop.get_xdata()[0] == pytest.approx(date2num(pd.Timestamp("2017-06-27")))
    assert [label.get_text() for label in axes.get_yticklabels()] == ["pilot", "inventory", "workshop"]


def test_are_only_the_steps_known_to_the_year_hatched():
    pilot, inventory = overview.cases_timeline(steps()).figure.axes[0].patches
    assert pilot.get_hatch() == "//"
    assert not inventory.get_hatch()


def test_does_the_alt_text_give_every_step_no_more_precisely_than_its_source():
    alt = overview.cases_timeline(steps()).alt
    assert "pilot (2007 to 2010)" in alt
    assert "inventory (February 2017 to June 2017)" in alt
    assert "workshop (27 June 2017)" in alt
    assert "Town A" in alt and "Town B" in alt and "from 2007 to 2017" in alt


def test_does_a_missing_column_get_named_with_what_it_should_hold():
    with pytest.raises(ValueError, match="'precision'.*how precise the source is"):
        overview.cases_timeline(steps().drop(columns="precision"))


def test_is_a_step_that_ends_before_it_starts_refused_with_its_dates():
    table = steps()
    table.loc[1, "end"] = "2016-06-30"
    with pytest.raises(ValueError, match="'inventory' \\(Town B\\) ends on 30 June 2016, before it starts on 1 February 2017"):
        overview.cases_timeline(table)


def test_is_an_unknown_precision_refused():
    table = steps()
    table.loc[0, "precision"] = "decade"
    with pytest.raises(ValueError, match="'decade'.*year, month, day"):
        overview.cases_timeline(table)
