"""Tests of the graded dimming schedule (modules/smart_towns/model/schedule.py).

First small synthetic cases whose energy cut and failing days are computed by hand from the nights,
then the real Pont Daladier pedestrians of 2021 (the threshold MIN_ENERGY_CUT is reachable, a
careless schedule fails), then a property (dimming more cells never lowers the cut), then every
validation error.
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.smart_towns import model
from modules.smart_towns.model import DIMMED_NIGHT, FULL, Schedule, counters

WEEKDAYS = counters.WEEKDAYS


def table(default: str = "full") -> pd.DataFrame:
    return pd.DataFrame(default, index=range(1, 13), columns=list(WEEKDAYS))


def series(values: dict[str, float]) -> pd.Series:
    return pd.Series(list(values.values()), index=pd.DatetimeIndex(list(values), name="day"), dtype=float)


@functools.cache
def daladier() -> pd.Series:
    return counters.channel_series(counters.load_counts(), "daladier_pedestrians")


def quiet_schedule(pedestrians: pd.Series, busy_level: float = model.BUSY_PEDESTRIANS) -> Schedule:
    """Dim every weekday × month cell that holds no busy day: the best passing schedule."""
    busy = pedestrians > busy_level
    cells = table("dimmed")
    for day in pedestrians.index[busy.to_numpy()]:
        cells.at[day.month, WEEKDAYS[day.weekday()]] = "full"
    return Schedule.from_table(cells)


# --- Small cases by hand -------------------------------------------------------------------------


def test_does_full_power_every_night_cut_nothing():
    result = model.check_schedule(Schedule.all_full(), series({"2021-01-04": 500, "2021-01-09": 2500}))
    assert result.energy_cut == 0 and not result.meets_cut and result.busy_days_dimmed == ()
    assert not result.passes
    assert result.message.startswith("Your schedule does not pass yet. It cuts the lighting energy by 0.0 %, short of")


def test_does_dimming_one_winter_weekday_give_the_hand_computed_cut():
    # Monday 4 and Saturday 9 January 2021, both quiet. Only Mondays of January are dimmed.
    # A January night runs from about 17:20 to 08:15: dimmed, it is (22 − dusk) h full + 8 h × 0.3 + (dawn − 6) h full.
    pedestrians = series({"2021-01-04": 500, "2021-01-09": 800})
    schedule = Schedule.from_dict({(1, "Monday"): "dimmed"})
    nights = model.nights(pedestrians.index)
    monday, saturday = nights.iloc[0], nights.iloc[1]
    dimmed_monday = (22 - monday["dusk"]) + 8 * 0.3 + (monday["dawn"] - 6)
    expected = 1 - (dimmed_monday + saturday["hours"]) / (monday["hours"] + saturday["hours"])
    # = the 8 dimmed hours × 0.7 saved, over the two nights' 14.9 + 14.8 h: 5.6 / 29.8 ≈ 18.8 %
    assert expected == pytest.approx(5.6 / (monday["hours"] + saturday["hours"]))
    result = model.check_schedule(schedule, pedestrians, min_cut=0.15)
    assert result.energy_cut == pytest.approx(expected)
    assert result.meets_cut and result.passes and result.busy_days_dimmed == ()
    assert result.message == (
        "Your schedule passes: it cuts the lighting energy by 18.8 % (at least 15.0 % needed) and keeps full "
        "lighting on all 0 busy days (more than 2 000 pedestrians)."
    )


def test_does_a_dimmed_busy_day_fail_and_get_named_with_its_count():
    # Saturday 9 January 2021 has 2,500 pedestrians (> 2,000): busy, and its cell is dimmed.
    pedestrians = series({"2021-01-04": 500, "2021-01-09": 2500, "2021-01-16": 2000})
    schedule = Schedule.from_table(table("dimmed"))
    result = model.check_schedule(schedule, pedestrians, min_cut=0.2)
    assert result.meets_cut  # every night dimmed: ≈ 5.6 / 15.1 ≈ 37 % per winter night
    assert result.busy_days_dimmed == (dt.date(2021, 1, 9),)  # 16 January has exactly 2,000: not busy
    assert not result.passes
    assert "It dims 1 busy day (more than 2 000 pedestrians): Saturday 9 January 2021 (2 500 pedestrians)." in result.message
    assert result.message.endswith("Set these cells to 'full': January Saturday.")


def test_does_a_day_without_a_count_never_count_as_busy():
    pedestrians = series({"2021-01-04": np.nan, "2021-01-09": 300})
    result = model.check_schedule(Schedule.from_table(table("dimmed")), pedestrians, min_cut=0.2)
    assert result.passes and result.busy_days_dimmed == ()


def test_does_each_day_get_the_profile_of_its_weekday_and_month():
    schedule = Schedule.from_dict({(7, "Saturday"): "dimmed", ("December", "sunday"): "dimmed"})
    assert schedule.dimmed_cells == 2
    assert schedule.profile_on("2021-07-03") == DIMMED_NIGHT  # a Saturday in July
    assert schedule.profile_on(dt.date(2021, 7, 4)) == FULL  # the Sunday after
    assert schedule.choice_on("2021-12-26") == "dimmed"  # a Sunday in December
    profiles = schedule.profiles_for(pd.date_range("2021-07-02", periods=3))
    assert list(profiles) == [FULL, DIMMED_NIGHT, FULL]


def test_is_a_table_cleaned_to_months_1_to_12_and_weekdays_in_order():
    cells = table().iloc[::-1, ::-1].copy()  # months and weekdays in reverse order
    cells.at[3, "Friday"] = " Dimmed "
    cells.columns = [c.lower() for c in cells.columns]
    schedule = Schedule.from_table(cells)
    assert list(schedule.table.index) == list(range(1, 13))
    assert list(schedule.table.columns) == list(WEEKDAYS)
    assert schedule.table.at[3, "Friday"] == "dimmed" and schedule.dimmed_cells == 1
    named = table()
    named.index = list(counters.MONTHS)
    assert Schedule.from_table(named).dimmed_cells == 0
    assert Schedule.all_dimmed().dimmed_cells == 84


# --- The real pedestrians of the Pont Daladier ----------------------------------------------------


def test_can_the_best_schedule_on_the_real_counts_reach_the_minimum_cut_with_room_to_spare():
    # 62 busy days (> 2,000 pedestrians) fall in 23 of the 84 cells (May Thu/Sat/Sun, every day of July
    # and August, September Tue/Fri/Sat/Sun, October Sat/Sun); dimming the other 61 cuts 34.2 %.
    pedestrians = daladier()
    assert len(pedestrians) == 365 and int((pedestrians > model.BUSY_PEDESTRIANS).sum()) == 62
    best = quiet_schedule(pedestrians)
    assert best.dimmed_cells == 84 - 23
    result = model.check_schedule(best, pedestrians)
    assert result.passes and result.busy_days_dimmed == ()
    assert result.energy_cut == pytest.approx(0.342, abs=0.001)
    assert model.MIN_ENERGY_CUT == 0.30
    assert result.energy_cut - 0.06 < model.MIN_ENERGY_CUT < result.energy_cut  # a few points below the best
    assert result.message.startswith("Your schedule passes: it cuts the lighting energy by 34.2 % (at least 30.0 %")


def test_do_several_schedules_pass_on_the_real_counts():
    pedestrians = daladier()
    cells = quiet_schedule(pedestrians).table.copy()
    cells.loc[[4, 6], ["Friday", "Saturday"]] = "full"  # keep four more quiet cells at full power
    result = model.check_schedule(Schedule.from_table(cells), pedestrians)
    assert result.passes and result.energy_cut < 0.342


def test_does_dimming_every_night_fail_on_the_busy_days_and_name_them():
    pedestrians = daladier()
    result = model.check_schedule(Schedule.all_dimmed(), pedestrians)
    assert result.energy_cut == pytest.approx(0.475, abs=0.001) and result.meets_cut
    assert len(result.busy_days_dimmed) == 62 and not result.passes
    busiest = pedestrians.idxmax()
    assert f"{WEEKDAYS[busiest.weekday()]} {busiest.day} " in result.message
    assert f"({pedestrians.max():,.0f} pedestrians)".replace(",", " ") in result.message


def test_does_dimming_monday_to_thursday_fail_both_conditions():
    pedestrians = daladier()
    cells = table()
    cells[["Monday", "Tuesday", "Wednesday", "Thursday"]] = "dimmed"
    result = model.check_schedule(Schedule.from_table(cells), pedestrians)
    assert result.energy_cut == pytest.approx(0.271, abs=0.001) and not result.meets_cut
    assert len(result.busy_days_dimmed) == 32 and not result.passes
    assert "It cuts the lighting energy by 27.1 %, short of the 30.0 % needed" in result.message


# --- Property (hypothesis) -------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.lists(st.booleans(), min_size=84, max_size=84), st.integers(0, 83))
def test_does_dimming_one_more_cell_never_lower_the_cut(cells, extra):
    pedestrians = daladier()
    grid = np.where(np.array(cells).reshape(12, 7), "dimmed", "full")
    before = model.check_schedule(Schedule.from_table(pd.DataFrame(grid, index=range(1, 13), columns=list(WEEKDAYS))), pedestrians)
    grid[extra // 7, extra % 7] = "dimmed"
    after = model.check_schedule(Schedule.from_table(pd.DataFrame(grid, index=range(1, 13), columns=list(WEEKDAYS))), pedestrians)
    assert after.energy_cut >= before.energy_cut - 1e-12
    assert set(before.busy_days_dimmed) <= set(after.busy_days_dimmed)


# --- Errors --------------------------------------------------------------------------------------


def test_does_a_bad_cell_name_its_row_and_column():
    cells = table().astype(object)
    cells.at[7, "Saturday"] = "dim"
    with pytest.raises(ValueError, match=r"^Row 7 \(July\), column 'Saturday' holds 'dim': use 'full' or 'dimmed'\.$"):
        Schedule.from_table(cells)
    cells.at[7, "Saturday"] = True
    with pytest.raises(ValueError, match=r"Row 7 \(July\), column 'Saturday' holds True"):
        Schedule(cells)


def test_are_missing_or_extra_rows_and_columns_refused():
    with pytest.raises(ValueError, match=r"The schedule has no column 'Sunday': give one column per weekday"):
        Schedule.from_table(table().drop(columns="Sunday"))
    with pytest.raises(ValueError, match=r"The schedule has a column 'Funday', which is not a weekday"):
        Schedule.from_table(table().assign(Funday="full"))
    with pytest.raises(ValueError, match=r"The schedule has no row for 12 \(December\): give one row per month"):
        Schedule.from_table(table().drop(index=12))
    with pytest.raises(ValueError, match=r"The schedule has a row 13, which is not a month"):
        Schedule.from_table(pd.concat([table(), table().loc[[1]].rename(index={1: 13})]))
    with pytest.raises(ValueError, match="not a table: give a pandas DataFrame"):
        Schedule.from_table({"Monday": "full"})


def test_are_bad_keys_and_choices_of_a_dictionary_refused():
    with pytest.raises(ValueError, match=r"In \(13, 'Monday'\), 13 is not a month"):
        Schedule.from_dict({(13, "Monday"): "dimmed"})
    with pytest.raises(ValueError, match=r"In \(1, 'Mon'\), 'Mon' is not a weekday"):
        Schedule.from_dict({(1, "Mon"): "dimmed"})
    with pytest.raises(ValueError, match=r"Row 1 \(January\), column 'Monday' holds 'off'"):
        Schedule.from_dict({(1, "Monday"): "off"})
    with pytest.raises(ValueError, match=r"Row 1 \(January\), column 'Monday' holds 1"):
        Schedule.from_dict({(1, "Monday"): 1})


def test_is_an_empty_pedestrian_series_refused():
    empty = pd.Series([], index=pd.DatetimeIndex([], name="day"), dtype=float)
    with pytest.raises(counters.EmptyPeriodError, match="The pedestrian series holds no count"):
        model.check_schedule(Schedule.all_full(), empty)
    with pytest.raises(ValueError, match="The pedestrian series holds no count"):
        model.check_schedule(Schedule.all_full(), series({"2021-01-04": np.nan}))


def test_are_bad_settings_of_the_check_refused():
    pedestrians = series({"2021-01-04": 500})
    with pytest.raises(ValueError, match=r"min_cut is 30: give a share between 0 and 1"):
        model.check_schedule(Schedule.all_full(), pedestrians, min_cut=30)
    with pytest.raises(ValueError, match="busy_level is -1: give a number of pedestrians per day, 0 or more"):
        model.check_schedule(Schedule.all_full(), pedestrians, busy_level=-1)
    with pytest.raises(ValueError, match="The schedule is list: give a Schedule"):
        model.check_schedule(["full"], pedestrians)
