"""Find the paragraphs of a French page that are still in English.

A paragraph is the prose of a MyST page between blank lines, outside front matter, code cells,
code blocks, directive options and English quoted on purpose (an HTML block with ``lang="en"``), with markup removed: roles (`` {term}`…` ``), inline code,
links' addresses, math. Paragraphs of fewer than ``MIN_WORDS`` words are too short to judge (a
figure's caption, a table row of names). Each paragraph left is classified by py3langid (a
language identifier trained on 97 languages), restricted to English and French, and kept when it
reads as English with a probability of at least ``THRESHOLD``.
"""

from __future__ import annotations

import re
from functools import cache

MIN_WORDS = 12
THRESHOLD = 0.9

FENCE = re.compile(r"^(`{3,}|:{3,})")
#: An English text quoted on purpose, marked for screen readers and browsers: ``<blockquote lang="en">``.
QUOTED_IN_ENGLISH = re.compile(r'^<\w+[^>]*\blang="en"')
#: Directives whose content is prose a reader reads.
PROSE_DIRECTIVE = re.compile(r"\{(admonition|exercise|solution|note|tip|important|warning|seealso|dropdown|glossary|margin|hint)\}")


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["en", "fr"])
    return identifier


def prose_paragraphs(text: str) -> list[str]:
    """The prose of a MyST page, paragraph by paragraph, markup removed (admonitions' and
    self-checks' content is prose; code cells and code blocks are not)."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    paragraphs: list[str] = []
    current: list[str] = []
    open_fences: list[tuple[str, bool]] = []  # (marker, is its content prose?)

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for line in text.splitlines():
        stripped = line.strip()
        fence = FENCE.match(stripped)
        if fence:
            marker, rest = fence.group(1), stripped[len(fence.group(1)):].strip()
            top = open_fences[-1][0] if open_fences else None
            flush()
            if not rest and top and top[0] == marker[0] and len(marker) >= len(top):
                open_fences.pop()
            else:
                open_fences.append((marker, bool(PROSE_DIRECTIVE.match(rest))))
            continue
        if any(not prose for _, prose in open_fences):
            continue
        if not stripped:
            flush()
        elif not stripped.startswith((":", "+++", "<!--", "%")):
            current.append(stripped)
    flush()
    return [cleaned for cleaned in (_clean(paragraph) for paragraph in paragraphs if not QUOTED_IN_ENGLISH.match(paragraph))
            if cleaned]


def _clean(paragraph: str) -> str:
    paragraph = re.sub(r"\{[a-z:-]+\}`([^`<]*)(?:<[^`]*>)?`", r"\1", paragraph)  # roles keep their text
    paragraph = re.sub(r"`[^`]*`", " ", paragraph)  # inline code
    paragraph = re.sub(r"\]\([^)]*\)", "]", paragraph)  # links keep their text
    paragraph = re.sub(r"\$[^$]*\$", " ", paragraph)  # math
    paragraph = re.sub(r"https?://\S+", " ", paragraph)
    paragraph = re.sub(r"[*_#>|\[\]]", " ", paragraph)
    return " ".join(paragraph.split())


def language_of(paragraph: str) -> tuple[str, float]:
    return _identifier().classify(paragraph)


def english_paragraphs(text: str) -> list[str]:
    """The paragraphs of a page's text that read as English."""
    found = []
    for paragraph in prose_paragraphs(text):
        if len(re.findall(r"[A-Za-zÀ-ÿ]+", paragraph)) < MIN_WORDS:
            continue
        language, probability = language_of(paragraph)
        if language == "en" and probability >= THRESHOLD:
            found.append(paragraph)
    return found
