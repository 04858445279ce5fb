"""The course site as a learner sees it in a real browser (Debian's Chromium): every page reached
from the home page, lessons with their plots and simulations, search, the launch link, no request
to another host, and no serious accessibility problem (axe-core) in the light and dark modes."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlparse

import pytest

from scripts.site_pages import VIEWPORT, lesson_docnames
from tests.browser.conftest import languages, run_axe, wait_for_widgets
from tests.conftest import course_config

pytestmark = pytest.mark.slow

LOCAL_HOSTS = {"127.0.0.1"}
#: A term of the glossary (book/glossary.md) that learners search for, and the page it must lead to.
GLOSSARY_TERM = "DGF"
#: The browser's language of each visit: the site's root opens the edition of that language.
LOCALES = {"en": "en-GB", "fr": "fr-FR"}


@dataclass
class Visit:
    """What the browser saw while following the site's own links from the home page to every page."""

    language: str = "en"
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    reached: dict[str, str] = field(default_factory=dict)  # docname -> URL of the page reached
    violations: dict[str, list[dict]] = field(default_factory=dict)  # "mode page" -> axe violations
    images: dict[str, list[dict]] = field(default_factory=dict)  # docname -> images of the article
    launch_links: dict[str, str] = field(default_factory=dict)
    sliders: dict[str, int] = field(default_factory=dict)
    icons: dict[str, list[dict]] = field(default_factory=dict)  # docname -> the theme's visible icons
    switched_to: dict[str, str] = field(default_factory=dict)  # docname -> URL the language switcher led to

    @property
    def docnames(self) -> list[str]:
        return languages.toc_docnames(self.language)

    @property
    def lessons(self) -> list[str]:
        return languages.lesson_docnames(self.language)

    def url_path(self, docname: str) -> str:
        return f"/{languages.EDITIONS[self.language].url_prefix}/{docname}.html"


#: For each visible icon of the theme (an <i> of Font Awesome's classes): is its glyph drawn, that is,
#: does its ::before have content in a webfont that the page has loaded?
ICONS_DRAWN = """async () => {
    await document.fonts.ready;
    const loaded = new Set([...document.fonts].filter(font => font.status === "loaded")
                                              .map(font => font.family.replace(/["']/g, "")));
    return [...document.querySelectorAll("i.fa-solid, i.fas, i.fa-regular, i.far, i.fa-brands, i.fab")]
        .filter(icon => icon.getClientRects().length)
        .map(icon => {
            const glyph = getComputedStyle(icon, "::before");
            const family = glyph.fontFamily.split(",")[0].trim().replace(/["']/g, "");
            return {icon: icon.className.replace(/\\s+/g, " "), family,
                    drawn: !["none", "normal", ""].includes(glyph.content) && loaded.has(family)
                           && icon.getBoundingClientRect().width > 0};
        });
}"""


def screenshot_name(docname: str) -> str:
    return docname.removeprefix("book/").replace("/", "-") + ".png"


def _record(page, docname: str, visit: Visit, axe_source: str, mode: str) -> None:
    wait_for_widgets(page)
    visit.violations[f"{mode} {docname}"] = run_axe(page, axe_source)


