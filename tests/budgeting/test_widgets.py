"""Tests of the simulations of module 1 (modules/budgeting/widgets.py), built headless.

A simulation must react to its controls: the model output, the plotted data, the verdict and the
alt text all follow a change of slider, and the figure is updated in place (same figure, same
artists). No timing is asserted here: see bench/bench_budgeting_widgets.py.
"""

from __future__ import annotations

import html

import numpy as np
import pytest

from modules.budgeting import model
from modules.budgeting.widgets import BudgetSimulator, ParticipatoryBudgetSimulator


@pytest.fixture()
def budget_simulator():
    return BudgetSimulator(model.lanester_2019(), years=10, name="Lanester")


@pytest.fixture(scope="module")
def avignon():
    projects = model.avignon_2017_projects()
    return projects, model.simulate_votes(projects, voters=400, seed=2017)


@pytest.fixture()
def pb_simulator(avignon):
    projects, ballots = avignon
    return ParticipatoryBudgetSimulator(projects, ballots, envelope=400_000, name="Avignon 2017")


def alt_of(view) -> str:
    """The alt attribute of the <img> that the figure view currently shows."""
    value = view.widget.value
    start = value.index('alt="') + len('alt="')
    return html.unescape(value[start : value.index('"', start)])


# --- BudgetSimulator --------------------------------------------------------------------------


def test_does_the_simulator_start_from_the_default_policy(budget_simulator):
    assert budget_simulator.policy == model.Policy()
    expected = model.project_budget(model.lanester_2019(), model.Policy(), 10)
    assert budget_simulator.frame.equals(expected)


def test_does_moving_a_slider_change_the_model_and_the_plotted_line(budget_simulator):
    sim = budget_simulator
    before = sim.frame["debt"].iloc[-1]
    line = sim.lines["debt"]
    figure = sim.figure
    sim.sliders["staff_cost_growth"].value = 3.0
    assert sim.policy.staff_cost_growth == pytest.approx(0.03)
    assert sim.frame["debt"].iloc[-1] > before
    # the same line object now holds the new data (updated in place, not replotted)
    assert sim.lines["debt"] is line and sim.figure is figure
    assert np.allclose(line.get_ydata(), sim.frame["debt"] / 1e6)
    assert np.allclose(sim.lines["gross_savings"].get_ydata(), sim.frame["gross_savings"] / 1e6)
    ratio = sim.lines["debt_capacity_years"].get_ydata()
    assert np.allclose(ratio, sim.frame["debt_capacity_years"], equal_nan=True)


def test_does_the_verdict_follow_the_policy(budget_simulator):
    sim = budget_simulator
    sim.sliders["staff_cost_growth"].value = 0.0
    calm = sim.verdict.value
    assert "below the 12-year alert" in calm
    sim.sliders["staff_cost_growth"].value = 2.0
    sim.sliders["investment"].value = 7.0
    worried = sim.verdict.value
    assert worried != calm
    assert "above the 12-year alert" in worried or "no meaning" in worried
    assert "In 2029" in worried


def test_does_the_verdict_say_the_ratio_is_meaningless_when_savings_vanish(budget_simulator):
    sim = budget_simulator
    sim.sliders["staff_cost_growth"].value = 5.0
    sim.sliders["grant_trend"].value = -5.0
    assert sim.frame["gross_savings"].iloc[-1] < 0
    assert "no meaning" in sim.verdict.value
    assert "golden rule" in sim.verdict.value


def test_does_the_alt_text_describe_the_current_data(budget_simulator):
    sim = budget_simulator
    first = alt_of(sim.figure_view)
    assert first == sim.describe()
    assert "2019 to 2029" in first
    sim.sliders["tax_rate_change"].value = 3.0
    second = alt_of(sim.figure_view)
    assert second != first
    last_savings = sim.frame["gross_savings"].iloc[-1] / 1e6
    assert f"to {last_savings:.1f} M€" in second


def test_is_the_alert_threshold_drawn_at_twelve_years(budget_simulator):
    assert list(budget_simulator.threshold.get_ydata()) == [12, 12]


def test_can_a_course_author_narrow_a_slider(budget_simulator):
    sim = BudgetSimulator(model.lanester_2019(), ranges={"tax_rate_change": (0.0, 10.0, 0.5)})
    slider = sim.sliders["tax_rate_change"]
    assert (slider.min, slider.max, slider.step) == (0.0, 10.0, 0.5)
    with pytest.raises(ValueError, match="Unknown slider"):
        BudgetSimulator(model.lanester_2019(), ranges={"vat": (0, 1)})


def test_is_a_wrong_start_refused():
    with pytest.raises(TypeError, match="model.Budget"):
        BudgetSimulator({"tax_revenue": 1})


def test_is_the_simulator_one_displayable_widget(budget_simulator):
    import ipywidgets

    assert isinstance(budget_simulator.widget, ipywidgets.VBox)
    assert budget_simulator.figure_view.widget in budget_simulator.widget.children


# --- ParticipatoryBudgetSimulator ------------------------------------------------------------------


def test_does_the_envelope_slider_change_the_funded_projects_and_the_bars(pb_simulator):
    sim = pb_simulator
    before = set(sim.allocation.funded)
    bars = list(sim.bars)
    sim.envelope_slider.value = 900
    assert sim.envelope == 900_000
    assert set(sim.allocation.funded) > before
    assert sim.frame["funded"].sum() == len(sim.allocation.funded)
    expected = model.funded_by_sector(sim.projects, sim.allocation, sim.sectors) / 1e3
    assert list(sim.bars) == bars  # same bars, resized in place
    assert np.allclose([bar.get_width() for bar in sim.bars], expected)


def test_does_switching_rule_change_the_allocation(pb_simulator):
    sim = pb_simulator
    greedy = sim.allocation
    verdict = sim.verdict.value
    sim.rule_buttons.value = "equal shares"
    assert sim.allocation.rule == "equal shares"
    assert sim.allocation.funded != greedy.funded
    assert sim.verdict.value != verdict
    assert sim.allocation.spent <= sim.envelope


def test_does_the_project_list_show_the_funded_projects(pb_simulator):
    sim = pb_simulator
    for project in sim.allocation.funded:
        assert html.escape(sim.projects.loc[project, "name"]) in sim.project_list.value


def test_does_the_pb_alt_text_describe_the_current_allocation(pb_simulator):
    sim = pb_simulator
    first = alt_of(sim.figure_view)
    assert "400 000 €" in first
    sim.envelope_slider.value = 1000
    second = alt_of(sim.figure_view)
    assert "1 000 000 €" in second and second != first


def test_is_an_unknown_rule_refused(avignon):
    projects, ballots = avignon
    with pytest.raises(ValueError, match="Unknown rule"):
        ParticipatoryBudgetSimulator(projects, ballots, rule="lottery")
