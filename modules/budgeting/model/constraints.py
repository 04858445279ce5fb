"""Whether a multi-year policy keeps a commune's debt sustainable and its budget lawful, year by year."""

from __future__ import annotations

import math
from dataclasses import dataclass

from modules.common.i18n import translator

from .indicators import REFERENCE_CEILING_YEARS, Budget
from .projection import Policy, project_budget
from .wording import decimal, general

_ = translator(__name__)

#: The constraints :func:`check_policy` tests, in the order it reports them within a year.
CONSTRAINTS = ("gross savings", "debt capacity", "golden rule")


@dataclass(frozen=True)
class Breach:
    """One constraint that a policy fails in one year.

    year : int
        The projected year.
    constraint : str
        ``"gross savings"`` (zero or negative: the debt capacity has no meaning), ``"debt capacity"``
        (above the ceiling) or ``"golden rule"`` (CGCT L1612-4, see ``golden_rule_holds``).
    message : str
        What happens that year, in plain words, with the figures, in the learner's language.
    """

    year: int
    constraint: str
    message: str


def check_policy(start: Budget, policy: Policy, *, until: int = 2030, ceiling: float = REFERENCE_CEILING_YEARS) -> list[Breach]:
    """Every year up to ``until`` (included) in which ``policy`` breaks a constraint; empty if none.

    The policy is projected from ``start`` with :func:`project_budget`. In each projected year
    (after the start year) it must keep:

    - gross savings above zero, without which the debt capacity has no meaning;
    - the debt capacity (debt on 31 December ÷ gross savings) at or under ``ceiling`` years
      (12 by default: the reference of loi n° 2018-32 for the largest authorities' contracts, used
      here as a prudent target);
    - the golden rule: gross savings ≥ 0 and gross savings + own investment revenue ≥ capital repaid.

    Breaches are listed by year, then in the order of :data:`CONSTRAINTS`.
    """
    if not isinstance(start, Budget):
        raise TypeError(_("start must be a Budget, for example model.lanester_2019()."))
    if not isinstance(policy, Policy):
        raise TypeError(_("policy must be a model.Policy, for example model.Policy(tax_rate_change=0.01)."))
    if isinstance(until, bool) or not isinstance(until, int) or until <= start.year:
        raise ValueError(_(
            "until is {value}: give a year after the start year {start}, for example {example}.",
            value=repr(until), start=start.year, example=start.year + 10,
        ))
    frame = project_budget(start, policy, until - start.year)
    breaches = []
    for year, row in frame.iloc[1:].iterrows():
        year = int(year)
        ratio = row["debt_capacity_years"]
        if row["gross_savings"] <= 0:
            breaches.append(Breach(year, "gross savings", _(
                "In {year} gross savings would be {gross} M€: the day-to-day budget no longer "
                "pays for itself, so the debt could not be repaid from savings at all.",
                year=year, gross=decimal(row["gross_savings"] / 1e6, 2),
            )))
        elif not math.isnan(ratio) and ratio > ceiling:
            breaches.append(Breach(year, "debt capacity", _(
                "In {year} the debt would take {years} years of gross savings to repay, above the {ceiling}-year limit set for this check.",
                year=year, years=decimal(ratio, 1), ceiling=general(ceiling),
            )))
        if not row["golden_rule_respected"]:
            if row["gross_savings"] >= 0:
                message = _(
                    "In {year} gross savings plus own investment revenue ({resources} M€) "
                    "would not cover the capital repaid ({capital} M€): a new loan would repay an old one, "
                    "which the golden rule (CGCT L1612-4) forbids.",
                    year=year, resources=decimal((row["gross_savings"] + row["investment_revenue"]) / 1e6, 2),
                    capital=decimal(row["capital_repaid"] / 1e6, 2),
                )
            else:
                message = _(
                    "In {year} gross savings would be negative ({gross} M€): a loan would pay for running "
                    "costs, which the golden rule (CGCT L1612-4) forbids.",
                    year=year, gross=decimal(row["gross_savings"] / 1e6, 2),
                )
            breaches.append(Breach(year, "golden rule", message))
    return breaches
