"""Tests of the simulations of module 4 (modules/open_data/widgets/), built headless.

A simulation must react to its controls: the plotted artists, the text and the alt text follow a
change of control, and the figure is updated in place (same figure, same artists). The views
compute nothing the model computes: the tests compare them with the model's own results, computed
here. No timing is asserted here: see bench/bench_open_data_widgets.py.
"""

from __future__ import annotations

import html

import ipywidgets
import numpy as np
import pytest
from matplotlib.colors import to_hex

from modules.common.views import plotting
from modules.open_data import model
from modules.open_data.widgets import MetadataExplorer, PublishSimulator
from modules.open_data.widgets.release_simulator import SIZE_BINS


def alt_of(view) -> str:
    """The alt attribute of the <img> that the figure view currently shows."""
    value = view.widget.value
    start = value.index('alt="') + len('alt="')
    return html.unescape(value[start : value.index('"', start)])


def text_of(box) -> str:
    return html.unescape(box.value)


@pytest.fixture(scope="module")
def records():
    return model.read_records()


@pytest.fixture
def explorer(records):
    return MetadataExplorer(records)


@pytest.fixture(scope="module")
def requests():
    return model.synthetic_requests()


@pytest.fixture
def simulator(requests):
    return PublishSimulator(requests)


# --- Metadata explorer ------------------------------------------------------------------------


def test_does_the_explorer_show_the_models_scores_sorted(explorer, records):
    scores = sorted(model.completeness(record) for record in records)
    assert explorer.table["completeness"].tolist() == scores
    assert [bar.get_width() for bar in explorer.bars] == scores
    assert explorer.selected == explorer.table["file"].iloc[0]


def test_does_choosing_a_record_move_the_highlight_in_place(explorer, records):
    figure, bars = explorer.figure, list(explorer.bars)
    target = explorer.table["file"].iloc[-1]
    explorer.select(target)
    assert explorer.figure is figure and explorer.bars == bars
    colours = [to_hex(bar.get_facecolor()) for bar in explorer.bars]
    assert colours[-1] == to_hex(plotting.PALETTE["blue"]) and set(colours[:-1]) == {to_hex(plotting.PALETTE["sky"])}
    assert "The highlighted bar is the chosen record" in alt_of(explorer.figure_view)
    assert f"at {explorer.table['completeness'].iloc[-1]:.1f} %" in alt_of(explorer.figure_view)


def test_does_the_text_give_what_the_reuser_loses_the_stars_and_the_dcat_status(explorer, records):
    record = next(r for r in records if r.file == "84007budgetPaticipatif2017-opendata-metadata.xml")
    explorer.select(record.file)
    text = text_of(explorer.verdict)
    for field in model.missing_fields(record):
        assert field.label in text and field.why in text
    rating = model.rate(online=True, licence=record.licence, formats=record.formats)
    assert f"{rating} ({rating.stars} of 5)" in text and rating.next_step in text
    assert "a valid description can be built from this record" in text
    assert model.COMPLETENESS_RULE in text


def test_does_a_record_refused_by_dcat_ap_say_why(records):
    raw = model.catalogue_files()[0].read_bytes()
    start, end = raw.index(b"<gmd:title>"), raw.index(b"</gmd:title>") + len(b"</gmd:title>")
    untitled = model.read_record(raw[:start] + raw[end:])
    explorer = MetadataExplorer([untitled, *records[1:]])
    explorer.select(untitled.file)
    text = text_of(explorer.verdict)
    assert "(no title)" in text and "mandatory property missing: Dataset: title" in text


def test_does_the_explorer_accept_the_catalogue_table(records):
    explorer = MetadataExplorer(model.read_catalogue())
    assert sorted(explorer.records) == sorted(record.file for record in records)


@pytest.mark.parametrize(("argument", "error", "message"), [
    ([], ValueError, "at least one metadata record"),
    (["not a record"], TypeError, "model.MetadataRecord"),
])
def test_are_wrong_records_refused(argument, error, message):
    with pytest.raises(error, match=message):
        MetadataExplorer(argument)


def test_is_an_unknown_file_refused(explorer):
    with pytest.raises(ValueError, match="No record 'x.xml' in this catalogue"):
        explorer.select("x.xml")


