"""Tables and figures of lesson 01, *Anatomy of a communal budget* (book/budgeting/01-anatomy.md).

Views only: each function receives what the lesson read or what the model computed and returns a
formatted table (a :class:`pandas.DataFrame` of text) or an accessible figure (see
:func:`modules.common.views.plotting.show`). None of them computes a budget figure of its own, so the
numbers a learner sees are always those of :mod:`modules.budgeting.model`. Amounts are in euros.
"""

from __future__ import annotations

import pandas as pd

from modules.common.formatting import format_euros
from modules.common.views import plotting

#: The credit that every figure of the lesson carries (the files are under the GPL-3.0).
DATA_CREDIT = "Data: Ville de Lanester, GPL-3.0."

#: Colours of the two sides of a section.
SIDE_COLOURS = {"revenue": plotting.PALETTE["blue"], "expense": plotting.PALETTE["orange"]}

#: (bar colour, text colour) of each part of the investment figure, with enough contrast between the two.
FINANCING_COLOURS = {
    "Works and equipment": (plotting.PALETTE["vermillion"], "white"),
    "Capital repaid": (plotting.PALETTE["purple"], "black"),
    "Gross savings": (plotting.PALETTE["blue"], "white"),
    "Own revenue": (plotting.PALETTE["orange"], "black"),
    "New loans": (plotting.PALETTE["green"], "black"),
}


def euros(amount: float) -> str:
    """An amount in whole euros with thin-space thousands, as the lesson prints them: ``'4 274 923 €'``."""
    return format_euros(amount, "€")


def euro_table(amounts: pd.Series, column: str) -> pd.DataFrame:
    """``amounts`` (€, one per row label) as a one-column table of formatted euros named ``column``."""
    return amounts.map(euros).to_frame(column)


def section_totals(totals: pd.DataFrame) -> pd.DataFrame:
    """The totals of ``budget.csv`` (columns ``section`` and ``count``, €) as a table: section → total."""
    return euro_table(totals.set_index("section")["count"], "total")


def lines_table(lines: pd.DataFrame) -> pd.DataFrame:
    """Every line of the budget files (:func:`model.lanester_2019_lines`), indexed by label, amounts formatted.

    The amounts keep all their digits (thin spaces between thousands) so that a reader can check
    them against the files; the other columns are shown as the model returns them.
    """
    formatted = lines.assign(amount=lines["amount"].map(lambda amount: f"{amount:,.0f}".replace(",", "\u202f")))
    return formatted.rename(columns={"amount": "amount (€)", "field": "Budget field"}).set_index("label")


def tax_split_table(split: pd.DataFrame) -> pd.DataFrame:
    """The parts of *Impôts et taxes* (:func:`model.lanester_2019_tax_split`) with a total row.

    Columns: the amount (formatted), its share of the total, whether the council's rates move it
    (yes/no) and where the figure comes from.
    """
    total = float(split["amount"].sum())
    table = pd.DataFrame(
        {
            "amount": split["amount"].map(euros).to_list(),
            "share": (split["amount"] / total).map(lambda share: f"{share:.1%}").to_list(),
            "moved by the council's rates": split["moved_by_rates"].map({True: "yes", False: "no"}).to_list(),
            "source": split["source"].to_list(),
        },
        index=pd.Index(split["label"].to_list(), name="part of Impôts et taxes"),
    )
    table.loc["Total (Impôts et taxes)"] = [euros(total), "100.0%", "", "rec_fonct.csv"]
    return table


def operating_chart(real: pd.DataFrame) -> plotting.AccessibleFigure:
    """Horizontal bars of the real operating lines (``real``: the real rows of the budget lines), in M€."""
    operating = real[real["section"] == "operating"].sort_values(["side", "amount"])
    names = [f"{label} ({side})" for label, side in zip(operating["label"], operating["side"])]
    fig, ax = plotting.new_figure("Operating section of Lanester, 2019", "Million euros (M€)", "Line of the budget", size=(7.0, 4.2))
    ax.barh(names, operating["amount"] / 1e6, color=operating["side"].map(SIDE_COLOURS))
    ax.grid(axis="y", visible=False)
    largest = operating.sort_values("amount").iloc[-1]
    return plotting.show(
        fig,
        alt=(
            "Horizontal bar chart of the real operating revenue and expenses of Lanester in 2019, in million euros. "
            + "; ".join(f"{name}: {amount / 1e6:.1f} M€" for name, amount in zip(names, operating["amount"]))
            + f". The largest line is {largest['label']}."
        ),
        caption=f"Real operating flows of the 2019 budget primitif (accounting entries left out). {DATA_CREDIT}",
    )


