"""Tests of the views of lesson 02 (modules/budgeting/figures/savings.py).

The views only format: every figure they show must be the model's, the golden-rule column must say
what the model decided, and every figure keeps its alt text. Each test asks one question about what
a reader of the lesson sees.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest

from modules.budgeting import model
from modules.budgeting.commune_form import LABELS
from modules.budgeting.figures import savings


@pytest.fixture(scope="module")
def lanester():
    return model.lanester_2019()


@pytest.fixture(scope="module")
def scissors(lanester):
    """Lanester's trends with no growth of the tax base: net savings turn negative, then the golden rule breaks."""
    return model.project_budget(lanester, replace(model.LANESTER_TRENDS, tax_base_growth=0.0), 10)


def alt_of(shown) -> str:
    """The alt text of an accessible figure, as a screen reader would read it."""
    markup = shown._repr_mimebundle_()["text/html"]
    return html.unescape(re.search(r'alt="([^"]*)"', markup).group(1))


def test_waterfall_alt_text_gives_the_model_savings(lanester):
    gross, net = model.gross_savings(lanester), model.net_savings(lanester)
    alt = alt_of(savings.waterfall_chart(lanester, gross, net))
    assert f"gross savings of {gross / 1e6:.2f}" in alt
    assert f"net savings of {net / 1e6:.2f}" in alt


def test_debt_estimate_table_marks_the_course_assumption_and_reads_each_ratio():
    estimates = {years: model.lanester_2019(remaining_years=years) for years in (10, 12, 18)}
    ratios = {years: model.debt_capacity_years(budget) for years, budget in estimates.items()}
    table = savings.debt_estimate_table(estimates, ratios, assumed=12)
    assert list(table.index) == ["10", "12 (the course's assumption)", "18"]
    assert table.loc["18", "reading"] == model.alert_level(ratios[18])
    assert table.loc["18", "debt capacity (years)"] == f"{ratios[18]:.1f}"
    assert table.loc["10", "debt on 1 January 2019"] == savings.euros(estimates[10].outstanding_debt)


def test_repayment_views_show_the_schedule_in_thousands():
    schedule = model.debt_schedule(1_928_000, 0.03, 15, first_year=2020)
    table = savings.repayment_table(schedule)
    assert list(table.index) == [2020, 2021, 2022, 2032, 2033, 2034]
    assert table.loc[2020, "annuity (k€)"] == round(schedule.loc[2020, "annuity"] / 1e3, 1)
    alt = alt_of(savings.repayment_chart(schedule))
    assert "at 3 % over 15 years" in alt
    assert f"{schedule['annuity'].iloc[0] / 1e3:.1f} k€" in alt


def test_projection_table_can_show_negative_net_savings_with_the_golden_rule_respected(scissors):
    table = savings.projection_table(scissors)
    assert list(table.index) == list(scissors.index)
    warning_only = table[table["net savings (M€)"].str.startswith(savings.MINUS) & (table["golden rule"] == "respected")]
    assert len(warning_only) >= 2, "the lesson's scenario should show years of negative net savings within the rule"
    broken = scissors.index[~scissors["golden_rule_respected"]]
    assert list(table.index[table["golden rule"] == "broken"]) == list(broken)


def test_projection_table_says_no_meaning_when_savings_vanish(lanester):
    frame = model.project_budget(lanester, replace(model.LANESTER_TRENDS, tax_base_growth=-0.01, grant_trend=-0.05), 10)
    assert frame["gross_savings"].iloc[-1] <= 0
    assert savings.projection_table(frame)["debt capacity (years)"].iloc[-1] == "no meaning"


def test_debt_sensitivity_table_reports_the_first_year_of_each_event(lanester):
    policy = replace(model.LANESTER_TRENDS, tax_base_growth=0.0)
    frames = {years: model.project_budget(model.with_estimated_debt(lanester, years), policy, 10) for years in (10, 12, 18)}
    table = savings.debt_sensitivity_table(frames, assumed=12)
    row = table.loc["12 (the course's assumption)"]
    frame = frames[12]
    assert row["first year the golden rule breaks"] == str(frame.index[~frame["golden_rule_respected"]][0])
    assert row["first year of negative net savings"] == str(frame.index[frame["net_savings"] < 0][0])
    assert row["debt capacity 2029 (years)"] == f"{frame['debt_capacity_years'].iloc[-1]:.1f}"


def test_assumptions_table_states_every_policy_value_and_its_what_if(lanester):
    trends = model.LANESTER_TRENDS
    what_if = {("tax_base_growth", 0.0): model.project_budget(lanester, replace(trends, tax_base_growth=0.0), 10)}
    debt_frames = {years: model.project_budget(model.with_estimated_debt(lanester, years), trends, 10) for years in (10, 12, 18)}
    table = savings.assumptions_table(
        lanester, trends, what_if, debt_frames,
        dgf=model.lanester_dgf(), other_spending_change=model.lanester_2019_other_spending_change(),
    ).frame
    assert len(table) == len(savings.POLICY_ASSUMPTIONS) + 3
    assert table.loc["Growth of the direct taxes' base (rates unchanged)", "value in the baseline"] == "+2.21 %/year"
    effect = table.filter(like="if it is wrong").iloc[:, 0]
    ratio = what_if[("tax_base_growth", 0.0)]["debt_capacity_years"].iloc[-1]
    assert f"{ratio:.1f} years" in effect.iloc[0] and "golden rule broken" in effect.iloc[0]
    assert "4.61" in table.loc["Change of State grants", "where it comes from"]
    assert "× 18" in effect.loc["Debt outstanding at the start"]


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("tax_base_growth", 0.0221, "+2.21 %/year"),
        ("grant_trend", -0.03, "\u22123 %/year"),
        ("grant_trend", 0.0, "0 %/year (flat)"),
        ("investment", 4_700_000, "4.7 M€/year"),
        ("borrowing_rate", 0.03, "3 %"),
        ("loan_duration", 15, "15 years"),
    ],
)
def test_policy_values_are_written_as_the_lesson_writes_them(field, value, text):
    assert savings.rate_text(field, value) == text


def test_account_fields_table_has_one_row_per_figure_of_the_form():
    table = savings.account_fields_table(model.ACCOUNT_FIELDS, LABELS).frame
    assert len(table) == len(model.ACCOUNT_FIELDS)
    assert table.iloc[0, 0] == model.ACCOUNT_FIELDS["tax_revenue"]


def test_long_sources_are_shown_in_full_not_cut_by_pandas():
    shown = savings.account_fields_table(model.ACCOUNT_FIELDS, LABELS)
    longest = max(model.ACCOUNT_FIELDS.values(), key=len)
    assert len(longest) > 50
    assert html.escape(longest, quote=False) in shown._repr_html_()