@pytest.fixture(scope="module", params=languages.LANGUAGES)
def visit(request, browser, site_url, axe_source, screenshots) -> Visit:
    """Follow the sidebar's links from the home page to every page of one edition's table of
    contents, in the light mode, then visit every page again in the dark mode; record every request
    of both. The browser speaks the edition's language, so the site's root opens that edition. In
    the light mode, the language switcher of every page is clicked, and the browser comes back."""
    visit = Visit(language=request.param)
    root = visit.docnames[0]
    for mode in ("light", "dark"):
        context = browser.new_context(viewport=VIEWPORT, color_scheme=mode, locale=LOCALES[visit.language])
        context.on("request", lambda request: visit.requests.append(request.url))
        context.on("response", lambda response: response.status >= 400 and visit.failed.append(f"{response.status} {response.url}"))
        context.on("requestfailed", lambda request: visit.failed.append(f"{request.failure} {request.url}"))
        page = context.new_page()
        page.goto(site_url, wait_until="load")  # the site's root sends the browser to its home page
        page.wait_for_url(f"**{visit.url_path(root)}")
        page.wait_for_load_state("networkidle")
        for docname in visit.docnames:
            if docname != root:
                # Match the link by the page it leads to (modules share file names such as index.html).
                index = page.evaluate(
                    "suffix => [...document.querySelectorAll('nav.bd-docs-nav a')]"
                    ".findIndex(a => a.href.split('#')[0].endsWith(suffix))",
                    visit.url_path(docname),
                )
                assert index >= 0, f"the sidebar of {page.url} has no link to {docname}"
                page.locator("nav.bd-docs-nav a").nth(index).click()
                page.wait_for_url(f"**{visit.url_path(docname)}")
            page.wait_for_load_state("load")
            _record(page, f"{visit.language}:{docname}", visit, axe_source, mode)
            if mode == "light":
                visit.reached[docname] = page.url
                visit.images[docname] = page.eval_on_selector_all(
                    "article img",
                    "images => images.map(img => ({src: img.src.slice(0, 60), alt: img.getAttribute('alt'), "
                    "loaded: img.complete && img.naturalWidth > 0, inWidget: !!img.closest('.jupyter-widgets')}))",
                )
                visit.sliders[docname] = page.locator(".jupyter-widgets .noUi-handle").count()
                visit.icons[docname] = page.evaluate(ICONS_DRAWN)
                launch = page.locator("nav.course-link-bar a.course-launch")
                if launch.count():
                    visit.launch_links[docname] = launch.first.get_attribute("href")
                if docname in (root, "glossary", "book/glossary") or page.locator("nav.course-link-bar").count():
                    page.screenshot(path=str(screenshots / f"site-{visit.language}-{screenshot_name(docname)}"), full_page=True)
                page.wait_for_load_state("networkidle")  # nothing of this page still loading when it is left
                switch = page.locator("a.course-language-switch:visible").first
                switch.click()
                page.wait_for_load_state("load")
                visit.switched_to[docname] = page.url.split("#")[0]
                page.wait_for_load_state("networkidle")
                page.go_back(wait_until="load")
                page.wait_for_url(f"**{visit.url_path(docname)}")
                page.wait_for_load_state("networkidle")
        page.goto(urljoin(site_url, f"{languages.EDITIONS[visit.language].url_prefix}/search.html?q={GLOSSARY_TERM}"))
        page.wait_for_selector("#search-results ul.search li", timeout=20_000)
        _record(page, f"{visit.language}:search", visit, axe_source, mode)
        context.close()
    return visit


def test_does_the_home_page_lead_to_every_page_of_the_course(visit):
    missing = [name for name in visit.docnames if name not in visit.reached]
    assert missing == [], f"pages not reached by following the site's links from the home page: {missing}"


def test_does_the_visit_stay_on_127_0_0_1(visit):
    assert visit.requests, "no request was recorded"
    outside = sorted({url for url in visit.requests if urlparse(url).scheme in ("http", "https", "ws", "wss")
                      and urlparse(url).hostname not in LOCAL_HOSTS})
    assert outside == [], "the site asked another host for:\n" + "\n".join(outside)


def test_does_every_file_the_pages_ask_for_exist(visit):
    assert visit.failed == [], "requests that failed:\n" + "\n".join(sorted(set(visit.failed)))


def test_does_every_lesson_show_its_plots_with_alt_text(visit):
    assert visit.lessons, "no lesson was visited"
    for docname in visit.lessons:
        images = visit.images[docname]
        assert images, f"{docname} shows no figure"
        not_loaded = [image["src"] for image in images if not image["loaded"]]
        assert not_loaded == [], f"{docname}: figures that did not load: {not_loaded}"
        without_alt = [image["src"] for image in images if not (image["alt"] or "").strip()]
        assert without_alt == [], f"{docname}: figures without alt text: {without_alt}"


def test_does_the_language_switcher_of_every_page_lead_to_its_counterpart(visit, site_url):
    """Both directions: each edition's visit clicks the switcher of every one of its pages."""
    other = languages.other(visit.language)
    wrong = []
    for docname in visit.docnames:
        pair = languages.counterpart(visit.language, docname)
        target = pair.get(other) if pair and pair.get(other) else languages.root_docname(other)
        expected = urljoin(site_url, f"{languages.EDITIONS[other].url_prefix}/{target}.html")
        if visit.switched_to.get(docname) != expected:
            wrong.append(f"{docname}: led to {visit.switched_to.get(docname)}, not {expected}")
    assert wrong == [], "\n".join(wrong)


def test_do_the_lessons_show_their_simulations_from_the_saved_widget_state(visit):
    with_widgets = {name: count for name, count in visit.sliders.items() if name in visit.lessons and count}
    assert with_widgets, "no lesson shows a simulation's sliders"
    for docname in with_widgets:
        assert any(image["inWidget"] and image["loaded"] for image in visit.images[docname]), (
            f"{docname} shows sliders but not the simulation's figure"
        )


