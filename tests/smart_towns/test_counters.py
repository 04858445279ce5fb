"""Tests of Avignon's counters as clean daily series (modules/smart_towns/model/counters.py).

First small synthetic tables whose results are computed by hand (written next to the assertions),
then the facts of the real 2021 file that the lessons rely on, then properties (with hypothesis),
then every error a learner can meet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.common import data
from modules.smart_towns import model

DALADIER_BIKE_PARTS = ["daladier_bikes_in_1", "daladier_bikes_in_2", "daladier_bikes_out_1", "daladier_bikes_out_2"]
PEDESTRIAN_PARTS = ["daladier_pedestrians_in", "daladier_pedestrians_out"]
SPEED_BAND_KEYS = [c.key for c in model.CHANNELS if c.speed_band]


@pytest.fixture(scope="module")
def raw():
    """The file as published, read once for the module."""
    return data.read_csv(model.SLUG, model.COUNTERS, model.COUNTERS_FILE, sep=";", encoding="utf-8-sig",
                         dtype={"date": str})


@pytest.fixture(scope="module")
def counts(raw):
    return model.clean_counts(raw)


def raw_rows(rows):
    """A raw table as the city publishes it, from (cpt_id, YYYYMMDD, count) triples."""
    return pd.DataFrame({"cpt_id": [r[0] for r in rows], "date": [f"{r[1]}000000" for r in rows],
                         "counts": [r[2] for r in rows]})


def two_weeks():
    # Monday 4 to Sunday 17 January 2021: working days count 100, weekend days 40.
    days = pd.date_range("2021-01-04", "2021-01-17", name="day")
    return pd.Series(np.where(days.day_of_week < 5, 100.0, 40.0), index=days, name="test")


# --- Cleaning, computed by hand ---------------------------------------------------------------------


def test_does_cleaning_add_the_two_rows_of_a_replaced_channel_on_the_day_they_share():
    # 31 March: the old "entrée de ville" channel 102052946 counted 100 before the switch, the new
    # "[Pedestrian IN]" channel 353260717 counted 250 after it: the day holds 100 + 250 = 350.
    tidy = model.clean_counts(raw_rows([(102052946, "20210330", 90), (102052946, "20210331", 100),
                                        (353260717, "20210331", 250), (353260717, "20210401", 400)]))
    assert list(tidy.columns) == ["day", "channel", "count"]
    assert str(tidy["day"].dtype) == "datetime64[ns]" and tidy["count"].dtype == np.int64
    series = model.channel_series(tidy, "daladier_pedestrians_in")
    assert series.to_dict() == {pd.Timestamp("2021-03-30"): 90.0, pd.Timestamp("2021-03-31"): 350.0,
                                pd.Timestamp("2021-04-01"): 400.0}


def test_is_the_tidy_table_sorted_by_channel_in_the_order_of_CHANNELS_then_by_day():
    tidy = model.clean_counts(raw_rows([(100058052, "20210102", 2), (100052946, "20210102", 4),
                                        (100058052, "20210101", 1), (100052946, "20210101", 3)]))
    # daladier_pedestrians comes before limbert in CHANNELS; within each, 1 then 2 January.
    assert list(tidy["channel"]) == ["daladier_pedestrians"] * 2 + ["limbert"] * 2
    assert list(tidy["count"]) == [3, 4, 1, 2]


def test_is_a_day_without_a_row_a_gap_and_not_a_zero():
    tidy = model.clean_counts(raw_rows([(100058052, "20210104", 5), (100058052, "20210106", 7)]))
    series = model.channel_series(tidy, "limbert")
    assert len(series) == 3 and series.index.name == "day" and series.name == "limbert"
    assert np.isnan(series[pd.Timestamp("2021-01-05")])


def test_does_the_period_of_a_series_run_over_every_calendar_day_asked_for():
    tidy = model.clean_counts(raw_rows([(100058052, "20210104", 5), (100058052, "20210106", 7)]))
    series = model.channel_series(tidy, "limbert", "2021-01-03", pd.Timestamp("2021-01-05").date())
    # 3, 4 and 5 January: no count on the 3rd nor the 5th, 5 on the 4th.
    assert list(series.index) == list(pd.date_range("2021-01-03", "2021-01-05"))
    assert series.isna().tolist() == [True, False, True] and series.iloc[1] == 5.0


# --- Profiles, computed by hand ---------------------------------------------------------------------


def test_is_the_weekday_profile_the_mean_of_each_weekday():
    series = two_weeks()
    series[pd.Timestamp("2021-01-11")] = 200.0  # the second Monday: (100 + 200) / 2 = 150
    series[pd.Timestamp("2021-01-12")] = np.nan  # the second Tuesday is a gap: the mean is the first, 100
    profile = model.weekday_profile(series)
    assert list(profile.index) == list(model.WEEKDAYS)
    assert profile.to_dict() == {"Monday": 150.0, "Tuesday": 100.0, "Wednesday": 100.0, "Thursday": 100.0,
                                 "Friday": 100.0, "Saturday": 40.0, "Sunday": 40.0}


def test_is_the_weekday_weekend_ratio_the_ratio_of_the_two_means():
    series = two_weeks()
    assert model.weekday_weekend_ratio(series) == pytest.approx(100 / 40)  # 2.5
    series[pd.Timestamp("2021-01-05")] = np.nan  # a gap is left out, not read as 0
    assert model.weekday_weekend_ratio(series) == pytest.approx(100 / 40)
    series[pd.Timestamp("2021-01-16")] = 100.0  # weekend days 40, 40, 100, 40: mean 55 → 100 / 55
    assert model.weekday_weekend_ratio(series) == pytest.approx(100 / 55)


def test_is_the_monthly_profile_a_mean_per_day_and_not_a_sum():
    # January: 31 days of 10 (sum 310); February: 28 days of 30 (sum 840). Means per day: 10 and 30.
    days = pd.date_range("2021-01-01", "2021-02-28", name="day")
    series = pd.Series(np.where(days.month == 1, 10.0, 30.0), index=days)
    profile = model.monthly_profile(series)
    assert profile.to_dict() == {1: 10.0, 2: 30.0}
    assert profile.name == "mean per day"


def test_is_a_week_summed_from_monday_and_a_month_summed_over_its_days():
    # Friday 1 January to Sunday 28 February 2021, the day's number of the month as its count.
    days = pd.date_range("2021-01-01", "2021-02-28", name="day")
    series = pd.Series(days.day.astype(float), index=days)
    weekly = model.aggregate(series, "week")
    # Week of Monday 4 January: 4 + 5 + … + 10 = 49. The week of Monday 28 December holds only
    # 1–3 January in the data: not a full week, so NaN rather than a low 6.
    assert weekly[pd.Timestamp("2021-01-04")] == 49.0
    assert np.isnan(weekly[pd.Timestamp("2020-12-28")])
    monthly = model.aggregate(series, "month")
    # January: 1 + … + 31 = 496; February: 1 + … + 28 = 406.
    assert monthly.to_dict() == {pd.Timestamp("2021-01-01"): 496.0, pd.Timestamp("2021-02-01"): 406.0}
    series[pd.Timestamp("2021-02-10")] = np.nan
    assert np.isnan(model.aggregate(series, "month")[pd.Timestamp("2021-02-01")])
    assert model.aggregate(series, "day").equals(series)


def test_are_the_speed_band_shares_each_band_over_the_total():
    # Towards Thiers on 4 January: 10, 60, 25 and 5 cyclists by band, 100 in all: shares 0.10, 0.60, 0.25, 0.05.
    rows = [(cpt, "20210104", n) for cpt, n in ((102058052, 10), (104058052, 60), (106058052, 25), (108058052, 5))]
    shares = model.speed_band_shares(model.clean_counts(raw_rows(rows)), "to_thiers")
    assert list(shares.index) == list(model.SPEED_BANDS)
    assert shares.to_numpy() == pytest.approx([0.10, 0.60, 0.25, 0.05])


def test_are_the_days_where_a_total_differs_from_its_parts_listed_with_the_difference():
    # 4 January: total 30 = 10 + 20 (no mismatch). 5 January: total 25, parts 10 + 20 = 30 → −5.
    rows = [(100052946, "20210104", 30), (102052946, "20210104", 10), (101052946, "20210104", 20),
            (100052946, "20210105", 25), (102052946, "20210105", 10), (101052946, "20210105", 20)]
    mismatches = model.total_mismatches(model.clean_counts(raw_rows(rows)), "daladier_pedestrians", PEDESTRIAN_PARTS)
    assert list(mismatches.index) == [pd.Timestamp("2021-01-05")]
    assert mismatches.iloc[0].to_dict() == {"total": 25.0, "sum_of_parts": 30.0, "difference": -5.0}


# --- The real 2021 file: the facts the lessons rely on ------------------------------------------------


def test_does_cleaning_keep_every_passage_and_merge_only_the_two_rows_of_31_march(raw, counts):
    assert counts["count"].sum() == raw["counts"].sum()
    assert set(counts["channel"]) == set(model.CHANNEL_KEYS)
    assert len(raw) - len(counts) == 2  # the two directions of the renamed pedestrian channels
    day = raw["date"].str.startswith("20210331")
    for key, (old, new) in {"daladier_pedestrians_in": (102052946, 353260717),
                            "daladier_pedestrians_out": (101052946, 353260719)}.items():
        both = raw.loc[day & raw["cpt_id"].isin([old, new]), "counts"]
        assert len(both) == 2
        assert model.channel_series(counts, key)[pd.Timestamp("2021-03-31")] == both.sum()


def test_does_the_real_pedestrian_total_equal_the_sum_of_its_two_directions_every_day(counts):
    assert model.total_mismatches(counts, "daladier_pedestrians", PEDESTRIAN_PARTS).empty
    for key in PEDESTRIAN_PARTS:
        series = model.channel_series(counts, key)
        assert len(series) == 365 and series.notna().all()


def test_is_the_real_bicycle_total_below_its_parts_on_13_and_14_january_only(counts):
    mismatches = model.total_mismatches(counts, "daladier_bikes", DALADIER_BIKE_PARTS)
    assert mismatches["difference"].to_dict() == {pd.Timestamp("2021-01-13"): -250.0,
                                                  pd.Timestamp("2021-01-14"): -2.0}


def test_does_limbert_fall_short_of_its_speed_bands_on_43_days_and_most_on_15_july_2021(counts):
    mismatches = model.total_mismatches(counts, "limbert", SPEED_BAND_KEYS)
    assert len(mismatches) == 43  # and equal on the other 322 days
    assert (mismatches["difference"] < 0).all()  # the total is never above its parts
    row = mismatches.loc[pd.Timestamp("2021-07-15")]
    assert (row["total"], row["sum_of_parts"], row["difference"]) == (168, 2070, -1902)
    assert mismatches["difference"].idxmin() == pd.Timestamp("2021-07-15")


def test_are_the_only_real_zeros_in_the_fastest_speed_bands(counts):
    zeros = counts[counts["count"] == 0]
    assert zeros["channel"].value_counts().to_dict() == {"to_st_lazare_over_30": 3, "to_thiers_over_30": 2}


def test_has_every_real_channel_a_count_on_every_day_of_2021(counts):
    table = model.daily_table(counts)
    assert list(table.columns) == list(model.CHANNEL_KEYS)
    assert len(table) == 365 and table.notna().all().all()


def test_do_the_real_speed_band_shares_add_up_to_one_and_match_the_channels(counts):
    for direction in model.DIRECTIONS:
        assert model.speed_band_shares(counts, direction).sum() == pytest.approx(1.0)
    january = model.speed_band_shares(counts, "to_thiers", "2021-01-01", "2021-01-31")
    fast = model.channel_series(counts, "to_thiers_over_30", "2021-01-01", "2021-01-31").sum()
    total = sum(model.channel_series(counts, k, "2021-01-01", "2021-01-31").sum()
                for k in SPEED_BAND_KEYS if k.startswith("to_thiers_"))
    assert january["> 30 km/h"] == pytest.approx(fast / total)


def test_is_every_channel_labelled_and_every_total_marked():
    assert len(model.CHANNELS) == 17 and len(set(model.CHANNEL_KEYS)) == 17
    assert {c.key for c in model.CHANNELS if c.is_total} == {"daladier_pedestrians", "daladier_bikes", "limbert"}
    assert model.channel("to_thiers_21_30").label == "St Lazare–Thiers axis, towards Thiers, 21–30 km/h"
    assert model.channel("to_thiers_over_30").speed_band == "> 30 km/h"
    assert model.channel("daladier_pedestrians_in").cpt_ids == (102052946, 353260717)
    assert {c.mode for c in model.CHANNELS} == {"bike", "pedestrian"}


# --- Properties -----------------------------------------------------------------------------------

counts_with_gaps = st.lists(st.one_of(st.none(), st.integers(0, 5000)), min_size=1, max_size=120)


def series_of(values, start="2021-01-01"):
    index = pd.date_range(start, periods=len(values), name="day")
    return pd.Series([np.nan if v is None else float(v) for v in values], index=index)


@settings(max_examples=60, deadline=None)
@given(values=counts_with_gaps, start=st.dates(min_value=pd.Timestamp("2020-01-01").date(),
                                               max_value=pd.Timestamp("2022-12-31").date()))
def test_does_aggregation_by_week_or_month_never_turn_a_gap_into_a_number(values, start):
    series = series_of(values, start)
    for by in ("week", "month"):
        totals = model.aggregate(series, by)
        for label, total in totals.items():
            end = label + (pd.Timedelta(days=6) if by == "week" else pd.offsets.MonthEnd(0))
            period = series.reindex(pd.date_range(label, end))  # days outside the data are gaps too
            if period.isna().any():
                assert np.isnan(total)
            else:
                assert total == period.sum()


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.integers(1, 5000), min_size=14, max_size=60), factor=st.integers(1, 9))
def test_is_the_weekday_weekend_ratio_the_same_in_any_unit(values, factor):
    series = series_of(values)
    assert model.weekday_weekend_ratio(series * factor) == pytest.approx(model.weekday_weekend_ratio(series))


@settings(max_examples=40, deadline=None)
@given(parts=st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 3000)), min_size=1, max_size=5))
def test_does_any_split_of_a_day_between_the_old_and_new_channel_give_the_same_series(parts):
    # Whatever share of each day the old channel counted, the merged series holds the day's sum.
    rows = []
    for i, (old, new) in enumerate(parts):
        day = (pd.Timestamp("2021-03-27") + pd.Timedelta(days=i)).strftime("%Y%m%d")
        rows += [(101052946, day, old), (353260719, day, new)]
    series = model.channel_series(model.clean_counts(raw_rows(rows)), "daladier_pedestrians_out")
    assert series.tolist() == [float(old + new) for old, new in parts]


# --- Errors ---------------------------------------------------------------------------------------


def test_does_a_misspelt_channel_get_a_suggestion_and_the_list_of_channels(counts):
    with pytest.raises(model.UnknownChannelError, match="There is no counter channel called 'limbret'. "
                                                        "Did you mean 'limbert'\\? Known channels: daladier"):
        model.channel_series(counts, "limbret")
    assert issubclass(model.UnknownChannelError, ValueError)


def test_does_a_period_outside_the_data_say_where_the_data_are(counts):
    with pytest.raises(model.EmptyPeriodError, match="The period 2022-01-01 to 2022-01-31 holds no count for "
                                                     "'limbert': its data run from 2021-01-01 to 2021-12-31."):
        model.channel_series(counts, "limbert", "2022-01-01", "2022-01-31")
    with pytest.raises(model.EmptyPeriodError, match="swap"):
        model.channel_series(counts, "limbert", "2021-03-01", "2021-02-01")


def test_does_a_period_after_a_channel_was_renamed_still_find_its_counts(counts):
    # The old pedestrian channels end on 31 March, but the logical channel runs all year.
    series = model.channel_series(counts, "daladier_pedestrians_in", "2021-06-01", "2021-06-30")
    assert series.notna().all() and len(series) == 30


def test_is_an_unknown_counter_identifier_refused_by_name():
    with pytest.raises(ValueError, match="999"):
        model.clean_counts(raw_rows([(100058052, "20210101", 3), (999, "20210101", 3)]))


def test_does_a_table_without_the_counts_column_say_how_to_read_the_file():
    with pytest.raises(ValueError, match="'counts'.*sep=';'"):
        model.clean_counts(pd.DataFrame({"cpt_id": [100058052], "date": ["20210101000000"]}))


def test_are_an_unreadable_date_and_a_negative_count_refused():
    with pytest.raises(ValueError, match="20211301"):
        model.clean_counts(raw_rows([(100058052, "20211301", 3)]))
    with pytest.raises(ValueError, match="-3"):
        model.clean_counts(raw_rows([(100058052, "20210101", -3)]))


def test_does_a_weekend_without_anybody_give_a_plain_message():
    series = two_weeks().where(two_weeks() > 50, 0.0)
    with pytest.raises(ValueError, match="Nobody was counted at the weekend"):
        model.weekday_weekend_ratio(series)


def test_does_a_series_without_weekend_or_without_any_count_raise_empty_period():
    working_week = two_weeks()[:5]
    with pytest.raises(model.EmptyPeriodError, match="both working days and weekend days"):
        model.weekday_weekend_ratio(working_week)
    with pytest.raises(model.EmptyPeriodError, match="holds no count"):
        model.weekday_profile(two_weeks() * np.nan)


def test_are_an_unknown_aggregation_and_direction_refused():
    with pytest.raises(ValueError, match="day, week, month"):
        model.aggregate(two_weeks(), "year")
    with pytest.raises(ValueError, match="to_thiers, to_st_lazare"):
        model.speed_band_shares(model.clean_counts(raw_rows([(102058052, "20210104", 1)])), "north")
