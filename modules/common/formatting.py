"""Numbers, shares and dates written for learners, in their language. Models, figures, widgets and
lessons all use it, so an amount reads the same wherever it appears.

English keeps the course's house style (``28.4 M€``, ``1 234 567 €``, ``12.5 %``,
``2 December 2026``). French follows French usage through Babel's CLDR data: a comma for
decimals, a narrow no-break space between thousands and before ``€`` and ``%`` (``28,4 M€``,
``1 234 567 €``, ``12,5 %``, ``2 décembre 2026``, ``1er janvier 2024``). The language is the learner's
(:func:`modules.common.i18n.language`), unless ``language=`` says otherwise.
"""

from __future__ import annotations

import datetime

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

from modules.common.i18n import language as current_language

#: Divisor of each unit of amounts.
UNITS = {"M€": 1e6, "k€": 1e3, "€": 1.0}
#: The narrow no-break space (U+202F) that French puts between thousands and before a unit.
NARROW_NBSP = "\u202f"


def _language(language: str | None) -> str:
    return language or current_language()


def format_number(value: float, decimals: int = 0, language: str | None = None) -> str:
    """A number with ``decimals`` decimals and grouped thousands: ``1 234 567`` or ``12.5`` (``12,5`` in French)."""
    if _language(language) == "fr":
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale="fr_FR")
    return f"{value:,.{decimals}f}".replace(",", " ")


def format_euros(amount: float, unit: str = "M€", language: str | None = None) -> str:
    """Format an amount in euros for learners: ``format_euros(28_357_095)`` gives ``'28.4 M€'`` (``'28,4 M€'`` in French).

    ``unit`` is ``"M€"`` (millions, one decimal), ``"k€"`` (thousands, one decimal) or ``"€"`` (whole euros).
    """
    if unit not in UNITS:
        raise ValueError(f"Unknown unit {unit!r}: use one of {', '.join(UNITS)}.")
    value = amount / UNITS[unit]
    decimals = 0 if unit == "€" else 1
    space = NARROW_NBSP if _language(language) == "fr" else " "
    return f"{format_number(value, decimals, language)}{space}{unit}"


def format_percent(share: float, decimals: int = 1, language: str | None = None) -> str:
    """A share as a percentage: ``format_percent(0.125)`` gives ``'12.5 %'`` (``'12,5 %'`` in French).

    ``share`` is a fraction (0.125 for 12.5 %).
    """
    space = NARROW_NBSP if _language(language) == "fr" else " "
    return f"{format_number(share * 100, decimals, language)}{space}%"


def format_date(day: datetime.date, language: str | None = None) -> str:
    """A day in words: ``2 December 2026``, or ``2 décembre 2026`` in French, where the first of a
    month is written ``1er`` (``1er janvier 2024``)."""
    if _language(language) == "fr":
        first = "1er" if day.day == 1 else str(day.day)
        return f"{first} {_babel_date(day, format='MMMM y', locale='fr_FR')}"
    return _babel_date(day, format="d MMMM y", locale="en_GB")