def investment_chart(budget, gross_savings: float) -> plotting.AccessibleFigure:
    """Two stacked bars: the investment needs of ``budget`` and the real resources that pay for them, in M€.

    ``budget`` is a :class:`model.Budget`; ``gross_savings`` is what :func:`model.gross_savings`
    returned for it (the view does not compute it).
    """
    needs = {"Works and equipment": budget.investment_spending, "Capital repaid": budget.capital_repaid}
    resources = {"Gross savings": gross_savings, "Own revenue": budget.investment_revenue, "New loans": budget.new_borrowing}
    fig, ax = plotting.new_figure("How Lanester pays for investment, 2019", "Million euros (M€)", "Real flows", size=(7.0, 3.4))
    for row, parts in ((1, needs), (0, resources)):
        left = 0.0
        for label, amount in parts.items():
            colour, text_colour = FINANCING_COLOURS[label]
            ax.barh(row, amount / 1e6, left=left, height=0.7, color=colour, edgecolor="white")
            ax.text(left + amount / 2e6, row, f"{label}\n{amount / 1e6:.2f} M€", ha="center", va="center", fontsize=9, color=text_colour)
            left += amount / 1e6
    ax.set_yticks([0, 1], ["Resources", "Needs"])
    ax.grid(axis="y", visible=False)
    return plotting.show(
        fig,
        alt=(
            f"Two stacked bars, needs of {sum(needs.values()) / 1e6:.2f} M€ and resources of {sum(resources.values()) / 1e6:.2f} M€. "
            f"Needs: works and equipment {needs['Works and equipment'] / 1e6:.2f} M€ and capital repaid "
            f"{needs['Capital repaid'] / 1e6:.2f} M€. Resources: gross savings {resources['Gross savings'] / 1e6:.2f} M€, "
            f"own investment revenue {resources['Own revenue'] / 1e6:.2f} M€ and new loans {resources['New loans'] / 1e6:.2f} M€."
        ),
        caption=f"The investment section balances in real money: needs equal resources. {DATA_CREDIT}",
    )


def dgf_chart(dgf: pd.Series) -> plotting.AccessibleFigure:
    """Line chart of the DGF received each year (``dgf``: € indexed by year, from :func:`model.lanester_dgf`)."""
    fig, ax = plotting.new_figure(f"DGF received by Lanester, {dgf.index[0]}–{dgf.index[-1]}", "Year", "Million euros (M€)")
    ax.plot(dgf.index, dgf / 1e6, marker="o", color=plotting.PALETTE["blue"])
    ax.set_ylim(0, dgf.max() / 1e6 * 1.15)
    change = dgf.iloc[-1] / dgf.iloc[0] - 1
    return plotting.show(
        fig,
        alt=(
            f"Line chart of the DGF received by Lanester each year from {dgf.index[0]} to {dgf.index[-1]}, in million euros: "
            + ", ".join(f"{year} {amount / 1e6:.2f}" for year, amount in dgf.items())
            + f". Over the period it {'fell' if change < 0 else 'rose'} by {abs(change):.0%}."
        ),
        caption=f"DGF of the Ville de Lanester (dgf_evolution.csv). {DATA_CREDIT}",
    )


def programme_chart(year: pd.Series, year_label: int = 2019) -> plotting.AccessibleFigure:
    """Horizontal bars of one year of the capital programme by sector (``year``: € indexed by sector), in k€."""
    ordered = year.sort_values()
    fig, ax = plotting.new_figure(f"Capital programme by sector, {year_label}", "Thousand euros (k€)", "Sector", size=(7.0, 4.8))
    ax.barh(ordered.index, ordered / 1e3, color=plotting.PALETTE["green"])
    ax.grid(axis="y", visible=False)
    return plotting.show(
        fig,
        alt=(
            f"Horizontal bar chart of Lanester's {year_label} capital programme by sector, in thousand euros, largest first: "
            + "; ".join(f"{sector} {amount / 1e3:.0f}" for sector, amount in ordered[::-1].items())
            + "."
        ),
        caption=f"Works and equipment by sector, {year_label} (prog_invest_evol.csv). {DATA_CREDIT}",
    )


def programme_table(programme: pd.DataFrame, year_label: int = 2019) -> pd.DataFrame:
    """The capital programme (€, sectors × years) in whole thousand euros, sectors sorted by ``year_label``, largest first."""
    order = programme[year_label].sort_values(ascending=False).index
    return (programme / 1e3).round(0).astype(int).loc[order].rename_axis("sector (k€)")
