"""Outages and implausible days in a counter's daily series: one rule, stated once in :data:`ANOMALY_RULE`.

An automatic counter fails in a few typical ways: it stops sending (no figure), it sends zeros
while people pass, it repeats the same figure, or it sends a figure far from what the same weekday
usually counts. Traffic depends strongly on the weekday, so a day is compared with the **same
weekday** in the weeks around it, and with the median rather than the mean, so that one bad day
does not move the reference of its neighbours.

The lesson, the counter explorer, the exercise and the feedback all print :data:`ANOMALY_RULE`;
change a constant here and every one of them says the new rule.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from modules.common.formatting import format_number
from modules.common.i18n import N_, language, translator

from .counters import EmptyPeriodError
from .wording import short

_ = translator(__name__)

#: Weeks before and after a day whose same weekday gives the expected count.
WINDOW_WEEKS = 4
#: Below this expected count (passages per day), a zero or an unusual figure is plausible.
MIN_EXPECTED = 10.0
#: The same figure on this many consecutive days or more means a stuck counter.
STUCK_DAYS = 7
#: A day below this share of its expected count is implausibly low.
LOW_RATIO = 0.25
#: A day above this multiple of its expected count is implausibly high.
HIGH_RATIO = 4.0

FLAGS = ("missing", "dead", "stuck", "low", "high")
#: Flags meaning the counter did not measure that day; "low" and "high" are days to check.
OUTAGE_FLAGS = ("missing", "dead", "stuck")
COLUMNS = ("count", "expected", "flag", "reason")
#: How each flag is named to a learner (the flags themselves are keys; translate with ``_`` where shown).
FLAG_NAMES = {"missing": N_("missing"), "dead": N_("dead"), "stuck": N_("stuck"), "low": N_("low"), "high": N_("high")}


def _fmt(value: float) -> str:
    return f"{value:g}"


#: The rule in words, with its thresholds as ``{fields}`` (translated with ``_`` where shown).
_RULE = N_(
    "A day's expected count is the median of the same weekday in the "
    "{window} weeks before and the {window} weeks after it. "
    "A day is flagged, with the first rule that applies: "
    "(1) missing, when no count was published; "
    "(2) dead, when the count is 0 while at least {minimum} passages a day are expected; "
    "(3) stuck, when the same count repeats on {stuck} or more days in a row; "
    "(4) low, when the count is above 0 but below {low} % of the expected count; "
    "(5) high, when the count is more than {high} times the expected count. "
    "Rules 4 and 5 apply only where at least {minimum} passages a day are expected. "
    "Missing, dead and stuck days are outages: the counter did not measure. "
    "Low and high days are implausible: check them before using them."
)


def _rule_values() -> dict:
    return dict(window=WINDOW_WEEKS, minimum=short(MIN_EXPECTED), stuck=STUCK_DAYS, low=short(LOW_RATIO * 100), high=short(HIGH_RATIO))


def anomaly_rule() -> str:
    """:data:`ANOMALY_RULE` in the learner's language."""
    return _(_RULE, **_rule_values())


#: The one statement of the rule, in English (:func:`anomaly_rule` gives it in the learner's language).
ANOMALY_RULE = _RULE.format(
    window=WINDOW_WEEKS, minimum=_fmt(MIN_EXPECTED), stuck=STUCK_DAYS, low=f"{LOW_RATIO * 100:g}", high=_fmt(HIGH_RATIO)
)


def flag_name(flag: str) -> str:
    """How ``flag`` is named to the learner, in the learner's language (an unknown flag as it is)."""
    return _(FLAG_NAMES.get(flag, str(flag)))


def _daily(series: pd.Series) -> pd.Series:
    if not isinstance(series, pd.Series) or not isinstance(series.index, pd.DatetimeIndex):
        raise ValueError(_("Give a pandas Series of daily counts indexed by date (see channel_series)."))
    if series.empty or series.isna().all():
        raise EmptyPeriodError(_("The series {name} holds no count: choose a period with data.", name=repr(series.name)))
    if series.index.has_duplicates:
        raise ValueError(_("The series has the same day twice: give one count per day."))
    index = pd.date_range(series.index.min().normalize(), series.index.max().normalize(), freq="D", name="day").as_unit("ns")
    return series.astype(float).reindex(index)


