"""Tables and figures of lesson 02, *Sensor data in practice* (book/smart_towns/02-sensor-data.md).

Views only: each function receives what the model computed (the tidy counts of
:func:`~modules.smart_towns.model.load_counts`, a channel's daily series, its
:func:`~modules.smart_towns.model.find_anomalies`, the profiles, the speed-band shares, the
:class:`~modules.smart_towns.model.RainEffect` and :class:`~modules.smart_towns.model.TemperatureEffect`
of Montréal's counts) or a selection the lesson made in a visible cell, and returns a formatted
table (a :class:`pandas.DataFrame` of text, or a :class:`~modules.common.views.tables.FullTable` when its
cells are long) or an accessible figure (see :func:`modules.common.views.plotting.show`). None of them
decides which day is an anomaly, what a profile is worth or how large an effect is: the numbers a
learner sees are the model's.

Units: counts are passages per day (cyclists or pedestrians); shares are fractions (0.25 = 25 %);
temperatures are daily means in °C; slopes are cyclists per day per °C.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from modules.common import data
from modules.common.views import plotting
from modules.common.views.tables import FullTable
from modules.smart_towns import model

#: Short month names for the axes (index 0 = January).
MONTH_ABBREVIATIONS = tuple(name[:3] for name in model.MONTHS)

#: How each anomaly flag is drawn: marker, colour, and the words of the legend.
FLAG_STYLES = {
    "missing": dict(marker="|", color=plotting.PALETTE["black"], label="missing: no count published"),
    "dead": dict(marker="X", color=plotting.ALERT_COLOUR, label="dead: 0 where traffic was expected"),
    "stuck": dict(marker="s", color=plotting.PALETTE["purple"], label="stuck: the same count day after day"),
    "low": dict(marker="v", color=plotting.ALERT_COLOUR, label="low: under a quarter of the expected count"),
    "high": dict(marker="^", color=plotting.PALETTE["orange"], label="high: over four times the expected count"),
}

#: Colour of each speed band, from the slowest to the fastest (the fastest in the alert colour).
BAND_COLOURS = (plotting.PALETTE["sky"], plotting.PALETTE["blue"], plotting.PALETTE["orange"], plotting.ALERT_COLOUR)

#: Seasons of Montréal's scatter plot: name → months (the counts run from January to early November).
SEASONS = {
    "January–March": (1, 2, 3),
    "April–June": (4, 5, 6),
    "July–September": (7, 8, 9),
    "October–December": (10, 11, 12),
}


def counters_credit() -> str:
    """The attribution line of Avignon's counters, as its README gives it (Licence Ouverte asks for it)."""
    return data.attribution(model.SLUG, model.COUNTERS)


def montreal_credit() -> str:
    """The attribution lines of Montréal's bicycle counts and of the weather set next to them."""
    return f"{data.attribution(model.BIKES_SLUG, model.BIKES)}. {data.attribution(model.SLUG, model.WEATHER)}."


# -- formatting -------------------------------------------------------------------------------------


