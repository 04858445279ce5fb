"""The pages of the course site, read from ``book/_toc.yml``, and how the course's tools look at
them: Debian's Chromium, headless, never reaching the internet.

The browser tests and the page benchmark both use it, so they visit the same pages the same way.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
from site_languages import docnames_of_toc  # noqa: E402 (the site's own reading of a table of contents)

#: Debian's Chromium (`make test` installs it with apt); Playwright never downloads a browser here.
CHROMIUM = "/usr/bin/chromium"
#: Without these, headless Chromium keeps trying to reach Google's servers (PITFALLS.md).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: The window of a laptop, in CSS pixels.
VIEWPORT = {"width": 1280, "height": 900}


def toc_docnames(root: Path = ROOT) -> list[str]:
    """Every page of the English edition's book/_toc.yml, as Sphinx docnames (paths without suffix)."""
    return docnames_of_toc(root / "book" / "_toc.yml")


def front_matter_text(docname: str, root: Path = ROOT) -> str:
    """The front matter of a page's source, or "" when the page has no Markdown source."""
    source = root / f"{docname}.md"
    return source.read_text(encoding="utf-8").split("\n---", 1)[0] if source.exists() else ""


def lesson_docnames(root: Path = ROOT) -> list[str]:
    """Pages of a module folder (book/<slug>/...) that are notebooks (their front matter has a kernelspec)."""
    return [name for name in toc_docnames(root)
            if len(name.split("/")) == 3 and "kernelspec:" in front_matter_text(name, root)]


def exercise_docnames(root: Path = ROOT) -> list[str]:
    """Pages whose front matter names an nbgrader assignment (``assignment:``)."""
    return [name for name in toc_docnames(root) if re.search(r"^assignment:", front_matter_text(name, root), re.M)]