def test_does_every_page_draw_the_theme_icons_from_its_webfont(visit):
    """The pages load no icon script: the theme's stylesheet draws its icons with the Font Awesome webfont."""
    assert all(visit.icons.get(name) for name in visit.docnames), "a page shows none of the theme's icons"
    missing = [f"{name}: {icon['icon']} ({icon['family']})" for name, icons in visit.icons.items()
               for icon in icons if not icon["drawn"]]
    assert missing == [], "icons drawn without their glyph:\n" + "\n".join(missing)


def test_does_every_figure_of_the_site_have_alt_text(visit):
    without_alt = [f"{name}: {image['src']}" for name, images in visit.images.items()
                   for image in images if not (image["alt"] or "").strip()]
    assert without_alt == [], "figures without alt text:\n" + "\n".join(without_alt)


def test_does_the_launch_button_open_the_lesson_on_the_configured_hub(visit):
    config = course_config()
    for docname in visit.lessons:
        href = visit.launch_links.get(docname)
        assert href, f"{docname} has no launch button"
        assert href.startswith(config["course_hub_url"].rstrip("/") + "/hub/user-redirect/git-pull?"), href
        query = parse_qs(urlparse(href).query)
        folder = config["course_repository_url"].rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
        source = languages.EDITIONS[visit.language].source_of(docname).relative_to(languages.COURSE_ROOT).as_posix()
        assert query["repo"] == [config["course_repository_url"]]
        assert query["branch"] == [config["course_repository_branch"]]
        assert query["urlpath"] == [f"lab/tree/{folder}/{source}"]


def test_does_every_page_pass_axe_core_in_light_and_dark_modes(visit):
    assert len(visit.violations) == 2 * (len(visit.docnames) + 1), "axe-core did not run on every page"
    problems = [f"{page}: {violation['id']} ({violation['impact']}): {violation['help']}\n    " + "\n    ".join(violation["nodes"][:5])
                for page, violations in visit.violations.items() for violation in violations]
    assert problems == [], "serious or critical accessibility problems:\n" + "\n".join(problems)


def test_does_search_find_a_term_of_the_glossary(browser, site_url):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(urljoin(site_url, "en/book/intro.html"))
    page.keyboard.press("Control+k")  # the theme's search shortcut, shown on its search button
    field = page.locator("#pst-search-dialog input[name='q']")
    field.wait_for(state="visible")
    field.fill(GLOSSARY_TERM)
    field.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    result = page.locator("#search-results ul.search li a[href*='book/glossary.html']")
    result.first.wait_for(timeout=20_000)
    context.close()


def test_can_a_slider_of_the_site_be_reached_with_tab_and_moved_with_the_arrow_keys(browser, site_url):
    lessons = [name for name in lesson_docnames()]
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    found = None
    for docname in lessons:
        page.goto(urljoin(site_url, f"en/{docname}.html"))
        wait_for_widgets(page)
        if page.locator(".jupyter-widgets .noUi-handle").count():
            found = docname
            break
    assert found, "no lesson has a slider"
    page.locator("body").focus()
    focused = None
    for _ in range(400):  # Tab through the page, as a keyboard user does, until a slider has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.noUi-handle[role=slider]')"):
            focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
            break
    assert focused, f"no slider of {found} could be reached with Tab"
    handle = page.locator(".noUi-handle[role=slider]:focus")
    before = handle.get_attribute("aria-valuenow")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("before => document.activeElement.getAttribute('aria-valuenow') !== before", arg=before)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("before => document.activeElement.getAttribute('aria-valuenow') === before", arg=before)
    context.close()


@pytest.mark.parametrize(("word", "lesson"), [("épargne", "budgeting/02-savings-and-debt"),
                                             ("désendettement", "budgeting/02-savings-and-debt")])
def test_does_the_french_search_find_the_lesson_of_a_french_word(browser, site_url, word, lesson):
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    page = context.new_page()
    page.goto(urljoin(site_url, "fr/intro.html"))
    page.keyboard.press("Control+k")
    field = page.locator("#pst-search-dialog input[name='q']")
    field.wait_for(state="visible")
    field.fill(word)
    field.press("Enter")
    page.wait_for_url("**/fr/search.html?q=*")
    page.locator(f"#search-results ul.search li a[href*='{lesson}.html']").first.wait_for(timeout=20_000)
    context.close()
