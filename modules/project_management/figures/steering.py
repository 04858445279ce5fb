"""Tables and figures of lesson 03, *Steering and learning from real works* (book/project_management/03-steering.md).

Views only: each function receives what the model computed and returns a formatted table (a
:class:`pandas.DataFrame` of text, or a :class:`FullTable` when its cells are long) or an
accessible figure (see :func:`modules.common.views.plotting.show`). The earned-value views read a
:class:`~modules.project_management.model.EarnedValue` and the table of
:func:`~modules.project_management.model.earned_value_curve`; the roadworks views read the tables of
:func:`~modules.project_management.model.orders`, :func:`~modules.project_management.model.extensions`,
:func:`~modules.project_management.model.extension_summary` and
:func:`~modules.project_management.model.concurrent_works`. None of them computes an indicator, an
overrun or a count of its own: the numbers a reader sees are the model's, only rounded and named.
Amounts are in euros (shown in k€ where a name says so); roadworks durations are in calendar days.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from modules.common.views import plotting
from modules.common.views.tables import FullTable
from modules.project_management import model

#: The credit of the worked case's figures: the school renovation is an example, not a dataset.
CASE_CREDIT = "Fictional project; amounts are the course's assumptions."

#: The credit of the roadworks figures (the Licence Ouverte asks for the producer and the date).
AVIGNON_CREDIT = "Data: Ville d'Avignon, arrêtés travaux, Licence Ouverte (Etalab), extraction of 19/02/2022."

MINUS = "\u2212"

#: Longest reason quoted in :func:`reasons_table` (longer ones are cut with "…").
REASON_CHARACTERS = 110

#: Orders drawn at most in :func:`durations_chart` before the x axis is cut (longer bars end in an arrow).
DURATION_AXIS_DAYS = 100


# -- formatting -------------------------------------------------------------------------------


def euros(amount: float | None) -> str:
    """An amount in whole euros with a real minus sign: ``-32000`` → ``'−32 000 €'``; None → ``'not defined'``."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "not defined"
    text = f"{abs(amount):,.0f} €".replace(",", " ")
    return (MINUS if amount <= -0.5 else "") + text


def kilo(amount: float | None, digits: int = 0) -> str:
    """An amount in k€ with a real minus sign: ``571428.6`` → ``'571 k€'``; None or NaN → ``'–'``."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "–"
    value = amount / 1e3
    text = f"{abs(value):,.{digits}f} k€".replace(",", " ")
    return (MINUS if value < 0 and round(abs(value), digits) > 0 else "") + text


def index_text(value: float | None) -> str:
    """A performance index with two decimals: ``0.84``; None or NaN → ``'not defined'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not defined"
    return f"{value:.2f}"


def percent(share: float, digits: int = 0) -> str:
    """A share as the lesson writes it, with a space before the sign: ``0.0643`` → ``'6 %'``."""
    return f"{share * 100:.{digits}f} %"


