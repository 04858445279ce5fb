"""Tables and figure of lesson 01, *What a smart town is and is not* (book/smart_towns/01-what-it-is.md).

Views only: the lesson builds its tables in visible cells (the six action areas, the steps of the
cases, the risks and what a town can do against each), and these helpers show them: texts in full
(pandas cuts a cell after 50 characters), and the steps of the cases on a timeline with its alt text.
Nothing here decides what a step is or when it happened: the dates are those the lesson's table
gives, with the precision its sources give.

Units: dates (pandas timestamps); a step given to the year only runs from 1 January of its first
year to 31 December of its last.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.dates import YearLocator, date2num, num2date
from matplotlib.patches import Patch

from modules.common.i18n import N_, translator
from modules.common.views import plotting
from modules.common.views.tables import FullTable
from modules.smart_towns.model import wording

_ = translator(__name__)

#: The columns a table of steps needs, and what each holds (the keys are column names; the
#: descriptions are translated with ``_`` where shown).
STEP_COLUMNS = {
    "case": N_("the town or network the step belongs to (e.g. 'Guédiawaye')"),
    "step": N_("what was done, in a few words"),
    "start": N_("first day of the step (a date)"),
    "end": N_("last day of the step (a date; the same day as start for a one-day event)"),
    "precision": N_("how precise the source is: 'year', 'month' or 'day'"),
}
#: Precisions a source can give, from the coarsest.
PRECISIONS = ("year", "month", "day")


def text_table(frame: pd.DataFrame) -> FullTable:
    """Show a table of texts in full, on the site and in JupyterLab."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(_("Give a pandas DataFrame of texts to show in full."))
    return FullTable(frame)


def _checked_steps(steps: pd.DataFrame) -> pd.DataFrame:
    """The table of steps with its dates as timestamps, or a plain error naming what is wrong."""
    if not isinstance(steps, pd.DataFrame):
        raise ValueError(_("Give the steps as a pandas DataFrame with the columns {columns}.", columns=", ".join(STEP_COLUMNS)))
    missing = [column for column in STEP_COLUMNS if column not in steps.columns]
    if missing:
        wanted = "; ".join(f"'{column}': {_(STEP_COLUMNS[column])}" for column in missing)
        raise ValueError(_("The table of steps has no column {columns}. Add {wanted}.",
                           columns=", ".join(repr(c) for c in missing), wanted=wanted))
    if steps.empty:
        raise ValueError(_("The table of steps is empty: give at least one step to draw."))
    table = steps.reset_index(drop=True).copy()
    table["start"] = pd.to_datetime(table["start"])
    table["end"] = pd.to_datetime(table["end"])
    for row in table.itertuples():
        if row.precision not in PRECISIONS:
            raise ValueError(_("Step '{step}' ({case}) has precision {precision}: use one of {precisions}.",
                               step=row.step, case=row.case, precision=repr(row.precision), precisions=", ".join(PRECISIONS)))
        if row.end < row.start:
            raise ValueError(_("Step '{step}' ({case}) ends on {end}, before it starts on {start}: check the two dates.",
                               step=row.step, case=row.case, end=_day(row.end), start=_day(row.start)))
    return table


def _day(day: pd.Timestamp) -> str:
    """A day in words: 27 June 2017 (27 juin 2017 in French)."""
    return wording.long_day(day)


def _when(row) -> str:
    """The dates of a step in words, no more precise than its source."""
    if row.precision == "year":
        first, last = f"{row.start.year}", f"{row.end.year}"
    elif row.precision == "month":
        first, last = wording.month_year(row.start), wording.month_year(row.end)
    else:
        first, last = _day(row.start), _day(row.end)
    return first if first == last else _("{first} to {last}", first=first, last=last)


def cases_timeline(steps: pd.DataFrame) -> plotting.AccessibleFigure:
    """The steps of the lesson's cases on one time axis, one row per step, one colour per case.

    A step with a start and an end is a bar; a one-day event (start = end) is a diamond. Bars whose
    source gives years only are hatched, so that a reader does not take "2007 to 2010" for exact
    dates. Raises ``ValueError`` with a plain message when a column is missing, a precision is
    unknown, or a step ends before it starts.
    """
    table = _checked_steps(steps)
    cases = list(dict.fromkeys(table["case"]))
    colours = {case: plotting.SERIES_COLOURS[i % len(plotting.SERIES_COLOURS)] for i, case in enumerate(cases)}
    height = 2.2 + 0.42 * len(table)
    fig, axes = plotting.new_figure(_("Three cases, step by step"), _("Year"), _("Step"), size=(8.0, height))
    for position, row in enumerate(table.itertuples()):
        start = date2num(row.start)
        if row.end == row.start:
            axes.plot(start, position, marker="D", markersize=8, color=colours[row.case], linestyle="none")
            continue
        # A step lasts until the end of its last day.
        width = date2num(row.end + pd.Timedelta(days=1)) - start
        axes.barh(position, width, left=start, height=0.6, color=colours[row.case],
                  hatch="//" if row.precision == "year" else None, edgecolor="white", linewidth=0.5)
    axes.set_yticks(range(len(table)), list(table["step"]))
    axes.invert_yaxis()
    axes.set_ylabel("")
    axes.xaxis.set_major_locator(YearLocator(2))
    axes.xaxis.set_minor_locator(YearLocator())
    axes.xaxis.set_major_formatter(lambda value, _: f"{num2date(value).year}")
    axes.grid(axis="y", visible=False)
    handles = [Patch(facecolor=colours[case], label=case) for case in cases]
    if (table["precision"] == "year").any():
        handles.append(Patch(facecolor="white", edgecolor=plotting.PALETTE["black"], hatch="//",
                             label=_("source gives years only")))
    axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    first, last = table["start"].min().year, table["end"].max().year
    described = "; ".join(
        _("{case}: {steps}", case=case, steps=", ".join(f"{row.step} ({_when(row)})" for row in table.itertuples() if row.case == case))
        for case in cases
    )
    alt = _("Timeline of the steps of {cases} cases from {first} to {last}, one bar per step. {described}.",
            cases=len(cases), first=first, last=last, described=described)
    return plotting.show(fig, alt=alt)
