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
from modules.common.i18n import N_, translator
from modules.common.views import plotting
from modules.common.views.tables import FullTable
from modules.smart_towns import model
from modules.smart_towns.date_axis import localise_date_axis
from modules.smart_towns.model import wording

_ = translator(__name__)

#: Short month names for the axes (index 0 = January), in English; the axes show
#: :func:`~modules.smart_towns.model.wording.month_abbreviation`, in the learner's language.
MONTH_ABBREVIATIONS = tuple(name[:3] for name in model.MONTHS)

#: How each anomaly flag is drawn: marker, colour, and the words of the legend (translated with ``_`` where shown).
FLAG_STYLES = {
    "missing": dict(marker="|", color=plotting.PALETTE["black"], label=N_("missing: no count published")),
    "dead": dict(marker="X", color=plotting.ALERT_COLOUR, label=N_("dead: 0 where traffic was expected")),
    "stuck": dict(marker="s", color=plotting.PALETTE["purple"], label=N_("stuck: the same count day after day")),
    "low": dict(marker="v", color=plotting.ALERT_COLOUR, label=N_("low: under a quarter of the expected count")),
    "high": dict(marker="^", color=plotting.PALETTE["orange"], label=N_("high: over four times the expected count")),
}

#: How each mode of a channel is named in tables (the modes are keys; translated with ``_`` where shown).
MODES = {"bike": N_("bike"), "pedestrian": N_("pedestrian")}

#: Colour of each speed band, from the slowest to the fastest (the fastest in the alert colour).
BAND_COLOURS = (plotting.PALETTE["sky"], plotting.PALETTE["blue"], plotting.PALETTE["orange"], plotting.ALERT_COLOUR)

#: Seasons of Montréal's scatter plot: name → months (the counts run from January to early November);
#: the names are translated with ``_`` where shown.
SEASONS = {
    N_("January–March"): (1, 2, 3),
    N_("April–June"): (4, 5, 6),
    N_("July–September"): (7, 8, 9),
    N_("October–December"): (10, 11, 12),
}


def counters_credit() -> str:
    """The attribution line of Avignon's counters, as its README gives it (Licence Ouverte asks for it)."""
    return data.attribution(model.SLUG, model.COUNTERS)


def montreal_credit() -> str:
    """The attribution lines of Montréal's bicycle counts and of the weather set next to them."""
    return f"{data.attribution(model.BIKES_SLUG, model.BIKES)}. {data.attribution(model.SLUG, model.WEATHER)}."


# -- formatting -------------------------------------------------------------------------------------


