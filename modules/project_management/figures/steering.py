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

from modules.common.i18n import N_, translator
from modules.common.views import plotting
from modules.common.views.tables import FullTable
from modules.project_management import model
from modules.project_management.model import wording

_ = translator(__name__)

#: The credit of the worked case's figures: the school renovation is an example, not a dataset (shown with ``_``).
CASE_CREDIT = N_("Fictional project; amounts are the course's assumptions.")

#: The credit of the roadworks figures (the Licence Ouverte asks for the producer and the date; shown with ``_``).
AVIGNON_CREDIT = N_("Data: Ville d'Avignon, arrêtés travaux, Licence Ouverte (Etalab), extraction of 19/02/2022.")

MINUS = "\u2212"

#: Longest reason quoted in :func:`reasons_table` (longer ones are cut with "…").
REASON_CHARACTERS = 110

#: Orders drawn at most in :func:`durations_chart` before the x axis is cut (longer bars end in an arrow).
DURATION_AXIS_DAYS = 100


# -- formatting -------------------------------------------------------------------------------


def euros(amount: float | None) -> str:
    """An amount in whole euros with a real minus sign: ``-32000`` → ``'−32 000 €'``; None → ``'not defined'``."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return _("not defined")
    text = f"{wording.grouped(abs(amount))}{wording.unit_space()}€"
    return (MINUS if amount <= -0.5 else "") + text


def kilo(amount: float | None, digits: int = 0) -> str:
    """An amount in k€ with a real minus sign: ``571428.6`` → ``'571 k€'``; None or NaN → ``'–'``."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "–"
    value = amount / 1e3
    text = f"{wording.grouped(abs(value), digits)}{wording.unit_space()}k€"
    return (MINUS if value < 0 and round(abs(value), digits) > 0 else "") + text


def index_text(value: float | None) -> str:
    """A performance index with two decimals: ``0.84``; None or NaN → ``'not defined'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("not defined")
    return wording.decimal(value, 2)


def percent(share: float, digits: int = 0) -> str:
    """A share as the lesson writes it, with a space before the sign: ``0.0643`` → ``'6 %'``."""
    return wording.percent(share, digits)


def day_count(value: float) -> str:
    """A number of calendar days: ``12.0`` → ``'12 days'``, ``1`` → ``'1 day'``, ``2.5`` → ``'2.5 days'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    whole = math.isclose(value, round(value), abs_tol=1e-9)
    shown = f"{value:.0f}" if whole else f"{value:.1f}"
    count = wording.decimal(value, 0 if whole else 1)
    return _("{count} day", count=count) if shown == "1" else _("{count} days", count=count)


def date_text(value) -> str:
    """A day as the lesson writes it: ``Timestamp('2020-11-27')`` → ``'27 November 2020'`` (``'27 novembre 2020'``)."""
    return wording.day_words(pd.Timestamp(value).to_pydatetime())