def count(value: float) -> str:
    """A count as the lesson writes it, with a thin space between thousands: ``2070`` → ``'2 070'``; NaN → ``'–'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):,.0f}".replace(",", " ")


def percent(share: float, digits: int = 0) -> str:
    """A share (0–1) as a percentage: ``0.0123`` → ``'1 %'``, or ``'1.2 %'`` with ``digits=1``."""
    return f"{float(share) * 100:.{digits}f} %"


def ratio(value: float) -> str:
    """A ratio of two means, to two decimals: ``0.7057`` → ``'0.71'``; NaN → ``'–'``."""
    value = float(value)
    return "–" if math.isnan(value) else f"{value:.2f}"


def day_label(day) -> str:
    """A day as the lesson names it: ``2021-07-15`` → ``'Thu 15 Jul 2021'``."""
    return pd.Timestamp(day).strftime("%a %d %b %Y")


def _percent_ticks() -> FuncFormatter:
    return FuncFormatter(lambda value, _position: f"{value:.0f} %")


def _thousands_ticks() -> FuncFormatter:
    return FuncFormatter(lambda value, _position: count(value))


# -- the channels of Avignon's counters ---------------------------------------------------------------


def channels_table(counts: pd.DataFrame) -> FullTable:
    """One row per logical channel of :data:`model.CHANNELS`: what it counts and over which days.

    ``counts`` is :func:`model.load_counts` (columns ``day``, ``channel``, ``count``). The columns say
    whether the channel is a total of other channels, which identifiers (``cpt_id``) of the file it
    gathers, its first and last day, and its mean count per day over those days.
    """
    rows = []
    for channel in model.CHANNELS:
        own = counts.loc[counts["channel"] == channel.key]
        rows.append(
            {
                "label": channel.label,
                "mode": channel.mode,
                "total of other channels": "yes" if channel.is_total else "",
                "cpt_id in the file": ", ".join(str(cpt) for cpt in channel.cpt_ids),
                "first day": own["day"].min().strftime("%d/%m/%Y") if len(own) else "–",
                "last day": own["day"].max().strftime("%d/%m/%Y") if len(own) else "–",
                "mean per day": count(own["count"].mean()) if len(own) else "–",
            }
        )
    return FullTable(pd.DataFrame(rows, index=pd.Index(model.CHANNEL_KEYS, name="channel key")))


def mismatch_table(mismatches: pd.DataFrame, *, largest: int | None = None) -> pd.DataFrame:
    """The days on which a total channel differs from the sum of its parts, largest gaps first.

    ``mismatches`` is :func:`model.total_mismatches` (columns ``total``, ``sum_of_parts``,
    ``difference``, index ``day``); ``largest`` keeps only that many days.
    """
    ordered = mismatches.reindex(mismatches["difference"].abs().sort_values(ascending=False, kind="stable").index)
    if largest is not None:
        ordered = ordered.head(largest)
    return pd.DataFrame(
        {
            "total channel": [count(value) for value in ordered["total"]],
            "sum of its parts": [count(value) for value in ordered["sum_of_parts"]],
            "difference": [count(value) for value in ordered["difference"]],
        },
        index=pd.Index([day_label(day) for day in ordered.index], name="day"),
    )


def mismatch_chart(mismatches: pd.DataFrame, *, days_compared: int, total_label: str, parts_label: str) -> plotting.AccessibleFigure:
    """Bars: on each day of the year, the total channel minus the sum of its parts (0 on most days).

    ``mismatches`` is :func:`model.total_mismatches`; ``days_compared`` is the number of days on
    which both the total and its parts have a count (the days without a bar agree exactly).
    """
    fig, ax = plotting.new_figure(
        f"{total_label}: total minus {parts_label}",
        "Day (2021)",
        "Total − sum of the parts (passages per day)",
        size=(7.5, 3.8),
    )
    ax.bar(mismatches.index, mismatches["difference"], width=1.6, color=plotting.ALERT_COLOUR)
    ax.axhline(0, color=plotting.PALETTE["black"], linewidth=0.8)
    ax.set_xlim(pd.Timestamp("2021-01-01"), pd.Timestamp("2021-12-31"))
    ax.yaxis.set_major_formatter(_thousands_ticks())
    ax.grid(axis="x", visible=False)
    worst_day = mismatches["difference"].abs().idxmax() if len(mismatches) else None
    if worst_day is not None:
        worst = mismatches.loc[worst_day]
        ax.annotate(
            f"{day_label(worst_day)}: {count(worst['total'])} against {count(worst['sum_of_parts'])}",
            xy=(worst_day, worst["difference"]),
            xytext=(12, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    agree = days_compared - len(mismatches)
    lower = int((mismatches["difference"] < 0).sum())
    worst_text = (
        f" The largest gap is on {day_label(worst_day)}: {count(worst['total'])} for the total against "
        f"{count(worst['sum_of_parts'])} for its parts."
        if worst_day is not None
        else ""
    )
    return plotting.show(
        fig,
        alt=(
            f"Bar chart of the daily difference between {total_label} and {parts_label} in 2021. "
            f"They agree exactly on {agree} of {days_compared} days; on {len(mismatches)} days they differ, "
            f"and on {lower} of those the total is below the sum of its parts.{worst_text}"
        ),
        caption=f"A bar is a day on which the total is not the sum of its parts. {counters_credit()}",
    )


# -- profiles -------------------------------------------------------------------------------------------


def weekday_chart(profiles: Mapping[str, pd.Series]) -> plotting.AccessibleFigure:
    """Grouped bars: the mean count of each weekday, one colour per channel.

    ``profiles`` maps a channel's label to :func:`model.weekday_profile` of its series (index
    :data:`model.WEEKDAYS`, passages per day).
    """
    fig, ax = plotting.new_figure("A mean week at three counters (2021)", "Day of the week", "Mean count per day", size=(7.5, 4.2))
    weekdays = list(model.WEEKDAYS)
    positions = np.arange(len(weekdays))
    width = 0.8 / max(len(profiles), 1)
    for i, (label, profile) in enumerate(profiles.items()):
        values = profile.reindex(weekdays).to_numpy(dtype=float)
        ax.bar(positions - 0.4 + width * (i + 0.5), values, width=width, label=label, color=plotting.SERIES_COLOURS[i])
    ax.set_xticks(positions, [day[:3] for day in weekdays])
    ax.yaxis.set_major_formatter(_thousands_ticks())
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1, fontsize=9)
    described = "; ".join(
        f"{label}: from {count(profile.min())} on {profile.idxmin()} to {count(profile.max())} on {profile.idxmax()}"
        for label, profile in profiles.items()
    )
    return plotting.show(
        fig,
        alt=f"Grouped bar chart of the mean count per day of the week in 2021. {described}.",
        caption=f"Mean of the daily counts of each weekday over the year (public holidays count as their weekday). {counters_credit()}",
    )


def monthly_chart(profiles: Mapping[str, pd.Series]) -> plotting.AccessibleFigure:
    """Lines: the mean daily count of each calendar month, one line per channel.

    ``profiles`` maps a channel's label to :func:`model.monthly_profile` of its series (index month
    numbers 1–12, passages per day).
    """
    fig, ax = plotting.new_figure("The year at three counters (2021)", "Month", "Mean count per day", size=(7.5, 4.2))
    for i, (label, profile) in enumerate(profiles.items()):
        ax.plot(profile.index, profile.to_numpy(dtype=float), marker="o", label=label, color=plotting.SERIES_COLOURS[i])
    ax.set_xticks(range(1, 13), MONTH_ABBREVIATIONS)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_thousands_ticks())
    ax.legend(loc="upper left", fontsize=9)
    described = "; ".join(
        f"{label}: lowest in {model.MONTHS[int(profile.idxmin()) - 1]} ({count(profile.min())} a day), "
        f"highest in {model.MONTHS[int(profile.idxmax()) - 1]} ({count(profile.max())} a day)"
        for label, profile in profiles.items()
    )
    return plotting.show(
        fig,
        alt=f"Line chart of the mean count per day of each month of 2021. {described}.",
        caption=f"Each point is the mean of the daily counts of one month. {counters_credit()}",
    )


# -- speed bands -----------------------------------------------------------------------------------------


def speed_band_chart(shares: Mapping[str, pd.Series]) -> plotting.AccessibleFigure:
    """Stacked horizontal bars: the share of each speed band among the cyclists of each direction.

    ``shares`` maps a direction's label to :func:`model.speed_band_shares` (index
    :data:`model.SPEED_BANDS`, shares 0–1 that add up to 1).
    """
    fig, ax = plotting.new_figure(
        "How fast cyclists ride on the St Lazare–Thiers axis (2021)",
        "Share of the year's cyclists (%)",
        "Direction",
        size=(7.5, 3.2),
    )
    labels = list(shares)
    positions = np.arange(len(labels))[::-1]
    ordered = {label: shares[label].reindex(model.SPEED_BANDS).astype(float) * 100 for label in labels}
    starts = {label: values.cumsum() - values for label, values in ordered.items()}
    for band, colour in zip(model.SPEED_BANDS, BAND_COLOURS):
        lefts = [float(starts[label][band]) for label in labels]
        widths = [float(ordered[label][band]) for label in labels]
        ax.barh(positions, widths, left=lefts, color=colour, label=band, height=0.55)
        for position, left, width in zip(positions, lefts, widths):
            if width >= 4:
                ax.text(left + width / 2, position, f"{width:.0f} %", ha="center", va="center", fontsize=9,
                        color="white" if colour != plotting.PALETTE["sky"] else "black")
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(_percent_ticks())
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=4, fontsize=9)
    described = "; ".join(
        f"{label}: " + ", ".join(f"{band} {percent(share, 1)}" for band, share in shares[label].items())
        for label in labels
    )
    return plotting.show(
        fig,
        alt=f"Stacked bar chart of the share of each speed band among the cyclists counted in 2021. {described}.",
        caption=f"Shares of the year's total of each direction. {counters_credit()}",
    )


# -- anomalies --------------------------------------------------------------------------------------------


def flag_summary_table(anomalies: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """How many days of each channel the rule flags, by flag (rows: channel labels; columns: flags).

    ``anomalies`` maps a channel key to :func:`model.find_anomalies` of its series.
    """
    flags = list(FLAG_STYLES)
    rows = {}
    for key, found in anomalies.items():
        per_flag = found["flag"].value_counts()
        rows[model.channel(key).label] = {flag: int(per_flag.get(flag, 0)) for flag in flags}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=flags)
    table["days flagged"] = table.sum(axis=1)
    return table.rename_axis("channel")


def anomaly_table(anomalies: pd.DataFrame) -> FullTable:
    """The flagged days of one channel with the count, the expected count and the rule's reason.

    ``anomalies`` is :func:`model.find_anomalies` (index ``day``; columns ``count``, ``expected``,
    ``flag``, ``reason``).
    """
    return FullTable(
        pd.DataFrame(
            {
                "count": [count(value) for value in anomalies["count"]],
                "expected": [count(value) for value in anomalies["expected"]],
                "flag": list(anomalies["flag"]),
                "reason": list(anomalies["reason"]),
            },
            index=pd.Index([day_label(day) for day in anomalies.index], name="day"),
        )
    )


def anomaly_chart(series: pd.Series, anomalies: pd.DataFrame, *, label: str, expected: pd.Series | None = None) -> plotting.AccessibleFigure:
    """A channel's daily counts over its period, with each flagged day marked by its flag.

    ``series`` is :func:`model.channel_series` (passages per day, NaN on days without a count),
    ``anomalies`` its :func:`model.find_anomalies`, and ``expected`` (optional) its
    :func:`model.expected_counts`, drawn as a thin line.
    """
    fig, ax = plotting.new_figure(f"{label}: daily counts and flagged days", "Day", "Count per day", size=(7.5, 4.2))
    ax.plot(series.index, series.to_numpy(dtype=float), color=plotting.PALETTE["sky"], linewidth=1.0, label="count of the day")
    if expected is not None:
        ax.plot(expected.index, expected.to_numpy(dtype=float), color=plotting.PALETTE["black"], linewidth=0.9,
                linestyle=":", label="expected count (median of the same weekday, 4 weeks either side)")
    for flag, style in FLAG_STYLES.items():
        days = anomalies.index[anomalies["flag"] == flag]
        if len(days) == 0:
            continue
        values = anomalies.loc[days, "count"].to_numpy(dtype=float)
        if flag == "missing":  # no count to draw: mark the day on the axis
            values = np.zeros(len(days))
        ax.scatter(days, values, s=46, zorder=3, marker=style["marker"], color=style["color"],
                   label=f"{style['label']} ({len(days)} day{'s' if len(days) > 1 else ''})")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_thousands_ticks())
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1, fontsize=9)
    per_flag = anomalies["flag"].value_counts()
    listed = ", ".join(f"{int(per_flag[flag])} {flag}" for flag in FLAG_STYLES if flag in per_flag) or "none"
    examples = "; ".join(
        f"{day_label(day)} ({row['flag']}: {count(row['count'])} against {count(row['expected'])} expected)"
        for day, row in anomalies.head(3).iterrows()
    )
    return plotting.show(
        fig,
        alt=(
            f"Line chart of the daily counts of {label} from {day_label(series.index[0])} to {day_label(series.index[-1])}, "
            f"with the days the anomaly rule flags marked. Flagged days: {listed}."
            + (f" For example {examples}." if examples else "")
        ),
        caption=f"Markers: the days flagged by the rule stated above. {counters_credit()}",
    )


# -- Montréal: counts and the weather ---------------------------------------------------------------------


def season_chart(joined: pd.DataFrame, *, path: str = "Berri 1") -> plotting.AccessibleFigure:
    """Montréal's daily bicycle counts of one path over 2012, with rainy days marked.

    ``joined`` is :func:`model.join_counts_weather` (index ``day``; columns ``count``, ``rainy``...).
    """
    fig, ax = plotting.new_figure(f"Cyclists counted on {path}, Montréal, 2012", "Day (2012)", "Cyclists per day", size=(7.5, 4.0))
    ax.plot(joined.index, joined["count"].to_numpy(dtype=float), color=plotting.PALETTE["blue"], linewidth=1.1, label="count of the day")
    rainy = joined.loc[joined["rainy"]]
    ax.scatter(rainy.index, rainy["count"].to_numpy(dtype=float), s=22, zorder=3, color=plotting.PALETTE["orange"],
               marker="o", label=f"rainy day ({len(rainy)} days)")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_thousands_ticks())
    ax.legend(loc="upper left", fontsize=9)
    peak = joined["count"].idxmax()
    return plotting.show(
        fig,
        alt=(
            f"Line chart of the daily count of cyclists on {path} from {day_label(joined.index[0])} to "
            f"{day_label(joined.index[-1])}: low in winter, rising through spring to a summer plateau and falling in "
            f"autumn; the highest count is {count(joined.loc[peak, 'count'])} on {day_label(peak)}. "
            f"{len(rainy)} rainy days are marked; many sit below their neighbours."
        ),
        caption=f"A rainy day has at least {model.RAINY_DAY_HOURS} hours whose observed weather mentions rain, drizzle or thunderstorms. {montreal_credit()}",
    )


def rain_strata_table(effect) -> pd.DataFrame:
    """The comparisons behind the adjusted rain effect: one row per month and day type.

    ``effect`` is :class:`model.RainEffect`; its ``strata`` columns are month, weekend, rainy_days,
    dry_days, rainy_mean, dry_mean, ratio (mean count on rainy days ÷ mean on dry days).
    """
    strata = effect.strata
    return pd.DataFrame(
        {
            "month": [model.MONTHS[int(month) - 1] for month in strata["month"]],
            "days": ["weekend" if weekend else "weekdays" for weekend in strata["weekend"]],
            "rainy days": [int(value) for value in strata["rainy_days"]],
            "dry days": [int(value) for value in strata["dry_days"]],
            "mean, rainy days": [count(value) for value in strata["rainy_mean"]],
            "mean, dry days": [count(value) for value in strata["dry_mean"]],
            "rainy ÷ dry": [ratio(value) for value in strata["ratio"]],
        }
    ).set_index(["month", "days"])


def temperature_chart(days: pd.DataFrame, effect) -> plotting.AccessibleFigure:
    """Scatter of the count against the day's mean temperature, with the two slopes of the model.

    ``days`` holds the days the model used for ``effect`` (Montréal's dry weekdays: columns
    ``count``, ``mean_temp_c``, ``month``) and ``effect`` is :class:`model.TemperatureEffect`. The
    long line has the overall slope and passes through the mean point, as a least-squares line
    does; each short line has the within-month slope and passes through the mean point of its month.
    """
    fig, ax = plotting.new_figure(
        "Warmer days, more cyclists: but how much is the season?",
        "Mean temperature of the day (°C)",
        "Cyclists per day",
        size=(7.5, 4.6),
    )
    for i, (season, months) in enumerate(SEASONS.items()):
        part = days.loc[days["month"].isin(months)]
        if len(part):
            ax.scatter(part["mean_temp_c"], part["count"], s=18, alpha=0.8, color=plotting.SERIES_COLOURS[i], label=season)
    x = days["mean_temp_c"].to_numpy(dtype=float)
    y = days["count"].to_numpy(dtype=float)
    xs = np.array([x.min(), x.max()])
    ax.plot(xs, y.mean() + effect.slope_per_degree * (xs - x.mean()), color=plotting.PALETTE["black"], linewidth=2.0,
            label=f"all days: {count(effect.slope_per_degree)} more cyclists per °C")
    first = True
    for _month, part in days.groupby("month"):
        if len(part) < 2:
            continue
        low, high = float(part["mean_temp_c"].min()), float(part["mean_temp_c"].max())
        centre_x, centre_y = float(part["mean_temp_c"].mean()), float(part["count"].mean())
        segment = np.array([low, high])
        ax.plot(segment, centre_y + effect.within_month_slope * (segment - centre_x), color=plotting.ALERT_COLOUR, linewidth=2.4,
                label=f"within each month: {count(effect.within_month_slope)} per °C" if first else None)
        first = False
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_thousands_ticks())
    ax.legend(loc="upper left", fontsize=9)
    return plotting.show(
        fig,
        alt=(
            f"Scatter plot of the count of cyclists against the mean temperature of the day, for {effect.days} dry weekdays "
            f"of 2012, coloured by season. The points rise from left to right (correlation {effect.correlation:.2f}). "
            f"A line through all the days rises by {count(effect.slope_per_degree)} cyclists per °C; short lines "
            f"drawn within each month rise by only {count(effect.within_month_slope)} per °C."
        ),
        caption=(
            "Dry weekdays only, so that rain and weekends do not blur the comparison. The within-month slope compares "
            f"warmer and colder days of the same month. {montreal_credit()}"
        ),
    )
