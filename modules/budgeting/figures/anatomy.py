"""Tables and figures of lesson 01, *Anatomy of a communal budget* (book/budgeting/01-anatomy.md).

Views only: each function receives what the lesson read or what the model computed and returns a
formatted table (a :class:`pandas.DataFrame` of text) or an accessible figure (see
:func:`modules.common.views.plotting.show`). None of them computes a budget figure of its own, so the
numbers a learner sees are always those of :mod:`modules.budgeting.model`. Amounts are in euros.
"""

from __future__ import annotations

import pandas as pd

from modules.budgeting.model import wording
from modules.common.formatting import format_euros
from modules.common.i18n import N_, translator
from modules.common.views import plotting

_ = translator(__name__)

#: The credit that every figure of the lesson carries (the files are under the GPL-3.0); translate it with ``_``.
DATA_CREDIT = N_("Data: Ville de Lanester, GPL-3.0.")

#: Colours of the two sides of a section.
SIDE_COLOURS = {"revenue": plotting.PALETTE["blue"], "expense": plotting.PALETTE["orange"]}

#: (bar colour, text colour) of each part of the investment figure, with enough contrast between the two;
#: the keys are shown translated (``_``).
FINANCING_COLOURS = {
    N_("Works and equipment"): (plotting.PALETTE["vermillion"], "white"),
    N_("Capital repaid"): (plotting.PALETTE["purple"], "black"),
    N_("Gross savings"): (plotting.PALETTE["blue"], "white"),
    N_("Own revenue"): (plotting.PALETTE["orange"], "black"),
    N_("New loans"): (plotting.PALETTE["green"], "black"),
}


#: How each side of a section is named in the operating chart (the data's keys, shown translated).
SIDES = {"revenue": N_("revenue"), "expense": N_("expense")}


def m2(amount: float) -> str:
    """An amount in M€ with two decimals, without the unit: ``4274923`` → ``'4.27'`` (``'4,27'`` in French)."""
    return wording.decimal(amount / 1e6, 2)


def euros(amount: float) -> str:
    """An amount in whole euros with thin-space thousands, as the lesson prints them: ``'4 274 923 €'``."""
    return format_euros(amount, "€")


def euro_table(amounts: pd.Series, column: str) -> pd.DataFrame:
    """``amounts`` (€, one per row label) as a one-column table of formatted euros named ``column``."""
    return amounts.map(euros).to_frame(column)


def section_totals(totals: pd.DataFrame) -> pd.DataFrame:
    """The totals of ``budget.csv`` (columns ``section`` and ``count``, €) as a table: section → total."""
    return euro_table(totals.set_index("section")["count"], _("total"))


def lines_table(lines: pd.DataFrame) -> pd.DataFrame:
    """Every line of the budget files (:func:`model.lanester_2019_lines`), indexed by label, amounts formatted.

    The amounts keep all their digits (thin spaces between thousands) so that a reader can check
    them against the files; the other columns are shown as the model returns them.
    """
    formatted = lines.assign(amount=lines["amount"].map(lambda amount: wording.grouped(amount, separator="\u202f")))
    return formatted.rename(columns={"amount": _("amount (€)"), "field": _("Budget field")}).set_index("label")


def tax_split_table(split: pd.DataFrame) -> pd.DataFrame:
    """The parts of *Impôts et taxes* (:func:`model.lanester_2019_tax_split`) with a total row.

    Columns: the amount (formatted), its share of the total, whether the council's rates move it
    (yes/no) and where the figure comes from.
    """
    total = float(split["amount"].sum())
    table = pd.DataFrame(
        {
            _("amount"): split["amount"].map(euros).to_list(),
            _("share"): (split["amount"] / total).map(wording.share).to_list(),
            _("moved by the council's rates"): split["moved_by_rates"].map({True: _("yes"), False: _("no")}).to_list(),
            _("source"): split["source"].to_list(),
        },
        index=pd.Index(split["label"].to_list(), name=_("part of Impôts et taxes")),
    )
    table.loc[_("Total (Impôts et taxes)")] = [euros(total), wording.share(1.0), "", "rec_fonct.csv"]
    return table


def operating_chart(real: pd.DataFrame) -> plotting.AccessibleFigure:
    """Horizontal bars of the real operating lines (``real``: the real rows of the budget lines), in M€."""
    operating = real[real["section"] == "operating"].sort_values(["side", "amount"])
    names = [_("{label} ({side})", label=label, side=_(SIDES[side])) for label, side in zip(operating["label"], operating["side"])]
    fig, ax = plotting.new_figure(_("Operating section of Lanester, 2019"), _("Million euros (M€)"), _("Line of the budget"), size=(7.0, 4.2))
    ax.barh(names, operating["amount"] / 1e6, color=operating["side"].map(SIDE_COLOURS))
    ax.grid(axis="y", visible=False)
    largest = operating.sort_values("amount").iloc[-1]
    described = "; ".join(
        _("{name}: {amount} M€", name=name, amount=wording.decimal(amount / 1e6)) for name, amount in zip(names, operating["amount"])
    )
    return plotting.show(
        fig,
        alt=_(
            "Horizontal bar chart of the real operating revenue and expenses of Lanester in 2019, in million euros. "
            "{lines}. The largest line is {largest}.",
            lines=described, largest=largest["label"],
        ),
        caption=_("Real operating flows of the 2019 budget primitif (accounting entries left out). {credit}", credit=_(DATA_CREDIT)),
    )


