"""Tables and figures of lesson 03, *Deciding on an investment* (book/smart_towns/03-investment.md).

Views only: each function receives what the model computed (a
:class:`~modules.smart_towns.model.MaturityScore`, the nights of
:func:`~modules.smart_towns.model.nights`, energies of
:func:`~modules.smart_towns.model.energy_by_day`, a
:class:`~modules.smart_towns.model.LightingResult`, a sensitivity table the lesson built with the
model) and returns a formatted table or an accessible figure (:func:`modules.common.views.plotting.show`).

Units: scores in % of the best answers; clock hours (17.5 = 17:30); energy in MWh; money in € or k€;
CO2e in tonnes; payback in years.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from modules.common.i18n import translator
from modules.common.views import plotting
from modules.common.views.tables import FullTable
from modules.smart_towns import model
from modules.smart_towns.date_axis import localise_date_axis
from modules.smart_towns.model import wording

_ = translator(__name__)

#: Short month names for the axes, in English (``month_abbreviation`` gives them in the learner's language).
MONTH_ABBREVIATIONS = tuple(name[:3] for name in model.MONTHS)


def _grouped(value: float, decimals: int = 0) -> str:
    return wording.plain(value, decimals)


def _clock(hour: float) -> str:
    minutes = int(round(hour * 60)) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def questions_table(questions) -> FullTable:
    """The questions of the self-assessment, by dimension, with the key that answers use."""
    frame = pd.DataFrame(
        [(_(model.DIMENSION_LABELS[q.dimension]), q.key, _(q.text)) for q in questions],
        columns=[_("Dimension"), _("Key"), _("Question")],
    ).set_index([_("Dimension"), _("Key")])
    return FullTable(frame)


def maturity_table(result: model.MaturityScore) -> pd.DataFrame:
    """Each dimension's score, whether it reaches the ready level, and the recommendation for a gap."""
    rows = []
    for dimension in model.DIMENSIONS:
        value = result.by_dimension[dimension]
        gap = dimension in result.gaps
        recommendation = _(model.RECOMMENDATIONS[dimension]) if gap else ""
        rows.append({
            _("Dimension"): _(model.DIMENSION_LABELS[dimension]),
            _("Score"): wording.points(value),
            _("At least {ready}?", ready=wording.points(model.READY_LEVEL)): _("no") if gap else _("yes"),
            _("What to do first"): recommendation,
        })
    return FullTable(pd.DataFrame(rows).set_index(_("Dimension")))


def maturity_radar(result: model.MaturityScore, name: str) -> plotting.AccessibleFigure:
    """A radar chart of the six dimension scores, with the ready level as a dashed circle."""
    labels = [_(model.DIMENSION_LABELS[d]) for d in model.DIMENSIONS]
    values = [float(result.by_dimension[d]) for d in model.DIMENSIONS]
    angles = np.linspace(0, 2 * math.pi, len(values), endpoint=False)
    title = _("Digital maturity of {name}", name=name)
    fig, axes = plotting.new_figure(title, _("Dimension"), _("Score (%)"), size=(6.0, 5.6))
    fig.delaxes(axes)
    polar = fig.add_subplot(projection="polar")
    polar.set_title(title, fontweight="bold", fontsize=12, pad=18)
    closed_angles = np.append(angles, angles[0])
    polar.plot(closed_angles, values + values[:1], color=plotting.PALETTE["blue"], linewidth=2)
    polar.fill(closed_angles, values + values[:1], color=plotting.PALETTE["blue"], alpha=0.2)
    ring = np.linspace(0, 2 * math.pi, 200)
    polar.plot(ring, np.full_like(ring, model.READY_LEVEL), linestyle="--", color=plotting.ALERT_COLOUR,
               linewidth=1.2, label=_("ready level ({level})", level=wording.points(model.READY_LEVEL)))
    polar.set_xticks(angles, labels)
    polar.set_ylim(0, 100)
    polar.set_yticks([25, 50, 75, 100], ["25", "50", "75", wording.points(100)])
    polar.legend(loc="lower right", bbox_to_anchor=(1.15, -0.1))
    parts = ", ".join(f"{label} {wording.points(value)}" for label, value in zip(labels, values))
    gaps = ", ".join(_(model.DIMENSION_LABELS[d]) for d in result.gaps) or _("none")
    alt = _("Radar chart of the digital maturity of {name} on six dimensions: {parts}. "
            "Dimensions below the ready level of {ready}: {gaps}.",
            name=name, parts=parts, ready=wording.points(model.READY_LEVEL), gaps=gaps)
    return plotting.show(fig, alt=alt, caption=result.verdict)


