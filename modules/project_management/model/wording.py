"""How module 2 writes numbers inside its messages, in the learner's language.

English keeps, to the character, the forms the module has always printed (``12.3``, ``0.84``,
``2.5``, ``1 234 567 €``, ``−32 000 €``, ``36 %``); French writes them the French way through
:mod:`modules.common.formatting` (``12,3``, ``0,84``, ``2,5``, ``1 234 567 €``, with narrow
no-break spaces). The model's messages, the figures and the widgets all use these helpers, so a
number reads the same wherever it appears. Pure: no widget, no plotting.
"""

from __future__ import annotations

import datetime

from modules.common.formatting import NARROW_NBSP, format_date, format_number
from modules.common.i18n import N_, language, translator

_ = translator(__name__)

#: The real minus sign the module writes before a negative amount.
MINUS = "\u2212"


def _french() -> bool:
    return language() == "fr"


def decimal(value: float, digits: int = 1) -> str:
    """``12.345`` → ``'12.3'`` (``'12,3'`` in French): ``f"{value:.1f}"``, thousands grouped in French only."""
    return format_number(value, digits) if _french() else f"{value:.{digits}f}"


def general(value: float) -> str:
    """``12.0`` → ``'12'``, ``2.5`` → ``'2.5'`` (``'2,5'``): ``f"{value:g}"``."""
    text = f"{value:g}"
    return text.replace(".", ",").replace("-", MINUS) if _french() else text


def grouped(value: float, digits: int = 0) -> str:
    """``1234567`` → ``'1 234 567'``: thousands separated by a space in English, a narrow no-break space in French."""
    return format_number(value, digits) if _french() else f"{value:,.{digits}f}".replace(",", " ")


def unit_space() -> str:
    """The space between a number and its unit (``€``, ``%``, ``k€``): a plain space in English, a narrow no-break space in French."""
    return NARROW_NBSP if _french() else " "


def euros(amount: float, exact: bool = False) -> str:
    """``-10000`` → ``'−10 000 €'``, as the course writes amounts (whole euros).

    With ``exact=True``, an amount that is not a whole number of euros keeps its cents (for error
    messages, where rounding could make two different amounts look equal)."""
    cents = exact and abs(amount - round(amount)) > 1e-9
    text = f"{grouped(abs(amount), 2 if cents else 0)}{unit_space()}€"
    return (MINUS if amount < (-1e-9 if cents else -0.5) else "") + text


def percent(share: float, digits: int = 0) -> str:
    """A share with a space before the sign: ``0.0643`` → ``'6 %'`` (``'6 %'`` with a narrow no-break space in French)."""
    return f"{decimal(share * 100, digits)}{unit_space()}%"


def day_words(value) -> str:
    """A date in words: ``'27 November 2020'`` (``'27 novembre 2020'``)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if _french():
        return format_date(value)
    return f"{value.day} {value:%B %Y}"


def short_date(value: datetime.date) -> str:
    """A date with its month abbreviated: ``'3 Nov 2025'`` (``'3 nov. 2025'``)."""
    if _french():
        from babel.dates import format_date as babel_date

        return babel_date(value, format="d MMM y", locale="fr_FR")
    return f"{value.day} {value:%b %Y}"


#: Time units a dashboard or a curve may count in: English unit → (singular, plural), shown with ``_``.
TIME_UNITS = {
    "working day": (N_("working day"), N_("working days")),
    "day": (N_("day"), N_("days")),
    "week": (N_("week"), N_("weeks")),
    "month": (N_("month"), N_("months")),
    "year": (N_("year"), N_("years")),
}


def time_unit(unit: str, plural: bool = False) -> str:
    """The name of a time unit in the learner's language: ``"month"`` → ``"month"`` or ``"months"`` (``"mois"``).

    A unit the course does not know is shown as given (with an ``s`` for the English plural), so a
    lesson may pass its own unit already in its language.
    """
    if unit in TIME_UNITS:
        return _(TIME_UNITS[unit][1 if plural else 0])
    return f"{unit}s" if plural and not _french() else unit
