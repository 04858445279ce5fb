"""The figures and tables of lesson 03 show the model's numbers, and every figure has its alt text."""

import math

import numpy as np
import pandas as pd
import pytest

from modules.smart_towns import model
from modules.smart_towns.figures import investment as views

ANSWERS = {q.key: (i % 4) for i, q in enumerate(model.QUESTIONS)}


@pytest.fixture(scope="module")
def year_2021():
    return model.days_of_year(2021)


def test_does_the_radar_draw_each_dimension_at_its_score():
    result = model.score(ANSWERS)
    shown = views.maturity_radar(result, "Testville")
    polar = shown.figure.axes[0]
    outline = polar.lines[0].get_ydata()
    assert list(outline[:-1]) == pytest.approx(list(result.by_dimension[list(model.DIMENSIONS)]))
    assert outline[-1] == outline[0]  # the outline is closed
    ring = polar.lines[1].get_ydata()
    assert set(np.round(ring, 9)) == {model.READY_LEVEL}
    assert "Testville" in shown.alt and model.DIMENSION_LABELS["problems"] in shown.alt


def test_does_the_maturity_table_give_a_recommendation_for_each_gap_only():
    result = model.score(ANSWERS)
    table = views.maturity_table(result).frame
    for dimension in model.DIMENSIONS:
        row = table.loc[model.DIMENSION_LABELS[dimension]]
        assert row["Score"] == f"{result.by_dimension[dimension]:.0f} %"
        expected = model.RECOMMENDATIONS[dimension] if dimension in result.gaps else ""
        assert row["What to do first"] == expected


def test_does_the_nights_chart_shade_sunset_to_sunrise(year_2021):
    nights = model.nights(year_2021)
    shown = views.nights_chart(nights, model.DIMMED_NIGHT, "Avignon")
    band = shown.figure.axes[0].collections[0]
    vertices = band.get_paths()[0].vertices[:, 1]
    assert vertices.min() == pytest.approx(nights["dusk"].min(), abs=1e-9)
    assert vertices.max() == pytest.approx(nights["dawn"].max() + 24, abs=1e-9)
    assert f"{nights['hours'].sum():,.0f}".replace(",", " ") in shown.caption
    assert "21 December" in shown.alt and "20 June" in shown.alt


def test_are_the_monthly_bars_the_models_energy(year_2021):
    assumptions = model.LightingAssumptions()
    before = model.energy_by_day(assumptions.old, model.FULL, year_2021)
    after = {"LED": model.energy_by_day(assumptions.new, model.DIMMED_NIGHT, year_2021)}
    shown = views.monthly_energy_chart(before, after)
    containers = shown.figure.axes[0].containers
    heights_before = [bar.get_height() for bar in containers[0]]
    heights_after = [bar.get_height() for bar in containers[1]]
    assert heights_before == pytest.approx(list(before.groupby(before.index.month).sum() / 1000))
    assert heights_after == pytest.approx(list(after["LED"].groupby(after["LED"].index.month).sum() / 1000))
    assert f"{before.sum() / 1000:,.0f}".replace(",", " ") in shown.alt


def test_does_the_result_table_print_the_models_payback_and_never_for_no_savings():
    assumptions = model.LightingAssumptions()
    good = model.compare(assumptions, model.FULL)
    worse = model.compare(
        model.LightingAssumptions(new=model.Installation(assumptions.old.points, 200.0)), model.FULL)
    table = views.result_table({"LED": good, "Brighter lamps": worse})
    assert table.loc["LED", "Simple payback"] == f"{good.payback_years:.1f} years"
    assert math.isinf(worse.payback_years) and table.loc["Brighter lamps", "Simple payback"] == "never"
    assert table.loc["LED", "Energy cut"] == f"{good.energy_cut * 100:.0f} %"


def test_does_the_sensitivity_table_format_paybacks_and_keep_other_columns():
    frame = pd.DataFrame({"Input": ["tariff", "none"], "Simple payback (years)": [8.5714, math.inf]})
    shown = views.sensitivity_table(frame)
    assert list(shown["Simple payback (years)"]) == ["8.6", "never"]
    assert list(shown["Input"]) == ["tariff", "none"]


def test_does_the_questions_table_show_every_question_in_full():
    table = views.questions_table(model.QUESTIONS)
    assert len(table.frame) == len(model.QUESTIONS)
    assert all(q.text in table._repr_html_() for q in model.QUESTIONS)
