"""Tests of the anomaly rule (modules/smart_towns/model/anomalies.py).

Hand-checked cases on small synthetic series (the computation is written next to the assertions),
the real days the lessons quote, properties that must hold for any series (with hypothesis), and
the errors.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.smart_towns import model


@pytest.fixture(scope="module")
def counts():
    return model.load_counts()


def steady(days=70, start="2021-01-04", weekday=200.0, weekend=80.0):
    """Working days near `weekday`, weekend days near `weekend`, from Monday 4 January 2021."""
    index = pd.date_range(start, periods=days, name="day")
    # A little variation (+0, +1, +2 in turn), so that no value repeats 7 days in a row by construction.
    values = np.where(index.day_of_week < 5, weekday, weekend) + np.arange(days) % 3
    return pd.Series(values, index=index, name="test")


# --- Hand-computed cases ----------------------------------------------------------------------------


def test_is_the_expected_count_the_median_of_the_same_weekday_four_weeks_either_side():
    # Nine weeks from Monday 4 January 2021; every day of week w (w = 0..8) counts 100 + 10 w.
    index = pd.date_range("2021-01-04", periods=63, name="day")
    series = pd.Series(100.0 + 10 * (np.arange(63) // 7), index=index)
    expected = model.expected_counts(series)
    # Wednesday 3 February is in week 4: its neighbours are weeks 0–3 and 5–8, i.e.
    # 100, 110, 120, 130, 150, 160, 170, 180: median (130 + 150) / 2 = 140 (the day's own 140 left out).
    assert expected[pd.Timestamp("2021-02-03")] == 140.0
    # Wednesday 6 January is in week 0: only the weeks after exist, 110, 120, 130, 140: median 125.
    assert expected[pd.Timestamp("2021-01-06")] == 125.0
    # Weeks 1 and 6 missing on Wednesdays: week 4's neighbours are 100, 120, 130, 150, 170, 180: median 140.
    series[pd.Timestamp("2021-01-13")] = np.nan
    series[pd.Timestamp("2021-02-17")] = np.nan
    assert model.expected_counts(series)[pd.Timestamp("2021-02-03")] == 140.0


def test_is_the_expected_count_missing_when_no_neighbour_has_a_count():
    series = pd.Series([5.0] * 6, index=pd.date_range("2021-01-04", periods=6, name="day"))
    assert model.expected_counts(series).isna().all()  # six days: no same weekday a week away


def test_is_a_gap_flagged_missing_and_counted_as_an_outage():
    series = steady()
    series[pd.Timestamp("2021-01-20")] = np.nan
    flagged = model.find_anomalies(series)
    assert list(flagged.columns) == ["count", "expected", "flag", "reason"]
    assert flagged.loc[pd.Timestamp("2021-01-20"), "flag"] == "missing"
    assert model.outage_days(series) == [dt.date(2021, 1, 20)]


def test_is_a_zero_where_hundreds_pass_a_dead_day_but_a_zero_where_few_pass_is_not():
    busy = steady()
    busy[pd.Timestamp("2021-01-21")] = 0.0  # a Thursday; its neighbours are all about 200
    flagged = model.find_anomalies(busy)
    assert flagged.loc[pd.Timestamp("2021-01-21"), "flag"] == "dead"
    assert model.outage_days(busy) == [dt.date(2021, 1, 21)]
    quiet = steady(weekday=3.0, weekend=2.0)  # about 3 a day expected: below MIN_EXPECTED (10)
    quiet[pd.Timestamp("2021-01-21")] = 0.0
    assert model.find_anomalies(quiet).empty


def test_is_a_repeated_figure_flagged_stuck_on_every_day_of_the_run():
    series = steady()
    run = pd.date_range("2021-01-25", periods=model.STUCK_DAYS)
    series[run] = 150.0
    flagged = model.find_anomalies(series)
    assert list(flagged.index[flagged["flag"] == "stuck"]) == list(run)
    shorter = steady()
    shorter[run[:-1]] = 150.0  # one day fewer than STUCK_DAYS: not stuck
    assert "stuck" not in set(model.find_anomalies(shorter)["flag"])


def test_does_a_stuck_zero_where_people_pass_count_as_dead_first():
    # Seven zeros from Monday 25 January: each day's neighbours one week away are 0 too, but the
    # 6 others are about 200 or 80, so the median stays well above 10: the first rule that applies is "dead".
    series = steady()
    run = pd.date_range("2021-01-25", periods=model.STUCK_DAYS)
    series[run] = 0.0
    flagged = model.find_anomalies(series)
    assert set(flagged.loc[run, "flag"]) == {"dead"}


def test_are_low_and_high_days_flagged_at_the_stated_ratios_and_not_outages():
    # Wednesday 3 February: neighbours 200 + (0, 1 or 2); the expected count e is their median.
    series = steady()
    wednesday, thursday = pd.Timestamp("2021-02-03"), pd.Timestamp("2021-02-04")
    e_wed, e_thu = model.expected_counts(series)[[wednesday, thursday]]
    series[wednesday] = e_wed * model.LOW_RATIO - 1  # just below a quarter: low
    series[thursday] = e_thu * model.HIGH_RATIO + 1  # just above four times: high
    flagged = model.find_anomalies(series)
    assert flagged.loc[wednesday, "flag"] == "low" and flagged.loc[thursday, "flag"] == "high"
    assert "check it" in flagged.loc[wednesday, "reason"]
    assert model.outage_days(series) == []  # implausible days are to check, not outages
    series[wednesday] = e_wed * model.LOW_RATIO  # exactly a quarter: not below it
    series[thursday] = e_thu * model.HIGH_RATIO  # exactly four times: not more than it
    assert model.find_anomalies(series).empty


def test_does_every_flag_come_with_a_plain_reason():
    series = steady()
    series[pd.Timestamp("2021-01-20")] = np.nan
    series[pd.Timestamp("2021-01-21")] = 0.0
    reasons = model.find_anomalies(series)["reason"]
    assert reasons.iloc[0] == "No count was published for this day."
    assert reasons.iloc[1].startswith("The counter shows 0 while people usually pass (about 200 expected)")


def test_does_removing_anomalies_blank_exactly_the_flagged_days():
    series = steady()
    series[pd.Timestamp("2021-01-21")] = 0.0
    cleaned = model.without_anomalies(series)
    assert np.isnan(cleaned[pd.Timestamp("2021-01-21")])
    assert cleaned.drop(pd.Timestamp("2021-01-21")).equals(series.drop(pd.Timestamp("2021-01-21")))


# --- The real 2021 counters -------------------------------------------------------------------------


def test_is_limberts_15_july_2021_flagged_low(counts):
    flagged = model.find_anomalies(model.channel_series(counts, "limbert"))
    day = flagged.loc[pd.Timestamp("2021-07-15")]
    assert (day["flag"], day["count"]) == ("low", 168)
    assert day["count"] < model.LOW_RATIO * day["expected"]


def test_has_no_real_channel_an_outage_day_in_2021(counts):
    # Every channel has a count every day, and its only zeros (the > 30 km/h bands) fall where
    # fewer than 10 fast cyclists a day are expected: plausible zeros, not a dead counter.
    for key in model.CHANNEL_KEYS:
        assert model.outage_days(model.channel_series(counts, key)) == [], key


def test_does_the_festival_in_july_not_make_the_rule_flag_high_days(counts):
    # Pedestrians on the Pont Daladier double in July; the window of four weeks either side follows them.
    for key in ("daladier_pedestrians", "daladier_bikes", "limbert"):
        assert "high" not in set(model.find_anomalies(model.channel_series(counts, key))["flag"]), key


# --- Properties -------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(value=st.integers(0, 10_000), length=st.integers(model.STUCK_DAYS, 200),
       start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2022, 12, 31)))
def test_is_a_constant_counter_always_flagged_on_every_day(value, length, start):
    series = pd.Series(float(value), index=pd.date_range(start, periods=length, name="day"))
    flagged = model.find_anomalies(series)
    assert len(flagged) == length
    assert set(flagged["flag"]) <= set(model.OUTAGE_FLAGS)
    assert len(model.outage_days(series)) == length


def noisy_series(draw_values):
    index = pd.date_range("2021-01-01", periods=len(draw_values), name="day")
    return pd.Series([np.nan if v is None else float(v) for v in draw_values], index=index)


some_counts = st.lists(st.one_of(st.none(), st.integers(0, 400), st.integers(0, 5)), min_size=1, max_size=90)


@settings(max_examples=60, deadline=None)
@given(values=some_counts)
def test_are_outage_days_always_among_the_flagged_days_and_removed_by_without_anomalies(values):
    series = noisy_series(values)
    if series.isna().all():
        return
    flagged = model.find_anomalies(series)
    outages = model.outage_days(series)
    assert set(outages) <= set(flagged.index.date)
    assert outages == sorted(outages)
    assert set(flagged["flag"]) <= set(model.FLAGS)
    cleaned = model.without_anomalies(series)
    assert cleaned[flagged.index].isna().all()
    kept = cleaned.dropna()
    assert kept.equals(series[kept.index])


@settings(max_examples=60, deadline=None)
@given(values=some_counts)
def test_does_doubling_the_counts_keep_every_flag_where_the_expected_count_is_trusted(values):
    # The rules compare ratios, so the unit does not matter; only MIN_EXPECTED can change a day
    # whose expected count was below 10 before doubling. Doubling is exact in floating point.
    series = noisy_series(values)
    if series.isna().all():
        return
    expected = model.expected_counts(series)
    trusted = expected.isna() | (expected >= model.MIN_EXPECTED)
    before = model.find_anomalies(series)["flag"].reindex(series.index)
    after = model.find_anomalies(series * 2)["flag"].reindex(series.index)
    assert before[trusted].fillna("").equals(after[trusted].fillna(""))


# --- The stated rule and the errors -----------------------------------------------------------------


def test_does_the_stated_rule_carry_the_constants_and_name_every_flag():
    for constant in (model.WINDOW_WEEKS, model.STUCK_DAYS):
        assert f" {constant} " in model.ANOMALY_RULE
    assert f"{model.MIN_EXPECTED:g} passages" in model.ANOMALY_RULE
    assert f"{model.LOW_RATIO * 100:g} %" in model.ANOMALY_RULE
    assert f"{model.HIGH_RATIO:g} times" in model.ANOMALY_RULE
    positions = [model.ANOMALY_RULE.index(f"{flag}, when") for flag in model.FLAGS]
    assert positions == sorted(positions)  # stated in the order they are checked
    assert model.OUTAGE_FLAGS == ("missing", "dead", "stuck")


def test_does_an_empty_series_get_a_clear_error():
    gaps = pd.Series([np.nan, np.nan], index=pd.date_range("2021-01-01", periods=2))
    for function in (model.find_anomalies, model.expected_counts, model.outage_days, model.without_anomalies):
        with pytest.raises(model.EmptyPeriodError, match="holds no count"):
            function(gaps)
    with pytest.raises(model.EmptyPeriodError):
        model.find_anomalies(pd.Series([], dtype=float, index=pd.DatetimeIndex([])))


def test_is_a_series_without_dates_or_with_a_day_twice_refused():
    with pytest.raises(ValueError, match="indexed by date"):
        model.find_anomalies(pd.Series([1.0, 2.0]))
    twice = pd.Series([1.0, 2.0], index=pd.DatetimeIndex(["2021-01-01", "2021-01-01"]))
    with pytest.raises(ValueError, match="same day twice"):
        model.find_anomalies(twice)
