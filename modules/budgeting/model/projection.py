"""A multi-year projection of a commune's budget under a policy (euros, rates as fractions)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .indicators import Budget, _check_amount, capacity_ratio, financing_gap
from .loans import annuity


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


