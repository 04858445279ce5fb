"""Tests of the digital-maturity self-assessment (modules/smart_towns/model/maturity.py).

Scores are checked against hand computations, then against properties that hold for any set of
answers (with hypothesis), then every validation error.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.smart_towns import model
from modules.smart_towns.model import DIMENSIONS, QUESTIONS


def answers(**by_dimension) -> dict[str, int]:
    """Answers with the three answers of each named dimension given as a tuple, others 3."""
    result = {}
    for dimension in DIMENSIONS:
        values = by_dimension.get(dimension, (3, 3, 3))
        keys = [q.key for q in QUESTIONS if q.dimension == dimension]
        result.update(dict(zip(keys, values, strict=True)))
    return result


def test_are_there_three_questions_for_each_of_the_six_dimensions():
    assert len(QUESTIONS) == 18
    assert len({q.key for q in QUESTIONS}) == 18
    for dimension in DIMENSIONS:
        assert sum(q.dimension == dimension for q in QUESTIONS) == 3
        assert model.DIMENSION_LABELS[dimension]
        assert model.RECOMMENDATIONS[dimension]
    assert model.SCALE == {0: "No", 1: "Just started", 2: "Mostly", 3: "Yes, fully"}
    assert all(q.text.endswith("?") for q in QUESTIONS)


def test_does_a_middle_of_the_road_territory_get_the_hand_computed_scores():
    # ecosystem 2+1+2 = 5/9 = 55.6 %; skills 1+1+2 = 4/9 = 44.4 %; finance 1+0+1 = 2/9 = 22.2 %;
    # regulation 2+2+1 = 5/9 = 55.6 %; vision 1+2+1 = 4/9 = 44.4 %; problems 2+2+2 = 6/9 = 66.7 %.
    # Overall = mean = (5+4+2+5+4+6)/54 = 26/54 = 48.1 %. Weakest: finance. Gaps (< 50 %): skills, finance, vision.
    result = model.score(
        answers(
            ecosystem=(2, 1, 2),
            skills=(1, 1, 2),
            finance=(1, 0, 1),
            regulation=(2, 2, 1),
            vision=(1, 2, 1),
            problems=(2, 2, 2),
        )
    )
    assert list(result.by_dimension.index) == list(DIMENSIONS)
    assert result.by_dimension.to_dict() == pytest.approx(
        {
            "ecosystem": 500 / 9,
            "skills": 400 / 9,
            "finance": 200 / 9,
            "regulation": 500 / 9,
            "vision": 400 / 9,
            "problems": 600 / 9,
        }
    )
    assert result.overall == pytest.approx(2600 / 54)
    assert result.weakest == ("finance",)
    assert result.gaps == ("skills", "finance", "vision")
    assert result.recommendations == tuple(model.RECOMMENDATIONS[d] for d in ("skills", "finance", "vision"))
    assert result.verdict.startswith(
        "Not ready for a large project: start with digital skills, financial means and shared vision "
        "(digital skills 44 %; financial means 22 %; shared vision 44 %, below 50 %) before"
    )


def test_is_a_territory_that_answers_yes_everywhere_ready_for_a_pilot():
    result = model.score(answers())
    assert (result.by_dimension == 100).all() and result.overall == 100
    assert result.gaps == () and result.recommendations == ()
    assert result.weakest == DIMENSIONS  # all tied
    assert result.verdict.startswith("Ready for a first pilot:")


def test_is_a_territory_that_answers_no_everywhere_short_on_every_dimension():
    result = model.score(answers(**{d: (0, 0, 0) for d in DIMENSIONS}))
    assert (result.by_dimension == 0).all() and result.overall == 0
    assert result.gaps == DIMENSIONS and len(result.recommendations) == 6


def test_is_five_ninths_enough_but_four_ninths_a_gap():
    # 5/9 = 55.6 % ≥ 50 %: not a gap; 4/9 = 44.4 % < 50 %: a gap
    result = model.score(answers(skills=(2, 2, 1), finance=(2, 1, 1)))
    assert result.gaps == ("finance",)
    assert result.weakest == ("finance",)


def test_are_numpy_integers_accepted_as_answers():
    import numpy as np

    result = model.score({key: np.int64(value) for key, value in answers(vision=(0, 1, 2)).items()})
    assert result.by_dimension["vision"] == pytest.approx(100 / 3)


# --- Properties (hypothesis) -----------------------------------------------------------------------

answer_sets = st.lists(st.integers(0, 3), min_size=18, max_size=18).map(
    lambda values: {q.key: v for q, v in zip(QUESTIONS, values)}
)


@settings(max_examples=60, deadline=None)
@given(answer_sets, st.integers(0, 17))
def test_does_raising_one_answer_never_lower_any_score(values, position):
    before = model.score(values)
    key = QUESTIONS[position].key
    raised = dict(values, **{key: min(3, values[key] + 1)})
    after = model.score(raised)
    assert (after.by_dimension >= before.by_dimension - 1e-9).all()
    assert after.overall >= before.overall - 1e-9
    assert set(after.gaps) <= set(before.gaps)


@settings(max_examples=60, deadline=None)
@given(answer_sets)
def test_are_scores_between_0_and_100_with_one_recommendation_per_gap(values):
    result = model.score(values)
    assert ((result.by_dimension >= 0) & (result.by_dimension <= 100)).all()
    assert result.overall == pytest.approx(result.by_dimension.mean())
    assert len(result.recommendations) == len(result.gaps)
    assert all(result.by_dimension[d] < model.READY_LEVEL for d in result.gaps)
    assert result.verdict.startswith("Ready" if not result.gaps else "Not ready")


# --- Errors --------------------------------------------------------------------------------------


def test_does_an_unknown_question_say_which_keys_exist():
    values = dict(answers(), skils_staff=2)
    with pytest.raises(ValueError, match=r"'skils_staff' is not a question of the self-assessment: use the keys"):
        model.score(values)


def test_does_a_missing_answer_name_the_question_and_the_scale():
    values = answers()
    del values["finance_calls"]
    with pytest.raises(ValueError, match=r"Question 'finance_calls' .* has no answer: give a whole number on the scale 0 = 'No'"):
        model.score(values)


@pytest.mark.parametrize("bad", [4, -1, 2.5, True, "2", None])
def test_is_an_answer_outside_the_scale_refused_with_its_question(bad):
    values = dict(answers(), vision_risks=bad)
    with pytest.raises(ValueError, match=r"Question 'vision_risks' has the answer .*: give a whole number on the scale"):
        model.score(values)


def test_are_answers_refused_when_not_a_dictionary():
    with pytest.raises(ValueError, match="Give the answers as a dictionary"):
        model.score([3] * 18)


def test_is_a_question_with_an_unknown_dimension_refused():
    with pytest.raises(ValueError, match="has dimension 'money': use one of ecosystem"):
        model.Question("x", "money", "Is there money?")
