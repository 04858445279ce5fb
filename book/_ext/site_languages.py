"""The languages of the course site: its two editions, where each page of each lives, and the page
map that pairs every page with its counterpart in the other language.

The site has one edition per language, each a Jupyter Book of its own (its table of contents, its
configuration, so Sphinx's words, search stemmer and search index are in its language), published
side by side under ``/en/`` and ``/fr/`` of one site:

* English: the pages of ``book/`` (table of contents ``book/_toc.yml``), built from the
  repository's root, so a page's address is ``/en/<docname>.html`` with ``docname`` such as
  ``book/budgeting/01-anatomy``;
* French: the pages of ``book/fr/`` (``book/fr/_toc.yml``), built from ``book/fr/``, so a
  page's address is ``/fr/<docname>.html`` with ``docname`` such as ``budgeting/01-anatomy``.

``book/page-map.yml`` pairs them: each English page with its French page, or a page that exists in
one language only with the reason. The language switcher, the ``hreflang`` links and the
``{en}``/``{fr}`` roles all read it (``course_languages.py``); ``tests/site/test_languages.py``
checks that it is complete. This module is pure: it reads files and computes addresses.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

COURSE_ROOT = Path(__file__).resolve().parents[2]
PAGE_MAP = COURSE_ROOT / "book" / "page-map.yml"


@dataclass(frozen=True)
class Edition:
    language: str  # "en", "fr"
    name: str  # the language's name in itself, as the switcher shows it
    source_root: Path  # the folder Jupyter Book builds (docnames are relative to it)
    toc: Path
    url_prefix: str  # the folder of the site that holds this edition

    def source_of(self, docname: str) -> Path:
        return self.source_root / f"{docname}.md"


EDITIONS = {
    "en": Edition("en", "English", COURSE_ROOT, COURSE_ROOT / "book" / "_toc.yml", "en"),
    "fr": Edition("fr", "Français", COURSE_ROOT / "book" / "fr", COURSE_ROOT / "book" / "fr" / "_toc.yml", "fr"),
}
LANGUAGES = tuple(EDITIONS)


def other(language: str) -> str:
    return "fr" if language == "en" else "en"


def toc_docnames(language: str) -> list[str]:
    """Every page of an edition's table of contents, as docnames of that edition, root first."""
    return docnames_of_toc(EDITIONS[language].toc)


def docnames_of_toc(path: Path) -> list[str]:
    """Every page of a Jupyter Book table of contents (``_toc.yml``), as Sphinx docnames, root first."""
    toc = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    return [re.sub(r"\.(md|ipynb)$", "", name) for name in names]


def root_docname(language: str) -> str:
    return toc_docnames(language)[0]


@dataclass(frozen=True)
class PagePair:
    en: str | None  # English docname, or None for a page only in French
    fr: str | None  # French docname, or None for a page only in English
    note: str  # why a page is in one language only, or how the two pages differ ("" when they match)

    def get(self, language: str) -> str | None:
        return self.en if language == "en" else self.fr


class PageMapError(ValueError):
    """The page map is malformed: the message says which entry and how to mend it."""


@cache
def page_map(path: Path = PAGE_MAP) -> tuple[PagePair, ...]:
    """The pairs of ``book/page-map.yml``; a malformed entry raises :class:`PageMapError`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = []
    for number, entry in enumerate(data.get("pages") or [], start=1):
        if not isinstance(entry, dict) or not {"en", "fr"} <= set(entry):
            raise PageMapError(f"{path.name}, entry {number}: give both `en:` and `fr:` (null for a missing page): {entry!r}")
        en, fr = entry["en"], entry["fr"]
        note = str(entry.get("only_because") or entry.get("differs") or "").strip()
        if en is None and fr is None:
            raise PageMapError(f"{path.name}, entry {number}: a page needs `en:` or `fr:`")
        if (en is None or fr is None) and not entry.get("only_because"):
            raise PageMapError(
                f"{path.name}, entry {number} ({en or fr}): a page in one language only needs "
                "`only_because:`, the reason a reader sees next to the switcher"
            )
        pairs.append(PagePair(en, fr, note))
    return tuple(pairs)


def counterpart(language: str, docname: str, pairs: tuple[PagePair, ...] | None = None) -> PagePair | None:
    """The page map's entry of ``docname`` of the ``language`` edition, or None when it has none."""
    for pair in pairs if pairs is not None else page_map():
        if pair.get(language) == docname:
            return pair
    return None


def url_from(language: str, docname: str, target_language: str, target_docname: str, anchor: str = "") -> str:
    """The relative address, from the page ``docname`` of one edition, of a page of an edition."""
    here = posixpath.dirname(f"{EDITIONS[language].url_prefix}/{docname}.html")
    there = f"{EDITIONS[target_language].url_prefix}/{target_docname}.html"
    return posixpath.relpath(there, here) + (f"#{anchor}" if anchor else "")


def problems(pairs: tuple[PagePair, ...] | None = None) -> list[str]:
    """What keeps the page map from describing both tables of contents exactly (empty when it does)."""
    pairs = page_map() if pairs is None else pairs
    found = []
    for language in LANGUAGES:
        docnames = toc_docnames(language)
        mapped = [pair.get(language) for pair in pairs if pair.get(language) is not None]
        for docname in docnames:
            if docname not in mapped:
                found.append(f"{EDITIONS[language].name} page {docname} is not in book/page-map.yml")
        for docname in mapped:
            if docname not in docnames:
                found.append(f"book/page-map.yml names {docname} ({language}), which is not in {EDITIONS[language].toc.relative_to(COURSE_ROOT)}")
        duplicates = sorted({name for name in mapped if mapped.count(name) > 1})
        found += [f"book/page-map.yml names {name} ({language}) twice" for name in duplicates]
    return found


def lesson_docnames(language: str) -> list[str]:
    """An edition's lessons: the pages of a module folder (``modules/<slug>`` exists) that are notebooks."""
    edition = EDITIONS[language]
    found = []
    for docname in toc_docnames(language):
        source = edition.source_of(docname)
        head = source.read_text(encoding="utf-8").split("\n---", 1)[0] if source.exists() else ""
        if (COURSE_ROOT / "modules" / source.parent.name).is_dir() and "kernelspec:" in head:
            found.append(docname)
    return found
