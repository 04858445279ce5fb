"""Tests of the street-lighting model (modules/smart_towns/model/lighting.py).

First hand-computed values (one night's full-power hours, a year's energy, cost, CO2 and payback),
then sunrise and sunset against two references written in this file: a scalar implementation of
the NOAA solar calculator equations (after Meeus, *Astronomical Algorithms*), which the model
vectorises, and the shorter NOAA "general solar position" approximation (a Fourier series of the
fractional year, a few minutes less precise), then properties that hold for any profile and night
(with hypothesis), then every validation error.
"""

from __future__ import annotations

import datetime as dt
import math
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.smart_towns import model
from modules.smart_towns.model import AVIGNON, DIMMED_NIGHT, FULL, SWITCH_OFF, Installation, Profile
from modules.smart_towns.model import lighting

YEAR = model.days_of_year(2021)


# --- One night by hand ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "dusk", "dawn", "expected"),
    [
        (FULL, 20.0, 6.0, 10.0),  # 20:00 → 06:00 = 10 h at full power
        (DIMMED_NIGHT, 20.0, 6.0, 4.4),  # 2 h full (20–22) + 8 h × 0.3 (22–06) = 2 + 2.4
        (DIMMED_NIGHT, 17.0, 8.0, 9.4),  # 5 h full (17–22) + 8 h × 0.3 + 2 h full (06–08) = 5 + 2.4 + 2
        (DIMMED_NIGHT, 23.0, 5.0, 1.8),  # the whole 6-hour night dimmed: 6 × 0.3
        (SWITCH_OFF, 20.0, 6.0, 5.0),  # 4 h full (20–24) + 5 h off (00–05) + 1 h full (05–06)
        (Profile(((22.0, 0.0, 0.5), (0.0, 6.0, 0.2))), 20.0, 6.0, 4.2),  # 2 + 2 × 0.5 + 6 × 0.2
        (Profile(((1.0, 3.0, 0.0),)), 21.0, 7.0, 8.0),  # 10-hour night, 2 hours off
        (Profile(((0.0, 24.0, 0.5),)), 20.0, 6.0, 5.0),  # half power all day: 10 × 0.5
    ],
)
def test_does_a_night_give_its_hand_computed_full_power_hours(profile, dusk, dawn, expected):
    assert profile.full_power_hours(dusk, dawn) == pytest.approx(expected)


def test_are_arrays_of_nights_computed_at_once():
    hours = DIMMED_NIGHT.full_power_hours(np.array([20.0, 17.0]), np.array([6.0, 8.0]))
    assert hours == pytest.approx([4.4, 9.4])


def test_does_a_profile_say_its_level_at_each_hour_and_describe_itself():
    assert DIMMED_NIGHT.level_at(23.0) == 0.3 and DIMMED_NIGHT.level_at(5.5) == 0.3
    assert DIMMED_NIGHT.level_at(21.0) == 1.0 and DIMMED_NIGHT.level_at(6.0) == 1.0
    assert DIMMED_NIGHT.description == "30 % from 22:00 to 06:00, full power otherwise"
    assert FULL.description == "full power all night"
    assert SWITCH_OFF.description == "off from 00:00 to 05:00, full power otherwise"


# --- Nights of Avignon --------------------------------------------------------------------------


def noaa_spreadsheet(date: dt.date, latitude: float, longitude: float, utc_offset: float) -> tuple[float, float]:
    """Sunrise and sunset (local clock hours) with the NOAA solar calculator equations (after Meeus).

    One date at a time, in plain Python: a check of the model's vectorised version, its Julian
    dates and its time-zone handling.
    """

    def sun(minutes_utc: float) -> tuple[float, float]:
        julian_day = date.toordinal() + 1721424.5 + minutes_utc / 1440
        t = (julian_day - 2451545) / 36525
        mean_long = (280.46646 + t * (36000.76983 + t * 0.0003032)) % 360
        anomaly = math.radians(357.52911 + t * (35999.05029 - 0.0001537 * t))
        ecc = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
        centre = (
            math.sin(anomaly) * (1.914602 - t * (0.004817 + 0.000014 * t))
            + math.sin(2 * anomaly) * (0.019993 - 0.000101 * t)
            + math.sin(3 * anomaly) * 0.000289
        )
        omega = math.radians(125.04 - 1934.136 * t)
        apparent = math.radians(mean_long + centre - 0.00569 - 0.00478 * math.sin(omega))
        obliquity = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60
        obliquity = math.radians(obliquity + 0.00256 * math.cos(omega))
        declination = math.asin(math.sin(obliquity) * math.sin(apparent))
        y = math.tan(obliquity / 2) ** 2
        l0 = math.radians(mean_long)
        eqtime = 4 * math.degrees(
            y * math.sin(2 * l0)
            - 2 * ecc * math.sin(anomaly)
            + 4 * ecc * y * math.sin(anomaly) * math.cos(2 * l0)
            - 0.5 * y * y * math.sin(4 * l0)
            - 1.25 * ecc * ecc * math.sin(2 * anomaly)
        )
        phi = math.radians(latitude)
        cos_ha = math.cos(math.radians(90.833)) / (math.cos(phi) * math.cos(declination)) - math.tan(phi) * math.tan(
            declination
        )
        return eqtime, math.degrees(math.acos(cos_ha))

    events = []
    for sign in (-1, 1):
        minutes = 720 - 4 * longitude
        for _ in range(3):
            eqtime, hour_angle = sun(minutes)
            minutes = 720 - 4 * longitude - eqtime + sign * 4 * hour_angle
        events.append(minutes / 60 + utc_offset)
    return events[0], events[1]


