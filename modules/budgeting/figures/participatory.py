"""Tables and figures of lesson 03, *Participatory budgeting* (book/budgeting/03-participatory-budgeting.md).

Views only: each function receives what the lesson read or what the model computed (projects,
vote counts, :class:`~modules.budgeting.model.Allocation` results and the tables of
:mod:`modules.budgeting.model.participatory`) and returns a formatted table (a
:class:`pandas.DataFrame` of text) or an accessible figure (see :func:`modules.common.views.plotting.show`).
None of them runs an allocation rule or computes a share of its own, so the numbers a learner sees
are always those of the model. Amounts are in euros; shares are fractions (0.2 = 20 %).
"""

from __future__ import annotations

import pandas as pd

from modules.budgeting.model import wording
from modules.common.formatting import format_euros
from modules.common.i18n import N_, translator
from modules.common.views import plotting

_ = translator(__name__)

#: The credit that every figure of the lesson carries; translate it with ``_``.
DATA_CREDIT = N_("Data: Ville d'Avignon, Licence Ouverte; votes simulated.")

#: Colour of each rule in the figures, by the label the lesson gives it (English or translated).
RULE_COLOURS = {N_("Greedy rule"): plotting.PALETTE["orange"], N_("Equal Shares"): plotting.PALETTE["blue"]}


def _rule_colour(label: str) -> str:
    """The colour of a rule's bars, whether the lesson names the rule in English or in the learner's language."""
    for name, colour in RULE_COLOURS.items():
        if label in (name, _(name)):
            return colour
    return plotting.PALETTE["green"]


#: The column headers of the lesson's project tables: the model's column → its header (shown translated).
HEADERS = {
    "name": N_("name"),
    "sector": N_("sector"),
    "cost": N_("cost"),
    "votes": N_("votes"),
    "order": N_("order"),
    "funded by": N_("funded by"),
    "supporters' money": N_("supporters' money"),
    "reason": N_("reason"),
}

#: Why Equal Shares left a project out (:func:`~modules.budgeting.model.equal_shares_dropouts`), shown translated.
REASONS = {
    "too expensive for its supporters": N_("too expensive for its supporters"),
    "supporters spent their shares first": N_("supporters spent their shares first"),
}

#: The columns of :func:`~modules.budgeting.model.share_spending_by_sector`, as headers (shown translated).
SPENDING_COLUMNS = {
    "shares": N_("shares"),
    "own sector": N_("own sector"),
    "other sectors": N_("other sectors"),
    "city-wide": N_("city-wide"),
    "unspent": N_("unspent"),
}


def _headers(column: str) -> str:
    """A column's header in the learner's language (a column the lesson does not name keeps its name)."""
    return _(HEADERS[column]) if column in HEADERS else column


def euros(amount: float) -> str:
    """An amount in whole euros with thin-space thousands: ``'600 000 €'``."""
    return format_euros(amount, "€")


def percent(share: float) -> str:
    """A share as a percentage with one decimal: ``0.185`` gives ``'18.5 %'``."""
    return wording.spaced_percent(share, 1)


def status_table(projects: pd.DataFrame) -> pd.DataFrame:
    """Number and total cost of the projects of each status (``retenu``, ``mis au vote``)."""
    grouped = projects.groupby("status")["cost"].agg(["count", "sum"])
    return pd.DataFrame({_("projects"): grouped["count"].astype(int), _("cost"): grouped["sum"].map(euros)})


def top_votes_table(projects: pd.DataFrame, votes: pd.Series, n: int = 10) -> pd.DataFrame:
    """The ``n`` projects with the most votes: name, sector, cost and votes, most votes first."""
    table = projects[["name", "sector", "cost"]].assign(votes=votes.reindex(projects.index))
    table = table.sort_values("votes", ascending=False, kind="mergesort").head(n)
    table = table.assign(cost=table["cost"].map(euros), votes=table["votes"].astype(int))
    return table.rename(columns=_headers)


