"""Tests of the figures and tables of the open-data lessons (modules/open_data/figures/).

A view draws what the model computed: the tests compare each plotted value, table cell and alt text
with the model's own results, computed here, and check that every figure can be read (title, axes
labelled, alt text that names the figures shown).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from modules.common import data
from modules.common.views.tables import FullTable
from modules.open_data import model
from modules.open_data.figures import describing, opening, protecting

BIKES = data.data_path("open_data", "montreal_comptage_velo_2012", "bikes.csv")
PROJECTS = data.data_path("budgeting", "avignon_budget_participatif_2017", "84007-budgetParticipatif2017.csv")


@pytest.fixture(scope="module")
def requests():
    return model.synthetic_requests()


# --- Lesson 1 ---------------------------------------------------------------------------------


def test_does_the_report_table_give_every_finding_of_the_reader():
    _table, report = model.read_open_csv(BIKES)
    table = opening.report_table(report).frame
    found = dict(zip(table["What"], table["Found"]))
    assert found["Encoding"] == "Latin-1 (ISO-8859-1)" and found["Separator"] == "semicolon"
    assert found["Rows of data"] == "310" and found["Rows one field short"] == "295"
    assert found["Empty columns"] == ", ".join(report.empty_columns)
    assert found["Dates in 'Date'"].startswith("%d/%m/%Y (day first")


def test_does_the_quality_table_show_the_columns_with_something_to_say():
    projects, _ = model.read_open_csv(PROJECTS)
    table = opening.quality_table(model.quality_report(projects, key="id")).frame
    assert set(table["Column"]) == {"projet_secteur", "projet_cout"}
    assert table.loc[table["Column"] == "projet_secteur", "Spelled in several ways"].iloc[0] == "Intra / intra; Nord / nord"
    assert table.loc[table["Column"] == "projet_cout", "Missing"].iloc[0] == "1 of 33 (3 %)"


def test_does_the_date_chart_draw_the_counts_at_both_readings():
    raw = pd.read_csv(BIKES, sep=";", encoding="latin-1")
    right = pd.Series(raw["Berri 1"].to_numpy(), index=pd.to_datetime(raw["Date"], dayfirst=True))
    swapped = pd.Series(raw["Berri 1"].to_numpy(), index=pd.to_datetime(raw["Date"], format="%m/%d/%Y", errors="coerce"))
    shown = opening.date_order_chart(right, swapped, "Berri 1", "credit")
    top, bottom = shown.figure.axes
    assert np.array_equal(top.lines[0].get_ydata(), right.to_numpy())
    assert len(bottom.collections[0].get_offsets()) == swapped.index.notna().sum()
    lost, same = swapped.index.isna().sum(), int((swapped.index == right.index).sum())
    assert f"{lost} of the 310 days have no date at all" in shown.alt and f"only {same} " in shown.alt
    assert all(axes.get_ylabel() for axes in (top, bottom))


def test_does_the_sector_chart_count_the_projects_before_and_after():
    projects, _ = model.read_open_csv(PROJECTS)
    normalised = model.normalise_categories(projects["projet_secteur"])
    shown = opening.sector_chart(projects["projet_secteur"], normalised, "credit")
    left, right = shown.figure.axes
    assert sum(bar.get_width() for bar in left.patches) == sum(bar.get_width() for bar in right.patches) == 33
    assert len(left.patches) == projects["projet_secteur"].nunique() == 10 and len(right.patches) == 8
    assert "intra 5, Intra 1" in shown.alt and "intra 6" in shown.alt


# --- Lesson 2 ---------------------------------------------------------------------------------


def test_does_the_gaps_chart_count_the_records_lacking_each_field():
    catalogue = model.read_catalogue()
    shown = describing.gaps_chart(catalogue, "credit")
    widths = [bar.get_width() for bar in shown.figure.axes[0].patches]
    assert widths == [int((~catalogue[f"has_{field.name}"]).sum()) for field in model.FIELDS]
    assert "Update frequency (23), Topic category (18), Link marked as a download (23)" in shown.alt


def test_do_the_legal_tables_state_the_threshold_and_the_licences():
    duty = describing.duty_table().frame
    assert "3,500 inhabitants and 50 agents" in " ".join(duty["What it says"])
    licences = describing.licence_table().frame
    assert list(licences["Share-alike"].str[:3]) == ["no", "yes", "no"]
    assert licences["French administrations may use it"].tolist()[:2] == ["yes, by decree", "yes, by decree"]


def test_does_the_stars_table_show_each_rating():
    cases = {"csv": model.rate(online=True, licence="ODbL", formats=["CSV"]), "none": model.rate(online=True, licence=None)}
    table = describing.stars_table(cases).frame
    assert table["Stars"].tolist() == ["★★★☆☆", "☆☆☆☆☆"] and table["Why"].iloc[1] == "no star"


def test_is_the_json_ld_shortened_but_still_json_at_its_start():
    dataset = model.from_record(model.catalogue_files()[6])
    text = describing.jsonld_text(model.to_jsonld(dataset), limit=10_000)
    assert text.startswith("{") and '"@type": "dcat:Dataset"' in text and "..." in text


def test_does_the_catalogue_table_sort_by_score():
    table = describing.catalogue_table(model.read_catalogue())
    assert isinstance(table, FullTable) and table.frame["Score (%)"].is_monotonic_increasing


# --- Lesson 3 ---------------------------------------------------------------------------------


def test_are_the_size_shares_those_of_the_groups(requests):
    sizes = model.equivalence_classes(requests, ["sex", "neighbourhood"])["size"]
    shares = protecting.size_shares(sizes)
    assert shares.sum() == pytest.approx(100) and shares["50+"] == pytest.approx(100)
    assert protecting.size_shares(pd.Series([1, 1, 3, 5]))["1"] == pytest.approx(20.0)


def test_does_the_group_size_chart_draw_the_share_of_each_table(requests):
    raw = model.equivalence_classes(requests, list(model.QUASI_IDENTIFIERS))["size"]
    shown = protecting.group_size_chart({"Raw": raw})
    heights = [bar.get_height() for bar in shown.figure.axes[0].patches]
    assert heights == pytest.approx(protecting.size_shares(raw).tolist())
    assert shown.figure.axes[0].lines[0].get_xdata()[0] == 1.5  # between the bins "2–4" and "5–9"
    with pytest.raises(ValueError, match="k_target must be one of them"):
        protecting.group_size_chart({"Raw": raw}, k_target=4)


def test_does_the_tradeoff_chart_join_the_best_choices(requests):
    three = ("age", "sex", "neighbourhood")
    rows = []
    for levels in itertools.product(range(5), range(2), range(3)):
        check = model.check_release(requests, dict(zip(three, levels)), quasi_identifiers=three)
        rows.append({"k": check.k, "loss": check.loss, "label": str(levels)})
    points = pd.DataFrame(rows)
    shown = protecting.tradeoff_chart(points, 5, 50, three)
    front = shown.figure.axes[0].lines[0]
    xs, ys = front.get_xdata(), front.get_ydata()
    assert list(xs) == sorted(xs) and list(ys) == sorted(ys) and ys[-1] == len(requests)
    for loss, k in zip(xs, ys):  # no choice beats a point of the front: as much protection for less loss
        assert not ((points["loss"] < loss) & (points["k"] >= k)).any()
    cheapest = points[points["k"] >= 5].sort_values("loss").iloc[0]
    assert f"loses {cheapest['loss']:.1f} %" in shown.alt


def test_do_the_uniqueness_and_levels_tables_show_the_model():
    table = protecting.uniqueness_table([("sex", 1846, 0.0), ("age, sex", 1, 4.71)]).frame
    assert table["Requests alone in their group"].tolist() == ["0.0 %", "4.7 %"]
    levels = protecting.levels_table().frame
    assert levels.loc[levels["Quasi-identifier"] == "date", "Levels"].iloc[0] == "0: day → 1: month → 2: quarter → 3: suppressed"
