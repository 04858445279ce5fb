"""Tests of the simulations of module 3 (modules/smart_towns/widgets.py), built headless.

A simulation must react to its controls: the model output, the plotted artists, the text and the alt
text all follow a change of control, and the figure is updated in place (same figure, same artists).
The views compute nothing the model computes: the tests compare them with the model's own results,
computed here, never with numbers written down. No timing is asserted here: see
bench/bench_smart_towns_widgets.py.
"""

from __future__ import annotations

import html
import math
from dataclasses import replace

import ipywidgets
import numpy as np
import pandas as pd
import pytest

from modules.smart_towns import model
from modules.smart_towns.widgets import CounterExplorer, LightingSimulator, MaturityAssessment


def alt_of(view) -> str:
    """The alt attribute of the <img> that the figure view currently shows."""
    value = view.widget.value
    start = value.index('alt="') + len('alt="')
    return html.unescape(value[start : value.index('"', start)])


def text_of(box) -> str:
    """The plain text of an HTML box (tags kept, entities decoded)."""
    return html.unescape(box.value)


def dates_of(values) -> pd.DatetimeIndex:
    """Plotted x values (datetime64 or matplotlib date numbers) as days."""
    values = np.asarray(values)
    if np.issubdtype(values.dtype, np.datetime64):
        return pd.DatetimeIndex(values)
    import matplotlib.dates as mdates

    return pd.DatetimeIndex(mdates.num2date(values)).tz_localize(None)


# --- CounterExplorer ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def counts():
    return model.load_counts()


@pytest.fixture()
def explorer(counts):
    return CounterExplorer(counts, channel="limbert", name="Avignon")


def model_view(counts, key, start, end, by):
    """What the model says for a channel, a period and an aggregation: series, aggregation, flagged days.

    The flagged days are found on the channel's whole series (as the explorer documents), then kept
    inside the period.
    """
    series = model.channel_series(counts, key, start, end)
    anomalies = model.find_anomalies(model.channel_series(counts, key))
    inside = anomalies[(anomalies.index >= pd.Timestamp(start)) & (anomalies.index <= pd.Timestamp(end))]
    return series, model.aggregate(series, by), inside


def test_does_the_explorer_show_the_models_series_and_anomalies(explorer, counts):
    series, aggregated, anomalies = model_view(counts, "limbert", "2021-01-01", "2021-12-31", "day")
    pd.testing.assert_series_equal(explorer.series, series)
    pd.testing.assert_frame_equal(explorer.anomalies, anomalies)
    assert np.allclose(explorer.line.get_ydata(), aggregated.to_numpy(dtype=float), equal_nan=True)
    assert (dates_of(explorer.line.get_xdata()) == aggregated.index).all()


def test_are_the_markers_on_the_days_the_model_flags(explorer, counts):
    _, aggregated, anomalies = model_view(counts, "limbert", "2021-01-01", "2021-12-31", "day")
    assert len(anomalies) > 0  # Limbert has implausible days (15 July among them, per the data's checks)
    for flag, line in explorer.markers.items():
        days = anomalies.index[anomalies["flag"] == flag]
        assert list(dates_of(line.get_xdata())) == list(days)
        assert np.allclose(line.get_ydata(), aggregated.reindex(days).fillna(0.0).to_numpy(dtype=float))


def test_does_choosing_a_channel_move_the_line_in_place(explorer, counts):
    figure, line, markers, title = explorer.figure, explorer.line, dict(explorer.markers), explorer.title
    explorer.channel_dropdown.value = "daladier_bikes"
    series, aggregated, anomalies = model_view(counts, "daladier_bikes", "2021-01-01", "2021-12-31", "day")
    assert explorer.figure is figure and explorer.line is line and explorer.markers == markers and explorer.title is title
    assert np.allclose(line.get_ydata(), aggregated.to_numpy(dtype=float), equal_nan=True)
    pd.testing.assert_frame_equal(explorer.anomalies, anomalies)
    assert title.get_text() == f"{model.channel('daladier_bikes').label}: count per day"
    explorer.channel_dropdown.value = "daladier_pedestrians"
    assert model.channel("daladier_pedestrians").mode == "pedestrian" and explorer.axes.get_ylabel() == "Pedestrians per day"
    # the title and the axis labels are redrawn with the line, even when no axis limit changes
    assert {title, explorer.axes.yaxis.label, explorer.axes.xaxis.label} <= set(explorer.figure_view.dynamic_artists)
    assert explorer.axes.get_ylim()[1] >= np.nanmax(aggregated.to_numpy(dtype=float))


