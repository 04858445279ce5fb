"""Sphinx extension: the lessons' self-check questions are called "Self-check", not "Exercise".

Lessons ask their self-check questions with sphinx-exercise's ``{exercise}`` and ``{solution}``
directives (the answer in a dropdown, shown on request, on the static site). sphinx-exercise titles
them "Exercise N" and "Solution to Exercise N", which a learner would mistake for the module's
graded exercise. Its titles go through its own message catalog (``exercise``), so this extension
gives that catalog the course's words, for the site's language (English or French), before any
page is read. The course's catalog comes first, whichever extension Sphinx sets up first:
sphinx-exercise's own translations ("Exercice", "Solution de") only fill what it leaves out.
"""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from sphinx.application import Sphinx

#: sphinx-exercise's words → the course's words, by language of the site.
TITLES = {
    "en": {"Exercise": "Self-check", "Solution": "Answer", "Solution to": "Answer to"},
    "fr": {"Exercise": "Autoévaluation", "Solution": "Réponse", "Solution to": "Réponse à"},
}


def write_catalog(folder: Path, language: str) -> Path:
    """Compile the course's titles for ``language`` into ``folder/<language>/LC_MESSAGES/exercise.mo``."""
    catalog = Catalog(locale=language, domain="exercise")
    for message, translation in TITLES[language].items():
        catalog.add(message, translation)
    target = folder / language / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / "exercise.mo", "wb") as mo_file:
        write_mo(mo_file, catalog)
    return folder


def setup(app: Sphinx) -> dict:
    from sphinx import locale

    language = app.config.language or "en"
    if language in TITLES:
        folder = write_catalog(Path(app.doctreedir) / "course-locale", language)
        theirs = locale.translators.pop(("general", "exercise"), None)  # sphinx-exercise's, if set up already
        app.add_message_catalog("exercise", str(folder))
        if theirs is not None and theirs.__class__ is not gettext.NullTranslations:
            locale.translators[("general", "exercise")].add_fallback(theirs)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