def _short(text: str, limit: int = REASON_CHARACTERS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- earned value: the worked case -------------------------------------------------------------


def _compared(amount: float, other: float) -> str:
    """``'above'``, ``'below'`` or ``'equal to'``: how ``amount`` (€) stands against ``other`` (€), to the euro."""
    if abs(amount - other) < 0.5:
        return _("equal to")
    return _("above") if amount > other else _("below")


def monthly_table(curve: pd.DataFrame, time_unit: str = "month") -> pd.DataFrame:
    """The reported periods of :func:`model.earned_value_curve` (``curve``) as a table of text.

    One row per period for which the earned value is known (later periods are the plan only and
    are left out); amounts in k€, indices with two decimals.
    """
    reported = curve[curve["ev"].notna()]
    table = pd.DataFrame(
        {
            _("planned value PV"): reported["pv"].map(kilo),
            _("earned value EV"): reported["ev"].map(kilo),
            _("actual cost AC"): reported["ac"].map(kilo),
            _("cost variance CV"): reported["cv"].map(kilo),
            _("schedule variance SV"): reported["sv"].map(kilo),
            "CPI": reported["cpi"].map(index_text),
            "SPI": reported["spi"].map(index_text),
            _("EAC = BAC ÷ CPI"): reported["eac"].map(kilo),
        },
        index=reported.index,
    )
    return table.rename_axis(_("end of {unit}", unit=wording.time_unit(time_unit)))


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

    def two(value: float) -> str:
        return wording.decimal(value, 2)

    rows = [
        (_("Cost variance CV"), "EV − AC", euros(ev.cv),
         more_or_less(ev.cv, _("the work done so far cost {amount} more than its budget", amount=euros(-ev.cv)),
                      _("the work done so far cost {amount} less than its budget", amount=euros(ev.cv)),
                      _("the work done cost exactly its budget"))),
        (_("Schedule variance SV"), "EV − PV", euros(ev.sv),
         more_or_less(ev.sv, _("{amount} of the work planned by now is not done: a delay counted in euros of work, not in days",
                               amount=euros(-ev.sv)),
                      _("{amount} of work done ahead of the plan (euros of work, not days)", amount=euros(ev.sv)),
                      _("the work done matches the plan"))),
        (_("Cost performance index CPI"), "EV ÷ AC", index_text(cpi),
         _("not defined until money is spent") if cpi is None else _("each euro spent bought {cpi} € of the planned work", cpi=two(cpi))),
        (_("Schedule performance index SPI"), "EV ÷ PV", index_text(spi),
         _("not defined until work is planned") if spi is None else _("the works move at {pace} of the planned pace", pace=percent(spi, 1))),
        (_("Estimate at completion EAC (efficiency persists)"), "BAC ÷ CPI", euros(ev.eac),
         _("not defined yet") if ev.eac is None else _("the final cost if every remaining euro buys {cpi} € of work, as so far", cpi=two(cpi))),
        (_("Estimate at completion EAC (one-off overrun)"), "AC + (BAC − EV)", euros(ev.eac_one_off),
         _("the final cost if the rest of the work costs what was budgeted")),
        (_("Estimate to complete ETC"), "EAC − AC", euros(ev.etc),
         _("not defined yet") if ev.etc is None else _("what remains to be spent, if efficiency persists")),
        (_("Variance at completion VAC"), "BAC − EAC", euros(ev.vac),
         _("not defined yet") if ev.vac is None else more_or_less(
             ev.vac, _("the overrun to expect at the end: {amount} more than the budget voted", amount=euros(-ev.vac)),
             _("the saving to expect at the end: {amount} under the budget voted", amount=euros(ev.vac)),
             _("the project ends on its budget"))),
        (_("To-complete performance index TCPI"), "(BAC − EV) ÷ (BAC − AC)", index_text(tcpi),
         _("the budget is already spent: no efficiency can keep the project within it") if tcpi is None
         else _("to stay within the budget, each remaining euro must buy {tcpi} € of work", tcpi=two(tcpi))
         + ("" if cpi is None else _(", against {cpi} so far", cpi=two(cpi)))),
    ]
    columns = [_("indicator"), _("formula"), _("this project"), _("what it tells the council")]
    frame = pd.DataFrame(rows, columns=columns).set_index(columns[0])
    return FullTable(frame)


def s_curve(curve: pd.DataFrame, ev: model.EarnedValue, *, name: str | None = None, time_unit: str = "month") -> plotting.AccessibleFigure:
    """The S-curve of a project: planned value over the whole plan, earned value and actual cost so far,
    and the two estimates at completion of ``ev`` drawn to the planned end (amounts in k€).

    ``curve`` is :func:`model.earned_value_curve` (index: periods since the start, in ``time_unit``);
    ``ev`` is the :class:`model.EarnedValue` at the last reported period. ``name`` defaults to "the
    project", in the learner's language.
    """
    name = _("the project") if name is None else name
    reported = curve[curve["ev"].notna()]
    if reported.empty:
        raise ValueError(_("The curve has no reported earned value yet: give earned and actual amounts for at least one period."))
    status = reported.index[-1]
    end = curve.index[-1]
    unit = wording.time_unit(time_unit)
    fig, ax = plotting.new_figure(
        _("Planned value, earned value and actual cost: {name}", name=name),
        _("Time since the start ({units})", units=wording.time_unit(time_unit, plural=True)), _("Cumulative amount (k€)"),
        size=(7.5, 4.6),
    )
    ax.plot(curve.index, curve["pv"] / 1e3, color=plotting.PALETTE["blue"], label=_("Planned value (PV)"))
    ax.plot(reported.index, reported["ev"] / 1e3, color=plotting.PALETTE["green"], marker="s", label=_("Earned value (EV)"))
    ax.plot(reported.index, reported["ac"] / 1e3, color=plotting.ALERT_COLOUR, marker="^", label=_("Actual cost (AC)"))
    ax.axhline(ev.bac / 1e3, color=plotting.PALETTE["black"], linewidth=1.0, linestyle="-.",
               label=_("Budget at completion (BAC) {bac}", bac=kilo(ev.bac)))
    ax.axvline(status, color=plotting.PALETTE["black"], linestyle=":", linewidth=1.2)
    ax.text(status, ev.bac / 1e3 * 0.04, " " + _("status date: {unit} {time}", unit=unit, time=wording.general(status)), fontsize=9, va="bottom")
    forecasts = []
    if ev.eac is not None:
        ax.plot([status, end], [ev.ac / 1e3, ev.eac / 1e3], color=plotting.PALETTE["purple"], linestyle="--", marker="D", markevery=[1],
                label=_("EAC if efficiency persists (BAC ÷ CPI)"))
        ax.text(end, ev.eac / 1e3, f"{kilo(ev.eac)} ", ha="right", va="bottom", fontsize=9)
        forecasts.append(_("{amount} if today's cost efficiency persists", amount=kilo(ev.eac)))
    ax.plot([status, end], [ev.ac / 1e3, ev.eac_one_off / 1e3], color=plotting.PALETTE["orange"], linestyle="--", marker="o", markevery=[1],
            label=_("EAC if the overrun was one-off (AC + BAC − EV)"))
    ax.text(end, ev.eac_one_off / 1e3, f"{kilo(ev.eac_one_off)} ", ha="right", va="top", fontsize=9)
    forecasts.append(_("{amount} if the overrun so far was a one-off", amount=kilo(ev.eac_one_off)))
    top = max(ev.bac, ev.eac or 0, ev.eac_one_off, float(reported["ac"].max())) / 1e3
    ax.set_ylim(0, top * 1.12)
    ax.legend(loc="upper left", fontsize=9)
    return plotting.show(
        fig,
        alt=_(
            "Line chart of the cumulative planned value of {name}, rising in an S shape from 0 at {unit} {first} "
            "to the budget of {bac} at {unit} {end}. At the status date, {unit} {status}, the planned value "
            "is {pv}, the earned value {ev} and the actual cost {ac}: the actual cost is "
            "{ac_vs_ev} the earned value, and the earned value {ev_vs_pv} the planned value. "
            "Dashed lines from the actual cost to the planned end show the "
            "estimates at completion: {forecasts}.",
            name=name, unit=unit, first=wording.general(curve.index[0]), bac=kilo(ev.bac), end=wording.general(end),
            status=wording.general(status), pv=kilo(ev.pv), ev=kilo(ev.ev), ac=kilo(ev.ac),
            ac_vs_ev=_compared(ev.ac, ev.ev), ev_vs_pv=_compared(ev.ev, ev.pv), forecasts=_(" and ").join(forecasts),
        ),
        caption=_(
            "The gap between the red and green lines is the cost variance; between the blue and green lines, the schedule variance. {credit}",
            credit=_(CASE_CREDIT),
        ),
    )


def council_dashboard(projects: Sequence[Mapping]) -> FullTable:
    """A works dashboard for a council: one row per project, a few columns a councillor can read.

    Each item of ``projects`` gives ``project`` (name), ``earned_value`` (:class:`model.EarnedValue`
    at the status date), ``planned_end`` and ``forecast_end`` (text, e.g. ``"June 2026"``),
    ``reason`` (why it slips, in a sentence) and ``decision`` (what the council is asked, or "none").
    The columns are named in the learner's language; the items' texts are shown as given.
    """
    rows = []
    for item in projects:
        ev = item["earned_value"]
        forecasts = [value for value in (ev.eac_one_off, ev.eac) if value is not None]
        low, high = min(forecasts), max(forecasts)
        final = kilo(low) if abs(high - low) < 500 else _("{low} to {high}", low=kilo(low), high=kilo(high))
        rows.append(
            {
                _("project"): item["project"],
                _("budget voted"): kilo(ev.bac),
                _("work done"): percent(ev.percent_complete),
                _("spent"): kilo(ev.ac),
                _("CPI (cost)"): index_text(ev.cpi),
                _("SPI (time)"): index_text(ev.spi),
                _("forecast final cost"): final,
                _("planned end → forecast end"): f"{item['planned_end']} → {item['forecast_end']}",
                _("why it slips"): item.get("reason", ""),
                _("decision asked"): item.get("decision", _("none")),
            }
        )
    return FullTable(pd.DataFrame(rows).set_index(_("project")))


# -- the Avignon roadworks orders ------------------------------------------------------------


def key_figures_table(summary: Mapping, orders: pd.DataFrame, *, share_since: tuple[str, float] | None = None) -> pd.DataFrame:
    """The key figures of the orders and their extensions, one row each, as text.

    ``summary`` is :func:`model.extension_summary`, ``orders`` :func:`model.orders` (for the median
    planned duration of the orders that are not extensions). ``share_since`` = ``(label, share)``
    adds the share of orders extended computed by the lesson on a period of its choice.
    """
    originals = orders.loc[~orders["is_extension"], "planned_days"]
    count = wording.grouped
    rows = [
        (_("Rows (areas of road)"), count(summary["rows"])),
        (_("Orders"), count(summary["orders"])),
        (_("Extension orders (prorogations)"),
         _("{orders} (on {rows} rows)", orders=summary["extension_orders"], rows=summary["extension_rows"])),
        (_("Orders that are not extensions"), count(summary["original_orders"])),
        (_("Median planned duration of those orders"), day_count(float(originals.median()))),
        (_("Share of orders extended: extension orders ÷ other orders, whole file"), percent(summary["share_extended"], 1)),
    ]
    if share_since is not None:
        label, share = share_since
        rows.append((_("Share of orders extended, {period}", period=label), percent(share, 1)))
    rows += [
        (_("Extended orders: median first planned duration"), day_count(summary["median_first_planned_days"])),
        (_("Extended orders: median duration once extended"), day_count(summary["median_extended_days"])),
        (_("Median overrun (new end − first planned end)"), day_count(summary["median_overrun_days"])),
        (_("Mean overrun"), day_count(round(summary["mean_overrun_days"], 1))),
        (_("Longest overrun"), day_count(summary["max_overrun_days"])),
        (_("Median of extended ÷ first planned duration"), f"{wording.decimal(summary['median_extended_ratio'], 2)} ×"),
        (_("Extensions that quote the order they extend"),
         _("{part} of {whole}", part=summary["quoting_an_order"], whole=summary["extension_orders"])),
        (_("… of which the quoted order is in the file"), str(summary["quoted_in_file"])),
        (_("Overruns measured from the day before the extension starts"),
         _("{part} of {whole}", part=summary["measured_from_extension_start"], whole=summary["extension_orders"])),
    ]
    columns = [_("figure"), _("value")]
    return pd.DataFrame(rows, columns=columns).set_index(columns[0])


def durations_chart(ext: pd.DataFrame, *, cut: float = DURATION_AXIS_DAYS) -> plotting.AccessibleFigure:
    """First planned against extended duration of each extension order of ``ext`` (:func:`model.extensions`).

    One line per order, sorted by first planned duration: a dot where the works were first planned
    to end, a diamond where the extension then expected them to end (calendar days since the works
    started). The axis stops at ``cut`` days; longer orders end in an arrow with their figure.
    """
    frame = ext.dropna(subset=["first_planned_days", "extended_days"]).sort_values(["first_planned_days", "extended_days"])
    if frame.empty:
        raise ValueError(_("No extension has both a first planned and an extended duration: nothing to draw."))
    count = len(frame)
    fig, ax = plotting.new_figure(
        _("How long the works were planned to last, and how long once extended"), _("Calendar days since the works started"),
        _("Extension orders (one line each)"), size=(7.5, max(4.0, 0.13 * count + 1.6)),
    )
    positions = np.arange(count)
    first = frame["first_planned_days"].to_numpy(dtype=float)
    extended = frame["extended_days"].to_numpy(dtype=float)
    beyond = extended > cut
    inside = ~beyond
    ax.hlines(positions, np.minimum(first, cut), np.minimum(extended, cut), color=plotting.PALETTE["sky"], linewidth=2.0)
    dots = first <= cut
    ax.plot(first[dots], positions[dots], linestyle="none", marker="o", markersize=4.5, color=plotting.PALETTE["blue"], label=_("first planned end"))
    ax.plot(extended[inside], positions[inside], linestyle="none", marker="D", markersize=4.5, color=plotting.ALERT_COLOUR,
            label=_("new end after the extension"))
    if beyond.any():
        ax.plot(np.full(int(beyond.sum()), cut), positions[beyond], linestyle="none", marker=">", markersize=6,
                color=plotting.PALETTE["black"], label=_("goes on beyond {days} days", days=f"{cut:.0f}"))
    for position, start_days, end_days in zip(positions[beyond], first[beyond], extended[beyond]):
        ax.text(1, position, _("{first} → {extended} days", first=f"{start_days:.0f}", extended=f"{end_days:.0f}"),
                fontsize=8, va="center", ha="left")
    ax.set_xlim(0, cut * 1.04)
    ax.set_ylim(-1, count)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=9)
    return plotting.show(
        fig,
        alt=_(
            "Dumbbell chart of the {count} extension orders of the Avignon file, sorted by first planned duration. For each, a "
            "dot marks the first planned end and a diamond the new end after the extension, in calendar days since the works "
            "started. First planned durations run from {first_min} to {first_max} days (median "
            "{first_median}); once extended, from {extended_min} to {extended_max} days (median "
            "{extended_median}). {beyond} orders go beyond the {cut}-day axis: they end in an arrow, and their first planned and extended "
            "durations are written at the left of their line.",
            count=count, first_min=wording.decimal(first.min(), 0), first_max=wording.decimal(first.max(), 0),
            first_median=wording.decimal(np.median(first), 0), extended_min=wording.decimal(extended.min(), 0),
            extended_max=wording.decimal(extended.max(), 0), extended_median=wording.decimal(np.median(extended), 0),
            beyond=int(beyond.sum()), cut=f"{cut:.0f}",
        ),
        caption=_(
            "Each line is how much later the works were expected to end after their extension: an expected end, not a "
            "measured one. {credit}",
            credit=_(AVIGNON_CREDIT),
        ),
    )