def count(value: float) -> str:
    """A count as the lesson writes it, with a space between thousands: ``2070`` → ``'2 070'``; NaN → ``'–'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return wording.plain(value)


def percent(share: float, digits: int = 0) -> str:
    """A share (0–1) as a percentage: ``0.0123`` → ``'1 %'``, or ``'1.2 %'`` with ``digits=1`` (``'1,2 %'`` in French)."""
    return wording.percent(share, digits)


def ratio(value: float) -> str:
    """A ratio of two means, to two decimals: ``0.7057`` → ``'0.71'``; NaN → ``'–'``."""
    value = float(value)
    return "–" if math.isnan(value) else wording.decimal(value, 2)


def day_label(day) -> str:
    """A day as the lesson names it: ``2021-07-15`` → ``'Thu 15 Jul 2021'`` (``'jeu. 15 juil. 2021'`` in French)."""
    return wording.padded_day(day)


def _percent_ticks() -> FuncFormatter:
    return FuncFormatter(lambda value, _position: wording.points(value))


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
                _("label"): channel.shown_label,
                _("mode"): _(MODES.get(channel.mode, channel.mode)),
                _("total of other channels"): _("yes") if channel.is_total else "",
                _("cpt_id in the file"): ", ".join(str(cpt) for cpt in channel.cpt_ids),
                _("first day"): own["day"].min().strftime("%d/%m/%Y") if len(own) else "–",
                _("last day"): own["day"].max().strftime("%d/%m/%Y") if len(own) else "–",
                _("mean per day"): count(own["count"].mean()) if len(own) else "–",
            }
        )
    return FullTable(pd.DataFrame(rows, index=pd.Index(model.CHANNEL_KEYS, name=_("channel key"))))


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
            _("total channel"): [count(value) for value in ordered["total"]],
            _("sum of its parts"): [count(value) for value in ordered["sum_of_parts"]],
            _("difference"): [count(value) for value in ordered["difference"]],
        },
        index=pd.Index([day_label(day) for day in ordered.index], name=_("day")),
    )


def mismatch_chart(mismatches: pd.DataFrame, *, days_compared: int, total_label: str, parts_label: str) -> plotting.AccessibleFigure:
    """Bars: on each day of the year, the total channel minus the sum of its parts (0 on most days).

    ``mismatches`` is :func:`model.total_mismatches`; ``days_compared`` is the number of days on
    which both the total and its parts have a count (the days without a bar agree exactly).
    """
    fig, ax = plotting.new_figure(
        _("{total}: total minus {parts}", total=total_label, parts=parts_label),
        _("Day (2021)"),
        _("Total − sum of the parts (passages per day)"),
        size=(7.5, 3.8),
    )
    ax.bar(mismatches.index, mismatches["difference"], width=1.6, color=plotting.ALERT_COLOUR)
    ax.axhline(0, color=plotting.PALETTE["black"], linewidth=0.8)
    ax.set_xlim(pd.Timestamp("2021-01-01"), pd.Timestamp("2021-12-31"))
    localise_date_axis(ax.xaxis)
    ax.yaxis.set_major_formatter(_thousands_ticks())
    ax.grid(axis="x", visible=False)
    worst_day = mismatches["difference"].abs().idxmax() if len(mismatches) else None
    if worst_day is not None:
        worst = mismatches.loc[worst_day]
        ax.annotate(
            _("{day}: {total} against {parts}", day=day_label(worst_day), total=count(worst["total"]), parts=count(worst["sum_of_parts"])),
            xy=(worst_day, worst["difference"]),
            xytext=(12, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    agree = days_compared - len(mismatches)
    lower = int((mismatches["difference"] < 0).sum())
    worst_text = (
        " " + _("The largest gap is on {day}: {total} for the total against {parts} for its parts.",
                day=day_label(worst_day), total=count(worst["total"]), parts=count(worst["sum_of_parts"]))
        if worst_day is not None
        else ""
    )
    return plotting.show(
        fig,
        alt=_(
            "Bar chart of the daily difference between {total} and {parts} in 2021. "
            "They agree exactly on {agree} of {compared} days; on {differ} days they differ, "
            "and on {lower} of those the total is below the sum of its parts.{worst}",
            total=total_label, parts=parts_label, agree=agree, compared=days_compared, differ=len(mismatches),
            lower=lower, worst=worst_text,
        ),
        caption=_("A bar is a day on which the total is not the sum of its parts. {credit}", credit=counters_credit()),
    )


# -- profiles -------------------------------------------------------------------------------------------


def weekday_chart(profiles: Mapping[str, pd.Series]) -> plotting.AccessibleFigure:
    """Grouped bars: the mean count of each weekday, one colour per channel.

    ``profiles`` maps a channel's label to :func:`model.weekday_profile` of its series (index
    :data:`model.WEEKDAYS`, passages per day).
    """
    fig, ax = plotting.new_figure(_("A mean week at three counters (2021)"), _("Day of the week"), _("Mean count per day"), size=(7.5, 4.2))
    weekdays = list(model.WEEKDAYS)
    positions = np.arange(len(weekdays))
    width = 0.8 / max(len(profiles), 1)
    for i, (label, profile) in enumerate(profiles.items()):
        values = profile.reindex(weekdays).to_numpy(dtype=float)
        ax.bar(positions - 0.4 + width * (i + 0.5), values, width=width, label=label, color=plotting.SERIES_COLOURS[i])
    ax.set_xticks(positions, [wording.weekday_abbreviation(day) for day in weekdays])
    ax.yaxis.set_major_formatter(_thousands_ticks())
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1, fontsize=9)
    described = "; ".join(
        _("{label}: from {low} on {low_day} to {high} on {high_day}", label=label, low=count(profile.min()),
          low_day=_(profile.idxmin()), high=count(profile.max()), high_day=_(profile.idxmax()))
        for label, profile in profiles.items()
    )
    return plotting.show(
        fig,
        alt=_("Grouped bar chart of the mean count per day of the week in 2021. {described}.", described=described),
        caption=_("Mean of the daily counts of each weekday over the year (public holidays count as their weekday). {credit}",
                  credit=counters_credit()),
    )


def monthly_chart(profiles: Mapping[str, pd.Series]) -> plotting.AccessibleFigure:
    """Lines: the mean daily count of each calendar month, one line per channel.

    ``profiles`` maps a channel's label to :func:`model.monthly_profile` of its series (index month
    numbers 1–12, passages per day).
    """
    fig, ax = plotting.new_figure(_("The year at three counters (2021)"), _("Month"), _("Mean count per day"), size=(7.5, 4.2))
    for i, (label, profile) in enumerate(profiles.items()):
        ax.plot(profile.index, profile.to_numpy(dtype=float), marker="o", label=label, color=plotting.SERIES_COLOURS[i])
    ax.set_xticks(range(1, 13), [wording.month_abbreviation(month) for month in range(1, 13)])
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_thousands_ticks())
    ax.legend(loc="upper left", fontsize=9)
    described = "; ".join(
        _("{label}: lowest in {low_month} ({low} a day), highest in {high_month} ({high} a day)", label=label,
          low_month=_(model.MONTHS[int(profile.idxmin()) - 1]), low=count(profile.min()),
          high_month=_(model.MONTHS[int(profile.idxmax()) - 1]), high=count(profile.max()))
        for label, profile in profiles.items()
    )
    return plotting.show(
        fig,
        alt=_("Line chart of the mean count per day of each month of 2021. {described}.", described=described),
        caption=_("Each point is the mean of the daily counts of one month. {credit}", credit=counters_credit()),
    )


# -- speed bands -----------------------------------------------------------------------------------------


def speed_band_chart(shares: Mapping[str, pd.Series]) -> plotting.AccessibleFigure:
    """Stacked horizontal bars: the share of each speed band among the cyclists of each direction.

    ``shares`` maps a direction's label to :func:`model.speed_band_shares` (index
    :data:`model.SPEED_BANDS`, shares 0–1 that add up to 1).
    """
    fig, ax = plotting.new_figure(
        _("How fast cyclists ride on the St Lazare–Thiers axis (2021)"),
        _("Share of the year's cyclists (%)"),
        _("Direction"),
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
                ax.text(left + width / 2, position, wording.points(width), ha="center", va="center", fontsize=9,
                        color="white" if colour != plotting.PALETTE["sky"] else "black")
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(_percent_ticks())
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=4, fontsize=9)
    described = "; ".join(
        _("{label}: {shares}", label=label, shares=", ".join(f"{band} {percent(share, 1)}" for band, share in shares[label].items()))
        for label in labels
    )
    return plotting.show(
        fig,
        alt=_("Stacked bar chart of the share of each speed band among the cyclists counted in 2021. {described}.", described=described),
        caption=_("Shares of the year's total of each direction. {credit}", credit=counters_credit()),
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
        rows[model.channel(key).shown_label] = {flag: int(per_flag.get(flag, 0)) for flag in flags}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=flags)
    table[_("days flagged")] = table.sum(axis=1)
    return table.rename(columns={flag: _(model.FLAG_NAMES[flag]) for flag in flags}).rename_axis(_("channel"))


def anomaly_table(anomalies: pd.DataFrame) -> FullTable:
    """The flagged days of one channel with the count, the expected count and the rule's reason.

    ``anomalies`` is :func:`model.find_anomalies` (index ``day``; columns ``count``, ``expected``,
    ``flag``, ``reason``).
    """
    return FullTable(
        pd.DataFrame(
            {
                _("count"): [count(value) for value in anomalies["count"]],
                _("expected"): [count(value) for value in anomalies["expected"]],
                _("flag"): [_(model.FLAG_NAMES.get(flag, flag)) for flag in anomalies["flag"]],
                _("reason"): list(anomalies["reason"]),
            },
            index=pd.Index([day_label(day) for day in anomalies.index], name=_("day")),
        )
    )


def _flag_legend(style: dict, days: int) -> str:
    """The legend of a flag's markers: its words from ``FLAG_STYLES`` and how many days carry it."""
    words = style["label"]
    if days > 1:
        return _("{flag} ({days} days)", flag=_(words), days=days)
    return _("{flag} ({days} day)", flag=_(words), days=days)


