"""Participatory budgeting: the Avignon 2017 projects, simulated votes, and two allocation rules."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from modules.common import data

from .datasets import AVIGNON, AVIGNON_FILE, SLUG

SECTOR_NAMES = {
    "intra": "Intra-muros",
    "nord": "Nord",
    "nord rocade": "Nord Rocade",
    "sud rocade": "Sud Rocade",
    "est": "Est",
    "ouest": "Ouest",
    "montfavet": "Montfavet",
    "tous secteurs": "Tous secteurs",
}
#: Cleaned name of the projects that serve the whole city.
CITY_WIDE = "Tous secteurs"


def clean_sector(name: str) -> str:
    """Return the cleaned name of an Avignon sector: ``"intra"`` and ``" Intra "`` give ``"Intra-muros"``.

    Raises ``ValueError`` for a sector that is not in :data:`SECTOR_NAMES`.
    """
    key = " ".join(str(name).split()).lower()
    cleaned = {value.lower(): value for value in SECTOR_NAMES.values()}
    if key in cleaned:
        return cleaned[key]
    if key not in SECTOR_NAMES:
        raise ValueError(
            f"Unknown sector {name!r}. Known sectors: {', '.join(sorted(set(SECTOR_NAMES.values())))}. "
            "If the file uses a new spelling, add it to SECTOR_NAMES in modules/budgeting/model/participatory.py."
        )
    return SECTOR_NAMES[key]


def avignon_2017_projects(missing_cost: str = "drop") -> pd.DataFrame:
    """The projects of Avignon's 2017 participatory budget, cleaned; one row per project.

    Index ``project_id`` (the file's ``id``). Columns: ``number`` (project number on the ballot),
    ``name``, ``theme``, ``location``, ``sector`` (cleaned with :func:`clean_sector`: the file
    writes "Intra" and "intra", "Nord" and "nord"), ``status`` (``"retenu"``: retained after the
    vote; ``"mis au vote"``: put to the vote only), ``retained`` (bool) and ``cost`` (estimated
    cost, €). Line breaks inside names and places are replaced by spaces.

    One project has no cost in the file. ``missing_cost="drop"`` (default) leaves it out, since no
    allocation rule can fund a project of unknown cost; ``missing_cost="keep"`` keeps it with a
    NaN cost, to see it. The file has no vote counts: see :func:`simulate_votes`.
    """
    if missing_cost not in ("drop", "keep"):
        raise ValueError(f"missing_cost is {missing_cost!r}: use 'drop' (leave the project out) or 'keep' (keep it with a NaN cost).")
    raw = data.read_csv(SLUG, AVIGNON, AVIGNON_FILE, sep=";")

    def one_line(text):
        return " ".join(str(text).split()) if isinstance(text, str) else ""

    projects = pd.DataFrame(
        {
            "number": raw["projet_numero"].astype(int),
            "name": raw["projet_libelle"].map(one_line),
            "theme": raw["projet_theme"].map(one_line),
            "location": raw["projet_localisation"].map(one_line),
            "sector": raw["projet_secteur"].map(clean_sector),
            "status": raw["projet_statut"].map(one_line),
            "retained": raw["projet_statut"].str.strip().eq("retenu"),
            "cost": raw["projet_cout"].astype(float),
        }
    )
    projects.index = pd.Index(raw["id"].astype(int), name="project_id")
    if missing_cost == "drop":
        projects = projects[projects["cost"].notna()]
    return projects


def _costs(projects) -> pd.Series:
    """Return the project costs as a float Series indexed by project id, after checking them.

    ``projects`` is a DataFrame with a ``cost`` column (as from :func:`avignon_2017_projects`), a
    Series of costs, or a mapping {project id: cost}, in €.
    """
    if isinstance(projects, pd.DataFrame):
        if "cost" not in projects.columns:
            raise ValueError("projects has no 'cost' column: give a table with one row per project and its cost in euros.")
        costs = projects["cost"]
    elif isinstance(projects, pd.Series):
        costs = projects
    elif isinstance(projects, Mapping):
        costs = pd.Series(dict(projects), dtype=float)
    else:
        raise TypeError("projects must be a DataFrame with a 'cost' column, a Series of costs or a dict {project: cost}.")
    if len(costs) == 0:
        raise ValueError("The project list is empty: there is nothing to fund. Load projects first, e.g. avignon_2017_projects().")
    if not costs.index.is_unique:
        raise ValueError("Two projects have the same id: give each project its own id.")
    costs = costs.astype(float)
    unknown = list(costs.index[costs.isna()])
    if unknown:
        raise ValueError(
            f"Projects {unknown} have no cost. Drop them or give them an estimate, e.g. avignon_2017_projects(missing_cost='drop')."
        )
    bad = list(costs.index[(costs <= 0) | ~np.isfinite(costs)])
    if bad:
        raise ValueError(f"Projects {bad} have a cost of zero or less: every project needs a positive cost in euros.")
    return costs


def _check_envelope(envelope: float) -> float:
    if isinstance(envelope, bool) or not isinstance(envelope, (int, float, np.integer, np.floating)) or not math.isfinite(envelope):
        raise TypeError(f"envelope must be an amount in euros, not {envelope!r}.")
    if envelope <= 0:
        raise ValueError(f"The envelope is {envelope:,.0f} €: give the amount to share out, more than 0 €.")
    return float(envelope)


def _approvals(approvals, costs: pd.Series) -> pd.DataFrame:
    """Check approval ballots (voters × projects, True = approves) against the project list."""
    if not isinstance(approvals, pd.DataFrame):
        raise TypeError("approvals must be a DataFrame with one row per voter and one True/False column per project.")
    missing = [project for project in costs.index if project not in approvals.columns]
    extra = [project for project in approvals.columns if project not in costs.index]
    if missing or extra:
        raise ValueError(
            f"The ballots and the project list do not match (projects without a column: {missing}; "
            f"columns without a project: {extra}). Use one column per project id."
        )
    if len(approvals) == 0:
        raise ValueError("There are no ballots: give at least one voter.")
    return approvals[list(costs.index)].astype(bool)


def vote_counts(approvals: pd.DataFrame) -> pd.Series:
    """Number of voters who approve each project (one column per project), as integers."""
    if not isinstance(approvals, pd.DataFrame):
        raise TypeError("approvals must be a DataFrame with one row per voter and one True/False column per project.")
    return approvals.astype(bool).sum().astype(int).rename("votes")


@dataclass(frozen=True)
class Allocation:
    """The result of an allocation rule.

    rule : str
        ``"greedy"`` or ``"equal shares"``.
    envelope : float
        The amount to share out, €.
    funded : tuple
        The funded project ids, in the order the rule picked them.
    spent : float
        Total cost of the funded projects, €.
    """

    rule: str
    envelope: float
    funded: tuple
    spent: float

    @property
    def left_over(self) -> float:
        """Part of the envelope left unspent, €."""
        return self.envelope - self.spent


def _greedy_order(costs: pd.Series, votes: pd.Series) -> list:
    """Project ids by votes (most first), then cost (cheapest first), then id (smallest first)."""
    table = pd.DataFrame({"votes": votes, "cost": costs, "id": range(len(costs))}, index=costs.index)
    return list(table.sort_values(["votes", "cost", "id"], ascending=[False, True, True], kind="mergesort").index)


def greedy_allocation(projects, votes, envelope: float) -> Allocation:
    """Fund projects in vote order, skipping any that no longer fits (the usual "greedy" rule).

    ``projects``: DataFrame with a ``cost`` column in € (or a Series/dict of costs), indexed by
    project id. ``votes``: Series or dict {project id: number of votes}, or approval ballots as a
    DataFrame (voters × projects, True = approves), which are counted. ``envelope``: € to share out.

    Projects are taken by number of votes, most first. Ties are broken by cost (the cheaper first,
    as it leaves more money for others) and then by the order of the project list, so the result
    never depends on chance. A project that costs more than what is left is skipped, and the rule
    goes on with the next ones. The funded total never exceeds the envelope.
    """
    costs = _costs(projects)
    envelope = _check_envelope(envelope)
    if isinstance(votes, pd.DataFrame):
        votes = vote_counts(_approvals(votes, costs))
    votes = pd.Series(votes, dtype=float) if isinstance(votes, Mapping) else pd.Series(votes).astype(float)
    missing = [project for project in costs.index if project not in votes.index]
    if missing:
        raise ValueError(f"Projects {missing} have no vote count: give a count (0 if nobody voted) for every project.")
    votes = votes.reindex(costs.index)
    if (votes < 0).any() or votes.isna().any():
        raise ValueError("Vote counts must be zero or more.")
    funded, amounts = [], []
    for project in _greedy_order(costs, votes):
        if math.fsum([*amounts, costs[project]]) <= envelope:
            funded.append(project)
            amounts.append(float(costs[project]))
    return Allocation("greedy", envelope, tuple(funded), math.fsum(amounts))


def _payment_level(budgets: np.ndarray, cost: float) -> float:
    """Smallest ρ with sum(min(budget, ρ)) = cost (the supporters' budgets must cover the cost).

    Supporters who have less than ρ left pay all they have; the others pay ρ each.
    """
    count = len(budgets)
    equal_split = cost / count
    if budgets.min() >= equal_split:  # everyone can pay an equal part: the usual case, no sort needed
        return equal_split
    ordered = np.sort(budgets)
    paid_before = np.concatenate(([0.0], np.cumsum(ordered)[:-1]))
    levels = (cost - paid_before) / (count - np.arange(count))
    fits = np.flatnonzero(levels <= ordered * (1 + 1e-12))
    return float(levels[fits[0]]) if len(fits) else math.inf


def _equal_shares_run(costs: np.ndarray, supporters: list[np.ndarray], rank: np.ndarray, n_voters: int, share: float) -> list[int]:
    """One run of the Method of Equal Shares with ``share`` € per voter; returns funded positions.

    Each round funds the affordable project whose supporters pay the lowest ρ (the most money-
    efficient support). ρ of a project can only rise as budgets fall, so the last ρ computed is a
    lower bound and most projects need no recomputation in a round.
    """
    budgets = np.full(n_voters, share, dtype=float)
    bound = {j: costs[j] / len(supporters[j]) for j in range(len(costs)) if len(supporters[j])}
    funded: list[int] = []
    while bound:
        best, best_rho = None, math.inf
        for j in sorted(bound, key=lambda j: (bound[j], rank[j])):
            if bound[j] > best_rho * (1 + 1e-12):
                break
            mine = budgets[supporters[j]]
            if mine.sum() < costs[j] * (1 - 1e-12):
                del bound[j]  # never affordable again: budgets only decrease
                continue
            rho = _payment_level(mine, costs[j])
            bound[j] = rho
            if rho < best_rho * (1 - 1e-12) or (math.isclose(rho, best_rho, rel_tol=1e-12) and rank[j] < rank[best]):
                best, best_rho = j, rho
        if best is None:
            break
        funded.append(best)
        del bound[best]
        mine = supporters[best]
        budgets[mine] -= np.minimum(budgets[mine], best_rho)
    return funded


def equal_shares(projects, approvals: pd.DataFrame, envelope: float, *, completion: str = "add1", step: float = 0.02, exhaustive: bool = False) -> Allocation:
    """The Method of Equal Shares for approval ballots (Peters, Pierczyński & Skowron, 2021).

    ``projects``: DataFrame with a ``cost`` column in € (or a Series/dict), indexed by project id.
    ``approvals``: DataFrame with one row per voter and one True/False column per project id.
    ``envelope``: € to share out.

    The envelope is split equally among the voters. A project can be paid only by its supporters,
    from their shares. At each step the rule funds the project that its supporters can pay with
    the lowest contribution each (ρ); supporters who have less than ρ left pay all they have.
    It stops when no remaining project can be paid by its supporters.

    The bare method often leaves money unspent, so it is usually completed:

    - ``completion="add1"`` (default): run it again with each voter's share raised by ``step``
      (2 % by default, compounded: fine enough for envelopes in euros, and fast enough for a
      slider), and again, as long as the result still fits the real envelope; keep the last
      result that fits. (The reference "add-one" completion raises the
      share by one currency unit at a time; steps in per cent give the same kind of result in far
      fewer runs for amounts in euros.)
    - ``completion="none"``: keep the bare result.
    - ``exhaustive=True``: then spend what is left with the greedy rule (vote order) on projects
      that still fit. Optional; off by default.

    Ties (same ρ) go to the project with more votes, then the cheaper, then the first in the list.
    The funded total never exceeds the envelope.
    """
    costs = _costs(projects)
    envelope = _check_envelope(envelope)
    ballots = _approvals(approvals, costs)
    if completion not in ("add1", "none"):
        raise ValueError(f"completion is {completion!r}: use 'add1' (raise the shares while the result fits) or 'none'.")
    if not 0 < step <= 1:
        raise ValueError(f"step is {step!r}: give the share increase as a fraction of the first share, between 0 and 1 (0.01 = 1 %).")

    matrix = ballots.to_numpy()
    n_voters = matrix.shape[0]
    cost_values = costs.to_numpy(dtype=float)
    supporters = [np.flatnonzero(matrix[:, j]) for j in range(matrix.shape[1])]
    votes = matrix.sum(axis=0)
    order = _greedy_order(costs, pd.Series(votes, index=costs.index))
    position = {project: j for j, project in enumerate(costs.index)}
    rank = np.empty(len(costs), dtype=int)
    for r, project in enumerate(order):
        rank[position[project]] = r
    # Once every supported project that fits the envelope on its own is funded, nothing can be added.
    fundable = {j for j in range(len(costs)) if len(supporters[j]) and cost_values[j] <= envelope}

    def total(outcome):
        return math.fsum(cost_values[j] for j in outcome)

    first_share = envelope / n_voters
    outcome = _equal_shares_run(cost_values, supporters, rank, n_voters, first_share)
    while outcome and total(outcome) > envelope:  # only a rounding error can cause this
        outcome = outcome[:-1]
    if completion == "add1":
        share = first_share
        while not set(outcome) >= fundable:
            share *= 1 + step
            candidate = _equal_shares_run(cost_values, supporters, rank, n_voters, share)
            if total(candidate) > envelope:
                break
            outcome = candidate
    if exhaustive:
        for project in order:
            j = position[project]
            if j not in outcome and total([*outcome, j]) <= envelope:
                outcome = [*outcome, j]
    funded = tuple(costs.index[j] for j in outcome)
    return Allocation("equal shares", envelope, funded, total(outcome))


def simulate_votes(projects, voters: int = 1000, seed: int = 2017, *, home_share: float = 0.55, away_share: float = 0.06, city_share: float = 0.3) -> pd.DataFrame:
    """Simulated approval ballots, one row per voter and one True/False column per project.

    Real participatory-budget files often publish projects without votes (Avignon's 2017 file has
    none), so the lessons need simulated ones. They are made reproducible with a fixed ``seed``.

    Assumptions of the simulation (a convention of this course, not a model of Avignon):

    - each voter lives in one sector, drawn in proportion to the number of projects proposed there
      (neighbourhoods that propose more are taken to vote more);
    - each project has an appeal between 0.5 and 1, drawn at random;
    - a voter approves a project of their own sector with probability ``home_share`` × appeal, a
      city-wide project with ``city_share`` × appeal, and a project of another sector with
      ``away_share`` × appeal.

    ``projects`` is a DataFrame with ``sector`` and ``cost`` columns, indexed by project id.
    """
    costs = _costs(projects)
    if not isinstance(projects, pd.DataFrame) or "sector" not in projects.columns:
        raise ValueError("projects needs a 'sector' column to simulate where voters live.")
    if isinstance(voters, bool) or not isinstance(voters, (int, np.integer)) or voters < 1:
        raise ValueError(f"voters is {voters!r}: give a whole number of voters, 1 or more.")
    for name, value in (("home_share", home_share), ("away_share", away_share), ("city_share", city_share)):
        if not 0 <= value <= 1:
            raise ValueError(f"{name} is {value!r}: give a probability between 0 and 1.")
    sectors = projects.loc[costs.index, "sector"].map(clean_sector)
    rng = np.random.default_rng(seed)
    local = sectors[sectors != CITY_WIDE]
    if local.empty:
        homes = np.array([CITY_WIDE] * voters)
    else:
        weights = local.value_counts().sort_index()
        homes = rng.choice(weights.index.to_numpy(), size=voters, p=(weights / weights.sum()).to_numpy())
    appeal = rng.uniform(0.5, 1.0, size=len(costs))
    project_sector = sectors.to_numpy()
    probability = np.where(
        project_sector[None, :] == homes[:, None],
        home_share,
        np.where(project_sector[None, :] == CITY_WIDE, city_share, away_share),
    ) * appeal[None, :]
    ballots = rng.random(probability.shape) < probability
    index = pd.Index([f"voter {i + 1:04d}" for i in range(voters)], name="voter")
    return pd.DataFrame(ballots, index=index, columns=costs.index)


def allocation_table(projects: pd.DataFrame, allocation: Allocation, votes=None) -> pd.DataFrame:
    """The projects with the outcome of ``allocation``: columns ``funded`` (bool) and ``order``.

    ``order`` is 1 for the first project funded, 2 for the next… and 0 for projects not funded.
    ``votes`` (Series of counts or approval ballots), if given, adds a ``votes`` column. Rows keep
    the order of ``projects``.
    """
    _costs(projects)
    table = projects.copy()
    position = {project: k + 1 for k, project in enumerate(allocation.funded)}
    table["order"] = [position.get(project, 0) for project in table.index]
    table["funded"] = table["order"] > 0
    if votes is not None:
        counts = vote_counts(votes) if isinstance(votes, pd.DataFrame) else pd.Series(votes)
        table["votes"] = counts.reindex(table.index).fillna(0).astype(int)
    return table


def funded_by_sector(projects: pd.DataFrame, allocation: Allocation, sectors=None) -> pd.Series:
    """Funded amount by sector, € (every sector of ``sectors`` or of ``projects``, 0 when none)."""
    table = allocation_table(projects, allocation)
    order = list(sectors) if sectors is not None else sorted(table["sector"].unique())
    return table.loc[table["funded"]].groupby("sector")["cost"].sum().reindex(order, fill_value=0.0).astype(float)

