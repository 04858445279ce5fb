"""Tables and figures of lesson 01, *From a project idea to a schedule* (book/project_management/01-schedule.md).

Views only: each function receives what the lesson wrote (its table of tasks) or what the model
computed (:func:`~modules.project_management.model.schedule`,
:func:`~modules.project_management.model.gantt_data`) and returns a formatted table (a
:class:`pandas.DataFrame` of text, or a :class:`FullTable` when its cells are long) or an
accessible figure (see :func:`modules.common.views.plotting.show`). None of them runs a forward or a
backward pass, or decides which task is critical: the numbers a learner sees are always the model's.
Durations and floats are in working days (Monday to Friday).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.patches import Patch

from modules.common.i18n import N_, language, translator
from modules.common.views import plotting
from modules.common.views.tables import FullTable
from modules.project_management.model import wording

_ = translator(__name__)

#: The credit that every figure of the lesson carries: the project is an example, not a dataset (shown with ``_``).
DATA_CREDIT = N_("Fictional project; durations are the course's assumptions.")

#: Colours of the Gantt chart and of the float chart. Critical work is vermillion, other work blue;
#: float is a pale hatched bar and a date constraint a grey hatched one, so that the chart also
#: reads without colours.
CRITICAL_COLOUR = plotting.ALERT_COLOUR
TASK_COLOUR = plotting.PALETTE["blue"]
FLOAT_COLOUR = "#D9D9D9"
CONSTRAINT_COLOUR = "#9E9E9E"
FREE_FLOAT_COLOUR = plotting.PALETTE["orange"]

#: Names of the columns of :func:`schedule_table`, from the columns of ``model.schedule`` (shown with ``_``).
SCHEDULE_HEADINGS = {
    "duration": N_("days"),
    "earliest_start": N_("earliest start"),
    "earliest_finish": N_("earliest finish"),
    "latest_start": N_("latest start"),
    "latest_finish": N_("latest finish"),
    "total_float": N_("total float"),
    "free_float": N_("free float"),
    "critical": N_("critical"),
}


# -- formatting -------------------------------------------------------------------------------


def days(value: float) -> str:
    """A number of working days as the lesson writes it: ``15.0`` → ``'15'``, ``2.5`` → ``'2.5'`` (``'2,5'`` in French)."""
    value = float(value)
    if math.isclose(value, round(value), abs_tol=1e-9):
        return str(int(round(value)))
    return wording.decimal(value, 1)


def date_text(value) -> str:
    """A day of the schedule as the lesson writes it: a date (``'3 Nov 2025'``) or a day number (``'day 15'``)."""
    if isinstance(value, datetime.date):
        return wording.short_date(value)
    return _("day {day}", day=days(value))


def _french_date_tick(value: float, _position=None) -> str:
    """A date tick in French: the year on 1 January, the month on the 1st, else the day and month."""
    from babel.dates import format_date

    day = mdates.num2date(value).date()
    if day.day == 1:
        return str(day.year) if day.month == 1 else format_date(day, format="MMM", locale="fr_FR")
    return format_date(day, format="d MMM", locale="fr_FR")


def _predecessors_text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return ", ".join(part.strip() for part in value.split(",") if part.strip())
    return ", ".join(str(part) for part in value)


def task_table(tasks: pd.DataFrame) -> FullTable:
    """The lesson's table of tasks as a reader sees it, one row per task in the order given.

    ``tasks`` has the columns of :meth:`model.Network.from_table` (``name``, ``duration`` in working
    days, ``predecessors``) and, optionally, ``who`` and ``description``. The result is indexed by
    task, with the columns "who", "working days", "after" (the predecessors) and "what" (in the
    learner's language).
    """
    table = pd.DataFrame(index=pd.Index(tasks["name"].astype(str).to_list(), name=_("task")))
    if "who" in tasks.columns:
        table[_("who")] = tasks["who"].fillna("").astype(str).to_list()
    table[_("working days")] = [days(value) for value in tasks["duration"]]
    table[_("after")] = [_predecessors_text(value) for value in tasks["predecessors"]]
    if "description" in tasks.columns:
        table[_("what")] = tasks["description"].fillna("").astype(str).to_list()
    return FullTable(table)


def schedule_table(frame: pd.DataFrame, who: Mapping[str, str] | pd.Series | None = None) -> pd.DataFrame:
    """The forward and backward passes of :func:`model.schedule` (``frame``) as a table of text.

    Days are counted in working days from the project's day 0; "critical" reads "yes" for a task
    with no total float. ``who`` (task → role, e.g. ``"MOA"``) adds a first column when given.
    """
    table = pd.DataFrame(index=pd.Index(list(frame.index), name=_("task")))
    if who is not None:
        table[_("who")] = [str(who.get(name, "")) for name in frame.index]
    for column, heading in SCHEDULE_HEADINGS.items():
        if column == "critical":
            table[_(heading)] = [_("yes") if flag else "" for flag in frame[column]]
        else:
            table[_(heading)] = [days(value) for value in frame[column]]
    return table


# -- figures ----------------------------------------------------------------------------------


def float_chart(frame: pd.DataFrame, title: str | None = None) -> plotting.AccessibleFigure:
    """Horizontal bars of the total float and the free float of each task of ``frame`` (:func:`model.schedule`).

    Tasks keep the schedule's order, top to bottom; a critical task has no bar and is labelled
    "critical". Floats are in working days. ``title`` defaults to "How far each task can slip", in
    the learner's language.
    """
    title = _("How far each task can slip") if title is None else title
    names = list(frame.index)
    positions = np.arange(len(names))
    fig, ax = plotting.new_figure(title, _("Working days"), _("Task"), size=(7.0, max(3.0, 0.34 * len(names) + 1.4)))
    ax.barh(positions - 0.2, frame["total_float"], height=0.4, color=TASK_COLOUR, label=_("total float"))
    ax.barh(positions + 0.2, frame["free_float"], height=0.4, color=FREE_FLOAT_COLOUR, label=_("free float"))
    for position, critical in zip(positions, frame["critical"]):
        if critical:
            ax.text(0.5, position, _("critical"), va="center", ha="left", fontsize=9, color=plotting.ALERT_TEXT_COLOUR)
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    critical_names = [name for name in names if frame.loc[name, "critical"]]
    others = [name for name in names if not frame.loc[name, "critical"]]
    alt = _(
        "Horizontal bar chart of the total float and the free float of {count} tasks, in working days. "
        "Critical tasks, with no float: {critical}. "
        "Total float / free float of the other tasks: {others}.",
        count=len(names), critical=", ".join(critical_names) or _("none"),
        others="; ".join(f"{name} {days(frame.loc[name, 'total_float'])} / {days(frame.loc[name, 'free_float'])}" for name in others),
    )
    return plotting.show(
        fig,
        alt=alt,
        caption=_(
            "Total float: how far a task can slip without moving the end of the project; free float: "
            "without moving any other task. {credit}",
            credit=_(DATA_CREDIT),
        ),
    )


def _is_calendar(gantt: pd.DataFrame) -> bool:
    return len(gantt) > 0 and isinstance(gantt["start"].iloc[0], datetime.date)


def _bar_positions(gantt: pd.DataFrame, calendar: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Left edge, right edge of each task's bar, and right edge of its float, in the axis' units.

    On a calendar, ``finish`` is the task's last working day, so its bar ends a day later; its
    float runs on for as many working days (Monday to Friday, as the model counts) as the task's
    total float, rounded to whole days.
    """
    if not calendar:
        left = gantt["start"].to_numpy(dtype=float)
        right = gantt["finish"].to_numpy(dtype=float)
        return left, right, right + gantt["float"].to_numpy(dtype=float)
    one_day = datetime.timedelta(days=1)
    lefts, rights, float_ends = [], [], []
    for start, finish, duration, slack in zip(gantt["start"], gantt["finish"], gantt["duration"], gantt["float"]):
        whole = int(round(float(slack)))
        if float(duration) == 0:
            # a milestone marks the start of its day: no bar, and its float counts from that day
            right = start
            end = np.busday_offset(np.datetime64(start, "D"), whole, roll="forward").astype(datetime.date)
        else:
            right = finish + one_day
            end = np.busday_offset(np.datetime64(finish, "D"), whole, roll="forward").astype(datetime.date) + one_day
        lefts.append(start)
        rights.append(right)
        float_ends.append(end)
    return mdates.date2num(lefts), mdates.date2num(rights), mdates.date2num(float_ends)


def gantt_chart(
    gantt: pd.DataFrame,
    *,
    title: str,
    constraints: Collection[str] = (),
    deadline: datetime.date | float | None = None,
    deadline_label: str | None = None,
    caption: str = "",
) -> plotting.AccessibleFigure:
    """A Gantt chart of :func:`model.gantt_data` (``gantt``), one bar per task, earliest dates.

    Critical tasks are vermillion (their labels in bold), other tasks blue, each followed by a
    pale hatched bar as long as its total float; milestones (duration 0) are diamonds. Tasks named
    in ``constraints`` are not work but a date written as a task (for example the school term
    during which works cannot start): they are drawn grey and hatched. ``deadline`` (a date, or a
    working day when ``gantt`` counts days from 0) draws a dashed line labelled ``deadline_label``
    ("Deadline" by default, in the learner's language). Dates come from the model; the chart only
    places them.
    """
    deadline_label = _("Deadline") if deadline_label is None else deadline_label
    if len(gantt) == 0:
        raise ValueError(_("The Gantt data is empty: give gantt_data(network) for a network with tasks."))
    unknown = [name for name in constraints if name not in set(gantt["task"])]
    if unknown:
        raise ValueError(_("constraints names {names}, which is not a task of the chart.", names=", ".join(map(repr, unknown))))
    calendar = _is_calendar(gantt)
    names = list(gantt["task"])
    positions = np.arange(len(names))
    xlabel = _("Date (bars count working days, Monday to Friday)") if calendar else _("Working days from the start (day 0)")
    fig, ax = plotting.new_figure(title, xlabel, _("Task"), size=(8.0, max(3.2, 0.34 * len(names) + 1.8)))
    left, right, float_end = _bar_positions(gantt, calendar)
    milestone = gantt["duration"].to_numpy(dtype=float) == 0
    critical = gantt["critical"].to_numpy(dtype=bool)
    constraint = np.array([name in constraints for name in names])
    for i in positions:
        if float_end[i] > right[i] and not constraint[i]:
            ax.barh(i, float_end[i] - right[i], left=right[i], height=0.35, color=FLOAT_COLOUR, hatch="///",
                    edgecolor="#8C8C8C", linewidth=0.5)
        if milestone[i]:
            ax.plot(left[i], i, marker="D", markersize=9, color=CRITICAL_COLOUR if critical[i] else TASK_COLOUR,
                    markeredgecolor="black", zorder=3)
        elif constraint[i]:
            ax.barh(i, right[i] - left[i], left=left[i], height=0.6, color="white", hatch="..",
                    edgecolor=CONSTRAINT_COLOUR, linewidth=1.0)
        else:
            ax.barh(i, right[i] - left[i], left=left[i], height=0.6, color=CRITICAL_COLOUR if critical[i] else TASK_COLOUR)
    if deadline is not None:
        where = mdates.date2num(deadline) if calendar else float(deadline)
        ax.axvline(where, color="black", linestyle="--", linewidth=1.4)
        ax.annotate(deadline_label, xy=(where, 1.0), xycoords=("data", "axes fraction"), xytext=(-4, -2),
                    textcoords="offset points", ha="right", va="top", fontsize=9)
    ax.set_yticks(positions, names)
    for label, is_critical in zip(ax.get_yticklabels(), critical):
        if is_critical:
            label.set_fontweight("bold")
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    if calendar:
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        if language() == "fr":  # matplotlib's month names are English: Babel writes French ones
            ax.xaxis.set_major_formatter(_french_date_tick)
        else:
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    handles = [Patch(color=CRITICAL_COLOUR, label=_("critical task")), Patch(color=TASK_COLOUR, label=_("task with float")),
               Patch(facecolor=FLOAT_COLOUR, hatch="///", edgecolor="#8C8C8C", label=_("float"))]
    if constraint.any():
        handles.append(Patch(facecolor="white", hatch="..", edgecolor=CONSTRAINT_COLOUR, label=_("date constraint")))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False)

    first, last = gantt["start"].min(), gantt["finish"].max()
    work = [name for name, flag in zip(names, constraint) if not flag]
    critical_work = [name for name in work if critical[names.index(name)]]
    with_float = [name for name in work if not critical[names.index(name)]]
    alt = _(
        "Gantt chart of {count} tasks, from {first} to {last}. Critical tasks, in vermillion, with no float: {critical}.",
        count=len(names), first=date_text(first), last=date_text(last), critical=", ".join(critical_work) or _("none"),
    ) + " "
    if with_float:
        floats = gantt.set_index("task")["float"]
        alt += _(
            "Other tasks, in blue, each followed by its total float in working days: {floats}.",
            floats="; ".join(f"{name} {days(floats[name])}" for name in with_float),
        ) + " "
    if constraint.any():
        alt += _(
            "Hatched in grey, a date written as a task, not work: {names}.", names=", ".join(n for n, c in zip(names, constraint) if c)
        ) + " "
    if deadline is not None:
        alt += _("A dashed line marks {label} on {date}.", label=deadline_label, date=date_text(deadline))
    return plotting.show(fig, alt=alt.strip(), caption=" ".join(part for part in (caption, _(DATA_CREDIT)) if part))