def anomaly_chart(series: pd.Series, anomalies: pd.DataFrame, *, label: str, expected: pd.Series | None = None) -> plotting.AccessibleFigure:
    """A channel's daily counts over its period, with each flagged day marked by its flag.

    ``series`` is :func:`model.channel_series` (passages per day, NaN on days without a count),
    ``anomalies`` its :func:`model.find_anomalies`, and ``expected`` (optional) its
    :func:`model.expected_counts`, drawn as a thin line.
    """
    fig, ax = plotting.new_figure(_("{label}: daily counts and flagged days", label=label), _("Day"), _("Count per day"), size=(7.5, 4.2))
    ax.plot(series.index, series.to_numpy(dtype=float), color=plotting.PALETTE["sky"], linewidth=1.0, label=_("count of the day"))
    if expected is not None:
        ax.plot(expected.index, expected.to_numpy(dtype=float), color=plotting.PALETTE["black"], linewidth=0.9,
                linestyle=":", label=_("expected count (median of the same weekday, 4 weeks either side)"))
    for flag, style in FLAG_STYLES.items():
        days = anomalies.index[anomalies["flag"] == flag]
        if len(days) == 0:
            continue
        values = anomalies.loc[days, "count"].to_numpy(dtype=float)
        if flag == "missing":  # no count to draw: mark the day on the axis
            values = np.zeros(len(days))
        ax.scatter(days, values, s=46, zorder=3, marker=style["marker"], color=style["color"],
                   label=_flag_legend(style, len(days)))
    ax.set_ylim(bottom=0)
    localise_date_axis(ax.xaxis)
    ax.yaxis.set_major_formatter(_thousands_ticks())
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1, fontsize=9)
    per_flag = anomalies["flag"].value_counts()
    listed = ", ".join(
        _("{number} {flag}", number=int(per_flag[flag]), flag=_(model.FLAG_NAMES[flag])) for flag in FLAG_STYLES if flag in per_flag
    ) or _("none")
    examples = "; ".join(
        _("{day} ({flag}: {count} against {expected} expected)", day=day_label(day), flag=model.flag_name(row["flag"]),
          count=count(row["count"]), expected=count(row["expected"]))
        for day, row in anomalies.head(3).iterrows()
    )
    alt = _(
        "Line chart of the daily counts of {label} from {first} to {last}, "
        "with the days the anomaly rule flags marked. Flagged days: {listed}.",
        label=label, first=day_label(series.index[0]), last=day_label(series.index[-1]), listed=listed,
    )
    if examples:
        alt += " " + _("For example {examples}.", examples=examples)
    return plotting.show(
        fig,
        alt=alt,
        caption=_("Markers: the days flagged by the rule stated above. {credit}", credit=counters_credit()),
    )


