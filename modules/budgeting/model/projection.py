"""A multi-year projection of a commune's budget under a policy (euros, rates as fractions)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from modules.common.i18n import translator

from .indicators import Budget, _check_amount, capacity_ratio, financing_gap, golden_rule_holds
from .loans import annuity

_ = translator(__name__)


#: The yearly growth rates of a :class:`Policy`, all fractions (0.02 = +2 % a year).
GROWTH_FIELDS = (
    "tax_rate_change",
    "tax_base_growth",
    "staff_cost_growth",
    "other_spending_growth",
    "other_revenue_growth",
    "grant_trend",
)


@dataclass(frozen=True)
class Policy:
    """The choices and assumptions of a multi-year projection (*prospective financière*).

    Every rate is a fraction per year (0.015 = +1.5 % a year); amounts are in euros.

    tax_rate_change : float
        Change of the tax rates the council votes, each year (0.01 = rates raised by 1 % a year,
        for example from 20.00 % to 20.20 %). It moves the direct taxes only
        (:attr:`Budget.voted_taxes`), never the other taxes.
    tax_base_growth : float
        Growth of the direct taxes' base each year, with unchanged rates: the yearly revaluation
        of rental values set by the State plus the physical growth of the base (new homes and
        buildings). Lanester's 2019 file reports +2.21 % with no change of rate.
    staff_cost_growth : float
        Growth of staff costs each year.
    other_spending_growth : float
        Growth of the other operating expenses (purchases, services, grants paid) each year.
    other_revenue_growth : float
        Growth of the taxes the council's rates do not move and of the other operating revenue
        (fees for services, rents) each year.
    grant_trend : float
        Change of State grants and contributions (DGF and others) each year (−0.02 = −2 % a year).
    investment : float
        Capital spending each year, € per year.
    borrowing_rate : float
        Interest rate of new loans, as a fraction (0.03 = 3 %).
    loan_duration : int
        Duration of new loans, in years.
    """

    tax_rate_change: float = 0.0
    tax_base_growth: float = 0.0
    staff_cost_growth: float = 0.015
    other_spending_growth: float = 0.0
    other_revenue_growth: float = 0.0
    grant_trend: float = 0.0
    investment: float = 4_700_000.0
    borrowing_rate: float = 0.03
    loan_duration: int = 15

    def __post_init__(self) -> None:
        for name in GROWTH_FIELDS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not -0.5 <= value <= 0.5:
                raise ValueError(_(
                    "Policy.{name} is {value}: give a yearly change as a fraction between -0.5 and 0.5 "
                    "(0.02 for +2 % a year).",
                    name=name, value=repr(value),
                ))
        _check_amount("Policy.investment", self.investment)
        if isinstance(self.borrowing_rate, bool) or not isinstance(self.borrowing_rate, (int, float, np.integer, np.floating)) or not 0 <= self.borrowing_rate < 1:
            raise ValueError(_(
                "Policy.borrowing_rate is {value}: give the interest rate as a fraction between 0 and 1 (0.03 for 3 %).",
                value=repr(self.borrowing_rate),
            ))
        duration = self.loan_duration
        if isinstance(duration, bool) or not isinstance(duration, (int, np.integer)) or not 1 <= duration <= 50:
            raise ValueError(_(
                "Policy.loan_duration is {value}: give the duration of new loans as a whole number of years between 1 and 50.",
                value=repr(duration),
            ))


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
    "golden_rule_respected": "True when gross savings ≥ 0 and gross savings + own investment revenue ≥ capital repaid (CGCT L1612-4)",
}


def project_budget(start: Budget, policy: Policy, years: int) -> pd.DataFrame:
    """Project a budget ``years`` years ahead under ``policy``; one row per year.

    The first row is the ``start`` budget as it is; the policy applies from the next year. The
    index is the year. Columns are listed, with units, in :data:`PROJECTION_COLUMNS`.

    Each projected year:

    - the voted direct taxes grow with the tax base and the rates
      (``(1 + tax_base_growth) × (1 + tax_rate_change)``); the other taxes and the other operating
      revenue with ``other_revenue_growth``; grants with ``grant_trend``; staff costs with
      ``staff_cost_growth``; other expenses with ``other_spending_growth``;
    - the debt outstanding at the start keeps being repaid with the same capital each year as in
      the start year, until it is gone, and bears interest at the start year's average rate
      (interest ÷ debt outstanding on 1 January);
    - each year's new loan is repaid with constant annuities at ``borrowing_rate`` over
      ``loan_duration`` years, from the following year;
    - capital spending (``policy.investment``) is paid for first by gross savings left after the
      capital repaid, then by own investment revenue, and what is still missing is borrowed.
      Own investment revenue stays in the same proportion to the *same year's* capital spending
      as in the start year. In reality its largest part, the FCTVA (a flat-rate compensation of
      16.404 % of eligible spending), is paid one or two years after the spending: the model
      ignores that lag, so a sudden rise in investment needs more borrowing in its first years
      than the model shows;
    - ``golden_rule_respected`` applies :func:`golden_rule_holds` (CGCT L1612-4): gross savings
      ≥ 0 and gross savings + own investment revenue ≥ capital repaid. Negative net savings alone
      are a warning sign, not a breach;
    - the debt capacity is NaN in years when gross savings are zero or negative (meaningless).
    """
    _check_projection(start, policy, years)
    new_loan_payment = annuity(1.0, policy.borrowing_rate, policy.loan_duration)  # per euro borrowed
    loans = _loans_at_start(start, policy, new_loan_payment)
    revenue_share = start.investment_revenue / start.investment_spending if start.investment_spending else 0.0
    items = _OperatingItems.of(start)
    rows = [_row(start.year, start.operating_revenue, start.operating_expenses, start.interest, start.capital_repaid,
                 start.investment_spending, start.investment_revenue, start.new_borrowing,
                 max(0.0, -financing_gap(start)), start.year_end_debt)]
    for offset in range(1, years + 1):
        items.grow(policy)
        interest, capital = _repay(loans)
        revenue, expenses = items.revenue(), items.expenses(interest)
        savings = revenue - expenses
        inv_revenue = policy.investment * revenue_share
        missing = policy.investment + capital - savings - inv_revenue
        borrowing = max(missing, 0.0)
        surplus = max(0.0, -missing)
        if borrowing > 0:
            loans.append(_Loan(borrowing, policy.borrowing_rate, borrowing * new_loan_payment))
        debt = sum(loan.debt for loan in loans)
        rows.append(_row(start.year + offset, revenue, expenses, interest, capital, policy.investment, inv_revenue,
                         borrowing, surplus, debt))
    return pd.DataFrame(rows).set_index("year")


def _check_projection(start: Budget, policy: Policy, years: int) -> None:
    """Refuse arguments that :func:`project_budget` cannot project, saying what to give instead."""
    if not isinstance(start, Budget):
        raise TypeError(_("start must be a Budget, for example model.lanester_2019()."))
    if not isinstance(policy, Policy):
        raise TypeError(_("policy must be a Policy, for example model.Policy(staff_cost_growth=0.02)."))
    if isinstance(years, bool) or not isinstance(years, (int, np.integer)) or not 1 <= years <= 50:
        raise ValueError(_("years is {value}: give a whole number of years to project, between 1 and 50.", value=repr(years)))


def _row(year, revenue, expenses, interest, capital, investment, inv_revenue, borrowing, surplus, debt) -> dict:
    """One year of the projection, with the columns of :data:`PROJECTION_COLUMNS` (euros, years)."""
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
        "golden_rule_respected": bool(golden_rule_holds(savings, capital, inv_revenue)),
    }


def _loans_at_start(start: Budget, policy: Policy, new_loan_payment: float) -> list["_Loan"]:
    """The debt of the start year: what was outstanding, repaid with the start year's capital every
    year at the start year's average rate; and the start year's new loan, repaid with constant
    annuities (``new_loan_payment`` per euro borrowed) from the following year."""
    loans: list[_Loan] = []
    remaining = start.outstanding_debt - start.capital_repaid
    if remaining > 0:
        rate = start.interest / start.outstanding_debt
        loans.append(_Loan(remaining, rate, start.capital_repaid, constant="capital"))
    if start.new_borrowing > 0:
        loans.append(_Loan(start.new_borrowing, policy.borrowing_rate, start.new_borrowing * new_loan_payment))
    return loans


def _repay(loans: list["_Loan"]) -> tuple[float, float]:
    """One year of repayments of every loan: (interest, capital) paid, in euros."""
    interest = capital = 0.0
    for loan in loans:
        paid_interest, paid_capital = loan.repay()
        interest += paid_interest
        capital += paid_capital
    return interest, capital


@dataclass
class _OperatingItems:
    """The operating revenue and expenses that a policy makes grow, in euros a year."""

    voted_taxes: float
    other_taxes: float
    grants: float
    other_revenue: float
    staff: float
    other_expenses: float

    @classmethod
    def of(cls, start: Budget) -> "_OperatingItems":
        return cls(start.voted_taxes, start.other_taxes, start.grants, start.other_operating_revenue,
                   start.staff_costs, start.other_operating_expenses)

    def grow(self, policy: Policy) -> None:
        """One year of growth under ``policy`` (see :func:`project_budget`)."""
        self.voted_taxes *= (1 + policy.tax_base_growth) * (1 + policy.tax_rate_change)
        self.other_taxes *= 1 + policy.other_revenue_growth
        self.other_revenue *= 1 + policy.other_revenue_growth
        self.grants *= 1 + policy.grant_trend
        self.staff *= 1 + policy.staff_cost_growth
        self.other_expenses *= 1 + policy.other_spending_growth

    def revenue(self) -> float:
        return self.voted_taxes + self.other_taxes + self.grants + self.other_revenue

    def expenses(self, interest: float) -> float:
        return self.staff + self.other_expenses + interest


