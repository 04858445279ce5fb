"""The language of what the autograder tells a learner: the language of the notebook they worked in.

A notebook of a French exercise (``budgeting_01_fr``) says so in its metadata,
``{"course": {"language": "fr"}}``; nbgrader keeps notebook metadata through release, submission
and grading, so the feedback notebook, the feedback per test and the Validate button's messages all
speak the language of the exercise, whoever grades it and wherever. The course's own messages
(the ``assert`` messages of its checks) are already in that language; this module's catalogue,
``autograder/locale/fr.po``, holds the French of the autograder's fixed texts
(:mod:`modules.common.i18n` finds it).

The self-paced web pages and the printable certificate speak the language of the request
(:mod:`autograder.selfpaced.service.language`): they translate with the same ``_``, inside
``speaking(language)``, and write numbers and dates as that language does with :func:`number`,
:func:`long_date` and :func:`moment` (Babel's CLDR data: ``19,5`` and ``2 décembre 2026`` in French).
English keeps the autograder's own formats, so English pages do not change.
"""

from __future__ import annotations

import datetime

from modules.common.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, language, normalise, speaking, translator

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "N_", "_", "language", "long_date", "moment", "normalise",
           "notebook_language", "number", "speaking"]

_ = translator(__name__)

#: The CLDR locale that writes numbers and dates in each language of the course but English.
LOCALES = {"fr": "fr_FR"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def notebook_language(nb) -> str:
    """The language of a notebook: ``metadata.course.language`` (``"fr"``), English when it says none."""
    metadata = nb.get("metadata", {}) if hasattr(nb, "get") else {}
    return normalise(str((metadata.get("course") or {}).get("language") or "")) or DEFAULT_LANGUAGE


def number(value: float, code: str | None = None) -> str:
    """A number as people of ``code`` (default: the language now) write it: ``18.0`` → ``"18"``,
    ``19.5`` → ``"19.5"`` in English, ``"19,5"`` in French (at most three decimals there)."""
    locale = LOCALES.get(code or language())
    if locale is None:
        return f"{value:g}"
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale)


def long_date(day: datetime.date, code: str | None = None) -> str:
    """A day in words: ``2 December 2026`` in English, ``2 décembre 2026`` in French."""
    locale = LOCALES.get(code or language())
    if locale is None:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    from babel.dates import format_date

    return format_date(day, format="long", locale=locale)


def moment(when: datetime.datetime, seconds: bool = False, code: str | None = None) -> str | None:
    """A moment in UTC in words, for a language other than English: ``2 décembre 2026, 18:02 UTC``
    (with ``:17`` seconds if ``seconds``); None in English, whose pages keep their own format."""
    locale = LOCALES.get(code or language())
    if locale is None:
        return None
    from babel.dates import format_datetime

    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)  # nbgrader's timestamps are UTC
    pattern = "d MMMM y, HH:mm:ss 'UTC'" if seconds else "d MMMM y, HH:mm 'UTC'"
    return format_datetime(when, pattern, tzinfo=datetime.timezone.utc, locale=locale)