def noaa_approximation(date: dt.date, latitude: float, longitude: float, utc_offset: float) -> tuple[float, float]:
    """Sunrise and sunset (local clock hours) with NOAA's shorter "general solar position" equations
    (declination and equation of time as Fourier series of the fractional year, taken at noon)."""
    year_days = 366 if date.year % 4 == 0 else 365
    gamma = 2 * math.pi / year_days * (date.timetuple().tm_yday - 1)
    eqtime = 229.18 * (
        0.000075
        + 0.001868 * math.cos(gamma)
        - 0.032077 * math.sin(gamma)
        - 0.014615 * math.cos(2 * gamma)
        - 0.040849 * math.sin(2 * gamma)
    )
    decl = (
        0.006918
        - 0.399912 * math.cos(gamma)
        + 0.070257 * math.sin(gamma)
        - 0.006758 * math.cos(2 * gamma)
        + 0.000907 * math.sin(2 * gamma)
        - 0.002697 * math.cos(3 * gamma)
        + 0.00148 * math.sin(3 * gamma)
    )
    phi = math.radians(latitude)
    hour_angle = math.degrees(
        math.acos(math.cos(math.radians(90.833)) / (math.cos(phi) * math.cos(decl)) - math.tan(phi) * math.tan(decl))
    )
    sunrise = 720 - 4 * (longitude + hour_angle) - eqtime
    sunset = 720 - 4 * (longitude - hour_angle) - eqtime
    return sunrise / 60 + utc_offset, sunset / 60 + utc_offset


@pytest.mark.parametrize(
    ("day", "offset_dusk", "offset_dawn"),
    [
        ("2021-01-01", 1, 1),
        ("2021-03-20", 1, 1),
        ("2021-06-21", 2, 2),  # reference: sunset 21:27, sunrise next morning 05:58 (CEST)
        ("2021-09-22", 2, 2),
        ("2021-12-21", 1, 1),  # reference: sunset 17:06, sunrise next morning 08:12 (CET)
        ("2021-03-27", 1, 2),  # clocks go forward during this night
        ("2021-10-30", 2, 1),  # clocks go back during this night
    ],
)
def test_do_sunset_and_sunrise_match_the_noaa_equations(day, offset_dusk, offset_dawn):
    # Reference times computed with the NOAA solar calculator equations (above), for Avignon
    # (43.949° N, 4.806° E), in local clock time (CET = UTC+1, CEST = UTC+2): within 1 minute of the
    # scalar version, within 5 minutes of the shorter approximation.
    night = model.nights([day]).iloc[0]
    date = dt.date.fromisoformat(day)
    following = date + dt.timedelta(days=1)
    _, sunset = noaa_spreadsheet(date, AVIGNON.latitude, AVIGNON.longitude, offset_dusk)
    sunrise, _ = noaa_spreadsheet(following, AVIGNON.latitude, AVIGNON.longitude, offset_dawn)
    assert night["dusk"] == pytest.approx(sunset, abs=1 / 60)
    assert night["dawn"] == pytest.approx(sunrise, abs=1 / 60)
    _, rough_sunset = noaa_approximation(date, AVIGNON.latitude, AVIGNON.longitude, offset_dusk)
    rough_sunrise, _ = noaa_approximation(following, AVIGNON.latitude, AVIGNON.longitude, offset_dawn)
    assert night["dusk"] == pytest.approx(rough_sunset, abs=5 / 60)
    assert night["dawn"] == pytest.approx(rough_sunrise, abs=5 / 60)