def test_does_the_period_slider_cut_the_series_without_changing_the_flags(explorer, counts):
    explorer.period_slider.value = (pd.Timestamp("2021-06-01"), pd.Timestamp("2021-08-01"))
    series, aggregated, anomalies = model_view(counts, "limbert", "2021-06-01", "2021-08-31", "day")
    assert explorer.period == (pd.Timestamp("2021-06-01"), pd.Timestamp("2021-08-31"))
    pd.testing.assert_series_equal(explorer.series, series)
    pd.testing.assert_frame_equal(explorer.anomalies, anomalies)
    assert np.allclose(explorer.line.get_ydata(), aggregated.to_numpy(dtype=float), equal_nan=True)
    low, high = dates_of(explorer.axes.get_xlim())
    assert low <= pd.Timestamp("2021-06-01") and high >= pd.Timestamp("2021-08-31") and high < pd.Timestamp("2021-09-05")


@pytest.mark.parametrize("by", ["week", "month"])
def test_does_the_aggregation_follow_the_model(explorer, counts, by):
    explorer.by_buttons.value = by
    series, aggregated, anomalies = model_view(counts, "limbert", "2021-01-01", "2021-12-31", by)
    assert np.allclose(explorer.line.get_ydata(), aggregated.to_numpy(dtype=float), equal_nan=True)
    assert (dates_of(explorer.line.get_xdata()) == aggregated.index).all()
    assert model.channel("limbert").mode == "bike" and explorer.axes.get_ylabel() == f"Bicycles per {by}"
    assert explorer.title.get_text() == f"{model.channel('limbert').label}: count per {by}"
    # every period holding a flagged day carries a marker of that flag, at the period's total (0 if missing)
    for flag, line in explorer.markers.items():
        days = anomalies.index[anomalies["flag"] == flag]
        marked = dates_of(line.get_xdata())
        assert len(marked) == len({explorer._period_keys([day])[0] for day in days})
        for x, y in zip(marked, line.get_ydata()):
            assert x in aggregated.index
            assert y == pytest.approx(0.0 if pd.isna(aggregated[x]) else aggregated[x])
        for day in days:
            holding = [x for x in marked if explorer._period_keys([x])[0] == explorer._period_keys([day])[0]]
            assert holding, f"{day.date()} ({flag}) has no marker"


def test_does_the_text_list_the_flagged_days_and_state_the_rule_once(explorer, counts):
    _, _, anomalies = model_view(counts, "limbert", "2021-01-01", "2021-12-31", "day")
    text = explorer.verdict.value
    assert text.count(html.escape(model.ANOMALY_RULE)) == 1
    assert f"The model flags {len(anomalies)} day" in text_of(explorer.verdict)
    for day, row in anomalies.head(20).iterrows():
        assert html.escape(str(row["reason"])) in text
        assert f"{day:%a} {day.day} {day:%b %Y}" in text
    for flag, number in anomalies["flag"].value_counts().items():
        assert f"{number} {flag}" in text_of(explorer.verdict)


def test_does_the_text_follow_the_controls(explorer, counts):
    before = explorer.verdict.value
    explorer.period_slider.value = (pd.Timestamp("2021-03-01"), pd.Timestamp("2021-03-01"))
    series, _, anomalies = model_view(counts, "limbert", "2021-03-01", "2021-03-31", "day")
    after = text_of(explorer.verdict)
    assert explorer.verdict.value != before
    assert f"counted over {int(series.notna().sum())} of 31 days" in after
    if len(anomalies):
        assert f"The model flags {len(anomalies)} day" in after
    else:
        assert "The model flags no day in this period." in after


def test_does_a_period_without_counts_get_a_kind_message(counts):
    until_june = counts[(counts["channel"] != "limbert") | (counts["day"] < pd.Timestamp("2021-07-01"))]
    explorer = CounterExplorer(until_june, channel="limbert")
    line = explorer.line
    explorer.period_slider.value = (pd.Timestamp("2021-09-01"), pd.Timestamp("2021-11-01"))
    text = text_of(explorer.verdict)
    assert 'role="alert"' in text and "Nothing to show for this period." in text
    with pytest.raises(model.EmptyPeriodError) as raised:  # the model's own words are in the message
        model.channel_series(until_june, "limbert", "2021-09-01", "2021-11-30")
    assert str(raised.value) in text
    assert explorer.line is line and len(line.get_ydata()) == 0
    assert all(len(marker.get_xdata()) == 0 for marker in explorer.markers.values())
    assert "no count" in alt_of(explorer.figure_view)
    # a period that only overlaps the data is cut to it, and the text says so
    explorer.period_slider.value = (pd.Timestamp("2021-05-01"), pd.Timestamp("2021-09-01"))
    assert explorer.series.index[-1] == pd.Timestamp("2021-06-30") and explorer.cut
    assert "only counts from" in text_of(explorer.verdict) and 'role="alert"' not in explorer.verdict.value


