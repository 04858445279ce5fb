"""Tests of the participatory-budgeting model (modules/budgeting/model/participatory.py) and its views.

Lesson 03 reads Avignon's 2017 projects, simulates votes, and shares an envelope with the greedy
rule and the Method of Equal Shares. Each rule is checked on small cases computed by hand (the
computation is written next to the assertion), then against properties that must hold for any
input (with hypothesis); the tables that explain Equal Shares' result (who paid for what, each
sector's share of voters and of funds, why a project drops out, how a selection compares with the
city's real list) are checked by hand on a four-voter case.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.budgeting import model
from modules.budgeting.figures import participatory as views


@pytest.fixture(scope="module")
def avignon():
    projects = model.avignon_2017_projects()
    ballots = model.simulate_votes(projects, voters=1000, seed=2017)
    return projects, ballots


def four_voters():
    """Four voters with 100 € each (envelope 400 €), five projects, two sectors and a city-wide one.

    Approval utilities, no completion, by hand:
    - round 1: ρ = cost / supporters: D 90/2 = 45, A 150/3 = 50, E 110/2 = 55, B 120/2 = 60;
      C (200 €) is backed by v4 alone, who holds 100 €: never affordable. D is funded, v1 and v2 pay 45 (55 left).
    - round 2: A: 150/3 = 50, which v1 and v2 (55) can pay; E: 110/2 = 55; B: 60. A is funded:
      v1 and v2 pay 50 (5 left), v3 pays 50 (50 left).
    - round 3: E: v1 and v2 hold 10 € < 110 €: out. B: an equal split (60) is more than v3's 50,
      so v3 pays all 50 and v4 pays the other 70 (ρ = 70). B is funded; v4 keeps 30 €.
    Funded D, A, B: 360 €.
    """
    projects = pd.DataFrame(
        {
            "cost": [90.0, 150.0, 110.0, 120.0, 200.0],
            "sector": ["North", model.CITY_WIDE, "North", "South", "South"],
            "retained": [True, False, True, True, False],
        },
        index=list("DAEBC"),
    )
    ballots = pd.DataFrame(
        {"D": [1, 1, 0, 0], "A": [1, 1, 1, 0], "E": [1, 1, 0, 0], "B": [0, 0, 1, 1], "C": [0, 0, 0, 1]},
        index=pd.Index(["v1", "v2", "v3", "v4"], name="voter"),
    ).astype(bool)
    homes = pd.Series(["North", "North", "South", "South"], index=ballots.index, name="home sector")
    return projects, ballots, homes


# --- Avignon 2017 participatory budget ----------------------------------------------------------


def test_are_the_avignon_sectors_cleaned():
    projects = model.avignon_2017_projects()
    assert set(projects["sector"]) == {"Intra-muros", "Nord", "Nord Rocade", "Sud Rocade", "Est", "Ouest", "Montfavet", "Tous secteurs"}
    assert model.clean_sector(" intra ") == model.clean_sector("Intra") == "Intra-muros"
    assert model.clean_sector("nord") == "Nord"


def test_is_the_project_without_a_cost_handled_explicitly():
    kept = model.avignon_2017_projects(missing_cost="keep")
    dropped = model.avignon_2017_projects()
    assert len(kept) == 33 and len(dropped) == 32
    assert kept["cost"].isna().sum() == 1
    assert kept.loc[20, "retained"] and math.isnan(kept.loc[20, "cost"])
    with pytest.raises(ValueError, match="no cost"):
        model.greedy_allocation(kept, pd.Series(1, index=kept.index), 500_000)


def test_do_the_avignon_costs_add_up_as_published():
    projects = model.avignon_2017_projects()
    # SOURCES.md: 1,077,500 € for the 22 retained projects (one without a cost) and 323,500 € for the 11 others
    assert projects.loc[projects["retained"], "cost"].sum() == 1_077_500
    assert projects.loc[~projects["retained"], "cost"].sum() == 323_500
    assert (~projects["name"].str.contains("\n")).all()


def test_did_every_avignon_project_fit_the_yearly_pledge():
    # the lesson's claim: the 32 costed projects cost 1,401,000 € together, less than the 1,500,000 € a year
    projects = model.avignon_2017_projects()
    assert projects["cost"].sum() == 1_401_000 < 1_500_000
    assert (~projects["retained"]).sum() == 11


def test_are_simulated_votes_reproducible_with_a_seed():
    projects = model.avignon_2017_projects()
    first = model.simulate_votes(projects, voters=300, seed=7)
    again = model.simulate_votes(projects, voters=300, seed=7)
    other = model.simulate_votes(projects, voters=300, seed=8)
    assert first.equals(again)
    assert not first.equals(other)
    assert first.shape == (300, 32)
    assert list(first.columns) == list(projects.index)


def test_are_the_voters_homes_those_of_the_simulated_ballots():
    projects = model.avignon_2017_projects()
    homes = model.voter_sectors(projects, voters=400, seed=11)
    ballots = model.simulate_votes(projects, voters=400, seed=11, home_share=0.9, away_share=0.0, city_share=0.0)
    assert homes.index.equals(ballots.index)
    assert set(homes) <= set(projects["sector"]) - {model.CITY_WIDE}
    # with no approval away from home, every approval a voter gives is for a project of their home sector
    sector_of = projects["sector"]
    for voter, row in ballots.iterrows():
        assert (sector_of[row[row].index] == homes[voter]).all()
    # the homes do not depend on how often voters approve
    assert homes.equals(model.voter_sectors(projects, voters=400, seed=11))


def test_do_voters_live_where_projects_are_proposed():
    # 30 costed local projects, 6 in Intra-muros: about 20 % of the simulated voters live there
    projects = model.avignon_2017_projects()
    homes = model.voter_sectors(projects, voters=1000, seed=2017)
    assert (projects["sector"] == "Intra-muros").sum() == 6
    assert abs((homes == "Intra-muros").mean() - 6 / 30) < 0.03


# --- The greedy rule ----------------------------------------------------------------------------


def test_does_greedy_skip_a_project_that_no_longer_fits():
    projects = pd.DataFrame({"cost": [60.0, 50.0, 30.0, 20.0]}, index=["A", "B", "C", "D"])
    votes = {"A": 10, "B": 9, "C": 8, "D": 8}
    result = model.greedy_allocation(projects, votes, 100)
    # A (60, 40 left); B (50) does not fit; C and D tie at 8 votes: D is cheaper, goes first (20 left); C (30) does not fit
    assert result.funded == ("A", "D")
    assert result.spent == 80 and result.left_over == 20
    assert result.share is None


def test_are_greedy_ties_broken_by_cost_then_list_order():
    projects = pd.DataFrame({"cost": [10.0, 10.0, 5.0]}, index=["x", "y", "z"])
    result = model.greedy_allocation(projects, {"x": 3, "y": 3, "z": 3}, 15)
    assert result.funded == ("z", "x")


# --- The Method of Equal Shares -----------------------------------------------------------------


def test_equal_shares_gives_a_49_percent_minority_its_fair_half():
    # 51 voters approve A1..A10, 49 approve B1..B10, every project costs 1, envelope 10
    names = [f"A{i}" for i in range(1, 11)] + [f"B{i}" for i in range(1, 11)]
    projects = pd.DataFrame({"cost": 1.0}, index=names)
    ballots = pd.DataFrame(False, index=range(100), columns=names)
    ballots.iloc[:51, :10] = True
    ballots.iloc[51:, 10:] = True
    greedy = model.greedy_allocation(projects, ballots, 10)
    shares = model.equal_shares(projects, ballots, 10)
    assert sorted(greedy.funded) == sorted(names[:10])  # the majority takes everything
    funded = set(shares.funded)
    assert len(funded & set(names[:10])) == 5 and len(funded & set(names[10:])) == 5
    # without completion, the minority's 49 × 0.1 = 4.9 pays for only 4 projects
    bare = model.equal_shares(projects, ballots, 10, completion="none")
    assert len(set(bare.funded) & set(names[10:])) == 4
    assert bare.share == pytest.approx(0.1)


def test_does_equal_shares_fund_only_what_supporters_can_pay():
    # 2 voters, 100 each: project P (150) is backed by one voter only, Q (150) by both
    projects = pd.DataFrame({"cost": [150.0, 150.0]}, index=["P", "Q"])
    ballots = pd.DataFrame({"P": [True, False], "Q": [True, True]})
    result = model.equal_shares(projects, ballots, 200, completion="none")
    assert result.funded == ("Q",)


def test_does_equal_shares_split_a_cost_as_equally_as_budgets_allow():
    projects, ballots, _ = four_voters()
    result = model.equal_shares(projects, ballots, 400, completion="none")
    assert result.funded == ("D", "A", "B")  # see four_voters() for the computation
    assert result.spent == 360 and result.share == 100


def pool_example():
    """Ten voters with 100 € each (envelope 1,000 €).

    Voters 1–6 approve the pool (600 €), voters 1–2 the trees (100 €), voters 3–5 the bench
    (120 €), voters 7–10 the playground (400 €).
    """
    projects = pd.DataFrame({"cost": [600.0, 100.0, 120.0, 400.0]}, index=["pool", "trees", "bench", "playground"])
    ballots = pd.DataFrame(False, index=range(1, 11), columns=projects.index)
    ballots.loc[1:6, "pool"] = True
    ballots.loc[1:2, "trees"] = True
    ballots.loc[3:5, "bench"] = True
    ballots.loc[7:10, "playground"] = True
    return projects, ballots


def test_do_approval_utilities_fund_the_cheapest_support_first():
    projects, ballots = pool_example()
    # ρ = cost / supporters: bench 120/3 = 40, trees 100/2 = 50, pool 600/6 = 100, playground 400/4 = 100.
    # Bench (voters 3-5 keep 60), trees (voters 1-2 keep 50); the pool's supporters now hold
    # 50 + 50 + 60 × 3 + 100 = 380 € < 600 €: out. Playground: 4 × 100 = 400 €, funded.
    result = model.equal_shares(projects, ballots, 1000, completion="none")
    assert result.funded == ("bench", "trees", "playground") and result.spent == 620
    assert result.rule == "equal shares"


def test_do_cost_utilities_fund_the_most_supported_project_first():
    projects, ballots = pool_example()
    # ρ / cost: pool 100/600, playground 100/400, bench 40/120, trees 50/100: the pool goes first
    # (the most supporters), voters 1-6 spend everything, trees and bench are out; playground funded.
    result = model.equal_shares(projects, ballots, 1000, utilities="cost", completion="none")
    assert result.funded == ("pool", "playground") and result.spent == 1000
    assert result.rule == "equal shares (cost utilities)"
    # the completion cannot change either result
    assert model.equal_shares(projects, ballots, 1000, utilities="cost").funded == result.funded
    assert model.equal_shares(projects, ballots, 1000).funded == ("bench", "trees", "playground")


def test_does_the_cost_variant_give_the_result_of_the_equalshares_net_example():
    # The worked example of https://equalshares.net/explanation (11 voters, 1,100, 100 each):
    # with cost utilities it funds the bike path, then the playground, then the library.
    projects = pd.DataFrame({"cost": [700.0, 400.0, 250.0, 200.0, 100.0]}, index=["bike", "gym", "park", "playground", "library"])
    ballots = pd.DataFrame(False, index=range(1, 12), columns=projects.index)
    ballots.loc[[1, 2, 3, 4, 5, 6, 11], "bike"] = True
    ballots.loc[1:6, "gym"] = True
    ballots.loc[[2, 4, 5, 7, 10], "park"] = True
    ballots.loc[7:10, "playground"] = True
    ballots.loc[[7, 9, 10], "library"] = True
    assert model.equal_shares(projects, ballots, 1100, utilities="cost", completion="none").funded == ("bike", "playground", "library")
    # Approval utilities, by hand: ρ library 100/3, park and playground 50, gym 66.7, bike 100.
    # Library (voters 7, 9, 10 keep 66.7); park and playground tie at 50: park has more votes
    # (voters 2, 4, 5 keep 50; 7 and 10 keep 16.7); the bike path's supporters now hold 550 < 700;
    # gym: 1, 3, 6 pay 83.3 and 2, 4, 5 pay their 50 (ρ 83.3) against playground's ρ 100: gym;
    # playground: 7 and 10 pay 16.7, 9 pays 66.7, 8 pays 100. Four projects, 950.
    assert model.equal_shares(projects, ballots, 1100, completion="none").funded == ("library", "park", "gym", "playground")


@settings(max_examples=60, deadline=None, database=None)
@given(data=st.data(), cost=st.integers(1, 100), envelope=st.integers(1, 1000))
def test_do_both_variants_agree_when_every_project_costs_the_same(data, cost, envelope):
    # with equal costs, ρ / cost orders the projects exactly as ρ does
    n_projects = data.draw(st.integers(1, 8))
    voters = data.draw(st.integers(1, 12))
    matrix = data.draw(st.lists(st.lists(st.booleans(), min_size=n_projects, max_size=n_projects), min_size=voters, max_size=voters))
    projects = pd.DataFrame({"cost": [float(cost)] * n_projects})
    ballots = pd.DataFrame(matrix, columns=projects.index)
    approval = model.equal_shares(projects, ballots, envelope)
    by_cost = model.equal_shares(projects, ballots, envelope, utilities="cost")
    assert approval.funded == by_cost.funded


def test_is_the_exhaustive_variant_never_spending_less():
    projects = model.avignon_2017_projects()
    ballots = model.simulate_votes(projects, voters=200, seed=1)
    plain = model.equal_shares(projects, ballots, 400_000)
    full = model.equal_shares(projects, ballots, 400_000, exhaustive=True)
    assert set(plain.funded) <= set(full.funded)
    assert plain.spent <= full.spent <= 400_000


def test_does_the_completion_raise_the_share_of_each_voter(avignon):
    projects, ballots = avignon
    bare = model.equal_shares(projects, ballots, 600_000, completion="none")
    completed = model.equal_shares(projects, ballots, 600_000)
    assert bare.share == pytest.approx(600.0)  # 600,000 € / 1,000 voters
    assert completed.share > bare.share
    assert bare.spent <= completed.spent <= 600_000


def test_does_the_allocation_table_mark_funded_projects_in_order():
    projects = model.avignon_2017_projects()
    ballots = model.simulate_votes(projects, voters=200, seed=3)
    allocation = model.greedy_allocation(projects, ballots, 300_000)
    table = model.allocation_table(projects, allocation, ballots)
    assert table["funded"].sum() == len(allocation.funded)
    assert list(table.loc[table["funded"]].sort_values("order").index) == list(allocation.funded)
    assert table["votes"].sum() == ballots.to_numpy().sum()
    by_sector = model.funded_by_sector(projects, allocation)
    assert by_sector.sum() == allocation.spent


costs_strategy = st.lists(st.integers(1, 1000), min_size=1, max_size=12)


@settings(max_examples=80, deadline=None, database=None)
@given(costs=costs_strategy, data=st.data(), envelope=st.integers(1, 5000))
def test_greedy_never_exceeds_the_envelope(costs, data, envelope):
    projects = pd.DataFrame({"cost": [float(c) for c in costs]})
    votes = data.draw(st.lists(st.integers(0, 50), min_size=len(costs), max_size=len(costs)))
    result = model.greedy_allocation(projects, pd.Series(votes), envelope)
    assert projects.loc[list(result.funded), "cost"].sum() <= envelope
    assert len(set(result.funded)) == len(result.funded)


@settings(max_examples=80, deadline=None, database=None)
@given(
    costs=costs_strategy,
    data=st.data(),
    envelope=st.integers(1, 5000),
    exhaustive=st.booleans(),
    completion=st.sampled_from(["add1", "none"]),
    utilities=st.sampled_from(["approval", "cost"]),
)
def test_equal_shares_never_exceeds_the_envelope(costs, data, envelope, exhaustive, completion, utilities):
    voters = data.draw(st.integers(1, 15))
    matrix = data.draw(st.lists(st.lists(st.booleans(), min_size=len(costs), max_size=len(costs)), min_size=voters, max_size=voters))
    projects = pd.DataFrame({"cost": [float(c) for c in costs]})
    ballots = pd.DataFrame(matrix, columns=projects.index)
    result = model.equal_shares(projects, ballots, envelope, utilities=utilities, completion=completion, exhaustive=exhaustive)
    assert projects.loc[list(result.funded), "cost"].sum() <= envelope
    assert len(set(result.funded)) == len(result.funded)
    # nobody funds a project that nobody approves
    approved = set(ballots.columns[ballots.any()])
    assert exhaustive or set(result.funded) <= approved
    if not exhaustive:
        # every project funded from the shares is paid in full, and nobody pays more than their share
        payments = model.equal_shares_payments(projects, ballots, result)
        paid = payments.sum()
        for project in projects.index:
            expected = projects.loc[project, "cost"] if project in result.funded else 0.0
            assert paid[project] == pytest.approx(expected, rel=1e-9, abs=1e-9)
        assert (payments.sum(axis=1) <= result.share * (1 + 1e-9)).all()
        assert ((payments == 0) | ballots.to_numpy()).all().all()  # only supporters pay


# --- Why Equal Shares funds what it funds -----------------------------------------------------


def test_does_each_voter_pay_what_the_hand_computation_says():
    projects, ballots, _ = four_voters()
    result = model.equal_shares(projects, ballots, 400, completion="none")
    payments = model.equal_shares_payments(projects, ballots, result)
    expected = pd.DataFrame(
        {"D": [45.0, 45, 0, 0], "A": [50.0, 50, 50, 0], "E": [0.0] * 4, "B": [0.0, 0, 50, 70], "C": [0.0] * 4},
        index=ballots.index,
    )
    pd.testing.assert_frame_equal(payments, expected)


def test_does_each_sector_get_its_share_of_voters_and_of_funds():
    projects, ballots, homes = four_voters()
    result = model.equal_shares(projects, ballots, 400, completion="none")
    table = model.sector_shares(projects, result, homes)
    # 2 voters of 4 in each sector; of the 360 € spent, D (90) is in North, B (120) in South,
    # A (150) is city-wide, where nobody lives: shares 1/4, 1/3 and 5/12
    assert list(table.index) == ["North", "South", model.CITY_WIDE]
    assert list(table["voters"]) == [2, 2, 0]
    assert list(table["voters_share"]) == [0.5, 0.5, 0.0]
    assert list(table["funded"]) == [90.0, 120.0, 150.0]
    assert table["funds_share"].tolist() == pytest.approx([0.25, 1 / 3, 5 / 12])


def test_does_the_sector_table_add_up_for_the_greedy_rule_too(avignon):
    projects, ballots = avignon
    homes = model.voter_sectors(projects)
    greedy = model.greedy_allocation(projects, ballots, 600_000)
    table = model.sector_shares(projects, greedy, homes)
    assert table["voters"].sum() == 1000
    assert table["voters_share"].sum() == pytest.approx(1.0)
    assert table["funds_share"].sum() == pytest.approx(1.0)
    assert table["funded"].sum() == greedy.spent


def test_where_did_each_sectors_shares_go():
    projects, ballots, homes = four_voters()
    result = model.equal_shares(projects, ballots, 400, completion="none")
    table = model.share_spending_by_sector(projects, ballots, result, homes)
    # North (v1, v2): 200 € of shares, 90 for D (own sector), 100 for A (city-wide), 10 left.
    # South (v3, v4): 200 € of shares, 120 for B (own sector), 50 for A (v3), 30 left (v4).
    assert table.loc["North"].tolist() == [2, 200.0, 90.0, 100.0, 0.0, 10.0]
    assert table.loc["South"].tolist() == [2, 200.0, 120.0, 50.0, 0.0, 30.0]
    assert list(table.columns) == ["voters", "shares", "own sector", "city-wide", "other sectors", "unspent"]


def test_do_the_shares_of_avignons_sectors_add_up(avignon):
    projects, ballots = avignon
    homes = model.voter_sectors(projects)
    result = model.equal_shares(projects, ballots, 600_000)
    table = model.share_spending_by_sector(projects, ballots, result, homes)
    parts = table[["own sector", "city-wide", "other sectors", "unspent"]].sum(axis=1)
    assert parts.to_numpy() == pytest.approx(table["shares"].to_numpy())
    assert table[["own sector", "city-wide", "other sectors"]].to_numpy().sum() == pytest.approx(result.spent)


def test_why_does_a_project_drop_out():
    projects, ballots, _ = four_voters()
    result = model.equal_shares(projects, ballots, 400, completion="none")
    dropouts = model.equal_shares_dropouts(projects, ballots, result)
    # E: 2 supporters × 100 € = 200 € ≥ 110 €, but v1 and v2 spent 95 € each on D and A first.
    # C: 1 supporter × 100 € < 200 €: it could never be paid.
    assert list(dropouts.index) == ["E", "C"]
    assert dropouts.loc["E", "supporters_money"] == 200 and dropouts.loc["E", "reason"] == "supporters spent their shares first"
    assert dropouts.loc["C", "supporters_money"] == 100 and dropouts.loc["C", "reason"] == "too expensive for its supporters"


def test_is_a_rules_selection_compared_with_the_city_list():
    projects, ballots, _ = four_voters()
    result = model.equal_shares(projects, ballots, 400, completion="none")
    comparison = model.compare_with_retained(projects, result)
    # funded {D, A, B}, retained {D, E, B}: both {D, B}; A only funded, E only retained; 2 of 4 in both
    assert comparison[["funded", "retained", "both", "funded_not_retained", "retained_not_funded"]].tolist() == [3, 3, 2, 1, 1]
    assert comparison["agreement"] == 0.5


def test_do_both_rules_fund_every_avignon_project_with_the_yearly_pledge(avignon):
    projects, ballots = avignon
    for allocation in (model.greedy_allocation(projects, ballots, 1_500_000), model.equal_shares(projects, ballots, 1_500_000)):
        comparison = model.compare_with_retained(projects, allocation)
        assert comparison["funded"] == 32 and comparison["retained_not_funded"] == 0 and comparison["funded_not_retained"] == 11


# --- Views of lesson 03 -------------------------------------------------------------------------


def test_does_the_sector_shares_view_show_the_model_percentages():
    projects, ballots, homes = four_voters()
    result = model.equal_shares(projects, ballots, 400, completion="none")
    table = views.sector_shares_table({"equal shares": model.sector_shares(projects, result, homes)})
    assert table.loc["North", "share of voters"] == "50.0 %"
    assert table.loc["South", "share of funds, equal shares"] == "33.3 %"
    assert table.loc[model.CITY_WIDE, "funded, equal shares"] == "150 €"


def test_does_the_funding_figure_describe_every_sector():
    projects, ballots, _ = four_voters()
    greedy = model.greedy_allocation(projects, ballots, 400)
    shares = model.equal_shares(projects, ballots, 400)
    sectors = ["North", "South", model.CITY_WIDE]
    shown = views.sector_funding_figure(
        {"Greedy rule": model.funded_by_sector(projects, greedy, sectors), "Equal Shares": model.funded_by_sector(projects, shares, sectors)}, 400
    )
    for sector in sectors:
        assert sector in shown.alt
    assert "simulated" in shown.caption


def test_does_the_retained_view_keep_the_model_counts():
    projects, ballots, _ = four_voters()
    result = model.equal_shares(projects, ballots, 400, completion="none")
    table = views.retained_comparison_table({"400 €, equal shares": model.compare_with_retained(projects, result)})
    assert table.iloc[0]["in both lists"] == 2 and table.iloc[0]["agreement"] == "50 %"


# --- Validation -------------------------------------------------------------------------------


@pytest.mark.parametrize("envelope", [0, -100])
def test_is_an_empty_envelope_refused(envelope):
    projects = pd.DataFrame({"cost": [10.0]})
    with pytest.raises(ValueError, match="more than 0"):
        model.greedy_allocation(projects, {0: 1}, envelope)
    with pytest.raises(ValueError, match="more than 0"):
        model.equal_shares(projects, pd.DataFrame({0: [True]}), envelope)


def test_is_an_empty_project_list_refused():
    with pytest.raises(ValueError, match="empty"):
        model.greedy_allocation(pd.DataFrame({"cost": []}), {}, 100)


def test_is_an_unknown_sector_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="Known sectors: Est"):
        model.clean_sector("Centre")


def test_is_a_project_with_zero_cost_refused():
    with pytest.raises(ValueError, match="positive cost"):
        model.greedy_allocation(pd.DataFrame({"cost": [0.0]}), {0: 1}, 100)


def test_are_ballots_that_do_not_match_the_projects_refused():
    projects = pd.DataFrame({"cost": [10.0, 20.0]}, index=["a", "b"])
    with pytest.raises(ValueError, match="do not match"):
        model.equal_shares(projects, pd.DataFrame({"a": [True]}), 100)


def test_is_an_unknown_utility_refused_with_the_two_known_ones():
    projects, ballots = pool_example()
    with pytest.raises(ValueError, match="'approval'.*'cost'"):
        model.equal_shares(projects, ballots, 1000, utilities="points")


def test_are_payments_of_a_greedy_result_refused():
    projects, ballots, _ = four_voters()
    greedy = model.greedy_allocation(projects, ballots, 400)
    with pytest.raises(ValueError, match="equal_shares"):
        model.equal_shares_payments(projects, ballots, greedy)
    with pytest.raises(ValueError, match="equal_shares"):
        model.equal_shares_dropouts(projects, ballots, greedy)


def test_are_homes_of_other_voters_refused():
    projects, ballots, homes = four_voters()
    result = model.equal_shares(projects, ballots, 400)
    with pytest.raises(ValueError, match="same voters"):
        model.share_spending_by_sector(projects, ballots, result, homes.iloc[:3])


def test_is_a_comparison_without_the_city_list_refused():
    projects, ballots, _ = four_voters()
    result = model.equal_shares(projects, ballots, 400)
    with pytest.raises(ValueError, match="retained"):
        model.compare_with_retained(projects.drop(columns="retained"), result)


def test_does_a_payment_replay_refuse_other_ballots():
    projects, ballots, _ = four_voters()
    result = model.equal_shares(projects, ballots, 400, completion="none")
    other = ballots.copy()
    other.loc[:, "D"] = False
    with pytest.raises(ValueError, match="does not match"):
        model.equal_shares_payments(projects, other, result)
    assert np.isfinite(model.equal_shares_payments(projects, ballots, result).to_numpy()).all()
