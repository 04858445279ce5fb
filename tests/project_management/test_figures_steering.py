"""Tests of the views of lesson 03 (modules/project_management/figures/steering.py).

The views only format: every figure they show must be the model's, the words they put on a sign
(over or under budget, above or below the plan) must follow the model's values, and every figure
keeps its alt text. Each test asks one question about what a reader of the lesson sees.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from modules.project_management import model
from modules.project_management.figures import steering

BAC = 480_000
MONTHLY_PLAN = [24_000, 36_000, 60_000, 72_000, 72_000, 72_000, 60_000, 48_000, 28_000, 8_000]


def alt_of(shown) -> str:
    """The alt text of an accessible figure, as a screen reader would read it."""
    markup = shown._repr_mimebundle_()["text/html"]
    return html.unescape(re.search(r'alt="([^"]*)"', markup).group(1))


@pytest.fixture(scope="module")
def planned() -> pd.Series:
    return pd.Series([0, *MONTHLY_PLAN]).cumsum()


@pytest.fixture(scope="module")
def school(planned) -> model.EarnedValue:
    """The lesson's school at the end of month 4: 168 k€ of work done, 200 k€ spent, 192 k€ planned."""
    return model.EarnedValue(bac=BAC, pv=planned[4], ev=168_000, ac=200_000)


@pytest.fixture(scope="module")
def curve(planned) -> pd.DataFrame:
    earned = pd.Series({1: 20_000, 2: 52_000, 3: 105_000, 4: 168_000})
    spent = pd.Series({1: 22_000, 2: 58_000, 3: 122_000, 4: 200_000})
    return model.earned_value_curve(BAC, planned, earned, spent)


@pytest.fixture(scope="module")
def orders_file():
    return model.read_orders()


@pytest.fixture(scope="module")
def ext(orders_file) -> pd.DataFrame:
    return model.extensions(orders_file.rows)


# -- formatting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [(-32_000, "\u221232 000 €"), (571_428.57, "571 429 €"), (0.2, "0 €"), (None, "not defined")],
)
def test_amounts_are_written_in_whole_euros_with_a_real_minus_sign(amount, text):
    assert steering.euros(amount) == text


def test_thousands_and_indices_are_written_as_the_lesson_writes_them():
    assert steering.kilo(571_428.57) == "571 k€"
    assert steering.kilo(-91_428.6) == "\u221291 k€"
    assert steering.kilo(float("nan")) == "–"
    assert steering.index_text(0.875) == "0.88" and steering.index_text(None) == "not defined"
    assert steering.day_count(1.0) == "1 day" and steering.day_count(12.0) == "12 days"
    assert steering.date_text(pd.Timestamp("2020-11-27")) == "27 November 2020"


# -- earned value -------------------------------------------------------------------------------


def test_indicator_table_shows_the_models_values_with_their_formulas(school):
    table = steering.indicator_table(school).frame
    assert table.loc["Cost variance CV", "this project"] == steering.euros(school.cv) == "\u221232 000 €"
    assert table.loc["Cost performance index CPI", "this project"] == "0.84"
    assert table.loc["Estimate at completion EAC (efficiency persists)", "this project"] == steering.euros(school.eac)
    assert table.loc["Estimate at completion EAC (one-off overrun)", "this project"] == "512 000 €"
    assert table.loc["To-complete performance index TCPI", "formula"] == "(BAC − EV) ÷ (BAC − AC)"
    assert f"{school.tcpi:.2f}" in table.loc["To-complete performance index TCPI", "what it tells the council"]
    assert "87.5 %" in table.loc["Schedule performance index SPI", "what it tells the council"]


def test_indicator_table_reads_an_underspent_project_as_under_budget():
    ahead = model.EarnedValue(bac=100_000, pv=40_000, ev=50_000, ac=45_000)
    readings = steering.indicator_table(ahead).frame["what it tells the council"]
    assert "less than its budget" in readings["Cost variance CV"]
    assert "ahead of the plan" in readings["Schedule variance SV"]
    assert "saving" in readings["Variance at completion VAC"]


def test_indicator_table_says_when_the_budget_is_already_spent():
    spent = model.EarnedValue(bac=100_000, pv=80_000, ev=70_000, ac=110_000)
    table = steering.indicator_table(spent).frame
    assert table.loc["To-complete performance index TCPI", "this project"] == "not defined"
    assert "already spent" in table.loc["To-complete performance index TCPI", "what it tells the council"]


def test_monthly_table_keeps_only_the_reported_months(curve):
    table = steering.monthly_table(curve)
    assert list(table.index) == [1, 2, 3, 4]
    assert table.loc[4, "CPI"] == "0.84"
    assert table.loc[1, "EAC = BAC ÷ CPI"] == steering.kilo(curve.loc[1, "eac"]) == "528 k€"


