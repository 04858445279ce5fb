"""Build the course site once per test session, from the sources of this checkout, with -W."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import COURSE_ROOT


@dataclass
class BuiltSite:
    html: Path
    log: str
    returncode: int

    def page(self, docname: str) -> Path:
        return self.html / f"{docname}.html"


def toc_docnames() -> list[str]:
    """Every page of book/_toc.yml, as Sphinx docnames (paths without suffix)."""
    toc = yaml.safe_load((COURSE_ROOT / "book" / "_toc.yml").read_text(encoding="utf-8"))
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


def course_config() -> dict:
    return yaml.safe_load((COURSE_ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, tool_environment) -> BuiltSite:
    """A fresh build (empty execution cache) of the site, as `make book` runs it."""
    output = tmp_path_factory.mktemp("site")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book), "build", ".", "--toc", "book/_toc.yml", "-W", "-n", "--keep-going",
               "--path-output", str(output)]
    result = subprocess.run(command, cwd=COURSE_ROOT, env=tool_environment, capture_output=True, text=True)
    return BuiltSite(html=output / "_build" / "html", log=result.stdout + result.stderr, returncode=result.returncode)
