"""Tests of the views of lesson 02 (modules/smart_towns/figures/sensors.py).

The views only format: every number a figure or a table shows must be the model's (Avignon's
counts, their profiles, speed-band shares and anomalies; Montréal's rain and temperature effects),
and every figure keeps alt text that gives its key numbers. Each test asks one question about what
a reader of the lesson sees.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection

from modules.common.views import plotting
from modules.smart_towns import model
from modules.smart_towns.figures import sensors

TOTALS = ("daladier_bikes", "daladier_pedestrians", "limbert")


def alt_of(shown) -> str:
    """The alt text of an accessible figure, as a screen reader would read it."""
    markup = shown._repr_mimebundle_()["text/html"]
    return html.unescape(re.search(r'alt="([^"]*)"', markup).group(1))


def scatter_points(axes) -> list[np.ndarray]:
    """The (x, y) offsets of every scatter of ``axes``, x in matplotlib's date numbers."""
    return [collection.get_offsets() for collection in axes.collections if isinstance(collection, PathCollection)]


@pytest.fixture(scope="module")
def counts() -> pd.DataFrame:
    return model.load_counts()


@pytest.fixture(scope="module")
def band_keys() -> list[str]:
    return [channel.key for channel in model.CHANNELS if channel.speed_band is not None]


@pytest.fixture(scope="module")
def limbert(counts) -> pd.Series:
    return model.channel_series(counts, "limbert")


@pytest.fixture(scope="module")
def joined() -> pd.DataFrame:
    return model.join_counts_weather(model.load_montreal_bikes(), model.daily_weather(model.load_weather()), path="Berri 1")


# -- formatting -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "text"), [(2070, "2 070"), (168.0, "168"), (1234567.4, "1 234 567"), (float("nan"), "–")])
def test_counts_are_written_with_a_space_between_thousands(value, text):
    assert sensors.count(value) == text


def test_days_are_named_with_their_weekday():
    assert sensors.day_label("2021-07-15") == "Thu 15 Jul 2021"


# -- the channels ------------------------------------------------------------------------------------


def test_channels_table_lists_every_channel_with_its_period_and_mean(counts):
    table = sensors.channels_table(counts).frame
    assert list(table.index) == list(model.CHANNEL_KEYS)
    limbert_counts = counts.loc[counts["channel"] == "limbert", "count"]
    assert table.loc["limbert", "mean per day"] == sensors.count(limbert_counts.mean())
    assert table.loc["limbert", "total of other channels"] == "yes"
    assert table.loc["daladier_pedestrians_in", "total of other channels"] == ""
    assert table.loc["daladier_pedestrians_in", "cpt_id in the file"] == ", ".join(
        str(cpt) for cpt in model.channel("daladier_pedestrians_in").cpt_ids
    )


def test_mismatch_chart_draws_the_models_difference_on_each_day_it_finds(counts, band_keys):
    gaps = model.total_mismatches(counts, "limbert", band_keys)
    shown = sensors.mismatch_chart(gaps, days_compared=365, total_label="Limbert", parts_label="its speed bands")
    assert isinstance(shown, plotting.AccessibleFigure)
    heights = [patch.get_height() for patch in shown.figure.axes[0].patches]
    assert heights == pytest.approx(list(gaps["difference"].astype(float)))
    alt = alt_of(shown)
    assert f"agree exactly on {365 - len(gaps)} of 365 days" in alt
    worst = gaps["difference"].abs().idxmax()
    assert sensors.day_label(worst) in alt
    assert sensors.count(gaps.loc[worst, "sum_of_parts"]) in alt


def test_mismatch_table_puts_the_largest_gap_first():
    gaps = pd.DataFrame(
        {"total": [100, 168, 90], "sum_of_parts": [110, 2070, 91], "difference": [-10, -1902, -1]},
        index=pd.DatetimeIndex(["2021-01-05", "2021-07-15", "2021-03-01"], name="day"),
    )
    table = sensors.mismatch_table(gaps, largest=2)
    assert list(table.index) == ["Thu 15 Jul 2021", "Tue 05 Jan 2021"]
    assert table.iloc[0].tolist() == ["168", "2 070", "-1 902"]