def test_does_the_alt_text_describe_the_current_series(explorer, counts):
    first = alt_of(explorer.figure_view)
    assert first == explorer.describe() and model.channel("limbert").label in first
    explorer.by_buttons.value = "month"
    second = alt_of(explorer.figure_view)
    assert second != first and "bicycles counted per month" in second
    monthly = model.aggregate(model.channel_series(counts, "limbert"), "month")
    assert f"highest {monthly.max():,.0f} ({monthly.idxmax():%B %Y})".replace(",", " ") in second


def test_does_the_explorer_ask_the_model_once_per_channel(explorer, monkeypatch):
    calls = []
    original = model.find_anomalies
    monkeypatch.setattr(model, "find_anomalies", lambda series: calls.append(series.name) or original(series))
    explorer.channel_dropdown.value = "daladier_pedestrians"
    explorer.by_buttons.value = "week"
    explorer.period_slider.value = (pd.Timestamp("2021-02-01"), pd.Timestamp("2021-04-01"))
    explorer.channel_dropdown.value = "limbert"
    assert calls == ["daladier_pedestrians"]


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"channel": "limbret"}, ValueError, "Did you mean 'limbert'"),
        ({"by": "year"}, ValueError, "no aggregation 'year'"),
        ({"start": "2021-09", "end": "2021-03"}, ValueError, "give a start that comes before the end"),
        ({"start": "2022-01"}, ValueError, "outside the counts"),
    ],
)
def test_are_wrong_explorer_settings_refused(counts, arguments, error, message):
    with pytest.raises(error, match=message):
        CounterExplorer(counts, **arguments)


def test_is_a_wrong_counts_frame_refused(counts):
    with pytest.raises(TypeError, match="model.load_counts"):
        CounterExplorer(counts.to_dict())
    with pytest.raises(ValueError, match="no 'count' column"):
        CounterExplorer(counts.drop(columns="count"))


def test_is_the_explorer_one_displayable_widget(explorer):
    assert isinstance(explorer.widget, ipywidgets.VBox)
    assert explorer.figure_view.widget in explorer.widget.children and explorer.verdict in explorer.widget.children
    labels = [label for label, _ in explorer.channel_dropdown.options]
    assert labels == [item.label for item in model.CHANNELS]


# --- MaturityAssessment --------------------------------------------------------------------------------


@pytest.fixture()
def assessment():
    return MaturityAssessment(model.QUESTIONS, name="Avignon")


def radar_scores(view) -> np.ndarray:
    """The scores on the radar's outline, one per dimension (the closing point left out)."""
    return np.asarray(view.line.get_ydata())[:-1]


def test_does_the_assessment_start_from_the_model_score(assessment):
    answers = {question.key: 1 for question in model.QUESTIONS}
    assert assessment.answers == answers
    expected = model.score(answers)
    pd.testing.assert_series_equal(assessment.result.by_dimension, expected.by_dimension)
    assert np.allclose(radar_scores(assessment), expected.by_dimension.reindex(model.DIMENSIONS))
    assert len(assessment.controls) == len(model.QUESTIONS)
    assert [label for label, _ in assessment.controls["skills_staff"].options] == [f"{v}: {label}" for v, label in model.SCALE.items()]


def test_does_an_answer_move_the_radar_in_place(assessment):
    figure, line, area = assessment.figure, assessment.line, assessment.area
    assessment.controls["skills_staff"].value = 3
    assessment.controls["skills_training"].value = 3
    expected = model.score(assessment.answers)
    assert assessment.answers["skills_staff"] == 3
    assert assessment.figure is figure and assessment.line is line and assessment.area is area
    assert np.allclose(radar_scores(assessment), expected.by_dimension.reindex(model.DIMENSIONS))
    assert np.allclose(np.asarray(area.get_xy())[:-1, 1][: len(model.DIMENSIONS)], expected.by_dimension.reindex(model.DIMENSIONS))
    skills = model.DIMENSIONS.index("skills")
    assert assessment.value_labels[skills].get_text() == f"{expected.by_dimension['skills']:.0f}"


def test_are_the_verdict_and_recommendations_the_models(assessment):
    result = assessment.result
    text = assessment.verdict.value
    assert html.escape(result.verdict) in text
    assert result.gaps and all(html.escape(recommendation) in text for recommendation in result.recommendations)
    for key in assessment.controls:
        assessment.controls[key].value = 3
    ready = model.score(assessment.answers)
    assert not ready.gaps and html.escape(ready.verdict) in assessment.verdict.value
    assert all(html.escape(recommendation) not in assessment.verdict.value for recommendation in model.RECOMMENDATIONS.values())


