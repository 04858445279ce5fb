"""The language a learner's platform gives at login, for the course's code in their JupyterLab.

A learning platform (Moodle, Canvas...) sends the user's language with each LTI 1.3 launch: the
``locale`` of the launch's ``launch_presentation`` claim (``"fr-FR"``, ``"en"``). The hub keeps
the last one of each user in ``<state>/hub/languages.json`` (root only) and gives it to their
server as ``COURSE_HUB_LANGUAGE``; the course's message catalogue (``modules/common/i18n.py``)
uses it unless the learner chose a language in JupyterLab (*Settings › Language*). A native login
gives none: the learner's own choice, then their system's, decide.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

#: The LTI 1.3 claim that carries the user's locale (IMS LTI Core 1.3, "Launch presentation claim").
LAUNCH_PRESENTATION = "https://purl.imsglobal.org/spec/lti/claim/launch_presentation"
#: The languages the course has (modules/common/i18n.py LANGUAGES; tests/hub checks they agree).
LANGUAGES = ("en", "fr")
#: The variable of the learner's server that carries it.
VARIABLE = "COURSE_HUB_LANGUAGE"


def language_of_claims(claims: dict) -> str | None:
    """The course language of an LTI launch's locale (``"fr-CA"`` → ``"fr"``), or None."""
    presentation = claims.get(LAUNCH_PRESENTATION) or {}
    locale = str(presentation.get("locale") or "") if isinstance(presentation, dict) else ""
    primary = locale.replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def _path(state: Path) -> Path:
    return Path(state) / "hub" / "languages.json"


def platform_languages(state: Path) -> dict[str, str]:
    """Each user's language from their last launch (``{}`` before the first)."""
    try:
        return json.loads(_path(state).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def remember(state: Path, user: str, language: str | None) -> None:
    """Keep ``user``'s language from this launch (a launch without one forgets the last)."""
    languages = platform_languages(state)
    if language:
        languages[user] = language
    else:
        languages.pop(user, None)
    path = _path(state)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8") as out:
        json.dump(languages, out, indent=1, sort_keys=True)
    os.chmod(out.name, 0o600)
    os.replace(out.name, path)


def server_environment(state: Path, user: str) -> dict[str, str]:
    """What the user's server environment gets: ``{"COURSE_HUB_LANGUAGE": "fr"}``, or nothing."""
    language = platform_languages(state).get(user)
    return {VARIABLE: language} if language else {}
