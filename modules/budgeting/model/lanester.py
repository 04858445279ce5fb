"""The real 2019 budget primitif of the Ville de Lanester, read from the course's open data."""

from __future__ import annotations

import math

import pandas as pd

from modules.common import data

from .datasets import LANESTER, SLUG
from .indicators import Budget
from .loans import estimate_outstanding_debt
from .projection import Policy

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
#: The taxes inside *Impôts et taxes* that the comment of ``rec_fonct.csv`` names with their amount
#: (€), and that no rate voted by the council moves.
LANESTER_OTHER_TAXES = {
    "Additional tax on transfer duties (taxe additionnelle aux droits de mutation)": 600_000.0,
    "Electricity tax (taxe sur l'électricité)": 350_000.0,
    "Local tax on outdoor advertising (taxe locale sur la publicité extérieure)": 400_000.0,
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

    ``direct_taxes`` is *Impôts et taxes* minus the three other taxes the file names
    (:data:`LANESTER_OTHER_TAXES`, 1,350,000 €): 17,338,828 €. It is an upper bound, because the
    same chapter also holds payments from the intercommunality that the file does not itemise;
    see :func:`lanester_2019_tax_split`.

    The files do not give the debt outstanding. Pass it as ``outstanding_debt`` (€, on 1 January
    2019) if you know it; otherwise it is *estimated* with :func:`estimate_outstanding_debt` as the
    2019 capital repaid × ``remaining_years`` (12 by default), and ``debt_estimate_years`` records
    it. That estimate is an assumption of this course, not a published figure.
    """
    lines = lanester_2019_lines()
    real = lines[lines["flow"] == "real"].groupby("field")["amount"].sum()
    estimate_years = None
    if outstanding_debt is None:
        outstanding_debt = estimate_outstanding_debt(float(real["capital_repaid"]), remaining_years)
        estimate_years = int(remaining_years)
    direct_taxes = float(real["tax_revenue"]) - sum(LANESTER_OTHER_TAXES.values())
    return Budget(
        **{name: float(value) for name, value in real.items()},
        outstanding_debt=float(outstanding_debt),
        year=2019,
        direct_taxes=direct_taxes,
        debt_estimate_years=estimate_years,
    )


def lanester_2019_tax_split() -> pd.DataFrame:
    """The parts of Lanester's 2019 *Impôts et taxes* (18,688,828 €), and which ones the council's rates move.

    One row per part, with columns ``label``, ``amount`` (€), ``moved_by_rates`` (bool) and
    ``source``. The three other taxes and their amounts come from the comment of ``rec_fonct.csv``;
    the direct taxes (housing tax and property taxes, whose rates the council votes) are the rest.
    That rest is an upper bound: chapter 73 also holds payments from the intercommunality
    (*attribution de compensation*, *dotation de solidarité communautaire*) that the file does not
    itemise, and no rate of the commune moves them.
    """
    total = float(lanester_2019_lines().query("label == 'Impôts et taxes'")["amount"].iloc[0])
    rows = [
        {
            "label": "Direct taxes: housing tax, property taxes (and any unitemised intercommunal payments)",
            "amount": total - sum(LANESTER_OTHER_TAXES.values()),
            "moved_by_rates": True,
            "source": "rest of Impôts et taxes (upper bound)",
        }
    ]
    rows += [
        {"label": label, "amount": amount, "moved_by_rates": False, "source": "rec_fonct.csv comment"}
        for label, amount in LANESTER_OTHER_TAXES.items()
    ]
    return pd.DataFrame(rows)


#: The trends that Lanester's 2019 file supports, as a :class:`Policy` (changes from 2018 to 2019):
#: direct taxes' base +2.21 %/year with unchanged rates ("contributions directes", rec_fonct.csv);
#: staff costs +1.49 %/year (dep_fonct.csv); other operating expenses +1.2 %/year (general costs
#: +6.53 % and grants paid −6.90 % partly swap the swimming-pool payment between them; together they
#: rise by 1.2 %, see :func:`lanester_2019_other_spending_change`); other revenue +1 %/year (the
#: 2019 rise of municipal fees); grants flat (the DGF was 4.55, 4.61 and 4.61 M€ in 2017–2019);
#: 4.7 M€ of works a year (the 2019 programme); new loans at 3 % over 15 years (an assumption:
#: the files give no loan terms).
LANESTER_TRENDS = Policy(
    tax_rate_change=0.0,
    tax_base_growth=0.0221,
    staff_cost_growth=0.0149,
    other_spending_growth=0.012,
    other_revenue_growth=0.01,
    grant_trend=0.0,
    investment=4_700_000.0,
    borrowing_rate=0.03,
    loan_duration=15,
)


def lanester_2019_other_spending_change() -> float:
    """Change of general costs + grants paid from 2018 to 2019, as a fraction, from the rates the file gives.

    ``dep_fonct.csv`` gives 2019 amounts and the change from 2018 in its comments: *Charges
    générales* +6.53 %, *Subventions et participations* −6.90 %. Part of the swimming-pool grant
    became a fee booked in general costs, so the two lines are read together: their 2018 amounts
    are the 2019 amounts divided by (1 + change).
    """
    lines = lanester_2019_lines().set_index("label")
    general = float(lines.loc["Charges générales", "amount"])
    grants_paid = float(lines.loc["Subventions et participations", "amount"])
    before = general / 1.0653 + grants_paid / (1 - 0.0690)
    return (general + grants_paid) / before - 1


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


