"""How module 4 writes numbers inside its messages, in the learner's language.

English keeps, to the character, the forms the module has always printed (``4000``, ``12.5``,
``12.5 %``); French writes them the French way through :mod:`modules.common.formatting` (``4 000``,
``12,5``, ``12,5 %``, with narrow no-break spaces). The model's messages, the figures and the
widgets all use these helpers, so a number reads the same wherever it appears. Pure: no widget, no
plotting.
"""

from __future__ import annotations

from modules.common.formatting import NARROW_NBSP, format_number
from modules.common.i18n import language


def _french() -> bool:
    return language() == "fr"


def count(value: int) -> str:
    """A whole number: ``4000`` in English (``str``), ``4 000`` in French (thousands grouped)."""
    return format_number(value) if _french() else str(value)


def grouped(value: int) -> str:
    """A whole number with grouped thousands in both languages: ``4 000``."""
    return format_number(value)


def decimal(value: float, digits: int = 1) -> str:
    """``12.345`` → ``'12.3'`` (``'12,3'`` in French): ``f"{value:.1f}"``, thousands grouped in French only."""
    return format_number(value, digits) if _french() else f"{value:.{digits}f}"


def percent(value: float, digits: int = 1) -> str:
    """A value already in % (0 to 100): ``'12.5 %'`` in English, ``'12,5 %'`` in French."""
    if _french():
        return f"{format_number(value, digits)}{NARROW_NBSP}%"
    return f"{value:.{digits}f} %"