# -- Montréal: counts and the weather ---------------------------------------------------------------------


def season_chart(joined: pd.DataFrame, *, path: str = "Berri 1") -> plotting.AccessibleFigure:
    """Montréal's daily bicycle counts of one path over 2012, with rainy days marked.

    ``joined`` is :func:`model.join_counts_weather` (index ``day``; columns ``count``, ``rainy``...).
    """
    fig, ax = plotting.new_figure(_("Cyclists counted on {path}, Montréal, 2012", path=path), _("Day (2012)"), _("Cyclists per day"),
                                  size=(7.5, 4.0))
    ax.plot(joined.index, joined["count"].to_numpy(dtype=float), color=plotting.PALETTE["blue"], linewidth=1.1, label=_("count of the day"))
    rainy = joined.loc[joined["rainy"]]
    ax.scatter(rainy.index, rainy["count"].to_numpy(dtype=float), s=22, zorder=3, color=plotting.PALETTE["orange"],
               marker="o", label=_("rainy day ({days} days)", days=len(rainy)))
    ax.set_ylim(bottom=0)
    localise_date_axis(ax.xaxis)
    ax.yaxis.set_major_formatter(_thousands_ticks())
    ax.legend(loc="upper left", fontsize=9)
    peak = joined["count"].idxmax()
    return plotting.show(
        fig,
        alt=_(
            "Line chart of the daily count of cyclists on {path} from {first} to "
            "{last}: low in winter, rising through spring to a summer plateau and falling in "
            "autumn; the highest count is {peak} on {peak_day}. "
            "{rainy} rainy days are marked; many sit below their neighbours.",
            path=path, first=day_label(joined.index[0]), last=day_label(joined.index[-1]), peak=count(joined.loc[peak, "count"]),
            peak_day=day_label(peak), rainy=len(rainy),
        ),
        caption=_("A rainy day has at least {hours} hours whose observed weather mentions rain, drizzle or thunderstorms. {credit}",
                  hours=model.RAINY_DAY_HOURS, credit=montreal_credit()),
    )