def reasons_table(ext: pd.DataFrame, examples: int = 2) -> FullTable:
    """The extensions of ``ext`` (:func:`model.extensions`) by reason category, with reasons as written.

    Columns: extension orders, median overrun (calendar days) and up to ``examples`` reasons quoted
    from the file (the most frequent wordings first, cut at :data:`REASON_CHARACTERS` characters).
    Categories follow :data:`model.REASON_CATEGORIES`, named in the learner's language.
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
                _("reason category"): _(model.REASON_CATEGORY_NAMES[category]),
                _("extension orders"): len(group),
                _("median overrun"): day_count(float(group["overrun_days"].median())),
                _("as written in the orders"): " ; ".join(quoted) if quoted else _("(no reason given)"),
            }
        )
    return FullTable(pd.DataFrame(rows).set_index(_("reason category")))


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
    fig, ax = plotting.new_figure(_("Works orders in force on each day, Avignon"), _("Date"), _("Orders in force (count)"), size=(8.0, 4.2))
    ax.plot(daily.index, daily.to_numpy(), color=plotting.PALETTE["blue"], linewidth=1.2, label=_("all works orders"))
    if closures is not None:
        ax.plot(closures.index, closures.to_numpy(), color=plotting.PALETTE["orange"], linewidth=1.2,
                label=_("orders that close a road to traffic"))
    inside = daily
    if window is not None:
        first, last = pd.Timestamp(window[0]), pd.Timestamp(window[1])
        inside = daily[(daily.index >= first) & (daily.index <= last)]
        ax.axvspan(daily.index[0], first, color="#D9D9D9", alpha=0.6, linewidth=0)
        ax.axvspan(last, daily.index[-1], color="#D9D9D9", alpha=0.6, linewidth=0, label=_("few orders in the file (read with care)"))
    peak_day, peak = inside.idxmax(), int(inside.max())
    ax.annotate(_("peak: {count} orders", count=peak) + f"\n{date_text(peak_day)}", xy=(peak_day, peak), xytext=(18, -4), textcoords="offset points",
                fontsize=9, va="top", arrowprops={"arrowstyle": "->", "color": plotting.PALETTE["black"], "lw": 0.8})
    ax.set_ylim(0, peak * 1.3)
    ax.legend(loc="upper left", fontsize=9)
    second = ""
    if closures is not None:
        closures_inside = closures[(closures.index >= inside.index[0]) & (closures.index <= inside.index[-1])]
        second = " " + _(
            "A second line counts only the orders that close a road to traffic; it peaks at {peak} on {day}.",
            peak=int(closures_inside.max()), day=date_text(closures_inside.idxmax()),
        )
    shaded = ""
    if window is not None:
        shaded = " " + _(
            "The days before {first} and after {last} are shaded: the file holds few orders there.",
            first=date_text(window[0]), last=date_text(window[1]),
        )
    return plotting.show(
        fig,
        alt=_(
            "Line chart of the number of works orders in force on each day in Avignon, from {first} to "
            "{last}. Between {inside_first} and {inside_last} the count has a "
            "median of {median} and peaks at {peak} on {peak_day}.",
            first=date_text(daily.index[0]), last=date_text(daily.index[-1]), inside_first=date_text(inside.index[0]),
            inside_last=date_text(inside.index[-1]), median=wording.decimal(inside.median(), 0), peak=peak, peak_day=date_text(peak_day),
        ) + second + shaded,
        caption=_(
            "An order in force is not a street closed all day: it may only narrow a lane or ban parking. {credit}",
            credit=_(AVIGNON_CREDIT),
        ),
    )


def problems_table(problems: pd.DataFrame) -> pd.DataFrame:
    """What the parser could not read (``problems`` of :func:`model.read_orders`), counted by column and reason.

    An empty ``problems`` gives one row that says so, so a reader sees the check was made.
    """
    if problems.empty:
        return pd.DataFrame(
            {_("values"): [0], _("orders concerned"): [0]},
            index=pd.MultiIndex.from_tuples([(_("every column read"), _("no value left unparsed"))], names=[_("column"), _("why")]),
        )
    grouped = problems.groupby(["column", "why"], sort=False)
    table = pd.DataFrame({_("values"): grouped.size(), _("orders concerned"): grouped["arretesrcid"].nunique()})
    return table.rename_axis([_("column"), _("why")])
