"""Tests of crash plans (modules/project_management/model/crashing.py), the graded decision's engine.

Most cases use certain durations (a = m = b) so that the P80 is the deterministic duration and
every figure can be computed by hand; one case checks the uncertain version.
"""

from __future__ import annotations

import pytest

from modules.project_management import model
from modules.project_management.model import CrashOption, Network, Task, ThreePoint

# Design (4) → Works (10) → Handover (8), and Furniture (12) in parallel, both before Opening (0).
# Critical path Design + Works + Handover = 22 days; Furniture has 22 − 12 = 10 days of float.


def network() -> Network:
    return Network(
        [
            Task("Design", 4),
            Task("Works", 10, "Design"),
            Task("Handover", 8, "Works"),
            Task("Furniture", 12),
            Task("Opening", 0, "Handover, Furniture"),
        ]
    )


def certain() -> dict[str, ThreePoint]:
    return {task.name: ThreePoint.fixed(task.duration) for task in network().tasks}


OPTIONS = {
    "Works": CrashOption(cost_per_day=1_000, max_days=3),
    "Handover": CrashOption(cost_per_day=2_000, max_days=2),
    "Furniture": CrashOption(cost_per_day=500, max_days=5),
}


def check(plan, *, budget=5_000, deadline=19, **options):
    return model.check_plan(network(), certain(), OPTIONS, plan, budget=budget, deadline=deadline, runs=200, **options)


def test_does_a_plan_on_the_critical_path_within_budget_meet_the_deadline():
    # Works −3 days: 4 + 7 + 8 = 19 ≤ 19; cost 3 × 1 000 = 3 000 € ≤ 5 000 €
    result = check({"Works": 3})
    assert result.meets
    assert result.problems == []
    assert result.cost == 3_000 and result.p80 == 19 and result.days_late == 0 and result.over_budget == 0
    assert result.feedback().startswith("Your plan meets the deadline: P80 19.0 working days")


def test_does_a_plan_one_day_short_say_by_how_much_and_what_to_speed_up():
    # Works −2: 4 + 8 + 8 = 20, one day after the deadline of 19
    result = check({"Works": 2})
    assert not result.meets and result.days_late == 1
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.startswith("The P80 end is 20.0 working days, 1.0 days after the deadline of 19.")
    # the critical tasks that can still be sped up, with what is left and the price
    assert "'Works' (critical in 100 % of runs, 1 more days possible at 1 000 €/day)" in problem
    assert "'Handover' (critical in 100 % of runs, 2 more days possible at 2 000 €/day)" in problem
    assert "Furniture" not in problem  # never critical
    assert result.feedback().startswith("Your plan does not pass yet. The P80 end is 20.0")


def test_does_speeding_up_a_task_with_float_buy_nothing():
    result = check({"Furniture": 5})
    assert result.p80 == 22 and result.cost == 2_500
    assert not result.meets


def test_is_a_plan_over_budget_refused_even_if_it_meets_the_deadline():
    # Works −3 and Handover −2: 17 days; 3 000 + 4 000 = 7 000 €, 2 000 € over 5 000 €
    result = check({"Works": 3, "Handover": 2})
    assert result.p80 == 17 and result.cost == 7_000 and result.over_budget == 2_000
    assert result.problems == [
        "The plan costs 7 000 €, 2 000 € over the budget of 5 000 €: speed up fewer days or choose cheaper tasks."
    ]
    assert not result.meets


def test_is_a_task_that_cannot_be_sped_up_reported_and_ignored():
    result = check({"Design": 3, "Works": 3})
    assert "'Design' cannot be sped up (it has no crash option): remove it from the plan." in result.problems
    assert result.p80 == 19 and result.cost == 3_000  # Design left as it is
    assert not result.meets


def test_are_more_days_than_allowed_reported_simulated_at_the_maximum_and_costed_as_asked():
    result = check({"Works": 4}, budget=10_000)
    assert result.problems == ["'Works' is sped up by 4 days, but at most 3 are possible: plan 3 days or fewer."]
    assert result.p80 == 19 and result.cost == 4_000


def test_are_unknown_tasks_and_bad_day_counts_reported_not_raised():
    result = check({"Wroks": 3, "Handover": -1, "Furniture": "two"})
    assert any(p.startswith("'Wroks' is not a task of the network: check the spelling") for p in result.problems)
    assert "'Handover' is planned for -1 days: give a number of working days, 0 or more." in result.problems
    assert "'Furniture' is planned for 'two' days: give a number of working days, 0 or more." in result.problems
    assert result.cost == 0


def test_is_a_plan_that_is_not_a_dictionary_reported():
    result = check([("Works", 3)])
    assert result.problems[0].startswith("The plan is not a dictionary")
    assert result.p80 == 22


def test_does_an_empty_plan_that_already_meets_pass():
    assert check({}, deadline=22).meets


def test_does_crashing_one_of_two_parallel_critical_paths_not_help():
    parallel = Network([Task("A", 5), Task("B", 5), Task("End", 0, "A, B")])
    options = {"A": CrashOption(100, 2), "B": CrashOption(100, 2)}
    estimates = {"A": ThreePoint.fixed(5), "B": ThreePoint.fixed(5)}
    one = model.check_plan(parallel, estimates, options, {"A": 1}, budget=1_000, deadline=4, runs=50)
    assert one.p80 == 5 and not one.meets
    assert "'B' (critical in 100 % of runs" in one.problems[0]
    both = model.check_plan(parallel, estimates, options, {"A": 1, "B": 1}, budget=1_000, deadline=4, runs=50)
    assert both.meets and both.cost == 200


