"""Shared fixtures: paths of the course, the environment its tools need, and the built site."""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from scripts.site_pages import toc_docnames  # noqa: E402,F401 (the pages every site test visits)

COURSE_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def course_root() -> Path:
    return COURSE_ROOT


@pytest.fixture(scope="session")
def tool_environment() -> dict[str, str]:
    """The environment for the course's command-line tools: the venv's bin first on PATH
    (nbgrader runs `alembic` from PATH) and the course importable from notebooks."""
    environment = dict(os.environ)
    environment["PATH"] = str(Path(sys.executable).parent) + os.pathsep + environment.get("PATH", "")
    environment["PYTHONPATH"] = str(COURSE_ROOT) + os.pathsep + environment.get("PYTHONPATH", "")
    return environment


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The course site, built once per test session (tests/site/, tests/browser/) --------------
@dataclass
class BuiltSite:
    """The site as ``make book`` builds it: ``site`` holds ``en/`` (``html``) and ``fr/`` (``french``)."""

    site: Path
    log: str
    returncode: int

    @property
    def html(self) -> Path:
        """The English edition (its pages are ``book/...``)."""
        return self.site / "en"

    @property
    def french(self) -> Path:
        """The French edition (its pages are those of ``book/fr/``, without the prefix)."""
        return self.site / "fr"

    def page(self, docname: str, language: str = "en") -> Path:
        return self.site / language / f"{docname}.html"


def course_config() -> dict:
    return yaml.safe_load((COURSE_ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, tool_environment) -> BuiltSite:
    """A fresh build (empty execution caches) of both editions of the site, as `make book` runs it.
    ``COURSE_TEST_SITE=_build`` reuses the build of ``make book`` there instead, while you work on a test."""
    from scripts.build_site import build_site

    if os.environ.get("COURSE_TEST_SITE"):
        return BuiltSite(site=Path(os.environ["COURSE_TEST_SITE"]) / "html", log="", returncode=0)
    output = tmp_path_factory.mktemp("site")
    builds = build_site(output, strict=True)
    log = "\n".join(f"--- {build.language} ---\n{build.log}" for build in builds)
    return BuiltSite(site=output / "html", log=log, returncode=max(build.returncode for build in builds))