def nights_chart(nights: pd.DataFrame, profile: model.Profile, place: str) -> plotting.AccessibleFigure:
    """When the lamps burn each night of the year, with the dimmed hours of ``profile`` shaded."""
    fig, axes = plotting.new_figure(_("Nights of {year} in {place}: when the lamps burn", year=nights.index[0].year, place=place),
                                    _("Day of the year"), _("Clock time"), size=(7.2, 4.4))
    days = nights.index
    # Evening part (dusk → midnight) and morning part (midnight → dawn), drawn on a 12:00 → 12:00 clock.
    dusk = nights["dusk"].to_numpy()
    dawn = nights["dawn"].to_numpy() + 24.0
    axes.fill_between(days, dusk, dawn, color=plotting.PALETTE["sky"], alpha=0.35, label=_("lamps on (sunset to sunrise)"))
    for start, end, level in profile.steps:
        low = start if start >= 12 else start + 24
        high = end if end > start else end + 24
        if high <= 12:
            high += 24
        lower = np.maximum(dusk, low)
        upper = np.minimum(dawn, high)
        axes.fill_between(days, lower, np.maximum(lower, upper), color=plotting.PALETTE["blue"], alpha=0.6,
                          label=_("dimmed to {level} ({start}–{end})", level=wording.points(level * 100), start=_clock(start), end=_clock(end)))
    ticks = list(range(16, 34, 2))
    axes.set_yticks(ticks, [_clock(t) for t in ticks])
    axes.set_ylim(32.5, 15.5)
    localise_date_axis(axes.xaxis)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=9)
    longest, shortest = nights["hours"].idxmax(), nights["hours"].idxmin()
    alt = _("Band chart of the nights of {year} in {place}: the lamps burn from sunset, between "
            "{dusk_first} and {dusk_last}, to sunrise, between "
            "{dawn_first} and {dawn_last}. The longest night starts on "
            "{longest} ({longest_hours} hours), the shortest on {shortest} "
            "({shortest_hours} hours). The dimmed period is {profile}.",
            year=days[0].year, place=place, dusk_first=_clock(nights["dusk"].min()), dusk_last=_clock(nights["dusk"].max()),
            dawn_first=_clock(nights["dawn"].min()), dawn_last=_clock(nights["dawn"].max()),
            longest=wording.day_month(longest), longest_hours=wording.decimal(nights["hours"].max()),
            shortest=wording.day_month(shortest), shortest_hours=wording.decimal(nights["hours"].min()),
            profile=profile.description)
    caption = _("{hours} hours of night in the year; dimming: {profile}.", hours=_grouped(nights["hours"].sum()), profile=profile.description)
    return plotting.show(fig, alt=alt, caption=caption)


def monthly_energy_chart(before: pd.Series, after: dict[str, pd.Series]) -> plotting.AccessibleFigure:
    """Bars of the energy of each month (MWh) before and after, for one or more 'after' options."""
    fig, axes = plotting.new_figure(_("Street lighting: energy of each month"), _("Month"), _("Energy (MWh)"), size=(7.2, 4.2))
    monthly_before = before.groupby(before.index.month).sum() / 1000
    width = 0.8 / (1 + len(after))
    x = np.arange(len(monthly_before))
    axes.bar(x - 0.4 + width / 2, monthly_before.to_numpy(), width, color=plotting.PALETTE["black"], alpha=0.45, label=_("today"))
    colours = [plotting.PALETTE["blue"], plotting.PALETTE["sky"], plotting.PALETTE["orange"]]
    descriptions = []
    for i, (label, series) in enumerate(after.items(), start=1):
        monthly = series.groupby(series.index.month).sum() / 1000
        axes.bar(x - 0.4 + width * (i + 0.5), monthly.to_numpy(), width, color=colours[(i - 1) % 3], label=label)
        descriptions.append(_("{label}: {energy} MWh", label=label, energy=_grouped(monthly.sum())))
    axes.set_xticks(x, [wording.month_abbreviation(m) for m in monthly_before.index])
    axes.legend(fontsize=9)
    alt = _("Bar chart of the energy of street lighting in each month, highest in December and lowest in June. "
            "Today: {today} MWh in the year; {options}.",
            today=_grouped(monthly_before.sum()), options="; ".join(descriptions))
    return plotting.show(fig, alt=alt)


def result_table(results: dict[str, model.LightingResult]) -> pd.DataFrame:
    """Energy, cost, CO2e, savings and simple payback of each option, side by side."""
    rows = {}
    for label, result in results.items():
        payback = _("never") if math.isinf(result.payback_years) else _("{years} years", years=wording.decimal(result.payback_years))
        rows[label] = {
            _("Energy after (MWh a year)"): _grouped(result.energy_after_kwh / 1000),
            _("Energy cut"): wording.points(result.energy_cut * 100),
            _("Cost after (k€ a year)"): _grouped(result.cost_after_eur / 1000),
            _("Savings (k€ a year)"): _grouped(result.savings_eur / 1000),
            _("CO2e avoided (t a year)"): wording.decimal((result.co2_before_kg - result.co2_after_kg) / 1000),
            _("Investment (k€)"): _grouped(result.investment_eur / 1000),
            _("Simple payback"): payback,
        }
    table = pd.DataFrame(rows).T
    table.index.name = _("Option")
    return table


def assumptions_table(rows: list[dict]) -> pd.DataFrame:
    """The assumptions of the lighting case: value, status (sourced or assumption) and effect."""
    frame = pd.DataFrame(rows)
    # The lesson names the first column "Input" (or its translation, in the French lesson).
    return FullTable(frame.set_index("Input" if "Input" in frame.columns else frame.columns[0]))


def sensitivity_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A table of paybacks (years) for changed inputs, formatted to one decimal."""
    shown = frame.copy()
    for column in shown.columns:
        if column.startswith(("Simple payback", _("Simple payback"))):
            shown[column] = [(_("never") if math.isinf(v) else wording.decimal(v)) for v in shown[column]]
    return shown