def investment_chart(budget, gross_savings: float) -> plotting.AccessibleFigure:
    """Two stacked bars: the investment needs of ``budget`` and the real resources that pay for them, in M€.

    ``budget`` is a :class:`model.Budget`; ``gross_savings`` is what :func:`model.gross_savings`
    returned for it (the view does not compute it).
    """
    needs = {"Works and equipment": budget.investment_spending, "Capital repaid": budget.capital_repaid}
    resources = {"Gross savings": gross_savings, "Own revenue": budget.investment_revenue, "New loans": budget.new_borrowing}
    fig, ax = plotting.new_figure(_("How Lanester pays for investment, 2019"), _("Million euros (M€)"), _("Real flows"), size=(7.0, 3.4))
    for row, parts in ((1, needs), (0, resources)):
        left = 0.0
        for label, amount in parts.items():
            colour, text_colour = FINANCING_COLOURS[label]
            ax.barh(row, amount / 1e6, left=left, height=0.7, color=colour, edgecolor="white")
            ax.text(left + amount / 2e6, row, _("{label}\n{amount} M€", label=_(label), amount=wording.decimal(amount / 1e6, 2)),
                    ha="center", va="center", fontsize=9, color=text_colour)
            left += amount / 1e6
    ax.set_yticks([0, 1], [_("Resources"), _("Needs")])
    ax.grid(axis="y", visible=False)
    return plotting.show(
        fig,
        alt=_(
            "Two stacked bars, needs of {needs} M€ and resources of {resources} M€. "
            "Needs: works and equipment {works} M€ and capital repaid {capital} M€. "
            "Resources: gross savings {gross} M€, own investment revenue {own} M€ and new loans {loans} M€.",
            needs=m2(sum(needs.values())), resources=m2(sum(resources.values())), works=m2(needs["Works and equipment"]),
            capital=m2(needs["Capital repaid"]), gross=m2(resources["Gross savings"]), own=m2(resources["Own revenue"]),
            loans=m2(resources["New loans"]),
        ),
        caption=_("The investment section balances in real money: needs equal resources. {credit}", credit=_(DATA_CREDIT)),
    )


def dgf_chart(dgf: pd.Series) -> plotting.AccessibleFigure:
    """Line chart of the DGF received each year (``dgf``: € indexed by year, from :func:`model.lanester_dgf`)."""
    fig, ax = plotting.new_figure(
        _("DGF received by Lanester, {first}–{last}", first=dgf.index[0], last=dgf.index[-1]), _("Year"), _("Million euros (M€)")
    )
    ax.plot(dgf.index, dgf / 1e6, marker="o", color=plotting.PALETTE["blue"])
    ax.set_ylim(0, dgf.max() / 1e6 * 1.15)
    change = dgf.iloc[-1] / dgf.iloc[0] - 1
    if change < 0:
        trend = _("Over the period it fell by {change}.", change=wording.share(abs(change), 0))
    else:
        trend = _("Over the period it rose by {change}.", change=wording.share(abs(change), 0))
    return plotting.show(
        fig,
        alt=_(
            "Line chart of the DGF received by Lanester each year from {first} to {last}, in million euros: {values}. {trend}",
            first=dgf.index[0], last=dgf.index[-1],
            values=", ".join(f"{year} {m2(amount)}" for year, amount in dgf.items()),
            trend=trend,
        ),
        caption=_("DGF of the Ville de Lanester (dgf_evolution.csv). {credit}", credit=_(DATA_CREDIT)),
    )


def programme_chart(year: pd.Series, year_label: int = 2019) -> plotting.AccessibleFigure:
    """Horizontal bars of one year of the capital programme by sector (``year``: € indexed by sector), in k€."""
    ordered = year.sort_values()
    fig, ax = plotting.new_figure(
        _("Capital programme by sector, {year}", year=year_label), _("Thousand euros (k€)"), _("Sector"), size=(7.0, 4.8)
    )
    ax.barh(ordered.index, ordered / 1e3, color=plotting.PALETTE["green"])
    ax.grid(axis="y", visible=False)
    return plotting.show(
        fig,
        alt=_(
            "Horizontal bar chart of Lanester's {year} capital programme by sector, in thousand euros, largest first: {values}.",
            year=year_label, values="; ".join(f"{sector} {wording.decimal(amount / 1e3, 0)}" for sector, amount in ordered[::-1].items()),
        ),
        caption=_("Works and equipment by sector, {year} (prog_invest_evol.csv). {credit}", year=year_label, credit=_(DATA_CREDIT)),
    )


def programme_table(programme: pd.DataFrame, year_label: int = 2019) -> pd.DataFrame:
    """The capital programme (€, sectors × years) in whole thousand euros, sectors sorted by ``year_label``, largest first."""
    order = programme[year_label].sort_values(ascending=False).index
    return (programme / 1e3).round(0).astype(int).loc[order].rename_axis(_("sector (k€)"))
