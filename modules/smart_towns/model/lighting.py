"""Street lighting: how long the nights are, what dimming saves, and what an LED retrofit costs and pays back.

A lamp burns from dusk to dawn, so a year's energy is (number of light points) × (power per point)
× (equivalent full-power hours of every night). Three levers change it: the lamps (an LED draws less
than a sodium lamp and its ballast), the dimming profile (30 % of full power from 22:00 to 06:00
turns a 10-hour night into 2 + 8 × 0.3 = 4.4 full-power hours), and switching off. Money is energy
× tariff; emissions are energy × an emission factor; the simple payback is the investment ÷ the
yearly savings.

Units: clock hours of the town's time zone (17.25 = 17:15, summer time included), hours, W per light
point, kWh, €/kWh, g CO2e/kWh, kg CO2e, €, years.

Assumptions, each stated where it is used:

- Lamps switch on at sunset and off at sunrise (a photocell); sunset and sunrise are computed for the
  sun's centre at −0.833° (standard refraction and solar radius), with the NOAA solar calculator
  equations (declination and equation of time, after Meeus), which NOAA reports accurate to about a
  minute between the polar circles. The model needs a sunset and a sunrise every day (no polar day
  or night).
- The night that starts on a day belongs to that day (its dimming choice, its pedestrians).
- Power per point includes the ballast or driver; dimming to a level cuts power in proportion.
- The defaults of :class:`LightingAssumptions` are assumptions the learner can change (see there).

Every night of a year is computed at once with numpy: 365 nights take a few milliseconds.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from modules.common.i18n import N_, translator

from .wording import decimal, grouped, points, short

_ = translator(__name__)

#: Altitude of the sun's centre at sunrise and sunset (degrees): refraction and the solar radius.
SUN_ALTITUDE = -0.833


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _grouped(value: float, decimals: int = 0) -> str:
    """``1234567.8`` → ``'1 234 568'``: the course writes thousands with a space (a narrow one in French)."""
    return grouped(value, decimals)


def _clock(hour: float) -> str:
    """``22.5`` → ``'22:30'``."""
    minutes = int(round(hour * 60)) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# --- Places and nights ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where the lamps are: ``latitude`` and ``longitude`` in degrees (north and east positive) and
    the IANA ``timezone`` whose clock the lamps' schedules use (summer time included)."""

    name: str
    latitude: float
    longitude: float
    timezone: str

    def __post_init__(self) -> None:
        for label, limit in ((N_("latitude"), 90.0), (N_("longitude"), 180.0)):
            value = getattr(self, label)
            if not _is_number(value) or not math.isfinite(value) or abs(value) > limit:
                raise ValueError(_(
                    "The {what} of {name} is {value}: give degrees between −{limit} and {limit}.",
                    what=_(label), name=repr(self.name), value=repr(value), limit=short(limit),
                ))
            object.__setattr__(self, label, float(value))
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise ValueError(_(
                "The time zone of {name} is {timezone}, which is not known: give an IANA name such as 'Europe/Paris'.",
                name=repr(self.name), timezone=repr(self.timezone),
            )) from None


#: Avignon's town centre (degrees) and time zone.
AVIGNON = Place("Avignon", 43.949, 4.806, "Europe/Paris")


def days_of_year(year: int) -> pd.DatetimeIndex:
    """Every calendar day of ``year`` (365 or 366 days), named "day"."""
    if not isinstance(year, (int, np.integer)) or isinstance(year, bool) or not 1900 <= year <= 2100:
        raise ValueError(_("The year is {value}: give a whole year between 1900 and 2100, for example 2021.", value=repr(year)))
    return pd.date_range(f"{int(year)}-01-01", f"{int(year)}-12-31", freq="D", name="day", unit="ns")


def _as_days(days) -> pd.DatetimeIndex:
    """Days as a tz-naive DatetimeIndex at midnight, named "day" (ValueError if they cannot be read)."""
    if isinstance(days, (str, dt.date, pd.Timestamp)):
        days = [days]
    try:
        index = pd.DatetimeIndex(days)
    except (TypeError, ValueError) as error:
        raise ValueError(_("The days could not be read as dates ({error}): give dates such as '2021-06-21'.", error=error)) from None
    if index.tz is not None:
        index = index.tz_localize(None)
    if index.hasnans:
        raise ValueError(_("The days include a missing date (NaT): give real dates only."))
    return index.as_unit("ns").normalize().rename("day")


