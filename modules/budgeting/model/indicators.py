"""A commune's budget and its indicators: savings, debt capacity, the golden rule (euros)."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

import numpy as np

from modules.common.i18n import N_, translator

from .wording import euros_with_commas

_ = translator(__name__)


@dataclass(frozen=True)
class Budget:
    """The real (cash) flows of one year of a commune's budget, in euros.

    Only *real* flows are recorded: money that enters or leaves the commune. Accounting transfers
    between the two sections (*opérations d'ordre*: the transfer to investment called
    *autofinancement*, depreciation, treasury entries) are left out, because counting them would
    count the same euro twice.

    Operating section (*section de fonctionnement*), recurring items:

    tax_revenue : float
        Taxes (*impôts et taxes*, chapter 73), €: the direct taxes whose rates the council votes,
        and other taxes it does not set (transfer duties, electricity tax, payments from the
        intercommunality). See ``direct_taxes``.
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
    direct_taxes : float or None
        The part of ``tax_revenue`` whose rates the council votes (*contributions directes*: the
        property taxes, and the housing tax before its end on main residences), €. ``None`` means
        the whole of ``tax_revenue``. A change of tax rates moves this part only.
    debt_estimate_years : int or None
        ``None`` when ``outstanding_debt`` is known. Otherwise the remaining life, in years, used to
        estimate it as ``capital_repaid × debt_estimate_years``: every ratio built on the debt then
        rests on that assumption (see :func:`~modules.budgeting.model.with_estimated_debt`).
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
    direct_taxes: float | None = None
    debt_estimate_years: int | None = None

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name == "year":
                if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                    raise TypeError(_("Budget.year must be a whole year such as 2019, not {value}.", value=repr(value)))
                continue
            if field.name == "debt_estimate_years":
                if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1):
                    raise ValueError(_(
                        "Budget.debt_estimate_years is {value}: give the whole number of years used to estimate the debt, "
                        "or None when the debt outstanding is known.",
                        value=repr(value),
                    ))
                continue
            if field.name == "direct_taxes" and value is None:
                continue
            _check_amount(f"Budget.{field.name}", value)
        if self.interest > 0 and self.outstanding_debt == 0:
            raise ValueError(_(
                "Budget.interest is positive but Budget.outstanding_debt is 0: interest is paid on a debt. "
                "Give the debt outstanding on 1 January (encours de la dette)."
            ))
        if self.direct_taxes is not None and self.direct_taxes > self.tax_revenue:
            raise ValueError(_(
                "Budget.direct_taxes ({direct_taxes}) is larger than Budget.tax_revenue "
                "({tax_revenue}): the direct taxes are part of the tax revenue. Check both amounts.",
                direct_taxes=euros_with_commas(self.direct_taxes), tax_revenue=euros_with_commas(self.tax_revenue),
            ))
        if self.capital_repaid > self.outstanding_debt:
            raise ValueError(_(
                "Budget.capital_repaid ({capital_repaid}) is larger than the debt outstanding on "
                "1 January ({outstanding_debt}): a commune cannot repay more than it owes. "
                "Check both amounts.",
                capital_repaid=euros_with_commas(self.capital_repaid), outstanding_debt=euros_with_commas(self.outstanding_debt),
            ))

    @property
    def voted_taxes(self) -> float:
        """The taxes whose rates the council votes, €: ``direct_taxes``, or all the taxes when it is ``None``."""
        return self.tax_revenue if self.direct_taxes is None else self.direct_taxes

    @property
    def other_taxes(self) -> float:
        """The taxes the council's rates do not move, €: ``tax_revenue − voted_taxes``."""
        return self.tax_revenue - self.voted_taxes

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
        raise TypeError(_("{name} must be a number of euros, not {value}.", name=name, value=repr(value)))
    if not math.isfinite(value):
        raise ValueError(_("{name} is {value}: give a finite amount in euros.", name=name, value=value))
    if value < 0:
        raise ValueError(_(
            "{name} is {amount}, a negative amount. Amounts are written as positive euros: "
            "record money coming in as revenue and money going out as an expense.",
            name=name, amount=euros_with_commas(value),
        ))


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
    Negative net savings are a warning sign, not a breach of the golden rule: own investment
    revenue may still cover the rest of the capital repaid (see :func:`is_golden_rule_respected`),
    but it is then not left to invest.
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
#: 2018–2022 contracts between the State and the 322 largest local authorities (operating spending
#: above 60 M€). It is a national reference for those contracts, not a rule for every commune; like
#: the practitioners' bands below, it is meant to be read on actual accounts (compte administratif
#: or compte financier unique), not on budget estimates.
REFERENCE_CEILING_YEARS = 12.0
#: Practitioners' usual reading: from about 10 years, watch the trend.
VIGILANCE_YEARS = 10.0
#: Practitioners' usual reading: 15 years or more is a red zone (loans last about 15 years).
RED_YEARS = 15.0


