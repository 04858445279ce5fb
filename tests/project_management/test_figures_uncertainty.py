"""Tests of the views of lesson 02 (modules/project_management/figures/uncertainty.py).

The views only format: every figure they show must be the model's (a simulation, the PERT
approximation, the extensions of Avignon's orders), and every figure keeps alt text that gives its
key numbers. Each test asks one question about what a reader of the lesson sees.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from modules.common.views import plotting
from modules.project_management import model
from modules.project_management.figures import uncertainty

# A small project with two branches that merge: A, then B and C side by side, then the milestone D.
#   A (2, 3, 5) ──► B (4, 5, 9) ──┐
#     └───────────► C (4, 5, 6) ──┴─► D (milestone)
# The plan (most likely durations) ends on day 3 + 5 = 8; B and C are both critical in it.


def alt_of(shown) -> str:
    """The alt text of an accessible figure, as a screen reader would read it."""
    markup = shown._repr_mimebundle_()["text/html"]
    return html.unescape(re.search(r'alt="([^"]*)"', markup).group(1))


@pytest.fixture(scope="module")
def network():
    return model.Network(
        [
            model.Task("A", 3),
            model.Task("B", 5, ("A",)),
            model.Task("C", 5, ("A",)),
            model.Task("D", 0, ("B", "C")),
        ]
    )


@pytest.fixture(scope="module")
def estimates():
    return {"A": model.ThreePoint(2, 3, 5), "B": model.ThreePoint(4, 5, 9), "C": model.ThreePoint(4, 5, 6)}


@pytest.fixture(scope="module")
def result(network, estimates):
    return model.simulate(network, estimates, runs=2_000, seed=7, distribution="pert")


@pytest.fixture(scope="module")
def extended() -> pd.DataFrame:
    """A hand-made table with the columns of model.extensions that the views read."""
    return pd.DataFrame(
        {
            "overrun_days": [8.0, 8.0, 15.0, 22.0, 5.0, 90.0],
            "reason": [
                "les travaux n'ont pu être terminés",
                "les travaux n'ont pu être terminés",
                "travaux non terminés",
                "pour cause d'intempérie",
                "les travaux ont été reportés",
                None,
            ],
            "reason_category": ["works not finished", "works not finished", "works not finished", "weather", "late start", "other"],
        },
        index=pd.Index([f"21-AT-{n:04d}" for n in range(1, 7)], name="arretesrcid"),
    )


# -- formatting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "text"), [(15.0, "15"), (6.6667, "6.7"), (1.3333, "1.3"), (0, "0")])
def test_days_are_written_without_useless_decimals(value, text):
    assert uncertainty.days(value) == text


@pytest.mark.parametrize(("share", "text"), [(0.357, "36 %"), (0.001, "under 1 %"), (0.998, "over 99 %"), (1.0, "100 %"), (0.0, "0 %")])
def test_shares_never_round_a_near_certainty_to_zero_or_all(share, text):
    assert uncertainty.percent(share) == text


def test_a_duration_is_reached_on_the_next_whole_day():
    assert uncertainty.day_reached(141.2) == 142
    assert uncertainty.day_reached(140.0) == 140


# -- three-point estimates ------------------------------------------------------------------------


def test_estimates_table_shows_the_pert_figures_of_the_model(network, estimates):
    table = uncertainty.estimates_table(network, estimates).frame
    assert list(table.index) == network.names
    assert table.loc["B", "PERT mean"] == uncertainty.days(estimates["B"].pert_mean)
    assert table.loc["B", "PERT sd"] == uncertainty.days(estimates["B"].pert_sd)
    assert table.loc["B", "pessimistic b"] == "9"
    assert table.loc["D", "after"] == "B, C"
    assert table.loc["D", "most likely m"] == "0" and table.loc["D", "PERT sd"] == "0"


def test_estimates_table_rounds_the_lessons_hand_check():
    single = model.Network([model.Task("Task", 6)])
    table = uncertainty.estimates_table(single, {"Task": model.ThreePoint(4, 6, 12)}).frame
    assert table.loc["Task", "PERT mean"] == "6.7"
    assert table.loc["Task", "PERT sd"] == "1.3"


def test_dates_table_puts_the_four_methods_side_by_side(network, estimates, result):
    approximation = model.pert_approximation(network, estimates)
    chain = model.Network([model.Task("A", 3), model.Task("B", 5, ("A",))])
    chain_result = model.simulate(chain, {"A": estimates["A"], "B": estimates["B"]}, runs=2_000, seed=7, distribution="pert")
    table = uncertainty.dates_table(result.plan_duration, approximation, chain_result, result, deadline=10)
    assert len(table) == 4
    plan_row, pert_row, chain_row, network_row = (table.iloc[i] for i in range(4))
    assert plan_row["P50"] == plan_row["P80"] == "8"
    assert pert_row["P80"] == uncertainty.days(approximation.percentile(0.8))
    assert chain_row["P50"] == uncertainty.days(chain_result.p50)
    assert network_row["P80"] == uncertainty.days(result.p80)
    assert network_row["chance of day 10"] == uncertainty.percent(result.probability_by(10))


def test_chance_table_gives_the_models_probability_for_each_date(result):
    table = uncertainty.chance_table(result, {"plan": 8, "deadline": 10})
    assert table.loc["plan", "chance of finishing by then"] == uncertainty.percent(result.probability_by(8))
    assert table.loc["deadline", "working day"] == "10"


# -- Monte Carlo figures ----------------------------------------------------------------------------


def test_finish_histogram_alt_text_gives_plan_p50_p80_and_the_deadline(result):
    shown = uncertainty.finish_histogram(result, deadline=10, name="the test project")
    assert isinstance(shown, plotting.AccessibleFigure)
    alt = alt_of(shown)
    assert f"by day {uncertainty.day_reached(result.p50)} (P50)" in alt
    assert f"by day {uncertainty.day_reached(result.p80)} (P80)" in alt
    assert f"day 10, is met in {uncertainty.percent(result.probability_by(10))}" in alt
    assert "ends on day 8" in alt
    labels = [text.get_text() for text in shown.figure.axes[0].get_legend().get_texts()]
    assert f"P80: day {uncertainty.day_reached(result.p80)}" in labels and "Deadline: day 10" in labels


def test_finish_histogram_counts_every_run(result):
    shown = uncertainty.finish_histogram(result)
    heights = [patch.get_height() for patch in shown.figure.axes[0].patches]
    assert sum(heights) == pytest.approx(100.0)


def test_critical_share_chart_leaves_milestones_out_and_lists_each_share(network, result):
    shown = uncertainty.critical_share_chart(result, network, name="the test project")
    axes = shown.figure.axes[0]
    assert [label.get_text() for label in axes.get_yticklabels()] == ["A", "B", "C"]
    widths = sorted(patch.get_width() for patch in axes.patches)
    assert widths == pytest.approx(sorted(result.critical_share[["A", "B", "C"]] * 100))
    alt = alt_of(shown)
    assert f"B {uncertainty.percent(result.critical_share['B'])}" in alt
    assert "D " not in alt


# -- the reference class ---------------------------------------------------------------------------


def test_reasons_table_counts_each_category_with_a_real_example(extended):
    table = uncertainty.reasons_table(extended).frame
    assert table.loc["works not finished", "extension orders"] == 3
    assert table.loc["works not finished", "share"] == "50 %"
    assert table.loc["works not finished", "example, as written"] == "les travaux n'ont pu être terminés"
    assert table.loc["other", "example, as written"] == "(no reason written)"
    assert table["extension orders"].sum() == len(extended)


def test_reasons_table_shows_long_reasons_in_full():
    long_reason = "la réalisation du marquage routier n'est pas terminée et il y a lieu de tout mettre en oeuvre"
    frame = pd.DataFrame({"overrun_days": [8.0], "reason": [long_reason], "reason_category": ["works not finished"]})
    assert html.escape(long_reason, quote=False) in uncertainty.reasons_table(frame)._repr_html_()


def test_overrun_histogram_alt_text_gives_the_median_p80_and_the_tail(extended):
    alt = alt_of(uncertainty.overrun_histogram(extended))
    added = extended["overrun_days"]
    assert f"median is {uncertainty.days(added.median())} days" in alt
    assert f"at most {uncertainty.days(added.quantile(0.8))} days" in alt
    assert "reaches 90 days" in alt and "6 extension orders" in alt


def test_reference_class_chart_marks_each_target_day():
    day = np.arange(10, 31)
    chance = pd.Series(np.where(day < 15, 0.85, np.where(day < 21, 0.9, 1.0)), index=day)
    shown = uncertainty.reference_class_chart(chance, plan=10, targets={0.8: 10, 0.9: 15})
    alt = alt_of(shown)
    assert "85 % on the planned day 10" in alt
    assert "80 % by day 10; 90 % by day 15" in alt
    assert "100 % by day 30" in alt
