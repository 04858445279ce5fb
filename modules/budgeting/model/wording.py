"""How module 1 writes numbers inside its messages, in the learner's language.

English keeps, to the character, the forms the course has always printed (``12.3``, ``12.5%``,
``+1.49``, ``1,234,567 €``); French writes them the French way through
:mod:`modules.common.formatting` (``12,3``, ``12,5 %``, ``+1,49``, ``1 234 567 €``, with narrow
no-break spaces). The model's messages, the figures and the widgets all use these helpers, so a
number reads the same wherever it appears. Pure: no widget, no plotting.
"""

from __future__ import annotations

from modules.common.formatting import NARROW_NBSP, format_euros, format_number, format_percent
from modules.common.i18n import language


def _french() -> bool:
    return language() == "fr"


def decimal(value: float, digits: int = 1) -> str:
    """``12.345`` → ``'12.3'`` (``'12,3'`` in French): ``f"{value:.1f}"``, thousands grouped in French only."""
    return format_number(value, digits) if _french() else f"{value:.{digits}f}"


def signed(value: float, digits: int = 2) -> str:
    """``0.5`` → ``'+0.50'`` (``'+0,50'``), a sign always shown: ``f"{value:+.2f}"``."""
    if _french():
        return ("+" if value >= 0 else "-") + format_number(abs(value), digits)
    return f"{value:+.{digits}f}"


def grouped(value: float, digits: int = 0, separator: str = " ") -> str:
    """``1234567`` → ``'1 234 567'``: thousands separated by ``separator`` in English, by a narrow no-break space in French."""
    if _french():
        return format_number(value, digits)
    return f"{value:,.{digits}f}".replace(",", separator)


def general(value: float) -> str:
    """``12.0`` → ``'12'``, ``2.5`` → ``'2.5'`` (``'2,5'``): ``f"{value:g}"``."""
    text = f"{value:g}"
    return text.replace(".", ",") if _french() else text


def share(value: float, digits: int = 1) -> str:
    """A fraction as a percentage with no space in English, ``f"{value:.1%}"`` (``'12.5%'``); ``'12,5 %'`` in French."""
    return format_percent(value, digits) if _french() else f"{value:.{digits}%}"


def spaced_percent(value: float, digits: int = 1) -> str:
    """A fraction as a percentage with a space: ``0.125`` → ``'12.5 %'`` (``'12,5 %'``)."""
    return format_percent(value, digits) if _french() else f"{value * 100:.{digits}f} %"


def euros_with_commas(amount: float) -> str:
    """Whole euros as the model's checks write them: ``'1,234,567 €'`` in English, ``'1 234 567 €'`` in French."""
    return format_euros(amount, "€") if _french() else f"{amount:,.0f} €"


def unit_space() -> str:
    """The space between a number and its unit: a plain space in English, a narrow no-break space in French."""
    return NARROW_NBSP if _french() else " "