def rain_strata_table(effect) -> pd.DataFrame:
    """The comparisons behind the adjusted rain effect: one row per month and day type.

    ``effect`` is :class:`model.RainEffect`; its ``strata`` columns are month, weekend, rainy_days,
    dry_days, rainy_mean, dry_mean, ratio (mean count on rainy days ÷ mean on dry days).
    """
    strata = effect.strata
    return pd.DataFrame(
        {
            _("month"): [_(model.MONTHS[int(month) - 1]) for month in strata["month"]],
            _("days"): [_("weekend") if weekend else _("weekdays") for weekend in strata["weekend"]],
            _("rainy days"): [int(value) for value in strata["rainy_days"]],
            _("dry days"): [int(value) for value in strata["dry_days"]],
            _("mean, rainy days"): [count(value) for value in strata["rainy_mean"]],
            _("mean, dry days"): [count(value) for value in strata["dry_mean"]],
            _("rainy ÷ dry"): [ratio(value) for value in strata["ratio"]],
        }
    ).set_index([_("month"), _("days")])


def temperature_chart(days: pd.DataFrame, effect) -> plotting.AccessibleFigure:
    """Scatter of the count against the day's mean temperature, with the two slopes of the model.

    ``days`` holds the days the model used for ``effect`` (Montréal's dry weekdays: columns
    ``count``, ``mean_temp_c``, ``month``) and ``effect`` is :class:`model.TemperatureEffect`. The
    long line has the overall slope and passes through the mean point, as a least-squares line
    does; each short line has the within-month slope and passes through the mean point of its month.
    """
    fig, ax = plotting.new_figure(
        _("Warmer days, more cyclists: but how much is the season?"),
        _("Mean temperature of the day (°C)"),
        _("Cyclists per day"),
        size=(7.5, 4.6),
    )
    for i, (season, months) in enumerate(SEASONS.items()):
        part = days.loc[days["month"].isin(months)]
        if len(part):
            ax.scatter(part["mean_temp_c"], part["count"], s=18, alpha=0.8, color=plotting.SERIES_COLOURS[i], label=_(season))
    x = days["mean_temp_c"].to_numpy(dtype=float)
    y = days["count"].to_numpy(dtype=float)
    xs = np.array([x.min(), x.max()])
    ax.plot(xs, y.mean() + effect.slope_per_degree * (xs - x.mean()), color=plotting.PALETTE["black"], linewidth=2.0,
            label=_("all days: {slope} more cyclists per °C", slope=count(effect.slope_per_degree)))
    first = True
    for _month, part in days.groupby("month"):
        if len(part) < 2:
            continue
        low, high = float(part["mean_temp_c"].min()), float(part["mean_temp_c"].max())
        centre_x, centre_y = float(part["mean_temp_c"].mean()), float(part["count"].mean())
        segment = np.array([low, high])
        ax.plot(segment, centre_y + effect.within_month_slope * (segment - centre_x), color=plotting.ALERT_COLOUR, linewidth=2.4,
                label=_("within each month: {slope} per °C", slope=count(effect.within_month_slope)) if first else None)
        first = False
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_thousands_ticks())
    ax.legend(loc="upper left", fontsize=9)
    return plotting.show(
        fig,
        alt=_(
            "Scatter plot of the count of cyclists against the mean temperature of the day, for {days} dry weekdays "
            "of 2012, coloured by season. The points rise from left to right (correlation {correlation}). "
            "A line through all the days rises by {slope} cyclists per °C; short lines "
            "drawn within each month rise by only {within} per °C.",
            days=effect.days, correlation=wording.decimal(effect.correlation, 2), slope=count(effect.slope_per_degree),
            within=count(effect.within_month_slope),
        ),
        caption=_(
            "Dry weekdays only, so that rain and weekends do not blur the comparison. The within-month slope compares "
            "warmer and colder days of the same month. {credit}",
            credit=montreal_credit(),
        ),
    )
