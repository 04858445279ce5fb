"""Tests of the views of lesson 01 (modules/budgeting/figures/anatomy.py).

The views only format: every figure they show must be the model's, and every figure must keep
its alt text. Each test asks one question about what a reader of the lesson sees.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from modules.budgeting import model
from modules.budgeting.figures import anatomy
from modules.common import data


@pytest.fixture(scope="module")
def lines():
    return model.lanester_2019_lines()


@pytest.fixture(scope="module")
def lanester():
    return model.lanester_2019()


def alt_of(shown) -> str:
    """The alt text of an accessible figure, as a screen reader would read it."""
    markup = shown._repr_mimebundle_()["text/html"]
    return html.unescape(re.search(r'alt="([^"]*)"', markup).group(1))


def test_section_totals_show_the_totals_of_budget_csv():
    totals = data.read_csv("budgeting", "lanester_budget_primitif_2019", "budget.csv")
    totals["section"] = totals["label"].str.replace(r"<[^>]+>", "", regex=True)
    table = anatomy.section_totals(totals)
    assert list(table.columns) == ["total"]
    assert table.loc["Fonctionnement", "total"] == anatomy.euros(28_357_095)
    assert table.loc["Investissement", "total"] == anatomy.euros(11_561_723)


def test_lines_table_keeps_every_line_and_every_digit(lines):
    table = anatomy.lines_table(lines)
    assert len(table) == len(lines)
    assert "amount (€)" in table.columns and "Budget field" in table.columns
    amounts = table["amount (€)"].str.replace("\u202f", "").astype(float)
    assert amounts.sum() == pytest.approx(lines["amount"].sum())


def test_tax_split_table_adds_up_to_the_taxes_line(lanester):
    table = anatomy.tax_split_table(model.lanester_2019_tax_split())
    assert table.loc["Total (Impôts et taxes)", "amount"] == anatomy.euros(lanester.tax_revenue)
    voted = table[table["moved by the council's rates"] == "yes"]
    assert len(voted) == 1
    assert voted["amount"].iloc[0] == anatomy.euros(lanester.voted_taxes)
    shares = table["share"].iloc[:-1].str.rstrip("%").astype(float)
    assert shares.sum() == pytest.approx(100.0, abs=0.2)


def test_investment_chart_describes_needs_and_resources_of_the_budget(lanester):
    gross = model.gross_savings(lanester)
    alt = alt_of(anatomy.investment_chart(lanester, gross))
    for amount in (lanester.investment_spending, lanester.capital_repaid, gross, lanester.investment_revenue, lanester.new_borrowing):
        assert f"{amount / 1e6:.2f} M€" in alt


def test_operating_chart_names_every_real_operating_line(lines):
    real = lines[lines["flow"] == "real"]
    alt = alt_of(anatomy.operating_chart(real))
    for label in real.loc[real["section"] == "operating", "label"]:
        assert label in alt
    assert "Recettes d'ordre" not in alt and "Autofinancement" not in alt


def test_dgf_chart_says_which_way_the_grant_moved():
    dgf = model.lanester_dgf()
    assert "fell by 21%" in alt_of(anatomy.dgf_chart(dgf))
    rising = pd.Series([1.0e6, 1.1e6], index=[2020, 2021])
    assert "rose by 10%" in alt_of(anatomy.dgf_chart(rising))


def test_programme_table_is_in_thousand_euros_largest_first():
    programme = model.lanester_capital_programme()
    table = anatomy.programme_table(programme)
    assert list(table.index) == list(programme[2019].sort_values(ascending=False).index)
    assert table[2019].sum() == pytest.approx(programme[2019].sum() / 1e3, abs=len(table))


def test_programme_chart_lists_every_sector_of_the_year():
    programme = model.lanester_capital_programme()
    alt = alt_of(anatomy.programme_chart(programme[2019]))
    for sector in programme.index:
        assert sector in alt
