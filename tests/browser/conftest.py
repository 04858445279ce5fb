"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, the built site served on
127.0.0.1 (by the course's own site server, which sends precompressed files), axe-core, and the
folder where the test run leaves screenshots for a person to look at."""

from __future__ import annotations

import functools
import sys
import http.server
import threading
from pathlib import Path

import pytest

from scripts.site_pages import CHROMIUM, CHROMIUM_ARGS
from scripts.start_course import CourseSiteHandler
from tests.conftest import COURSE_ROOT

sys.path.insert(0, str(COURSE_ROOT / "book" / "_ext"))
import site_languages as languages  # noqa: E402,F401 (the editions of the site, for the browser tests)

AXE = COURSE_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = COURSE_ROOT / "_build" / "screenshots"


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """The built site, served on a free port of 127.0.0.1 for the whole session."""
    assert built_site.returncode == 0, f"the site did not build:\n{built_site.log[-3000:]}"
    handler = functools.partial(CourseSiteHandler, directory=str(built_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="package")  # closed after the browser tests: its event loop must not outlive them
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package (apt-get install chromium).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` in the repository root (package.json lists axe-core).")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def run_axe(page, axe_source: str) -> list[dict]:
    """Run axe-core in ``page``; return its serious and critical violations, one line of detail per element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary.split("\\n").slice(0, 2).join(" "))}));
        }"""
    )


def wait_for_widgets(page, timeout_ms: int = 30_000) -> None:
    """Wait until the saved widget state of ``page`` (if any) has been drawn by the widget manager."""
    if page.locator("script[type='application/vnd.jupyter.widget-view+json']").count():
        # Every saved view drawn into its output area (sliders, menus or boxes alike), and every slider
        # given its accessible name by the course's script.
        page.wait_for_function(
            "() => [...document.querySelectorAll(\"script[type='application/vnd.jupyter.widget-view+json']\")]"
            ".every(script => { const area = script.parentElement.querySelector('.widget-subarea');"
            " return area !== null && area.children.length > 0; })"
            " && [...document.querySelectorAll('.jupyter-widgets .noUi-handle')].every(h => h.hasAttribute('aria-label'))",
            timeout=timeout_ms,
        )
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jupyter-widgets img')].every(img => img.complete && img.naturalWidth > 0)",
            timeout=timeout_ms,
        )
