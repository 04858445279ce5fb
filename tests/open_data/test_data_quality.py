"""Tests of the data-quality report (modules/open_data/model/data_quality.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from modules.common import data
from modules.open_data import model

AVIGNON_PB = data.data_path("budgeting", "avignon_budget_participatif_2017", "84007-budgetParticipatif2017.csv")


@pytest.mark.parametrize(("spelling", "key"), [
    ("  Nord-Rocade ", "nord rocade"),
    ("NORD_ROCADE", "nord rocade"),
    ("Île-Sainte-Hélène", "ile sainte helene"),
    ("L'Isle-sur-la-Sorgue", "l isle sur la sorgue"),
    ("L’Isle", "l isle"),
    ("tous\tsecteurs\n", "tous secteurs"),
])
def test_does_the_key_of_a_spelling_follow_the_fold_rule(spelling, key):
    assert model.fold(spelling) == key


def test_does_the_stated_rule_give_the_examples_it_quotes():
    for example in ('"Nord-Rocade "', '"nord rocade"', '"NORD_ROCADE"'):
        assert example in model.FOLD_RULE
        assert model.fold(example.strip('"')) == "nord rocade"


@given(st.text(max_size=30))
def test_is_folding_idempotent(text):
    assert model.fold(model.fold(text)) == model.fold(text)


def test_are_the_spellings_of_avignons_sectors_found():
    frame, _ = model.read_open_csv(AVIGNON_PB)
    variants = model.category_variants(frame["projet_secteur"])
    assert variants == {"intra": ("Intra", "intra"), "nord": ("Nord", "nord")}
    normalised = model.normalise_categories(frame["projet_secteur"])
    # intra 5 + Intra 1 → 6 under "intra" (the most frequent spelling); Nord 5 + nord 1 → 6 "Nord".
    counts = normalised.value_counts().to_dict()
    assert counts["intra"] == 6 and counts["Nord"] == 6 and counts["Est"] == 1 and counts["Sud Rocade"] == 1
    assert sum(counts.values()) == 33


def test_does_a_canonical_list_name_each_category_and_stop_on_an_unknown_one():
    values = pd.Series(["intra", " Intra ", None, "Nord-Rocade"])
    canonical = {"intra": "Intra-muros", "nord rocade": "Nord Rocade"}
    named = model.normalise_categories(values, canonical)
    assert named[[0, 1, 3]].tolist() == ["Intra-muros", "Intra-muros", "Nord Rocade"] and pd.isna(named[2])
    with pytest.raises(ValueError, match="Unknown categories: 'Centre'"):
        model.normalise_categories(pd.Series(["intra", "Centre"]), canonical)


def test_does_a_tie_between_spellings_go_to_the_first_alphabetically():
    assert model.normalise_categories(pd.Series(["nord", "Nord"])).tolist() == ["Nord", "Nord"]


def test_does_the_report_find_missing_values_duplicates_and_spellings():
    frame = pd.DataFrame({
        "id": [1, 2, 2, 3, 4, 5],
        "sector": ["Nord", "nord", "nord", "Sud", "Sud", "Nord"],
        "cost": [10.0, None, None, 5.0, 4.0, 3.0],
        "empty": [None] * 6,
    })
    report = model.quality_report(frame, key="id")
    # Rows 2 and 3 are identical (one duplicate row, one repeated key); cost misses 2 of 6 values.
    assert report.rows == 6 and report.duplicate_rows == 1 and report.duplicate_keys == 1
    assert report.columns.loc["cost", "missing"] == 2 and report.columns.loc["cost", "missing_pct"] == 33.3
    assert report.columns.loc["empty", "type"] == "empty" and report.columns.loc["id", "type"] == "number"
    assert report.inconsistent == {"sector": {"nord": ("Nord", "nord")}}
    problems = "\n".join(report.problems())
    for expected in ("'cost' is missing 2 of 6 values (33 %)", "holds no value at all", "1 rows repeat an earlier row",
                     "repeat the key 'id'", "'Nord' / 'nord'"):
        assert expected in problems


def test_are_names_and_addresses_not_taken_for_categories():
    frame = pd.DataFrame({"name": ["Aire de jeux", "Aire de jeux ", "Jardin", "Fontaine"]})
    assert model.quality_report(frame).inconsistent == {}


def test_does_a_clean_table_have_no_problem_and_a_wrong_key_a_clear_message():
    frame = pd.DataFrame({"id": [1, 2], "sector": ["Nord", "Sud"]})
    assert model.quality_report(frame, key="id").problems() == []
    with pytest.raises(ValueError, match="No column 'code' to use as the key"):
        model.quality_report(frame, key="code")
    with pytest.raises(TypeError, match="fold expects a text"):
        model.fold(12)
