"""Participatory budgeting: the Avignon 2017 projects, simulated votes, two allocation rules, and why they fund what they fund."""

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
        ``"greedy"``, ``"equal shares"`` (approval utilities: every approved project counts the same
        for a voter) or ``"equal shares (cost utilities)"`` (a voter's benefit from a project is its
        cost): see :func:`equal_shares`.
    envelope : float
        The amount to share out, €.
    funded : tuple
        The funded project ids, in the order the rule picked them.
    spent : float
        Total cost of the funded projects, €.
    share : float or None
        Equal Shares only: the virtual share each voter held in the run that gave this result, €.
        It is ``envelope / voters`` when the first run was kept, and more when the completion
        raised it (see :func:`equal_shares`). None for the greedy rule.
    """

    rule: str
    envelope: float
    funded: tuple
    spent: float
    share: float | None = None

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


#: The two ways of counting a voter's benefit from a funded project that :func:`equal_shares` knows.
UTILITIES = {
    "approval": "every approved project counts the same for a voter (1 per approved project)",
    "cost": "a voter's benefit from an approved project is its cost (the equalshares.net tool and pabutools' Cost_Sat)",
}


def _equal_shares_run(costs: np.ndarray, supporters: list[np.ndarray], rank: np.ndarray, n_voters: int, share: float, utility: np.ndarray, payments: np.ndarray | None = None) -> list[int]:
    """One run of the Method of Equal Shares with ``share`` € per voter; returns funded positions.

    ``utility[j]`` is what project ``j`` is worth to each of its supporters: 1 for approval
    utilities, its cost for cost utilities. Supporters split a project's cost as equally as their
    money allows (the largest payment ρ is as small as possible); each round funds the affordable
    project with the lowest ρ per unit of utility, ρ / utility[j]. ρ of a project can only rise as
    budgets fall, so the last value computed is a lower bound and most projects need no
    recomputation in a round. ``payments`` (voters × projects, zeros), if given, receives what
    each voter pays for each funded project, €.
    """
    budgets = np.full(n_voters, share, dtype=float)
    bound = {j: costs[j] / len(supporters[j]) / utility[j] for j in range(len(costs)) if len(supporters[j])}
    funded: list[int] = []
    while bound:
        best, best_key, best_rho = None, math.inf, math.inf
        for j in sorted(bound, key=lambda j: (bound[j], rank[j])):
            if bound[j] > best_key * (1 + 1e-12):
                break
            mine = budgets[supporters[j]]
            if mine.sum() < costs[j] * (1 - 1e-12):
                del bound[j]  # never affordable again: budgets only decrease
                continue
            rho = _payment_level(mine, costs[j])
            key = rho / utility[j]
            bound[j] = key
            if key < best_key * (1 - 1e-12) or (math.isclose(key, best_key, rel_tol=1e-12) and rank[j] < rank[best]):
                best, best_key, best_rho = j, key, rho
        if best is None:
            break
        funded.append(best)
        del bound[best]
        mine = supporters[best]
        paid = np.minimum(budgets[mine], best_rho)
        budgets[mine] -= paid
        if payments is not None:
            payments[mine, best] = paid
    return funded


def _equal_shares_setup(projects, approvals, utilities: str):
    """Check the inputs of the Method of Equal Shares and return what a run needs."""
    costs = _costs(projects)
    ballots = _approvals(approvals, costs)
    if utilities not in UTILITIES:
        raise ValueError(
            f"utilities is {utilities!r}: use 'approval' ({UTILITIES['approval']}) or 'cost' ({UTILITIES['cost']})."
        )
    matrix = ballots.to_numpy()
    cost_values = costs.to_numpy(dtype=float)
    supporters = [np.flatnonzero(matrix[:, j]) for j in range(matrix.shape[1])]
    votes = matrix.sum(axis=0)
    order = _greedy_order(costs, pd.Series(votes, index=costs.index))
    position = {project: j for j, project in enumerate(costs.index)}
    rank = np.empty(len(costs), dtype=int)
    for r, project in enumerate(order):
        rank[position[project]] = r
    utility = np.ones(len(costs)) if utilities == "approval" else cost_values.copy()
    return costs, ballots, cost_values, supporters, order, position, rank, utility


def equal_shares(projects, approvals: pd.DataFrame, envelope: float, *, utilities: str = "approval", completion: str = "add1", step: float = 0.02, exhaustive: bool = False) -> Allocation:
    """The Method of Equal Shares for approval ballots (Peters, Pierczyński & Skowron, 2021).

    ``projects``: DataFrame with a ``cost`` column in € (or a Series/dict), indexed by project id.
    ``approvals``: DataFrame with one row per voter and one True/False column per project id.
    ``envelope``: € to share out.

    The envelope is split equally among the voters. A project can be paid only by its supporters,
    from their shares, and they split its cost as equally as their money allows: each pays ρ, and
    those who have less left than ρ pay all they have. It stops when no remaining project can be
    paid by its supporters. Which project goes next depends on ``utilities``, what a funded project
    is worth to a voter who approves it:

    - ``"approval"`` (default, the variant of the lessons): every approved project counts the same
      (1). Each round funds the project with the lowest ρ, the one that asks the least of each of
      its supporters, so a project's votes are weighed against its cost: "votes per euro".
    - ``"cost"``: a voter's benefit from an approved project is its cost, so a 100,000 € project
      is worth ten 10,000 € ones. Each round funds the project with the lowest ρ / cost, which is
      the one with the most supporters still able to pay their part (the "effective vote count"
      of the equalshares.net tool, used in Wieliczka and Aarau, and pabutools' ``Cost_Sat``). Its
      order is close to the vote order, so it favours expensive projects compared with approval
      utilities; the guarantee that no group pays more than its shares is the same.

    The bare method often leaves money unspent, so it is usually completed:

    - ``completion="add1"`` (default): run it again with each voter's share raised by ``step``
      (2 % by default, compounded: fine enough for envelopes in euros, and fast enough for a
      slider), and again, as long as the result still fits the real envelope; keep the last
      result that fits. (The reference "add-one" completion raises the
      share by one currency unit at a time; steps in per cent give the same kind of result in far
      fewer runs for amounts in euros.) The share of the kept run is :attr:`Allocation.share`.
    - ``completion="none"``: keep the bare result.
    - ``exhaustive=True``: then spend what is left with the greedy rule (vote order) on projects
      that still fit. Optional; off by default.

    Ties (same ρ, or same ρ / cost) go to the project with more votes, then the cheaper, then the
    first in the list. The funded total never exceeds the envelope.
    """
    envelope = _check_envelope(envelope)
    costs, _, cost_values, supporters, order, position, rank, utility = _equal_shares_setup(projects, approvals, utilities)
    if completion not in ("add1", "none"):
        raise ValueError(f"completion is {completion!r}: use 'add1' (raise the shares while the result fits) or 'none'.")
    if not 0 < step <= 1:
        raise ValueError(f"step is {step!r}: give the share increase as a fraction of the first share, between 0 and 1 (0.01 = 1 %).")
    n_voters = len(approvals)
    # Once every supported project that fits the envelope on its own is funded, nothing can be added.
    fundable = {j for j in range(len(costs)) if len(supporters[j]) and cost_values[j] <= envelope}

    def total(outcome):
        return math.fsum(cost_values[j] for j in outcome)

    def run(share):
        return _equal_shares_run(cost_values, supporters, rank, n_voters, share, utility)

    share = first_share = envelope / n_voters
    outcome = run(first_share)
    while outcome and total(outcome) > envelope:  # only a rounding error can cause this
        outcome = outcome[:-1]
    if completion == "add1":
        raised = first_share
        while not set(outcome) >= fundable:
            raised *= 1 + step
            candidate = run(raised)
            if total(candidate) > envelope:
                break
            outcome, share = candidate, raised
    if exhaustive:
        for project in order:
            j = position[project]
            if j not in outcome and total([*outcome, j]) <= envelope:
                outcome = [*outcome, j]
    funded = tuple(costs.index[j] for j in outcome)
    rule = "equal shares" if utilities == "approval" else "equal shares (cost utilities)"
    return Allocation(rule, envelope, funded, total(outcome), share)


def equal_shares_payments(projects, approvals: pd.DataFrame, allocation: Allocation) -> pd.DataFrame:
    """What each voter paid for each project under the Method of Equal Shares, €.

    ``allocation`` comes from :func:`equal_shares` with the same ``projects`` and ``approvals``.
    The run that gave it is replayed with its share per voter (:attr:`Allocation.share`), and the
    table has one row per voter (the index of ``approvals``) and one column per project id, in the
    order of ``projects``: zero for a project the voter did not pay for. A column adds up to the
    project's cost when Equal Shares funded it from the voters' shares, and to zero otherwise.
    Projects that the optional ``exhaustive`` step added are paid from what was left of the
    envelope, not from the voters' shares, so their column is zero too.

    A row adds up to at most :attr:`Allocation.share`: what that voter's share paid for.
    """
    if not isinstance(allocation, Allocation) or not allocation.rule.startswith("equal shares") or allocation.share is None:
        raise ValueError("allocation must come from equal_shares(): the greedy rule gives no voter a share to pay with.")
    utilities = "approval" if allocation.rule == "equal shares" else "cost"
    costs, ballots, cost_values, supporters, _, position, rank, utility = _equal_shares_setup(projects, approvals, utilities)
    unknown = [project for project in allocation.funded if project not in position]
    if unknown:
        raise ValueError(f"The allocation funds projects {unknown} that are not in the project list: use the projects and ballots it was computed from.")
    payments = np.zeros(ballots.shape, dtype=float)
    funded = _equal_shares_run(cost_values, supporters, rank, len(ballots), allocation.share, utility, payments)
    replayed = [costs.index[j] for j in funded]
    kept = min(len(replayed), len(allocation.funded))
    if replayed[:kept] != list(allocation.funded[:kept]):
        raise ValueError("The allocation does not match these projects and ballots: use the ones it was computed from.")
    for j in funded[kept:]:  # dropped by equal_shares to stay within the envelope after a rounding error
        payments[:, j] = 0.0
    return pd.DataFrame(payments, index=ballots.index, columns=costs.index)


def _simulated_homes(projects, voters: int, seed: int):
    """Check the inputs of a simulation and draw where each voter lives (the first draws of ``seed``).

    Returns the project costs, the projects' clean sectors, the random generator (to draw the
    rest of the ballots from) and the home sector of each voter (an array).
    """
    costs = _costs(projects)
    if not isinstance(projects, pd.DataFrame) or "sector" not in projects.columns:
        raise ValueError("projects needs a 'sector' column to simulate where voters live.")
    if isinstance(voters, bool) or not isinstance(voters, (int, np.integer)) or voters < 1:
        raise ValueError(f"voters is {voters!r}: give a whole number of voters, 1 or more.")
    sectors = projects.loc[costs.index, "sector"].map(clean_sector)
    rng = np.random.default_rng(seed)
    local = sectors[sectors != CITY_WIDE]
    if local.empty:
        homes = np.array([CITY_WIDE] * voters)
    else:
        weights = local.value_counts().sort_index()
        homes = rng.choice(weights.index.to_numpy(), size=voters, p=(weights / weights.sum()).to_numpy())
    return costs, sectors, rng, homes


def _voter_index(voters: int) -> pd.Index:
    return pd.Index([f"voter {i + 1:04d}" for i in range(voters)], name="voter")


def simulate_votes(projects, voters: int = 1000, seed: int = 2017, *, home_share: float = 0.55, away_share: float = 0.06, city_share: float = 0.3) -> pd.DataFrame:
    """Simulated approval ballots, one row per voter and one True/False column per project.

    Real participatory-budget files often publish projects without votes (Avignon's 2017 file has
    none), so the lessons need simulated ones. They are made reproducible with a fixed ``seed``.

    Assumptions of the simulation (a convention of this course, not a model of Avignon):

    - each voter lives in one sector, drawn in proportion to the number of projects proposed there
      (neighbourhoods that propose more are taken to vote more); :func:`voter_sectors` gives
      these home sectors for the same ``projects``, ``voters`` and ``seed``;
    - each project has an appeal between 0.5 and 1, drawn at random;
    - a voter approves a project of their own sector with probability ``home_share`` × appeal, a
      city-wide project with ``city_share`` × appeal, and a project of another sector with
      ``away_share`` × appeal.

    ``projects`` is a DataFrame with ``sector`` and ``cost`` columns, indexed by project id.
    """
    for name, value in (("home_share", home_share), ("away_share", away_share), ("city_share", city_share)):
        if not 0 <= value <= 1:
            raise ValueError(f"{name} is {value!r}: give a probability between 0 and 1.")
    costs, sectors, rng, homes = _simulated_homes(projects, voters, seed)
    appeal = rng.uniform(0.5, 1.0, size=len(costs))
    project_sector = sectors.to_numpy()
    probability = np.where(
        project_sector[None, :] == homes[:, None],
        home_share,
        np.where(project_sector[None, :] == CITY_WIDE, city_share, away_share),
    ) * appeal[None, :]
    ballots = rng.random(probability.shape) < probability
    return pd.DataFrame(ballots, index=_voter_index(voters), columns=costs.index)


def voter_sectors(projects, voters: int = 1000, seed: int = 2017) -> pd.Series:
    """The sector where each simulated voter of :func:`simulate_votes` lives, named ``"home sector"``.

    Give the same ``projects``, ``voters`` and ``seed`` as to :func:`simulate_votes`: the homes are
    its first random draws, so they do not depend on ``home_share``, ``away_share`` or
    ``city_share``. The index is that of the ballots (``"voter 0001"``…).
    """
    _, _, _, homes = _simulated_homes(projects, voters, seed)
    return pd.Series(homes, index=_voter_index(voters), name="home sector")


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



def _homes(homes, index=None) -> pd.Series:
    """Check a Series of home sectors (one per voter) and, if ``index`` is given, its voters."""
    if not isinstance(homes, pd.Series):
        raise TypeError("homes must be a Series with the home sector of each voter, e.g. voter_sectors(projects).")
    if homes.isna().any():
        raise ValueError("Some voters have no home sector: give every voter one.")
    if index is not None and not homes.index.equals(index):
        raise ValueError(
            "The home sectors and the ballots are not for the same voters: call voter_sectors() with the "
            "projects, number of voters and seed given to simulate_votes()."
        )
    return homes


def sector_shares(projects: pd.DataFrame, allocation: Allocation, homes: pd.Series) -> pd.DataFrame:
    """Each sector's share of the voters next to its share of the funds, for one allocation.

    ``projects``: DataFrame with ``sector`` and ``cost`` columns (€), indexed by project id.
    ``allocation``: the result of a rule on these projects. ``homes``: the home sector of each
    voter, one row per voter (e.g. :func:`voter_sectors`).

    One row per sector (those where voters live, then those of the projects; the city-wide
    projects' sector, where nobody lives, comes last). Columns:

    - ``voters``: number of voters who live there;
    - ``voters_share``: their share of all voters (0.2 = 20 %);
    - ``funded``: cost of the funded projects located there, €;
    - ``funds_share``: that cost as a share of all the money spent (0 when nothing is spent).

    Equal Shares promises each voter an equal share of the envelope, not each sector: the two
    shares can differ, because voters also approve projects of other sectors and city-wide ones.
    """
    _costs(projects)
    homes = _homes(homes)
    if "sector" not in projects.columns:
        raise ValueError("projects needs a 'sector' column to group the funds by sector.")
    counts = homes.value_counts()
    located = list(dict.fromkeys([*sorted(counts.index), *sorted(projects["sector"].unique())]))
    order = [sector for sector in located if sector != CITY_WIDE] + [sector for sector in located if sector == CITY_WIDE]
    funded = funded_by_sector(projects, allocation, order)
    voters = counts.reindex(order, fill_value=0).astype(int)
    spent = funded.sum()
    table = pd.DataFrame(
        {
            "voters": voters,
            "voters_share": voters / voters.sum(),
            "funded": funded,
            "funds_share": funded / spent if spent > 0 else funded * 0.0,
        },
        index=pd.Index(order, name="sector"),
    )
    return table


def share_spending_by_sector(projects: pd.DataFrame, approvals: pd.DataFrame, allocation: Allocation, homes: pd.Series) -> pd.DataFrame:
    """Where the shares of each sector's voters went under the Method of Equal Shares, €.

    ``allocation`` comes from :func:`equal_shares` with these ``projects`` and ``approvals``;
    ``homes`` gives each voter's home sector (same index as ``approvals``). One row per home
    sector. Columns:

    - ``voters``: number of voters who live there;
    - ``shares``: the virtual money they held, voters × :attr:`Allocation.share`, €;
    - ``own sector``, ``city-wide``, ``other sectors``: what their shares paid for projects of
      their own sector, city-wide projects and projects of other sectors, €
      (see :func:`equal_shares_payments`);
    - ``unspent``: what was left in their shares when the method stopped, €.

    The four last columns add up to ``shares``.
    """
    homes = _homes(homes, approvals.index)
    payments = equal_shares_payments(projects, approvals, allocation)
    sectors = projects.loc[payments.columns, "sector"].to_numpy()
    home = homes.to_numpy()[:, None]
    values = payments.to_numpy()
    frame = pd.DataFrame(
        {
            "home": homes.to_numpy(),
            "own sector": np.where(sectors[None, :] == home, values, 0.0).sum(axis=1),
            "city-wide": np.where((sectors[None, :] == CITY_WIDE) & (sectors[None, :] != home), values, 0.0).sum(axis=1),
            "other sectors": np.where((sectors[None, :] != CITY_WIDE) & (sectors[None, :] != home), values, 0.0).sum(axis=1),
        }
    )
    frame["unspent"] = allocation.share - values.sum(axis=1)
    table = frame.groupby("home").sum()
    table.insert(0, "shares", frame.groupby("home").size() * allocation.share)
    table.insert(0, "voters", frame.groupby("home").size().astype(int))
    table.index.name = "home sector"
    return table.sort_values("voters", ascending=False, kind="mergesort")


def equal_shares_dropouts(projects: pd.DataFrame, approvals: pd.DataFrame, allocation: Allocation) -> pd.DataFrame:
    """The projects that the Method of Equal Shares did not fund, and why.

    ``allocation`` comes from :func:`equal_shares` with these ``projects`` and ``approvals``. One
    row per project not funded, in the order of ``projects``. Columns:

    - ``votes``: number of voters who approve it;
    - ``cost``: its cost, €;
    - ``supporters_money``: what its supporters held in all, votes × :attr:`Allocation.share`, €
      (the share of the run that gave the result, raised by the completion if any);
    - ``reason``: ``"too expensive for its supporters"`` when ``supporters_money`` is below the
      cost (even if they had spent nothing else, they could not pay for it), otherwise
      ``"supporters spent their shares first"`` (they could have paid for it, but their shares
      went to other projects they approve, which asked less of each of them).
    """
    if not isinstance(allocation, Allocation) or not allocation.rule.startswith("equal shares") or allocation.share is None:
        raise ValueError("allocation must come from equal_shares(): only Equal Shares gives voters a share to pay with.")
    costs = _costs(projects)
    votes = vote_counts(_approvals(approvals, costs))
    left_out = [project for project in costs.index if project not in set(allocation.funded)]
    money = votes[left_out] * allocation.share
    table = pd.DataFrame(
        {"votes": votes[left_out].astype(int), "cost": costs[left_out], "supporters_money": money.astype(float)},
        index=pd.Index(left_out, name=costs.index.name),
    )
    table["reason"] = np.where(
        table["supporters_money"] < table["cost"] * (1 - 1e-12),
        "too expensive for its supporters",
        "supporters spent their shares first",
    )
    return table


def compare_with_retained(projects: pd.DataFrame, allocation: Allocation) -> pd.Series:
    """How a rule's selection overlaps the list a city actually retained (``retained`` column).

    Returns counts, named: ``funded`` (projects the rule funds), ``retained`` (projects the city
    retained, among ``projects``), ``both``, ``funded_not_retained``, ``retained_not_funded``,
    and ``agreement``: the share of the projects that are in at least one list that are in both
    (1.0 = the same list; 0.0 = nothing in common).
    """
    _costs(projects)
    if "retained" not in projects.columns:
        raise ValueError("projects needs a 'retained' column (True for the projects the city retained), as in avignon_2017_projects().")
    funded = set(allocation.funded)
    retained = set(projects.index[projects["retained"].astype(bool)])
    union = funded | retained
    return pd.Series(
        {
            "funded": len(funded),
            "retained": len(retained),
            "both": len(funded & retained),
            "funded_not_retained": len(funded - retained),
            "retained_not_funded": len(retained - funded),
            "agreement": len(funded & retained) / len(union) if union else 1.0,
        },
        name=allocation.rule,
        dtype=object,
    )
