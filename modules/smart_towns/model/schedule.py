"""The graded decision: a dimming schedule by weekday and month, checked against real pedestrian counts.

A council wants to dim its street lights to save energy, but not on the evenings when many people
are out. A schedule is a table with one row per month (1–12) and one column per weekday (Monday …
Sunday); each cell says whether the nights of that weekday in that month stay at full power
("full") or follow the dimmed profile (:data:`~.lighting.DIMMED_NIGHT`, 30 % of full power from
22:00 to 06:00).

A schedule passes when both conditions hold, over every day of the pedestrian series:

1. it cuts the lighting energy by at least :data:`MIN_ENERGY_CUT` against full power every night
   (energy cut = 1 − energy with the schedule ÷ energy at full power; the number of lamps and their
   power cancel out, only the nights and the profiles matter);
2. every busy day (more than :data:`BUSY_PEDESTRIANS` pedestrians counted that day on the Pont
   Daladier, channel ``daladier_pedestrians``) keeps full lighting: the night that starts that day
   is not dimmed.

Assumption: daily counts stand for the evening's footfall (the counters give no hours), and the
night that starts on a day belongs to that day.

How :data:`MIN_ENERGY_CUT` was set: with the Pont Daladier pedestrians of 2021, 62 days are busy,
falling in 23 of the 84 weekday × month cells. Dimming every one of the other 61 cells cuts the
energy by 34.2 %, the best a passing schedule can do; dimming every cell would cut 47.5 % but dims
the 62 busy days; dimming Monday–Thursday only cuts 27.1 % and dims 32 busy days. A minimum of
30 % leaves room for several passing schedules (a few quiet cells can stay full) while a careless
schedule fails.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from babel.dates import format_date

from modules.common.formatting import format_number, format_percent
from modules.common.i18n import language, translator

from .counters import MONTHS, WEEKDAYS, EmptyPeriodError
from .lighting import AVIGNON, DIMMED_NIGHT, FULL, Installation, Place, Profile, _as_days, _is_number, energy_by_day

_ = translator(__name__)

#: A day is busy when more pedestrians than this were counted on the Pont Daladier (pedestrians per day).
BUSY_PEDESTRIANS = 2000

#: The least share of the yearly lighting energy a schedule must save (0.30 = 30 %).
MIN_ENERGY_CUT = 0.30

#: The two choices of a cell: full power all night, or the dimmed night profile.
CHOICES = ("full", "dimmed")

#: The profile each choice stands for.
PROFILES = {"full": FULL, "dimmed": DIMMED_NIGHT}


def _weekday_key(name) -> str | None:
    if isinstance(name, str):
        for weekday in WEEKDAYS:
            if name.strip().lower() == weekday.lower():
                return weekday
    return None


def _month_key(label) -> int | None:
    if isinstance(label, (int, np.integer)) and not isinstance(label, (bool, np.bool_)) and 1 <= label <= 12:
        return int(label)
    if isinstance(label, str):
        text = label.strip().lower()
        for number, month in enumerate(MONTHS, start=1):
            if text == month.lower():
                return number
    return None


def _check_table(table) -> pd.DataFrame:
    """The table with months 1–12 as index and WEEKDAYS as columns, cells "full" or "dimmed"."""
    if not isinstance(table, pd.DataFrame):
        raise ValueError(_(
            "The schedule is {kind}, not a table: give a pandas DataFrame with the months 1–12 as rows "
            "and the weekdays ({weekdays}) as columns, each cell 'full' or 'dimmed'.",
            kind=type(table).__name__, weekdays=", ".join(WEEKDAYS),
        ))
    columns = {}
    for column in table.columns:
        weekday = _weekday_key(column)
        if weekday is None:
            raise ValueError(_(
                "The schedule has a column {column}, which is not a weekday: use the columns {weekdays}.",
                column=repr(column), weekdays=", ".join(WEEKDAYS),
            ))
        if weekday in columns:
            raise ValueError(_("The schedule has the column {weekday} twice: give each weekday once.", weekday=repr(weekday)))
        columns[weekday] = column
    missing = [weekday for weekday in WEEKDAYS if weekday not in columns]
    if missing:
        raise ValueError(_(
            "The schedule has no column {missing}: give one column per weekday ({weekdays}).",
            missing=", ".join(repr(m) for m in missing), weekdays=", ".join(WEEKDAYS),
        ))
    rows = {}
    for label in table.index:
        month = _month_key(label)
        if month is None:
            raise ValueError(_(
                "The schedule has a row {label}, which is not a month: use the month numbers 1 to 12 as rows.", label=repr(label)
            ))
        if month in rows:
            raise ValueError(_(
                "The schedule has the row {month} ({name}) twice: give each month once.", month=month, name=_(MONTHS[month - 1])
            ))
        rows[month] = label
    absent = [month for month in range(1, 13) if month not in rows]
    if absent:
        listed = ", ".join(f"{m} ({_(MONTHS[m - 1])})" for m in absent)
        raise ValueError(_("The schedule has no row for {months}: give one row per month, 1 to 12.", months=listed))
    cells = np.empty((12, 7), dtype=object)
    for i, month in enumerate(range(1, 13)):
        for j, weekday in enumerate(WEEKDAYS):
            value = table.at[rows[month], columns[weekday]]
            choice = value.strip().lower() if isinstance(value, str) else None
            if choice not in CHOICES:
                raise ValueError(_(
                    "Row {month} ({name}), column {weekday} holds {value}: use 'full' or 'dimmed'.",
                    month=month, name=_(MONTHS[month - 1]), weekday=repr(weekday), value=repr(value),
                ))
            cells[i, j] = choice
    return pd.DataFrame(
        cells,
        index=pd.Index(range(1, 13), name="month"),
        columns=pd.Index(list(WEEKDAYS), name="weekday"),
    )


@dataclass(frozen=True, eq=False)
class Schedule:
    """A dimming schedule: ``table`` has the months 1–12 as rows and the weekdays (Monday … Sunday)
    as columns; each cell is "full" (full power all night) or "dimmed" (:data:`~.lighting.DIMMED_NIGHT`).

    The table is checked when the schedule is made (plain ValueError naming the row and column of a
    bad cell) and kept as a copy with clean labels: rows 1–12 named "month", columns in weekday order,
    cells in lower case. Month names are accepted as row labels and weekday names in any case.
    """

    table: pd.DataFrame

    def __post_init__(self) -> None:
        object.__setattr__(self, "table", _check_table(self.table))

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> "Schedule":
        """A schedule from a table (rows months 1–12, columns weekdays, cells "full"/"dimmed"), checked."""
        return cls(table)

    @classmethod
    def all_full(cls) -> "Schedule":
        """Full power every night: the reference the energy cut is measured against."""
        return cls(pd.DataFrame("full", index=range(1, 13), columns=list(WEEKDAYS)))

    @classmethod
    def all_dimmed(cls) -> "Schedule":
        """The dimmed profile every night."""
        return cls(pd.DataFrame("dimmed", index=range(1, 13), columns=list(WEEKDAYS)))

    @classmethod
    def from_dict(cls, choices: Mapping, default: str = "full") -> "Schedule":
        """A schedule from ``{(month, weekday): choice}``, every other cell set to ``default``.

        ``month`` is 1–12 (or a month name), ``weekday`` a weekday name, ``choice`` "full" or "dimmed".
        Example: ``Schedule.from_dict({(1, "Monday"): "dimmed"})``.
        """
        if not isinstance(default, str) or default.strip().lower() not in CHOICES:
            raise ValueError(_("The default is {default}: use 'full' or 'dimmed'.", default=repr(default)))
        if not isinstance(choices, Mapping):
            raise ValueError(_("Give the choices as a dictionary {(month, weekday): 'full' or 'dimmed'}."))
        table = pd.DataFrame(default.strip().lower(), index=range(1, 13), columns=list(WEEKDAYS), dtype=object)
        for key, choice in choices.items():
            if not isinstance(key, tuple) or len(key) != 2:
                raise ValueError(_("The key {key} is not a (month, weekday) pair: write it as (7, 'Saturday').", key=repr(key)))
            month, weekday = _month_key(key[0]), _weekday_key(key[1])
            if month is None:
                raise ValueError(_("In {key}, {value} is not a month: use a number 1 to 12.", key=repr(key), value=repr(key[0])))
            if weekday is None:
                raise ValueError(_(
                    "In {key}, {value} is not a weekday: use one of {weekdays}.", key=repr(key), value=repr(key[1]), weekdays=", ".join(WEEKDAYS)
                ))
            table.at[month, weekday] = choice
        return cls(table)

    @property
    def dimmed_cells(self) -> int:
        """How many of the 84 weekday × month cells are dimmed."""
        return int((self.table.to_numpy() == "dimmed").sum())

    def choice_on(self, day) -> str:
        """The choice ("full" or "dimmed") for the night that starts on ``day``."""
        timestamp = _as_days([day])[0]
        return str(self.table.iat[timestamp.month - 1, timestamp.weekday()])

    def profile_on(self, day) -> Profile:
        """The dimming profile (FULL or DIMMED_NIGHT) of the night that starts on ``day``."""
        return PROFILES[self.choice_on(day)]

    def profiles_for(self, days) -> pd.Series:
        """The profile of the night that starts on each of ``days``: a Series of Profiles indexed by day."""
        index = _as_days(days)
        dimmed = self.table.to_numpy()[index.month - 1, index.day_of_week] == "dimmed"
        values = np.array([FULL, DIMMED_NIGHT], dtype=object)[dimmed.astype(int)]
        return pd.Series(values, index=index, dtype=object, name="profile")


@dataclass(frozen=True)
class ScheduleCheck:
    """The verdict on a schedule.

    Attributes
    ----------
    energy_cut : float
        Share of the lighting energy saved against full power every night, 0–1 (0.3 = 30 %).
    meets_cut : bool
        True when ``energy_cut`` reaches the minimum asked for.
    busy_days_dimmed : tuple of datetime.date
        The busy days (more pedestrians than the busy level) whose night the schedule dims, sorted.
    passes : bool
        True when the cut is met and no busy day is dimmed.
    message : str
        Plain feedback for the learner, naming every failing day (date, weekday, pedestrians).
    """

    energy_cut: float
    meets_cut: bool
    busy_days_dimmed: tuple
    passes: bool
    message: str


def _day_text(day: pd.Timestamp) -> str:
    if language() == "fr":
        return format_date(day.date(), format="EEEE d MMMM y", locale="fr_FR")
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def _count_text(value: float) -> str:
    return format_number(value)


def _percent(share: float) -> str:
    return format_percent(share, 1)


def check_schedule(
    schedule: Schedule,
    pedestrians: pd.Series,
    *,
    min_cut: float = MIN_ENERGY_CUT,
    busy_level: float = BUSY_PEDESTRIANS,
    place: Place = AVIGNON,
) -> ScheduleCheck:
    """Check a schedule against daily pedestrian counts: enough energy saved, no busy day dimmed.

    ``pedestrians`` is a daily series (DatetimeIndex, pedestrians per day), normally
    ``counters.channel_series(counts, "daladier_pedestrians")``. Every day of its index counts
    towards the energy cut, at ``place``'s real night lengths. A day is busy when its count is
    above ``busy_level``; a day without a count (NaN) is not busy. ``schedule`` may be a
    :class:`Schedule` or a table (checked by :meth:`Schedule.from_table`, which raises on a bad cell).

    Raises EmptyPeriodError (a ValueError) when the series holds no count, and ValueError for a
    ``min_cut`` outside 0–1 or a negative ``busy_level``.
    """
    if isinstance(schedule, pd.DataFrame):
        schedule = Schedule.from_table(schedule)
    if not isinstance(schedule, Schedule):
        raise ValueError(_(
            "The schedule is {kind}: give a Schedule, for example Schedule.from_table(table).", kind=type(schedule).__name__
        ))
    if not isinstance(pedestrians, pd.Series):
        raise ValueError(_("Give the pedestrians as a pandas Series of daily counts indexed by day."))
    if pedestrians.dropna().empty:
        raise EmptyPeriodError(_(
            "The pedestrian series holds no count: give the daily counts of the Pont Daladier, for example "
            "counters.channel_series(counts, 'daladier_pedestrians')."
        ))
    if not _is_number(min_cut) or not 0 <= min_cut <= 1:
        raise ValueError(_("min_cut is {value}: give a share between 0 and 1 (0.3 = 30 %).", value=repr(min_cut)))
    if not _is_number(busy_level) or not math.isfinite(busy_level) or busy_level < 0:
        raise ValueError(_("busy_level is {value}: give a number of pedestrians per day, 0 or more.", value=repr(busy_level)))

    series = pedestrians.copy()
    series.index = _as_days(series.index)
    series = series[~series.index.duplicated(keep="first")].sort_index()
    days = series.index
    unit = Installation(1, 1000.0)  # 1 kW: the installation cancels out of the cut
    full = energy_by_day(unit, FULL, days, place).to_numpy()
    planned = energy_by_day(unit, schedule, days, place).to_numpy()
    cut = float(1 - planned.sum() / full.sum())
    meets_cut = cut >= min_cut - 1e-12

    dimmed = schedule.table.to_numpy()[days.month - 1, days.day_of_week] == "dimmed"
    counts = series.to_numpy(dtype=float)
    busy = np.nan_to_num(counts, nan=-np.inf) > busy_level
    failing = np.flatnonzero(busy & dimmed)
    busy_days_dimmed = tuple(days[i].date() for i in failing)
    passes = meets_cut and not failing.size

    level = _count_text(busy_level)
    if passes:
        message = _(
            "Your schedule passes: it cuts the lighting energy by {cut} (at least {needed} "
            "needed) and keeps full lighting on all {busy} busy days (more than {level} pedestrians).",
            cut=_percent(cut), needed=_percent(min_cut), busy=int(busy.sum()), level=level,
        )
    else:
        problems = []
        if not meets_cut:
            problems.append(_(
                "It cuts the lighting energy by {cut}, short of the {needed} needed: dim more "
                "of the quiet cells (a weekday of a month on which no busy day fell).",
                cut=_percent(cut), needed=_percent(min_cut),
            ))
        else:
            problems.append(_("It cuts the lighting energy by {cut}, enough ({needed} needed).", cut=_percent(cut), needed=_percent(min_cut)))
        if failing.size:
            listed = "; ".join(
                _("{day} ({count} pedestrians)", day=_day_text(days[i]), count=_count_text(counts[i])) for i in failing
            )
            cells = sorted({(days[i].month, days[i].weekday()) for i in failing})
            cell_text = ", ".join(_("{month} {weekday}", month=_(MONTHS[m - 1]), weekday=_(WEEKDAYS[w])) for m, w in cells)
            if failing.size > 1:
                problems.append(_(
                    "It dims {number} busy days (more than {level} pedestrians): {listed}. Set these cells to 'full': {cells}.",
                    number=failing.size, level=level, listed=listed, cells=cell_text,
                ))
            else:
                problems.append(_(
                    "It dims {number} busy day (more than {level} pedestrians): {listed}. Set these cells to 'full': {cells}.",
                    number=failing.size, level=level, listed=listed, cells=cell_text,
                ))
        message = _("Your schedule does not pass yet.") + " " + " ".join(problems)
    return ScheduleCheck(
        energy_cut=cut,
        meets_cut=bool(meets_cut),
        busy_days_dimmed=busy_days_dimmed,
        passes=bool(passes),
        message=message,
    )