def funded_list(projects: pd.DataFrame, allocation, votes: pd.Series | None = None) -> pd.DataFrame:
    """The projects an allocation funds, in the order the rule picked them: name, sector, cost (and votes)."""
    columns = ["name", "sector", "cost"]
    table = projects.loc[list(allocation.funded), columns].copy()
    if votes is not None:
        table["votes"] = votes.reindex(table.index).astype(int)
    table["cost"] = table["cost"].map(euros)
    table.insert(0, "order", range(1, len(table) + 1))
    return table.rename(columns=_headers)


def variant_difference_table(projects: pd.DataFrame, approval, cost, votes: pd.Series) -> pd.DataFrame:
    """The projects that only one of two Equal Shares variants funds, with their cost and votes.

    ``approval`` and ``cost`` are the allocations of the two variants (approval and cost utilities).
    """
    only_approval = [project for project in approval.funded if project not in set(cost.funded)]
    only_cost = [project for project in cost.funded if project not in set(approval.funded)]
    rows = [(project, _("approval utilities only")) for project in only_approval] + [(project, _("cost utilities only")) for project in only_cost]
    table = projects.loc[[project for project, _label in rows], ["name", "sector", "cost"]].copy()
    table["votes"] = votes.reindex(table.index).astype(int)
    table["funded by"] = [label for _project, label in rows]
    table["cost"] = table["cost"].map(euros)
    return table.rename(columns=_headers)


def sector_funding_table(funded: dict[str, pd.Series], demand: pd.Series) -> pd.DataFrame:
    """Cost of all projects and amount funded by each rule, by sector, in k€ (one decimal).

    ``funded`` maps a column label to :func:`~modules.budgeting.model.funded_by_sector`;
    ``demand`` is the cost of all projects by sector; rows follow ``demand``'s order.
    """
    columns = {_("cost of all projects (k€)"): demand} | {_("{label} (k€)", label=label): amounts.reindex(demand.index) for label, amounts in funded.items()}
    return (pd.DataFrame(columns) / 1e3).round(1)


def sector_funding_figure(funded: dict[str, pd.Series], envelope: float):
    """Grouped horizontal bars of the amount funded in each sector by two rules, k€, with alt text.

    ``funded`` maps "Greedy rule" and "Equal Shares" to the funded amounts by sector (€), in the
    order to show from top to bottom.
    """
    labels = list(funded)
    sectors = list(funded[labels[0]].index)
    fig, ax = plotting.new_figure(
        _("Funding by sector with {envelope} (simulated votes)", envelope=euros(envelope)), _("Thousand euros (k€)"), _("Sector"), size=(7.0, 4.6)
    )
    positions = pd.Series(range(len(sectors)), index=sectors)[::-1]
    offsets = {labels[0]: -0.2, labels[1]: 0.2}
    for label in labels:
        ax.barh(positions + offsets[label], funded[label].loc[positions.index] / 1e3, height=0.4, color=_rule_colour(label), label=label)
    ax.set_yticks(positions.to_numpy(), positions.index)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper right")
    described = "; ".join(
        _("{sector} {first} against {second}", sector=sector,
          first=wording.decimal(funded[labels[0]][sector] / 1e3, 0), second=wording.decimal(funded[labels[1]][sector] / 1e3, 0))
        for sector in sectors
    )
    return plotting.show(
        fig,
        alt=_(
            "Grouped horizontal bar chart of the amount funded in each Avignon sector with an envelope of "
            "{envelope} and simulated votes, {first} against {second}, in thousand euros: {described}.",
            envelope=euros(envelope), first=labels[0].lower(), second=labels[1], described=described,
        ),
        caption=_("Same projects, same simulated ballots, two counting rules. {credit}", credit=_(DATA_CREDIT)),
    )


