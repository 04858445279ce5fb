"""Montréal's 2012 bicycle counts against the weather: how much of the variation is rain and temperature?

The weather is observed every hour and the bicycles are counted every day, so the weather is first
aggregated to days. Two effects are then estimated, each in a way that does not mistake the season
for the weather:

- **rain**: rainy days are compared with dry days of the *same month and the same kind of day*
  (working day or weekend), because rain, cold and holidays come at different times of the year;
- **temperature**: the slope of the daily count on the day's mean temperature, on dry working days,
  once over the whole year and once *within months* (each month's mean removed from both), which
  takes out what the season does beyond temperature (daylight, holidays, habits).

Both are correlations measured on one year and one path: they describe, they do not prove a cause.
Units: counts are cyclists per day, temperatures °C, rain and snow in hours per day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from modules.common import data
from modules.common.i18n import translator

from .counters import EmptyPeriodError
from .datasets import BIKES, BIKES_FILE, BIKES_SLUG, SLUG, WEATHER, WEATHER_FILE

_ = translator(__name__)

#: An hour is rainy when its observed weather contains one of these words ("Freezing Rain",
#: "Rain Showers", "Freezing Drizzle" and "Thunderstorms,Rain" all count).
RAIN_WORDS = ("Rain", "Drizzle", "Thunderstorms")
#: An hour is snowy when its observed weather contains one of these words.
SNOW_WORDS = ("Snow", "Ice Pellets")
#: A day is rainy when at least this many of its hours are rainy.
RAINY_DAY_HOURS = 3
#: The two columns of the bicycle file that are empty in every row ("data not available").
EMPTY_PATHS = ("Brébeuf (données non disponibles)", "St-Urbain (données non disponibles)")
WEATHER_COLUMNS = ("Temp (C)", "Weather")


def load_weather() -> pd.DataFrame:
    """Montréal's hourly weather of 2012, indexed by the hour ("Date/Time")."""
    return data.read_csv(SLUG, WEATHER, WEATHER_FILE, parse_dates=["Date/Time"], index_col="Date/Time")


def load_montreal_bikes() -> pd.DataFrame:
    """Montréal's daily bicycle counts of 2012, one column per path, indexed by day ("Date").

    The file is Latin-1, ``;``-separated, with day-first dates. The two columns of
    :data:`EMPTY_PATHS`, empty in every row, are dropped by name; every other path is kept.
    """
    bikes = data.read_csv(BIKES_SLUG, BIKES, BIKES_FILE, sep=";", encoding="latin1",
                          parse_dates=["Date"], dayfirst=True, index_col="Date")
    empty = [c for c in EMPTY_PATHS if c in bikes.columns]
    not_empty = [c for c in empty if bikes[c].notna().any()]
    if not_empty:
        raise ValueError(_("The path(s) {paths} now hold counts: keep them (update EMPTY_PATHS).", paths=", ".join(not_empty)))
    return bikes.drop(columns=empty).astype("int64")


def daily_weather(hourly: pd.DataFrame) -> pd.DataFrame:
    """The hourly weather aggregated to days.

    Columns: ``mean_temp_c`` and ``max_temp_c`` (°C), ``rain_hours`` and ``snow_hours`` (hours whose
    weather contains a word of :data:`RAIN_WORDS` or :data:`SNOW_WORDS`), ``rainy`` (at least
    :data:`RAINY_DAY_HOURS` rainy hours). Index: the days ("day").
    """
    missing = [c for c in WEATHER_COLUMNS if c not in hourly.columns]
    if missing:
        raise ValueError(_("The weather table has no column {columns}.", columns=", ".join(repr(c) for c in missing)))
    if not isinstance(hourly.index, pd.DatetimeIndex):
        raise ValueError(_("Index the hourly weather by its date and hour (index_col='Date/Time', parse_dates)."))
    if hourly.empty:
        raise EmptyPeriodError(_("The weather table has no hour."))
    weather = hourly["Weather"].fillna("").astype(str)
    rain = weather.str.contains("|".join(RAIN_WORDS))
    snow = weather.str.contains("|".join(SNOW_WORDS))
    day = hourly.index.normalize()
    daily = pd.DataFrame({
        "mean_temp_c": hourly["Temp (C)"].groupby(day).mean(),
        "max_temp_c": hourly["Temp (C)"].groupby(day).max(),
        "rain_hours": rain.groupby(day).sum().astype("int64"),
        "snow_hours": snow.groupby(day).sum().astype("int64"),
    })
    daily["rainy"] = daily["rain_hours"] >= RAINY_DAY_HOURS
    daily.index.name = "day"
    return daily


