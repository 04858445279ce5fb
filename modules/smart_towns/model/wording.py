"""How module 3 writes numbers, days and lists for a learner, in the learner's language.

English keeps the module's house style exactly (``1 234``, ``12.5 %``, ``Thu 15 Jul 2021``,
``July 2021``, ``a, b and c``); French follows French usage through
:mod:`modules.common.formatting` and Babel's CLDR data (``1 234``, ``12,5 %``,
``jeu. 15 juil. 2021``, ``juillet 2021``, ``a, b et c``). Pure: no widget, no plotting.
"""

from __future__ import annotations

import pandas as pd
from babel.dates import format_date as _babel_date

from modules.common.formatting import format_date, format_number, format_percent
from modules.common.i18n import language, translator

_ = translator(__name__)

#: The real minus sign written before a negative number.
MINUS = "\u2212"


def french() -> bool:
    """True when the learner reads French now."""
    return language() == "fr"


def grouped(value: float, decimals: int = 0) -> str:
    """``12345.6`` → ``'12 346'`` (``'12 346'`` with a narrow space in French), with a real minus sign."""
    text = format_number(abs(float(value)), decimals)
    digits = text.replace(" ", "").replace("\u202f", "").replace("\xa0", "").replace(",", ".")
    return (MINUS if value < 0 and float(digits) != 0 else "") + text


def plain(value: float, decimals: int = 0) -> str:
    """A number as Python writes it with grouped thousands (``-1 234``, hyphen kept in English); French style in French."""
    if not french():
        return f"{float(value):,.{decimals}f}".replace(",", " ")
    return format_number(float(value), decimals).replace("-", MINUS)


def decimal(value: float, decimals: int = 1) -> str:
    """``2.5`` → ``'2.5'`` (``'2,5'`` in French), without grouping."""
    text = f"{float(value):.{decimals}f}"
    return text.replace(".", ",").replace("-", MINUS) if french() else text


def short(value: float) -> str:
    """A number with ``:g`` (``0.25`` → ``'0.25'``, ``'0,25'`` in French)."""
    text = f"{float(value):g}"
    return text.replace(".", ",") if french() else text


def percent(share: float, decimals: int = 0) -> str:
    """A share 0–1 as a percentage: ``0.125`` → ``'12 %'`` (``'12,5 %'`` with ``decimals=1`` in French)."""
    return format_percent(float(share), decimals)


def points(value: float, decimals: int = 0) -> str:
    """A value already in % (``62.5``) as ``'62 %'`` (``'62 %'`` with a narrow space in French)."""
    return format_percent(float(value) / 100, decimals)


def listing(items) -> str:
    """``['a', 'b', 'c']`` → ``'a, b and c'`` (``'a, b et c'`` in French)."""
    items = [str(item) for item in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return _("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])


def _locale() -> str:
    return "fr_FR"


def short_day(day) -> str:
    """``2021-07-15`` → ``'Thu 15 Jul 2021'`` (``'jeu. 15 juil. 2021'`` in French)."""
    day = pd.Timestamp(day)
    if french():
        return _babel_date(day.date(), format="EEE d MMM y", locale=_locale())
    return f"{day:%a} {day.day} {day:%b %Y}"


def padded_day(day) -> str:
    """``2021-07-05`` → ``'Mon 05 Jul 2021'`` (``'lun. 05 juil. 2021'`` in French)."""
    day = pd.Timestamp(day)
    if french():
        return _babel_date(day.date(), format="EEE dd MMM y", locale=_locale())
    return day.strftime("%a %d %b %Y")


def long_day(day) -> str:
    """``2017-06-27`` → ``'27 June 2017'`` (``'27 juin 2017'`` in French)."""
    day = pd.Timestamp(day)
    if french():
        return format_date(day.date())
    return f"{day.day} {day:%B %Y}"


def day_month(day) -> str:
    """``2021-12-21`` → ``'21 December'`` (``'21 décembre'``), with a leading zero in English as ``%d %B``."""
    day = pd.Timestamp(day)
    if french():
        return _babel_date(day.date(), format="d MMMM", locale=_locale())
    return f"{day:%d %B}"


def month_year(day) -> str:
    """``2021-07-01`` → ``'July 2021'`` (``'juillet 2021'`` in French)."""
    day = pd.Timestamp(day)
    if french():
        return _babel_date(day.date(), format="MMMM y", locale=_locale())
    return f"{day:%B %Y}"


def short_month_year(day) -> str:
    """``2021-07-01`` → ``'Jul 2021'`` (``'juil. 2021'`` in French)."""
    day = pd.Timestamp(day)
    if french():
        return _babel_date(day.date(), format="MMM y", locale=_locale())
    return f"{day:%b %Y}"


def month_abbreviation(month: int) -> str:
    """``7`` → ``'Jul'`` (``'juil.'`` in French)."""
    day = pd.Timestamp(year=2021, month=int(month), day=1)
    if french():
        return _babel_date(day.date(), format="MMM", locale=_locale())
    return f"{day:%b}"


def weekday_abbreviation(weekday: str) -> str:
    """``'Thursday'`` → ``'Thu'`` (``'jeu.'`` in French); ``weekday`` is an English key of ``WEEKDAYS``."""
    if not french():
        return weekday[:3]
    from .counters import WEEKDAYS

    day = pd.Timestamp("2021-01-04") + pd.Timedelta(days=WEEKDAYS.index(weekday))  # a Monday
    return _babel_date(day.date(), format="EEE", locale=_locale())
