"""Avignon's bicycle and pedestrian counters as clean daily series, with their profiles.

The published file has one row per channel and day. A *channel* is one series of one counter: one
mode (bicycles or pedestrians), one direction, sometimes one speed band. Two things make the raw
file easy to misread, and this module settles both once:

- some channels are **totals** of others (the Pont Daladier's "Vélos" and "Piétons" channels, and
  "Limbert" for the speed bands of the St Lazare–Thiers axis): adding a total to its parts counts
  everyone twice, so every channel says whether it is a total;
- the Pont Daladier's two directional pedestrian channels were **replaced** on 31 March 2021 (new
  names and identifiers). On that day both the old and the new channel have a row, each holding
  part of the day, and the total channel equals the sum of the four: so the two rows of a day are
  **added**, and each direction becomes one series for the whole year.

Counts are numbers of passages per day (raw, not corrected by the city). Days are calendar days;
a day without a row is a gap (NaN), never a zero.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from modules.common import data

from modules.common.formatting import format_date
from modules.common.i18n import N_, language, translator

from .datasets import COUNTERS, COUNTERS_FILE, SLUG

_ = translator(__name__)

#: Weekdays and months, in English: they are keys (columns of a schedule, index of a profile);
#: translate them with ``_`` where they are shown.
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"), N_("August"),
          N_("September"), N_("October"), N_("November"), N_("December"))
SPEED_BANDS = ("< 12 km/h", "12–21 km/h", "21–30 km/h", "> 30 km/h")
DIRECTIONS = {"to_thiers": N_("towards Thiers"), "to_st_lazare": N_("towards St Lazare")}
AGGREGATIONS = ("day", "week", "month")

#: The columns of the published file that the cleaning needs.
RAW_COLUMNS = ("cpt_id", "date", "counts")


class EmptyPeriodError(ValueError):
    """Raised when a period or a series holds no count at all."""


class UnknownChannelError(ValueError):
    """Raised when a channel key is not one of :data:`CHANNEL_KEYS`."""


@dataclass(frozen=True)
class Channel:
    """One logical channel of a counter.

    key : stable name used in the code, e.g. ``"daladier_bikes"``
    label : plain-English name for tables and figures
    site : where the counter stands
    mode : ``"bike"`` or ``"pedestrian"``
    direction : ``"both"`` for a total, otherwise the direction of travel
    speed_band : one of :data:`SPEED_BANDS`, or None
    cpt_ids : the identifiers of the file's channels it gathers (two when a channel was replaced)
    is_total : True when the channel is the total of other channels (never add it to them)
    """

    key: str
    label: str
    site: str
    mode: str
    direction: str
    speed_band: str | None
    cpt_ids: tuple[int, ...]
    is_total: bool = False

    @property
    def shown_label(self) -> str:
        """``label`` in the learner's language (``label`` itself stays the English name)."""
        if self.speed_band:
            return _("St Lazare–Thiers axis, {where}, {band}", where=_(self.direction), band=self.speed_band)
        return _(self.label)


_DALADIER = "Pont Daladier"
_AXIS = "St Lazare–Thiers axis (Limbert)"


def _band(key: str, direction: str, band: str, cpt_id: int) -> Channel:
    where = DIRECTIONS[direction]
    return Channel(key, f"St Lazare–Thiers axis, {where}, {band}", _AXIS, "bike", where, band, (cpt_id,))