def test_do_the_solstice_nights_have_the_expected_clock_times():
    # 21 June 2021: sunset ≈ 21:27 CEST, sunrise on the 22nd ≈ 05:58; 21 December: ≈ 17:05 and ≈ 08:12 CET
    table = model.nights(["2021-06-21", "2021-12-21"])
    june, december = table.iloc[0], table.iloc[1]
    assert june["dusk"] == pytest.approx(21 + 27 / 60, abs=3 / 60)
    assert june["dawn"] == pytest.approx(5 + 58 / 60, abs=3 / 60)
    assert december["dusk"] == pytest.approx(17 + 5 / 60, abs=3 / 60)
    assert december["dawn"] == pytest.approx(8 + 12 / 60, abs=3 / 60)


def test_do_avignons_nights_of_2021_add_up_to_about_4300_hours():
    table = model.nights(YEAR)
    assert list(table.columns) == ["dusk", "dawn", "hours"]
    assert table.index.equals(YEAR) and table.index.name == "day"
    assert table["hours"].sum() == pytest.approx(4300, abs=25)
    # shortest around the June solstice (8.5 h), longest around the December one (15.1 h)
    assert table["hours"].idxmin().month == 6 and table["hours"].min() == pytest.approx(8.52, abs=0.05)
    assert table["hours"].idxmax().month == 12 and table["hours"].max() == pytest.approx(15.11, abs=0.05)


def test_are_the_nights_the_clocks_change_one_hour_shorter_or_longer_than_their_clock_times():
    table = model.nights(["2021-03-27", "2021-10-30", "2021-01-15"])
    spring, autumn, winter = (table.iloc[i] for i in range(3))
    # spring: from dusk (CET) to dawn (CEST) the clock shows one hour more than really passes
    assert spring["hours"] == pytest.approx(spring["dawn"] + 24 - spring["dusk"] - 1)
    assert autumn["hours"] == pytest.approx(autumn["dawn"] + 24 - autumn["dusk"] + 1)
    assert winter["hours"] == pytest.approx(winter["dawn"] + 24 - winter["dusk"])


def test_are_the_skipped_and_repeated_clock_hours_dimmed_only_when_they_happen():
    unit = Installation(1, 1000.0)  # 1 kW, so kWh = full-power hours
    energy = model.energy_by_day(unit, DIMMED_NIGHT, ["2021-03-27", "2021-10-30"])
    table = model.nights(["2021-03-27", "2021-10-30"])
    spring, autumn = table.iloc[0], table.iloc[1]
    # spring: full from dusk to 22:00, dimmed 22:00–06:00 but 02:00–03:00 never happens (7 h), full 06:00 to dawn
    assert energy.iloc[0] == pytest.approx((22 - spring["dusk"]) + 7 * 0.3 + (spring["dawn"] - 6))
    # autumn: 02:00–03:00 happens twice, so 9 dimmed hours
    assert energy.iloc[1] == pytest.approx((22 - autumn["dusk"]) + 9 * 0.3 + (autumn["dawn"] - 6))
    assert model.energy_by_day(unit, FULL, table.index).to_numpy() == pytest.approx(table["hours"].to_numpy())


def test_is_a_year_of_nights_computed_in_milliseconds():
    lighting._nights_cached.cache_clear()
    start = time.perf_counter()
    model.nights(model.days_of_year(2022))
    model.compare(model.LightingAssumptions(year=2022), DIMMED_NIGHT)
    assert time.perf_counter() - start < 0.1


# --- A year of energy, cost, CO2 and payback by hand -------------------------------------------------


def test_do_1400_points_of_150_w_use_about_903_mwh_a_year():
    # 1,400 × 150 W = 210 kW; × ≈ 4,300 hours of night ≈ 903,000 kWh = 903 MWh
    hours = model.nights(YEAR)["hours"].sum()
    energy = model.energy_by_day(Installation(1400, 150.0), FULL, YEAR)
    assert energy.name == "energy (kWh)" and energy.index.equals(YEAR)
    assert energy.sum() == pytest.approx(210 * hours)
    assert round(energy.sum() / 1000) == 903
    # per inhabitant, for a town of about 10,000 people: ≈ 90 kWh, the order of ADEME's 85 kWh (2012)
    assert 80 < energy.sum() / 10_000 < 95