# -- profiles ------------------------------------------------------------------------------------------


def test_weekday_chart_bars_are_the_models_weekday_profiles(counts):
    profiles = {model.channel(key).label: model.weekday_profile(model.channel_series(counts, key)) for key in TOTALS}
    shown = sensors.weekday_chart(profiles)
    axes = shown.figure.axes[0]
    assert len(axes.containers) == len(profiles)
    for container, profile in zip(axes.containers, profiles.values()):
        assert [bar.get_height() for bar in container] == pytest.approx(list(profile.reindex(model.WEEKDAYS)))
    alt = alt_of(shown)
    limbert = profiles[model.channel("limbert").label]
    assert f"{sensors.count(limbert.max())} on {limbert.idxmax()}" in alt


def test_monthly_chart_lines_are_the_models_monthly_profiles(counts):
    profiles = {model.channel(key).label: model.monthly_profile(model.channel_series(counts, key)) for key in TOTALS}
    shown = sensors.monthly_chart(profiles)
    lines = shown.figure.axes[0].get_lines()
    assert len(lines) == len(profiles)
    for line, profile in zip(lines, profiles.values()):
        assert list(line.get_xdata()) == list(profile.index)
        assert list(line.get_ydata()) == pytest.approx(list(profile))
    bikes = profiles[model.channel("daladier_bikes").label]
    assert f"highest in {model.MONTHS[int(bikes.idxmax()) - 1]} ({sensors.count(bikes.max())} a day)" in alt_of(shown)


def test_speed_band_chart_stacks_the_models_shares_to_100_percent(counts):
    shares = {
        "towards Thiers": model.speed_band_shares(counts, "to_thiers"),
        "towards St Lazare": model.speed_band_shares(counts, "to_st_lazare"),
    }
    shown = sensors.speed_band_chart(shares)
    patches = shown.figure.axes[0].patches
    # bars are drawn band by band, one bar per direction in each band
    widths = np.array([patch.get_width() for patch in patches]).reshape(len(model.SPEED_BANDS), len(shares))
    expected = np.array([[shares[label][band] * 100 for label in shares] for band in model.SPEED_BANDS])
    assert widths == pytest.approx(expected)
    assert widths.sum(axis=0) == pytest.approx([100.0, 100.0])
    assert f"> 30 km/h {sensors.percent(shares['towards Thiers']['> 30 km/h'], 1)}" in alt_of(shown)


# -- anomalies ---------------------------------------------------------------------------------------------


def test_flag_summary_table_counts_the_days_of_each_flag():
    def flagged(*flags):
        days = pd.date_range("2021-03-01", periods=len(flags), freq="D", name="day")
        return pd.DataFrame({"count": 0.0, "expected": 100.0, "flag": list(flags), "reason": "test"}, index=days)

    table = sensors.flag_summary_table({"limbert": flagged("low", "low", "dead"), "to_thiers_over_30": flagged()})
    limbert = table.loc[model.channel("limbert").label]
    assert (limbert["low"], limbert["dead"], limbert["high"], limbert["days flagged"]) == (2, 1, 0, 3)
    assert table.loc[model.channel("to_thiers_over_30").label, "days flagged"] == 0


def test_anomaly_chart_marks_each_flagged_day_at_its_count(limbert):
    anomalies = model.find_anomalies(limbert)
    shown = sensors.anomaly_chart(limbert, anomalies, label="Limbert", expected=model.expected_counts(limbert))
    axes = shown.figure.axes[0]
    assert list(axes.get_lines()[0].get_ydata()) == pytest.approx(list(limbert), nan_ok=True)
    marked = np.concatenate([points[:, 1] for points in scatter_points(axes)]) if len(anomalies) else np.array([])
    assert sorted(marked) == pytest.approx(sorted(anomalies["count"].astype(float)))
    alt = alt_of(shown)
    for flag, days in anomalies["flag"].value_counts().items():
        assert f"{days} {flag}" in alt