def test_are_the_question_texts_escaped():
    reworded = tuple(replace(q, text="Is <b>the</b> council ready?") if q.key == "skills_staff" else q for q in model.QUESTIONS)
    view = MaturityAssessment(reworded)

    def html_boxes(widget):
        if isinstance(widget, ipywidgets.HTML):
            yield widget.value
        for child in getattr(widget, "children", ()):
            yield from html_boxes(child)

    shown = [value for value in html_boxes(view.widget) if "council ready" in value]
    number = [q.key for q in model.QUESTIONS].index("skills_staff") + 1
    assert shown == [f"<span>Q{number}. Is &lt;b&gt;the&lt;/b&gt; council ready?</span>"]


def test_does_the_alt_text_give_every_dimension(assessment):
    first = alt_of(assessment.figure_view)
    assert first == assessment.describe()
    for dimension in model.DIMENSIONS:
        assert f"{model.DIMENSION_LABELS[dimension]} {assessment.result.by_dimension[dimension]:.0f} %" in first
    assessment.controls["finance_budget"].value = 0
    assert alt_of(assessment.figure_view) != first


def test_do_answers_redraw_only_the_moving_artists(assessment):
    draws = assessment.figure_view.full_draws
    for key, value in (("vision_shared", 3), ("problems_fit", 0), ("ecosystem_firms", 2)):
        assessment.controls[key].value = value
    assert assessment.figure_view.full_draws == draws


@pytest.mark.parametrize(
    ("questions", "answers", "message"),
    [
        (model.QUESTIONS[:-1], None, "Ask every question of model.QUESTIONS once"),
        (model.QUESTIONS + model.QUESTIONS[:1], None, "given twice"),
        (model.QUESTIONS, {"skills_staff": 5}, "skills_staff"),
        (model.QUESTIONS, {"skills_stuff": 2}, "skills_stuff"),
    ],
)
def test_are_wrong_questions_or_answers_refused(questions, answers, message):
    with pytest.raises(ValueError, match=message):
        MaturityAssessment(questions, answers=answers)


# --- LightingSimulator -----------------------------------------------------------------------------------


@pytest.fixture()
def lighting():
    return LightingSimulator(model.LightingAssumptions(), model.DIMMED_NIGHT, name="Avignon")


def monthly_mwh(installation, profile, assumptions) -> np.ndarray:
    """The model's energy per night summed per month, MWh."""
    energy = model.energy_by_day(installation, profile, model.days_of_year(assumptions.year), assumptions.place)
    return energy.groupby(energy.index.month).sum().to_numpy() / 1000


def heights(bars) -> np.ndarray:
    return np.array([bar.get_height() for bar in bars])


def test_does_the_simulator_start_from_the_assumptions(lighting):
    assumptions = model.LightingAssumptions()
    assert lighting.result == model.compare(assumptions, model.DIMMED_NIGHT)
    assert np.allclose(heights(lighting.bars["before"]), monthly_mwh(assumptions.old, model.FULL, assumptions))
    assert np.allclose(heights(lighting.bars["after"]), monthly_mwh(assumptions.new, model.DIMMED_NIGHT, assumptions))
    assert heights(lighting.bars["before"]).sum() * 1000 == pytest.approx(lighting.result.energy_before_kwh)
    assert heights(lighting.bars["after"]).sum() * 1000 == pytest.approx(lighting.result.energy_after_kwh)


def test_does_the_dimming_schedule_move_the_bars_in_place(lighting):
    figure, bars = lighting.figure, {key: list(value) for key, value in lighting.bars.items()}
    lighting.start_slider.value = 23.5
    lighting.end_slider.value = 5.0
    lighting.sliders["level"].value = 50
    profile = model.Profile(((23.5, 5.0, 0.5),))
    assumptions = model.LightingAssumptions()
    assert lighting.profile() == profile
    assert lighting.result == model.compare(assumptions, profile)
    assert lighting.figure is figure and {key: list(value) for key, value in lighting.bars.items()} == bars
    assert np.allclose(heights(lighting.bars["after"]), monthly_mwh(assumptions.new, profile, assumptions))
    assert lighting.cut_label.get_text() == f"{lighting.result.energy_cut * 100:.0f} % less energy over the year"


