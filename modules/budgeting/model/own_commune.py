"""A learner's own commune as a :class:`Budget`, from the figures its published accounts give (euros)."""

from __future__ import annotations

import math

from modules.common.formatting import format_euros
from modules.common.i18n import N_, translator

from .indicators import Budget, _check_amount

_ = translator(__name__)

#: The figures a learner enters, in the order of the form, with where to find them in council
#: papers (M14/M57 chapters) and in the DGFiP's individual accounts of communes. The hints are in
#: English (marked with ``N_``): translate them with ``_`` where they are shown.
ACCOUNT_FIELDS = {
    "tax_revenue": N_("Taxes, chapter 73 (and 731 in M57): all of 'impôts et taxes'"),
    "direct_taxes": N_("of which the direct taxes whose rates the council votes ('impôts locaux' in the DGFiP accounts)"),
    "grants": N_("State grants and contributions, chapter 74 (DGF and others)"),
    "other_operating_revenue": N_("Other real operating revenue: chapters 70, 75, 013, 76, 77"),
    "staff_costs": N_("Staff costs, chapter 012"),
    "other_operating_expenses": N_("Other real operating expenses except interest: chapters 011, 65, 014, 67"),
    "interest": N_("Interest on the debt, chapter 66 (account 66111)"),
    "capital_repaid": N_("Capital of loans repaid, chapter 16 (expenses)"),
    "year_end_debt": N_("Debt outstanding on 31 December ('encours de la dette au 31/12')"),
    "investment_spending": N_("Works and equipment, chapters 20, 204, 21, 23 ('dépenses d'équipement')"),
    "investment_revenue": N_("Own investment revenue, loans excluded: FCTVA, capital grants, development tax, sales"),
    "new_borrowing": N_("New loans taken out in the year, chapter 16 (revenue)"),
}


def _euros(amount: float) -> str:
    """``1234567`` → ``'1 234 567 €'``, as the course writes amounts (in the learner's language)."""
    return format_euros(amount, "€")


def commune_budget(year: int, **amounts: float) -> Budget:
    """Build the :class:`Budget` of a commune from the figures of its accounts for ``year`` (€).

    ``amounts`` holds every key of :data:`ACCOUNT_FIELDS`. The accounts publish the debt on
    31 December; the budget needs it on 1 January, which is the 31 December figure plus the
    capital repaid minus the new loans of the year. Every amount must be zero or more, the direct
    taxes must be part of the taxes, and a message says which figure to check otherwise.
    """
    missing = [name for name in ACCOUNT_FIELDS if name not in amounts]
    unknown = sorted(set(amounts) - set(ACCOUNT_FIELDS))
    if missing or unknown:
        raise ValueError(_(
            "commune_budget needs exactly these figures: {names} (missing: {missing}, unknown: {unknown}).",
            names=", ".join(ACCOUNT_FIELDS), missing=missing, unknown=unknown,
        ))
    for name, value in amounts.items():
        _check_amount(name.replace("_", " ").capitalize(), value)
    if amounts["direct_taxes"] > amounts["tax_revenue"]:
        raise ValueError(_(
            "The direct taxes ({direct_taxes}) are larger than all the taxes ({taxes}), "
            "but they are part of them. Enter all of chapter 73 as the taxes, and the direct taxes (impôts locaux) as a part of it.",
            direct_taxes=_euros(amounts["direct_taxes"]), taxes=_euros(amounts["tax_revenue"]),
        ))
    opening = amounts["year_end_debt"] + amounts["capital_repaid"] - amounts["new_borrowing"]
    if opening < amounts["capital_repaid"] and not math.isclose(opening, amounts["capital_repaid"]):
        raise ValueError(_(
            "With {year_end_debt} of debt on 31 December, {capital_repaid} of capital repaid and "
            "{new_borrowing} of new loans, the debt on 1 January would be {opening}, less than the "
            "capital repaid that year. Check the debt on 31 December and the new loans: the debt on 31 December includes "
            "the year's new loans.",
            year_end_debt=_euros(amounts["year_end_debt"]), capital_repaid=_euros(amounts["capital_repaid"]),
            new_borrowing=_euros(amounts["new_borrowing"]), opening=_euros(opening),
        ))
    if amounts["interest"] > 0 and opening <= 0:
        raise ValueError(_(
            "The commune pays {interest} of interest but has no debt on 1 January: interest is paid on a debt. "
            "Check the debt on 31 December.",
            interest=_euros(amounts["interest"]),
        ))
    fields = {name: float(value) for name, value in amounts.items() if name != "year_end_debt"}
    return Budget(**fields, outstanding_debt=float(max(opening, amounts["capital_repaid"])), year=year)