def join_counts_weather(bikes: pd.DataFrame, daily: pd.DataFrame, path: str = "Berri 1") -> pd.DataFrame:
    """One path's daily counts next to the day's weather, for the days present in both.

    Columns: ``count``, ``mean_temp_c``, ``rain_hours``, ``snow_hours``, ``rainy``, ``weekend``
    (Saturday or Sunday) and ``month`` (1–12).
    """
    if path not in bikes.columns:
        raise ValueError(_("There is no path {path} in the bicycle counts. Paths: {paths}.", path=repr(path), paths=", ".join(map(str, bikes.columns))))
    counts = bikes[path].dropna()
    counts.index = pd.DatetimeIndex(counts.index).normalize()
    joined = daily[["mean_temp_c", "rain_hours", "snow_hours", "rainy"]].join(counts.rename("count"), how="inner")
    if joined.empty:
        raise EmptyPeriodError(_("The bicycle counts and the weather have no day in common."))
    joined = joined[["count", "mean_temp_c", "rain_hours", "snow_hours", "rainy"]]
    joined["weekend"] = joined.index.day_of_week >= 5
    joined["month"] = joined.index.month
    joined.index.name = "day"
    return joined


@dataclass(frozen=True)
class RainEffect:
    """Cyclists on rainy days as a share of cyclists on dry days.

    naive_ratio : mean count on rainy days ÷ mean count on dry days, all days together
    adjusted_ratio : the same ratio within each month × kind of day, averaged with the number of
        rainy days of each as weights: rain compared with dry days of the same season
    strata : one row per month × kind of day used (rainy_days, dry_days, rainy_mean, dry_mean, ratio)
    rainy_days, dry_days : numbers of days of each kind in the data
    """

    naive_ratio: float
    adjusted_ratio: float
    strata: pd.DataFrame
    rainy_days: int
    dry_days: int

    @property
    def adjusted_change(self) -> float:
        """The adjusted effect as a change: −0.3 means 30 % fewer cyclists on rainy days."""
        return self.adjusted_ratio - 1.0


def rain_effect(joined: pd.DataFrame) -> RainEffect:
    """Compare rainy and dry days, first naively, then within the same month and kind of day.

    A stratum (month × working day or weekend) is used when it has at least one rainy day, one dry
    day and a dry-day mean above 0. Raises :class:`EmptyPeriodError` when no stratum qualifies.
    """
    for column in ("count", "rainy", "weekend", "month"):
        if column not in joined.columns:
            raise ValueError(_("The table has no column {column}: build it with join_counts_weather.", column=repr(column)))
    rainy = joined["rainy"].astype(bool)
    if not rainy.any() or rainy.all():
        raise EmptyPeriodError(_("The period needs both rainy and dry days to compare them."))
    dry_mean_all = joined.loc[~rainy, "count"].mean()
    if dry_mean_all == 0:
        raise ValueError(_("Nobody was counted on dry days, so the ratio has no meaning."))
    naive = joined.loc[rainy, "count"].mean() / dry_mean_all
    rows = []
    for (month, weekend), group in joined.groupby(["month", "weekend"], sort=True):
        wet = group.loc[group["rainy"].astype(bool), "count"]
        dry = group.loc[~group["rainy"].astype(bool), "count"]
        if len(wet) and len(dry) and dry.mean() > 0:
            rows.append({"month": month, "weekend": bool(weekend), "rainy_days": len(wet), "dry_days": len(dry),
                         "rainy_mean": wet.mean(), "dry_mean": dry.mean(), "ratio": wet.mean() / dry.mean()})
    strata = pd.DataFrame(rows, columns=["month", "weekend", "rainy_days", "dry_days", "rainy_mean", "dry_mean", "ratio"])
    if strata.empty:
        raise EmptyPeriodError(_("No month has both rainy and dry days of the same kind: use a longer period."))
    adjusted = float(np.average(strata["ratio"], weights=strata["rainy_days"]))
    return RainEffect(float(naive), adjusted, strata, int(rainy.sum()), int((~rainy).sum()))


@dataclass(frozen=True)
class TemperatureEffect:
    """How the daily count moves with the day's mean temperature, on dry working days.

    slope_per_degree : cyclists per day per °C, fitted over the whole period
    within_month_slope : the same after removing each month's mean from counts and temperatures,
        so that only day-to-day changes inside a month count (season taken out)
    correlation : Pearson correlation of count and temperature over the whole period
    days : number of days used
    """

    slope_per_degree: float
    within_month_slope: float
    correlation: float
    days: int


def _slope(x: pd.Series, y: pd.Series) -> float:
    dx = x - x.mean()
    spread = float((dx * dx).sum())
    if spread == 0:
        return float("nan")
    return float((dx * (y - y.mean())).sum() / spread)


def temperature_effect(joined: pd.DataFrame) -> TemperatureEffect:
    """Fit the count on the temperature, on dry working days, over the period and within months."""
    for column in ("count", "mean_temp_c", "rainy", "weekend", "month"):
        if column not in joined.columns:
            raise ValueError(_("The table has no column {column}: build it with join_counts_weather.", column=repr(column)))
    days = joined[~joined["rainy"].astype(bool) & ~joined["weekend"].astype(bool)]
    if len(days) < 3:
        raise EmptyPeriodError(_("The period has fewer than 3 dry working days: use a longer period."))
    x, y = days["mean_temp_c"], days["count"].astype(float)
    x_within = x - x.groupby(days["month"]).transform("mean")
    y_within = y - y.groupby(days["month"]).transform("mean")
    correlation = float(np.corrcoef(x, y)[0, 1]) if x.std() > 0 and y.std() > 0 else float("nan")
    return TemperatureEffect(_slope(x, y), _slope(x_within, y_within), correlation, len(days))
