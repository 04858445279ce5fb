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
    assert "well under the 12-year reference" in calm
    sim.sliders["staff_cost_growth"].value = 2.0
    sim.sliders["investment"].value = 7.0
    worried = sim.verdict.value
    assert worried != calm
    assert "above the 12-year reference" in worried or "no meaning" in worried
    assert "In 2029" in worried
    # the 12-year figure is always introduced as a reference for the largest authorities, not a rule
    assert "not a rule for every commune" in calm and "not a rule for every commune" in worried


def test_does_the_verdict_call_negative_net_savings_a_warning_not_a_breach():
    # Staff costs +1.5 %/year with a flat tax base: net savings turn negative in 2023, while gross
    # savings and own investment revenue still cover the capital repaid until 2028.
    sim = BudgetSimulator(model.lanester_2019(), policy=model.Policy(staff_cost_growth=0.015), years=6, name="Lanester")
    frame = sim.frame
    assert (frame["net_savings"] < 0).any() and frame["golden_rule_respected"].all()
    first_negative = frame.index[frame["net_savings"] < 0][0]
    text = sim.verdict_text()
    assert f"From {first_negative} net savings are negative: a warning sign, not a breach" in text
    assert "forbids" not in text


def test_does_the_verdict_name_the_year_the_golden_rule_breaks():
    sim = BudgetSimulator(model.lanester_2019(), policy=model.Policy(staff_cost_growth=0.015), years=10, name="Lanester")
    broken = sim.frame.index[~sim.frame["golden_rule_respected"]]
    assert len(broken)
    assert f"From {broken[0]} gross savings plus own investment revenue would no longer cover the capital repaid" in sim.verdict_text()
    assert "CGCT L1612-4" in sim.verdict_text()


def test_does_the_verdict_show_how_it_depends_on_the_estimated_debt(budget_simulator):
    text = budget_simulator.verdict_text()
    low, high = model.DEBT_ESTIMATE_RANGE
    assert "capital repaid × 12 years" in text
    for remaining in (low, high):
        ratio = model.project_budget(model.with_estimated_debt(model.lanester_2019(), remaining), model.Policy(), 10)["debt_capacity_years"].iloc[-1]
        assert f"{ratio:.1f} years ({model.alert_level(ratio)}) with {remaining} years left to run" in text
    # a commune whose debt is known gets no such sentence
    known = BudgetSimulator(model.lanester_2019(outstanding_debt=40_000_000))
    assert "estimate" not in known.verdict_text()


def test_do_the_new_levers_move_the_projection(budget_simulator):
    sim = budget_simulator
    for field, direction in (("tax_base_growth", +1), ("other_revenue_growth", +1), ("other_spending_growth", -1)):
        before = sim.frame["gross_savings"].iloc[-1]
        sim.sliders[field].value = sim.sliders[field].value + 1.0
        after = sim.frame["gross_savings"].iloc[-1]
        assert getattr(sim.policy, field) == pytest.approx(getattr(model.Policy(), field) + 0.01)
        assert (after - before) * direction > 0, field
        assert np.allclose(sim.lines["gross_savings"].get_ydata(), sim.frame["gross_savings"] / 1e6)


def test_does_the_simulator_start_from_lanesters_trends_when_asked():
    sim = BudgetSimulator(model.lanester_2019(), policy=model.LANESTER_TRENDS)
    assert sim.policy == model.LANESTER_TRENDS


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


def test_does_the_verdict_name_the_variant_of_equal_shares(pb_simulator):
    pb_simulator.rule_buttons.value = "equal shares"
    assert "approval variant: each approved project counts the same" in pb_simulator.verdict_text()
    assert "approval variant" in pb_simulator.describe()


def test_does_the_verdict_tell_running_costs_from_debt_repayment():
    # Staff +5 %/year and grants −5 %/year: first new loans repay old ones, then gross savings vanish.
    sim = BudgetSimulator(model.lanester_2019(), policy=model.Policy(staff_cost_growth=0.05, grant_trend=-0.05), name="Lanester")
    frame = sim.frame
    negative = frame.index[frame["gross_savings"] < 0]
    repayment = frame.index[~frame["golden_rule_respected"]].difference(negative)
    text = sim.verdict_text()
    assert f"rom {negative[0]} gross savings would be negative, so a loan would pay for running costs" in text
    assert len(repayment) and f"{repayment[0]}" in text and "a new loan would repay an old one" in text
    assert "forbids both" in text


def test_does_the_verdict_name_the_years_of_a_breach_that_ends():
    # Debt estimated from 10 years of repayments and a flat tax base: the rule breaks in 2027 and 2028,
    # then holds again when the old debt is repaid, so no lasting "from 2027" is claimed.
    start = model.with_estimated_debt(model.lanester_2019(), 10)
    sim = BudgetSimulator(start, policy=model.Policy(**{**model.LANESTER_TRENDS.__dict__, "tax_base_growth": 0.0}), name="Lanester")
    broken = list(sim.frame.index[~sim.frame["golden_rule_respected"]])
    assert broken and broken[-1] < sim.frame.index[-1]
    assert f"In {', '.join(map(str, broken[:-1]))} and {broken[-1]}" in sim.verdict_text() or (len(broken) == 1 and f"In {broken[0]}" in sim.verdict_text())
    assert "with 10 years left to run" not in sim.verdict_text()  # the estimate in use is not offered as an alternative