def test_does_the_default_led_retrofit_give_the_hand_computed_result():
    hours = model.nights(YEAR)["hours"].sum()
    result = model.compare(model.LightingAssumptions(), FULL)
    before, after = 210 * hours, 77 * hours  # 1,400 × 150 W = 210 kW; 1,400 × 55 W = 77 kW
    assert result.energy_before_kwh == pytest.approx(before)
    assert result.energy_after_kwh == pytest.approx(after)
    assert result.energy_cut == pytest.approx(1 - 55 / 150)  # 63.3 %
    assert result.cost_before_eur == pytest.approx(before * 0.20)
    assert result.cost_after_eur == pytest.approx(after * 0.20)
    assert result.co2_before_kg == pytest.approx(before * 0.032)  # 32 g/kWh = 0.032 kg/kWh
    assert result.co2_after_kg == pytest.approx(after * 0.032)
    assert result.savings_eur == pytest.approx((before - after) * 0.20)
    assert result.investment_eur == 1400 * 700  # 980,000 €
    assert result.payback_years == pytest.approx(980_000 / ((before - after) * 0.20))  # ≈ 8.6 years
    assert result.verdict.startswith("The new lighting uses 331 MWh a year instead of 903 MWh (63 % less).")
    assert "pays back in 8.6 years" in result.verdict


def test_does_dimming_the_leds_shorten_the_payback():
    plain = model.compare(profile_after=FULL)
    dimmed = model.compare(profile_after=DIMMED_NIGHT)
    assert dimmed.energy_before_kwh == pytest.approx(plain.energy_before_kwh)
    assert dimmed.energy_after_kwh < plain.energy_after_kwh
    assert dimmed.payback_years < plain.payback_years
    # every night: full from dusk to 22:00 and from 06:00 to dawn, 30 % in between (clock changes included)
    unit = model.energy_by_day(Installation(1, 1000.0), DIMMED_NIGHT, YEAR).sum()
    assert dimmed.energy_after_kwh == pytest.approx(77 * unit)


def test_does_a_change_that_saves_nothing_never_pay_back():
    same = model.LightingAssumptions(new=Installation(1400, 150.0))
    result = model.compare(same, FULL)
    assert result.savings_eur == pytest.approx(0) and result.payback_years == math.inf
    assert "never pays back" in result.verdict


def test_does_a_series_of_profiles_by_day_give_each_night_its_own_profile():
    days = pd.date_range("2021-01-04", periods=3, name="day")
    profiles = pd.Series([FULL, DIMMED_NIGHT, FULL], index=days)
    unit = Installation(1, 1000.0)
    mixed = model.energy_by_day(unit, profiles)
    assert mixed.iloc[0] == pytest.approx(model.energy_by_day(unit, FULL, days).iloc[0])
    assert mixed.iloc[1] == pytest.approx(model.energy_by_day(unit, DIMMED_NIGHT, days).iloc[1])


# --- Properties (hypothesis) -----------------------------------------------------------------------


@st.composite
def profiles(draw):
    """Any valid profile: up to 4 non-overlapping steps, possibly wrapping midnight, levels 0–1."""
    count = draw(st.integers(0, 4))
    cuts = sorted(draw(st.lists(st.floats(0, 24, allow_nan=False), min_size=2 * count, max_size=2 * count, unique=True)))
    shift = draw(st.floats(0, 24, allow_nan=False))
    steps = []
    for i in range(count):
        start, end = (cuts[2 * i] + shift) % 24, (cuts[2 * i + 1] + shift) % 24
        if start != end:
            steps.append((start, end, draw(st.floats(0, 1, allow_nan=False))))
    return Profile(tuple(steps))


hours_of_clock = st.floats(0, 24, allow_nan=False, exclude_max=True)


@settings(max_examples=200, deadline=None)
@given(profiles(), hours_of_clock, hours_of_clock)
def test_does_dimming_never_raise_the_energy_of_a_night(profile, dusk, dawn):
    night = FULL.full_power_hours(dusk, dawn)
    assert night == pytest.approx((dawn - dusk) % 24)
    used = profile.full_power_hours(dusk, dawn)
    assert -1e-9 <= used <= night + 1e-9


