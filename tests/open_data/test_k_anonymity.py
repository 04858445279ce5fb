"""Tests of the synthetic service requests and of k-anonymity (service_requests.py, k_anonymity.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.open_data import model


@pytest.fixture(scope="module")
def requests():
    return model.synthetic_requests()


def small():
    # Six requests, by hand: (34, F, Nord, 2024-03-04) twice, (36, F, Nord, 2024-03-20),
    # (61, M, Montfavet, 2024-07-01) twice, and (None, F, Nord, 2024-03-05).
    return pd.DataFrame({
        "age": [34, 34, 36, 61, 61, None],
        "sex": ["F", "F", "F", "M", "M", "F"],
        "neighbourhood": ["Nord", "Nord", "Nord", "Montfavet", "Montfavet", "Nord"],
        "date": pd.to_datetime(["2024-03-04", "2024-03-04", "2024-03-20", "2024-07-01", "2024-07-01", "2024-03-05"]),
        "category": ["Noise", "Social help", "Noise", "Social help", "Social help", "Noise"],
    })


# --- The synthetic table ----------------------------------------------------------------------


def test_is_the_synthetic_table_the_same_on_every_call_and_different_with_another_seed(requests):
    pd.testing.assert_frame_equal(model.synthetic_requests(), requests)
    assert not model.synthetic_requests(seed=1).equals(requests)
    assert len(requests) == 4000 and list(requests.columns) == [
        "request_id", "age", "sex", "neighbourhood", "postcode", "date", "category"]
    assert requests["request_id"].is_unique and requests["date"].is_monotonic_increasing
    assert requests["age"].between(18, 95).all() and set(requests["sex"]) == {"F", "M"}
    assert set(requests["neighbourhood"]) == set(model.NEIGHBOURHOODS) and set(requests["category"]) == set(model.CATEGORIES)
    assert (requests["postcode"] == "84140").eq(requests["neighbourhood"] == "Montfavet").all()
    assert requests["date"].dt.year.eq(2024).all()


def test_do_older_residents_ask_for_social_help_more_often(requests):
    older = requests["age"] >= 70
    share = lambda rows: (requests.loc[rows, "category"] == "Social help").mean()  # noqa: E731
    assert share(older) > 2 * share(~older)


def test_does_a_wrong_size_get_a_clear_message():
    with pytest.raises(ValueError, match="at least 1"):
        model.synthetic_requests(0)


# --- Hierarchies and generalisation, by hand -------------------------------------------------


def test_does_each_level_give_the_label_the_lessons_show():
    frame = small()
    out = model.generalise(frame, {"age": 2, "sex": 1, "neighbourhood": 1, "date": 2})
    assert out["age"].tolist()[:3] == ["30–39", "30–39", "30–39"] and pd.isna(out["age"].iloc[5])
    assert set(out["sex"]) == {"*"} and out["neighbourhood"].tolist()[:4] == ["84000", "84000", "84000", "84140"]
    assert out["date"].tolist()[:4] == ["2024-Q1", "2024-Q1", "2024-Q1", "2024-Q3"]
    assert model.generalise(frame, {"age": 1})["age"].iloc[2] == "35–39"
    assert model.generalise(frame, {"age": 3})["age"].iloc[3] == "60–79"
    assert model.generalise(frame, {"date": 1})["date"].iloc[2] == "2024-03"
    pd.testing.assert_frame_equal(model.generalise(frame, {"age": 0}), frame)


def test_are_k_the_groups_and_the_records_at_risk_those_computed_by_hand():
    frame = small()
    qis = ["age", "sex", "neighbourhood", "date"]
    # Groups: (34 …) 2, (61 …) 2, (36 …) 1, (None …) 1: k = 1, 2 records alone.
    assert model.k_anonymity(frame, qis) == 1
    assert model.records_at_risk(frame, qis, 2) == 2 and model.records_at_risk(frame, qis, 3) == 6
    classes = model.equivalence_classes(frame, qis)
    assert classes["size"].tolist() == [1, 1, 2, 2] and classes["size"].sum() == len(frame)
    # The record without an age is a group of its own, not left out.
    assert classes["age"].isna().sum() == 1
    # By sex and neighbourhood only: F Nord 4, M Montfavet 2.
    assert model.k_anonymity(frame, ["sex", "neighbourhood"]) == 2
    assert model.k_anonymity(frame, []) == 6


def test_is_l_the_fewest_kinds_of_request_in_a_group():
    frame = small()
    # M Montfavet: both "Social help" (ℓ = 1, the homogeneity attack); F Nord: Noise and Social help.
    assert model.l_diversity(frame, ["sex", "neighbourhood"], "category") == 1
    assert model.l_diversity(frame, [], "category") == 2


def test_does_the_loss_follow_the_stated_rule():
    # Age 10-year band (2 of 4) → 0.5; sex 0; neighbourhood postcode (1 of 2) → 0.5; date 0: mean 25 %.
    assert model.information_loss({"age": 2, "neighbourhood": 1}) == 25.0
    assert model.information_loss({"age": 4, "sex": 1, "neighbourhood": 2, "date": 3}) == 100.0
    assert "level 2 of 4) loses 50 % of age" in model.LOSS_RULE
    assert model.information_loss({}, ()) == 0.0


# --- The graded check ------------------------------------------------------------------------


def test_does_the_raw_table_fail_and_name_its_smallest_group(requests):
    check = model.check_release(requests, {"age": 0, "sex": 0, "neighbourhood": 0, "date": 0})
    assert not check.passes and check.k == 1 and check.loss == 0
    assert check.at_risk == model.records_at_risk(requests, model.QUASI_IDENTIFIERS, 5)
    group = check.smallest_group
    assert f"aged {group['age']}" in check.message and f"in {group['neighbourhood']}" in check.message
    assert "has 1 request:" in check.message


def test_does_too_much_generalisation_fail_on_the_loss_and_say_what_to_relax(requests):
    check = model.check_release(requests, {"age": 4, "sex": 1, "neighbourhood": 2, "date": 3})
    assert check.k == len(requests) and check.loss == 100.0 and not check.passes
    assert "above the 50 % accepted" in check.message and "age is generalised the most" in check.message


def test_do_several_choices_pass_and_most_fail(requests):
    passing = []
    for levels in itertools.product(range(5), range(2), range(3), range(4)):
        chosen = dict(zip(model.QUASI_IDENTIFIERS, levels))
        check = model.check_release(requests, chosen)
        assert check.passes == (check.k >= model.K_TARGET and check.loss <= model.MAX_LOSS)
        if check.passes:
            passing.append(levels)
            assert "meets both conditions" in check.message
    # Suppressing age with the date by month, or age in 20-year bands with the date suppressed, both
    # pass: the decision is which of age or date the reusers need most.
    assert (4, 0, 0, 1) in passing and (3, 0, 0, 3) in passing
    assert 3 <= len(passing) <= 12


def test_does_the_check_refuse_levels_that_do_not_exist(requests):
    with pytest.raises(ValueError, match="'date' has none"):
        model.check_release(requests, {"age": 4, "sex": 0, "neighbourhood": 0})
    with pytest.raises(ValueError, match="Level 5 does not exist for 'age'. Its levels are: 0 = exact age"):
        model.check_release(requests, {"age": 5, "sex": 0, "neighbourhood": 0, "date": 0})
    with pytest.raises(ValueError, match="No generalisation hierarchy for 'town'"):
        model.generalise(requests, {"town": 1})
    with pytest.raises(ValueError, match="The table is empty"):
        model.k_anonymity(requests.iloc[0:0], ["age"])


# --- Properties -------------------------------------------------------------------------------


level_choices = st.tuples(st.integers(0, 4), st.integers(0, 1), st.integers(0, 2), st.integers(0, 3))


@settings(max_examples=40, deadline=None)
@given(level_choices, st.sampled_from(model.QUASI_IDENTIFIERS), st.integers(0, 400))
def test_does_generalising_one_step_further_never_lower_k(levels, column, start):
    frame = model.synthetic_requests().iloc[start:start + 300]
    chosen = dict(zip(model.QUASI_IDENTIFIERS, levels))
    if chosen[column] == model.HIERARCHIES[column].top:
        return
    further = dict(chosen, **{column: chosen[column] + 1})
    qis = list(model.QUASI_IDENTIFIERS)
    before = model.k_anonymity(model.generalise(frame, chosen), qis)
    after = model.k_anonymity(model.generalise(frame, further), qis)
    assert after >= before
    assert model.information_loss(further) > model.information_loss(chosen)


@settings(max_examples=40, deadline=None)
@given(level_choices, st.integers(1, 8))
def test_are_records_at_risk_zero_exactly_when_k_reaches_the_target(levels, target):
    frame = model.generalise(model.synthetic_requests().iloc[:250], dict(zip(model.QUASI_IDENTIFIERS, levels)))
    qis = list(model.QUASI_IDENTIFIERS)
    k = model.k_anonymity(frame, qis)
    assert (model.records_at_risk(frame, qis, target) == 0) == (k >= target)
    assert model.equivalence_classes(frame, qis)["size"].sum() == len(frame)
    assert np.all(np.diff(model.equivalence_classes(frame, qis)["size"].to_numpy()) >= 0)