CHANNELS: tuple[Channel, ...] = (
    Channel("daladier_pedestrians", N_("Pont Daladier, pedestrians (total)"), _DALADIER, "pedestrian", "both",
            None, (100052946,), True),
    Channel("daladier_pedestrians_in", N_("Pont Daladier, pedestrians into town"), _DALADIER, "pedestrian",
            "into town", None, (102052946, 353260717)),
    Channel("daladier_pedestrians_out", N_("Pont Daladier, pedestrians out of town"), _DALADIER, "pedestrian",
            "out of town", None, (101052946, 353260719)),
    Channel("daladier_bikes", N_("Pont Daladier, bicycles (total)"), _DALADIER, "bike", "both", None,
            (100052947,), True),
    Channel("daladier_bikes_in_1", N_("Pont Daladier, bicycles into town (channel 1)"), _DALADIER, "bike",
            "into town", None, (102052947,)),
    Channel("daladier_bikes_in_2", N_("Pont Daladier, bicycles into town (channel 2)"), _DALADIER, "bike",
            "into town", None, (353242244,)),
    Channel("daladier_bikes_out_1", N_("Pont Daladier, bicycles out of town (channel 1)"), _DALADIER, "bike",
            "out of town", None, (101052947,)),
    Channel("daladier_bikes_out_2", N_("Pont Daladier, bicycles out of town (channel 2)"), _DALADIER, "bike",
            "out of town", None, (353242241,)),
    Channel("limbert", N_("St Lazare–Thiers axis, bicycles (total, 'Limbert')"), _AXIS, "bike", "both", None,
            (100058052,), True),
    _band("to_st_lazare_under_12", "to_st_lazare", SPEED_BANDS[0], 101058052),
    _band("to_st_lazare_12_21", "to_st_lazare", SPEED_BANDS[1], 103058052),
    _band("to_st_lazare_21_30", "to_st_lazare", SPEED_BANDS[2], 105058052),
    _band("to_st_lazare_over_30", "to_st_lazare", SPEED_BANDS[3], 107058052),
    _band("to_thiers_under_12", "to_thiers", SPEED_BANDS[0], 102058052),
    _band("to_thiers_12_21", "to_thiers", SPEED_BANDS[1], 104058052),
    _band("to_thiers_21_30", "to_thiers", SPEED_BANDS[2], 106058052),
    _band("to_thiers_over_30", "to_thiers", SPEED_BANDS[3], 108058052),
)
CHANNEL_KEYS: tuple[str, ...] = tuple(c.key for c in CHANNELS)
_BY_KEY = {c.key: c for c in CHANNELS}
_KEY_OF_CPT = {cpt: c.key for c in CHANNELS for cpt in c.cpt_ids}


def channel(key: str) -> Channel:
    """The :class:`Channel` called ``key``; :class:`UnknownChannelError` with a suggestion otherwise."""
    if isinstance(key, str) and key in _BY_KEY:
        return _BY_KEY[key]
    close = difflib.get_close_matches(str(key), CHANNEL_KEYS, n=1)
    hint = " " + _("Did you mean {key}?", key=repr(close[0])) if close else ""
    raise UnknownChannelError(_(
        "There is no counter channel called {key}.{hint} Known channels: {known}.",
        key=repr(key), hint=hint, known=", ".join(CHANNEL_KEYS),
    ))


