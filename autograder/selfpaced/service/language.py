"""The language of the self-paced pages and certificates: which one a request asks for, which one a
certificate request was made in, and the course's module titles and outcomes in that language.

A request's language is, in order: its ``lang`` query argument (``?lang=fr``, which the page also
keeps in the cookie ``course_language``, so that the next pages speak it too; the hub puts it on the
links it makes), that cookie, the browser's ``Accept-Language`` (the first of the course's languages
it names, by preference), else English.

The course's outline (:mod:`autograder.selfpaced.outline`) is read from the English pages. The
French edition of the course's pages, ``book/fr/_toc.yml`` (parts captioned
``Module 1 : Le budget communal``) and ``book/fr/syllabus.md`` (``### Objectifs d'apprentissage``),
gives a module's title and learning outcomes in French, read from the course folder if it has them,
else from the course's repository; a module the French edition does not have keeps its English
words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from autograder.messages import DEFAULT_LANGUAGE, LANGUAGES, normalise

#: The cookie that keeps the language a learner chose with ``?lang=``.
COOKIE = "course_language"
#: The query argument that chooses the language of a page.
ARGUMENT = "lang"
#: The names of the languages, each in its own language (the language switch shows them).
NAMES = {"en": "English", "fr": "Français"}
#: The folder of each language's edition of the course's pages, relative to the course folder.
EDITIONS = {"fr": Path("book") / "fr"}
#: The repository the ``autograder`` package was installed from (holds ``book/`` when run from source).
REPOSITORY = Path(__file__).resolve().parents[3]

MODULE_CAPTION = re.compile(r"^Module (\d+)\s*:\s*(.+)$")
OUTCOMES_HEADING = {"fr": "Objectifs d'apprentissage"}


def accepted(header: str | None) -> str | None:
    """The first course language an ``Accept-Language`` header names, by preference
    (``"fr-FR,fr;q=0.9,en;q=0.8"`` → ``"fr"``), or None."""
    choices = []
    for position, item in enumerate((header or "").split(",")):
        tag, _, parameters = item.strip().partition(";")
        weight = 1.0
        match = re.search(r"q\s*=\s*([0-9.]+)", parameters)
        if match:
            try:
                weight = float(match.group(1))
            except ValueError:
                weight = 0.0
        code = normalise(tag) if tag.strip() != "*" else None
        if code and weight > 0:
            choices.append((-weight, position, code))
    return min(choices)[2] if choices else None


def request_language(argument: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The language of a request: its ``?lang=``, else its cookie, else its ``Accept-Language``, else English."""
    return normalise(argument) or normalise(cookie) or accepted(accept_language) or DEFAULT_LANGUAGE


# --- the language of a certificate request -----------------------------------------------------------
def _key(student: str) -> str:
    return f"certificate-language/{student}"


def remember_certificate_language(store, student: str, code: str) -> None:
    """Record the language ``student`` asked for their certificate in (before the request itself, so
    that the grading service never sees a request without its language)."""
    with store.connect() as connection:
        connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                           (_key(student), normalise(code) or DEFAULT_LANGUAGE))


def certificate_language(store, student: str) -> str:
    """The language of ``student``'s certificate request: English when none was recorded."""
    with store.connect() as connection:
        row = connection.execute("SELECT value FROM meta WHERE key = ?", (_key(student),)).fetchone()
    return (normalise(row["value"]) if row else None) or DEFAULT_LANGUAGE


# --- the course's words in a language ----------------------------------------------------------------
def edition_folder(course_root: Path, code: str) -> Path | None:
    """The folder of the ``code`` edition of the course's pages: in the course folder, else in the repository."""
    if code not in EDITIONS:
        return None
    for root in (Path(course_root), REPOSITORY):
        if (root / EDITIONS[code] / "_toc.yml").is_file():
            return root / EDITIONS[code]
    return None


def module_titles(course_root: Path, code: str) -> dict[int, str]:
    """{module number: title} as the ``code`` edition gives them (``{1: "Le budget communal"}``); {} for English."""
    folder = edition_folder(course_root, code)
    return {} if folder is None else dict(_titles(folder / "_toc.yml", _stamp(folder / "_toc.yml")))


def module_outcomes(course_root: Path, code: str) -> dict[int, tuple[str, ...]]:
    """{module number: learning outcomes} as the ``code`` edition's syllabus gives them; {} for English."""
    folder = edition_folder(course_root, code)
    if folder is None or not (folder / "syllabus.md").is_file():
        return {}
    return dict(_outcomes(folder / "syllabus.md", _stamp(folder / "syllabus.md"), OUTCOMES_HEADING[code]))


def course_title(course_root: Path, code: str, configured: str) -> str:
    """The course's title in ``code``: the edition's own title (``book/fr/_config.yml``) when the
    configured title (``c.SelfPaced.course_title``) is the English edition's (``_config.yml``), else the configured one."""
    folder = edition_folder(course_root, code)
    if folder is None:
        return configured
    english, edition = folder.parents[1] / "_config.yml", folder / "_config.yml"
    if not (english.is_file() and edition.is_file()):
        return configured
    if _title(english, _stamp(english)) != configured.strip():
        return configured
    return _title(edition, _stamp(edition)) or configured


def _stamp(path: Path) -> float:
    return path.stat().st_mtime


@lru_cache(maxsize=16)
def _title(path: Path, stamp: float) -> str:
    return str((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("title") or "").strip()


@lru_cache(maxsize=16)
def _titles(path: Path, stamp: float) -> tuple[tuple[int, str], ...]:
    toc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    captions = (MODULE_CAPTION.match(str(part.get("caption", "")).strip()) for part in toc.get("parts", []))
    return tuple((int(caption.group(1)), caption.group(2).strip()) for caption in captions if caption)


@lru_cache(maxsize=16)
def _outcomes(path: Path, stamp: float, heading: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    found = []
    for block in re.split(r"^## ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        caption = MODULE_CAPTION.match(block.splitlines()[0].strip())
        part = re.search(rf"^### {re.escape(heading)}\n(.*?)(?=^### |\Z)", block, flags=re.S | re.M)
        if caption and part:
            leads = re.findall(r"^\d+\.\s+\*\*(.+?)\*\*", part.group(1), flags=re.M)
            found.append((int(caption.group(1)), tuple(lead.strip() for lead in leads)))
    return tuple(found)


__all__ = ["ARGUMENT", "COOKIE", "LANGUAGES", "NAMES", "accepted", "certificate_language", "course_title", "module_outcomes",
           "module_titles", "remember_certificate_language", "request_language"]
