"""The shared helpers that every module's lessons and simulations rely on."""

from __future__ import annotations

import base64
import re

import pytest

from modules.common import data
from modules.common.formatting import format_euros
from modules.common.views import plotting, widgets


def test_a_dataset_is_found_wherever_the_course_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # lessons may run from any folder
    frame = data.read_csv("budgeting", "lanester_budget_primitif_2019", "budget.csv")
    assert [label.endswith(("Fonctionnement</span>", "Investissement</span>")) for label in frame["label"]] == [True, True]
    assert frame["count"].sum() == 28_357_095 + 11_561_723


def test_an_unknown_module_names_the_modules_that_have_data():
    with pytest.raises(data.DatasetNotFoundError, match="Modules with datasets: .*budgeting"):
        data.data_dir("budgetting")


def test_a_missing_file_lists_the_files_that_exist():
    with pytest.raises(data.DatasetNotFoundError, match="budget.csv"):
        data.data_path("budgeting", "lanester_budget_primitif_2019", "budjet.csv")


def test_every_dataset_has_an_attribution_line():
    readmes = sorted(data.data_dir("budgeting").parent.parent.glob("*/data/*/README.md"))
    assert len(readmes) >= 7
    for readme in readmes:
        slug, dataset = readme.parts[-4], readme.parts[-2]
        line = data.attribution(slug, dataset)
        assert len(line) > 20 and ("Source" in line or "Données" in line or "Budget" in line), f"{dataset}: {line}"


def test_every_dataset_folder_has_a_readme():
    root = data.data_dir("budgeting").parent.parent
    folders = [folder for folder in root.glob("*/data/*") if folder.is_dir()]
    assert len(folders) >= 7
    assert [folder for folder in folders if not (folder / "README.md").exists()] == []


def test_a_figure_without_units_is_refused():
    with pytest.raises(ValueError, match="ylabel"):
        plotting.new_figure("Debt", "Year", "")


def test_a_figure_is_shown_with_its_alt_text_and_caption():
    fig, axes = plotting.new_figure("Debt stock", "Year", "Million euros (M€)")
    axes.plot([2019, 2020], [10, 12])
    bundle = plotting.show(fig, alt="Debt rises from 10 to 12 M€ <fast>", caption="Source: Lanester").\
        _repr_mimebundle_()
    html = bundle["text/html"]
    assert 'alt="Debt rises from 10 to 12 M€ &lt;fast&gt;"' in html
    assert "<figcaption>Source: Lanester</figcaption>" in html
    encoded = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(encoded).startswith(b"\x89PNG")


def test_a_figure_needs_alt_text():
    fig, _ = plotting.new_figure("Debt stock", "Year", "M€")
    with pytest.raises(ValueError, match="alt text"):
        plotting.img_tag(fig, "  ")


def test_euros_are_formatted_for_learners():
    assert format_euros(28_357_095) == "28.4 M€"
    assert format_euros(1_500_000, "k€") == "1 500.0 k€"
    assert format_euros(1_077_500, "€") == "1 077 500 €"
    with pytest.raises(ValueError, match="Unknown unit"):
        format_euros(1, "$")


def test_a_slider_names_its_unit_and_rejects_a_start_outside_its_range():
    control = widgets.slider("Tax rate change", 1.0, -5.0, 5.0, 0.5, unit="%/year")
    assert control.description == "Tax rate change (%/year)"
    assert control.continuous_update is False
    with pytest.raises(ValueError, match="outside"):
        widgets.slider("Tax rate change", 9.0, -5.0, 5.0, 0.5)


def test_a_figure_view_redraws_the_same_figure_with_new_data_and_alt_text():
    fig, axes = plotting.new_figure("Savings", "Year", "M€")
    (line,) = axes.plot([1, 2, 3], [1, 1, 1])
    description = {"text": "flat savings"}
    view = widgets.FigureView(fig, lambda: description["text"])
    before = view.widget.value
    line.set_ydata([1, 2, 3])
    description["text"] = "rising savings"
    view.refresh()
    assert view.figure is fig
    assert 'alt="rising savings"' in view.widget.value and view.widget.value != before


def test_a_figure_view_moves_only_its_dynamic_artists_while_the_axes_stay_the_same():
    fig, axes = plotting.new_figure("Savings", "Year", "M€")
    axes.set_ylim(0, 10)
    (line,) = axes.plot([1, 2, 3], [1, 1, 1])
    view = widgets.FigureView(fig, lambda: "savings", dynamic_artists=[line])
    first_png, draws = view.render(), view.full_draws

    line.set_ydata([5, 6, 7])
    moved_png = view.render()
    assert view.full_draws == draws, "moving a line inside fixed axes should not redraw the whole figure"
    assert moved_png != first_png

    line.set_ydata([1, 1, 1])
    assert view.render() == first_png, "the pasted background must not keep the old line"

    axes.set_ylim(0, 20)
    view.render()
    assert view.full_draws == draws + 1, "new axis limits need a full draw"
