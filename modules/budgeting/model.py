"""The budget of a French commune and the rules of a participatory budget, as pure functions.

Everything here is plain Python, numpy and pandas: no widget and no plotting, so each function can
be tested, graded and reused outside Jupyter. Amounts are in euros (€) unless a docstring says
otherwise; growth rates and interest rates are fractions (``0.02`` means 2 %).

Contents, in the order of the lessons:

1. The budget and its indicators: :class:`Budget`, :func:`gross_savings`, :func:`net_savings`,
   :func:`debt_capacity_years`, :func:`alert_level`, :func:`is_golden_rule_respected`.
2. Loans: :func:`annuity`, :func:`debt_schedule`, :func:`estimate_outstanding_debt`.
3. A multi-year projection: :class:`Policy` and :func:`project_budget`.
4. A real budget: :func:`lanester_2019_lines`, :func:`lanester_2019`, :func:`lanester_dgf`,
   :func:`lanester_capital_programme`.
5. Participatory budgeting: :func:`avignon_2017_projects`, :func:`simulate_votes`,
   :func:`greedy_allocation`, :func:`equal_shares`, :func:`allocation_table`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from modules.common import data

SLUG = "budgeting"
LANESTER = "lanester_budget_primitif_2019"
AVIGNON = "avignon_budget_participatif_2017"
AVIGNON_FILE = "84007-budgetParticipatif2017.csv"

# ---------------------------------------------------------------------------------------------
# 1. The budget and its indicators
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """The real (cash) flows of one year of a commune's budget, in euros.

    Only *real* flows are recorded: money that enters or leaves the commune. Accounting transfers
    between the two sections (*opérations d'ordre*: the transfer to investment called
    *autofinancement*, depreciation, treasury entries) are left out, because counting them would
    count the same euro twice.

    Operating section (*section de fonctionnement*), recurring items:

    tax_revenue : float
        Taxes (*impôts et taxes*): property taxes, housing tax and other local taxes, €.
    grants : float
        State grants and other contributions (*dotations et participations*, including the DGF), €.
    other_operating_revenue : float
        Every other real operating revenue (fees for services, rents, one-off income), €.
    staff_costs : float
        Staff costs (*charges de personnel*), €.
    other_operating_expenses : float
        Every other real operating expense except interest: purchases and services (*charges
        générales*), grants paid to associations, unforeseen and exceptional items, €.
    interest : float
        Interest paid on the debt during the year (*charges financières*), €. It is an operating
        expense; the repayment of capital is not.

    Investment section (*section d'investissement*):

    capital_repaid : float
        Capital of the loans repaid during the year (*remboursement du capital*), €.
    outstanding_debt : float
        Debt outstanding on 1 January, before this year's repayments and new loans
        (*encours de la dette*), €. See :attr:`year_end_debt` for 31 December.
    investment_spending : float
        Capital spending on works and equipment (*dépenses d'équipement*), €.
    investment_revenue : float
        Own investment revenue, loans excluded: FCTVA, capital grants, development tax, sales of
        assets, €.
    new_borrowing : float
        New loans taken out during the year (*emprunt*), €.
    year : int
        The financial year, for example 2019.
    """

    tax_revenue: float
    grants: float
    other_operating_revenue: float
    staff_costs: float
    other_operating_expenses: float
    interest: float
    capital_repaid: float
    outstanding_debt: float
    investment_spending: float
    investment_revenue: float
    new_borrowing: float
    year: int = 2019

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name == "year":
                if not isinstance(value, (int, np.integer)):
                    raise TypeError(f"Budget.year must be a whole year such as 2019, not {value!r}.")
                continue
            _check_amount(f"Budget.{field.name}", value)
        if self.interest > 0 and self.outstanding_debt == 0:
            raise ValueError(
                "Budget.interest is positive but Budget.outstanding_debt is 0: interest is paid on a debt. "
                "Give the debt outstanding on 1 January (encours de la dette)."
            )
        if self.capital_repaid > self.outstanding_debt:
            raise ValueError(
                f"Budget.capital_repaid ({self.capital_repaid:,.0f} €) is larger than the debt outstanding on "
                f"1 January ({self.outstanding_debt:,.0f} €): a commune cannot repay more than it owes. "
                "Check both amounts."
            )

    @property
    def operating_revenue(self) -> float:
        """Real operating revenue, €: taxes + grants + other operating revenue."""
        return self.tax_revenue + self.grants + self.other_operating_revenue

    @property
    def operating_expenses(self) -> float:
        """Real operating expenses *including interest*, €: staff + other expenses + interest."""
        return self.staff_costs + self.other_operating_expenses + self.interest

    @property
    def year_end_debt(self) -> float:
        """Debt outstanding on 31 December, €: 1 January debt − capital repaid + new borrowing."""
        return self.outstanding_debt - self.capital_repaid + self.new_borrowing


def _check_amount(name: str, value: float) -> None:
    """Raise a clear error unless ``value`` is a finite amount of euros that is zero or more."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number of euros, not {value!r}.")
    if not math.isfinite(value):
        raise ValueError(f"{name} is {value}: give a finite amount in euros.")
    if value < 0:
        raise ValueError(
            f"{name} is {value:,.0f} €, a negative amount. Amounts are written as positive euros: "
            "record money coming in as revenue and money going out as an expense."
        )


def gross_savings(budget: Budget) -> float:
    """Gross savings (*épargne brute*), €.

    Real operating revenue minus real operating expenses, interest included. It is what the
    recurring activity leaves each year to repay debt and to invest. Loans and the surplus carried
    forward from earlier years are not part of it.
    """
    return budget.operating_revenue - budget.operating_expenses


def net_savings(budget: Budget) -> float:
    """Net savings (*épargne nette*), €: gross savings minus the capital of debt repaid in the year.

    It is what is left, after paying the bank back, to pay for new investment without borrowing.
    """
    return gross_savings(budget) - budget.capital_repaid


def capacity_ratio(debt: float, savings: float) -> float | None:
    """Years of gross savings needed to repay ``debt`` (both in €), or ``None`` when ``savings`` ≤ 0.

    With zero or negative savings the ratio is *meaningless* (not infinite, not negative): the
    commune has nothing left each year to repay its debt, and that is what must be reported.
    """
    if savings <= 0:
        return None
    return debt / savings


def debt_capacity_years(budget: Budget) -> float | None:
    """Debt capacity (*capacité de désendettement*), in years, or ``None`` if gross savings ≤ 0.

    Debt outstanding on 31 December divided by gross savings: how many years the commune would need
    to repay all its debt if it devoted all its gross savings to it. A commune with zero or
    negative gross savings gets ``None``: the ratio has no meaning, see :func:`capacity_ratio`.
    """
    return capacity_ratio(budget.year_end_debt, gross_savings(budget))


#: Reference ceiling for communes and EPCI à fiscalité propre set by loi n° 2018-32, art. 29, for the
#: 2018–2022 contracts with the 322 largest local authorities. It is a reference, not a legal cap.
REFERENCE_CEILING_YEARS = 12.0
#: Practitioners' usual reading: from about 10 years, watch the trend.
VIGILANCE_YEARS = 10.0
#: Practitioners' usual reading: 15 years or more is a red zone (loans last about 15 years).
RED_YEARS = 15.0


def alert_level(years: float | None) -> str:
    """Classify a debt capacity in years with the usual practitioners' reading.

    Returns ``"comfortable"`` (below 10), ``"vigilance"`` (10 to 12), ``"worrying"`` (above 12,
    below 15), ``"red"`` (15 or more) or ``"meaningless"`` when ``years`` is ``None`` or NaN (zero or
    negative savings). These bands are conventions of financial analysts, not legal limits.
    """
    if years is None or (isinstance(years, float) and math.isnan(years)):
        return "meaningless"
    if years < VIGILANCE_YEARS:
        return "comfortable"
    if years <= REFERENCE_CEILING_YEARS:
        return "vigilance"
    if years < RED_YEARS:
        return "worrying"
    return "red"


def is_golden_rule_respected(budget: Budget) -> bool:
    """Whether the budget borrows for investment only (the *règle d'or*, CGCT L1612-4).

    Two conditions, both on real flows:

    1. the operating section pays for itself: gross savings are zero or more, so no loan pays for
       salaries, energy or interest;
    2. the capital of debt repaid this year is covered by gross savings plus own investment revenue
       (loans excluded), so no new loan repays an old one.
    """
    savings = gross_savings(budget)
    return savings >= 0 and savings + budget.investment_revenue >= budget.capital_repaid


def financing_gap(budget: Budget) -> float:
    """Real investment spending not covered by the budget's resources, € (0 for a balanced budget).

    Needs: capital spending + capital repaid. Resources: gross savings + own investment revenue +
    new borrowing. A positive gap means resources are missing; a negative one, a surplus.
    """
    needs = budget.investment_spending + budget.capital_repaid
    resources = gross_savings(budget) + budget.investment_revenue + budget.new_borrowing
    return needs - resources


# ---------------------------------------------------------------------------------------------
# 2. Loans with constant annuities
# ---------------------------------------------------------------------------------------------


def _check_loan(principal: float, rate: float, years: int) -> None:
    _check_amount("principal", principal)
    if not isinstance(rate, (int, float, np.integer, np.floating)) or not 0 <= rate < 1:
        raise ValueError(f"rate is {rate!r}: give the yearly interest rate as a fraction between 0 and 1 (0.03 for 3 %).")
    if isinstance(years, bool) or not isinstance(years, (int, np.integer)) or years < 1:
        raise ValueError(f"years is {years!r}: give the duration of the loan as a whole number of years, 1 or more.")


def annuity(principal: float, rate: float, years: int) -> float:
    """Constant yearly payment (interest + capital) that repays ``principal`` € in ``years`` years.

    ``rate`` is the yearly interest rate as a fraction (0.03 = 3 %). The usual formula is
    ``principal × rate / (1 − (1 + rate) ** −years)``; with a zero rate it is ``principal / years``.
    """
    _check_loan(principal, rate, years)
    if rate == 0:
        return principal / years
    # 1 − (1 + rate) ** −years, written so that it stays exact for tiny rates
    return principal * rate / -math.expm1(-years * math.log1p(rate))


def debt_schedule(principal: float, rate: float, years: int, *, first_year: int = 1) -> pd.DataFrame:
    """Repayment table of a loan with constant annuities, one row per year.

    Columns (all in €): ``opening_debt``, ``annuity``, ``interest`` (rate × opening debt),
    ``capital`` (annuity − interest) and ``closing_debt``. The index is the year, starting at
    ``first_year``. Each year the interest falls and the capital repaid rises, while their sum
    stays the same.
    """
    payment = annuity(principal, rate, years)
    rows = []
    debt = float(principal)
    for offset in range(years):
        interest = debt * rate
        capital = payment - interest
        if offset == years - 1:  # the last payment clears what rounding left behind
            capital = debt
        rows.append(
            {
                "year": first_year + offset,
                "opening_debt": debt,
                "annuity": interest + capital,
                "interest": interest,
                "capital": capital,
                "closing_debt": debt - capital,
            }
        )
        debt -= capital
    return pd.DataFrame(rows).set_index("year")


def estimate_outstanding_debt(capital_repaid: float, remaining_years: float) -> float:
    """Estimate a debt outstanding (€) from one year's capital repaid (€) and an assumed remaining life.

    Used when a published budget gives the capital repaid in the year but not the debt itself. If
    the commune keeps repaying the same capital every year and its debt has ``remaining_years``
    years left to run, it owes ``capital_repaid × remaining_years``. The answer is only as good as
    ``remaining_years``: treat it as an assumption, never as data.
    """
    _check_amount("capital_repaid", capital_repaid)
    if isinstance(remaining_years, bool) or not isinstance(remaining_years, (int, float, np.integer, np.floating)) or not remaining_years > 0:
        raise ValueError(f"remaining_years is {remaining_years!r}: give the remaining life of the debt in years, more than 0.")
    return capital_repaid * remaining_years


# ---------------------------------------------------------------------------------------------
# 3. Multi-year projection
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """The choices and assumptions of a multi-year projection (*prospective financière*).

    tax_rate_change : float
        Change of the tax rates each year, as a fraction: 0.01 = rates raised by 1 % a year
        (applied to all tax revenue).
    staff_cost_growth : float
        Growth of staff costs each year, as a fraction (0.015 = 1.5 %/year).
    grant_trend : float
        Change of State grants and contributions each year, as a fraction (−0.02 = −2 %/year).
    investment : float
        Capital spending each year, € per year.
    borrowing_rate : float
        Interest rate of new loans, as a fraction (0.03 = 3 %).
    loan_duration : int
        Duration of new loans, in years.
    tax_base_growth : float
        Growth of the tax base each year, as a fraction (0 by default: rates are the only lever).
    other_spending_growth : float
        Growth of the other operating expenses each year, as a fraction (0 by default).
    """

    tax_rate_change: float = 0.0
    staff_cost_growth: float = 0.015
    grant_trend: float = 0.0
    investment: float = 4_700_000.0
    borrowing_rate: float = 0.03
    loan_duration: int = 15
    tax_base_growth: float = 0.0
    other_spending_growth: float = 0.0

    def __post_init__(self) -> None:
        for name in ("tax_rate_change", "staff_cost_growth", "grant_trend", "tax_base_growth", "other_spending_growth"):
            value = getattr(self, name)
            if not isinstance(value, (int, float, np.integer, np.floating)) or not -0.5 <= value <= 0.5:
                raise ValueError(
                    f"Policy.{name} is {value!r}: give a yearly change as a fraction between -0.5 and 0.5 "
                    "(0.02 for +2 % a year)."
                )
        _check_amount("Policy.investment", self.investment)
        if not isinstance(self.borrowing_rate, (int, float, np.integer, np.floating)) or not 0 <= self.borrowing_rate < 1:
            raise ValueError(f"Policy.borrowing_rate is {self.borrowing_rate!r}: give the interest rate as a fraction between 0 and 1 (0.03 for 3 %).")
        duration = self.loan_duration
        if isinstance(duration, bool) or not isinstance(duration, (int, np.integer)) or not 1 <= duration <= 50:
            raise ValueError(f"Policy.loan_duration is {duration!r}: give the duration of new loans as a whole number of years between 1 and 50.")


@dataclass
class _Loan:
    """A loan being repaid (internal to :func:`project_budget`).

    With ``constant="annuity"`` the yearly payment (interest + capital) stays the same; with
    ``constant="capital"`` the capital repaid each year stays the same.
    """

    debt: float
    rate: float
    payment: float
    constant: str = "annuity"

    def repay(self) -> tuple[float, float]:
        """Pay one year: return (interest, capital) and lower the debt."""
        interest = self.debt * self.rate
        if self.constant == "capital":
            capital = min(self.payment, self.debt)
        else:
            capital = min(max(self.payment - interest, 0.0), self.debt)
        self.debt -= capital
        return interest, capital


#: Columns of the table returned by :func:`project_budget`, with their meaning and unit.
PROJECTION_COLUMNS = {
    "operating_revenue": "real operating revenue, €",
    "operating_expenses": "real operating expenses including interest, €",
    "interest": "interest paid, €",
    "gross_savings": "gross savings (épargne brute), €",
    "capital_repaid": "capital of debt repaid, €",
    "net_savings": "net savings (épargne nette), €",
    "investment": "capital spending, €",
    "investment_revenue": "own investment revenue, loans excluded, €",
    "new_borrowing": "new loans taken out, €",
    "surplus": "resources left unspent after investment (not carried forward), €",
    "debt": "debt outstanding on 31 December, €",
    "debt_capacity_years": "debt ÷ gross savings, years (NaN when savings ≤ 0)",
    "golden_rule_respected": "True when loans pay for investment only",
}


def project_budget(start: Budget, policy: Policy, years: int) -> pd.DataFrame:
    """Project a budget ``years`` years ahead under ``policy``; one row per year.

    The first row is the ``start`` budget as it is; the policy applies from the next year. The
    index is the year. Columns are listed, with units, in :data:`PROJECTION_COLUMNS`.

    Each projected year:

    - taxes grow with the tax base and the rates, grants with ``grant_trend``, staff costs with
      ``staff_cost_growth``, other expenses with ``other_spending_growth``; other operating
      revenue stays flat;
    - the debt outstanding at the start keeps being repaid with the same capital each year as in
      the start year, until it is gone, and bears interest at the start year's average rate
      (interest ÷ debt outstanding on 1 January);
    - each year's new loan is repaid with constant annuities at ``borrowing_rate`` over
      ``loan_duration`` years, from the following year;
    - capital spending (``policy.investment``) is paid for first by net savings, then by own
      investment revenue (which stays in the same proportion to capital spending as in the start
      year, like FCTVA and capital grants), and what is still missing is borrowed. If net savings
      are negative, part of the loan repays old debt and ``golden_rule_respected`` is False.
    - the debt capacity is NaN in years when gross savings are zero or negative (meaningless).
    """
    if not isinstance(start, Budget):
        raise TypeError("start must be a Budget, for example model.lanester_2019().")
    if not isinstance(policy, Policy):
        raise TypeError("policy must be a Policy, for example model.Policy(staff_cost_growth=0.02).")
    if isinstance(years, bool) or not isinstance(years, (int, np.integer)) or not 1 <= years <= 50:
        raise ValueError(f"years is {years!r}: give a whole number of years to project, between 1 and 50.")

    def row(year, revenue, expenses, interest, capital, investment, inv_revenue, borrowing, surplus, debt):
        savings = revenue - expenses
        ratio = capacity_ratio(debt, savings)
        return {
            "year": year,
            "operating_revenue": revenue,
            "operating_expenses": expenses,
            "interest": interest,
            "gross_savings": savings,
            "capital_repaid": capital,
            "net_savings": savings - capital,
            "investment": investment,
            "investment_revenue": inv_revenue,
            "new_borrowing": borrowing,
            "surplus": surplus,
            "debt": debt,
            "debt_capacity_years": math.nan if ratio is None else ratio,
            "golden_rule_respected": bool(savings >= 0 and savings + inv_revenue >= capital),
        }

    start_gap = -financing_gap(start)
    rows = [
        row(
            start.year,
            start.operating_revenue,
            start.operating_expenses,
            start.interest,
            start.capital_repaid,
            start.investment_spending,
            start.investment_revenue,
            start.new_borrowing,
            max(0.0, start_gap),
            start.year_end_debt,
        )
    ]

    # The existing debt: the start year's capital repaid every year, at the start year's average rate.
    loans: list[_Loan] = []
    remaining = start.outstanding_debt - start.capital_repaid
    if remaining > 0:
        rate = start.interest / start.outstanding_debt
        loans.append(_Loan(remaining, rate, start.capital_repaid, constant="capital"))
    new_loan_payment = annuity(1.0, policy.borrowing_rate, policy.loan_duration)  # per euro borrowed
    if start.new_borrowing > 0:
        loans.append(_Loan(start.new_borrowing, policy.borrowing_rate, start.new_borrowing * new_loan_payment))
    revenue_share = start.investment_revenue / start.investment_spending if start.investment_spending else 0.0

    tax, grants, other_revenue = start.tax_revenue, start.grants, start.other_operating_revenue
    staff, other_expenses = start.staff_costs, start.other_operating_expenses
    for offset in range(1, years + 1):
        tax *= (1 + policy.tax_base_growth) * (1 + policy.tax_rate_change)
        grants *= 1 + policy.grant_trend
        staff *= 1 + policy.staff_cost_growth
        other_expenses *= 1 + policy.other_spending_growth
        interest = capital = 0.0
        for loan in loans:
            paid_interest, paid_capital = loan.repay()
            interest += paid_interest
            capital += paid_capital
        revenue = tax + grants + other_revenue
        expenses = staff + other_expenses + interest
        savings = revenue - expenses
        inv_revenue = policy.investment * revenue_share
        missing = policy.investment + capital - savings - inv_revenue
        borrowing = max(missing, 0.0)
        surplus = max(0.0, -missing)
        if borrowing > 0:
            loans.append(_Loan(borrowing, policy.borrowing_rate, borrowing * new_loan_payment))
        debt = sum(loan.debt for loan in loans)
        rows.append(row(start.year + offset, revenue, expenses, interest, capital, policy.investment, inv_revenue, borrowing, surplus, debt))

    return pd.DataFrame(rows).set_index("year")


# ---------------------------------------------------------------------------------------------
# 4. A real budget: Lanester (Morbihan), budget primitif 2019
# ---------------------------------------------------------------------------------------------

#: How each line of the Lanester files maps to a :class:`Budget` field. ``"ordre"`` lines are
#: accounting transfers between the two sections, not money in or out, and map to no field.
#: (file, amount column, label in the file, flow, Budget field or None)
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
                "Update LANESTER_LINES in modules/budgeting/model.py to map every line."
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


# ---------------------------------------------------------------------------------------------
# 5. Participatory budgeting
# ---------------------------------------------------------------------------------------------

#: The city sectors written in Avignon's file, in lower case, and their cleaned names.
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
            "If the file uses a new spelling, add it to SECTOR_NAMES in modules/budgeting/model.py."
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