def clean_counts(raw: pd.DataFrame) -> pd.DataFrame:
    """Turn the file as published into a tidy table: ``day``, ``channel`` (a key), ``count``.

    One row per channel and day, sorted by channel then day. The rows of a replaced channel that
    share a day (31 March 2021) are added, because each holds part of that day. An identifier that
    no channel knows raises a ValueError naming it: nothing is dropped silently.
    """
    missing = [c for c in RAW_COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(_(
            "The counter table has no column {columns}: read the file with "
            "sep=';' and encoding='utf-8-sig' so that its header is read correctly.",
            columns=", ".join(repr(c) for c in missing),
        ))
    ids = pd.to_numeric(raw["cpt_id"], errors="coerce")
    unknown = sorted({str(v) for v, n in zip(raw["cpt_id"], ids) if pd.isna(n) or int(n) not in _KEY_OF_CPT})
    if unknown:
        raise ValueError(_(
            "Unknown counter identifier(s) {identifiers}: add them to CHANNELS (with the channel they "
            "belong to) before cleaning, so that no count is dropped.",
            identifiers=", ".join(unknown),
        ))
    days = pd.to_datetime(raw["date"].astype(str).str.strip().str[:8], format="%Y%m%d", errors="coerce")
    if days.isna().any():
        bad = raw.loc[days.isna(), "date"].iloc[0]
        raise ValueError(_("The date {value} cannot be read: dates must look like 20210131000000.", value=repr(bad)))
    counts = pd.to_numeric(raw["counts"], errors="coerce")
    if counts.isna().any() or (counts < 0).any():
        bad = raw.loc[counts.isna() | (counts < 0), "counts"].iloc[0]
        raise ValueError(_("The count {value} is not a number of passages (a whole number ≥ 0).", value=repr(bad)))
    tidy = pd.DataFrame({
        "day": days.dt.normalize().astype("datetime64[ns]"),
        "channel": ids.astype(int).map(_KEY_OF_CPT),
        "count": counts.astype("int64"),
    })
    tidy = tidy.groupby(["channel", "day"], as_index=False, sort=True)["count"].sum()
    order = {k: i for i, k in enumerate(CHANNEL_KEYS)}
    tidy = tidy.sort_values(["channel", "day"], key=lambda s: s.map(order) if s.name == "channel" else s)
    return tidy.reset_index(drop=True)[["day", "channel", "count"]]


def load_counts() -> pd.DataFrame:
    """Avignon's 2021 counts, read from the shipped file and cleaned by :func:`clean_counts`."""
    raw = data.read_csv(SLUG, COUNTERS, COUNTERS_FILE, sep=";", encoding="utf-8-sig", dtype={"date": str})
    return clean_counts(raw)


def _day(value, name: str) -> pd.Timestamp:
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(_("{name} {value} is not a date: write it like '2021-03-01'.", name=_(name), value=repr(value))) from None
    if pd.isna(day):
        raise ValueError(_("{name} is missing: write it like '2021-03-01'.", name=_(name)))
    return day.normalize().as_unit("ns")


def channel_series(counts: pd.DataFrame, key: str, start=None, end=None) -> pd.Series:
    """The daily counts of one channel, with every calendar day from ``start`` to ``end``.

    Days without a count are NaN (gaps), never 0. ``start`` and ``end`` default to the first and
    last day of the channel's data and accept strings such as ``"2021-03-01"``. Raises
    :class:`UnknownChannelError`, and :class:`EmptyPeriodError` when the period holds no count.
    """
    channel(key)
    rows = counts.loc[counts["channel"] == key, ["day", "count"]]
    if rows.empty:
        raise EmptyPeriodError(_("The table holds no count for {key}.", key=repr(key)))
    first, last = rows["day"].min(), rows["day"].max()
    start = first if start is None else _day(start, N_("The start"))
    end = last if end is None else _day(end, N_("The end"))
    if start > end:
        raise EmptyPeriodError(_(
            "The period starts on {start} after it ends on {end}: swap the two dates.", start=_date(start), end=_date(end)
        ))
    index = pd.date_range(start, end, freq="D", name="day").as_unit("ns")
    series = rows.set_index("day")["count"].astype(float).reindex(index)
    if series.isna().all():
        raise EmptyPeriodError(_(
            "The period {start} to {end} holds no count for {key}: its data run from {first} to {last}.",
            start=_date(start), end=_date(end), key=repr(key), first=_date(first), last=_date(last),
        ))
    series.name = key
    return series


def daily_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Every channel side by side: index every day of the data's span, one column per channel key."""
    table = counts.pivot(index="day", columns="channel", values="count").astype(float)
    index = pd.date_range(counts["day"].min(), counts["day"].max(), freq="D", name="day").as_unit("ns")
    keys = [k for k in CHANNEL_KEYS if k in table.columns]
    return table.reindex(index=index, columns=keys)


def _counted(series: pd.Series) -> pd.Series:
    if not isinstance(series, pd.Series) or not isinstance(series.index, pd.DatetimeIndex):
        raise ValueError(_("Give a pandas Series of daily counts indexed by date (see channel_series)."))
    counted = series.dropna()
    if counted.empty:
        raise EmptyPeriodError(_("The series {name} holds no count: choose a period with data.", name=repr(series.name)))
    return counted


def weekday_profile(series: pd.Series) -> pd.Series:
    """Mean daily count for each weekday, Monday to Sunday (days without a count are left out)."""
    counted = _counted(series)
    means = counted.groupby(counted.index.day_of_week).mean()
    profile = pd.Series([means.get(i, np.nan) for i in range(7)], index=pd.Index(WEEKDAYS, name="weekday"),
                        name="mean per day")
    return profile


def monthly_profile(series: pd.Series) -> pd.Series:
    """Mean daily count for each calendar month present in the series (index: month numbers 1–12)."""
    counted = _counted(series)
    profile = counted.groupby(counted.index.month).mean()
    profile.index.name = "month"
    profile.name = "mean per day"
    return profile


def weekday_weekend_ratio(series: pd.Series) -> float:
    """Mean daily count Monday–Friday ÷ mean daily count Saturday–Sunday.

    Above 1, the place is used more on working days (commuting, school); below 1, more at the weekend
    (leisure, tourism). Public holidays count as the weekday they fall on. Days without a count are
    left out.
    """
    counted = _counted(series)
    weekend = counted.index.day_of_week >= 5
    if weekend.all() or not weekend.any():
        raise EmptyPeriodError(_(
            "The ratio needs counts on both working days and weekend days: choose a period of at least a week."
        ))
    weekend_mean = counted[weekend].mean()
    if weekend_mean == 0:
        raise ValueError(_("Nobody was counted at the weekend in this period, so the ratio has no meaning."))
    return float(counted[~weekend].mean() / weekend_mean)


def aggregate(series: pd.Series, by: str) -> pd.Series:
    """Daily counts summed by ``"day"`` (unchanged), ``"week"`` (ISO week, labelled by its Monday) or ``"month"``.

    A week or month with a missing day is NaN, so a gap is never read as low traffic. Weeks or months
    cut by the start or end of the series are kept only if all their days are present in it.
    """
    if by not in AGGREGATIONS:
        raise ValueError(_("Aggregate by {by}? Choose one of {choices}.", by=repr(by), choices=", ".join(AGGREGATIONS)))
    if not isinstance(series, pd.Series) or not isinstance(series.index, pd.DatetimeIndex):
        raise ValueError(_("Give a pandas Series of daily counts indexed by date (see channel_series)."))
    if by == "day":
        return series.copy()
    if by == "week":
        labels = series.index - pd.to_timedelta(series.index.day_of_week, unit="D")
    else:
        labels = series.index.to_period("M").to_timestamp()
    grouped = series.groupby(labels)
    total = grouped.sum(min_count=1)
    present = grouped.count()
    days_needed = 7 if by == "week" else total.index.days_in_month
    total[present.to_numpy() < np.asarray(days_needed)] = np.nan
    total.index.name = by
    total.name = series.name
    return total


def speed_band_shares(counts: pd.DataFrame, direction: str, start=None, end=None) -> pd.Series:
    """Share (0–1) of each speed band in the period's total, for one direction of the St Lazare–Thiers axis."""
    if direction not in DIRECTIONS:
        raise ValueError(_("Direction {direction}? Choose one of {choices}.", direction=repr(direction), choices=", ".join(DIRECTIONS)))
    keys = [c.key for c in CHANNELS if c.speed_band and c.key.startswith(direction + "_")]
    totals = pd.Series({channel(k).speed_band: channel_series(counts, k, start, end).sum() for k in keys})
    if totals.sum() == 0:
        raise EmptyPeriodError(_("Nobody was counted in this period, so there are no shares to compute."))
    shares = (totals / totals.sum()).reindex(SPEED_BANDS)
    shares.index.name = "speed band"
    shares.name = "share"
    return shares


def total_mismatches(counts: pd.DataFrame, total_key: str, part_keys) -> pd.DataFrame:
    """Days on which a total channel differs from the sum of its parts.

    Columns ``total``, ``sum_of_parts`` and ``difference`` (total − sum); index: the days. Only days
    on which the total and every part have a count are compared.
    """
    for key in [total_key, *part_keys]:
        channel(key)
    table = daily_table(counts)
    both = table[[total_key, *part_keys]].dropna()
    frame = pd.DataFrame({"total": both[total_key], "sum_of_parts": both[list(part_keys)].sum(axis=1)})
    frame["difference"] = frame["total"] - frame["sum_of_parts"]
    return frame[frame["difference"] != 0]


def as_date(day) -> dt.date:
    """A pandas timestamp as a plain date (used in messages and lists of days)."""
    return pd.Timestamp(day).date()


def _date(day) -> str:
    """A day in a message: ``2021-03-01`` in English (as before), ``1er mars 2021`` in French."""
    day = pd.Timestamp(day).date()
    return format_date(day) if language() == "fr" else str(day)
