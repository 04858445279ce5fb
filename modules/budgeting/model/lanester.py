"""The real 2019 budget primitif of the Ville de Lanester, read from the course's open data."""

from __future__ import annotations

import math

import pandas as pd

from modules.common import data

from .datasets import LANESTER, SLUG
from .indicators import Budget
from .loans import estimate_outstanding_debt

LANESTER_LINES = (
    ("rec_fonct.csv", "rec_fonct", "Impôts et taxes", "real", "tax_revenue"),
    ("rec_fonct.csv", "rec_fonct", "Dotations et participations", "real", "grants"),
    ("rec_fonct.csv", "rec_fonct", "Produits d'activité", "real", "other_operating_revenue"),
    ("rec_fonct.csv", "rec_fonct", "Autres recettes", "real", "other_operating_revenue"),
    ("rec_fonct.csv", "rec_fonct", "Recettes d'ordre", "ordre", None),
    ("dep_fonct.csv", "dep_fonct", "Personnel", "real", "staff_costs"),
    ("dep_fonct.csv", "dep_fonct", "Charges générales", "real", "other_operating_expenses"),
    ("dep_fonct.csv", "dep_fonct", "Subventions et participations", "real", "other_operating_expenses"),
    ("dep_fonct.csv", "dep_fonct", "Autres dépenses", "real", "other_operating_expenses"),
    ("dep_fonct.csv", "dep_fonct", "Charges financières", "real", "interest"),
    ("dep_fonct.csv", "dep_fonct", "Autofinancement", "ordre", None),
    ("dep_fonct.csv", "dep_fonct", "Dépenses d'ordre", "ordre", None),
    ("rec_invest.csv", "rec_invest", "Nouvel emprunt", "real", "new_borrowing"),
    ("rec_invest.csv", "rec_invest", "Cession de biens", "real", "investment_revenue"),
    ("rec_invest.csv", "rec_invest", "Autres recettes", "real", "investment_revenue"),
    ("rec_invest.csv", "rec_invest", "Autofinancement", "ordre", None),
    ("rec_invest.csv", "rec_invest", "Recettes d'ordre", "ordre", None),
    ("dep_invest.csv", "dep_invest", "Capital des emprunts", "real", "capital_repaid"),
    ("dep_invest.csv", "dep_invest", "Travaux et équipements", "real", "investment_spending"),
    ("dep_invest.csv", "dep_invest", "Dépenses d'ordre", "ordre", None),
)
_SECTIONS = {
    "rec_fonct.csv": ("operating", "revenue"),
    "dep_fonct.csv": ("operating", "expense"),
    "rec_invest.csv": ("investment", "revenue"),
    "dep_invest.csv": ("investment", "expense"),
}
#: Remaining life of Lanester's debt assumed to estimate its outstanding debt, in years. The
#: published files give the 2019 capital repaid, not the debt: this is an assumption.
LANESTER_ASSUMED_REMAINING_YEARS = 12


def lanester_2019_lines() -> pd.DataFrame:
    """Every line of the Lanester 2019 budget files, with its section, flow and :class:`Budget` field.

    Reads ``rec_fonct.csv``, ``dep_fonct.csv``, ``rec_invest.csv`` and ``dep_invest.csv`` and returns
    one row per line with columns ``section`` (operating or investment), ``side`` (revenue or
    expense), ``label`` (as published), ``amount`` (€), ``flow`` (``"real"`` or ``"ordre"``) and
    ``field`` (the :class:`Budget` field it feeds, empty for ``"ordre"`` lines).

    It checks that each section adds up to the total in ``budget.csv`` on both sides, and that
    every published line is mapped, so a changed file fails loudly instead of giving a wrong budget.
    """
    totals = data.read_csv(SLUG, LANESTER, "budget.csv")
    totals["label"] = totals["label"].str.replace(r"<[^>]+>", "", regex=True).str.strip()
    section_total = {"operating": float(totals.loc[totals["label"] == "Fonctionnement", "count"].iloc[0]),
                     "investment": float(totals.loc[totals["label"] == "Investissement", "count"].iloc[0])}
    rows = []
    for file, column in dict.fromkeys((f, c) for f, c, *_ in LANESTER_LINES):
        table = data.read_csv(SLUG, LANESTER, file)
        expected = {label: (flow, field) for f, _, label, flow, field in LANESTER_LINES if f == file}
        published = list(table["label"])
        unknown = sorted(set(published) - set(expected))
        missing = sorted(set(expected) - set(published))
        if unknown or missing:
            raise ValueError(
                f"{file} does not have the expected lines (unexpected: {unknown}, missing: {missing}). "
                "Update LANESTER_LINES in modules/budgeting/model/lanester.py to map every line."
            )
        section, side = _SECTIONS[file]
        for label, amount in zip(table["label"], table[column]):
            flow, field = expected[label]
            rows.append({"section": section, "side": side, "label": label, "amount": float(amount), "flow": flow, "field": field or ""})
        if not math.isclose(float(table[column].sum()), section_total[section]):
            raise ValueError(f"{file} adds up to {table[column].sum():,.0f} €, not the {section} total of budget.csv.")
    return pd.DataFrame(rows)


