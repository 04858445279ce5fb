"""Loans repaid by constant annuities: the annuity and the repayment table (euros, rates as fractions)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from modules.common.i18n import translator

from .indicators import _check_amount

_ = translator(__name__)


def _check_loan(principal: float, rate: float, years: int) -> None:
    _check_amount("principal", principal)
    if not isinstance(rate, (int, float, np.integer, np.floating)) or not 0 <= rate < 1:
        raise ValueError(_("rate is {value}: give the yearly interest rate as a fraction between 0 and 1 (0.03 for 3 %).", value=repr(rate)))
    if isinstance(years, bool) or not isinstance(years, (int, np.integer)) or years < 1:
        raise ValueError(_("years is {value}: give the duration of the loan as a whole number of years, 1 or more.", value=repr(years)))


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
        raise ValueError(_("remaining_years is {value}: give the remaining life of the debt in years, more than 0.", value=repr(remaining_years)))
    return capital_repaid * remaining_years




#: Remaining lives (years) between which a debt estimated from the capital repaid is tested.
#: 10 years is a debt that is being paid off fast; 18, one carried by long loans.
DEBT_ESTIMATE_RANGE = (10, 18)
