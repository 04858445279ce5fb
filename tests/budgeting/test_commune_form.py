"""A learner's own commune: the form checks the figures with clear messages and hands them to the simulator."""

from __future__ import annotations

import pytest

from modules.budgeting import model
from modules.budgeting.commune_form import CommuneForm
from modules.budgeting.widgets import BudgetSimulator

LANESTER = model.lanester_2019()


@pytest.fixture()
def form():
    return CommuneForm(BudgetSimulator(LANESTER, policy=model.LANESTER_TRENDS, name="Lanester"))


def fill(form, **thousands):
    for name, value in thousands.items():
        form.fields[name].value = value


def test_the_form_rebuilds_lanester_from_its_published_figures(form):
    # The form starts from Lanester's figures in k€ (debt on 31 December, as the DGFiP publishes it).
    budget = form.budget()
    assert budget.outstanding_debt == pytest.approx(LANESTER.outstanding_debt, abs=100)
    assert model.gross_savings(budget) == pytest.approx(model.gross_savings(LANESTER), abs=500)


def test_a_learners_commune_replaces_the_start_of_the_simulation(form):
    fill(form, tax_revenue=5_000, direct_taxes=4_200, grants=2_000, other_operating_revenue=800, staff_costs=4_000,
         other_operating_expenses=2_500, interest=100, capital_repaid=400, year_end_debt=4_000,
         investment_spending=1_500, investment_revenue=300, new_borrowing=500)
    form.name.value = "Saint-Exemple"
    form.year.value = 2023
    assert form.submit() is True
    sim = form.simulator
    assert sim.start.year == 2023 and sim.frame.index[0] == 2023 and sim.frame.index[-1] == 2033
    assert sim.frame["gross_savings"].iloc[0] == pytest.approx(1_200_000)
    # debt on 1 January = 4,000 + 400 − 500 k€
    assert sim.start.outstanding_debt == pytest.approx(3_900_000)
    assert "Saint-Exemple" in sim.title.value and "Saint-Exemple" in form.message.value
    assert "2023" in sim.describe() and "estimate" not in sim.verdict_text()
    assert "1.20 M€" in form.message.value


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({"staff_costs": -5}, "Staff costs (012) (−5.0 k€)".replace("−", "-")),
        ({"direct_taxes": 30_000}, "direct taxes"),
        ({"year_end_debt": 100}, "debt on 31 December"),
        ({"year_end_debt": 0, "capital_repaid": 0, "new_borrowing": 0}, "interest is paid on a debt"),
    ],
)
def test_wrong_figures_get_a_message_and_leave_the_simulation_alone(form, figures, message):
    before = form.simulator.frame.copy()
    fill(form, **figures)
    assert form.submit() is False
    assert 'role="alert"' in form.message.value and message in form.message.value
    assert form.simulator.frame.equals(before)


def test_the_form_explains_where_each_figure_is_published(form):
    text = form.widget.children[-1].value
    for name in model.ACCOUNT_FIELDS:
        assert model.ACCOUNT_FIELDS[name].split(",")[0][:20] in text.replace("&#x27;", "'")
