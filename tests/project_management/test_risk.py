"""Tests of three-point estimates and the Monte Carlo simulation (modules/project_management/model/risk.py).

Formulas are checked against values computed by hand, the simulation against the exact
distribution of a one-task project (whose quantiles have a closed form), then properties that
must hold for any network (with hypothesis), and the validation errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.project_management import model
from modules.project_management.model import Network, Task, ThreePoint

from .test_network import five_tasks, networks

# --- Three-point estimates --------------------------------------------------------------------------


def test_is_the_pert_estimate_the_textbook_one():
    # a = 4, m = 6, b = 12: mean (4 + 24 + 12) / 6 = 40 / 6 = 6.67; sd (12 − 4) / 6 = 1.33
    estimate = ThreePoint(4, 6, 12)
    assert estimate.pert_mean == pytest.approx(6.667, abs=0.001)
    assert estimate.pert_sd == pytest.approx(1.333, abs=0.001)
    assert estimate.pert_variance == pytest.approx(16 / 9)
    # triangular: (4 + 6 + 12) / 3 = 7.33, sd √((16 + 36 + 144 − 24 − 48 − 72) / 18) = √(52 / 18) = 1.70
    assert estimate.triangular_mean == pytest.approx(7.333, abs=0.001)
    assert estimate.triangular_sd == pytest.approx(math.sqrt(52 / 18))


def test_does_widening_scale_the_spread_around_the_most_likely_value():
    estimate = ThreePoint(4, 6, 12)
    assert estimate.widened(2).as_tuple() == (2, 6, 18)
    assert estimate.widened(0.5).as_tuple() == (5, 6, 9)
    assert estimate.widened(0) == ThreePoint.fixed(6)
    assert estimate.widened(10).optimistic == 0  # never below 0 days
    assert estimate.widened(1) == estimate


@pytest.mark.parametrize(
    "points, message",
    [
        ((8, 6, 12), r"optimistic \(8\) is larger than most_likely \(6\)"),
        ((4, 13, 12), r"most_likely \(13\) is larger than pessimistic \(12\)"),
        ((-1, 6, 12), "optimistic is -1: a duration cannot be negative"),
        ((4, math.nan, 12), "most_likely is nan: give a finite number"),
        ((4, 6, math.inf), "pessimistic is inf: give a finite number"),
        ((4, "6", 12), "most_likely is '6': give a finite number"),
    ],
)
def test_are_bad_three_point_estimates_refused(points, message):
    with pytest.raises(ValueError, match=message):
        ThreePoint(*points)


def test_is_a_negative_widening_factor_refused():
    with pytest.raises(ValueError, match="factor is -1: give a number 0 or more"):
        ThreePoint(4, 6, 12).widened(-1)


# --- The simulation on a one-task project, against the exact distribution --------------------------


def one_task() -> Network:
    return Network([Task("Works", 6)])


def test_does_the_triangular_simulation_match_the_exact_quantiles():
    # Triangular(4, 6, 12): F(6) = (6 − 4) / (12 − 4) = 0.25, so the quantiles above 0.25 are
    # q(p) = 12 − √((1 − p)(12 − 4)(12 − 6)): median 12 − √24 = 7.10, P80 12 − √9.6 = 8.90.
    result = model.simulate(one_task(), {"Works": ThreePoint(4, 6, 12)})
    assert result.p50 == pytest.approx(12 - math.sqrt(24), abs=0.06)
    assert result.p80 == pytest.approx(12 - math.sqrt(9.6), abs=0.06)
    assert result.mean == pytest.approx(22 / 3, abs=0.06)
    assert result.sd == pytest.approx(math.sqrt(52 / 18), abs=0.05)
    assert result.finish.min() >= 4 and result.finish.max() <= 12
    # P(finish ≤ 6) = F(6) = 0.25: the most likely duration is met only one time in four
    assert result.probability_by(6) == pytest.approx(0.25, abs=0.015)
    assert result.plan_duration == 6


def test_does_the_pert_simulation_have_the_pert_mean():
    result = model.simulate(one_task(), {"Works": ThreePoint(4, 6, 12)}, distribution="pert")
    assert result.mean == pytest.approx(40 / 6, abs=0.05)
    assert result.distribution == "pert"


def test_does_the_same_seed_give_the_same_runs_and_another_seed_others():
    estimates = {"A": ThreePoint(2, 3, 6), "C": ThreePoint(3, 4, 9)}
    first = model.simulate(five_tasks(), estimates, runs=500, seed=7)
    again = model.simulate(five_tasks(), estimates, runs=500, seed=7)
    other = model.simulate(five_tasks(), estimates, runs=500, seed=8)
    np.testing.assert_array_equal(first.finish, again.finish)
    assert not np.array_equal(first.finish, other.finish)
    assert first.runs == 500 and first.seed == 7 and first.finish.shape == (500,)
    assert first.samples.shape == (500, 5) and first.names == ["A", "B", "C", "D", "E"]


def test_do_tasks_without_an_estimate_keep_their_fixed_duration():
    result = model.simulate(five_tasks(), {"A": ThreePoint(2, 3, 6)}, runs=200)
    for name in ("B", "C", "D", "E"):
        column = result.names.index(name)
        assert (result.samples[:, column] == five_tasks().task(name).duration).all()


def test_does_a_certain_estimate_stay_constant():
    result = model.simulate(one_task(), {"Works": ThreePoint(5, 5, 5)}, runs=100)
    assert (result.finish == 5).all()
    assert result.percentile(0) == result.percentile(1) == 5


def test_are_plain_tuples_accepted_as_estimates():
    result = model.simulate(one_task(), {"Works": (4, 6, 12)}, runs=100)
    assert result.finish.min() >= 4


def test_is_the_plan_date_rarely_the_likely_date():
    # Three parallel tasks, each most likely 10 days, each more likely to slip than to gain:
    # the project ends with the longest, so its median is well beyond the 10-day plan.
    network = Network([Task(name, 10) for name in "ABC"] + [Task("End", 0, "A, B, C")])
    estimates = {name: ThreePoint(9, 10, 16) for name in "ABC"}
    result = model.simulate(network, estimates)
    assert result.plan_duration == 10
    assert result.p50 > 12
    # P(one task ≤ 10) = (10 − 9) / (16 − 9) = 1/7, so P(all three ≤ 10) = (1/7)³ ≈ 0.003
    assert result.probability_by(10) == pytest.approx((1 / 7) ** 3, abs=0.002)


def test_are_parallel_identical_tasks_each_critical_about_half_the_time():
    network = Network([Task("Start", 0), Task("A", 5, "Start"), Task("B", 5, "Start"), Task("End", 0, "A, B")])
    estimates = {"A": ThreePoint(3, 5, 8), "B": ThreePoint(3, 5, 8)}
    share = model.simulate(network, estimates).critical_share
    assert share["Start"] == share["End"] == 1
    assert share["A"] == pytest.approx(0.5, abs=0.03)
    assert share["A"] + share["B"] == pytest.approx(1, abs=0.001)  # a tie has probability 0
    assert list(model.simulate(network, estimates).most_critical(2).index) == ["Start", "End"]


def test_does_the_critical_share_follow_the_longer_branch():
    # C (3 → 9 days) against B (1 → 3): C is always longer, so it is always critical and B never
    network = Network([Task("A", 2), Task("B", 2, "A"), Task("C", 5, "A"), Task("D", 1, "B, C")])
    result = model.simulate(network, {"B": ThreePoint(1, 2, 3), "C": ThreePoint(3, 5, 9)})
    assert result.critical_share.to_dict() == {"A": 1.0, "B": 0.0, "C": 1.0, "D": 1.0}


def test_does_the_summary_hold_the_key_figures():
    result = model.simulate(one_task(), {"Works": ThreePoint(4, 6, 12)}, runs=1000)
    summary = result.summary()
    assert summary["p80"] == result.p80 and summary["plan"] == 6 and summary["runs"] == 1000
    assert summary["probability_of_plan"] == result.probability_by(6)


# --- The PERT normal approximation ------------------------------------------------------------------


def test_is_the_pert_approximation_the_sum_along_the_critical_path():
    # A (2, 3, 10): mean 4, variance (8/6)² = 1.778; B (1, 2, 3): mean 2, variance (2/6)² = 0.111
    # Project: mean 6, sd √1.889 = 1.374; the median of a normal is its mean.
    network = Network([Task("A", 3), Task("B", 2, "A")])
    approx = model.pert_approximation(network, {"A": ThreePoint(2, 3, 10), "B": ThreePoint(1, 2, 3)})
    assert approx.mean == pytest.approx(6)
    assert approx.sd == pytest.approx(math.sqrt(16 / 9 + 1 / 9))
    assert approx.path == ("A", "B")
    assert approx.percentile(0.5) == pytest.approx(6)
    assert approx.probability_by(6) == pytest.approx(0.5)
    assert approx.percentile(0.8) == pytest.approx(6 + 0.8416 * approx.sd, abs=0.001)


def test_does_the_pert_approximation_pick_the_most_uncertain_of_parallel_critical_paths():
    network = Network([Task("A", 5), Task("B", 5)])
    approx = model.pert_approximation(network, {"A": ThreePoint(5, 5, 5), "B": ThreePoint(2, 5, 8)})
    assert approx.path == ("B",)
    certain = model.pert_approximation(network, {})
    assert certain.sd == 0 and certain.percentile(0.8) == 5 and certain.probability_by(5) == 1.0


def test_is_the_pert_approximation_optimistic_against_the_simulation():
    network = Network([Task(name, 10) for name in "ABC"] + [Task("End", 0, "A, B, C")])
    estimates = {name: ThreePoint(9, 10, 16) for name in "ABC"}
    simulated = model.simulate(network, estimates, distribution="pert")
    assert model.pert_approximation(network, estimates).percentile(0.8) < simulated.p80


# --- Properties (hypothesis) -----------------------------------------------------------------------


@st.composite
def uncertain_networks(draw):
    network = draw(networks(max_tasks=8))
    estimates = {}
    for name in network.names:
        if draw(st.booleans()):
            points = sorted(draw(st.lists(st.integers(0, 20), min_size=3, max_size=3)))
            estimates[name] = ThreePoint(*points)
    return network, estimates


@settings(max_examples=60, deadline=None)
@given(uncertain_networks(), st.sampled_from(model.DISTRIBUTIONS))
def test_property_p80_is_never_before_p50(case, distribution):
    network, estimates = case
    result = model.simulate(network, estimates, runs=300, seed=1, distribution=distribution)
    assert result.p80 >= result.p50
    assert result.percentile(1) >= result.p80


@settings(max_examples=60, deadline=None)
@given(uncertain_networks())
def test_property_every_run_lies_between_the_optimistic_and_pessimistic_schedules(case):
    network, estimates = case
    result = model.simulate(network, estimates, runs=300, seed=2)
    low = model.project_duration(network, {n: e.optimistic for n, e in estimates.items()})
    high = model.project_duration(network, {n: e.pessimistic for n, e in estimates.items()})
    assert (result.finish >= low - 1e-9).all() and (result.finish <= high + 1e-9).all()
    assert ((result.critical_share >= 0) & (result.critical_share <= 1)).all()


@settings(max_examples=80, deadline=None)
@given(networks(max_tasks=10, integer=False))
def test_property_without_uncertainty_the_simulation_is_the_schedule(network):
    estimates = {task.name: ThreePoint.fixed(task.duration) for task in network.tasks}
    result = model.simulate(network, estimates, runs=50)
    duration = model.project_duration(network)
    assert np.allclose(result.finish, duration, atol=1e-9)
    assert result.p50 == pytest.approx(duration) and result.p80 == pytest.approx(duration)
    critical = model.schedule(network)["critical"].astype(float)
    assert result.critical_share.to_dict() == critical.to_dict()


# --- Validation -------------------------------------------------------------------------------------


def test_are_bad_simulation_inputs_refused():
    network = one_task()
    estimate = {"Works": ThreePoint(4, 6, 12)}
    with pytest.raises(ValueError, match="estimates names 'Wroks', which is not a task of the network"):
        model.simulate(network, {"Wroks": ThreePoint(4, 6, 12)})
    with pytest.raises(ValueError, match=r"The estimate of 'Works' is 6: give ThreePoint"):
        model.simulate(network, {"Works": 6})
    with pytest.raises(ValueError, match="Give estimates as a mapping"):
        model.simulate(network, [ThreePoint(4, 6, 12)])
    with pytest.raises(ValueError, match="runs is 0: give a whole number of simulated projects, 1 or more"):
        model.simulate(network, estimate, runs=0)
    with pytest.raises(ValueError, match="runs is 100.0"):
        model.simulate(network, estimate, runs=100.0)
    with pytest.raises(ValueError, match="distribution is 'normal': choose \"triangular\" or \"pert\""):
        model.simulate(network, estimate, distribution="normal")
    with pytest.raises(ValueError, match="seed is -1: give a whole number 0 or more"):
        model.simulate(network, estimate, seed=-1)
    with pytest.raises(ValueError, match="Expected a Network"):
        model.simulate("network", estimate)


def test_are_bad_percentiles_and_days_refused():
    result = model.simulate(one_task(), {"Works": ThreePoint(4, 6, 12)}, runs=100)
    with pytest.raises(ValueError, match="p is 80: give a fraction between 0 and 1 .you may have given a percentage"):
        result.percentile(80)
    with pytest.raises(ValueError, match="p is -0.1: give a fraction between 0 and 1"):
        result.percentile(-0.1)
    with pytest.raises(ValueError, match="day is 'soon'"):
        result.probability_by("soon")
    approx = model.pert_approximation(one_task(), {"Works": ThreePoint(4, 6, 12)})
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        approx.percentile(1)


def test_does_a_seed_of_none_still_simulate():
    result = model.simulate(one_task(), {"Works": ThreePoint(4, 6, 12)}, runs=10, seed=None)
    assert result.seed is None and result.finish.shape == (10,)
