"""Tests of earned value (modules/project_management/model/earned_value.py).

The worked case of the lesson is checked figure by figure against a computation by hand, then
the other situations (ahead, under budget, nothing spent yet, budget exhausted), properties with
hypothesis, and every validation error.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from modules.project_management import model
from modules.project_management.model import EarnedValue

# BAC 100 000 €, PV 50 000 €, EV 40 000 €, AC 50 000 €:
# CV = 40 000 − 50 000 = −10 000; SV = 40 000 − 50 000 = −10 000; CPI = 40 000 / 50 000 = 0.8;
# SPI = 40 000 / 50 000 = 0.8; EAC = 100 000 / 0.8 = 125 000; ETC = 125 000 − 50 000 = 75 000;
# VAC = 100 000 − 125 000 = −25 000; EAC one-off = 50 000 + (100 000 − 40 000) = 110 000;
# TCPI = (100 000 − 40 000) / (100 000 − 50 000) = 1.2; 40 % done.


@pytest.fixture
def worked() -> EarnedValue:
    return EarnedValue(bac=100_000, pv=50_000, ev=40_000, ac=50_000)


def test_are_the_indicators_of_the_worked_case_those_computed_by_hand(worked):
    assert worked.cv == -10_000
    assert worked.sv == -10_000
    assert worked.cpi == pytest.approx(0.8)
    assert worked.spi == pytest.approx(0.8)
    assert worked.eac == pytest.approx(125_000)
    assert worked.etc == pytest.approx(75_000)
    assert worked.vac == pytest.approx(-25_000)
    assert worked.eac_one_off == 110_000
    assert worked.tcpi == pytest.approx(1.2)
    assert worked.percent_complete == 0.4
    assert worked.percent_spent == 0.5 and worked.percent_planned == 0.5


def test_does_the_verdict_say_over_budget_late_and_the_forecast_in_plain_words(worked):
    verdict = worked.verdict()
    assert verdict.startswith("Over budget: the work done was budgeted at 40 000 € but cost 50 000 €")
    assert "CPI 0.80" in verdict and "CV −10 000 €" in verdict
    assert "Late: 40 000 € of work done against 50 000 € planned by now (SV −10 000 €, SPI 0.80)" in verdict
    assert "the project will cost 125 000 € in total, 25 000 € over its 100 000 € budget" in verdict
    assert "110 000 € if the overrun so far was a one-off" in verdict


def test_does_the_verdict_say_under_budget_and_ahead_when_it_is():
    ahead = EarnedValue(bac=200_000, pv=60_000, ev=80_000, ac=64_000)
    # CPI 80 000 / 64 000 = 1.25; SPI 80 000 / 60 000 = 1.33; EAC 200 000 / 1.25 = 160 000
    assert ahead.eac == pytest.approx(160_000)
    verdict = ahead.verdict()
    assert verdict.startswith("Under budget")
    assert "Ahead of schedule" in verdict and "SPI 1.33" in verdict
    assert "40 000 € under its 200 000 € budget" in verdict


def test_does_the_verdict_say_on_budget_and_on_schedule():
    verdict = EarnedValue(bac=100, pv=50, ev=50, ac=50).verdict()
    assert verdict.startswith("On budget") and "On schedule" in verdict and "exactly its budget" in verdict


def test_is_nothing_judged_before_money_is_spent_or_work_planned():
    start = EarnedValue(bac=100_000, pv=0, ev=0, ac=0)
    assert start.cpi is None and start.spi is None
    assert start.eac is None and start.etc is None and start.vac is None
    assert start.eac_one_off == 100_000
    assert start.tcpi == 1.0
    verdict = start.verdict()
    assert "nothing has been spent yet" in verdict and "no work was planned" in verdict
    assert "100 000 €" in verdict


def test_is_there_no_forecast_when_money_was_spent_for_no_work():
    stuck = EarnedValue(bac=100_000, pv=10_000, ev=0, ac=5_000)
    assert stuck.cpi == 0 and stuck.eac is None
    assert stuck.spi == 0


def test_is_tcpi_undefined_once_the_budget_is_spent():
    spent = EarnedValue(bac=100_000, pv=100_000, ev=90_000, ac=100_000)
    assert spent.tcpi is None
    assert EarnedValue(bac=100_000, pv=100_000, ev=90_000, ac=120_000).tcpi is None


def test_does_indicators_list_every_figure(worked):
    figures = worked.indicators()
    assert figures["eac"] == pytest.approx(125_000) and figures["tcpi"] == pytest.approx(1.2)
    assert set(figures) >= {"bac", "pv", "ev", "ac", "cv", "sv", "cpi", "spi", "eac", "etc", "vac", "tcpi"}


# --- Properties -------------------------------------------------------------------------------------

@st.composite
def positions(draw):
    """Earned-value positions in whole euros, as in real accounts."""
    bac = draw(st.integers(1, 10_000_000))
    return EarnedValue(
        bac=bac,
        pv=draw(st.integers(0, bac)),
        ev=draw(st.integers(0, bac)),
        ac=draw(st.integers(1, 10_000_000)),
    )


@given(positions())
def test_property_cpi_below_one_means_a_negative_cost_variance(ev_):
    assert (ev_.cpi < 1) == (ev_.cv < 0)
    if ev_.eac is not None:
        assert ev_.eac * ev_.cpi == pytest.approx(ev_.bac)
        assert ev_.etc + ev_.ac == pytest.approx(ev_.eac)
        assert ev_.vac == pytest.approx(ev_.bac - ev_.eac)


@given(st.floats(1, 1e7), st.floats(0.01, 1))
def test_property_spending_exactly_the_earned_value_forecasts_the_budget(bac, done):
    ev_ = EarnedValue(bac=bac, pv=bac, ev=done * bac, ac=done * bac)
    assert ev_.cpi == pytest.approx(1)
    assert ev_.eac == pytest.approx(bac)
    assert ev_.eac_one_off == pytest.approx(bac)


# --- Curves -----------------------------------------------------------------------------------------


def test_does_the_planned_curve_run_from_zero_to_the_budget_in_an_s():
    curve = model.planned_curve(100_000, 10)
    assert curve.iloc[0] == 0 and curve.iloc[-1] == pytest.approx(100_000)
    assert curve.iloc[5] == pytest.approx(50_000)  # 3 × 0.25 − 2 × 0.125 = 0.5
    steps = np.diff(curve.to_numpy())
    assert (steps > 0).all()
    assert steps[4] > steps[0] and steps[4] > steps[-1]  # faster in the middle


def test_does_the_earned_value_curve_compute_each_status_date():
    planned = pd.Series([0, 20_000, 50_000, 80_000, 100_000], index=[0, 1, 2, 3, 4])
    earned = pd.Series([0, 15_000, 40_000], index=[0, 1, 2])
    actual = pd.Series([0, 20_000, 50_000], index=[0, 1, 2])
    table = model.earned_value_curve(100_000, planned, earned, actual)
    assert list(table.columns) == ["pv", "ev", "ac", "cv", "sv", "cpi", "spi", "eac"]
    assert table.loc[2, "cpi"] == pytest.approx(0.8) and table.loc[2, "eac"] == pytest.approx(125_000)
    assert table.loc[1, "spi"] == pytest.approx(0.75)
    assert math.isnan(table.loc[0, "cpi"]) and math.isnan(table.loc[0, "spi"])
    assert table.loc[3:, "ev"].isna().all()  # not reported yet
    only_plan = model.earned_value_curve(100_000, planned)
    assert only_plan["ev"].isna().all()


# --- Validation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, message",
    [
        (dict(bac=0, pv=0, ev=0, ac=0), "bac .budget at completion. is 0: the budget at completion must be more than 0 €"),
        (dict(bac=-5, pv=0, ev=0, ac=0), "must be more than 0 €"),
        (dict(bac=100, pv=-1, ev=0, ac=0), r"pv \(planned value\) is -1: give an amount of 0 € or more"),
        (dict(bac=100, pv=0, ev=-1, ac=0), r"ev \(earned value\) is -1"),
        (dict(bac=100, pv=0, ev=0, ac=-1), r"ac \(actual cost\) is -1"),
        (dict(bac=100, pv=math.nan, ev=0, ac=0), "give an amount in euros .a finite number."),
        (dict(bac="100", pv=0, ev=0, ac=0), "give an amount in euros"),
        (dict(bac=1.5, pv=1.75, ev=0, ac=0), r"pv \(1.75 €\) is larger than bac \(1.50 €\)"),
        (dict(bac=100, pv=120, ev=0, ac=0), r"pv \(120 €\) is larger than bac \(100 €\): the plan cannot schedule more work"),
        (dict(bac=100, pv=50, ev=101, ac=0), r"ev \(101 €\) is larger than bac \(100 €\): earned value is the budgeted cost"),
    ],
)
def test_are_bad_amounts_refused_with_a_plain_message(values, message):
    with pytest.raises(ValueError, match=message):
        EarnedValue(**values)


def test_can_actual_cost_exceed_the_budget():
    assert EarnedValue(bac=100, pv=100, ev=80, ac=150).cpi == pytest.approx(80 / 150)


def test_are_bad_curves_refused():
    planned = pd.Series([0, 50, 100], index=[0, 1, 2])
    with pytest.raises(ValueError, match="planned must be a non-empty pandas Series"):
        model.earned_value_curve(100, [0, 50, 100])
    with pytest.raises(ValueError, match="ev decreases at some date: give cumulative amounts"):
        model.earned_value_curve(100, planned, pd.Series([0, 40, 30], index=[0, 1, 2]))
    with pytest.raises(ValueError, match="ac has dates that planned does not have"):
        model.earned_value_curve(100, planned, actual=pd.Series([0, 40], index=[0, 5]))
    with pytest.raises(ValueError, match="ac has negative amounts"):
        model.earned_value_curve(100, planned, actual=pd.Series([-1], index=[0]))
    with pytest.raises(ValueError, match="ev goes above bac"):
        model.earned_value_curve(100, planned, pd.Series([0, 150], index=[0, 1]))
    with pytest.raises(ValueError, match="ev must be a pandas Series"):
        model.earned_value_curve(100, planned, [0, 1])
    with pytest.raises(ValueError, match="periods is 0: give a whole number of periods"):
        model.planned_curve(100, 0)