def day_count(value: float) -> str:
    """A number of calendar days: ``12.0`` → ``'12 days'``, ``1`` → ``'1 day'``, ``2.5`` → ``'2.5 days'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    shown = f"{value:.0f}" if math.isclose(value, round(value), abs_tol=1e-9) else f"{value:.1f}"
    return f"{shown} day" + ("" if shown == "1" else "s")


def date_text(value) -> str:
    """A day as the lesson writes it: ``Timestamp('2020-11-27')`` → ``'27 November 2020'``."""
    value = pd.Timestamp(value)
    return f"{value.day} {value:%B %Y}"


def _short(text: str, limit: int = REASON_CHARACTERS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- earned value: the worked case -------------------------------------------------------------


def _compared(amount: float, other: float) -> str:
    """``'above'``, ``'below'`` or ``'equal to'``: how ``amount`` (€) stands against ``other`` (€), to the euro."""
    if abs(amount - other) < 0.5:
        return "equal to"
    return "above" if amount > other else "below"


def monthly_table(curve: pd.DataFrame, time_unit: str = "month") -> pd.DataFrame:
    """The reported periods of :func:`model.earned_value_curve` (``curve``) as a table of text.

    One row per period for which the earned value is known (later periods are the plan only and
    are left out); amounts in k€, indices with two decimals.
    """
    reported = curve[curve["ev"].notna()]
    table = pd.DataFrame(
        {
            "planned value PV": reported["pv"].map(kilo),
            "earned value EV": reported["ev"].map(kilo),
            "actual cost AC": reported["ac"].map(kilo),
            "cost variance CV": reported["cv"].map(kilo),
            "schedule variance SV": reported["sv"].map(kilo),
            "CPI": reported["cpi"].map(index_text),
            "SPI": reported["spi"].map(index_text),
            "EAC = BAC ÷ CPI": reported["eac"].map(kilo),
        },
        index=reported.index,
    )
    return table.rename_axis(f"end of {time_unit}")


def indicator_table(ev: model.EarnedValue) -> FullTable:
    """Every earned-value indicator of ``ev``: its formula, its value and what it tells a council.

    The readings only put the model's values into words (a negative variance is an overrun or a
    delay, an index is euros of planned work per euro); the figures are :class:`model.EarnedValue`'s.
    """
    cpi, spi, tcpi = ev.cpi, ev.spi, ev.tcpi

    def more_or_less(amount: float, more: str, less: str, same: str) -> str:
        if abs(amount) < 0.5:
            return same
        return more if amount < 0 else less

    rows = [
        ("Cost variance CV", "EV − AC", euros(ev.cv),
         more_or_less(ev.cv, f"the work done so far cost {euros(-ev.cv)} more than its budget",
                      f"the work done so far cost {euros(ev.cv)} less than its budget", "the work done cost exactly its budget")),
        ("Schedule variance SV", "EV − PV", euros(ev.sv),
         more_or_less(ev.sv, f"{euros(-ev.sv)} of the work planned by now is not done: a delay counted in euros of work, not in days",
                      f"{euros(ev.sv)} of work done ahead of the plan (euros of work, not days)", "the work done matches the plan")),
        ("Cost performance index CPI", "EV ÷ AC", index_text(cpi),
         "not defined until money is spent" if cpi is None else f"each euro spent bought {cpi:.2f} € of the planned work"),
        ("Schedule performance index SPI", "EV ÷ PV", index_text(spi),
         "not defined until work is planned" if spi is None else f"the works move at {percent(spi, 1)} of the planned pace"),
        ("Estimate at completion EAC (efficiency persists)", "BAC ÷ CPI", euros(ev.eac),
         "not defined yet" if ev.eac is None else f"the final cost if every remaining euro buys {cpi:.2f} € of work, as so far"),
        ("Estimate at completion EAC (one-off overrun)", "AC + (BAC − EV)", euros(ev.eac_one_off),
         "the final cost if the rest of the work costs what was budgeted"),
        ("Estimate to complete ETC", "EAC − AC", euros(ev.etc),
         "not defined yet" if ev.etc is None else "what remains to be spent, if efficiency persists"),
        ("Variance at completion VAC", "BAC − EAC", euros(ev.vac),
         "not defined yet" if ev.vac is None else more_or_less(
             ev.vac, f"the overrun to expect at the end: {euros(-ev.vac)} more than the budget voted",
             f"the saving to expect at the end: {euros(ev.vac)} under the budget voted", "the project ends on its budget")),
        ("To-complete performance index TCPI", "(BAC − EV) ÷ (BAC − AC)", index_text(tcpi),
         "the budget is already spent: no efficiency can keep the project within it" if tcpi is None
         else f"to stay within the budget, each remaining euro must buy {tcpi:.2f} € of work"
         + ("" if cpi is None else f", against {cpi:.2f} so far")),
    ]
    frame = pd.DataFrame(rows, columns=["indicator", "formula", "this project", "what it tells the council"]).set_index("indicator")
    return FullTable(frame)


def s_curve(curve: pd.DataFrame, ev: model.EarnedValue, *, name: str = "the project", time_unit: str = "month") -> plotting.AccessibleFigure:
    """The S-curve of a project: planned value over the whole plan, earned value and actual cost so far,
    and the two estimates at completion of ``ev`` drawn to the planned end (amounts in k€).

    ``curve`` is :func:`model.earned_value_curve` (index: periods since the start, in ``time_unit``);
    ``ev`` is the :class:`model.EarnedValue` at the last reported period.
    """
    reported = curve[curve["ev"].notna()]
    if reported.empty:
        raise ValueError("The curve has no reported earned value yet: give earned and actual amounts for at least one period.")
    status = reported.index[-1]
    end = curve.index[-1]
    fig, ax = plotting.new_figure(
        f"Planned value, earned value and actual cost: {name}", f"Time since the start ({time_unit}s)", "Cumulative amount (k€)",
        size=(7.5, 4.6),
    )
    ax.plot(curve.index, curve["pv"] / 1e3, color=plotting.PALETTE["blue"], label="Planned value (PV)")
    ax.plot(reported.index, reported["ev"] / 1e3, color=plotting.PALETTE["green"], marker="s", label="Earned value (EV)")
    ax.plot(reported.index, reported["ac"] / 1e3, color=plotting.ALERT_COLOUR, marker="^", label="Actual cost (AC)")
    ax.axhline(ev.bac / 1e3, color=plotting.PALETTE["black"], linewidth=1.0, linestyle="-.", label=f"Budget at completion (BAC) {kilo(ev.bac)}")
    ax.axvline(status, color=plotting.PALETTE["black"], linestyle=":", linewidth=1.2)
    ax.text(status, ev.bac / 1e3 * 0.04, f" status date: {time_unit} {status:g}", fontsize=9, va="bottom")
    forecasts = []
    if ev.eac is not None:
        ax.plot([status, end], [ev.ac / 1e3, ev.eac / 1e3], color=plotting.PALETTE["purple"], linestyle="--", marker="D", markevery=[1],
                label="EAC if efficiency persists (BAC ÷ CPI)")
        ax.text(end, ev.eac / 1e3, f"{kilo(ev.eac)} ", ha="right", va="bottom", fontsize=9)
        forecasts.append(f"{kilo(ev.eac)} if today's cost efficiency persists")
    ax.plot([status, end], [ev.ac / 1e3, ev.eac_one_off / 1e3], color=plotting.PALETTE["orange"], linestyle="--", marker="o", markevery=[1],
            label="EAC if the overrun was one-off (AC + BAC − EV)")
    ax.text(end, ev.eac_one_off / 1e3, f"{kilo(ev.eac_one_off)} ", ha="right", va="top", fontsize=9)
    forecasts.append(f"{kilo(ev.eac_one_off)} if the overrun so far was a one-off")
    top = max(ev.bac, ev.eac or 0, ev.eac_one_off, float(reported["ac"].max())) / 1e3
    ax.set_ylim(0, top * 1.12)
    ax.legend(loc="upper left", fontsize=9)
    return plotting.show(
        fig,
        alt=(
            f"Line chart of the cumulative planned value of {name}, rising in an S shape from 0 at {time_unit} {curve.index[0]:g} "
            f"to the budget of {kilo(ev.bac)} at {time_unit} {end:g}. At the status date, {time_unit} {status:g}, the planned value "
            f"is {kilo(ev.pv)}, the earned value {kilo(ev.ev)} and the actual cost {kilo(ev.ac)}: the actual cost is "
            f"{_compared(ev.ac, ev.ev)} the earned value, and the earned value {_compared(ev.ev, ev.pv)} the planned value. "
            f"Dashed lines from the actual cost to the planned end show the "
            f"estimates at completion: {' and '.join(forecasts)}."
        ),
        caption=f"The gap between the red and green lines is the cost variance; between the blue and green lines, the schedule variance. {CASE_CREDIT}",
    )


def council_dashboard(projects: Sequence[Mapping]) -> FullTable:
    """A works dashboard for a council: one row per project, a few columns a councillor can read.

    Each item of ``projects`` gives ``project`` (name), ``earned_value`` (:class:`model.EarnedValue`
    at the status date), ``planned_end`` and ``forecast_end`` (text, e.g. ``"June 2026"``),
    ``reason`` (why it slips, in a sentence) and ``decision`` (what the council is asked, or "none").
    """
    rows = []
    for item in projects:
        ev = item["earned_value"]
        forecasts = [value for value in (ev.eac_one_off, ev.eac) if value is not None]
        low, high = min(forecasts), max(forecasts)
        final = kilo(low) if abs(high - low) < 500 else f"{kilo(low)} to {kilo(high)}"
        rows.append(
            {
                "project": item["project"],
                "budget voted": kilo(ev.bac),
                "work done": percent(ev.percent_complete),
                "spent": kilo(ev.ac),
                "CPI (cost)": index_text(ev.cpi),
                "SPI (time)": index_text(ev.spi),
                "forecast final cost": final,
                "planned end → forecast end": f"{item['planned_end']} → {item['forecast_end']}",
                "why it slips": item.get("reason", ""),
                "decision asked": item.get("decision", "none"),
            }
        )
    return FullTable(pd.DataFrame(rows).set_index("project"))


# -- the Avignon roadworks orders ------------------------------------------------------------


def key_figures_table(summary: Mapping, orders: pd.DataFrame, *, share_since: tuple[str, float] | None = None) -> pd.DataFrame:
    """The key figures of the orders and their extensions, one row each, as text.

    ``summary`` is :func:`model.extension_summary`, ``orders`` :func:`model.orders` (for the median
    planned duration of the orders that are not extensions). ``share_since`` = ``(label, share)``
    adds the share of orders extended computed by the lesson on a period of its choice.
    """
    originals = orders.loc[~orders["is_extension"], "planned_days"]
    rows = [
        ("Rows (areas of road)", f"{summary['rows']:,}".replace(",", " ")),
        ("Orders", f"{summary['orders']:,}".replace(",", " ")),
        ("Extension orders (prorogations)", f"{summary['extension_orders']} (on {summary['extension_rows']} rows)"),
        ("Orders that are not extensions", f"{summary['original_orders']:,}".replace(",", " ")),
        ("Median planned duration of those orders", day_count(float(originals.median()))),
        ("Share of orders extended: extension orders ÷ other orders, whole file", percent(summary["share_extended"], 1)),
    ]
    if share_since is not None:
        label, share = share_since
        rows.append((f"Share of orders extended, {label}", percent(share, 1)))
    rows += [
        ("Extended orders: median first planned duration", day_count(summary["median_first_planned_days"])),
        ("Extended orders: median duration once extended", day_count(summary["median_extended_days"])),
        ("Median overrun (new end − first planned end)", day_count(summary["median_overrun_days"])),
        ("Mean overrun", day_count(round(summary["mean_overrun_days"], 1))),
        ("Longest overrun", day_count(summary["max_overrun_days"])),
        ("Median of extended ÷ first planned duration", f"{summary['median_extended_ratio']:.2f} ×"),
        ("Extensions that quote the order they extend", f"{summary['quoting_an_order']} of {summary['extension_orders']}"),
        ("… of which the quoted order is in the file", str(summary["quoted_in_file"])),
        ("Overruns measured from the day before the extension starts", f"{summary['measured_from_extension_start']} of {summary['extension_orders']}"),
    ]
    return pd.DataFrame(rows, columns=["figure", "value"]).set_index("figure")


def durations_chart(ext: pd.DataFrame, *, cut: float = DURATION_AXIS_DAYS) -> plotting.AccessibleFigure:
    """First planned against extended duration of each extension order of ``ext`` (:func:`model.extensions`).

    One line per order, sorted by first planned duration: a dot where the works were first planned
    to end, a diamond where the extension then expected them to end (calendar days since the works
    started). The axis stops at ``cut`` days; longer orders end in an arrow with their figure.
    """
    frame = ext.dropna(subset=["first_planned_days", "extended_days"]).sort_values(["first_planned_days", "extended_days"])
    if frame.empty:
        raise ValueError("No extension has both a first planned and an extended duration: nothing to draw.")
    count = len(frame)
    fig, ax = plotting.new_figure(
        "How long the works were planned to last, and how long once extended", "Calendar days since the works started",
        "Extension orders (one line each)", size=(7.5, max(4.0, 0.13 * count + 1.6)),
    )
    positions = np.arange(count)
    first = frame["first_planned_days"].to_numpy(dtype=float)
    extended = frame["extended_days"].to_numpy(dtype=float)
    beyond = extended > cut
    inside = ~beyond
    ax.hlines(positions, np.minimum(first, cut), np.minimum(extended, cut), color=plotting.PALETTE["sky"], linewidth=2.0)
    dots = first <= cut
    ax.plot(first[dots], positions[dots], linestyle="none", marker="o", markersize=4.5, color=plotting.PALETTE["blue"], label="first planned end")
    ax.plot(extended[inside], positions[inside], linestyle="none", marker="D", markersize=4.5, color=plotting.ALERT_COLOUR,
            label="new end after the extension")
    if beyond.any():
        ax.plot(np.full(int(beyond.sum()), cut), positions[beyond], linestyle="none", marker=">", markersize=6,
                color=plotting.PALETTE["black"], label=f"goes on beyond {cut:.0f} days")
    for position, start_days, end_days in zip(positions[beyond], first[beyond], extended[beyond]):
        ax.text(1, position, f"{start_days:.0f} → {end_days:.0f} days", fontsize=8, va="center", ha="left")
    ax.set_xlim(0, cut * 1.04)
    ax.set_ylim(-1, count)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=9)
    return plotting.show(
        fig,
        alt=(
            f"Dumbbell chart of the {count} extension orders of the Avignon file, sorted by first planned duration. For each, a "
            f"dot marks the first planned end and a diamond the new end after the extension, in calendar days since the works "
            f"started. First planned durations run from {first.min():.0f} to {first.max():.0f} days (median "
            f"{np.median(first):.0f}); once extended, from {extended.min():.0f} to {extended.max():.0f} days (median "
            f"{np.median(extended):.0f}). {int(beyond.sum())} orders go beyond the {cut:.0f}-day axis: they end in an arrow, and their first planned and extended "
            f"durations are written at the left of their line."
        ),
        caption=(
            "Each line is how much later the works were expected to end after their extension: an expected end, not a "
            f"measured one. {AVIGNON_CREDIT}"
        ),
    )


def reasons_table(ext: pd.DataFrame, examples: int = 2) -> FullTable:
    """The extensions of ``ext`` (:func:`model.extensions`) by reason category, with reasons as written.

    Columns: extension orders, median overrun (calendar days) and up to ``examples`` reasons quoted
    from the file (the most frequent wordings first, cut at :data:`REASON_CHARACTERS` characters).
    Categories follow :data:`model.REASON_CATEGORIES`.
    """
    rows = []
    for category in model.REASON_CATEGORIES:
        group = ext[ext["reason_category"] == category]
        if group.empty:
            continue
        wordings = group["reason"].dropna().map(lambda text: " ".join(str(text).split()))
        quoted = [f"« {_short(text)} »" for text in wordings.value_counts().index[:examples]]
        rows.append(
            {
                "reason category": category,
                "extension orders": len(group),
                "median overrun": day_count(float(group["overrun_days"].median())),
                "as written in the orders": " ; ".join(quoted) if quoted else "(no reason given)",
            }
        )
    return FullTable(pd.DataFrame(rows).set_index("reason category"))


def concurrent_chart(
    daily: pd.Series,
    closures: pd.Series | None = None,
    *,
    window: tuple[str, str] | None = None,
) -> plotting.AccessibleFigure:
    """Orders in force on each day (``daily``: :func:`model.concurrent_works`), with its peak marked.

    ``closures`` (the same count for the orders that close a road to traffic) adds a second line.
    ``window`` = ``(first, last)`` dates: the period the file covers well; the days outside it are
    shaded and the peak is looked for inside it.
    """
    fig, ax = plotting.new_figure("Works orders in force on each day, Avignon", "Date", "Orders in force (count)", size=(8.0, 4.2))
    ax.plot(daily.index, daily.to_numpy(), color=plotting.PALETTE["blue"], linewidth=1.2, label="all works orders")
    if closures is not None:
        ax.plot(closures.index, closures.to_numpy(), color=plotting.PALETTE["orange"], linewidth=1.2, label="orders that close a road to traffic")
    inside = daily
    if window is not None:
        first, last = pd.Timestamp(window[0]), pd.Timestamp(window[1])
        inside = daily[(daily.index >= first) & (daily.index <= last)]
        ax.axvspan(daily.index[0], first, color="#D9D9D9", alpha=0.6, linewidth=0)
        ax.axvspan(last, daily.index[-1], color="#D9D9D9", alpha=0.6, linewidth=0, label="few orders in the file (read with care)")
    peak_day, peak = inside.idxmax(), int(inside.max())
    ax.annotate(f"peak: {peak} orders\n{date_text(peak_day)}", xy=(peak_day, peak), xytext=(18, -4), textcoords="offset points",
                fontsize=9, va="top", arrowprops={"arrowstyle": "->", "color": plotting.PALETTE["black"], "lw": 0.8})
    ax.set_ylim(0, peak * 1.3)
    ax.legend(loc="upper left", fontsize=9)
    second = ""
    if closures is not None:
        closures_inside = closures[(closures.index >= inside.index[0]) & (closures.index <= inside.index[-1])]
        second = (
            f" A second line counts only the orders that close a road to traffic; it peaks at {int(closures_inside.max())} "
            f"on {date_text(closures_inside.idxmax())}."
        )
    shaded = ""
    if window is not None:
        shaded = f" The days before {date_text(window[0])} and after {date_text(window[1])} are shaded: the file holds few orders there."
    return plotting.show(
        fig,
        alt=(
            f"Line chart of the number of works orders in force on each day in Avignon, from {date_text(daily.index[0])} to "
            f"{date_text(daily.index[-1])}. Between {date_text(inside.index[0])} and {date_text(inside.index[-1])} the count has a "
            f"median of {inside.median():.0f} and peaks at {peak} on {date_text(peak_day)}.{second}{shaded}"
        ),
        caption=f"An order in force is not a street closed all day: it may only narrow a lane or ban parking. {AVIGNON_CREDIT}",
    )


def problems_table(problems: pd.DataFrame) -> pd.DataFrame:
    """What the parser could not read (``problems`` of :func:`model.read_orders`), counted by column and reason.

    An empty ``problems`` gives one row that says so, so a reader sees the check was made.
    """
    if problems.empty:
        return pd.DataFrame(
            {"values": [0], "orders concerned": [0]},
            index=pd.MultiIndex.from_tuples([("every column read", "no value left unparsed")], names=["column", "why"]),
        )
    grouped = problems.groupby(["column", "why"], sort=False)
    return pd.DataFrame({"values": grouped.size(), "orders concerned": grouped["arretesrcid"].nunique()})
