"""Tests of the simulations of module 2 (modules/project_management/widgets.py), built headless.

A simulation must react to its controls: the model output, the plotted artists, the verdict and the
alt text all follow a change of slider, and the figure is updated in place (same figure, same
artists). The views compute nothing the model computes: the tests compare them with the model's
own results. No timing is asserted here: see bench/bench_project_management_widgets.py.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import pytest

from modules.project_management import model
from modules.project_management.widgets import RUNS_RANGE, EarnedValueDashboard, ScheduleRiskSimulator

Task, ThreePoint = model.Task, model.ThreePoint

#: A school renovation: preparation in series, then three works in parallel that meet at the handover.
TASKS = [
    Task("Council vote", 0),
    Task("Survey", 10, ("Council vote",)),
    Task("Design", 20, ("Survey",)),
    Task("Tender", 30, ("Design",)),
    Task("Asbestos removal", 15, ("Tender",)),
    Task("Roof", 25, ("Asbestos removal",)),
    Task("Electrics", 20, ("Asbestos removal",)),
    Task("Plumbing", 12, ("Asbestos removal",)),
    Task("Painting", 10, ("Electrics", "Plumbing")),
    Task("Handover", 0, ("Roof", "Painting")),
]
ESTIMATES = {
    "Survey": ThreePoint(8, 10, 15),
    "Design": ThreePoint(15, 20, 35),
    "Tender": ThreePoint(25, 30, 60),
    "Asbestos removal": ThreePoint(10, 15, 30),
    "Roof": ThreePoint(18, 25, 45),
    "Electrics": ThreePoint(15, 20, 35),
    "Plumbing": ThreePoint(10, 12, 20),
    "Painting": ThreePoint(8, 10, 14),
}
GROUPS = {"Preparation": ["Survey", "Design", "Tender"], "Works": ["Asbestos removal", "Roof", "Electrics", "Plumbing", "Painting"]}
BAC = 1_200_000.0


@pytest.fixture(scope="module")
def network():
    return model.Network(TASKS)


@pytest.fixture()
def risk(network):
    return ScheduleRiskSimulator(
        network, ESTIMATES, runs=2_000, seed=2024, deadline=120, groups=GROUPS, name="the school renovation",
        deadline_name="the council's deadline",
    )


@pytest.fixture()
def dashboard():
    return EarnedValueDashboard(BAC, model.planned_curve(BAC, 24), status=12, percent_done=40, spent=560_000, name="the school renovation", time_unit="week")


def alt_of(view) -> str:
    """The alt attribute of the <img> that the figure view currently shows."""
    value = view.widget.value
    start = value.index('alt="') + len('alt="')
    return html.unescape(value[start : value.index('"', start)])


def text_of(box) -> str:
    """The plain text of a verdict box."""
    return html.unescape(box.value)


def histogram_of(sim) -> np.ndarray:
    """The share of runs (%) in each plotted bar, recomputed from the model's runs and the bars' own edges."""
    edges = [bar.get_x() for bar in sim.bars] + [sim.bars[-1].get_x() + sim.bars[-1].get_width()]
    counts, _ = np.histogram(sim.result.finish, bins=edges)
    return counts / sim.result.runs * 100


# --- ScheduleRiskSimulator: the model's result ------------------------------------------------------


def test_does_the_simulator_show_the_models_simulation(risk, network):
    expected = model.simulate(network, ESTIMATES, runs=2_000, seed=2024)
    assert np.array_equal(risk.result.finish, expected.finish)
    assert risk.result.p80 == expected.p80 and risk.result.runs == 2_000 and risk.result.seed == 2024
    assert risk.factors == {"Preparation": 1.0, "Works": 1.0}
    assert risk.plan_finish == expected.plan_duration == model.project_duration(network, model.most_likely_durations(ESTIMATES))


def test_is_the_result_reproducible_with_the_fixed_seed(risk, network):
    again = ScheduleRiskSimulator(network, ESTIMATES, deadline=120, groups=GROUPS, name="the school renovation", deadline_name="the council's deadline")
    assert np.array_equal(again.result.finish, risk.result.finish)
    assert again.verdict_text() == risk.verdict_text() and again.describe() == risk.describe()


def test_does_every_run_appear_in_the_histogram(risk):
    assert np.allclose([bar.get_height() for bar in risk.bars], histogram_of(risk))
    assert sum(bar.get_height() for bar in risk.bars) == pytest.approx(100.0)


# --- ScheduleRiskSimulator: moving a slider ---------------------------------------------------------


def test_does_widening_the_spread_move_the_model_and_the_plot_in_place(risk, network):
    figure, bars, lines, critical_bars = risk.figure, list(risk.bars), dict(risk.lines), list(risk.critical_bars)
    before = risk.result
    risk.spread_sliders["Works"].value = 2.0
    # the view asked the model, with the Works estimates widened by the model's own ThreePoint.widened
    expected = model.simulate(network, {**ESTIMATES, **{task: ESTIMATES[task].widened(2.0) for task in GROUPS["Works"]}}, runs=2_000, seed=2024)
    assert np.array_equal(risk.result.finish, expected.finish)
    assert risk.result.p80 > before.p80
    # same figure, same artists, new data
    assert risk.figure is figure and list(risk.bars) == bars and risk.lines == lines and list(risk.critical_bars) == critical_bars
    assert np.allclose([bar.get_height() for bar in risk.bars], histogram_of(risk))
    assert list(risk.lines["p50"].get_xdata()) == [risk.result.p50] * 2
    assert list(risk.lines["p80"].get_xdata()) == [risk.result.p80] * 2
    shares = expected.critical_share.reindex(risk.shown_tasks)
    assert np.allclose([bar.get_width() for bar in risk.critical_bars], shares * 100)


def test_does_a_zero_spread_make_the_group_certain(risk):
    risk.spread_sliders["Preparation"].value = 0.0
    estimates = risk.estimates
    for task in GROUPS["Preparation"]:
        assert estimates[task] == ThreePoint.fixed(ESTIMATES[task].most_likely)
    samples = pd.DataFrame(risk.result.samples, columns=risk.result.names)
    assert (samples["Design"] == 20).all()
    assert samples["Roof"].nunique() > 1  # the other group still varies


def test_does_the_runs_slider_change_the_number_of_runs(risk):
    risk.runs_slider.value = 5_000
    assert risk.runs == 5_000 and risk.result.runs == 5_000 and len(risk.result.finish) == 5_000
    assert "5 000 simulated runs" in alt_of(risk.figure_view)
    assert np.allclose([bar.get_height() for bar in risk.bars], histogram_of(risk))


def test_does_the_deadline_slider_move_the_line_and_the_chance_but_not_the_runs(risk):
    result = risk.result
    risk.deadline_slider.value = 150
    assert risk.result is result  # no new simulation for a new deadline
    assert list(risk.lines["deadline"].get_xdata()) == [150, 150]
    assert f"is met in {result.probability_by(150) * 100:.0f} % of the runs" in risk.verdict_text()


def test_do_most_moves_redraw_only_the_moving_artists(risk):
    """The axes are sized once for the usual range: moving one slider at a time changes no axis limit."""
    draws = risk.figure_view.full_draws
    limits = risk.axes["histogram"].get_xlim()
    for label in GROUPS:
        for value in (0.5, 1.5, 2.0, 1.0):
            risk.spread_sliders[label].value = value
    risk.deadline_slider.value = risk.deadline_slider.max
    risk.deadline_slider.value = risk.deadline_slider.min
    assert risk.figure_view.full_draws == draws
    assert risk.axes["histogram"].get_xlim() == limits


def test_does_moving_back_reuse_the_cached_result(risk):
    first = risk.result
    risk.spread_sliders["Works"].value = 1.5
    risk.spread_sliders["Works"].value = 1.0
    assert risk.result is first


# --- ScheduleRiskSimulator: words -------------------------------------------------------------------


def test_does_the_verdict_state_the_p80_against_the_deadline(risk):
    result = risk.result
    p80 = int(np.ceil(result.p80))
    text = risk.verdict_text()
    assert text.startswith(f"With this uncertainty, the works end by day {p80} in 80 % of the runs (P80): ")
    assert f"{p80 - 120} working days after the council's deadline (day 120)" in text
    assert f"Half of the runs end by day {int(np.ceil(result.p50))} (P50)" in text
    assert f"the deadline is met in {result.probability_by(120) * 100:.0f} % of the runs" in text
    assert "fixed seed 2024" in text
    assert text in text_of(risk.verdict)


def test_does_the_verdict_say_before_the_deadline_when_it_is_met(risk):
    risk.deadline_slider.value = 160
    p80 = int(np.ceil(risk.result.p80))
    assert f"{160 - p80} working days before the council's deadline (day 160)" in risk.verdict_text()
    assert risk.verdict.value != ""


def test_does_the_verdict_compare_the_plan_with_the_runs(risk):
    plan = int(np.ceil(risk.plan_finish))
    share = risk.result.probability_by(risk.plan_finish)
    assert share < 0.5  # the plan's date is rarely the likely date
    assert f"The plan, with every task at its most likely duration, ends on day {plan}" in risk.verdict_text()


def test_does_the_verdict_name_the_tasks_most_often_critical_and_not_the_milestones(risk):
    share = risk.result.critical_share
    text = risk.verdict_text()
    assert "The tasks most often on the critical path are Survey, Design, Tender and Asbestos removal (each in every run)" in text
    assert share["Council vote"] == 1.0 and "Council vote" not in text and "Handover" not in text
    assert "Council vote" not in risk.shown_tasks
    # when the works become certain, the preparation tasks are still named
    risk.spread_sliders["Works"].value = 0.0
    assert "Tender" in risk.verdict_text()


def test_does_the_verdict_follow_the_sliders(risk):
    before = risk.verdict.value
    risk.spread_sliders["Preparation"].value = 2.0
    assert risk.verdict.value != before
    assert f"by day {int(np.ceil(risk.result.p80))} in 80 % of the runs" in text_of(risk.verdict)


def test_does_the_alt_text_describe_the_current_simulation(risk):
    first = alt_of(risk.figure_view)
    assert first == risk.describe()
    result = risk.result
    assert f"Half of the runs end by day {int(np.ceil(result.p50))} (P50)" in first
    assert f"80 % by day {int(np.ceil(result.p80))} (P80)" in first
    assert f"the council's deadline, day 120, is met in {result.probability_by(120) * 100:.0f} % of the runs" in first
    assert "The tasks most often critical are Survey, Design, Tender and Asbestos removal" in first
    risk.spread_sliders["Works"].value = 2.0
    second = alt_of(risk.figure_view)
    assert second != first and second == risk.describe()
    assert f"80 % by day {int(np.ceil(risk.result.p80))} (P80)" in second


def test_does_every_slider_name_its_unit(risk):
    assert risk.spread_sliders["Works"].description == "Works: spread (× estimate)"
    assert risk.runs_slider.description == "Number of runs (simulated projects)"
    assert risk.deadline_slider.description == "Deadline (working day)"
    assert (risk.runs_slider.min, risk.runs_slider.max) == RUNS_RANGE[:2]


def test_is_there_one_slider_per_estimated_task_without_groups(network):
    sim = ScheduleRiskSimulator(network, {"Tender": ESTIMATES["Tender"], "Roof": ESTIMATES["Roof"]})
    assert list(sim.spread_sliders) == ["Tender", "Roof"]
    # without a deadline, the deadline starts at the end of the plan
    assert sim.deadline == np.ceil(sim.plan_finish)
    assert "the deadline (day" in sim.verdict_text()


def test_is_the_simulator_one_displayable_widget(risk):
    import ipywidgets

    assert isinstance(risk.widget, ipywidgets.VBox)
    assert risk.figure_view.widget in risk.widget.children
    assert risk.verdict in risk.widget.children and risk.runs_slider in risk.widget.children


# --- ScheduleRiskSimulator: wrong inputs --------------------------------------------------------------


def test_is_a_wrong_network_refused():
    with pytest.raises(TypeError, match="model.Network"):
        ScheduleRiskSimulator(TASKS, ESTIMATES)


@pytest.mark.parametrize(
    ("estimates", "error", "message"),
    [
        ({}, ValueError, "at least one task a three-point estimate"),
        ({"Roofing": ThreePoint(1, 2, 3)}, ValueError, "'Roofing' has an estimate but is not in the network"),
        ({"Roof": "18 to 45 days"}, TypeError, "must be a model.ThreePoint"),
        ({"Roof": (25, 18, 45)}, ValueError, "optimistic .25. is larger than most_likely .18."),  # the model's own check
        ([("Roof", ThreePoint(1, 2, 3))], TypeError, "map task names"),
    ],
)
def test_are_wrong_estimates_refused(network, estimates, error, message):
    with pytest.raises(error, match=message):
        ScheduleRiskSimulator(network, estimates)


def test_are_estimates_given_as_tuples_accepted_like_the_model_accepts_them(network):
    with_tuples = ScheduleRiskSimulator(network, {"Roof": (18, 25, 45)}, runs=1_000)
    with_points = ScheduleRiskSimulator(network, {"Roof": ThreePoint(18, 25, 45)}, runs=1_000)
    assert with_tuples.estimates == with_points.estimates
    assert np.array_equal(with_tuples.result.finish, with_points.result.finish)


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ({"Works": ["Roofing"]}, "'Roofing' of group 'Works' is not in the network"),
        ({"Milestones": ["Handover"]}, "'Handover' of group 'Milestones' has no three-point estimate"),
        ({"A": ["Roof"], "B": ["Roof", "Plumbing"]}, "'Roof' is in two groups, 'A' and 'B'"),
        ({"Empty": []}, "Group 'Empty' has no task"),
    ],
)
def test_are_wrong_groups_refused(network, groups, message):
    with pytest.raises(ValueError, match=message):
        ScheduleRiskSimulator(network, ESTIMATES, groups=groups)


@pytest.mark.parametrize(("keyword", "value", "message"), [("runs", 100, "between 1 000 and 10 000"), ("runs", 2.5, "whole number"), ("deadline", -5, "a number ≥ 0"), ("seed", "2024", "whole number")])
def test_are_wrong_settings_refused(network, keyword, value, message):
    with pytest.raises((ValueError, TypeError), match=message):
        ScheduleRiskSimulator(network, ESTIMATES, **{keyword: value})


# --- EarnedValueDashboard ---------------------------------------------------------------------------------


def test_does_the_dashboard_show_the_models_indicators(dashboard):
    pv = float(model.planned_curve(BAC, 24)[12])
    assert dashboard.earned_value == model.EarnedValue(bac=BAC, pv=pv, ev=480_000, ac=560_000)
    assert dashboard.planned_value == pytest.approx(600_000)


def test_does_the_work_done_slider_move_the_model_and_the_plot_in_place(dashboard):
    figure, bars, markers, forecast = dashboard.figure, list(dashboard.index_bars), dict(dashboard.markers), dashboard.forecast
    before = dashboard.earned_value
    dashboard.done_slider.value = 55
    ev = dashboard.earned_value
    assert ev.ev == pytest.approx(0.55 * BAC) and ev.cpi > before.cpi
    assert dashboard.figure is figure and list(dashboard.index_bars) == bars and dashboard.markers == markers and dashboard.forecast is forecast
    assert dashboard.markers["ev"].get_ydata()[0] == pytest.approx(ev.ev / 1e3)
    assert [bar.get_height() for bar in dashboard.index_bars] == pytest.approx([ev.cpi, ev.spi])
    assert dashboard.forecast.get_ydata()[-1] == pytest.approx(ev.eac / 1e3)


def test_does_the_money_spent_slider_change_cpi_and_the_forecast(dashboard):
    dashboard.spent_slider.value = 700  # k€
    ev = dashboard.earned_value
    assert ev.ac == 700_000 and ev.cpi == pytest.approx(480_000 / 700_000)
    assert dashboard.markers["ac"].get_ydata()[0] == 700
    assert dashboard.index_bars[0].get_height() == pytest.approx(ev.cpi)
    assert list(dashboard.forecast.get_ydata()) == pytest.approx([700, ev.eac / 1e3])
    assert dashboard.eac_label.get_text() == "EAC 1 750 k€"


def test_does_the_status_date_read_the_planned_curve(dashboard):
    curve = model.planned_curve(BAC, 24)
    dashboard.status_slider.value = 18
    assert dashboard.earned_value.pv == pytest.approx(curve[18])
    assert list(dashboard.status_line.get_xdata()) == [18, 18]
    assert dashboard.markers["pv"].get_xdata()[0] == 18
    assert dashboard.index_bars[1].get_height() == pytest.approx(dashboard.earned_value.spi)


def test_is_the_verdict_the_models_verdict(dashboard):
    first = text_of(dashboard.verdict)
    assert dashboard.earned_value.verdict() in first
    assert "Week 12 of 24: 40 % of the work done, 50 % planned by now, 47 % of the 1 200 k€ budget spent." in first
    dashboard.done_slider.value = 70
    second = text_of(dashboard.verdict)
    assert second != first and dashboard.earned_value.verdict() in second


def test_does_the_dashboard_alt_text_describe_the_current_indicators(dashboard):
    first = alt_of(dashboard.figure_view)
    assert first == dashboard.describe()
    assert "At week 12 the planned value is 600 k€, the earned value 480 k€ and the actual cost 560 k€" in first
    assert "(CPI) 0.86" in first and "(SPI) 0.80" in first and "1 400 k€" in first
    dashboard.spent_slider.value = 480
    second = alt_of(dashboard.figure_view)
    assert second != first and "(CPI) 1.00" in second


def test_does_the_dashboard_cope_with_nothing_spent_or_earned(dashboard):
    dashboard.spent_slider.value = 0
    assert dashboard.earned_value.cpi is None
    assert dashboard.index_bars[0].get_height() == 0 and dashboard.index_labels[0].get_text() == "n/a"
    assert "no forecast cost at completion yet" in dashboard.describe()
    dashboard.spent_slider.value = 100
    dashboard.done_slider.value = 0
    assert dashboard.earned_value.eac is None and "none yet" in dashboard.eac_label.get_text()
    assert dashboard.earned_value.verdict() in text_of(dashboard.verdict)


def test_do_dashboard_moves_redraw_only_the_moving_artists(dashboard):
    draws = dashboard.figure_view.full_draws
    for control, value in ((dashboard.status_slider, 20), (dashboard.done_slider, 90), (dashboard.spent_slider, 1_800), (dashboard.done_slider, 1)):
        control.value = value
    assert dashboard.figure_view.full_draws == draws
    assert "off the chart" in dashboard.eac_label.get_text()  # EAC far above the axis, given in words


def test_does_every_dashboard_slider_name_its_unit(dashboard):
    assert dashboard.status_slider.description == "Status date (week)"
    assert dashboard.done_slider.description == "Work done (% of all the work)"
    assert dashboard.spent_slider.description == "Money spent (k€)"
    big = EarnedValueDashboard(12_000_000, model.planned_curve(12_000_000, 10))
    assert big.spent_slider.description == "Money spent (M€)" and big.status_slider.description == "Status date (working day)"


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"bac": 0}, ValueError, "positive amount in euros"),
        ({"planned_curve": [0, 600_000, BAC]}, TypeError, "pandas Series"),
        ({"planned_curve": pd.Series([0, 700_000, 600_000, BAC])}, ValueError, "decreases somewhere"),
        ({"planned_curve": pd.Series([0, 500_000, 1_000_000])}, ValueError, "ends at 1 000 000 € but the budget at completion is 1 200 000 €"),
        ({"planned_curve": pd.Series([0, BAC], index=["start", "end"])}, ValueError, "indexed by time since the start"),
        ({"status": 30}, ValueError, "status must be a week between 0 and 24"),
        ({"percent_done": 120}, ValueError, "between 0 and 100 %"),
        ({"spent": -1}, ValueError, "spent must be an amount between 0"),
    ],
)
def test_are_wrong_dashboard_inputs_refused(arguments, error, message):
    settings = {"bac": BAC, "planned_curve": model.planned_curve(BAC, 24), "time_unit": "week", **arguments}
    with pytest.raises(error, match=message):
        EarnedValueDashboard(**settings)


def test_is_the_dashboard_one_displayable_widget(dashboard):
    import ipywidgets

    assert isinstance(dashboard.widget, ipywidgets.VBox)
    assert dashboard.figure_view.widget in dashboard.widget.children and dashboard.verdict in dashboard.widget.children