def _sun_minutes_utc(days: pd.DatetimeIndex, place: Place) -> tuple[np.ndarray, np.ndarray]:
    """Sunrise and sunset of each day, in minutes after 00:00 UTC of that date.

    The NOAA solar calculator equations (after Meeus, *Astronomical Algorithms*): the sun's
    declination and the equation of time from the Julian century, then the hour angle at which the
    sun's centre is at :data:`SUN_ALTITUDE`. Each event is solved three times, the sun's position
    being taken at the event's own time. Raises a ValueError when the sun does not rise or set.
    """
    julian_midnight = days.as_unit("ns").asi8 / 86400e9 + 2440587.5
    lat = math.radians(place.latitude)
    cos_zenith = math.cos(math.radians(90.0 - SUN_ALTITUDE))

    def sun(minutes_utc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(equation of time in minutes, cosine of the hour angle of the event)."""
        t = (julian_midnight + minutes_utc / 1440 - 2451545.0) / 36525  # Julian centuries since J2000
        mean_long = np.radians((280.46646 + t * (36000.76983 + t * 0.0003032)) % 360)
        anomaly = np.radians(357.52911 + t * (35999.05029 - 0.0001537 * t))
        ecc = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
        centre = (
            np.sin(anomaly) * (1.914602 - t * (0.004817 + 0.000014 * t))
            + np.sin(2 * anomaly) * (0.019993 - 0.000101 * t)
            + np.sin(3 * anomaly) * 0.000289
        )
        omega = np.radians(125.04 - 1934.136 * t)
        apparent = mean_long + np.radians(centre - 0.00569 - 0.00478 * np.sin(omega))
        obliquity = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60
        obliquity = np.radians(obliquity + 0.00256 * np.cos(omega))
        decl = np.arcsin(np.sin(obliquity) * np.sin(apparent))
        y = np.tan(obliquity / 2) ** 2
        eqtime = 4 * np.degrees(
            y * np.sin(2 * mean_long)
            - 2 * ecc * np.sin(anomaly)
            + 4 * ecc * y * np.sin(anomaly) * np.cos(2 * mean_long)
            - 0.5 * y * y * np.sin(4 * mean_long)
            - 1.25 * ecc * ecc * np.sin(2 * anomaly)
        )
        cos_ha = cos_zenith / (math.cos(lat) * np.cos(decl)) - math.tan(lat) * np.tan(decl)
        return eqtime, cos_ha

    events = []
    for sign in (-1.0, 1.0):  # −1 sunrise, +1 sunset
        minutes = np.full(len(days), 720.0 - 4.0 * place.longitude)
        for _iteration in range(3):
            eqtime, cos_ha = sun(minutes)
            hour_angle = np.degrees(np.arccos(np.clip(cos_ha, -1.0, 1.0)))
            minutes = 720.0 - 4.0 * place.longitude - eqtime + sign * 4.0 * hour_angle
        bad = np.abs(cos_ha) > 1
        if bad.any():
            day = days[np.argmax(bad)].date()
            raise ValueError(_(
                "At {place} (latitude {latitude}°) the sun does not rise and set on {day}: the "
                "lighting model needs a sunset and a sunrise every day.",
                place=place.name, latitude=short(place.latitude), day=day,
            ))
        events.append(minutes)
    return events[0], events[1]


def _local_clock(days: pd.DatetimeIndex, minutes_utc: np.ndarray, tz: str) -> tuple[np.ndarray, np.ndarray]:
    """(instants in ns since the epoch, UTC; local clock hour 0–24) of events given in minutes after 00:00 UTC."""
    instants = days.asi8 + np.round(minutes_utc * 60e9).astype("int64")
    local = pd.DatetimeIndex(instants.astype("datetime64[ns]")).tz_localize("UTC").tz_convert(tz).tz_localize(None)
    local = local.as_unit("ns")
    clock = (local.asi8 - local.normalize().asi8) / 3600e9
    return instants, clock


def _transition_clocks(start_ns: int, end_ns: int, tz: str) -> tuple[float, float]:
    """For a night crossing a change of clock (summer time), the clock hour just before and just after it.

    Spring in Europe: (2.0, 3.0), the hour 02:00–03:00 does not happen. Autumn: (3.0, 2.0), it happens twice.
    Found by bisection to the second between the night's two ends.
    """
    zone = ZoneInfo(tz)

    def offset(ns: int) -> dt.timedelta:
        return dt.datetime.fromtimestamp(ns / 1e9, tz=dt.timezone.utc).astimezone(zone).utcoffset()

    before = offset(start_ns)
    lo, hi = start_ns, end_ns
    while hi - lo > 1_000_000_000:
        mid = (lo + hi) // 2
        if offset(mid) == before:
            lo = mid
        else:
            hi = mid
    hi = int(round(hi / 1e9)) * 1_000_000_000
    after = offset(hi)
    utc = dt.datetime.fromtimestamp(hi / 1e9, tz=dt.timezone.utc).replace(tzinfo=None)

    def hour_of(moment: dt.datetime) -> float:
        return moment.hour + moment.minute / 60 + moment.second / 3600

    return hour_of(utc + before), hour_of(utc + after)


@dataclass(frozen=True)
class _Nights:
    days: pd.DatetimeIndex
    dusk: np.ndarray  # clock hours
    dawn: np.ndarray  # clock hours (next morning)
    hours: np.ndarray  # real elapsed hours
    before: np.ndarray  # clock hour just before a change of clock during the night, NaN if none
    after: np.ndarray  # clock hour just after it, NaN if none


@lru_cache(maxsize=64)
def _nights_cached(place: Place, key: bytes) -> _Nights:
    days = pd.DatetimeIndex(np.frombuffer(key, dtype="int64").astype("datetime64[ns]"), name="day")
    _, sunset = _sun_minutes_utc(days, place)
    following = (days + pd.Timedelta(days=1)).as_unit("ns")
    sunrise, _ = _sun_minutes_utc(following, place)
    set_ns, dusk = _local_clock(days, sunset, place.timezone)
    rise_ns, dawn = _local_clock(following, sunrise, place.timezone)
    hours = (rise_ns - set_ns) / 3600e9
    clock_length = np.where(dawn > dusk, dawn - dusk, dawn + 24.0 - dusk)
    before = np.full(len(days), np.nan)
    after = np.full(len(days), np.nan)
    for i in np.flatnonzero(np.abs(clock_length - hours) > 1e-6):
        before[i], after[i] = _transition_clocks(int(set_ns[i]), int(rise_ns[i]), place.timezone)
    for array in (dusk, dawn, hours, before, after):
        array.setflags(write=False)
    return _Nights(days, dusk, dawn, hours, before, after)


def _night_arrays(days, place: Place) -> _Nights:
    if not isinstance(place, Place):
        raise ValueError(_("place is {value}: give a Place(name, latitude, longitude, timezone), e.g. AVIGNON.", value=repr(place)))
    index = _as_days(days)
    return _nights_cached(place, index.asi8.tobytes())


def nights(days, place: Place = AVIGNON) -> pd.DataFrame:
    """The night that starts on each of ``days``: when the lamps switch on and off, and for how long.

    Columns: ``dusk``, sunset that day as a local clock hour (17.25 = 17:15, summer time included);
    ``dawn``, sunrise the next morning as a local clock hour; ``hours``, the real length of the night
    in hours (on the nights the clocks change, this differs from ``dawn + 24 − dusk`` by one hour).
    Index: the days (DatetimeIndex named "day", midnight).

    Assumption: the lamps are on from sunset to sunrise (photocell), with the sun at −0.833°.
    For Avignon in 2021 the nights add up to about 4,300 hours; the shortest (June) lasts about
    8.5 hours, the longest (December) about 15.1.
    """
    arrays = _night_arrays(days, place)
    return pd.DataFrame(
        {"dusk": np.array(arrays.dusk), "dawn": np.array(arrays.dawn), "hours": np.array(arrays.hours)},
        index=arrays.days.copy(),
    )


# --- Dimming profiles ----------------------------------------------------------------------------


def _check_hour(label: str, value) -> float:
    if not _is_number(value) or not math.isfinite(value) or not 0 <= value <= 24:
        raise ValueError(_("The {what} is {value}: give a clock hour between 0 and 24 (22.5 = 22:30).", what=label, value=repr(value)))
    return float(value)


@dataclass(frozen=True)
class Profile:
    """A dimming profile: the share of full power the lamps draw at each clock hour of the night.

    ``steps`` is a tuple of ``(start_hour, end_hour, level)``: from ``start_hour`` to ``end_hour``
    (clock hours 0–24; a step may wrap midnight, e.g. 22 → 6) the lamps draw ``level`` × full power
    (0 = off, 0.3 = 30 %, 1 = full). Outside every step the level is 1. Steps must not overlap.
    ``Profile()`` is full power all night.
    """

    steps: tuple = ()

    def __post_init__(self) -> None:
        if not isinstance(self.steps, (tuple, list)):
            raise ValueError(_(
                "The steps are {steps}: give a tuple of (start hour, end hour, level), e.g. ((22, 6, 0.3),).", steps=repr(self.steps)
            ))
        checked = []
        for number, step in enumerate(self.steps, start=1):
            if not isinstance(step, (tuple, list)) or len(step) != 3:
                raise ValueError(_(
                    "Step {number} is {step}: give (start hour, end hour, level), e.g. (22, 6, 0.3) for 30 % from 22:00 to 06:00.",
                    number=number, step=repr(step),
                ))
            start = _check_hour(_("start hour of step {number}", number=number), step[0])
            end = _check_hour(_("end hour of step {number}", number=number), step[1])
            level = step[2]
            if not _is_number(level) or not math.isfinite(level) or not 0 <= level <= 1:
                raise ValueError(_(
                    "The level of step {number} is {level}: give a share of full power between 0 (off) and 1 (full), e.g. 0.3 for 30 %.",
                    number=number, level=repr(level),
                ))
            if end - start == 0:
                raise ValueError(_(
                    "Step {number} starts and ends at {time}: give a step that lasts (0 to 24 for all day).", number=number, time=_clock(start)
                ))
            checked.append((start, end, float(level)))
        object.__setattr__(self, "steps", tuple(checked))
        spans = self._spans()
        for i in range(len(spans)):
            for j in range(i + 1, len(spans)):
                s_i, len_i = spans[i]
                s_j, len_j = spans[j]
                shared = sum(
                    max(0.0, min(s_i + k * 24 + len_i, s_j + len_j) - max(s_i + k * 24, s_j)) for k in (-1, 0, 1)
                )
                if shared > 1e-9:
                    a, b = self.steps[i], self.steps[j]
                    raise ValueError(_(
                        "Step {first} ({first_start}–{first_end}) and step {second} ({second_start}–{second_end}) "
                        "overlap: give each clock hour at most one level.",
                        first=i + 1, first_start=_clock(a[0]), first_end=_clock(a[1]),
                        second=j + 1, second_start=_clock(b[0]), second_end=_clock(b[1]),
                    ))

    def _spans(self) -> list[tuple[float, float]]:
        """(start in 0–24, length in hours) of each step."""
        spans = []
        for start, end, _ in self.steps:
            length = end - start if end > start else end + 24 - start
            spans.append((start % 24, length))
        return spans

    @property
    def description(self) -> str:
        """The profile in words, e.g. "30 % from 22:00 to 06:00, full power otherwise"."""
        if not self.steps:
            return _("full power all night")
        parts = []
        for start, end, level in sorted(self.steps):
            what = _("off") if level == 0 else points(level * 100)
            parts.append(_("{level} from {start} to {end}", level=what, start=_clock(start), end=_clock(end)))
        return _("{steps}, full power otherwise", steps=", ".join(parts))

    def level_at(self, hour):
        """Share of full power at clock hour(s) ``hour`` (0–24; a float or an array)."""
        hours = np.asarray(hour, dtype=float) % 24
        level = np.ones_like(hours)
        for (start, length), (_, _, value) in zip(self._spans(), self.steps):
            inside = ((hours - start) % 24 < length) | (length >= 24)
            level = np.where(inside, value, level)
        return float(level) if np.ndim(level) == 0 else level

    def _integral(self, start, end) -> np.ndarray:
        """∫ level dt over the clock interval from ``start`` to ``end`` (arrays, 0–24; wraps midnight
        when ``end`` ≤ ``start``; ``end == start`` is an empty interval), in hours."""
        a = np.asarray(start, dtype=float) % 24
        b = np.asarray(end, dtype=float) % 24
        b = np.where(b > a, b, np.where(b == a, a, b + 24))
        total = b - a
        for (s, length), (_, _, value) in zip(self._spans(), self.steps):
            if value == 1:
                continue
            covered = np.zeros_like(total)
            for k in (-1, 0, 1):
                lo, hi = s + 24 * k, s + 24 * k + length
                covered = covered + np.maximum(0.0, np.minimum(b, hi) - np.maximum(a, lo))
            total = total - (1 - value) * covered
        return total

    def full_power_hours(self, dusk, dawn):
        """Equivalent full-power hours of a night from ``dusk`` to ``dawn`` (clock hours 0–24): ∫ level dt.

        The night runs from ``dusk`` to ``dawn`` the next morning (``dawn`` ≤ ``dusk``), or the same
        day when ``dawn`` > ``dusk``; it lasts ``(dawn − dusk) mod 24`` clock hours. Example: 20.0 to
        6.0 with 30 % from 22:00 to 06:00 gives 2 h × 1 + 8 h × 0.3 = 4.4 h. Never more than the
        night's hours. Accepts floats (returns a float) or arrays (returns an array). Clock changes
        are not seen here: :func:`energy_by_day` corrects the two nights a year they happen.
        """
        dusk_array = np.asarray(dusk, dtype=float)
        dawn_array = np.asarray(dawn, dtype=float)
        for label, values in ((N_("dusk"), dusk_array), (N_("dawn"), dawn_array)):
            if not np.all(np.isfinite(values)) or np.any(values < 0) or np.any(values > 24):
                shown = repr(dusk if label == "dusk" else dawn)
                raise ValueError(_("The {what} is {value}: give clock hours between 0 and 24.", what=_(label), value=shown))
        result = self._integral(dusk_array, dawn_array)
        return float(result) if np.ndim(result) == 0 else result


#: Full power from dusk to dawn (no dimming).
FULL = Profile()

#: 30 % of full power from 22:00 to 06:00, full power otherwise.
DIMMED_NIGHT = Profile(((22.0, 6.0, 0.3),))

#: Lamps off from midnight to 05:00, full power otherwise.
SWITCH_OFF = Profile(((0.0, 5.0, 0.0),))


def _full_power_hours(profile: Profile, arrays: _Nights, which: np.ndarray | None = None) -> np.ndarray:
    """Real equivalent full-power hours of the nights ``which`` (all by default), clock changes included.

    On a night the clock jumps forward (spring), the skipped clock hour is not lived; on a night it
    goes back (autumn), the repeated clock hour is lived twice. The night is cut at the change.
    """
    if which is None:
        which = np.arange(len(arrays.days))
    dusk, dawn = arrays.dusk[which], arrays.dawn[which]
    before, after = arrays.before[which], arrays.after[which]
    result = profile._integral(dusk, dawn)
    changed = ~np.isnan(before)
    if changed.any():
        result = np.array(result, dtype=float)
        result[changed] = profile._integral(dusk[changed], before[changed]) + profile._integral(
            after[changed], dawn[changed]
        )
    return result


# --- Installations, energy, the comparison -------------------------------------------------------


@dataclass(frozen=True)
class Installation:
    """A lighting installation: ``points`` light points (a whole number above 0), each drawing
    ``watts_per_point`` W at full power (lamp and ballast or driver together, above 0)."""

    points: int
    watts_per_point: float

    def __post_init__(self) -> None:
        points = self.points
        if not isinstance(points, (int, np.integer)) or isinstance(points, (bool, np.bool_)) or points <= 0:
            raise ValueError(_("The number of light points must be a whole number above 0 (got {value}).", value=repr(points)))
        watts = self.watts_per_point
        if not _is_number(watts) or not math.isfinite(watts):
            raise ValueError(_("Power per light point must be a number of watts (got {value}).", value=repr(watts)))
        if watts <= 0:
            raise ValueError(_("Power per light point must be positive (got {watts} W).", watts=short(watts)))
        object.__setattr__(self, "points", int(points))
        object.__setattr__(self, "watts_per_point", float(watts))

    @property
    def kilowatts(self) -> float:
        """Power of the whole installation at full power, kW."""
        return self.points * self.watts_per_point / 1000


def _profiles_series(profiles, days) -> pd.Series:
    """Profiles as a Series indexed by day (every day of ``days``), from a Profile, a Series or a schedule."""
    if isinstance(profiles, Profile):
        if days is None:
            raise ValueError(_("Give the days the profile applies to, for example days_of_year(2021)."))
        index = _as_days(days)
        return pd.Series([profiles] * len(index), index=index, dtype=object)
    if hasattr(profiles, "profiles_for") and not isinstance(profiles, pd.Series):
        if days is None:
            raise ValueError(_("Give the days the schedule applies to, for example days_of_year(2021)."))
        return profiles.profiles_for(_as_days(days))
    if isinstance(profiles, pd.Series):
        series = profiles.copy()
        series.index = _as_days(series.index)
        if days is not None:
            index = _as_days(days)
            missing = index.difference(series.index)
            if len(missing):
                raise ValueError(_(
                    "The profiles give no profile for {number} day(s), the first on {day}: give one profile for every day.",
                    number=len(missing), day=missing[0].date(),
                ))
            series = series.loc[~series.index.duplicated()].reindex(index)
        for day, profile in series.items():
            if not isinstance(profile, Profile):
                raise ValueError(_("The profile of {day} is {profile}: give a Profile, e.g. FULL or DIMMED_NIGHT.", day=day.date(), profile=repr(profile)))
        return series
    raise ValueError(_("profiles is {value}: give a Profile, or a Series of Profiles indexed by day.", value=repr(profiles)))


def energy_by_day(installation: Installation, profiles, days=None, place: Place = AVIGNON) -> pd.Series:
    """Energy used by ``installation`` on the night starting each day, kWh.

    ``profiles`` is one :class:`Profile` for every night (then ``days`` is required), a Series of
    Profiles indexed by day (``days`` defaults to its index), or a schedule with a
    ``profiles_for(days)`` method (such as ``Schedule``). Energy = points × W per point ÷ 1000 ×
    equivalent full-power hours of the night (clock changes included). Returns a Series named
    "energy (kWh)" indexed by day.
    """
    if not isinstance(installation, Installation):
        raise ValueError(_("installation is {value}: give an Installation(points, watts_per_point).", value=repr(installation)))
    series = _profiles_series(profiles, days)
    arrays = _night_arrays(series.index, place)
    hours = np.empty(len(series))
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    for code, profile in enumerate(uniques):
        which = np.flatnonzero(codes == code)
        hours[which] = _full_power_hours(profile, arrays, which)
    return pd.Series(installation.kilowatts * hours, index=series.index.copy(), name="energy (kWh)")


@dataclass(frozen=True)
class LightingAssumptions:
    """Every input of the lighting comparison, with its source or marked as an assumption.

    Attributes
    ----------
    old : Installation
        The lamps today: 1,400 light points of 150 W (high-pressure sodium lamp with its ballast).
        Assumption: a typical order of magnitude for a town of about 10,600 people, chosen so that it
        uses about 85 kWh per inhabitant a year (1,400 × 150 W × 4,299 hours ÷ 10,600), the national
        average ADEME measured in 2012.
    new : Installation
        The LED lamps: 1,400 points of 55 W. Assumption: −63 % power, inside the 60–70 % savings
        that sector sources quote for LED against older lamps.
    tariff_eur_per_kwh : float
        Price of electricity, € per kWh (assumption: 0.20; tariffs vary by contract and year).
    emission_g_per_kwh : float
        Emission factor, g CO2e per kWh. Assumption: 32, RTE's figure for electricity *produced* in
        France in 2023; a greenhouse-gas inventory must use Base Carbone's *consumption* factor,
        whose value was not retrieved.
    investment_eur_per_point : float
        Cost of replacing one light point, € (assumption, unconfirmed: 700).
    place : Place
        Where the nights are computed (Avignon).
    year : int
        The year whose nights are counted (2021, the year of the counters).
    """

    old: Installation = field(default_factory=lambda: Installation(1400, 150.0))
    new: Installation = field(default_factory=lambda: Installation(1400, 55.0))
    tariff_eur_per_kwh: float = 0.20
    emission_g_per_kwh: float = 32.0
    investment_eur_per_point: float = 700.0
    place: Place = AVIGNON
    year: int = 2021

    def __post_init__(self) -> None:
        for label in ("old", "new"):
            if not isinstance(getattr(self, label), Installation):
                raise ValueError(_(
                    "{name} is {value}: give an Installation(points, watts_per_point).", name=label, value=repr(getattr(self, label))
                ))
        for label, unit in (
            ("tariff_eur_per_kwh", N_("€ per kWh")),
            ("emission_g_per_kwh", N_("g CO2e per kWh")),
            ("investment_eur_per_point", N_("€ per light point")),
        ):
            value = getattr(self, label)
            if not _is_number(value) or not math.isfinite(value) or value < 0:
                raise ValueError(_("{name} is {value}: give a number of {unit}, 0 or more.", name=label, value=repr(value), unit=_(unit)))
            object.__setattr__(self, label, float(value))
        if not isinstance(self.place, Place):
            raise ValueError(_(
                "place is {value}: give a Place(name, latitude, longitude, timezone), e.g. AVIGNON.", value=repr(self.place)
            ))
        days_of_year(self.year)  # validates the year
        object.__setattr__(self, "year", int(self.year))


@dataclass(frozen=True)
class LightingResult:
    """One year of lighting before and after a change, in kWh, €, kg CO2e and years.

    ``savings_eur`` = cost before − cost after (€ a year); ``investment_eur`` = new points × € per
    point; ``payback_years`` = investment ÷ savings (simple payback: no discounting, maintenance or
    price change), ``math.inf`` when the change saves nothing.
    """

    energy_before_kwh: float
    energy_after_kwh: float
    cost_before_eur: float
    cost_after_eur: float
    co2_before_kg: float
    co2_after_kg: float
    savings_eur: float
    investment_eur: float
    payback_years: float

    @property
    def energy_cut(self) -> float:
        """Share of the yearly energy saved, 0–1 (0.74 = 74 % less)."""
        if self.energy_before_kwh <= 0:
            return 0.0
        return 1 - self.energy_after_kwh / self.energy_before_kwh

    @property
    def verdict(self) -> str:
        """The result in one plain paragraph, with the numbers."""
        values = dict(
            after=_grouped(self.energy_after_kwh / 1000), before=_grouped(self.energy_before_kwh / 1000),
            cut=points(self.energy_cut * 100), investment=_grouped(self.investment_eur),
        )
        if self.savings_eur <= 0 or not math.isfinite(self.payback_years):
            return _(
                "The new lighting uses {after} MWh a year instead of {before} MWh ({cut} less) and saves nothing "
                "on the bill, so the investment of {investment} € never pays back.",
                **values,
            )
        co2 = (self.co2_before_kg - self.co2_after_kg) / 1000
        return _(
            "The new lighting uses {after} MWh a year instead of {before} MWh ({cut} less). It saves {savings} € "
            "and {co2} t of CO2e a year, so the investment of {investment} € pays back in {years} years "
            "(simple payback: no discounting, maintenance or price change).",
            savings=_grouped(self.savings_eur), co2=_grouped(co2, 1), years=decimal(self.payback_years), **values,
        )


def compare(assumptions: LightingAssumptions | None = None, profile_after=FULL) -> LightingResult:
    """Compare a year of the old lamps at full power with a year of the new lamps under ``profile_after``.

    ``profile_after`` is a :class:`Profile` for every night, a Series of Profiles indexed by every
    day of the year, or a schedule with a ``profiles_for(days)`` method. Cost = energy × tariff;
    CO2 = energy × emission factor; savings = cost before − cost after; payback = investment ÷
    savings (``math.inf`` when the savings are 0 or less).
    """
    if assumptions is None:
        assumptions = LightingAssumptions()
    if not isinstance(assumptions, LightingAssumptions):
        raise ValueError(_("assumptions is {value}: give LightingAssumptions(...).", value=repr(assumptions)))
    days = days_of_year(assumptions.year)
    before = float(energy_by_day(assumptions.old, FULL, days, assumptions.place).sum())
    after = float(energy_by_day(assumptions.new, profile_after, days, assumptions.place).sum())
    tariff = assumptions.tariff_eur_per_kwh
    factor = assumptions.emission_g_per_kwh / 1000
    savings = (before - after) * tariff
    investment = assumptions.new.points * assumptions.investment_eur_per_point
    payback = investment / savings if savings > 0 else math.inf
    return LightingResult(
        energy_before_kwh=before,
        energy_after_kwh=after,
        cost_before_eur=before * tariff,
        cost_after_eur=after * tariff,
        co2_before_kg=before * factor,
        co2_after_kg=after * factor,
        savings_eur=savings,
        investment_eur=investment,
        payback_years=payback,
    )