def sector_shares_table(shares: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Voters' share next to each rule's share of the funds, by sector, as percentages.

    ``shares`` maps a rule's label to its :func:`~modules.budgeting.model.sector_shares` table
    (the voters are the same for every rule, so they are shown once).
    """
    first = next(iter(shares.values()))
    table = pd.DataFrame({_("voters"): first["voters"].astype(int), _("share of voters"): first["voters_share"].map(percent)})
    for label, frame in shares.items():
        table[_("funded, {label}", label=label)] = frame["funded"].map(euros)
        table[_("share of funds, {label}", label=label)] = frame["funds_share"].map(percent)
    return table


def share_spending_table(spending: pd.DataFrame) -> pd.DataFrame:
    """Where each sector's shares went (:func:`~modules.budgeting.model.share_spending_by_sector`), in k€.

    Adds the share of the money each sector's voters held that stayed unspent.
    """
    table = (spending.drop(columns="voters") / 1e3).round(1)
    table.columns = [_("{column} (k€)", column=_(SPENDING_COLUMNS.get(column, column))) for column in table.columns]
    table.insert(0, _("voters"), spending["voters"].astype(int))
    table[_("unspent (%)")] = (spending["unspent"] / spending["shares"]).map(percent)
    return table.rename_axis(_("home sector")) if table.index.name == "home sector" else table


def dropouts_table(dropouts: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """The projects Equal Shares left out (:func:`~modules.budgeting.model.equal_shares_dropouts`), with their name and sector."""
    table = projects.loc[dropouts.index, ["name", "sector"]].join(dropouts)
    table["votes"] = table["votes"].astype(int)
    table["cost"] = table["cost"].map(euros)
    table["supporters_money"] = table["supporters_money"].map(euros)
    table["reason"] = table["reason"].map(lambda reason: _(REASONS[reason]) if reason in REASONS else reason)
    return table.rename(columns={"supporters_money": "supporters' money"}).rename(columns=_headers)


def envelope_sweep_table(projects: pd.DataFrame, sweep: dict[float, tuple], funded_by_sector) -> pd.DataFrame:
    """Projects and sectors served by each rule as the envelope grows.

    ``sweep`` maps an envelope (€) to the pair (greedy allocation, Equal Shares allocation);
    ``funded_by_sector`` is :func:`~modules.budgeting.model.funded_by_sector`.
    """
    rows = []
    for amount, (greedy, shares) in sweep.items():
        rows.append(
            {
                _("envelope (k€)"): wording.grouped(amount / 1e3, separator="\u202f"),
                _("projects, greedy"): len(greedy.funded),
                _("sectors with a project, greedy"): int((funded_by_sector(projects, greedy) > 0).sum()),
                _("projects, equal shares"): len(shares.funded),
                _("sectors with a project, equal shares"): int((funded_by_sector(projects, shares) > 0).sum()),
            }
        )
    return pd.DataFrame(rows).set_index(_("envelope (k€)"))


def retained_comparison_table(comparisons: dict[str, pd.Series]) -> pd.DataFrame:
    """Overlap of each rule's selection with the city's list, one row per (envelope, rule).

    ``comparisons`` maps a row label to :func:`~modules.budgeting.model.compare_with_retained`.
    """
    table = pd.DataFrame(comparisons).T
    table = table.rename(
        columns={
            "funded": _("funded by the rule"),
            "retained": _("retained by the city"),
            "both": _("in both lists"),
            "funded_not_retained": _("funded, not retained"),
            "retained_not_funded": _("retained, not funded"),
            "agreement": _("agreement"),
        }
    )
    for column in table.columns[:-1]:
        table[column] = table[column].astype(int)
    agreement = table.columns[-1]
    table[agreement] = table[agreement].astype(float).map(lambda share: wording.spaced_percent(share, 0))
    return table


def retained_by_sector_table(projects: pd.DataFrame, selections: dict[str, tuple]) -> pd.DataFrame:
    """Projects proposed, retained by the city, and selected by each rule, by sector (counts).

    ``selections`` maps a column label to the funded project ids of an allocation.
    """
    table = pd.DataFrame({_("proposed"): projects.groupby("sector").size(), _("retained by the city"): projects.groupby("sector")["retained"].sum()})
    for label, funded in selections.items():
        table[label] = projects.loc[list(funded)].groupby("sector").size().reindex(table.index, fill_value=0)
    return table.fillna(0).astype(int)