def test_anomaly_chart_marks_a_day_without_a_count_on_the_axis():
    days = pd.date_range("2021-03-01", periods=70, freq="D", name="day")
    series = pd.Series(np.where(days.day_of_week < 5, 500.0, 200.0) + np.arange(70), index=days, name="test")
    series.iloc[30] = np.nan
    anomalies = model.find_anomalies(series)
    assert "missing" in set(anomalies["flag"])
    shown = sensors.anomaly_chart(series, anomalies, label="Test counter")
    legend = [text.get_text() for text in shown.figure.axes[0].get_legend().get_texts()]
    assert any(text.startswith("missing") for text in legend)
    missing_points = [points for points in scatter_points(shown.figure.axes[0]) if len(points) and (points[:, 1] == 0).all()]
    assert missing_points, "a missing day is drawn on the x axis"


def test_anomaly_table_gives_the_rules_reason_for_each_day(limbert):
    anomalies = model.find_anomalies(limbert)
    table = sensors.anomaly_table(anomalies).frame
    assert len(table) == len(anomalies)
    assert list(table["reason"]) == list(anomalies["reason"])
    assert list(table["flag"]) == list(anomalies["flag"])


# -- Montréal ------------------------------------------------------------------------------------------------


def test_season_chart_marks_every_rainy_day_at_its_count(joined):
    shown = sensors.season_chart(joined)
    axes = shown.figure.axes[0]
    assert list(axes.get_lines()[0].get_ydata()) == pytest.approx(list(joined["count"].astype(float)))
    (rainy,) = scatter_points(axes)
    assert sorted(rainy[:, 1]) == pytest.approx(sorted(joined.loc[joined["rainy"], "count"].astype(float)))
    assert f"{int(joined['rainy'].sum())} rainy days" in alt_of(shown)


def test_rain_strata_table_shows_the_models_comparisons(joined):
    effect = model.rain_effect(joined)
    table = sensors.rain_strata_table(effect)
    assert len(table) == len(effect.strata)
    assert list(table["rainy ÷ dry"]) == [sensors.ratio(value) for value in effect.strata["ratio"]]
    assert table["rainy days"].sum() == effect.strata["rainy_days"].sum()


def test_temperature_chart_draws_the_models_two_slopes(joined):
    effect = model.temperature_effect(joined)
    days = joined[~joined["rainy"] & ~joined["weekend"]]
    shown = sensors.temperature_chart(days, effect)
    lines = shown.figure.axes[0].get_lines()

    def slope(line):
        x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        return (y[-1] - y[0]) / (x[-1] - x[0])

    assert slope(lines[0]) == pytest.approx(effect.slope_per_degree)
    assert len(lines) > 1
    assert all(slope(line) == pytest.approx(effect.within_month_slope) for line in lines[1:])
    points = np.concatenate(scatter_points(shown.figure.axes[0]))
    assert len(points) == len(days) == effect.days
    alt = alt_of(shown)
    assert f"rises by {sensors.count(effect.slope_per_degree)} cyclists per °C" in alt
    assert f"by only {sensors.count(effect.within_month_slope)} per °C" in alt


def test_every_figure_credits_its_data(counts, limbert, joined):
    shares = {"towards Thiers": model.speed_band_shares(counts, "to_thiers")}
    figures = [
        sensors.speed_band_chart(shares),
        sensors.anomaly_chart(limbert, model.find_anomalies(limbert), label="Limbert"),
        sensors.season_chart(joined),
    ]
    for shown in figures:
        assert alt_of(shown).strip()
    assert "Avignon" in figures[0].caption and "Licence Ouverte" in figures[1].caption
    assert "Montréal" in figures[2].caption and "Environnement" in figures[2].caption
