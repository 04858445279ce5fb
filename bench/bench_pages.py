"""Benchmark: page weight and load time of each lesson page of the course site, served from 127.0.0.1.

For every lesson of ``book/_toc.yml`` it loads the page in Debian's Chromium (Playwright, empty
cache each time) and measures the bytes transferred (every request of the page, as the network
counted them) and the time to DOMContentLoaded, in three ways:

* **served**: by the course's site server (``scripts/start_course.py``, as `make start` runs it),
  which sends the precompressed ``.gz`` files that the build writes;
* **plain**: by ``python -m http.server`` (no compression), for comparison;
* **baseline**: the same page from the course's server without its widget and MathJax scripts
  (those requests are blocked), measured in the same run.

The target is under 2 MB transferred per lesson page (served). It prints one markdown table, then
the heaviest requests of each lesson (served), to show where the bytes go, and exits 0 (a
benchmark reports, it does not fail). ``BENCH_SITE=path/to/_build/html`` measures an
existing build; by default the site is built from this checkout into a temporary folder.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from scripts.start_course import CourseSiteHandler  # noqa: E402
from scripts.site_pages import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # noqa: E402

sys.path.insert(0, str(REPO / "book" / "_ext"))
import site_languages as languages  # noqa: E402

TARGET_BYTES = 2 * 1024 * 1024
HEAVY_SCRIPTS = re.compile(r"/_static/(widgets|mathjax)/")
HEAVIEST_SHOWN = 5


class PlainHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def serve(directory: Path, handler_class) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler_class, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build_site(output: Path) -> Path:
    """Both editions of the site, as `make book` builds them (scripts/build_site.py)."""
    from scripts.build_site import build_site as build_editions

    builds = build_editions(output)
    failed = [build for build in builds if build.returncode]
    if failed:
        sys.exit("The site did not build:\n" + "\n".join(build.log[-3000:] for build in failed))
    return output / "html"


@dataclass
class Load:
    transferred: int  # bytes, every request of the page, as the network counted them
    dom_content_loaded: float  # ms after navigation start
    requests: list[tuple[int, str]] = field(default_factory=list)  # (bytes, path), heaviest first


def measure(browser, url: str, block_heavy: bool = False) -> Load:
    """Load ``url`` with an empty cache and wait until the network is idle."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    if block_heavy:
        page.route(HEAVY_SCRIPTS, lambda route: route.abort())
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    addresses: dict[str, str] = {}
    transferred: list[tuple[int, str]] = []
    session.on("Network.requestWillBeSent", lambda event: addresses.setdefault(event["requestId"], event["request"]["url"]))
    session.on("Network.loadingFinished", lambda event: transferred.append(
        (int(event["encodedDataLength"]), addresses.get(event["requestId"], "?"))))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    loaded = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    context.close()
    requests = sorted(((size, urlparse(address).path or address[:40]) for size, address in transferred), reverse=True)
    return Load(sum(size for size, _ in transferred), loaded, requests)


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.2f} MB"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as temporary:
        site = Path(os.environ["BENCH_SITE"]) if os.environ.get("BENCH_SITE") else build_site(Path(temporary))
        course_server, course_url = serve(site, CourseSiteHandler)
        plain_server, plain_url = serve(site, PlainHandler)
        rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for language in languages.LANGUAGES:
                for docname in languages.lesson_docnames(language):
                    address = f"{languages.EDITIONS[language].url_prefix}/{docname}.html"
                    measure(browser, f"{course_url}{address}")  # warm the server's file cache
                    served = measure(browser, f"{course_url}{address}")
                    plain = measure(browser, f"{plain_url}{address}")
                    baseline = measure(browser, f"{course_url}{address}", block_heavy=True)
                    rows.append((address, served, plain, baseline))
            browser.close()
        course_server.shutdown()
        plain_server.shutdown()

    print("\n### Lesson pages: weight and load time (127.0.0.1, empty cache, Debian's Chromium)\n")
    print("Served = the course's site server (`make start`), gzip from the build's `.gz` files; plain = "
          "`python -m http.server`; baseline = served, without the widget and MathJax scripts (same run).\n")
    print("| lesson page | served: transferred | served: DOMContentLoaded | plain: transferred | plain: DOMContentLoaded "
          "| baseline: transferred | baseline: DOMContentLoaded | served ÷ baseline (bytes) | target < 2 MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for docname, served, plain, baseline in rows:
        verdict = "PASS" if served.transferred < TARGET_BYTES else "FAIL"
        print(f"| {docname} | {megabytes(served.transferred)} | {served.dom_content_loaded:.0f} ms "
              f"| {megabytes(plain.transferred)} | {plain.dom_content_loaded:.0f} ms "
              f"| {megabytes(baseline.transferred)} | {baseline.dom_content_loaded:.0f} ms "
              f"| {served.transferred / baseline.transferred:.2f}x | {verdict} |")
    print("\nHeaviest requests of each lesson page (served, transferred):\n")
    for docname, served, _, _ in rows:
        heaviest = ", ".join(f"{path.rsplit('/_static/', 1)[-1]} {size / 1024:.0f} KB"
                             for size, path in served.requests[:HEAVIEST_SHOWN])
        print(f"- {docname}: {heaviest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
