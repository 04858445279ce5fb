"""Tests of the pure model of module 1 (modules/budgeting/model/).

Every formula is checked against a value computed by hand from the published Lanester 2019 files
(the computation is written next to the assertion), then against properties that must hold for any
input (with hypothesis), and the validation errors are checked to tell the user what to do.
The participatory-budgeting part of the model is tested in test_participatory.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modules.budgeting import model


@pytest.fixture(scope="module")
def lanester():
    return model.lanester_2019()


def toy_budget(**changes) -> model.Budget:
    """A small balanced budget (€) to test one rule at a time."""
    values = dict(
        tax_revenue=700.0, grants=200.0, other_operating_revenue=100.0,
        staff_costs=500.0, other_operating_expenses=300.0, interest=50.0,
        capital_repaid=100.0, outstanding_debt=1000.0,
        investment_spending=300.0, investment_revenue=60.0, new_borrowing=190.0,
    )
    values.update(changes)
    return model.Budget(**values)


# --- The Lanester 2019 budget, checked line by line --------------------------------------------


def test_does_the_loader_map_every_published_line():
    lines = model.lanester_2019_lines()
    assert len(lines) == 20  # 5 + 7 lines in operating, 5 + 3 in investment
    assert set(lines.loc[lines["flow"] == "ordre", "label"]) == {"Autofinancement", "Recettes d'ordre", "Dépenses d'ordre"}


def test_do_both_sides_of_each_section_add_up_to_the_published_totals():
    lines = model.lanester_2019_lines()
    totals = lines.groupby(["section", "side"])["amount"].sum()
    # budget.csv: Fonctionnement 28,357,095 and Investissement 11,561,723, on each side
    assert totals["operating", "revenue"] == totals["operating", "expense"] == 28_357_095
    assert totals["investment", "revenue"] == totals["investment", "expense"] == 11_561_723


def test_are_real_operating_revenue_and_expenses_those_computed_by_hand(lanester):
    # revenue: 18,688,828 + 6,640,617 + 1,825,950 + 1,097,900 = 28,253,295 (the 103,800 of ordre left out)
    assert lanester.operating_revenue == 28_253_295
    # expenses: 14,019,027 + 5,132,214 + 2,938,131 + 229,000 + 1,660,000 (interest) = 23,978,372
    assert lanester.operating_expenses == 23_978_372
    assert lanester.interest == 1_660_000


def test_are_lanester_gross_savings_equal_to_its_published_autofinancement(lanester):
    # 28,253,295 − 23,978,372 = 4,274,923, the "Autofinancement" line of dep_fonct.csv
    assert model.gross_savings(lanester) == 4_274_923


def test_are_net_savings_gross_savings_minus_capital_repaid(lanester):
    # 4,274,923 − 3,308,000 (Capital des emprunts) = 966,923
    assert model.net_savings(lanester) == 966_923


def test_does_the_lanester_budget_balance_in_real_flows(lanester):
    # needs: 4,699,923 (works) + 3,308,000 (capital) = 8,007,923
    # resources: 4,274,923 (savings) + 235,000 + 1,570,000 (own revenue) + 1,928,000 (loan) = 8,007,923
    assert model.financing_gap(lanester) == 0


def test_is_the_estimated_debt_capital_repaid_times_the_assumed_remaining_life(lanester):
    # 3,308,000 × 12 years = 39,696,000 on 1 January; 39,696,000 − 3,308,000 + 1,928,000 = 38,316,000 on 31 December
    assert lanester.outstanding_debt == 39_696_000
    assert lanester.year_end_debt == 38_316_000


def test_is_the_debt_capacity_debt_divided_by_gross_savings(lanester):
    # 38,316,000 / 4,274,923 = 8.963 years
    assert model.debt_capacity_years(lanester) == pytest.approx(8.963, abs=0.001)


def test_does_a_known_debt_replace_the_estimate():
    budget = model.lanester_2019(outstanding_debt=50_000_000)
    # (50,000,000 − 3,308,000 + 1,928,000) / 4,274,923 = 48,620,000 / 4,274,923 = 11.373 years
    assert model.debt_capacity_years(budget) == pytest.approx(11.373, abs=0.001)


def test_does_lanester_respect_the_golden_rule(lanester):
    # 4,274,923 + 1,805,000 = 6,079,923 ≥ 3,308,000 repaid, and gross savings > 0
    assert model.is_golden_rule_respected(lanester)


def test_did_the_dgf_fall_by_a_fifth_from_2014_to_2019():
    dgf = model.lanester_dgf()
    assert list(dgf.index) == [2014, 2015, 2016, 2017, 2018, 2019]
    # 4,612,000 − 5,828,872 = −1,216,872, i.e. −20.9 %
    assert dgf[2019] - dgf[2014] == -1_216_872
    assert dgf[2019] / dgf[2014] - 1 == pytest.approx(-0.2088, abs=0.0001)


def test_does_the_capital_programme_read_despite_the_ragged_rows():
    programme = model.lanester_capital_programme()
    assert programme.shape == (14, 6)
    assert list(programme.columns) == [2014, 2015, 2016, 2017, 2018, 2019]
    # 877,000 + 308,650 + 522,200 + 779,400 + 9,500 + 115,678 + 24,888 + 254,400 + 150,000 + 60,000
    # + 175,400 + 54,000 + 348,000 + 1,020,807 = 4,699,923, exactly the "Travaux et équipements" line
    assert programme[2019].sum() == 4_699_923
    assert programme.loc["Voirie", 2015] == 1_553_000


# --- Indicators and thresholds -----------------------------------------------------------------


def test_is_the_debt_capacity_meaningless_without_savings():
    no_savings = toy_budget(staff_costs=650.0)  # 1000 − (650 + 300 + 50) = 0
    assert model.gross_savings(no_savings) == 0
    assert model.debt_capacity_years(no_savings) is None
    assert model.capacity_ratio(1000.0, -5.0) is None
    assert model.alert_level(None) == "meaningless"
    assert model.alert_level(math.nan) == "meaningless"


@pytest.mark.parametrize(
    ("years", "level"),
    [(5.0, "comfortable"), (9.99, "comfortable"), (10.0, "vigilance"), (12.0, "vigilance"), (12.5, "worrying"), (15.0, "red"), (30.0, "red")],
)
def test_which_alert_level_goes_with_each_debt_capacity(years, level):
    assert model.alert_level(years) == level


def test_is_the_reference_ceiling_twelve_years():
    assert model.REFERENCE_CEILING_YEARS == 12


def test_golden_rule_forbids_borrowing_for_operations():
    # operating revenue 1000 < expenses 750 + 300 + 50 = 1100: a loan would pay the operating deficit
    deficit = toy_budget(staff_costs=750.0, new_borrowing=440.0)
    assert model.financing_gap(deficit) == 0  # 300 + 100 = −100 + 60 + 440: balanced, but only thanks to the loan
    assert model.gross_savings(deficit) == -100
    assert not model.is_golden_rule_respected(deficit)


def test_golden_rule_forbids_borrowing_to_repay_old_debt():
    # savings 150 + own revenue 60 = 210 < 300 of capital repaid: a new loan repays an old one
    budget = toy_budget(capital_repaid=300.0, new_borrowing=390.0)
    assert model.gross_savings(budget) == 150
    assert not model.is_golden_rule_respected(budget)


def test_golden_rule_allows_borrowing_for_investment():
    assert model.is_golden_rule_respected(toy_budget())
    assert model.financing_gap(toy_budget()) == 0  # 300 + 100 = 150 + 60 + 190


# --- Loans ------------------------------------------------------------------------------------


def test_is_the_annuity_the_textbook_formula():
    # 1,000,000 × 0.03 / (1 − 1.03^−15) = 30,000 / (1 − 0.641862) = 83,766.58 €
    assert model.annuity(1_000_000, 0.03, 15) == pytest.approx(83_766.58, abs=0.01)


def test_is_a_zero_rate_loan_repaid_in_equal_parts():
    assert model.annuity(1_200_000, 0.0, 12) == 100_000


def test_does_the_schedule_repay_the_whole_principal_with_constant_payments():
    schedule = model.debt_schedule(1_000_000, 0.03, 15, first_year=2020)
    assert list(schedule.index) == list(range(2020, 2035))
    assert schedule["capital"].sum() == pytest.approx(1_000_000)
    assert schedule["closing_debt"].iloc[-1] == pytest.approx(0, abs=1e-6)
    assert np.allclose(schedule["annuity"], 83_766.58, atol=0.01)
    # first year: interest 3 % × 1,000,000 = 30,000; capital 83,766.58 − 30,000 = 53,766.58
    assert schedule.loc[2020, "interest"] == pytest.approx(30_000)
    assert schedule.loc[2020, "capital"] == pytest.approx(53_766.58, abs=0.01)
    assert schedule["interest"].is_monotonic_decreasing


# --- Projection -------------------------------------------------------------------------------


def test_does_the_projection_start_from_the_real_budget(lanester):
    frame = model.project_budget(lanester, model.Policy(), 10)
    assert list(frame.index) == list(range(2019, 2030))
    first = frame.loc[2019]
    assert first["gross_savings"] == 4_274_923
    assert first["net_savings"] == 966_923
    assert first["new_borrowing"] == 1_928_000
    assert first["debt"] == 38_316_000
    assert set(model.PROJECTION_COLUMNS) == set(frame.columns)


def test_is_the_first_projected_year_computed_as_by_hand(lanester):
    policy = model.Policy(staff_cost_growth=0.0, investment=4_699_923.0, borrowing_rate=0.03, loan_duration=15)
    year = model.project_budget(lanester, policy, 1).loc[2020]
    # old debt: 38,316,000 − 1,928,000 = 36,388,000 left, at 1,660,000 / 39,696,000 = 4.1818 %
    old_interest = 36_388_000 * 1_660_000 / 39_696_000  # 1,521,681 €
    # the 2019 loan of 1,928,000 at 3 % over 15 years: annuity 161,502 €, of which 57,840 interest
    new_annuity = model.annuity(1_928_000, 0.03, 15)
    assert year["interest"] == pytest.approx(old_interest + 0.03 * 1_928_000)
    assert year["capital_repaid"] == pytest.approx(3_308_000 + new_annuity - 0.03 * 1_928_000)
    # nothing else moves, so savings rise by the interest saved on the old debt
    assert year["gross_savings"] == pytest.approx(28_253_295 - (14_019_027 + 8_299_345) - year["interest"])
    # investment revenue stays at 1,805,000 / 4,699,923 of capital spending
    assert year["investment_revenue"] == pytest.approx(1_805_000)
    assert year["new_borrowing"] == pytest.approx(4_699_923 + year["capital_repaid"] - year["gross_savings"] - 1_805_000)


def test_do_staff_costs_growing_faster_than_revenue_erode_savings(lanester):
    frame = model.project_budget(lanester, model.Policy(staff_cost_growth=0.02), 10)
    assert frame["gross_savings"].is_monotonic_decreasing
    assert frame["debt_capacity_years"].iloc[-1] > frame["debt_capacity_years"].iloc[0]


def test_is_the_debt_capacity_missing_when_savings_turn_negative(lanester):
    frame = model.project_budget(lanester, model.Policy(staff_cost_growth=0.05, grant_trend=-0.05), 10)
    negative = frame["gross_savings"] <= 0
    assert negative.any()
    assert frame.loc[negative, "debt_capacity_years"].isna().all()
    assert not frame.loc[negative, "golden_rule_respected"].any()


def test_does_investing_nothing_pay_the_debt_down(lanester):
    frame = model.project_budget(lanester, model.Policy(investment=0.0, staff_cost_growth=0.0), 10)
    assert (frame["new_borrowing"].iloc[1:] == 0).all()
    assert frame["debt"].is_monotonic_decreasing


policies = st.builds(
    model.Policy,
    tax_rate_change=st.floats(-0.05, 0.05),
    staff_cost_growth=st.floats(-0.02, 0.06),
    grant_trend=st.floats(-0.1, 0.05),
    investment=st.floats(0, 12e6),
    borrowing_rate=st.floats(0, 0.08),
    loan_duration=st.integers(1, 30),
)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(policy=policies, rise=st.floats(0.0001, 0.05), years=st.integers(1, 15))
def test_raising_the_tax_rate_never_lowers_savings(lanester, policy, rise, years):
    from dataclasses import replace

    base = model.project_budget(lanester, policy, years)
    higher = model.project_budget(lanester, replace(policy, tax_rate_change=policy.tax_rate_change + rise), years)
    assert (higher["gross_savings"] >= base["gross_savings"] - 1e-6).all()
    assert (higher["net_savings"] >= base["net_savings"] - 1e-6).all()
    assert (higher["debt"] <= base["debt"] + 1e-6).all()


# --- Validation -------------------------------------------------------------------------------


def test_does_the_model_import_no_widget_or_plotting_library():
    import subprocess
    import sys

    code = (
        "import sys, modules.budgeting.model; "
        "print(sorted(name for name in ('ipywidgets', 'matplotlib') if name in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_is_a_negative_amount_refused_with_advice():
    with pytest.raises(ValueError, match="negative amount"):
        toy_budget(staff_costs=-1.0)


def test_is_interest_without_debt_refused():
    with pytest.raises(ValueError, match="encours"):
        toy_budget(outstanding_debt=0.0, capital_repaid=0.0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"borrowing_rate": 1.5}, "borrowing_rate"), ({"loan_duration": 0}, "loan_duration"), ({"staff_cost_growth": 2.0}, "fraction"), ({"investment": -1.0}, "negative")],
)
def test_is_an_impossible_policy_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        model.Policy(**changes)


def test_is_a_wrong_projection_length_refused(lanester):
    with pytest.raises(ValueError, match="whole number of years"):
        model.project_budget(lanester, model.Policy(), 0)


def test_is_a_loan_without_duration_refused():
    with pytest.raises(ValueError, match="duration"):
        model.annuity(1000, 0.02, 0)
