"""The pages of the course site, read from ``book/_toc.yml``, and how the course's tools look at
them: Debian's Chromium, headless, never reaching the internet.

The browser tests and the page benchmark both use it, so they visit the same pages the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

#: Debian's Chromium (`make test` installs it with apt); Playwright never downloads a browser here.
CHROMIUM = "/usr/bin/chromium"
#: Without these, headless Chromium keeps trying to reach Google's servers (PITFALLS.md).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: The window of a laptop, in CSS pixels.
VIEWPORT = {"width": 1280, "height": 900}


def toc_docnames(root: Path = ROOT) -> list[str]:
    """Every page of book/_toc.yml, as Sphinx docnames (paths without suffix)."""
    toc = yaml.safe_load((root / "book" / "_toc.yml").read_text(encoding="utf-8"))
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