# --- Publish simulator ------------------------------------------------------------------------


def test_does_the_simulator_start_from_the_raw_table(simulator, requests):
    check = model.check_release(requests, {name: 0 for name in model.QUASI_IDENTIFIERS})
    assert simulator.result == check and not simulator.result.passes
    assert simulator.shares.sum() == pytest.approx(100)
    assert check.message in text_of(simulator.verdict)


def test_do_the_levels_move_the_bars_in_place_and_follow_the_model(simulator, requests):
    figure, bars = simulator.figure, list(simulator.bars)
    levels = {"age": 3, "sex": 0, "neighbourhood": 0, "date": 3}
    simulator.set_levels(levels)
    check = model.check_release(requests, levels)
    assert simulator.figure is figure and simulator.bars == bars and simulator.result == check
    sizes = model.equivalence_classes(model.generalise(requests, levels), list(model.QUASI_IDENTIFIERS))["size"].to_numpy()
    expected = [100 * sizes[(sizes >= low) & (sizes <= high)].sum() / len(requests) for _, low, high in SIZE_BINS]
    assert [bar.get_height() for bar in simulator.bars] == pytest.approx(expected)
    assert check.message in text_of(simulator.verdict) and "meets both conditions" in text_of(simulator.verdict)
    assert f"k = {check.k}" in alt_of(simulator.figure_view)


def test_are_small_groups_drawn_in_the_alert_colour(simulator):
    colours = [to_hex(bar.get_facecolor()) for bar in simulator.bars]
    for (_, low, _), colour in zip(SIZE_BINS, colours):
        expected = plotting.ALERT_COLOUR if low < model.K_TARGET else plotting.PALETTE["blue"]
        assert colour == to_hex(expected)


def test_does_a_control_change_update_the_verdict(simulator, requests):
    simulator.levels["age"].value = 4
    check = model.check_release(requests, {"age": 4, "sex": 0, "neighbourhood": 0, "date": 0})
    assert simulator.result == check and check.message in text_of(simulator.verdict)


def test_does_unticking_a_column_leave_it_out_of_k_and_of_the_loss(simulator, requests):
    simulator.set_levels({"age": 2}, quasi_identifiers=["age", "sex", "neighbourhood"])
    qis = ["age", "sex", "neighbourhood"]
    assert simulator.result == model.check_release(requests, {"age": 2, "sex": 0, "neighbourhood": 0}, qis)
    assert simulator.result.loss == model.information_loss({"age": 2}, qis)


def test_does_no_ticked_column_get_a_kind_message(simulator, requests):
    simulator.set_levels({}, quasi_identifiers=[])
    assert simulator.result is None and "No column is ticked" in text_of(simulator.verdict)
    assert simulator.shares[-1] == 100 and f"k = {len(requests)}" in alt_of(simulator.figure_view)


def test_do_the_levels_offer_the_hierarchys_names(simulator):
    for name in model.QUASI_IDENTIFIERS:
        assert [label for label, _ in simulator.levels[name].options] == list(model.HIERARCHIES[name].levels)


def test_do_moves_redraw_only_the_moving_artists(simulator):
    draws = simulator.figure_view.full_draws
    for level in (1, 2, 3, 2):
        simulator.levels["date"].value = level
    assert simulator.figure_view.full_draws == draws


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"quasi_identifiers": ("age", "town")}, "No generalisation hierarchy for 'town'"),
])
def test_are_wrong_simulator_settings_refused(requests, kwargs, message):
    with pytest.raises(ValueError, match=message):
        PublishSimulator(requests, **kwargs)


def test_are_an_empty_table_and_unknown_levels_refused(requests, simulator):
    with pytest.raises(ValueError, match="The table is empty"):
        PublishSimulator(requests.iloc[0:0])
    with pytest.raises(ValueError, match="'town' is not among this simulator's columns"):
        simulator.set_levels({"town": 1})


def test_are_both_simulations_one_displayable_widget(explorer, simulator):
    for view in (explorer, simulator):
        assert isinstance(view.widget, ipywidgets.VBox)
        assert np.all([isinstance(child, ipywidgets.Widget) for child in view.widget.children])