@settings(max_examples=40, deadline=None)
@given(profiles(), st.floats(0, 1))
def test_does_dimming_never_raise_a_years_energy(profile, factor):
    unit = Installation(1, 1000.0)
    full = model.energy_by_day(unit, FULL, YEAR)
    used = model.energy_by_day(unit, profile, YEAR)
    assert (used <= full + 1e-9).all() and (used >= -1e-9).all()
    # lowering every level further never raises the energy either
    lower = Profile(tuple((start, end, level * factor) for start, end, level in profile.steps))
    assert (model.energy_by_day(unit, lower, YEAR) <= used + 1e-9).all()


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 50_000), st.floats(1, 500), st.integers(2, 5), st.floats(1.1, 4))
def test_does_energy_scale_linearly_with_points_and_watts(points, watts, times, factor):
    days = YEAR[:20]
    base = model.energy_by_day(Installation(points, watts), DIMMED_NIGHT, days)
    more_points = model.energy_by_day(Installation(points * times, watts), DIMMED_NIGHT, days)
    more_watts = model.energy_by_day(Installation(points, watts * factor), DIMMED_NIGHT, days)
    assert more_points.to_numpy() == pytest.approx(times * base.to_numpy())
    assert more_watts.to_numpy() == pytest.approx(factor * base.to_numpy())


# --- Errors --------------------------------------------------------------------------------------


def test_is_a_negative_power_refused_in_plain_words():
    with pytest.raises(ValueError, match=r"^Power per light point must be positive \(got -50 W\)\.$"):
        Installation(1400, -50)
    with pytest.raises(ValueError, match=r"Power per light point must be positive \(got 0 W\)"):
        Installation(1400, 0)


@pytest.mark.parametrize("points", [0, -3, 2.5, True])
def test_is_a_number_of_points_that_is_not_a_whole_number_above_0_refused(points):
    with pytest.raises(ValueError, match=r"The number of light points must be a whole number above 0 \(got "):
        Installation(points, 55.0)


@pytest.mark.parametrize("level", [1.5, -0.1, math.nan])
def test_is_a_level_outside_0_to_1_refused(level):
    with pytest.raises(ValueError, match=r"The level of step 1 is .*: give a share of full power between 0 \(off\) and 1"):
        Profile(((22.0, 6.0, level),))


@pytest.mark.parametrize(("start", "end"), [(25.0, 6.0), (22.0, -1.0), ("22", 6.0)])
def test_are_hours_outside_the_clock_refused(start, end):
    with pytest.raises(ValueError, match=r"hour of step 1 is .*: give a clock hour between 0 and 24"):
        Profile(((start, end, 0.3),))


def test_are_overlapping_steps_refused():
    with pytest.raises(ValueError, match=r"Step 1 \(22:00–06:00\) and step 2 \(05:00–07:00\) overlap"):
        Profile(((22.0, 6.0, 0.3), (5.0, 7.0, 0.0)))
    with pytest.raises(ValueError, match="overlap"):
        Profile(((0.0, 24.0, 0.5), (1.0, 2.0, 0.0)))
    Profile(((22.0, 0.0, 0.5), (0.0, 6.0, 0.2)))  # touching steps are fine


def test_are_badly_shaped_or_empty_steps_refused():
    with pytest.raises(ValueError, match=r"Step 1 is \(22, 6\): give \(start hour, end hour, level\)"):
        Profile(((22, 6),))
    with pytest.raises(ValueError, match="Step 1 starts and ends at 22:00"):
        Profile(((22.0, 22.0, 0.3),))


def test_are_night_hours_outside_the_clock_refused():
    with pytest.raises(ValueError, match="The dusk is 25: give clock hours between 0 and 24"):
        DIMMED_NIGHT.full_power_hours(25, 6)


def test_are_a_bad_place_and_a_bad_year_refused():
    with pytest.raises(ValueError, match="The time zone of 'Nowhere' is 'Mars/Olympus', which is not known"):
        model.Place("Nowhere", 10.0, 10.0, "Mars/Olympus")
    with pytest.raises(ValueError, match="The latitude of 'Nowhere' is 95"):
        model.Place("Nowhere", 95, 10.0, "UTC")
    with pytest.raises(ValueError, match="The year is 1800: give a whole year between 1900 and 2100"):
        model.days_of_year(1800)
    with pytest.raises(ValueError, match="the sun does not rise and set"):
        model.nights(["2021-06-21"], model.Place("Tromsø", 69.65, 18.96, "Europe/Oslo"))


def test_are_missing_days_in_a_series_of_profiles_refused():
    profiles = pd.Series([FULL], index=pd.DatetimeIndex(["2021-01-04"]))
    with pytest.raises(ValueError, match=r"give no profile for 1 day\(s\), the first on 2021-01-05"):
        model.energy_by_day(Installation(1, 1.0), profiles, ["2021-01-04", "2021-01-05"])
    with pytest.raises(ValueError, match="Give the days the profile applies to"):
        model.energy_by_day(Installation(1, 1.0), FULL)
