"""The levers of a multi-year projection: tax base and rates, other spending and revenue, and the policy check.

What a finance officer relies on: rates move only the taxes a council votes, equal growth keeps a
debt-free budget's proportions, a faster-growing tax base never lowers savings, the golden rule
has one statement everywhere, and the check of a policy names each constraint and year it fails.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.budgeting import model

LANESTER = model.lanester_2019()

growth = st.floats(min_value=-0.03, max_value=0.05, allow_nan=False)


def debt_free_budget() -> model.Budget:
    """A commune with no debt: 10 M€ of revenue (6 M€ of it taxes, 5 M€ voted), 9 M€ of expenses."""
    return model.Budget(
        tax_revenue=6_000_000, grants=3_000_000, other_operating_revenue=1_000_000, staff_costs=5_000_000,
        other_operating_expenses=4_000_000, interest=0, capital_repaid=0, outstanding_debt=0,
        investment_spending=0, investment_revenue=0, new_borrowing=0, year=2024, direct_taxes=5_000_000,
    )


@settings(max_examples=60, deadline=None)
@given(rate=growth)
def test_with_equal_growth_and_no_investment_the_ratios_stay_flat(rate):
    policy = model.Policy(
        tax_rate_change=0.0, tax_base_growth=rate, staff_cost_growth=rate, other_spending_growth=rate,
        other_revenue_growth=rate, grant_trend=rate, investment=0.0,
    )
    frame = model.project_budget(debt_free_budget(), policy, years=10)
    share = frame["gross_savings"] / frame["operating_revenue"]
    assert share.max() - share.min() < 1e-12
    assert share.iloc[0] == pytest.approx(0.1)
    assert (frame["debt"] == 0).all() and (frame["new_borrowing"] == 0).all()
    # each line grew by (1 + rate) a year: the last year's revenue is the first one's × (1 + rate)^10
    assert frame["operating_revenue"].iloc[-1] == pytest.approx(10_000_000 * (1 + rate) ** 10)


@settings(max_examples=60, deadline=None)
@given(slow=growth, extra=st.floats(min_value=0.0, max_value=0.04), staff=growth, grants=growth,
       investment=st.floats(min_value=0, max_value=9_000_000))
def test_a_faster_growing_tax_base_never_lowers_savings(slow, extra, staff, grants, investment):
    base = model.Policy(tax_base_growth=slow, staff_cost_growth=staff, grant_trend=grants, investment=investment)
    faster = replace(base, tax_base_growth=min(slow + extra, 0.5))
    low = model.project_budget(LANESTER, base, years=10)
    high = model.project_budget(LANESTER, faster, years=10)
    assert (high["gross_savings"] >= low["gross_savings"] - 1e-6).all()
    assert (high["net_savings"] >= low["net_savings"] - 1e-6).all()
    assert (high["debt"] <= low["debt"] + 1e-6).all()


def test_the_tax_rate_moves_only_the_direct_taxes_the_council_votes():
    raised = model.project_budget(LANESTER, model.Policy(tax_rate_change=0.01, staff_cost_growth=0.0), years=1)
    flat = model.project_budget(LANESTER, model.Policy(tax_rate_change=0.0, staff_cost_growth=0.0), years=1)
    gain = raised["operating_revenue"].iloc[1] - flat["operating_revenue"].iloc[1]
    # 1 % of the 17,338,828 € of direct taxes, not of the 18,688,828 € of "Impôts et taxes"
    assert gain == pytest.approx(173_388.28)
    assert LANESTER.direct_taxes == 18_688_828 - 600_000 - 350_000 - 400_000


def test_the_tax_split_adds_up_to_the_published_line():
    split = model.lanester_2019_tax_split()
    assert split["amount"].sum() == pytest.approx(18_688_828)
    assert split.loc[split["moved_by_rates"], "amount"].sum() == pytest.approx(LANESTER.voted_taxes)
    assert split.loc[~split["moved_by_rates"], "amount"].sum() == pytest.approx(LANESTER.other_taxes) == 1_350_000


def test_other_revenue_and_other_spending_have_their_own_levers():
    start = debt_free_budget()
    frame = model.project_budget(start, model.Policy(staff_cost_growth=0, other_revenue_growth=0.1, investment=0), years=1)
    # other taxes (1 M€) and other operating revenue (1 M€) grow by 10 %: +200,000 €
    assert frame["operating_revenue"].iloc[1] - frame["operating_revenue"].iloc[0] == pytest.approx(200_000)
    frame = model.project_budget(start, model.Policy(staff_cost_growth=0, other_spending_growth=0.1, investment=0), years=1)
    assert frame["operating_expenses"].iloc[1] - frame["operating_expenses"].iloc[0] == pytest.approx(400_000)


def test_lanesters_trends_come_from_its_2019_file():
    trends = model.LANESTER_TRENDS
    assert trends.tax_base_growth == 0.0221 and trends.tax_rate_change == 0
    assert trends.staff_cost_growth == 0.0149
    # general costs 5,132,214 € (+6.53 %) and grants paid 2,938,131 € (−6.90 %): by hand, 2018 was
    # 4,817,624 + 3,155,887 = 7,973,511 €, and 2019 is 8,070,345 €: +1.21 %
    assert model.lanester_2019_other_spending_change() == pytest.approx(8_070_345 / 7_973_511 - 1, rel=1e-4)
    assert trends.other_spending_growth == pytest.approx(model.lanester_2019_other_spending_change(), abs=0.0005)
    dgf = model.lanester_dgf()
    assert abs(dgf[2019] / dgf[2017] - 1) < 0.015 and trends.grant_trend == 0


@pytest.mark.parametrize(
    ("gross", "capital", "own", "respected"),
    [
        (1_000_000, 900_000, 0, True),
        (0, 0, 0, True),  # the limits count as respected
        (500_000, 900_000, 400_000, True),  # negative net savings, covered by own revenue: a warning, not a breach
        (500_000, 900_000, 399_999, False),  # condition 2 fails
        (-50_000, 0, 100_000, False),  # condition 1 fails on its own
    ],
)
def test_the_golden_rule_has_two_conditions(gross, capital, own, respected):
    assert model.golden_rule_holds(gross, capital, own) is respected


def test_negative_net_savings_alone_do_not_break_the_golden_rule_in_a_projection():
    frame = model.project_budget(LANESTER, model.Policy(staff_cost_growth=0.015), years=10)
    warning_only = frame[(frame["net_savings"] < 0) & frame["golden_rule_respected"]]
    assert len(warning_only) >= 3, "Lanester with a flat tax base: net savings negative from 2023, rule broken from 2028"
    broken = frame[~frame["golden_rule_respected"]]
    for _, row in broken.iterrows():
        assert row["gross_savings"] < 0 or row["gross_savings"] + row["investment_revenue"] < row["capital_repaid"]


def test_check_policy_accepts_lanesters_trends_and_names_each_breach():
    assert model.check_policy(LANESTER, model.LANESTER_TRENDS, until=2030) == []
    breaches = model.check_policy(LANESTER, model.Policy(staff_cost_growth=0.015), until=2030)
    frame = model.project_budget(LANESTER, model.Policy(staff_cost_growth=0.015), years=11)
    assert breaches[0].year == frame.index[~frame["golden_rule_respected"]][0]
    assert {breach.constraint for breach in breaches} <= set(model.CONSTRAINTS)
    above = frame[(frame["debt_capacity_years"] > 12)].index
    assert [b.year for b in breaches if b.constraint == "debt capacity"] == list(above)
    for breach in breaches:
        assert str(breach.year) in breach.message


def test_check_policy_reports_vanished_savings_instead_of_a_ratio():
    harsh = model.Policy(staff_cost_growth=0.05, grant_trend=-0.05)
    breaches = model.check_policy(LANESTER, harsh, until=2030)
    savings = [b for b in breaches if b.constraint == "gross savings"]
    assert savings and all("no longer pays for itself" in b.message for b in savings)
    assert not any(b.constraint == "debt capacity" and b.year in {s.year for s in savings} for b in breaches)


def test_check_policy_refuses_what_is_not_a_policy():
    with pytest.raises(TypeError, match="model.Policy"):
        model.check_policy(LANESTER, {"tax_rate_change": 0.01})
    with pytest.raises(ValueError, match="after the start year"):
        model.check_policy(LANESTER, model.LANESTER_TRENDS, until=2019)


def test_the_debt_estimate_is_recorded_and_can_be_varied():
    assert LANESTER.debt_estimate_years == 12
    assert model.lanester_2019(outstanding_debt=40_000_000).debt_estimate_years is None
    eighteen = model.with_estimated_debt(LANESTER, 18)
    assert eighteen.outstanding_debt == 18 * 3_308_000 and eighteen.debt_estimate_years == 18
    # the figure: with 18 years the 2019 verdict flips to "worrying" (13.6 years)
    assert model.debt_capacity_years(eighteen) == pytest.approx(13.6, abs=0.05)
    assert model.alert_level(model.debt_capacity_years(eighteen)) == "worrying"


def test_direct_taxes_cannot_exceed_the_taxes():
    with pytest.raises(ValueError, match="part of the tax revenue"):
        replace(debt_free_budget(), direct_taxes=7_000_000)


def test_policy_growth_rates_must_be_fractions():
    with pytest.raises(ValueError, match="other_revenue_growth"):
        model.Policy(other_revenue_growth=2.0)
    with pytest.raises(ValueError, match="tax_base_growth"):
        model.Policy(tax_base_growth=True)
    assert math.isclose(model.Policy(tax_base_growth=0.02).tax_base_growth, 0.02)


def test_the_trends_and_other_taxes_are_those_the_published_comments_give():
    """The constants of the model are typed from the files' comments: check them against the comments."""
    from modules.common import data

    def comment(file: str, label: str) -> str:
        table = data.read_csv("budgeting", "lanester_budget_primitif_2019", file)
        column = [name for name in table.columns if name.endswith("descr")][0]
        return str(table.set_index("label").loc[label, column])

    taxes = comment("rec_fonct.csv", "Impôts et taxes")
    assert "(+2,21%)" in taxes and "En l'absence d'augmentation des taux" in taxes
    assert model.LANESTER_TRENDS.tax_base_growth == 0.0221
    for amount in model.LANESTER_OTHER_TAXES.values():
        assert f"({amount:,.0f} €)".replace(",", " ") in taxes
    assert "(+1,49%)" in comment("dep_fonct.csv", "Personnel") and model.LANESTER_TRENDS.staff_cost_growth == 0.0149
    assert "(+1%)" in comment("rec_fonct.csv", "Produits d'activité") and model.LANESTER_TRENDS.other_revenue_growth == 0.01
    assert "(+6,53%)" in comment("dep_fonct.csv", "Charges générales")
    assert "(-6,90%)" in comment("dep_fonct.csv", "Subventions et participations")