def test_s_curve_alt_text_gives_the_status_and_both_forecasts(curve, school):
    alt = alt_of(steering.s_curve(curve, school, name="the school renovation"))
    assert "month 4" in alt and "192 k€" in alt and "168 k€" in alt and "200 k€" in alt
    assert "571 k€" in alt and "512 k€" in alt
    assert "the actual cost is above the earned value" in alt
    assert "the earned value below the planned value" in alt


def test_s_curve_needs_a_reported_month(planned):
    with pytest.raises(ValueError, match="no reported earned value"):
        steering.s_curve(model.earned_value_curve(BAC, planned), model.EarnedValue(BAC, 0, 0, 0))


def test_council_dashboard_gives_the_forecast_as_a_range(school):
    on_track = model.EarnedValue(bac=1_000_000, pv=500_000, ev=500_000, ac=500_000)
    table = steering.council_dashboard(
        [
            {"project": "School", "earned_value": school, "planned_end": "month 10", "forecast_end": "month 11",
             "reason": "prices", "decision": "choose"},
            {"project": "Road", "earned_value": on_track, "planned_end": "June", "forecast_end": "June"},
        ]
    ).frame
    assert table.loc["School", "forecast final cost"] == "512 k€ to 571 k€"
    assert table.loc["Road", "forecast final cost"] == "1 000 k€"
    assert table.loc["School", "planned end → forecast end"] == "month 10 → month 11"
    assert table.loc["Road", "decision asked"] == "none"
    assert table.loc["School", "work done"] == "35 %"


# -- the Avignon roadworks orders ----------------------------------------------------------------


def test_key_figures_table_shows_the_summary_of_the_model(orders_file):
    rows = orders_file.rows
    summary = model.extension_summary(rows)
    table = steering.key_figures_table(summary, model.orders(rows), share_since=("orders from 2021", 0.101))["value"]
    assert table["Orders"] == f"{summary['orders']:,}".replace(",", " ")
    assert table["Share of orders extended: extension orders ÷ other orders, whole file"] == f"{summary['share_extended'] * 100:.1f} %"
    assert table["Share of orders extended, orders from 2021"] == "10.1 %"
    assert table["Median overrun (new end − first planned end)"] == steering.day_count(summary["median_overrun_days"])


def test_durations_chart_describes_every_extension_and_the_cut_axis(ext):
    alt = alt_of(steering.durations_chart(ext))
    assert f"the {len(ext)} extension orders" in alt
    assert f"median {ext['extended_days'].median():.0f}" in alt
    beyond = int((ext["extended_days"] > steering.DURATION_AXIS_DAYS).sum())
    assert f"{beyond} orders go beyond the {steering.DURATION_AXIS_DAYS}-day axis" in alt


def test_reasons_table_counts_each_category_and_quotes_the_file(ext):
    table = steering.reasons_table(ext).frame
    counts = ext["reason_category"].value_counts()
    assert table["extension orders"].to_dict() == {category: int(counts[category]) for category in table.index}
    assert list(table.index) == [category for category in model.REASON_CATEGORIES if category in counts]
    assert table.loc["weather", "as written in the orders"].startswith("« ")


def test_reasons_table_cuts_long_reasons():
    ext = pd.DataFrame({"reason": ["x" * 300], "reason_category": ["other"], "overrun_days": [4.0]})
    quoted = steering.reasons_table(ext).frame.loc["other", "as written in the orders"]
    assert quoted.endswith("… »") and len(quoted) <= steering.REASON_CHARACTERS + 4


def test_concurrent_chart_finds_the_peak_inside_the_window():
    days = pd.date_range("2021-01-01", periods=10, freq="D")
    daily = pd.Series([50, 1, 2, 7, 3, 2, 1, 1, 1, 60], index=days)
    alt = alt_of(steering.concurrent_chart(daily, window=("2021-01-02", "2021-01-09")))
    assert "peaks at 7 on 4 January 2021" in alt
    assert "shaded" in alt


def test_concurrent_chart_on_the_real_file_gives_the_models_peak(orders_file):
    daily = model.concurrent_works(orders_file.rows)
    alt = alt_of(steering.concurrent_chart(daily))
    assert f"peaks at {daily.max()} on {steering.date_text(daily.idxmax())}" in alt


def test_problems_table_says_so_when_nothing_was_left_unread(orders_file):
    table = steering.problems_table(orders_file.problems)
    assert table["values"].sum() == len(orders_file.problems) == 0
    assert len(table) == 1


def test_problems_table_counts_problems_by_column_and_reason():
    problems = pd.DataFrame(
        {
            "row": [0, 1, 2],
            "arretesrcid": ["21-AT-0001", "21-AT-0001", "21-AT-0002"],
            "column": ["arretefin", "arretefin", "emprisedebut"],
            "value": ["24/04/2020", "x", ""],
            "why": ["not a date", "not a date", "empty"],
        }
    )
    table = steering.problems_table(problems)
    assert table.loc[("arretefin", "not a date"), "values"] == 2
    assert table.loc[("arretefin", "not a date"), "orders concerned"] == 1
    assert table["values"].sum() == len(problems)