#: How each reading of :func:`alert_level` is shown to a learner (translate it with ``_`` where it is shown).
ALERT_LEVELS = {
    "comfortable": N_("comfortable"),
    "vigilance": N_("vigilance"),
    "worrying": N_("worrying"),
    "red": N_("red"),
    "meaningless": N_("meaningless"),
}


def alert_level(years: float | None) -> str:
    """Classify a debt capacity in years with the usual practitioners' reading.

    Returns ``"comfortable"`` (below 10), ``"vigilance"`` (10 to 12), ``"worrying"`` (above 12,
    below 15), ``"red"`` (15 or more) or ``"meaningless"`` when ``years`` is ``None`` or NaN (zero or
    negative savings). These bands are conventions of financial analysts, not legal limits, and
    they are meant for actual accounts (compte administratif, compte financier unique), not for the
    estimates of a budget primitif or of a projection.
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


def golden_rule_holds(gross: float, capital_repaid: float, own_investment_revenue: float) -> bool:
    """The golden rule (*règle d'or*, real balance of CGCT article L1612-4) on one year's figures, €.

    It holds when both conditions hold:

    1. gross savings are zero or more: the operating section pays for itself, so no loan pays for
       salaries, energy or interest;
    2. gross savings plus own investment revenue (loans excluded) cover the capital of debt repaid
       in the year: no new loan repays an old one.

    Negative *net* savings (gross savings below the capital repaid) are a warning sign, not a
    breach: condition 2 can still hold thanks to own investment revenue.
    """
    return gross >= 0 and gross + own_investment_revenue >= capital_repaid


def is_golden_rule_respected(budget: Budget) -> bool:
    """Whether the budget borrows for investment only (the *règle d'or*, CGCT L1612-4).

    The two conditions of :func:`golden_rule_holds`, on the budget's real flows: gross savings
    ≥ 0, and gross savings + own investment revenue ≥ capital repaid.
    """
    return golden_rule_holds(gross_savings(budget), budget.capital_repaid, budget.investment_revenue)


def financing_gap(budget: Budget) -> float:
    """Real investment spending not covered by the budget's resources, € (0 for a balanced budget).

    Needs: capital spending + capital repaid. Resources: gross savings + own investment revenue +
    new borrowing. A positive gap means resources are missing; a negative one, a surplus.
    """
    needs = budget.investment_spending + budget.capital_repaid
    resources = gross_savings(budget) + budget.investment_revenue + budget.new_borrowing
    return needs - resources




def with_estimated_debt(budget: Budget, remaining_years: int) -> Budget:
    """``budget`` with its debt outstanding estimated as ``capital_repaid × remaining_years`` (€).

    The result records the assumption in ``debt_estimate_years``. Use it to show how much a
    verdict depends on the estimate, for example with 10 and 18 years (``DEBT_ESTIMATE_RANGE``).
    """
    if isinstance(remaining_years, bool) or not isinstance(remaining_years, (int, np.integer)) or remaining_years < 1:
        raise ValueError(_(
            "remaining_years is {value}: give the remaining life of the debt as a whole number of years, 1 or more.",
            value=repr(remaining_years),
        ))
    return replace(budget, outstanding_debt=budget.capital_repaid * remaining_years, debt_estimate_years=int(remaining_years))