def expected_counts(series: pd.Series) -> pd.Series:
    """For each day, the median count of the same weekday in the WINDOW_WEEKS weeks before and after.

    Up to 2 × WINDOW_WEEKS values; the day itself is left out, missing days are ignored; NaN when
    none of them has a count. Index: every calendar day of the series.
    """
    daily = _daily(series)
    values = daily.to_numpy()
    n = len(values)
    neighbours = np.full((2 * WINDOW_WEEKS, n), np.nan)
    row = 0
    for week in range(1, WINDOW_WEEKS + 1):
        shift = 7 * week
        if shift < n:
            neighbours[row, shift:] = values[:-shift]  # the same weekday `week` weeks before
            neighbours[row + 1, :-shift] = values[shift:]  # and `week` weeks after
        row += 2
    with np.errstate(all="ignore"):
        counted = ~np.isnan(neighbours)
        expected = np.full(n, np.nan)
        any_value = counted.any(axis=0)
        if any_value.any():
            expected[any_value] = np.nanmedian(neighbours[:, any_value], axis=0)
    return pd.Series(expected, index=daily.index, name="expected")


def _run_lengths(values: np.ndarray) -> np.ndarray:
    """Length of the run of identical, non-missing values that each position belongs to (0 for NaN)."""
    n = len(values)
    starts = np.ones(n, dtype=bool)
    same = (values[1:] == values[:-1]) & ~np.isnan(values[1:])
    starts[1:] = ~same
    run_id = np.cumsum(starts) - 1
    lengths = np.bincount(run_id)[run_id]
    return np.where(np.isnan(values), 0, lengths)


def find_anomalies(series: pd.Series) -> pd.DataFrame:
    """The days :data:`ANOMALY_RULE` flags, one row each (index: day).

    Columns: ``count`` (NaN when missing), ``expected``, ``flag`` (one of :data:`FLAGS`, the first
    rule that applies) and ``reason`` (a plain sentence). An empty table, with the same columns,
    when nothing is flagged. Raises :class:`EmptyPeriodError` for a series without any count.
    """
    daily = _daily(series)
    values = daily.to_numpy()
    expected = expected_counts(daily).to_numpy()
    trusted = expected >= MIN_EXPECTED
    missing = np.isnan(values)
    with np.errstate(invalid="ignore"):
        dead = ~missing & (values == 0) & trusted
        stuck = _run_lengths(values) >= STUCK_DAYS
        low = ~missing & (values > 0) & trusted & (values < LOW_RATIO * expected)
        high = ~missing & trusted & (values > HIGH_RATIO * expected)
    flag = np.select([missing, dead, stuck, low, high], list(FLAGS), default="")
    chosen = flag != ""
    days = daily.index[chosen]
    rows = pd.DataFrame(
        {"count": values[chosen], "expected": expected[chosen], "flag": flag[chosen]},
        index=pd.DatetimeIndex(days, name="day"),
    )
    rows["reason"] = [_reason(f, c, e) for f, c, e in zip(rows["flag"], rows["count"], rows["expected"])]
    return rows[list(COLUMNS)]


def _reason(flag: str, count: float, expected: float) -> str:
    def number(value: float) -> str:
        return format_number(value) if language() == "fr" else f"{value:,.0f}"

    about = "" if np.isnan(expected) else " " + _("(about {expected} expected)", expected=number(expected))
    if flag == "missing":
        return _("No count was published for this day.")
    if flag == "dead":
        return _("The counter shows 0 while people usually pass{about}: it probably did not count.", about=about)
    if flag == "stuck":
        return _("The counter shows {count} on {days} or more days in a row: it is probably stuck.", count=number(count), days=STUCK_DAYS)
    if flag == "low":
        return _("{count} is below {share} % of the usual count for this weekday{about}: check it.",
                 count=number(count), share=short(LOW_RATIO * 100), about=about)
    return _("{count} is more than {times} times the usual count for this weekday{about}: check it.",
             count=number(count), times=short(HIGH_RATIO), about=about)


def outage_days(series: pd.Series) -> list[dt.date]:
    """The days the counter did not measure (flags missing, dead or stuck), sorted."""
    flagged = find_anomalies(series)
    days = flagged.index[flagged["flag"].isin(OUTAGE_FLAGS)]
    return [day.date() for day in days]


def without_anomalies(series: pd.Series) -> pd.Series:
    """A copy of the series over every calendar day, with every flagged day set to NaN (for profiles)."""
    daily = _daily(series)
    flagged = find_anomalies(daily)
    cleaned = daily.copy()
    cleaned[flagged.index] = np.nan
    cleaned.name = series.name
    return cleaned