@pytest.mark.parametrize(
    ("slider", "value", "field"),
    [("tariff", 0.3, "tariff_eur_per_kwh"), ("emission", 60, "emission_g_per_kwh"), ("investment", 1_000, "investment_eur_per_point")],
)
def test_do_the_price_sliders_follow_the_model(lighting, slider, value, field):
    lighting.sliders[slider].value = value
    expected = model.compare(replace(model.LightingAssumptions(), **{field: float(value)}), model.DIMMED_NIGHT)
    assert lighting.result == expected
    assert html.escape(expected.verdict) in lighting.verdict.value


def test_does_the_led_power_change_the_energy_and_the_bars(lighting):
    before = lighting.result
    lighting.sliders["led_watts"].value = 40
    assumptions = replace(model.LightingAssumptions(), new=model.Installation(1400, 40.0))
    assert lighting.result == model.compare(assumptions, model.DIMMED_NIGHT)
    assert lighting.result.energy_after_kwh < before.energy_after_kwh
    assert np.allclose(heights(lighting.bars["after"]), monthly_mwh(assumptions.new, model.DIMMED_NIGHT, assumptions))


def test_is_a_full_level_no_dimming(lighting):
    lighting.sliders["level"].value = 100
    assert lighting.profile() == model.FULL
    assert lighting.result == model.compare(model.LightingAssumptions(), model.FULL)


def test_does_a_dimming_step_of_no_length_get_a_kind_message(lighting):
    lighting.start_slider.value = 22.0
    lighting.end_slider.value = 22.0
    text = text_of(lighting.verdict)
    assert 'role="alert"' in text and "starts and ends at the same time (22:00)" in text
    assert "full power all night" in text
    assert lighting.result == model.compare(model.LightingAssumptions(), model.FULL)
    assert np.allclose(heights(lighting.bars["after"]), monthly_mwh(model.LightingAssumptions().new, model.FULL, model.LightingAssumptions()))
    lighting.end_slider.value = 6.0  # corrected: the message goes away
    assert 'role="alert"' not in lighting.verdict.value and lighting.result == model.compare(model.LightingAssumptions(), model.DIMMED_NIGHT)


def test_does_the_verdict_give_energy_cost_co2_and_payback(lighting):
    result = lighting.result
    text = lighting.verdict.value
    assert html.escape(result.verdict) in text
    assert f"{result.payback_years:.1f} years" in text
    for what, before, after in lighting.figures():
        assert f"<td>{what}</td>" in text and before in text and after in text
    # LED lamps as strong as the old ones, never dimmed: the same energy, no saving, no payback
    lighting.sliders["led_watts"].value = model.LightingAssumptions().old.watts_per_point
    lighting.sliders["level"].value = 100
    assert lighting.result.savings_eur == 0 and math.isinf(lighting.result.payback_years)
    assert html.escape(lighting.result.verdict) in lighting.verdict.value and "simple payback never (no saving)" in lighting.verdict.value


def test_are_the_assumptions_shown_with_the_current_values(lighting):
    box = text_of(lighting.assumption_box)
    assert "0.20 € per kWh" in box and "32 g CO2e per kWh" in box and "700 € per light point" in box and "150 W per point" in box
    assert "photocell" in box and "no discounting" in box
    lighting.sliders["tariff"].value = 0.35
    assert "0.35 € per kWh" in text_of(lighting.assumption_box)


def test_does_the_alt_text_follow_the_schedule(lighting):
    first = alt_of(lighting.figure_view)
    assert first == lighting.describe() and model.DIMMED_NIGHT.description in first
    lighting.sliders["level"].value = 0
    second = alt_of(lighting.figure_view)
    assert second != first and model.Profile(((22.0, 6.0, 0.0),)).description in second


def test_do_lighting_moves_redraw_only_the_moving_artists(lighting):
    draws = lighting.figure_view.full_draws
    for control, value in ((lighting.start_slider, 20.0), (lighting.sliders["level"], 0), (lighting.sliders["led_watts"], 150), (lighting.sliders["tariff"], 0.5)):
        control.value = value
    assert lighting.figure_view.full_draws == draws


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"assumptions": "default"}, TypeError, "model.LightingAssumptions"),
        ({"profile": model.Profile(((22.0, 1.0, 0.5), (1.0, 6.0, 0.2)))}, ValueError, "one dimming step"),
        ({"profile": model.Profile(((22.25, 6.0, 0.5),))}, ValueError, "not on the half hour"),
        ({"assumptions": model.LightingAssumptions(tariff_eur_per_kwh=0.9)}, ValueError, "outside the slider's range"),
    ],
)
def test_are_wrong_lighting_settings_refused(arguments, error, message):
    with pytest.raises(error, match=message):
        LightingSimulator(**arguments)
