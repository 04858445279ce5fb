"""The language the course speaks to a learner, and its message catalogues.

Everything the code says to a learner (widget labels and verdicts, axis labels and figure titles,
checks' messages, feedback) is written in English in the code and wrapped in ``_()``; its French
is in the catalogue ``locale/fr.po`` of the same package, a standard gettext file that Poedit or
any translation tool edits. English is the message itself, so an English learner never depends
on a catalogue.

Use it in a package::

    from modules.common.i18n import translator

    _ = translator(__name__)
    label = _("Gross savings, {year}", year=2019)

The language is looked up at each call, never at import: a module imported in English speaks
French as soon as the learner's language is French. It is, in order:

1. the language set in the session by :func:`set_language` (or :func:`speaking`);
2. the environment variable ``COURSE_LANGUAGE``, which imposes a language: ``make book`` sets it
   for each edition of the site;
3. the learner's own choice: JupyterLab's *Settings › Language* (the ``locale`` of
   ``@jupyterlab/translation-extension``, in ``$JUPYTERLAB_SETTINGS_DIR`` or
   ``~/.jupyter/lab/user-settings``), which the French language pack of JupyterLab offers;
4. the environment variable ``COURSE_HUB_LANGUAGE``: the hub sets it from the learner's learning
   platform, the ``locale`` of the LTI launch of their last login (``course_hub.languages``);
5. the POSIX locale of the session (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), as a terminal or a
   desktop sets it;
6. English.

A language the course does not have falls back to English.
"""

from __future__ import annotations

import contextlib
import gettext
import io
import os
import sys
from functools import cache
from pathlib import Path
from typing import Callable, Iterator

#: The languages of the course: English (the source) and French.
LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
#: The catalogue of a package, relative to its folder.
CATALOGUE = Path("locale") / "{language}.po"

_session_language: str | None = None


def normalise(code: str | None) -> str | None:
    """The course language of a locale code (``"fr_FR.UTF-8"``, ``"fr-BE"``, ``"FR"`` → ``"fr"``), or None."""
    if not code:
        return None
    primary = code.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    return primary if primary in LANGUAGES else None


#: Where JupyterLab keeps the learner's language (its translation extension's settings).
JUPYTERLAB_LANGUAGE_SETTING = Path("@jupyterlab") / "translation-extension" / "plugin.jupyterlab-settings"


def jupyterlab_language() -> str | None:
    """The language the learner chose in JupyterLab (*Settings › Language*), or None when they chose none."""
    folder = os.environ.get("JUPYTERLAB_SETTINGS_DIR")
    if not folder:
        from jupyter_core.paths import jupyter_config_dir

        folder = str(Path(jupyter_config_dir()) / "lab" / "user-settings")
    path = Path(folder) / JUPYTERLAB_LANGUAGE_SETTING
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    return _setting_language(str(path), stamp)


@cache
def _setting_language(path: str, stamp: int) -> str | None:
    """The ``locale`` of a JupyterLab settings file (JSON with comments), read once per change."""
    import json5

    try:
        locale = json5.loads(Path(path).read_text(encoding="utf-8")).get("locale")
    except (OSError, ValueError, AttributeError):
        return None
    return None if locale in (None, "default") else normalise(str(locale)) or DEFAULT_LANGUAGE


def language() -> str:
    """The learner's language now: ``"en"`` or ``"fr"`` (see the module's docstring for the order)."""
    if _session_language:
        return _session_language
    chosen = normalise(os.environ.get("COURSE_LANGUAGE")) or jupyterlab_language() \
        or normalise(os.environ.get("COURSE_HUB_LANGUAGE"))
    if chosen:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:  # the first one set decides, as in POSIX
            return normalise(value) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def set_language(code: str | None) -> str:
    """Speak ``code`` (``"fr"``, ``"en"``) for the rest of the session; None goes back to the setting.

    Raises ValueError, with the languages the course has, for a language it does not have.
    """
    global _session_language
    if code is None:
        _session_language = None
        return language()
    chosen = normalise(code)
    if chosen is None:
        raise ValueError(f"The course speaks {' and '.join(LANGUAGES)}; {code!r} is not one of them.")
    _session_language = chosen
    return chosen


@contextlib.contextmanager
def speaking(code: str) -> Iterator[str]:
    """Speak ``code`` inside a ``with`` block, then go back to the language before it."""
    global _session_language
    before = _session_language
    set_language(code)
    try:
        yield _session_language
    finally:
        _session_language = before


def catalogue_path(package_folder: Path, code: str) -> Path:
    return package_folder / str(CATALOGUE).format(language=code)


@cache
def _translations(package_folder: Path, code: str) -> gettext.NullTranslations:
    """The compiled catalogue of a package in a language (read from its ``.po`` once per process)."""
    path = catalogue_path(package_folder, code)
    if code == DEFAULT_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as source:
        catalogue = read_po(source, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def translator(module_name: str) -> Callable[..., str]:
    """The ``_`` of a module: ``_(message, **values)`` gives ``message`` in the learner's language.

    ``module_name`` is the caller's ``__name__``; the catalogue is the ``locale/<language>.po``
    of the nearest package folder that has a ``locale/`` folder (the module's own folder first).
    ``values`` fill the message's ``{name}`` fields after translation, so a translation may put
    them in another order.
    """
    folder = Path(sys.modules[module_name].__file__).resolve().parent
    depth = module_name.count(".") - (0 if hasattr(sys.modules[module_name], "__path__") else 1)
    search = [folder, *list(folder.parents)[:max(depth, 0)]]  # up to the top-level package, no further
    found = next((candidate for candidate in search if (candidate / "locale").is_dir()), folder)

    def _(message: str, **values) -> str:
        translated = _translations(found, language()).gettext(message)
        return translated.format(**values) if values else translated

    _.catalogue_folder = found
    return _


def N_(message: str) -> str:
    """Mark a message for the catalogue where it is defined (a constant); translate it with ``_`` where it is shown."""
    return message
