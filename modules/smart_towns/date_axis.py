"""Date axes written in the learner's language, for the figures and widgets of module 3 (views only).

Matplotlib writes the dates of an axis in English (``Mar``, ``2021-03``), and in French the
course's :func:`modules.common.views.plotting.new_figure` gives every axis a number formatter,
which would write a date axis as matplotlib's day numbers. :func:`localise_date_axis` gives a date
axis French labels instead: the year on 1 January, the month's short name on the 1st
(``mars``, ``juil.``), the day's number otherwise. English axes are left as they are.
"""

from __future__ import annotations

import matplotlib.dates as mdates
from matplotlib.ticker import FuncFormatter

from modules.common.i18n import language
from modules.smart_towns.model import wording


def french_date_tick(value: float, _position=None) -> str:
    """The label of a date tick in French: ``2021``, ``mars`` or ``15``."""
    day = mdates.num2date(value)
    if day.month == 1 and day.day == 1:
        return str(day.year)
    if day.day == 1:
        return wording.month_abbreviation(day.month)
    return str(day.day)


def localise_date_axis(axis) -> None:
    """Write the dates of ``axis`` (``axes.xaxis``) in the learner's language; English keeps matplotlib's own."""
    if language() == "fr":
        axis.set_major_formatter(FuncFormatter(french_date_tick))