def lanester_2019(outstanding_debt: float | None = None, *, remaining_years: int = LANESTER_ASSUMED_REMAINING_YEARS) -> Budget:
    """The real flows of the Ville de Lanester's 2019 budget primitif as a :class:`Budget` (€).

    The mapping, line by line (see :data:`LANESTER_LINES` and :func:`lanester_2019_lines`):

    - ``rec_fonct.csv``: *Impôts et taxes* → ``tax_revenue``; *Dotations et participations* →
      ``grants``; *Produits d'activité* + *Autres recettes* → ``other_operating_revenue``;
      *Recettes d'ordre* is an accounting entry (left out).
    - ``dep_fonct.csv``: *Personnel* → ``staff_costs``; *Charges générales* + *Subventions et
      participations* + *Autres dépenses* → ``other_operating_expenses``; *Charges financières*
      (interest on debt) → ``interest``; *Autofinancement* and *Dépenses d'ordre* are transfers
      to the investment section, not spending (left out).
    - ``dep_invest.csv``: *Capital des emprunts* → ``capital_repaid``; *Travaux et équipements* →
      ``investment_spending``; *Dépenses d'ordre* (treasury and transfer entries) left out.
    - ``rec_invest.csv``: *Nouvel emprunt* → ``new_borrowing``; *Cession de biens* + *Autres
      recettes* (FCTVA, development tax, capital grants, fines) → ``investment_revenue``;
      *Autofinancement* and *Recettes d'ordre* are the other end of the transfers (left out).
    - ``budget.csv`` gives the total of each section; the loader checks that the lines add up to it.

    The files do not give the debt outstanding. Pass it as ``outstanding_debt`` (€, on 1 January
    2019) if you know it; otherwise it is *estimated* with :func:`estimate_outstanding_debt` as the
    2019 capital repaid × ``remaining_years`` (12 by default). That estimate is an assumption of
    this course, not a published figure.
    """
    lines = lanester_2019_lines()
    real = lines[lines["flow"] == "real"].groupby("field")["amount"].sum()
    if outstanding_debt is None:
        outstanding_debt = estimate_outstanding_debt(float(real["capital_repaid"]), remaining_years)
    return Budget(**{name: float(value) for name, value in real.items()}, outstanding_debt=float(outstanding_debt), year=2019)


def lanester_dgf() -> pd.Series:
    """Lanester's DGF (the State's main operating grant) by year, 2014–2019, in € (``dgf_evolution.csv``)."""
    table = data.read_csv(SLUG, LANESTER, "dgf_evolution.csv")
    return table.set_index("annee")["dgf"].astype(float).rename("dgf").rename_axis("year")


def lanester_capital_programme() -> pd.DataFrame:
    """Lanester's capital programme by sector, 2014–2019, in € (``prog_invest_evol.csv``).

    One row per sector (index), one column per year (2014 … 2019). The file's rows carry HTML
    descriptions with stray commas, so only the sector and the six amount columns are read. The
    2019 column adds up to the *Travaux et équipements* line of ``dep_invest.csv`` (4,699,923 €).
    """
    years = [f"chf_{year}" for year in range(2019, 2013, -1)]
    table = data.read_csv(SLUG, LANESTER, "prog_invest_evol.csv", usecols=["secteurs", *years], index_col=False)
    table = table.set_index("secteurs").rename_axis("sector")
    table.columns = [int(column.removeprefix("chf_")) for column in table.columns]
    return table[sorted(table.columns)].astype(float)


