"""Tests of Montréal's cyclists against the weather (modules/smart_towns/model/weather.py).

Daily aggregation and both effects on small tables computed by hand (written next to the
assertions), then the real 2012 data, then the errors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modules.smart_towns import model


@pytest.fixture(scope="module")
def bikes():
    return model.load_montreal_bikes()


@pytest.fixture(scope="module")
def joined(bikes):
    return model.join_counts_weather(bikes, model.daily_weather(model.load_weather()))


def hourly(days, weather_by_day, temps_by_day):
    """24 hours a day, each day with one weather text and one temperature."""
    index = pd.date_range(days[0], periods=24 * len(days), freq="h", name="Date/Time")
    weather = np.repeat(weather_by_day, 24).astype(object)
    return pd.DataFrame({"Temp (C)": np.repeat(temps_by_day, 24).astype(float), "Weather": weather}, index=index)


# --- Daily aggregation ------------------------------------------------------------------------------


def test_does_a_day_with_three_hours_of_rain_count_as_rainy():
    frame = hourly(["2012-05-01", "2012-05-02"], ["Clear", "Clear"], [10.0, 20.0])
    frame.iloc[24:24 + model.RAINY_DAY_HOURS, 1] = "Freezing Rain"  # 3 hours on the second day
    frame.iloc[2, 1] = "Rain Showers"  # 1 hour on the first
    daily = model.daily_weather(frame)
    assert list(daily.columns) == ["mean_temp_c", "max_temp_c", "rain_hours", "snow_hours", "rainy"]
    assert daily.index.name == "day"
    assert list(daily["rain_hours"]) == [1, 3]
    assert list(daily["rainy"]) == [False, True]


def test_are_the_mean_and_maximum_temperatures_those_of_the_days_hours():
    # One day: 12 hours at 0 °C and 12 at 10 °C → mean 5 °C, maximum 10 °C.
    frame = hourly(["2012-04-01"], ["Clear"], [0.0])
    frame.iloc[12:, 0] = 10.0
    daily = model.daily_weather(frame)
    assert (daily["mean_temp_c"].iloc[0], daily["max_temp_c"].iloc[0]) == (5.0, 10.0)


def test_is_snow_counted_apart_from_rain_and_every_rain_word_recognised():
    frame = hourly(["2012-01-05"], ["Snow,Fog"], [-5.0])
    daily = model.daily_weather(frame)
    assert (daily["snow_hours"].iloc[0], daily["rain_hours"].iloc[0]) == (24, 0)
    words = ["Freezing Drizzle", "Thunderstorms", "Rain,Snow", "Ice Pellets", "Drizzle,Fog", "Cloudy"]
    frame = hourly(["2012-03-01"], ["Clear"], [1.0])
    frame.iloc[: len(words), 1] = words
    daily = model.daily_weather(frame)
    # Rain: Freezing Drizzle, Thunderstorms, Rain,Snow, Drizzle,Fog = 4. Snow: Rain,Snow, Ice Pellets = 2.
    assert (daily["rain_hours"].iloc[0], daily["snow_hours"].iloc[0]) == (4, 2)


def test_does_the_join_keep_only_the_days_present_in_both_and_mark_weekends():
    # Counts on Friday 4 and Saturday 5 May 2012; weather on the 5th and Sunday the 6th: one day in common.
    bikes = pd.DataFrame({"Berri 1": [100, 200]}, index=pd.DatetimeIndex(["2012-05-04", "2012-05-05"], name="Date"))
    daily = model.daily_weather(hourly(["2012-05-05", "2012-05-06"], ["Clear", "Rain"], [15.0, 12.0]))
    joined = model.join_counts_weather(bikes, daily)
    assert list(joined.columns) == ["count", "mean_temp_c", "rain_hours", "snow_hours", "rainy", "weekend", "month"]
    assert list(joined.index) == [pd.Timestamp("2012-05-05")]
    row = joined.iloc[0]
    assert (row["count"], row["weekend"], row["month"], row["rainy"]) == (200, True, 5, False)


# --- The two effects, computed by hand --------------------------------------------------------------


def test_is_the_adjusted_rain_effect_the_weighted_mean_of_the_ratios_within_month_and_kind_of_day():
    # May, working days: rainy mean 50, dry mean 100 → ratio 0.5 (2 rainy days).
    # July, working days: rainy 300 vs dry 400 → 0.75 (1 rainy day).
    # Adjusted = (0.5 × 2 + 0.75 × 1) / 3 = 0.5833.
    # Naive = mean(50, 50, 300) / mean(100, 100, 400, 400) = 133.33 / 250 = 0.5333.
    days = pd.to_datetime(["2012-05-01", "2012-05-02", "2012-05-03", "2012-05-04",
                           "2012-07-03", "2012-07-04", "2012-07-05"])
    joined = pd.DataFrame({"count": [50, 50, 100, 100, 300, 400, 400],
                           "rainy": [True, True, False, False, True, False, False]}, index=days)
    joined["weekend"] = False
    joined["month"] = joined.index.month
    effect = model.rain_effect(joined)
    assert effect.adjusted_ratio == pytest.approx((0.5 * 2 + 0.75) / 3)
    assert effect.naive_ratio == pytest.approx((400 / 3) / 250)
    assert (effect.rainy_days, effect.dry_days) == (3, 4)
    assert list(effect.strata.columns) == ["month", "weekend", "rainy_days", "dry_days", "rainy_mean",
                                           "dry_mean", "ratio"]
    assert effect.strata["ratio"].tolist() == pytest.approx([0.5, 0.75])


def test_are_strata_without_rain_or_without_dry_cyclists_left_out_of_the_adjusted_ratio():
    # May, working days: rainy 60 vs dry 120 → 0.5. May weekend: only dry days → left out.
    # June weekend: dry days count 0 → no ratio, left out. Adjusted = 0.5 alone.
    days = pd.to_datetime(["2012-05-01", "2012-05-02", "2012-05-05", "2012-05-06", "2012-06-02", "2012-06-03"])
    joined = pd.DataFrame({"count": [60, 120, 500, 700, 10, 0],
                           "rainy": [True, False, False, False, True, False]}, index=days)
    joined["weekend"] = joined.index.day_of_week >= 5
    joined["month"] = joined.index.month
    effect = model.rain_effect(joined)
    assert len(effect.strata) == 1 and effect.adjusted_ratio == pytest.approx(0.5)


def test_does_the_within_month_slope_take_the_season_out():
    # March 0–4 °C with 100, 110, …, 140 cyclists; July 20–24 °C with 1100, …, 1140.
    # Within each month, +1 °C gives +10 cyclists: within-month slope 10.
    # Over both months: mean temperature 12, mean count 620; Σ(x − 12)² = 510 + 510 = 1020;
    # Σ(x − 12)(y − 620) = 25,100 + 25,100 = 50,200 → slope 50,200 / 1,020 = 49.2 cyclists per °C.
    days = pd.date_range("2012-03-05", periods=5).append(pd.date_range("2012-07-02", periods=5))
    temps = np.array([0, 1, 2, 3, 4, 20, 21, 22, 23, 24], dtype=float)
    counts = np.where(temps < 10, 100 + 10 * temps, 1100 + 10 * (temps - 20))
    joined = pd.DataFrame({"count": counts, "mean_temp_c": temps, "rainy": False, "weekend": False,
                           "month": days.month}, index=days)
    effect = model.temperature_effect(joined)
    assert effect.within_month_slope == pytest.approx(10.0)
    assert effect.slope_per_degree == pytest.approx(50_200 / 1_020)
    assert effect.correlation == pytest.approx(np.corrcoef(temps, counts)[0, 1])
    assert effect.days == 10


def test_are_rainy_days_and_weekends_left_out_of_the_temperature_fit():
    # Three dry working days fit count = 100 + 10 × temperature; a rainy day and a Saturday far off the line do not count.
    days = pd.to_datetime(["2012-05-01", "2012-05-02", "2012-05-03", "2012-05-04", "2012-05-05"])
    joined = pd.DataFrame({"count": [200, 210, 220, 5, 9000], "mean_temp_c": [10.0, 11.0, 12.0, 13.0, 14.0],
                           "rainy": [False, False, False, True, False]}, index=days)
    joined["weekend"] = joined.index.day_of_week >= 5
    joined["month"] = 5
    effect = model.temperature_effect(joined)
    assert effect.days == 3 and effect.slope_per_degree == pytest.approx(10.0)


# --- The real 2012 data ------------------------------------------------------------------------------


def test_are_the_empty_paths_dropped_by_name_and_the_others_kept_as_whole_numbers(bikes):
    assert not set(model.EMPTY_PATHS) & set(bikes.columns)
    assert len(bikes.columns) == 7 and "Berri 1" in bikes.columns
    assert all(dtype == np.int64 for dtype in bikes.dtypes)
    assert isinstance(bikes.index, pd.DatetimeIndex) and bikes.index[0] == pd.Timestamp("2012-01-01")


def test_is_the_hourly_weather_a_whole_year_of_hours():
    weather = model.load_weather()
    assert isinstance(weather.index, pd.DatetimeIndex) and len(weather) == 366 * 24  # 2012 is a leap year
    assert len(model.daily_weather(weather)) == 366


def test_on_the_real_data_rain_lowers_berri_and_the_season_inflates_the_temperature_slope(joined):
    assert len(joined) == 310  # the bicycle counts run from 1 January to 5 November 2012
    rain = model.rain_effect(joined)
    assert (rain.rainy_days, rain.dry_days) == (84, 226)
    assert 0.6 < rain.naive_ratio < 0.8 and 0.6 < rain.adjusted_ratio < 0.8
    temperature = model.temperature_effect(joined)
    assert temperature.days == 157
    assert 0 < temperature.within_month_slope < temperature.slope_per_degree / 2
    assert temperature.correlation > 0.8


# --- Errors -----------------------------------------------------------------------------------------


def test_does_an_unknown_path_list_the_paths(bikes, joined):
    with pytest.raises(ValueError, match="There is no path 'Berri 2'.*Berri 1"):
        model.join_counts_weather(bikes, joined, "Berri 2")


def test_does_a_table_without_the_weather_column_name_it():
    with pytest.raises(ValueError, match="'Weather'"):
        model.daily_weather(pd.DataFrame({"Temp (C)": [1.0]}, index=pd.date_range("2012-01-01", periods=1)))


def test_does_a_join_without_common_days_raise_empty_period(bikes):
    daily = model.daily_weather(hourly(["2013-05-05"], ["Clear"], [15.0]))
    with pytest.raises(model.EmptyPeriodError, match="no day in common"):
        model.join_counts_weather(bikes, daily)


def test_does_a_table_missing_a_column_name_it():
    with pytest.raises(ValueError, match="'weekend'"):
        model.rain_effect(pd.DataFrame({"count": [1], "rainy": [True], "month": [5]}))


def test_are_too_few_days_or_no_rainy_day_refused_plainly():
    days = pd.date_range("2012-05-01", periods=2)
    joined = pd.DataFrame({"count": [1, 2], "mean_temp_c": [1.0, 2.0], "rainy": False, "weekend": False,
                           "month": 5}, index=days)
    with pytest.raises(model.EmptyPeriodError, match="fewer than 3"):
        model.temperature_effect(joined)
    with pytest.raises(model.EmptyPeriodError, match="both rainy and dry days"):
        model.rain_effect(joined)