def test_does_the_feedback_say_when_nothing_more_can_be_done():
    result = check({"Works": 3, "Handover": 2}, budget=100_000, deadline=10)
    assert "No task that is ever critical can be sped up further" in result.problems[0]


def test_is_an_uncertain_plan_judged_on_its_p80_reproducibly():
    estimates = {"Works": ThreePoint(8, 10, 16), "Handover": ThreePoint(6, 8, 12)}
    first = model.check_plan(network(), estimates, OPTIONS, {"Works": 3, "Handover": 1}, budget=6_000, deadline=21)
    again = model.check_plan(network(), estimates, OPTIONS, {"Works": 3, "Handover": 1}, budget=6_000, deadline=21)
    assert first.p80 == again.p80
    assert first.result.p80 == first.p80 and first.percentile == 0.8
    # the P80 of the crashed network is the P80 of the simulation of the crashed estimates
    crashed = model.apply_crash(network(), estimates, {"Works": 3, "Handover": 1})
    assert model.simulate(network(), crashed).p80 == pytest.approx(first.p80)
    assert first.meets == (first.p80 <= 21)


def test_can_the_required_share_of_runs_be_changed():
    estimates = {"Works": ThreePoint(8, 10, 16)}
    p90 = model.check_plan(network(), estimates, OPTIONS, {}, budget=0, deadline=30, percentile=0.9)
    p50 = model.check_plan(network(), estimates, OPTIONS, {}, budget=0, deadline=30, percentile=0.5)
    assert p90.p80 >= p50.p80


# --- apply_crash and crash_cost -------------------------------------------------------------------


def test_does_apply_crash_shorten_all_three_points_never_below_zero():
    estimates = {"Works": ThreePoint(4, 6, 12)}
    assert model.apply_crash(network(), estimates, {"Works": 2})["Works"] == ThreePoint(2, 4, 10)
    assert model.apply_crash(network(), estimates, {"Works": 5})["Works"] == ThreePoint(0, 1, 7)
    assert model.apply_crash(network(), estimates, {"Works": 20})["Works"] == ThreePoint(0, 0, 0)


def test_does_apply_crash_shorten_a_task_without_estimate_from_its_fixed_duration():
    crashed = model.apply_crash(network(), {"Works": ThreePoint(4, 6, 12)}, {"Handover": 2})
    assert crashed == {"Works": ThreePoint(4, 6, 12), "Handover": ThreePoint.fixed(6)}


def test_does_apply_crash_check_the_plan_against_the_options():
    with pytest.raises(ValueError, match="at most 3 are possible: plan 3 days or fewer"):
        model.apply_crash(network(), {}, {"Works": 4}, OPTIONS)
    with pytest.raises(ValueError, match="'Design' cannot be sped up"):
        model.apply_crash(network(), {}, {"Design": 1}, OPTIONS)
    with pytest.raises(ValueError, match="The plan names 'Wroks', which is not a task"):
        model.apply_crash(network(), {}, {"Wroks": 1})
    with pytest.raises(ValueError, match="The plan gives -1 days for 'Works'"):
        model.apply_crash(network(), {}, {"Works": -1})
    with pytest.raises(ValueError, match="Give the plan as a mapping"):
        model.apply_crash(network(), {}, [("Works", 1)])


def test_is_the_cost_of_a_plan_days_times_cost_per_day():
    assert model.crash_cost(OPTIONS, {"Works": 2, "Furniture": 3}) == 2 * 1_000 + 3 * 500
    with pytest.raises(ValueError, match="'Design' cannot be sped up"):
        model.crash_cost(OPTIONS, {"Design": 1})


# --- Validation of the course's own inputs -----------------------------------------------------------


@pytest.mark.parametrize(
    "values, message",
    [
        ((-1, 2), "cost_per_day is -1: give a finite number of € per day saved, 0 or more"),
        ((100, float("nan")), "max_days is nan: give a finite number of working days"),
        (("100", 2), "cost_per_day is '100'"),
    ],
)
def test_are_bad_crash_options_refused(values, message):
    with pytest.raises(ValueError, match=message):
        CrashOption(*values)


def test_are_bad_course_inputs_to_check_plan_refused():
    with pytest.raises(ValueError, match="budget is -1: give a finite number of €"):
        check({}, budget=-1)
    with pytest.raises(ValueError, match="deadline is nan"):
        check({}, deadline=float("nan"))
    with pytest.raises(ValueError, match="percentile is 80: give a fraction between 0 and 1"):
        check({}, percentile=80)
    with pytest.raises(ValueError, match="options names 'Roof', which is not a task"):
        model.check_plan(network(), {}, {"Roof": CrashOption(1, 1)}, {}, budget=0, deadline=30)
    with pytest.raises(ValueError, match=r"The option of 'Works' is \(1, 1\): give CrashOption"):
        model.check_plan(network(), {}, {"Works": (1, 1)}, {}, budget=0, deadline=30)
    with pytest.raises(ValueError, match="Give options as a mapping"):
        model.check_plan(network(), {}, [], {}, budget=0, deadline=30)
